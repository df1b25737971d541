/**
 * What both frontends show on a call card: the cards plugins put on a call (core's `UiCard`, a
 * CRM's customer: INT-02 in the web app, MP-05 in the mini-program) and where the caller's
 * number is from (IN-06). A plugin's output is not trusted: anything that is not a well-formed
 * card is left out, and a card keeps its link only when it is http(s).
 *
 * One source for the web app (`admin-ui`, Vite) and the agent mini-program (`miniprogram`, Taro
 * and webpack), which build separately: each imports it from source as `@shared/call-card`
 * (an alias in its bundler config and a `paths` entry in its tsconfig), as the web app imports
 * `@switchboard/sdk/protocol`. It lives outside `sdk/` because it is no part of what the SDK
 * gives integrators (`sdk/` would ship its declarations in `dist/types`).
 *
 * Free of dependencies, DOM, Vue and Taro, so either bundler compiles it as it is. The shapes
 * equal the server's (`core/src/plugins/types.ts`, `core/src/modules/caller-location/lookup.ts`)
 * without importing server code into a bundle: `admin-ui/test/call-card.test.ts` compares them.
 *
 * @packageDocumentation
 */

/**
 * A card a plugin puts on a call, keyed by plugin in the call's annotations: core's `UiCard`.
 * Shown as it comes, text only (never HTML).
 */
export interface UiCard {
  kind: 'card';
  /**
   * `found`: the system knows the customer; `notFound`: it answered and knows nobody by that
   * number; `unavailable`: it could not be asked in time (slow, down, or an answer not understood).
   */
  status: 'found' | 'notFound' | 'unavailable';
  /** The headline: the customer's name, or what went wrong. */
  title: string;
  /** A second line (company, explanation). */
  subtitle?: string;
  /** Short labels shown as chips, in order. */
  tags: string[];
  /** Label/value rows, in order. */
  fields: Array<{ label: string; value: string }>;
  /** Where the full record lives (http or https only), opened in a new tab. */
  link?: { label: string; url: string };
}

/** Names of one place and carrier in one language; null where the data has none. */
export interface PlaceNames {
  /** `广东省` (zh-CN), `Guangdong` (en). */
  province: string | null;
  /** `广州市`; for a municipality the municipality itself (`北京市`). */
  city: string | null;
  /** The carrier the number range was given to (mobile numbers only): `中国移动`, `China Mobile`. */
  carrier: string | null;
}

/** Where a Chinese number is from (IN-06), as the server sends it: zh-CN names at the top level, English in `en`. */
export interface CallerLocation extends PlaceNames {
  en: PlaceNames;
  /** `mobile` (a mobile number range) or `fixedLine` (an area code). */
  lineType: 'mobile' | 'fixedLine';
}

/** What {@link locationText} reads of a location: the names, and the English ones when there are any. */
export type LocationNames = PlaceNames & { en?: PlaceNames | null };

function isString(v: unknown): v is string {
  return typeof v === 'string';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/**
 * A link a card may open: http(s) only (a `javascript:` URL from a plugin must never run).
 *
 * @returns the URL, normalised; null when it is not an absolute http(s) URL.
 * @example
 * safeLink('https://crm.example.com/c/1'); // 'https://crm.example.com/c/1'
 * safeLink('javascript:alert(1)'); // null
 */
export function safeLink(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}

/**
 * Whether a value is a {@link UiCard} a frontend can show, checked field by field (a plugin's
 * output is not trusted): a known status, text where text is expected, and a link, if any, with
 * a text label and URL. It does not judge the URL: {@link cardsOf} drops a link that is not
 * http(s), and {@link safeLink} checks one.
 */
export function isUiCard(v: unknown): v is UiCard {
  if (!isObject(v)) return false;
  return (
    v.kind === 'card' &&
    (v.status === 'found' || v.status === 'notFound' || v.status === 'unavailable') &&
    isString(v.title) &&
    (v.subtitle === undefined || isString(v.subtitle)) &&
    Array.isArray(v.tags) &&
    v.tags.every(isString) &&
    Array.isArray(v.fields) &&
    v.fields.every((f) => isObject(f) && isString(f.label) && isString(f.value)) &&
    (v.link === undefined || (isObject(v.link) && isString(v.link.label) && isString(v.link.url)))
  );
}

/**
 * The value without a link no frontend may open (not a text label and an http(s) URL): the rest
 * of the card still shows, as it did before the link was checked here.
 */
function withoutUnsafeLink(v: unknown): unknown {
  if (!isObject(v) || v.link === undefined) return v;
  const { link, ...rest } = v;
  return isObject(link) && isString(link.label) && isString(link.url) && safeLink(link.url) !== null ? v : rest;
}

/**
 * The plugin cards among a call's annotations, in key order. Anything else is left out; a card's
 * link that is not http(s) (or not a link at all) is dropped and the card kept, so what this
 * returns is safe to render, link included.
 *
 * @example
 * cardsOf({ screenPop: { kind: 'card', status: 'found', title: 'Wei Li', tags: [], fields: [] }, other: 1 });
 * // [{ key: 'screenPop', card: { kind: 'card', status: 'found', title: 'Wei Li', tags: [], fields: [] } }]
 */
export function cardsOf(annotations: Record<string, unknown> | null | undefined): Array<{ key: string; card: UiCard }> {
  const cards: Array<{ key: string; card: UiCard }> = [];
  for (const [key, value] of Object.entries(annotations ?? {})) {
    const card = withoutUnsafeLink(value);
    if (isUiCard(card)) cards.push({ key, card });
  }
  return cards;
}

/**
 * Where a number is from, in the agent's language: `广东省 广州市 · 中国移动` (zh-CN), `Guangzhou,
 * Guangdong · China Mobile` (a language starting with `en`, when the location has English names;
 * otherwise the zh-CN names). A municipality is named once (`北京市`, `Beijing`).
 *
 * @returns the text; null when nothing is known.
 */
export function locationText(loc: LocationNames | null | undefined, lang: string): string | null {
  if (!loc) return null;
  const en = lang.startsWith('en') && loc.en ? loc.en : null;
  const names = en ?? loc;
  const place = en
    ? [names.city, names.province].filter((p, i, a) => p && a.indexOf(p) === i).join(', ')
    : [names.province, names.city].filter((p, i, a) => p && a.indexOf(p) === i).join(' ');
  const parts = [place, names.carrier].filter((p): p is string => !!p);
  return parts.length ? parts.join(' · ') : null;
}
