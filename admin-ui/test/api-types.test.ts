/**
 * The committed API types (`admin-ui/src/api/schema.gen.ts`) are exactly what the server's
 * OpenAPI document generates today: a route changed without `npm run api:types` fails here.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../core/test/support/test-app.js';
import { API_TYPES_FILE, renderApiTypes } from '../../scripts/api-types.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.stop();
});

describe('API types', () => {
  it('match the OpenAPI document the server serves (run `npm run api:types` after changing a route)', async () => {
    const res = await t.request('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    const generated = await renderApiTypes(res.body as object);
    const committed = await readFile(API_TYPES_FILE, 'utf8');
    expect(committed === generated, 'admin-ui/src/api/schema.gen.ts is out of date: run `npm run api:types`').toBe(
      true,
    );
  });
});
