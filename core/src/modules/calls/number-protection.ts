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
export function hideNumbers(value: string, numbers: readonly HiddenNumber[]): string {
  let out = value;
  for (const h of numbers) {
    const raw = typeof h === 'string' ? h : h.number;
    const n = raw.replace(/[^0-9]/g, '');
    if (n.length < MIN_PROTECTED_DIGITS) continue;
    const shown = typeof h === 'string' ? maskNumber(n) : h.shownAs;
    if (out.includes(n)) out = out.replaceAll(n, shown);
    else if (out.replace(SEPARATORS, '').includes(n)) out = shown;
  }
  return out;
}

/**
 * A number to hide in free text: a bare number is replaced by its masked form; `{ number,
 * shownAs }` by what the viewer sees instead (the customer's user ID, RT-08).
 */
export type HiddenNumber = string | { number: string; shownAs: string };

/**
 * How the numbers of one call appear to one viewer (RT-07, RT-08). Call it with any number of
 * the call; `hidden` lists the numbers to hunt in free text (variables, notes, plugin cards).
 */
export interface NumberView {
  (n: string): string;
  /** Numbers to hide inside free text, with what replaces them. */
  readonly hidden: readonly HiddenNumber[];
  /** False when the viewer sees every number as it is (staff, API keys, an unprotected tenant). */
  readonly alters: boolean;
}

/** The view of staff, API keys and tenants that neither protect nor map numbers. */
export const PLAIN_VIEW: NumberView = Object.assign((n: string) => n, { hidden: [], alters: false });

const digitsOf = (n: string): string => n.replace(/[^0-9]/g, '');

/**
 * The view of an agent (or of events agents receive). The customer's number shows as its alias
 * when the call has one (the user ID a `number.identify` plugin gave, RT-08), whether or not the
 * tenant protects numbers; other numbers of the call (a transfer target, an added party) are
 * masked when it does (RT-07).
 */
export function agentNumberView(opts: { customer: string | null; alias: string | null; protect: boolean }): NumberView {
  const { customer, alias, protect } = opts;
  if (!protect && alias === null) return PLAIN_VIEW;
  const customerDigits = customer === null ? '' : digitsOf(customer);
  const view = (n: string): string => {
    if (alias !== null && customerDigits !== '' && digitsOf(n) === customerDigits) return alias;
    return protect ? maskNumber(n) : n;
  };
  const hidden: HiddenNumber[] =
    customer === null ? [] : [alias !== null ? { number: customer, shownAs: alias } : customer];
  return Object.assign(view, { hidden, alters: true });
}

/**
 * What a `number.identify` answer may be shown as: 1–64 characters, no control characters, and
 * not holding the number itself (a plugin echoing it would defeat the hook) — else the masked
 * number.
 */
export function safeAlias(answer: unknown, number: string): string | null {
  if (!answer || typeof answer !== 'object') return null;
  const shownAs = (answer as { shownAs?: unknown }).shownAs;
  if (typeof shownAs !== 'string') return null;
  const v = shownAs.trim();
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (v.length === 0 || v.length > 64 || /[\u0000-\u001f\u007f]/.test(v)) return null;
  if (hideNumbers(v, [number]) !== v) return maskNumber(number);
  return v;
}

/** The customer's number of a session: the caller of an inbound call, the callee of an outbound one. */
export function customerNumber(s: { direction: string; caller: string; callee: string }): string {
  return s.direction === 'outbound' ? s.callee : s.caller;
}

/**
 * {@link hideNumbers} over every string inside a JSON value (plugin annotations, e.g. a CRM
 * card that shows the customer's phone): same shape, numbers masked.
 */
export function hideNumbersDeep<T>(value: T, numbers: readonly HiddenNumber[]): T {
  if (!numbers.length) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return hideNumbers(v, numbers);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/**
 * The two ends of a call as a viewer sees them: the customer's end through `view`; the company's
 * own number (IN-05, OUT-07) and the staff of an internal call as they are.
 */
export function partiesAsSeen(
  s: { direction: string; caller: string; callee: string },
  view: NumberView,
): { caller: string; callee: string } {
  return {
    caller: s.direction === 'inbound' ? view(s.caller) : s.caller,
    callee: s.direction === 'outbound' ? view(s.callee) : s.callee,
  };
}
