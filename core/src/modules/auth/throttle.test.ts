import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestApp,
  TEST_PASSWORD,
  type SeededUser,
  type TestApp,
  type TestResponse,
} from '../../../test/support/test-app.js';

// Delays in tens of seconds: no attempt of a test can outlive one by accident on a busy
// machine. "Time passes" is done by moving `blocked_until` into the past, never by sleeping.
const BASE = 50;
let t: TestApp;
let users: Record<string, SeededUser>;

beforeAll(async () => {
  t = await startTestApp({
    config: {
      // X-Forwarded-For names the client address, so one test plays several addresses.
      server: { trustProxy: true },
      auth: {
        login: {
          perAccountAddress: { failuresBeforeDelay: 3, maxDelaySeconds: 400 },
          perAddress: { failuresBeforeDelay: 8, maxDelaySeconds: 90 },
          perAccount: { failuresBeforeDelay: 12, maxDelaySeconds: 45 },
          baseDelaySeconds: BASE,
        },
        sms: { resendIntervalSeconds: 0, maxPerMobilePerHour: 100, maxPerIpPerHour: 100 },
      },
    },
  });
  ({ users } = await t.seedTenant({ slug: 'thr', roles: ['admin', 'supervisor', 'agent'] }));
});
afterAll(async () => {
  await t?.stop();
});

const from = (ip: string) => ({ 'x-forwarded-for': ip });
const login = (email: string, ip: string, password = TEST_PASSWORD) =>
  t.request('POST', '/api/v1/auth/login', { body: { email, password }, headers: from(ip) });
const smsLogin = (mobile: string, code: string, ip: string) =>
  t.request('POST', '/api/v1/auth/login-sms', { body: { mobile, code }, headers: from(ip) });
/** Every earned delay is over (as if the clock had moved past it). */
const delaysPass = () =>
  t.app.database.pool.query(
    `update sign_in_throttle set blocked_until = now() - interval '1 millisecond' where blocked_until is not null`,
  );
const forgetAll = () => t.app.database.pool.query(`delete from sign_in_throttle`);

function expectThrottled(res: TestResponse, maxSeconds: number, minSeconds = maxSeconds - 10): number {
  expect(res.status).toBe(429);
  expect(res.body.error.code).toBe('too_many_attempts');
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
  expect(retryAfter).toBeGreaterThan(Math.max(0, minSeconds));
  expect(res.body.error.details.retryAfterSeconds).toBe(retryAfter);
  return retryAfter;
}

async function fresh(slug: string): Promise<SeededUser> {
  return (await t.seedTenant({ slug, roles: ['agent'] })).users.agent!;
}

