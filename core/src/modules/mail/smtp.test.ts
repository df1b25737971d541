/**
 * Mail through a real SMTP server (`smtp-server`, started here): with `SMTP_URL` set, a new
 * agent's password (ADM-08), a reset password (ADM-13) and a new tenant's first admin's password
 * arrive as real messages, sent with the URL's credentials. Without any transport the API says
 * so instead of pretending.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformEnv, TEST_PLATFORM_KEY } from '../../../test/support/platform.js';
import { startTestApp, type SeededUser, type TestApp } from '../../../test/support/test-app.js';

/** Messages the SMTP server accepted, and waiters for the next one to an address. */
const inbox: ParsedMail[] = [];
const waiters: Array<{ to: string; resolve: (m: ParsedMail) => void }> = [];
const logins: string[] = [];

function recipient(m: ParsedMail): string {
  const to = Array.isArray(m.to) ? m.to[0] : m.to;
  return to?.value[0]?.address ?? '';
}

/** The next message to `to` (already received or still to come). */
function nextMailTo(to: string, after = 0): Promise<ParsedMail> {
  const got = inbox.slice(after).find((m) => recipient(m) === to);
  if (got) return Promise.resolve(got);
  return new Promise((resolve) => waiters.push({ to, resolve }));
}

const server = new SMTPServer({
  disabledCommands: ['STARTTLS'],
  allowInsecureAuth: true,
  onAuth(auth, _session, cb) {
    logins.push(`${auth.username}:${auth.password}`);
    if (auth.username === 'switchboard' && auth.password === 'smtp-secret') cb(null, { user: auth.username });
    else cb(new Error('bad credentials'));
  },
  onRcptTo(address, _session, cb) {
    // A mailbox that refuses mail, to prove what a refusal does.
    if (address.address.startsWith('bounce')) cb(new Error('mailbox unavailable'));
    else cb();
  },
  onData(stream, _session, cb) {
    simpleParser(stream).then(
      (m) => {
        inbox.push(m);
        for (let i = waiters.length - 1; i >= 0; i--) {
          if (waiters[i]!.to === recipient(m)) waiters.splice(i, 1)[0]!.resolve(m);
        }
        cb();
      },
      (err: Error) => cb(err),
    );
  },
});

let t: TestApp;
let users: Record<string, SeededUser>;

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  t = await startTestApp({
    env: {
      ...platformEnv,
      SMTP_URL: `smtp://switchboard:smtp-secret@127.0.0.1:${port}`,
      MAIL_FROM: 'Acme Contact Center <cc@acme.test>',
      PUBLIC_URL: 'https://cc.acme.test',
    },
  });
  users = (await t.seedTenant({ slug: 'smtp', roles: ['admin', 'agent'] })).users;
});
afterAll(async () => {
  await t?.stop();
  await new Promise<void>((r) => server.close(() => r()));
});

const passwordIn = (m: ParsedMail) => /^Password: (\S+)$/m.exec(m.text ?? '')?.[1];

