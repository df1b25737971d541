import { performance } from 'node:perf_hooks';
import type { UiCard } from '@switchboard/core/plugin';
import type { Logger } from 'pino';
import { z } from 'zod';
import { CARD_LIMITS, cardText, cardUrlSchema, notFoundCard, unavailableCard, withoutNumber } from './card.js';
import type { CrmScreenPopConfig } from './options.js';

/** Largest CRM answer read, in bytes: a customer search answers a few KB; more is a mistake. */
export const MAX_ANSWER_BYTES = 256 * 1024;
/** Numbers remembered at most (the oldest is forgotten first). */
const MAX_CACHED = 1000;

/** What {@link CrmScreenPopClient.lookupCard} takes besides the number; a hook's `ctx` fits. */
export interface LookupContext {
  /** Aborts the request early (the hook's deadline); the card then says the CRM is unavailable. */
  signal?: AbortSignal;
  /** Where failures are logged (the hook's logger); the client's own otherwise. */
  logger?: Logger;
}

/** Why the CRM counts as unavailable for one lookup (logged as `reason`). */
export type CrmFailure = 'timeout' | 'aborted' | 'network' | 'http_status' | 'too_large' | 'bad_json' | 'bad_answer';

const text = z.union([z.string(), z.number()]).nullish();

/**
 * One customer as the CRM answers it. Loose on purpose: unknown keys (phone, e-mail…) are
 * ignored, missing ones leave their row out, and every text is cleaned and cut to fit the card.
 */
const crmCustomer = z.object({
  id: text,
  name: text,
  company: text,
  level: text,
  owner: text,
  tags: z.array(z.unknown()).nullish(),
  lastOrder: z.object({ id: text, date: text, amount: text, summary: text }).nullish(),
  url: z.string().nullish(),
});

/** The CRM's answer to `GET <url>?phone=…`: the customers with that number, best match first. */
const crmAnswer = z.object({ items: z.array(z.unknown()) });

/** A customer record of the CRM, as this plugin reads it. */
export type CrmCustomer = z.output<typeof crmCustomer>;

/** Options of {@link CrmScreenPopClient}. */
export interface CrmScreenPopClientOptions extends CrmScreenPopConfig {
  logger: Logger;
  /** The wall clock the cache reads (core's `clock`; tests move it). */
  clock?: { now(): Date };
}

type FetchOutcome =
  { ok: true; customers: unknown[] } | { ok: false; reason: CrmFailure; status?: number; code?: string; err?: unknown };

/**
 * Asks the company's CRM who is calling and turns the answer into a screen-pop card.
 *
 * Never throws and never takes longer than `timeoutMs` (or the caller's `signal`): a slow,
 * failing or confused CRM gives an `unavailable` card and a warning in the log. Found and
 * not-found answers are remembered per number for `cacheTtlMs`.
 *
 * @example
 * const client = new CrmScreenPopClient({ url: 'https://crm.example.com/api/customers', timeoutMs: 600, cacheTtlMs: 60_000, logger })
 * const card = await client.lookupCard('13912345678', { signal })
 */
export class CrmScreenPopClient {
  private readonly url: URL;
  private readonly headers: Record<string, string>;
  private readonly cache = new Map<string, { card: UiCard; expiresAt: number }>();
  private readonly clock: { now(): Date };

  constructor(private readonly opts: CrmScreenPopClientOptions) {
    this.url = new URL(opts.url);
    this.headers = { accept: 'application/json' };
    const auth = opts.authHeader;
    if (typeof auth === 'string') this.headers.authorization = auth;
    else if (auth) this.headers[auth.name.toLowerCase()] = auth.value;
    this.clock = opts.clock ?? { now: () => new Date() };
  }

  /**
   * The screen-pop card of the customer with `number` (as received: `13912345678`,
   * `+8613912345678`…). `found` with the CRM's record, `notFound`, or `unavailable`. The card
   * never holds the number itself.
   */
  async lookupCard(number: string, ctx: LookupContext = {}): Promise<UiCard> {
    const phone = number.replace(/[\s().-]/g, '');
    // Anonymous or withheld callers ("anonymous", "") have nothing to look up.
    if (!/^\+?\d{3,20}$/.test(phone)) return notFoundCard('The caller withheld their number');

    const cached = this.cached(phone);
    if (cached) return cached;

    const log = ctx.logger ?? this.opts.logger;
    const started = performance.now();
    const outcome = await this.search(phone, ctx.signal);
    if (!outcome.ok) {
      log.warn(
        {
          crm: this.url.origin,
          reason: outcome.reason,
          ...(outcome.status !== undefined ? { status: outcome.status } : {}),
          ...(outcome.code !== undefined ? { code: outcome.code } : {}),
          ...(outcome.err !== undefined ? { err: outcome.err } : {}),
          durationMs: Math.round(performance.now() - started),
        },
        'CRM unavailable: the screen pop says so',
      );
      return unavailableCard();
    }
    let card: UiCard;
    if (outcome.customers.length === 0) {
      card = notFoundCard();
    } else {
      const first = crmCustomer.safeParse(outcome.customers[0]);
      if (!first.success) {
        log.warn(
          { crm: this.url.origin, reason: 'bad_answer' satisfies CrmFailure, issues: first.error.issues.slice(0, 5) },
          'CRM unavailable: the screen pop says so',
        );
        return unavailableCard();
      }
      card = withoutNumber(customerCard(first.data, outcome.customers.length), phone);
    }
    this.remember(phone, card);
    return card;
  }