describe('sign-in throttling with growing delays', () => {
  it('[LOGIN-01] one address guessing one account: delays double per failure up to the cap, never a lockout of the real user', async () => {
    await forgetAll();
    const victim = await fresh('thr-double');
    for (let i = 0; i < 2; i++) expect((await login(victim.email, '203.0.113.1', 'bad')).status).toBe(401);
    // The third failure earns the first delay: the next attempt, right password or not, waits.
    expect((await login(victim.email, '203.0.113.1', 'bad')).status).toBe(401);
    expectThrottled(await login(victim.email, '203.0.113.1'), BASE);
    // The real user at another address is not held up by the attacker's failures.
    expect((await login(victim.email, '198.51.100.7')).status).toBe(200);
    const seen: number[] = [];
    for (const expected of [2 * BASE, 4 * BASE, 400, 400]) {
      await delaysPass();
      expect((await login(victim.email, '203.0.113.1', 'bad')).status).toBe(401);
      seen.push(expectThrottled(await login(victim.email, '203.0.113.1'), expected));
    }
    // Doubling, then the cap.
    expect(seen[0]).toBeGreaterThan(BASE);
    expect(seen[1]).toBeGreaterThan(seen[0]!);
    expect(seen[3]).toBeLessThanOrEqual(400);
    // 7 failures on the account so far: under the account budget, so elsewhere is still fine.
    expect((await login(victim.email, '198.51.100.8')).status).toBe(200);
  });

  it('[LOGIN-01] failures from many addresses cost the real user at most the small per-account delay', async () => {
    await forgetAll();
    const victim = await fresh('thr-spread');
    for (let i = 0; i < 12; i++) {
      expect((await login(victim.email, `192.0.2.${i + 1}`, 'bad')).status).toBe(401);
    }
    // The account budget (12) is spent: everyone waits, but only up to its 45 s cap.
    expectThrottled(await login(victim.email, '198.51.100.20'), 45);
    await delaysPass();
    expect((await login(victim.email, '198.51.100.20')).status).toBe(200);
  });

  it('[LOGIN-01] colleagues behind one office address do not lock each other out', async () => {
    await forgetAll();
    const office = '203.0.113.50';
    // Seven people mistype once each: within the address budget, nobody waits.
    for (let i = 0; i < 7; i++) expect((await login(`typo${i}@thr.test`, office, 'bad')).status).toBe(401);
    expect((await login(users.agent!.email, office)).status).toBe(200);
    expect((await login(users.supervisor!.email, office)).status).toBe(200);
    // Far more failures from the address: a delay for it, capped at the address's 90 s.
    expect((await login('typo7@thr.test', office, 'bad')).status).toBe(401);
    expectThrottled(await login(users.admin!.email, office), BASE);
    for (let i = 0; i < 3; i++) {
      await delaysPass();
      expect((await login(`typo${8 + i}@thr.test`, office, 'bad')).status).toBe(401);
    }
    expectThrottled(await login(users.admin!.email, office), 90);
    // Another address is not affected.
    expect((await login(users.admin!.email, '198.51.100.30')).status).toBe(200);
  });

  it('[LOGIN-01] a burst of parallel guesses gets no more tries than the budget allows', async () => {
    await forgetAll();
    const victim = await fresh('thr-burst');
    const burst = await Promise.all(Array.from({ length: 10 }, () => login(victim.email, '203.0.113.80', 'bad')));
    const statuses = burst.map((r) => r.status).sort();
    // Each attempt is counted before its password is checked: 3 get an answer, 7 wait.
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    const rows = await t.app.database.pool.query(`select failures from sign_in_throttle where scope = 'pair'`);
    expect(rows.rows).toEqual([{ failures: 3 }]);
  });

  it('[LOGIN-01] keeps the state in PostgreSQL, where every instance reads it', async () => {
    await forgetAll();
    const victim = await fresh('thr-db');
    for (let i = 0; i < 3; i++) await login(victim.email, '203.0.113.9', 'bad');
    const rows = await t.app.database.pool.query(
      `select scope, account, address, failures, coalesce(blocked_until > now(), false) as blocked from sign_in_throttle order by scope`,
    );
    expect(rows.rows).toEqual([
      { scope: 'account', account: `email:${victim.email}`, address: '', failures: 3, blocked: false },
      { scope: 'address', account: '', address: '203.0.113.9', failures: 3, blocked: false },
      { scope: 'pair', account: `email:${victim.email}`, address: '203.0.113.9', failures: 3, blocked: true },
    ]);
    // The throttle is what answers: with the row gone, the same address signs in at once.
    await forgetAll();
    expect((await login(victim.email, '203.0.113.9')).status).toBe(200);
  });

  it('[LOGIN-02] SMS code sign-in is throttled the same way; another address with the right code gets in', async () => {
    await forgetAll();
    const victim = await fresh('thr-sms');
    await t.request('POST', '/api/v1/auth/sms-code', { body: { mobile: victim.mobile } });
    const code = t.sms.last(victim.mobile)!;
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 3; i++) expect((await smsLogin(victim.mobile, wrong, '203.0.113.60')).status).toBe(401);
    expectThrottled(await smsLogin(victim.mobile, code, '203.0.113.60'), BASE);
    const ok = await smsLogin(victim.mobile, code, '198.51.100.60');
    expect(ok.status).toBe(200);
    expect(ok.body.user.id).toBe(victim.id);
  });
});

describe('admin unlock', () => {
  it('[LOGIN-01] an admin of the tenant clears a user’s throttle; other roles and tenants cannot', async () => {
    await forgetAll();
    const { users: other } = await t.seedTenant({ slug: 'thr-other', roles: ['admin'] });
    const victim = users.agent!;
    for (let i = 0; i < 3; i++) await login(victim.email, '203.0.113.70', 'bad');
    expectThrottled(await login(victim.email, '203.0.113.70'), BASE);
    const path = `/api/v1/users/${victim.id}/unlock-sign-in`;

    for (const token of [users.supervisor!.token, users.agent!.token]) {
      const res = await t.request('POST', path, { token });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect((await t.request('POST', path)).status).toBe(401);
    const foreign = await t.request('POST', path, { token: other.admin!.token });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('not_found');
    // Refused attempts cleared nothing.
    expectThrottled(await login(victim.email, '203.0.113.70'), BASE);

    const res = await t.request('POST', path, { token: users.admin!.token });
    expect(res.status).toBe(200);
    expect(res.body.cleared).toBe(2); // the (account, address) and the account entries
    expect((await login(victim.email, '203.0.113.70')).status).toBe(200);
    // Nothing left to clear.
    expect((await t.request('POST', path, { token: users.admin!.token })).body.cleared).toBe(0);
  });

  it('[LOGIN-01] the unlock is documented in the OpenAPI document as admin-only', async () => {
    const doc = (await t.request('GET', '/api/openapi.json')).body;
    const op = doc.paths['/api/v1/users/{id}/unlock-sign-in'].post;
    expect(op.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '401', '403', '404']));
    expect(op.responses['200'].content['application/json'].schema).toBeDefined();
  });
});
