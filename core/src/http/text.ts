import { z } from 'zod';

/*
 * The one text schema of the API. Every free-text field a client sends (names, labels,
 * prompts, notes…) is built here, so "what text do we accept" has one answer:
 * - no control characters: NUL first of all, which PostgreSQL refuses in `text` and `jsonb`
 *   alike (a 500 before this existed), but also the rest of C0/C1 and DEL, which have no
 *   place in a name shown in a browser, a log line or a TTS prompt; `\t \n \r` only in
 *   multi-line text (notes, prompts);
 * - no lone UTF-16 surrogates (`"\ud800"` is valid JSON but not text: it would be stored as
 *   U+FFFD and read back different from what was sent);
 * - a bounded length, always.
 * A refusal is the ordinary `400 validation_failed` whose `details[].path` names the field.
 */

/** Message of a refusal, shared with the route guard that looks for NUL anywhere. */
export const CONTROL_CHARACTERS_MESSAGE = 'must not contain control characters (such as NUL)';

/** Any text without control characters or lone surrogates. */
const SINGLE_LINE = /^[^\p{Cc}\p{Cs}]*$/u;
/** As {@link SINGLE_LINE}, plus tab, line feed and carriage return. */
const MULTI_LINE = /^(?:[\t\n\r]|[^\p{Cc}\p{Cs}])*$/u;

/** Options of {@link singleLine} and {@link multiLine}. */
export interface TextOptions {
  /** Fewest characters after trimming (default 1: blank text is refused). */
  min?: number;
  /** Trim leading and trailing white space before checking (default true). */
  trim?: boolean;
}

function text(max: number, pattern: RegExp, opts: TextOptions): z.ZodString {
  const base = opts.trim === false ? z.string() : z.string().trim();
  return base
    .min(opts.min ?? 1)
    .max(max)
    .regex(pattern, CONTROL_CHARACTERS_MESSAGE);
}

/**
 * One line of text: a name, a label, a staff number. Trimmed, 1…`max` characters, no
 * control characters at all.
 *
 * @example
 * body: z.object({ name: singleLine(100) })
 */
export function singleLine(max: number, opts: TextOptions = {}): z.ZodString {
  return text(max, SINGLE_LINE, opts);
}

/**
 * Text that may span lines (notes, prompts, messages): as {@link singleLine}, but `\t`, `\n`
 * and `\r` are allowed inside.
 */
export function multiLine(max: number, opts: TextOptions = {}): z.ZodString {
  return text(max, MULTI_LINE, opts);
}

/** Deepest nesting of arrays and objects a request may send (PostgreSQL's jsonb and `JSON.stringify` have limits too). */
export const MAX_JSON_DEPTH = 32;

/** What {@link findUnstorable} found, with the path of keys to it. */
export interface UnstorableValue {
  path: Array<string | number>;
  message: string;
}

/**
 * The first place in `value` (a parsed JSON body, query or params) that no column could
 * store: a string or an object key holding NUL, or nesting deeper than {@link MAX_JSON_DEPTH}.
 * PostgreSQL stores NUL in neither `text` nor `jsonb`, so the router refuses it everywhere,
 * including fields typed as free JSON (tenant settings) and secrets never stored as sent
 * (passwords). Iterative on purpose: a 1 MB body of `[[[[…` must not overflow the stack.
 */
export function findUnstorable(value: unknown): UnstorableValue | undefined {
  const stack: Array<{ v: unknown; path: Array<string | number> }> = [{ v: value, path: [] }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return { path, message: CONTROL_CHARACTERS_MESSAGE };
      continue;
    }
    if (!v || typeof v !== 'object') continue;
    if (path.length >= MAX_JSON_DEPTH) {
      return { path, message: `must not nest arrays or objects more than ${MAX_JSON_DEPTH} deep` };
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: [...path, i] });
      continue;
    }
    for (const [k, x] of Object.entries(v).reverse()) {
      if (k.includes('\u0000')) return { path: [...path, k], message: CONTROL_CHARACTERS_MESSAGE };
      stack.push({ v: x, path: [...path, k] });
    }
  }
  return undefined;
}
