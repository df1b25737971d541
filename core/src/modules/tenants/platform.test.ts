/**
 * The platform operator's tenant API (issue 11 item 1): guarded by PLATFORM_API_KEY, create a
 * tenant with edition, time zone and first admin (password by mail), list with paging, get,
 * rename / change edition, disable (sign-in refused, tokens and API keys end at once) and enable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  createTenantThroughPlatform,
  mailedPassword,
  platformEnv,
  TEST_PLATFORM_KEY,
} from '../../../test/support/platform.js';
import { startTestApp, type TestApp } from '../../../test/support/test-app.js';

let t: TestApp;
const key = TEST_PLATFORM_KEY;

beforeAll(async () => {
  t = await startTestApp({ env: platformEnv });
});
afterAll(async () => {
  await t?.stop();
});

const body = (slug: string, extra: Record<string, unknown> = {}) => ({
  name: `Tenant ${slug}`,
  slug,
  edition: 'standard',
  timeZone: 'Asia/Shanghai',
  admin: { email: `first@${slug}.test`, name: 'First Admin' },
  ...extra,
});

describe('guard', () => {
  it('without PLATFORM_API_KEY the platform routes answer 404 platform_api_disabled, saying how to turn them on', async () => {
    const off = await startTestApp();
    try {
      const res = await off.request('GET', '/api/v1/platform/tenants', { token: key });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('platform_api_disabled');
      expect(res.body.error.message).toMatch(/PLATFORM_API_KEY/);
    } finally {
      await off.stop();
    }
  });

  it('no key → 401; a wrong key, a tenant admin’s token or a tenant API key → 403', async () => {
    const seeded = await t.seedTenant({ slug: 'guard', roles: ['admin'] });
    const apiKey = (
      await t.request('POST', '/api/v1/api-keys', {
        token: seeded.users.admin!.token,
        body: { name: 'all', scopes: ['tenant:read', 'tenant:write', 'users:read', 'users:write'] },
      })
    ).body.key as string;
    expect((await t.request('GET', '/api/v1/platform/tenants')).status).toBe(401);
    for (const token of [`${key}x`, 'short', seeded.users.admin!.token, apiKey]) {
      const res = await t.request('GET', '/api/v1/platform/tenants', { token });
      expect(res.status, token.slice(0, 12)).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      const create = await t.request('POST', '/api/v1/platform/tenants', { token, body: body('never') });
      expect(create.status).toBe(403);
    }
    expect((await t.request('GET', '/api/v1/platform/tenants/never', { token: key })).status).toBe(404);
  });

  it('the OpenAPI document lists the platform routes under their own security scheme', async () => {
    const doc = (await t.request('GET', '/api/openapi.json')).body;
    expect(doc.components.securitySchemes.platformKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/api/v1/platform/tenants'].post.security).toEqual([{ platformKey: [] }]);
    expect(doc.paths['/api/v1/platform/tenants/{ref}/disable'].post.responses['404']).toBeDefined();
  });
});

describe('create', () => {
  it('refuses bad input with validation_failed naming each field, and an unknown field with the nearest one', async () => {
    const res = await t.request('POST', '/api/v1/platform/tenants', {
      token: key,
      body: { ...body('Bad Slug'), edition: 'gold', timeZone: 'Mars/Olympus', admin: { email: 'nope', name: '' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const paths = (res.body.error.details as Array<{ path: string }>).map((d) => d.path).sort();
    expect(paths).toEqual(['body.admin.email', 'body.admin.name', 'body.edition', 'body.slug', 'body.timeZone']);

    const typo = await t.request('POST', '/api/v1/platform/tenants', {
      token: key,
      body: { ...body('typo'), timezone: 'UTC' },
    });
    expect(typo.status).toBe(400);
    expect(typo.body.error.details).toEqual([
      expect.objectContaining({ path: 'body.timezone', suggestion: 'timeZone', code: 'unrecognized_keys' }),
    ]);
    expect(typo.body.error.message).toContain('did you mean "timeZone"?');
  });

  it('[ED-01] creates a tenant with edition, time zone and a first admin who is mailed a random password and sees only their tenant', async () => {
    const res = await t.request('POST', '/api/v1/platform/tenants', { token: key, body: body('acme') });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.tenant).toMatchObject({
      slug: 'acme',
      name: 'Tenant acme',
      edition: 'standard',
      status: 'active',
      timeZone: 'Asia/Shanghai',
    });
    expect(res.body.admin).toMatchObject({ email: 'first@acme.test', role: 'admin', name: 'First Admin' });
    // The mail carried the password, so the answer does not.
    expect(res.body.passwordSent).toBe(true);
    expect(res.body).not.toHaveProperty('initialPassword');
    const password = await mailedPassword(t, res.body.tenant.id, 'first@acme.test');
    expect(password).toMatch(/^[A-Za-z0-9]{14}$/);
    const login = await t.login('first@acme.test', password);
    expect(login.status).toBe(200);
    const token = login.body.accessToken as string;

    // Their own tenant, with the time zone as its typed setting; nobody else's users.
    const mine = await t.request('GET', '/api/v1/tenant', { token });
    expect(mine.body).toMatchObject({ id: res.body.tenant.id, edition: 'standard' });
    expect((await t.request('GET', '/api/v1/tenant/settings', { token })).body.settings.timezone).toBe('Asia/Shanghai');
    const users = await t.request('GET', '/api/v1/users', { token });
    expect((users.body.items as Array<{ email: string }>).map((u) => u.email)).toEqual(['first@acme.test']);
    // A standard tenant is refused advanced features until the operator changes its edition.
    const advanced = await t.request('POST', '/api/v1/collect-templates', {
      token,
      body: { name: 'card', prompt: 'Key in your card number', maxDigits: 19, variable: 'card' },
    });
    expect(advanced.status).toBe(403);
    expect(advanced.body.error.code).toBe('edition_required');
    const upgraded = await t.request('PATCH', '/api/v1/platform/tenants/acme', {
      token: key,
      body: { edition: 'advanced' },
    });
    expect(upgraded.body.edition).toBe('advanced');
    const again = await t.request('POST', '/api/v1/collect-templates', {
      token,
      body: { name: 'card', prompt: 'Key in your card number', maxDigits: 19, variable: 'card' },
    });
    expect(again.status).toBe(201);
  });

  it('a taken slug or admin email is 409 conflict naming the field', async () => {
    await createTenantThroughPlatform(t, { slug: 'taken' });
    const slug = await t.request('POST', '/api/v1/platform/tenants', {
      token: key,
      body: body('taken', { admin: { email: 'other@taken.test', name: 'X' } }),
    });
    expect(slug.status).toBe(409);
    expect(slug.body.error.details).toEqual({ field: 'slug' });
    const email = await t.request('POST', '/api/v1/platform/tenants', {
      token: key,
      body: body('taken2', { admin: { email: 'admin@taken.platform.test', name: 'X' } }),
    });
    expect(email.status).toBe(409);
    expect(email.body.error.details).toEqual({ field: 'admin.email' });
    expect((await t.request('GET', '/api/v1/platform/tenants/taken2', { token: key })).status).toBe(404);
  });
});

describe('list and get', () => {
  it('pages through tenants newest first, searches slug and name, reads one by slug or id', async () => {
    for (const s of ['page-a', 'page-b', 'page-c']) await createTenantThroughPlatform(t, { slug: s });
    const first = await t.request('GET', '/api/v1/platform/tenants?q=page-&pageSize=2', { token: key });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(first.body.items.map((x: { slug: string }) => x.slug)).toEqual(['page-c', 'page-b']);
    expect(first.body.items[0].userCount).toBe(1);
    const second = await t.request('GET', '/api/v1/platform/tenants?q=page-&pageSize=2&page=2', { token: key });
    expect(second.body.items.map((x: { slug: string }) => x.slug)).toEqual(['page-a']);

    const bySlug = await t.request('GET', '/api/v1/platform/tenants/page-b', { token: key });
    expect(bySlug.status).toBe(200);
    const byId = await t.request('GET', `/api/v1/platform/tenants/${bySlug.body.id}`, { token: key });
    expect(byId.body).toEqual(bySlug.body);
    const bad = await t.request('GET', '/api/v1/platform/tenants?pageSize=500', { token: key });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('query.pageSize');
  });
});

describe('disable and enable', () => {
  it('a disabled tenant’s users cannot sign in, their tokens, refresh tokens, sockets and API keys stop at once; enabling lets them sign in again', async () => {
    const { tenantId, admin, password } = await createTenantThroughPlatform(t, { slug: 'shut' });
    const apiKey = (
      await t.request('POST', '/api/v1/api-keys', { token: admin.token, body: { name: 'k', scopes: ['users:read'] } })
    ).body.key as string;
    expect((await t.request('GET', '/api/v1/users', { token: apiKey })).status).toBe(200);
    const ws = new WebSocket(`${t.url.replace(/^http/, 'ws')}/ws?access_token=${admin.token}`);
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
    await new Promise((r, j) => {
      ws.once('open', r);
      ws.once('error', j);
    });

    const res = await t.request('POST', '/api/v1/platform/tenants/shut/disable', { token: key });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: tenantId, status: 'disabled', disabledAt: expect.any(String) });
    expect(await closed).toBe(4003);
    const me = await t.request('GET', '/api/v1/auth/me', { token: admin.token });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('invalid_token');
    expect((await t.request('GET', '/api/v1/users', { token: apiKey })).status).toBe(401);
    const login = await t.login(admin.email, password);
    expect(login.status).toBe(403);
    expect(login.body.error.code).toBe('tenant_disabled');
    const refresh = await t.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: admin.refreshToken } });
    expect(refresh.status).toBe(403);
    expect(refresh.body.error.code).toBe('tenant_disabled');
    // Idempotent, and visible in the list filter.
    expect((await t.request('POST', `/api/v1/platform/tenants/${tenantId}/disable`, { token: key })).status).toBe(200);
    const disabled = await t.request('GET', '/api/v1/platform/tenants?status=disabled', { token: key });
    expect(disabled.body.items.map((x: { slug: string }) => x.slug)).toContain('shut');

    const enabled = await t.request('POST', '/api/v1/platform/tenants/shut/enable', { token: key });
    expect(enabled.body.status).toBe('active');
    const back = await t.login(admin.email, password);
    expect(back.status).toBe(200);
    expect((await t.request('GET', '/api/v1/auth/me', { token: back.body.accessToken })).status).toBe(200);
    // Tokens from before stay ended; the API key works again.
    expect((await t.request('GET', '/api/v1/auth/me', { token: admin.token })).status).toBe(401);
    expect((await t.request('GET', '/api/v1/users', { token: apiKey })).status).toBe(200);
  });

  it('disabling one tenant leaves every other tenant alone', async () => {
    const a = await createTenantThroughPlatform(t, { slug: 'stay' });
    await createTenantThroughPlatform(t, { slug: 'go' });
    await t.request('POST', '/api/v1/platform/tenants/go/disable', { token: key });
    expect((await t.request('GET', '/api/v1/auth/me', { token: a.admin.token })).status).toBe(200);
    expect((await t.login(a.admin.email, a.password)).status).toBe(200);
  });
});