  /** `GET <url>?phone=…` within the timeout; the customers found, or why not. */
  private async search(phone: string, parent: AbortSignal | undefined): Promise<FetchOutcome> {
    const timeout = AbortSignal.timeout(this.opts.timeoutMs);
    const signal = parent ? AbortSignal.any([parent, timeout]) : timeout;
    const url = new URL(this.url);
    url.searchParams.set('phone', phone);
    try {
      // No redirects: the credentials go to the configured address and nowhere else.
      const res = await fetch(url, { headers: this.headers, signal, redirect: 'error' });
      if (res.status === 404) {
        await res.body?.cancel();
        return { ok: true, customers: [] };
      }
      if (res.status !== 200) {
        await res.body?.cancel();
        return { ok: false, reason: 'http_status', status: res.status };
      }
      const body = await readCapped(res, MAX_ANSWER_BYTES);
      if (body === undefined) return { ok: false, reason: 'too_large', status: res.status };
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        // Not the error itself: its message quotes the body, which may hold customer data.
        return { ok: false, reason: 'bad_json', status: res.status };
      }
      const answer = crmAnswer.safeParse(json);
      if (!answer.success) return { ok: false, reason: 'bad_answer', status: res.status };
      return { ok: true, customers: answer.data.items };
    } catch (err) {
      if (timeout.aborted) return { ok: false, reason: 'timeout' };
      if (parent?.aborted) return { ok: false, reason: 'aborted' };
      // fetch() says "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND…).
      const code = (err as { cause?: { code?: unknown } }).cause?.code;
      return { ok: false, reason: 'network', err, ...(typeof code === 'string' ? { code } : {}) };
    }
  }

  private cached(phone: string): UiCard | undefined {
    const hit = this.cache.get(phone);
    if (!hit) return undefined;
    if (hit.expiresAt <= this.clock.now().getTime()) {
      this.cache.delete(phone);
      return undefined;
    }
    return structuredClone(hit.card);
  }

  private remember(phone: string, card: UiCard): void {
    if (this.opts.cacheTtlMs <= 0) return;
    this.cache.delete(phone);
    this.cache.set(phone, {
      card: structuredClone(card),
      expiresAt: this.clock.now().getTime() + this.opts.cacheTtlMs,
    });
    // A Map keeps insertion order: the first key is the oldest entry.
    if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
  }
}

/** The body as text, or undefined past `max` bytes (the rest is not read). */
async function readCapped(res: Response, max: number): Promise<string | undefined> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > max) {
    await res.body?.cancel();
    return undefined;
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The card of a found customer; `matches` is how many customers the CRM has with the number. */
function customerCard(c: CrmCustomer, matches: number): UiCard {
  const fields: UiCard['fields'] = [];
  const row = (label: string, value: unknown) => {
    const v = cardText(value, CARD_LIMITS.value);
    if (v) fields.push({ label, value: v });
  };
  row('Level', c.level);
  row('Owner', c.owner);
  if (c.lastOrder) {
    const o = c.lastOrder;
    row(
      'Last order',
      [o.id, o.summary, o.amount, o.date]
        .map((x) => cardText(x, CARD_LIMITS.value))
        .filter(Boolean)
        .join(' · '),
    );
  }
  row('Customer ID', c.id);
  if (matches > 1) row('Other matches', `${matches - 1} more with this number`);

  const tags = (c.tags ?? [])
    .map((t) => cardText(t, CARD_LIMITS.tag))
    .filter((t): t is string => t !== undefined)
    .slice(0, CARD_LIMITS.tags);
  const subtitle = cardText(c.company, CARD_LIMITS.subtitle);
  const link = c.url && cardUrlSchema.safeParse(c.url).success ? { label: 'Open in CRM', url: c.url } : undefined;
  return {
    kind: 'card',
    status: 'found',
    title: cardText(c.name, CARD_LIMITS.title) ?? 'Unnamed customer',
    ...(subtitle ? { subtitle } : {}),
    tags,
    fields: fields.slice(0, CARD_LIMITS.fields),
    ...(link ? { link } : {}),
  };
}
