/**
 * The first load of the web app stays small: the JavaScript `index.html` loads before any
 * route's own chunk (the entry and everything it preloads) must be at most 350 KB gzipped, and
 * the heavy optional parts (the SIP stack, charts, the IVR canvas) must not be in it — they
 * load when the screen that needs them opens.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureUiBuilt, UI_DIST } from '../e2e/support/ui-world.js';

/** Budget of the first load, gzipped. */
export const FIRST_LOAD_BUDGET_BYTES = 350 * 1024;

/** The scripts `index.html` loads up front: the module entry and its modulepreloads. */
export function firstLoadScripts(dist: string): string[] {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const srcs = [
    ...[...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g)].map((m) => m[1]!),
    ...[...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) => m[1]!),
  ];
  return [...new Set(srcs)].map((s) => join(dist, s.replace(/^\//, '')));
}

describe('first-load budget', () => {
  beforeAll(() => ensureUiBuilt(), 600_000);

  it('loads at most 350 KB of gzipped JavaScript before the softphone, charts and editors', () => {
    const files = firstLoadScripts(UI_DIST);
    expect(files.length).toBeGreaterThan(0);
    let total = 0;
    for (const f of files) {
      expect(existsSync(f), f).toBe(true);
      const code = readFileSync(f);
      total += gzipSync(code, { level: 9 }).length;
      const text = code.toString('utf8');
      // JsSIP, ECharts and Vue Flow announce themselves in their code.
      expect(text, `${f} bundles JsSIP`).not.toMatch(/JsSIP_C|jssip\/lib/i);
      expect(text, `${f} bundles ECharts`).not.toMatch(/echarts\/|ECharts/);
      expect(text, `${f} bundles Vue Flow`).not.toMatch(/vue-flow__/);
    }
    console.log(`first load: ${files.length} script(s), ${(total / 1024).toFixed(1)} KB gzipped`);
    expect(total).toBeLessThanOrEqual(FIRST_LOAD_BUDGET_BYTES);
  });
});
