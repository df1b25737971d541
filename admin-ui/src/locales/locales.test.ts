import { describe, expect, it } from 'vitest';
import { LOCALES, messages } from './index';

/** `{ a: { b: 'x' } }` → `['a.b']`. */
function keys(obj: unknown, prefix = ''): string[] {
  if (typeof obj !== 'object' || obj === null) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function leaf(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj);
}

/** `{name}`-style placeholders of a message. */
function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\s*([A-Za-z0-9_]+)\s*\}/g)].map((m) => m[1]!).sort();
}

describe('locales', () => {
  const zh = messages['zh-CN']!;
  const en = messages.en!;

  it('zh-CN and English have the same namespaces (one JSON file per feature)', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    expect(Object.keys(zh).length).toBeGreaterThan(0);
    expect([...LOCALES]).toEqual(['zh-CN', 'en']);
  });

  it('every key exists in both languages', () => {
    expect(keys(en).sort()).toEqual(keys(zh).sort());
  });

  it('every message is a non-empty text with the same placeholders in both languages', () => {
    for (const k of keys(zh)) {
      const a = leaf(zh, k);
      const b = leaf(en, k);
      expect(typeof a === 'string' && a.trim().length > 0, `zh-CN ${k}`).toBe(true);
      expect(typeof b === 'string' && b.trim().length > 0, `en ${k}`).toBe(true);
      expect(placeholders(b as string), k).toEqual(placeholders(a as string));
    }
  });
});
