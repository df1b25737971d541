import { distance } from 'fastest-levenshtein';
import type { z } from 'zod';

/**
 * The candidate `word` most likely meant (a typo: `numberProtecton` → `numberProtection`), or
 * undefined when none is close. Case is ignored (`timeZone` → `timezone`); "close" is at most
 * a third of the word's length in edits, but 2 at least and 3 at most.
 */
export function nearestName(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const c of candidates) {
    const d = distance(w, c.toLowerCase());
    if (!best || d < best.d) best = { name: c, d };
  }
  if (!best) return undefined;
  // Two edits at least: a swapped pair of letters (`emial`) costs two in Levenshtein distance.
  const limit = Math.min(3, Math.max(2, Math.floor(word.length / 3)));
  return best.d <= limit ? best.name : undefined;
}

type Def = {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
};
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Looks through wrappers (optional, nullable, default, pipe…) to the schema that parses. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let i = 0; i < 20; i++) {
    const def = defOf(s);
    if (def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else break;
  }
  return s;
}

/** The keys an object schema at `path` inside `root` declares (undefined when it cannot tell). */
export function declaredKeysAt(root: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  let s = unwrap(root);
  for (const seg of path) {
    const def = defOf(s);
    if (def.type === 'object' && def.shape && typeof seg === 'string' && def.shape[seg]) s = unwrap(def.shape[seg]);
    else if (def.type === 'array' && def.element && typeof seg === 'number') s = unwrap(def.element);
    else return undefined;
  }
  const def = defOf(s);
  return def.type === 'object' && def.shape ? Object.keys(def.shape) : undefined;
}

/** One refusal as `details[]` carries it. */
export interface IssueDetail {
  path: string;
  message: string;
  code: string;
  /** For an unknown field: the declared field it most likely meant. */
  suggestion?: string;
}

/**
 * Turns zod issues into `details[]`. An unknown field (strict objects) becomes one entry per
 * field, whose path names the field itself and whose message suggests the nearest declared
 * field, or lists them when none is near: a typo must be obvious from the answer alone.
 */
export function issueDetails(schema: z.ZodType, issues: readonly z.core.$ZodIssue[], where: string): IssueDetail[] {
  const out: IssueDetail[] = [];
  for (const i of issues) {
    if (i.code !== 'unrecognized_keys') {
      out.push({ path: [where, ...i.path].join('.'), message: i.message, code: i.code });
      continue;
    }
    const declared = declaredKeysAt(schema, i.path) ?? [];
    for (const key of i.keys) {
      const suggestion = nearestName(key, declared);
      const hint = suggestion
        ? `; did you mean "${suggestion}"?`
        : declared.length > 0 && declared.length <= 12
          ? `; allowed: ${declared.join(', ')}`
          : '';
      out.push({
        path: [where, ...i.path, key].join('.'),
        message: `unknown field "${key}"${hint}`,
        code: i.code,
        ...(suggestion ? { suggestion } : {}),
      });
    }
  }
  return out;
}
