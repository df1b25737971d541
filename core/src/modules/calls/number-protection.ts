import type { TenantRow } from '../tenants/schema.js';
import { readSetting } from '../tenants/settings-schema.js';

/**
 * Whether a tenant hides customer numbers from agents (RT-07): the typed setting
 * `numberProtection` (ADR 0011); unset or malformed = off.
 */
export function numberProtectionOn(tenant: Pick<TenantRow, 'settings'> | undefined): boolean {
  return readSetting(tenant?.settings, 'numberProtection');
}

/**
 * Masks the four digits before the last four (RT-07): `13812345678` → `138****5678`. Numbers
 * shorter than eight digits keep only their last two visible, so nothing protected leaks.
 */
export function maskNumber(n: string): string {
  const d = n.replace(/\s/g, '');
  if (d.length >= 8) return `${d.slice(0, d.length - 8)}****${d.slice(-4)}`;
  if (d.length <= 2) return '*'.repeat(d.length);
  return '*'.repeat(d.length - 2) + d.slice(-2);
}

/** Shorter "numbers" (extensions, menu keys) would match ordinary values, so they are not hunted. */
const MIN_PROTECTED_DIGITS = 6;
/** What may sit between a number's digits when a flow stores it formatted (`+86 138-1234-5678`). */
const SEPARATORS = /[\s+\-().]/g;

/**
 * A variable value with the customer's numbers hidden (RT-07): a flow may copy the caller's
 * number into a variable (`${SystemCallerNumber}`, an HTTP node's answer), and variables reach
 * agents. Each occurrence is replaced by its {@link maskNumber} form; a value that holds the
 * number only once separators are removed (`138 1234 5678`) is replaced whole.
 */
export function hideNumbers(value: string, numbers: readonly string[]): string {
  let out = value;
  for (const raw of numbers) {
    const n = raw.replace(/[^0-9]/g, '');
    if (n.length < MIN_PROTECTED_DIGITS) continue;
    if (out.includes(n)) out = out.replaceAll(n, maskNumber(n));
    else if (out.replace(SEPARATORS, '').includes(n)) out = maskNumber(n);
  }
  return out;
}

/** The customer's number of a session: the caller of an inbound call, the callee of an outbound one. */
export function customerNumber(s: { direction: string; caller: string; callee: string }): string {
  return s.direction === 'outbound' ? s.callee : s.caller;
}

/**
 * {@link hideNumbers} over every string inside a JSON value (plugin annotations, e.g. a CRM
 * card that shows the customer's phone): same shape, numbers masked.
 */
export function hideNumbersDeep<T>(value: T, numbers: readonly string[]): T {
  if (!numbers.length) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return hideNumbers(v, numbers);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
