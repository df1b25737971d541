import { z } from 'zod';

/**
 * What people paste around the digits of a phone number, after Unicode compatibility folding
 * (full-width digits and brackets become ASCII): white space, dashes of every kind, brackets,
 * dots and slashes — `+86 (139) 0000-1003`, `139.0000.1003`, `（139）0000 1003`.
 */
const SEPARATORS = /[\s\-\u2010-\u2015\u2212()[\]{}./]/gu;

/** A customer's number once the separators are gone: an optional leading +, then 5–20 digits. */
const DIALLABLE = /^\+?[0-9]{5,20}$/;

/**
 * The number as people type or paste it, without the separators (a leading + kept). Not a
 * validation: see {@link dialledNumber}.
 *
 * @example
 * stripSeparators(' +86 (139) 0000-1003 ') // '+8613900001003'
 */
export function stripSeparators(raw: string): string {
  return raw.normalize('NFKC').replace(SEPARATORS, '');
}

/**
 * The number as stored and dialled: digits only, like the numbers of inbound callers (a
 * leading + dropped), so a customer dialled out is the same customer when they call back
 * (routing memory, blacklist).
 */
export function storedNumber(dialled: string): string {
  return dialled.replace(/^\+/, '');
}

/**
 * A customer's phone number as the dial pad sends it (OUT-03): paste-tolerant — spaces, dashes,
 * dots, slashes and brackets are dropped — then it must be digits (5 to 20) with an optional
 * leading +. Anything else is `400 validation_failed` naming the field.
 */
export const dialledNumber = z
  .string()
  .max(64)
  .transform(stripSeparators)
  .pipe(z.string().regex(DIALLABLE, 'a phone number: 5 to 20 digits, optionally a leading +'))
  .meta({
    description:
      'The customer’s number; spaces, dashes, dots, slashes and brackets are ignored (“+86 (139) 0000-1003”)',
    example: '139 0000 1003',
  });
