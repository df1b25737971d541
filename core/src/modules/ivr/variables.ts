import type { Prompt } from './flow-model.js';

/** `${Name}` inside a text. */
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]{0,63})\}/g;

/** The variable names a text refers to, in order, without repeats. */
export function referencedVariables(text: string): string[] {
  return [...new Set([...text.matchAll(REFERENCE)].map((m) => m[1]!))];
}

/** Replaces every `${Name}` by its value; unknown names become empty. */
export function interpolate(text: string, lookup: (name: string) => string | undefined): string {
  return text.replace(REFERENCE, (_all, name: string) => lookup(name) ?? '');
}

/** A prompt with its `${Var}` filled in (TTS text only; URLs and audio ids are taken as they are). */
export function interpolatePrompt(prompt: Prompt, lookup: (name: string) => string | undefined): Prompt {
  return prompt.kind === 'say' ? { kind: 'say', text: interpolate(prompt.text, lookup) } : prompt;
}

/** Reads a dotted path (`data.agent.staffNo`, `items.0.id`) from a JSON value. */
export function readPath(value: unknown, path: string): unknown {
  let cur = value;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** A JSON value as a variable holds it: text; objects and arrays as JSON; null/undefined as absent. */
export function asVariableValue(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