describe('with SMTP_URL', () => {
  it('[ADM-08] a new agent’s random password arrives at the SMTP server and signs them in', async () => {
    const res = await t.request('POST', '/api/v1/agents', {
      token: users.admin!.token,
      body: { name: 'Zhao Lei', email: 'zhao.lei@smtp.test', staffNo: '7001' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.passwordSent).toBe(true);
    const mail = await nextMailTo('zhao.lei@smtp.test');
    expect(logins).toContain('switchboard:smtp-secret');
    expect(mail.from?.value[0]).toMatchObject({ address: 'cc@acme.test', name: 'Acme Contact Center' });
    expect(mail.subject).toBe('Your Switchboard account at Tenant smtp');
    expect(mail.text).toContain('Email:    zhao.lei@smtp.test');
    expect(mail.text).toContain('Sign in:  https://cc.acme.test');
    const password = passwordIn(mail)!;
    expect((await t.login('zhao.lei@smtp.test', password)).status).toBe(200);
    // No dev sink while SMTP is configured.
    expect((await t.request('GET', '/api/v1/dev/mail', { token: users.admin!.token })).status).toBe(404);
  });

  it('[ADM-13] a reset password arrives by mail; the old one stops working', async () => {
    const res = await t.request('POST', '/api/v1/agents', {
      token: users.admin!.token,
      body: { name: 'Sun Li', email: 'sun.li@smtp.test', staffNo: '7002' },
    });
    const first = passwordIn(await nextMailTo('sun.li@smtp.test'))!;
    const seen = inbox.length;
    const reset = await t.request('POST', `/api/v1/agents/${res.body.userId}/reset-password`, {
      token: users.admin!.token,
    });
    expect(reset.status).toBe(200);
    const mail = await nextMailTo('sun.li@smtp.test', seen);
    expect(mail.subject).toBe('Your new Switchboard password');
    const second = passwordIn(mail)!;
    expect(second).not.toBe(first);
    expect((await t.login('sun.li@smtp.test', first)).status).toBe(401);
    expect((await t.login('sun.li@smtp.test', second)).status).toBe(200);
  });

  it('a new tenant’s first admin gets their password by mail, and the API answer does not carry it', async () => {
    const res = await t.request('POST', '/api/v1/platform/tenants', {
      token: TEST_PLATFORM_KEY,
      body: { name: 'Mail Co', slug: 'mail-co', admin: { email: 'boss@mail-co.test', name: 'Boss' } },
    });
    expect(res.status).toBe(201);
    expect(res.body.passwordSent).toBe(true);
    expect(res.body).not.toHaveProperty('initialPassword');
    const mail = await nextMailTo('boss@mail-co.test');
    expect((await t.login('boss@mail-co.test', passwordIn(mail)!)).status).toBe(200);
  });

  it('when the SMTP server refuses a message: the agent exists with passwordSent false, a reset answers 502 mail_failed', async () => {
    const res = await t.request('POST', '/api/v1/agents', {
      token: users.admin!.token,
      body: { name: 'Bounce', email: 'bounce@smtp.test', staffNo: '7003' },
    });
    expect(res.status).toBe(201);
    expect(res.body.passwordSent).toBe(false);
    const reset = await t.request('POST', `/api/v1/agents/${res.body.userId}/reset-password`, {
      token: users.admin!.token,
    });
    expect(reset.status).toBe(502);
    expect(reset.body.error.code).toBe('mail_failed');
    expect(t.logs.some((l) => l.msg === 'could not mail a new agent’s password')).toBe(true);
  });
});

describe('with no mail transport (not demo mode, no SMTP_URL)', () => {
  it('says the password was not sent, refuses a reset before changing anything, and the platform API hands over the first password', async () => {
    const bare = await startTestApp({ env: { ...platformEnv, SEED_DEMO: '0' } });
    try {
      const seeded = await bare.seedTenant({ slug: 'nomail', roles: ['admin'] });
      const admin = seeded.users.admin!.token;
      const res = await bare.request('POST', '/api/v1/agents', {
        token: admin,
        body: { name: 'Quiet', email: 'quiet@nomail.test', staffNo: '100' },
      });
      expect(res.status).toBe(201);
      expect(res.body.passwordSent).toBe(false);
      const hash = async () =>
        (await bare.app.database.pool.query(`select password_hash from users where id = $1`, [res.body.userId])).rows[0]
          .password_hash as string;
      const before = await hash();
      const reset = await bare.request('POST', `/api/v1/agents/${res.body.userId}/reset-password`, { token: admin });
      expect(reset.status).toBe(502);
      expect(reset.body.error.message).toMatch(/SMTP_URL/);
      expect(await hash()).toBe(before);
      expect((await bare.request('GET', '/api/v1/dev/mail', { token: admin })).status).toBe(404);

      const tenant = await bare.request('POST', '/api/v1/platform/tenants', {
        token: TEST_PLATFORM_KEY,
        body: { name: 'No Mail', slug: 'no-mail', admin: { email: 'boss@no-mail.test', name: 'Boss' } },
      });
      expect(tenant.body.passwordSent).toBe(false);
      expect((await bare.login('boss@no-mail.test', tenant.body.initialPassword)).status).toBe(200);
    } finally {
      await bare.stop();
    }
  });
});
