/**
 * Bad input on every route: the route list comes from the OpenAPI document, so a route added
 * by any module is covered without touching this file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformEnv, TEST_PLATFORM_KEY } from './support/platform.js';
import { startTestApp, type SeededUser, type TestApp } from './support/test-app.js';

let t: TestApp;
let admin: SeededUser;
let ops: Array<{ method: string; path: string; hasBody: boolean; hasParams: boolean; hasQuery: boolean }>;

beforeAll(async () => {
  t = await startTestApp({ env: platformEnv });
  admin = (await t.seedTenant({ slug: 'bad', edition: 'advanced', roles: ['admin'] })).users.admin!;
  const doc = (await t.request('GET', '/api/openapi.json')).body as {
    paths: Record<
      string,
      Record<string, { requestBody?: { content?: Record<string, unknown> }; parameters?: Array<{ in: string }> }>
    >;
  };
  ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      // JSON bodies only: binary uploads (audio files) have their own limits and errors, tested with their module.
      hasBody: Boolean(op.requestBody?.content?.['application/json']),
      hasParams: (op.parameters ?? []).some((p) => p.in === 'path'),
      hasQuery: (op.parameters ?? []).some((p) => p.in === 'query'),
    })),
  );
});
afterAll(async () => {
  await t?.stop();
});

/** The credential a route takes: the platform key for the platform API, else a tenant admin's token. */
const tokenFor = (path: string) => (path.startsWith('/api/v1/platform/') ? TEST_PLATFORM_KEY : admin.token);

/**
 * Path parameters that name something rather than identify it by id (a tenant's slug or id, a
 * setting's key, a plugin's name) accept any line of text or a name; their modules test them.
 */
const NAMES = /\{(ref|key|name)\}/;

/** Fills `{id}` with a syntactically valid id that exists nowhere. */
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');

describe('bad input', () => {
  it('the API documents the routes of this issue', () => {
    const names = ops.map((o) => `${o.method} ${o.path}`);
    for (const expected of [
      'POST /api/v1/auth/login',
      'POST /api/v1/auth/sms-code',
      'POST /api/v1/auth/login-sms',
      'POST /api/v1/auth/refresh',
      'POST /api/v1/auth/logout',
      'GET /api/v1/users',
      'PATCH /api/v1/users/{id}',
      'POST /api/v1/api-keys',
    ]) {
      expect(names).toContain(expected);
    }
  });

  it('malformed JSON → 400 malformed_json on every route with a body', async () => {
    const withBody = ops.filter((o) => o.hasBody);
    expect(withBody.length).toBeGreaterThan(8);
    for (const o of withBody) {
      const res = await t.request(o.method, concrete(o.path), {
        token: tokenFor(o.path),
        rawBody: '{"email": "a@b.c",',
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status, `${o.method} ${o.path}`).toBe(400);
      expect(res.body.error.code).toBe('malformed_json');
    }
  });

  it('wrong types → 400 validation_failed naming the field, on every route with a body', async () => {
    for (const o of ops.filter((x) => x.hasBody)) {
      for (const body of [
        { email: 42, password: false, mobile: [], code: {}, name: 7, refreshToken: 1 },
        [1, 2],
        'text',
        null,
      ]) {
        const res = await t.request(o.method, concrete(o.path), { token: tokenFor(o.path), body });
        expect(res.status, `${o.method} ${o.path} ${JSON.stringify(body)}`).toBe(400);
        expect(res.body.error.code).toBe('validation_failed');
        expect(Array.isArray(res.body.error.details)).toBe(true);
        expect(res.body.error.details[0].path).toMatch(/^body/);
      }
    }
  });

  it('oversized bodies → 413 payload_too_large on every route with a body, never 500', async () => {
    const big = JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(2 * 1024 * 1024) });
    for (const o of ops.filter((x) => x.hasBody)) {
      const res = await t.request(o.method, concrete(o.path), {
        token: tokenFor(o.path),
        rawBody: big,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status, `${o.method} ${o.path}`).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
    }
  });

  it('a body that is not JSON → 415 unsupported_media_type', async () => {
    const res = await t.request('POST', '/api/v1/auth/login', {
      rawBody: 'email=a@b.c&password=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });

  it('a malformed path id → 400 validation_failed on every route with one', async () => {
    const withParams = ops.filter((o) => o.hasParams && !NAMES.test(o.path));
    expect(withParams.length).toBeGreaterThan(2);
    for (const o of withParams) {
      const path = o.path.replace(/\{[^}]+\}/g, 'not-a-uuid');
      const res = await t.request(o.method, path, {
        token: tokenFor(o.path),
        ...(o.hasBody ? { body: { name: 'x' } } : {}),
      });
      expect(res.status, `${o.method} ${path}`).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });

  it('an unknown query value → 400 validation_failed', async () => {
    const res = await t.request('GET', '/api/v1/users?role=emperor', { token: admin.token });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('query.role');
  });

  it('unknown routes and methods answer with coded errors', async () => {
    const missing = await t.request('GET', '/api/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('route_not_found');
    const method = await t.request('PUT', '/api/v1/auth/login', { body: {} });
    expect(method.status).toBe(405);
    expect(method.body.error.code).toBe('method_not_allowed');
  });

  it('never answers 500 to any of the above', async () => {
    const metrics = await t.metrics();
    expect(metrics).toContain('switchboard_http_requests_total');
    expect(metrics).not.toMatch(/switchboard_http_requests_total\{[^}]*status="5\d\d"/);
  });
});
