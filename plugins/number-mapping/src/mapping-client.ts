import { maskNumber, type PluginCoreServices } from '@switchboard/core/plugin';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { NumberMappingSettings } from './settings.js';

/** Most answers remembered, per direction, over all tenants. */
const MAX_CACHED = 20_000;
/** What a user ID may look like: what the core shows agents (1–64 characters, no controls). */
// eslint-disable-next-line no-control-regex -- control characters are what is refused
const USER_ID = /^[^\u0000-\u001f\u007f]{1,64}$/;
/** A number the API may answer with, separators allowed. */
const NUMBER = /^\+?[0-9][0-9\s\-()]{2,30}$/;

/** Where an identification came from (logged, and what tests look at). */
export type IdentifySource = 'api' | 'cache' | 'unknown' | 'unavailable';

/** What agents see for a number, and why. */
export interface Identified {
  shownAs: string;
  source: IdentifySource;
}

/** What the client needs from the host. */
export interface MappingClientDeps {
  /** The wall clock the cache reads (core's `clock`; tests move it). */
  clock: PluginCoreServices['clock'];
  logger: Logger;
}

/**
 * Talks to a company's mapping API (RT-08, OUT-10): number → user ID for what agents see, user
 * ID → number when an agent dials by ID. Answers are cached per tenant for the tenant's
 * `cacheTtlSeconds` (both ways: an ID just shown is dialled back without a request); failures
 * are not cached, so the next call asks again.
 *
 * @example
 * const client = new NumberMappingClient({ clock, logger })
 * await client.identify('tenant-1', '13912345678', settings, signal) // { shownAs: 'U10023', source: 'api' }
 */
export class NumberMappingClient {
  private readonly ids: LRUCache<string, string>;
  private readonly numbers: LRUCache<string, string>;

  constructor(private readonly d: MappingClientDeps) {
    // Each entry gets the tenant's own life (`set(…, { ttl })`); the cache reads core's clock on
    // every look-up (ttlResolution 0: no remembered "now" that would outlive a moved clock).
    const opts = { max: MAX_CACHED, ttl: 1, ttlResolution: 0, perf: { now: () => d.clock.now().getTime() } };
    this.ids = new LRUCache<string, string>(opts);
    this.numbers = new LRUCache<string, string>(opts);
  }

  /**
   * The user ID agents see for `number`; the masked number when the API knows nobody by it
   * (`unknown`) or could not say in time (`unavailable`). Never throws.
   */
  async identify(
    tenantId: string,
    number: string,
    settings: NumberMappingSettings,
    signal: AbortSignal,
  ): Promise<Identified> {
    const key = `${tenantId}\n${number}`;
    const cached = this.ids.get(key);
    if (cached !== undefined) return { shownAs: cached || maskNumber(number), source: 'cache' };
    const url = settings.identifyUrl.replaceAll('{number}', encodeURIComponent(number));
    const answer = await this.ask(url, settings, signal, 'userId', USER_ID);
    if (answer.kind === 'failed') {
      this.d.logger.warn({ tenantId, reason: answer.reason }, 'mapping API unavailable: agents see the masked number');
      return { shownAs: maskNumber(number), source: 'unavailable' };
    }
    const ttl = settings.cacheTtlSeconds * 1000;
    if (answer.kind === 'none') {
      // Remembered as "nobody", so an unknown caller does not cost a request per call.
      if (ttl > 0) this.ids.set(key, '', { ttl });
      return { shownAs: maskNumber(number), source: 'unknown' };
    }
    if (ttl > 0) {
      this.ids.set(key, answer.value, { ttl });
      this.numbers.set(`${tenantId}\n${answer.value}`, number, { ttl });
    }
    return { shownAs: answer.value, source: 'api' };
  }

  /** The number behind a user ID an agent dials; undefined when unknown, unavailable or not configured. */
  async resolve(
    tenantId: string,
    id: string,
    settings: NumberMappingSettings,
    signal: AbortSignal,
  ): Promise<string | undefined> {
    const key = `${tenantId}\n${id}`;
    const cached = this.numbers.get(key);
    if (cached !== undefined) return cached;
    if (!settings.resolveUrl) return undefined;
    const url = settings.resolveUrl.replaceAll('{id}', encodeURIComponent(id));
    const answer = await this.ask(url, settings, signal, 'number', NUMBER);
    if (answer.kind === 'failed') {
      this.d.logger.warn({ tenantId, reason: answer.reason }, 'mapping API unavailable: cannot dial by ID');
      return undefined;
    }
    if (answer.kind === 'none') return undefined;
    const ttl = settings.cacheTtlSeconds * 1000;
    if (ttl > 0) this.numbers.set(key, answer.value, { ttl });
    return answer.value;
  }

  private async ask(
    url: string,
    settings: NumberMappingSettings,
    signal: AbortSignal,
    field: 'userId' | 'number',
    shape: RegExp,
  ): Promise<{ kind: 'value'; value: string } | { kind: 'none' } | { kind: 'failed'; reason: string }> {
    let res: Response;
    try {
      res = await fetch(url, {
        headers: { accept: 'application/json', ...(settings.authHeader ? { authorization: settings.authHeader } : {}) },
        // The hook's own deadline, or the tenant's shorter one: whichever comes first.
        signal: AbortSignal.any([signal, AbortSignal.timeout(settings.timeoutMs)]),
      });
    } catch (err) {
      return { kind: 'failed', reason: (err as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable' };
    }
    if (res.status === 404) {
      await res.body?.cancel();
      return { kind: 'none' };
    }
    if (!res.ok) {
      await res.body?.cancel();
      return { kind: 'failed', reason: `HTTP ${res.status}` };
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch (err) {
      return { kind: 'failed', reason: (err as Error).name === 'TimeoutError' ? 'timeout' : 'not JSON' };
    }
    const value = (body as Record<string, unknown> | null)?.[field];
    if (value === null || value === undefined) return { kind: 'none' };
    if (typeof value !== 'string' || !shape.test(value.trim())) return { kind: 'failed', reason: `bad ${field}` };
    return { kind: 'value', value: value.trim() };
  }
}
