import { hideNumbers, singleLine, type UiCard } from '@switchboard/core/plugin';
import { z } from 'zod';

/**
 * Bounds of a card. With every text at its longest and 4 UTF-8 bytes a character, a card stays
 * well under the host's 16 KB per plugin (`MAX_ANNOTATION_BYTES`), so it is never dropped for
 * its size.
 */
export const CARD_LIMITS = Object.freeze({
  title: 80,
  subtitle: 160,
  tags: 10,
  tag: 24,
  fields: 10,
  label: 32,
  value: 160,
  url: 1000,
});

/** A card's link address: http or https only (a `javascript:` link would run in the workbench). */
export const cardUrlSchema = z.url({ protocol: /^https?$/, message: 'an http or https URL' }).max(CARD_LIMITS.url);

/**
 * The zod schema of a {@link UiCard} as this plugin produces it (bounded, no control characters,
 * http(s) links only). The workbench, or a test, can check a card with it.
 *
 * @example
 * uiCardSchema.parse(annotations.screenPop)
 */
export const uiCardSchema = z
  .object({
    kind: z.literal('card'),
    status: z.enum(['found', 'notFound', 'unavailable']),
    title: singleLine(CARD_LIMITS.title),
    subtitle: singleLine(CARD_LIMITS.subtitle).optional(),
    tags: z.array(singleLine(CARD_LIMITS.tag)).max(CARD_LIMITS.tags),
    fields: z
      .array(z.object({ label: singleLine(CARD_LIMITS.label), value: singleLine(CARD_LIMITS.value) }).strict())
      .max(CARD_LIMITS.fields),
    link: z
      .object({ label: singleLine(CARD_LIMITS.label), url: cardUrlSchema })
      .strict()
      .optional(),
  })
  .strict();

// The schema and core's `UiCard` describe the same shape (checked at compile time both ways).
type SchemaCard = z.output<typeof uiCardSchema>;
const _sameShape: [SchemaCard, UiCard] extends [UiCard, SchemaCard] ? true : never = true;
void _sameShape;

/** A screen-pop card: core's {@link UiCard}. */
export type ScreenPopCard = UiCard;

// Control characters (C0, C1, DEL) have no place in a line of a card; lone surrogates are not
// text (in a `u` regex `\p{Cs}` matches only a surrogate that is not half of a pair).
const CONTROL = /\p{Cc}/gu;
const LONE_SURROGATE = /\p{Cs}/gu;

/**
 * One line of text from the CRM, made fit for a card: control characters become spaces, runs of
 * white space one space, lone surrogates U+FFFD, and text longer than `max` characters is cut
 * (on a character boundary) with an ellipsis. Returns undefined for blank text.
 */
export function cardText(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).replace(LONE_SURROGATE, '\uFFFD').replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  if (!text) return undefined;
  if (text.length <= max) return text;
  // Cut by code points so a surrogate pair is never split; the ellipsis takes the last place.
  const points = Array.from(text);
  let out = '';
  for (const p of points) {
    if (out.length + p.length > max - 1) break;
    out += p;
  }
  return `${out.trimEnd()}…`;
}

/** Forms of a number a CRM may write it in: as received, and without an international prefix. */
function numberForms(number: string): string[] {
  const digits = number.replace(/\D/g, '');
  const forms = [digits];
  // +86 139…, 0086 139…: the CRM may keep the national form (the last 11 digits of a mobile).
  const national = digits.replace(/^(00)?86(?=1\d{10}$)/, '');
  if (national !== digits) forms.push(national);
  return forms;
}

/**
 * The card with every occurrence of the customer's number masked (`139****5678`), in every
 * string of it: a CRM may put the phone into a name or a note, and the card must never carry
 * the full number (RT-07). A link whose address holds the number is left out, since a masked
 * address would not open. Core masks annotations again for agents under number protection.
 */
export function withoutNumber(card: UiCard, number: string): UiCard {
  const forms = numberForms(number).filter((f) => f.length >= 6);
  const hide = (s: string) => hideNumbers(s, forms);
  const link = card.link && !forms.some((f) => card.link!.url.includes(f)) ? card.link : undefined;
  return {
    kind: card.kind,
    status: card.status,
    title: hide(card.title),
    ...(card.subtitle !== undefined ? { subtitle: hide(card.subtitle) } : {}),
    tags: card.tags.map(hide),
    fields: card.fields.map((f) => ({ label: hide(f.label), value: hide(f.value) })),
    ...(link ? { link: { label: hide(link.label), url: link.url } } : {}),
  };
}

/** The card when the CRM could not be asked in time, or its answer was not understood. */
export function unavailableCard(): UiCard {
  return {
    kind: 'card',
    status: 'unavailable',
    title: 'CRM unavailable',
    subtitle: 'The customer record could not be loaded in time',
    tags: [],
    fields: [],
  };
}

/** The card when the CRM knows nobody by the number (or there is no number to look up). */
export function notFoundCard(subtitle = 'No customer with this number in the CRM'): UiCard {
  return { kind: 'card', status: 'notFound', title: 'Unknown caller', subtitle, tags: [], fields: [] };
}
