import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_PASSWORD, type SeededUser, type TestApp } from '../../../test/support/test-app.js';

let t: TestApp;
let users: Record<string, SeededUser>;

beforeAll(async () => {
  t = await startTestApp({
    config: {
      // X-Forwarded-For names the client address where a test needs several.
      server: { trustProxy: true },
      auth: {
        // A long first delay: a blocked attempt stays blocked however slow the machine is.
        login: { perAccountAddress: { failuresBeforeDelay: 3 }, baseDelaySeconds: 60 },
        sms: { resendIntervalSeconds: 0, maxPerMobilePerHour: 50 },
      },
    },
  });
  ({ users } = await t.seedTenant({ slug: 'auth', edition: 'standard' }));
});
afterAll(async () => {
  await t?.stop();
});

describe('email + password sign-in', () => {
  it('[LOGIN-01] returns tokens and the user for the right password, and the token works', async () => {
    const res = await t.login(users.agent!.email);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 900,
      user: { email: users.agent!.email, role: 'agent' },
    });
    expect(res.body.user).not.toHaveProperty('passwordHash');
    const me = await t.request('GET', '/api/v1/auth/me', { token: res.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(users.agent!.id);
  });

  it('[LOGIN-01] matches the email case-insensitively', async () => {
    const res = await t.login(users.agent!.email.toUpperCase());
    expect(res.status).toBe(200);
  });

  it('[LOGIN-01] answers 401 invalid_credentials for a wrong password and for an unknown email alike', async () => {
    const wrong = await t.login(users.supervisor!.email, 'not the password');
    const unknown = await t.login('nobody@nowhere.test', TEST_PASSWORD);
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_credentials');
    }
  });

  it('[LOGIN-01] throttles repeated failures with 429 too_many_attempts, even for the right password', async () => {
    const { users: u } = await t.seedTenant({ slug: 'throttle', roles: ['agent'] });
    for (let i = 0; i < 3; i++) expect((await t.login(u.agent!.email, 'bad')).status).toBe(401);
    const blocked = await t.login(u.agent!.email);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('too_many_attempts');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another account from the same address is not blocked by this one's failures.
    expect((await t.login(users.admin!.email)).status).toBe(200);
  });

  it('[LOGIN-01] refuses a disabled account', async () => {
    const { users: u } = await t.seedTenant({ slug: 'disabled', roles: ['admin', 'agent'] });
    const patch = await t.request('PATCH', `/api/v1/users/${u.agent!.id}`, {
      token: u.admin!.token,
      body: { status: 'disabled' },
    });
    expect(patch.status).toBe(200);
    const res = await t.login(u.agent!.email);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('account_disabled');
  });
});

