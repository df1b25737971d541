import { randomUUID } from 'node:crypto';

/** A promise with its resolver exposed; it never rejects. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  readonly settled: boolean;
}

/** Creates a {@link Deferred}. */
export function deferred<T>(): Deferred<T> {
  let resolveFn!: (value: T) => void;
  let settled = false;
  const promise = new Promise<T>((resolve) => {
    resolveFn = resolve;
  });
  return {
    promise,
    resolve(value: T) {
      if (settled) return;
      settled = true;
      resolveFn(value);
    },
    get settled() {
      return settled;
    },
  };
}

/** Resolves when `signal` aborts (never rejects). */
export function whenAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** An AbortController that also aborts when `parent` does. */
export function childController(parent: AbortSignal): AbortController {
  const ctrl = new AbortController();
  if (parent.aborted) ctrl.abort();
  else parent.addEventListener('abort', () => ctrl.abort(), { once: true });
  return ctrl;
}

/** A new random sid (jambonz uses v4 UUIDs for call sids). */
export function newSid(): string {
  return randomUUID();
}

/** Converts a camelCase key to snake_case the way FS `snakecase-keys` does. */
export function toSnake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Keys whose names and contents jambonz never snake-cases. */
const VERBATIM_KEYS = new Set(['customerData', 'sip', 'env_vars', 'args']);

/**
 * Recursively snake-cases object keys, except {@link VERBATIM_KEYS} (kept with their contents)
 * — mirrors FS `lib/utils/snakecase-keys.js`, applied to every webhook body.
 */
export function snakeCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => snakeCaseKeys(v));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (VERBATIM_KEYS.has(k)) out[k] = v;
    else out[toSnake(k)] = snakeCaseKeys(v);
  }
  return out;
}
