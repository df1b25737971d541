/**
 * What the dial pad makes of typed or pasted text (OUT-03, ui-anchors W7 "输入或粘贴"): people
 * paste numbers from chats, CRMs and spreadsheets with spaces, dashes, dots, brackets, full-width
 * digits, a `tel:` prefix or words around them. The pad keeps the digits (and one leading `+`) so
 * what the agent sees is what is dialled; the server applies the same rule again.
 */

/** The shape the server dials: an optional leading `+`, then 5 to 20 digits (core `outbound/phone.ts`). */
export const DIALLABLE = /^\+?[0-9]{5,20}$/;

/** Longest input kept (a pasted paragraph is cut, not dialled). */
export const MAX_DIAL_LENGTH = 21;

/**
 * The number in `raw` as the pad keeps it: Unicode-folded (full-width digits and plus become
 * ASCII), a `tel:`/`sip:` scheme dropped, then only digits and a leading `+`.
 *
 * @example
 * normalizeDialInput(' +86 (139) 0000-1003 ') // '+8613900001003'
 * normalizeDialInput('tel:139.0000.1003')     // '13900001003'
 * normalizeDialInput('１３９ ０００ ０１００３')   // '13900001003'
 */
export function normalizeDialInput(raw: string): string {
  const folded = raw
    .normalize('NFKC')
    .trim()
    .replace(/^(tel|sip|callto):/i, '');
  // A customer's ID (number mapping, OUT-10) is dialled as typed: stripping its letters would
  // dial the digits of the ID as if they were a number.
  if (isCustomerId(folded)) return folded;
  const plus = /^\s*\+/.test(folded);
  const digits = folded.replace(/[^0-9]/g, '');
  return ((plus ? '+' : '') + digits).slice(0, MAX_DIAL_LENGTH);
}

/** What separates a number from its extension in pasted text: `,` `;` `ext` `x` `转` `分机`. */
const EXTENSION_MARK = /\s*(?:[,;，；]|\b(?:ext|extn|x)\.?|转|分机号?)\s*/i;

/**
 * A pasted number with an extension (`010-6000 1234 转 8001`, `+1 555 0100 ext. 12`) split in
 * two: the number to dial and the digits to key in once connected (OUT-06). Without a mark the
 * whole text is the number.
 *
 * @example
 * splitExtension('010-6000 1234 转 8001') // { number: '01060001234', extension: '8001' }
 */
export function splitExtension(raw: string): { number: string; extension: string } {
  const folded = raw.normalize('NFKC');
  const m = EXTENSION_MARK.exec(folded);
  if (!m || m.index === 0) return { number: normalizeDialInput(folded), extension: '' };
  const extension = folded
    .slice(m.index + m[0].length)
    .replace(/[^0-9*#]/g, '')
    .slice(0, 32);
  return { number: normalizeDialInput(folded.slice(0, m.index)), extension };
}

/** Longest customer ID the server takes. */
export const MAX_CUSTOMER_ID_LENGTH = 64;

/**
 * Whether the pad holds a customer's ID rather than a number (OUT-10: under number mapping
 * agents know customers by the company's user ID and dial by it; the server finds the number).
 * An ID starts with a letter and is one word: letters, digits, `_`, `-`, `.`.
 *
 * @example
 * isCustomerId('U10023')          // true
 * isCustomerId('Mobile: 139 0000') // false (words around a number)
 */
export function isCustomerId(text: string): boolean {
  return text.length <= MAX_CUSTOMER_ID_LENGTH && /^\p{L}[\p{L}\p{N}_.-]*$/u.test(text);
}

/** Why a normalised number cannot be dialled yet, or null when it can (a customer ID always can). */
export function dialProblem(number: string): 'empty' | 'tooShort' | 'tooLong' | null {
  if (isCustomerId(number)) return null;
  const digits = number.replace(/^\+/, '');
  if (digits.length === 0) return 'empty';
  if (digits.length < 5) return 'tooShort';
  if (digits.length > 20) return 'tooLong';
  return null;
}

/** Keys of the DTMF pad after connect (OUT-06), as the server accepts them. */
export const DTMF_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;
export type DtmfKey = (typeof DTMF_KEYS)[number];

/** Letters printed under the keys of a phone pad (ITU E.161), shown as a hint. */
export const KEY_LETTERS: Record<string, string> = {
  '2': 'ABC',
  '3': 'DEF',
  '4': 'GHI',
  '5': 'JKL',
  '6': 'MNO',
  '7': 'PQRS',
  '8': 'TUV',
  '9': 'WXYZ',
};

/** Whether a key press is a DTMF key (for typing digits on the keyboard after connect). */
export function isDtmfKey(key: string): key is DtmfKey {
  return (DTMF_KEYS as readonly string[]).includes(key);
}