describe('SMS sign-in', () => {
  it('[LOGIN-02] sends a 6-digit code and signs in with it once', async () => {
    const mobile = users.agent!.mobile;
    const sent = await t.request('POST', '/api/v1/auth/sms-code', { body: { mobile } });
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ sent: true, expiresInSeconds: 300 });
    const code = t.sms.last(mobile)!;
    expect(code).toMatch(/^[0-9]{6}$/);
    const ok = await t.request('POST', '/api/v1/auth/login-sms', { body: { mobile, code } });
    expect(ok.status).toBe(200);
    expect(ok.body.user.id).toBe(users.agent!.id);
    const again = await t.request('POST', '/api/v1/auth/login-sms', { body: { mobile, code } });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('invalid_sms_code');
  });

  it('[LOGIN-02] burns the code after too many wrong tries', async () => {
    const mobile = users.supervisor!.mobile;
    await t.request('POST', '/api/v1/auth/sms-code', { body: { mobile } });
    const code = t.sms.last(mobile)!;
    const wrong = code === '000000' ? '111111' : '000000';
    // From five addresses, so the per-code limit is what bites, not sign-in throttling.
    for (let i = 0; i < 5; i++) {
      const res = await t.request('POST', '/api/v1/auth/login-sms', {
        body: { mobile, code: wrong },
        headers: { 'x-forwarded-for': `192.0.2.${i + 1}` },
      });
      expect(res.status).toBe(401);
    }
    const right = await t.request('POST', '/api/v1/auth/login-sms', {
      body: { mobile, code },
      headers: { 'x-forwarded-for': '192.0.2.99' },
    });
    expect(right.status).toBe(401);
    expect(right.body.error.code).toBe('invalid_sms_code');
  });

  it('[LOGIN-02] refuses an expired code', async () => {
    const mobile = users.admin!.mobile;
    await t.request('POST', '/api/v1/auth/sms-code', { body: { mobile } });
    const code = t.sms.last(mobile)!;
    // Five minutes pass: move the code's expiry into the past rather than sleeping.
    await t.app.database.pool.query(`update sms_codes set expires_at = now() - interval '1 second' where mobile = $1`, [
      mobile,
    ]);
    const res = await t.request('POST', '/api/v1/auth/login-sms', { body: { mobile, code } });
    expect(res.status).toBe(401);
  });

  it('[LOGIN-02] a new code retires the previous one', async () => {
    const mobile = users.admin!.mobile;
    await t.request('POST', '/api/v1/auth/sms-code', { body: { mobile } });
    const first = t.sms.last(mobile)!;
    await t.request('POST', '/api/v1/auth/sms-code', { body: { mobile } });
    const second = t.sms.last(mobile)!;
    if (first !== second) {
      expect((await t.request('POST', '/api/v1/auth/login-sms', { body: { mobile, code: first } })).status).toBe(401);
    }
    expect((await t.request('POST', '/api/v1/auth/login-sms', { body: { mobile, code: second } })).status).toBe(200);
  });

  it('[LOGIN-02] answers an unknown mobile the same way but sends nothing', async () => {
    const before = t.sms.inbox.length;
    const res = await t.request('POST', '/api/v1/auth/sms-code', { body: { mobile: '10000000000' } });
    expect(res.status).toBe(202);
    expect(t.sms.inbox.length).toBe(before);
  });
});

