/** Largest `call.incoming` annotations one plugin may return, in bytes of UTF-8 JSON. */
export const MAX_ANNOTATION_BYTES = 16 * 1024;

/** Why a plugin's annotations were refused: what the log and the metric say. */
export type AnnotationProblem =
  | { reason: 'not_an_object'; detail: string }
  | { reason: 'not_json'; detail: string }
  | { reason: 'too_large'; detail: string };

// Every JSON value takes at least one byte, so past this many values the limit is already
// exceeded: the walk stops there instead of visiting a huge structure.
const MAX_VALUES = MAX_ANNOTATION_BYTES;
// NUL is valid JSON but PostgreSQL's jsonb refuses it, and a lone surrogate does not survive
// UTF-8: both would make the session write throw.
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const UNSTORABLE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Checks what one plugin returned as `call.incoming` annotations: a plain object whose every
 * value round-trips through JSON unchanged (no `undefined`, functions, symbols, BigInt,
 * NaN/Infinity, `Date` or other class instances, getters that throw, cycles, NUL characters
 * or lone surrogates), at most {@link MAX_ANNOTATION_BYTES} of UTF-8 JSON.
 *
 * @returns the serialised size when the annotations are fine, else the problem.
 *
 * @example
 * checkAnnotations({ customerId: 'c-42' })   // { ok: true, bytes: 22 }
 * checkAnnotations({ since: new Date() })    // { ok: false, reason: 'not_json', detail: 'since: a Date is not JSON' }
 */
export function checkAnnotations(value: unknown): { ok: true; bytes: number } | ({ ok: false } & AnnotationProblem) {
  if (!isPlainObject(value)) {
    return { ok: false, reason: 'not_an_object', detail: `annotations must be a plain object, got ${describe(value)}` };
  }
  try {
    const problem = walk(value);
    if (problem) return { ok: false, ...problem };
    const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
    if (bytes > MAX_ANNOTATION_BYTES) {
      return {
        ok: false,
        reason: 'too_large',
        detail: `annotations are ${bytes} bytes of JSON, more than ${MAX_ANNOTATION_BYTES}`,
      };
    }
    return { ok: true, bytes };
  } catch (err) {
    // A getter or proxy trap that throws: the value cannot be read, so it cannot be stored.
    return { ok: false, reason: 'not_json', detail: `annotations could not be read: ${String(err)}` };
  }
}

function walk(root: Record<string, unknown>): AnnotationProblem | undefined {
  const ancestors = new Set<object>();
  let count = 0;
  const visit = (v: unknown, path: string): AnnotationProblem | undefined => {
    if (++count > MAX_VALUES) {
      return { reason: 'too_large', detail: `annotations hold more than ${MAX_VALUES} values` };
    }
    const at = path || '(root)';
    switch (typeof v) {
      case 'string':
        return UNSTORABLE_TEXT.test(v)
          ? { reason: 'not_json', detail: `${at}: text with a NUL character or a lone surrogate` }
          : undefined;
      case 'boolean':
        return undefined;
      case 'number':
        return Number.isFinite(v) ? undefined : { reason: 'not_json', detail: `${at}: ${v} is not a JSON number` };
      case 'object':
        break;
      default:
        return { reason: 'not_json', detail: `${at}: ${describe(v)} is not JSON` };
    }
    if (v === null) return undefined;
    if (ancestors.has(v)) return { reason: 'not_json', detail: `${at}: a cycle is not JSON` };
    const isArray = Array.isArray(v);
    if (!isArray && !isPlainObject(v)) return { reason: 'not_json', detail: `${at}: ${describe(v)} is not JSON` };
    if (Object.getOwnPropertySymbols(v).length > 0) {
      return { reason: 'not_json', detail: `${at}: symbol keys are not JSON` };
    }
    ancestors.add(v);
    if (isArray) {
      const arr = v as unknown[];
      for (let i = 0; i < arr.length; i++) {
        // A hole reads as undefined and would come back as null.
        const p =
          i in arr ? visit(arr[i], `${path}[${i}]`) : { reason: 'not_json' as const, detail: `${path}[${i}]: a hole` };
        if (p) return p;
      }
    } else {
      for (const [k, child] of Object.entries(v)) {
        const childPath = path ? `${path}.${k}` : k;
        if (UNSTORABLE_TEXT.test(k))
          return { reason: 'not_json', detail: `${at}: a key with a NUL character or a lone surrogate` };
        const p = visit(child, childPath);
        if (p) return p;
      }
    }
    ancestors.delete(v);
    return undefined;
  };
  return visit(root, '');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') {
    const name = (Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null)?.constructor?.name;
    return name ? `a ${name}` : 'an object';
  }
  if (typeof v === 'bigint') return 'a BigInt';
  return `a ${typeof v}`;
}
