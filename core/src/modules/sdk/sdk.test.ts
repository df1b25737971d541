/**
 * The browser SDK's server side (issue 14): a CRM's server creates a one-time login token with an
 * API key, the embedded workbench trades it once for a token pair; the tenant's `sdkOrigins`
 * decide which pages may frame the workbench (`frame-ancestors` of `/embed/<tenant>`) and are
 * what the embedded page checks `postMessage` against.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../demo/seed.js';
import { startTestApp, type SeededUser, type TestApp } from '../../../test/support/test-app.js';

let t: TestApp;
let dir: string;
let tenantId: string;
let users: Record<string, SeededUser>;
let other: { tenantId: string; users: Record<string, SeededUser> };
let sdkKey: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sb-ui-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Switchboard</title><div id="app"></div>');
  t = await startTestApp({ config: { ui: { dir } } });
  ({ tenantId, users } = await t.seedTenant({ slug: 'sdk-a' }));
  other = await t.seedTenant({ slug: 'sdk-b' });
  const key = await t.request('POST', '/api/v1/api-keys', {
    token: users.admin!.token,
    body: { name: 'CRM', scopes: ['sdk:login'] },
  });
  expect(key.status).toBe(201);
  sdkKey = key.body.key as string;
});
afterAll(async () => {
  await t?.stop();
  await rm(dir, { recursive: true, force: true });
});

const createToken = (seatUserId: string, token = sdkKey) =>
  t.request('POST', '/api/v1/sdk/login-tokens', { token, body: { seatUserId } });

describe('SDK login tokens', () => {
  it('[INT-01] a CRM server creates a one-time token for an agent by email; it signs the agent in once', async () => {
    const created = await createToken(users.agent!.email.toUpperCase());
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const { token, expiresAt, expiredTime, sdkUrl } = created.body as Record<string, string | number>;
    expect(token).toMatch(/^sdk_[A-Za-z0-9_-]{40,}$/);
    const ttl = Date.parse(expiresAt as string) - Date.now();
    expect(ttl).toBeGreaterThan(9 * 60_000);
    expect(ttl).toBeLessThanOrEqual(10 * 60_000);
    expect(expiredTime).toBe(Math.floor(Date.parse(expiresAt as string) / 1000));
    expect(sdkUrl).toBe(`${t.url}/embed/${tenantId}`);

    const login = await t.request('POST', '/api/v1/sdk/login', { body: { token } });
    expect(login.status).toBe(200);
    expect(login.headers.get('cache-control')).toBe('no-store');
    expect(login.body.user.id).toBe(users.agent!.id);
    const me = await t.request('GET', '/api/v1/auth/me', { token: login.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(users.agent!.email);

    // Single use: the same token again is refused, as is one never issued.
    const again = await t.request('POST', '/api/v1/sdk/login', { body: { token } });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('invalid_sdk_token');
    const forged = await t.request('POST', '/api/v1/sdk/login', { body: { token: `${token as string}x` } });
    expect(forged.body.error.code).toBe('invalid_sdk_token');
  });

  it('[INT-01] only one of two racing trades of a token wins; an expired token is refused', async () => {
    const { token } = (await createToken(users.agent!.id)).body as { token: string };
    const [a, b] = await Promise.all([
      t.request('POST', '/api/v1/sdk/login', { body: { token } }),
      t.request('POST', '/api/v1/sdk/login', { body: { token } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 401]);

    const late = (await createToken(users.agent!.email)).body as { token: string };
    await t.app.database.pool.query(
      `update sdk_login_tokens set expires_at = now() - interval '1 second' where consumed_at is null`,
    );
    const expired = await t.request('POST', '/api/v1/sdk/login', { body: { token: late.token } });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('invalid_sdk_token');
  });

  it('[INT-01] needs the sdk:login scope; names only users of the caller’s tenant; refuses disabled users', async () => {
    const readOnly = await t.request('POST', '/api/v1/api-keys', {
      token: users.admin!.token,
      body: { name: 'reader', scopes: ['users:read'] },
    });
    expect((await createToken(users.agent!.email, readOnly.body.key)).status).toBe(403);
    // An agent's own token may not mint sign-ins for others.
    expect((await createToken(users.supervisor!.email, users.agent!.token)).status).toBe(403);
    for (const seat of [other.users.agent!.email, other.users.agent!.id, 'nobody@example.com', 'not-an-id']) {
      const r = await createToken(seat);
      expect(r.status, seat).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    }
    const disable = await t.request('PATCH', `/api/v1/users/${users.supervisor!.id}`, {
      token: users.admin!.token,
      body: { status: 'disabled' },
    });
    expect(disable.status).toBe(200);
    const refused = await createToken(users.supervisor!.email);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('account_disabled');
  });
});

describe('embedding allow-list', () => {
  const html = { accept: 'text/html' };

  it('[INT-01] the embedded workbench is framed only by the tenant’s SDK origins; every other page by nobody', async () => {
    const embed = `/embed/${tenantId}`;
    // None listed: nobody may frame it, and the page says so.
    let page = await t.request('GET', embed, { headers: html });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="app">');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect((await t.request('GET', `/api/v1/sdk/embed/${tenantId}`)).body).toEqual({ allowedOrigins: [] });

    const bad = await t.request('PATCH', '/api/v1/tenant/settings', {
      token: users.admin!.token,
      body: { sdkOrigins: ['https://crm.example.com/path'] },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error.details)).toContain('sdkOrigins');
    const set = await t.request('PATCH', '/api/v1/tenant/settings', {
      token: users.admin!.token,
      body: { sdkOrigins: ['https://crm.example.com', 'http://localhost:8080'] },
    });
    expect(set.status).toBe(200);
    expect(set.body.settings.sdkOrigins).toEqual(['https://crm.example.com', 'http://localhost:8080']);

    page = await t.request('GET', embed, { headers: html });
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain('frame-ancestors https://crm.example.com http://localhost:8080');
    expect(csp).toContain("script-src 'self'");
    expect(page.headers.get('x-frame-options')).toBeNull();
    expect((await t.request('GET', `/api/v1/sdk/embed/${tenantId}`)).body).toEqual({
      allowedOrigins: ['https://crm.example.com', 'http://localhost:8080'],
    });

    // Another tenant's embed page, the rest of the app and unknown tenants stay unframable.
    for (const path of [`/embed/${other.tenantId}`, '/workbench', '/embed/00000000-0000-0000-0000-000000000000']) {
      const p = await t.request('GET', path, { headers: html });
      expect(p.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(p.headers.get('x-frame-options'), path).toBe('DENY');
    }
    expect((await t.request('GET', `/api/v1/sdk/embed/${other.tenantId}`)).body).toEqual({ allowedOrigins: [] });
    expect((await t.request('GET', '/api/v1/sdk/embed/..%2F..%2Fetc')).status).toBe(400);
  });
});

describe('demo mode', () => {
  const key = (n: number) => `sk_demo${n}crm00_${'x'.repeat(30)}${n}${'y'.repeat(12)}`;

  it('[INT-01] the demo CRM may embed the demo tenant’s workbench and sign its agents in; a new start retires its old key', async () => {
    const origins = ['http://127.0.0.1:3100', 'http://localhost:3100'];
    const d = await startTestApp({
      env: { SEED_DEMO: '1', DEMO_PASSWORD: 'demo-password-1' },
      config: { demo: { crm: { origins, apiKey: key(1) } } },
    });
    try {
      const demoTenant = d.app.demo!.tenantId;
      expect((await d.request('GET', `/api/v1/sdk/embed/${demoTenant}`)).body).toEqual({ allowedOrigins: origins });
      const first = await d.request('POST', '/api/v1/sdk/login-tokens', {
        token: key(1),
        body: { seatUserId: 'agent1@demo.local' },
      });
      expect(first.status).toBe(201);
      // The key works for SDK sign-ins only.
      expect((await d.request('GET', '/api/v1/users', { token: key(1) })).status).toBe(403);

      // The next start brings another key; the origins are not listed twice.
      await seedDemo(d.app.container.cradle, undefined, { origins, apiKey: key(2) });
      const old = await d.request('POST', '/api/v1/sdk/login-tokens', {
        token: key(1),
        body: { seatUserId: 'agent1@demo.local' },
      });
      expect(old.status).toBe(401);
      const fresh = await d.request('POST', '/api/v1/sdk/login-tokens', {
        token: key(2),
        body: { seatUserId: 'agent1@demo.local' },
      });
      expect(fresh.status).toBe(201);
      expect((await d.request('GET', `/api/v1/sdk/embed/${demoTenant}`)).body).toEqual({ allowedOrigins: origins });
    } finally {
      await d.stop();
    }
  });
});