describe('SMS rate limits', () => {
  let s: TestApp;
  beforeAll(async () => {
    s = await startTestApp({
      config: { auth: { sms: { resendIntervalSeconds: 60, maxPerMobilePerHour: 2, maxPerIpPerHour: 4 } } },
    });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('[LOGIN-02] limits resends per mobile and requests per IP', async () => {
    const mobile = '13700000001';
    expect((await s.request('POST', '/api/v1/auth/sms-code', { body: { mobile } })).status).toBe(202);
    const tooSoon = await s.request('POST', '/api/v1/auth/sms-code', { body: { mobile } });
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.body.error.code).toBe('too_many_attempts');
    // Different mobiles from the same IP: the per-IP cap (4/hour, counting the two above) bites.
    expect((await s.request('POST', '/api/v1/auth/sms-code', { body: { mobile: '13700000002' } })).status).toBe(202);
    expect((await s.request('POST', '/api/v1/auth/sms-code', { body: { mobile: '13700000003' } })).status).toBe(202);
    const ipBlocked = await s.request('POST', '/api/v1/auth/sms-code', { body: { mobile: '13700000004' } });
    expect(ipBlocked.status).toBe(429);
  });
});

describe('the default console SMS sender', () => {
  it('[LOGIN-02] writes the code to the log in demo mode only', async () => {
    for (const demo of [true, false]) {
      // smsSender: null keeps the app's own default sender, as npm start wires it.
      const d = await startTestApp({
        smsSender: null,
        env: { SEED_DEMO: demo ? '1' : '0', DEMO_PASSWORD: 'demo-password-1' },
      });
      try {
        // agent1@demo.local's mobile in demo mode; a freshly seeded agent otherwise.
        const mobile = demo
          ? '13800000011'
          : (await d.seedTenant({ slug: 'nodemo', roles: ['agent'] })).users.agent!.mobile;
        const sent = await d.request('POST', '/api/v1/auth/sms-code', { body: { mobile } });
        expect(sent.status).toBe(202);
        const line = d.logs.find((l) => String(l.msg).includes('login code'));
        expect(line).toBeDefined();
        if (demo) {
          expect(String(line!.smsLoginCode)).toMatch(/^[0-9]{6}$/);
          const ok = await d.request('POST', '/api/v1/auth/login-sms', {
            body: { mobile, code: String(line!.smsLoginCode) },
          });
          expect(ok.status).toBe(200);
        } else {
          expect(JSON.stringify(d.logs)).not.toMatch(/smsLoginCode/);
        }
      } finally {
        await d.stop();
      }
    }
  });
});

describe('tokens', () => {
  it('[LOGIN-01] refresh rotates the pair; reusing a rotated token revokes the family', async () => {
    const first = (await t.login(users.admin!.email)).body;
    const second = await t.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect((await t.request('GET', '/api/v1/auth/me', { token: second.body.accessToken })).status).toBe(200);
    const replay = await t.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('invalid_refresh_token');
    // The replay is treated as theft: the legitimate newer token dies too.
    const after = await t.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: second.body.refreshToken } });
    expect(after.status).toBe(401);
  });

  it('[LOGIN-01] [LOGIN-02] token responses are never stored: Cache-Control no-store on login, SMS login and refresh', async () => {
    const login = await t.login(users.admin!.email);
    const refreshed = await t.request('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: login.body.refreshToken },
    });
    const mobile = users.supervisor!.mobile;
    await t.request('POST', '/api/v1/auth/sms-code', { body: { mobile } });
    const sms = await t.request('POST', '/api/v1/auth/login-sms', {
      body: { mobile, code: t.sms.last(mobile)! },
      headers: { 'x-forwarded-for': '192.0.2.200' },
    });
    for (const res of [login, refreshed, sms]) {
      expect(res.status).toBe(200);
      expect(res.body.accessToken).toBeTruthy();
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('[LOGIN-01] logout revokes the refresh token and the access token', async () => {
    const pair = (await t.login(users.admin!.email)).body;
    const out = await t.request('POST', '/api/v1/auth/logout', { body: { refreshToken: pair.refreshToken } });
    expect(out.status).toBe(204);
    const res = await t.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: pair.refreshToken } });
    expect(res.status).toBe(401);
    expect((await t.request('GET', '/api/v1/auth/me', { token: pair.accessToken })).status).toBe(401);
  });

  it('[LOGIN-01] refuses expired, forged and malformed access tokens', async () => {
    const key = t.app.container.cradle.authKeys.jwt;
    const base = () =>
      new SignJWT({ tid: users.admin!.id, role: 'admin' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(users.admin!.id)
        .setIssuer('switchboard')
        .setAudience('switchboard-api');
    const expired = await base()
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(key);
    const forged = await base()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('x'.repeat(32)));
    for (const token of [expired, forged, 'not-a-jwt']) {
      const res = await t.request('GET', '/api/v1/auth/me', { token });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_token');
    }
    const noScheme = await t.request('GET', '/api/v1/auth/me', { headers: { authorization: 'Token abc' } });
    expect(noScheme.status).toBe(401);
    const none = await t.request('GET', '/api/v1/auth/me');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthenticated');
  });

  it('[LOGIN-01] keeps no password, code or token in plaintext anywhere in the database', async () => {
    const pair = (await t.login(users.agent!.email)).body;
    await t.request('POST', '/api/v1/auth/sms-code', { body: { mobile: users.agent!.mobile } });
    const code = t.sms.last(users.agent!.mobile)!;
    // A fresh token: the logout test above ended the admin's earlier ones.
    const admin = (await t.login(users.admin!.email)).body.accessToken as string;
    const key = await t.request('POST', '/api/v1/api-keys', {
      token: admin,
      body: { name: 'scan', scopes: ['users:read'] },
    });
    expect(key.status).toBe(201);
    const pool = t.app.database.pool;
    const hash = await pool.query(`select password_hash from users where email = $1`, [users.agent!.email]);
    expect(hash.rows[0].password_hash).toMatch(/^\$argon2id\$/);
    const tables = await pool.query(`select table_name from information_schema.tables where table_schema = 'public'`);
    const secrets = [TEST_PASSWORD, pair.refreshToken, pair.accessToken, key.body.key];
    let scanned = 0;
    for (const { table_name } of tables.rows) {
      const dump = JSON.stringify((await pool.query(`select * from "${table_name}"`)).rows);
      scanned += dump.length;
      for (const s of secrets) expect(dump.includes(s), `${table_name} holds a secret`).toBe(false);
      expect(new RegExp(`"code[^"]*":"${code}"`).test(dump), `${table_name} holds the SMS code`).toBe(false);
    }
    expect(scanned).toBeGreaterThan(1000);
  });
});
