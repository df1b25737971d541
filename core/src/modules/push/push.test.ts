/**
 * Push (REC-03, REC-08, PUSH-01/02) against a real receiver over HTTP that fails, hangs past the
 * attempt's timeout and recovers: every event delivered at least once, a retry carrying the same
 * delivery id, the order within a session kept, the signature verifying with the documented
 * recipe; private addresses refused unless the tenant allows them; a subscription failing for a
 * day paused, its deliveries held and sent in order once resumed.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Receiver } from '../../../test/support/push-receiver.js';
import { startTestApp, type SeededUser, type TestApp } from '../../../test/support/test-app.js';
import { PUSH_HEADERS, verifyPush } from './signature.js';

let t: TestApp;
let receiver: Receiver;
let admin: SeededUser;
let agent: SeededUser;
let tenantId: string;

/** Mail the admins receive (a real SMTP server). */
const inbox: ParsedMail[] = [];
const smtp = new SMTPServer({
  disabledCommands: ['STARTTLS', 'AUTH'],
  onData(stream, _session, cb) {
    simpleParser(stream).then(
      (m) => {
        inbox.push(m);
        cb();
      },
      (err: Error) => cb(err),
    );
  },
});

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  // Attempts give up after 3 s here (10 s by default): the hanging receiver is cut by it.
  t = await startTestApp({
    config: { push: { timeoutMs: 3000 }, mail: { smtpUrl: `smtp://127.0.0.1:${smtpPort}` } },
  });
  receiver = await Receiver.start();
  const seeded = await t.seedTenant({ slug: 'push', roles: ['admin', 'agent'] });
  tenantId = seeded.tenantId;
  admin = seeded.users.admin!;
  agent = seeded.users.agent!;
});
// Each test's subscriptions go with it: a later test's events must reach only its own.
afterEach(async () => {
  const list = await t.request('GET', '/api/v1/push/subscriptions', { token: admin.token });
  for (const s of list.body.items as Array<{ id: string }>) {
    await t.request('DELETE', `/api/v1/push/subscriptions/${s.id}`, { token: admin.token });
  }
  receiver.plan.length = 0;
});
afterAll(async () => {
  await receiver?.close();
  await t?.stop();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const allowPrivate = (on: boolean) =>
  t.request('PATCH', '/api/v1/tenant/settings', { token: admin.token, body: { allowPrivateUrls: on } });

async function subscribe(body: Record<string, unknown> = {}) {
  const res = await t.request('POST', '/api/v1/push/subscriptions', {
    token: admin.token,
    body: { name: 'CRM', url: receiver.url, eventTypes: ['record.created'], auth: { type: 'none' }, ...body },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { subscription: { id: string }; signingSecret: string };
}

/** An event as the call path publishes it (the record of a call, here a small stand-in). */
const publish = (sessionId: string | null, n: number, key = randomUUID()) =>
  t.app.container.cradle.pushService.publish(tenantId, {
    type: 'record.created',
    key,
    sessionId,
    occurredAt: new Date(),
    data: { n, ...(sessionId ? { sessionId } : {}) },
  });

const deliveries = async (subscriptionId: string) =>
  (
    await t.request('GET', `/api/v1/push/deliveries?subscriptionId=${subscriptionId}&limit=100`, {
      token: admin.token,
    })
  ).body.items as Array<{ id: string; state: string; attempts: number; lastError: string | null }>;

describe('[REC-03] push subscriptions', () => {
  it('[REC-03] an admin subscribes a URL: the signing secret is shown once, never again; agents may not; a private address needs the tenant’s consent', async () => {
    const refused = await t.request('POST', '/api/v1/push/subscriptions', {
      token: admin.token,
      body: { name: 'CRM', url: receiver.url, eventTypes: ['record.created'], auth: { type: 'none' } },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('127.0.0.1 is a private or loopback address');
    const metadata = await t.request('POST', '/api/v1/push/subscriptions', {
      token: admin.token,
      body: { name: 'x', url: 'http://169.254.169.254/latest', eventTypes: ['record.created'], auth: { type: 'none' } },
    });
    expect(metadata.status).toBe(400);

    expect((await allowPrivate(true)).status).toBe(200);
    const created = await subscribe({ auth: { type: 'basic', username: 'switchboard', password: 's3cret-pass' } });
    expect(created.signingSecret).toMatch(/^whsec_/);
    const list = await t.request('GET', '/api/v1/push/subscriptions', { token: admin.token });
    expect(list.body.items).toEqual([
      expect.objectContaining({ id: created.subscription.id, auth: { type: 'basic', username: 'switchboard' } }),
    ]);
    expect(JSON.stringify(list.body)).not.toContain('s3cret-pass');
    expect(JSON.stringify(list.body)).not.toContain(created.signingSecret);
    const noPassword = await t.request('POST', '/api/v1/push/subscriptions', {
      token: admin.token,
      body: { name: 'x', url: receiver.url, eventTypes: ['record.created'], auth: { type: 'basic', username: 'u' } },
    });
    expect(noPassword.status).toBe(400);
    const asAgent = await t.request('GET', '/api/v1/push/subscriptions', { token: agent.token });
    expect(asAgent.status).toBe(403);
    expect(
      (await t.request('DELETE', `/api/v1/push/subscriptions/${created.subscription.id}`, { token: admin.token }))
        .status,
    ).toBe(204);
    expect((await t.request('GET', '/api/v1/push/subscriptions', { token: admin.token })).body.items).toEqual([]);
  });
});

describe('[PUSH-02] delivery', () => {
  it('[PUSH-02] [REC-03] a receiver that fails, then hangs past the timeout, then recovers gets every event at least once, in order within a session, each retry with the same delivery id and a signature that verifies', async () => {
    await allowPrivate(true);
    const { subscription, signingSecret } = await subscribe({
      auth: { type: 'basic', username: 'switchboard', password: 's3cret-pass' },
    });
    const before = receiver.got.length;
    // The first attempt fails, the retry hangs (cut by the 1 s timeout), the third is taken.
    receiver.plan.push({ status: 500 }, 'hang');
    const session = randomUUID();
    for (let n = 1; n <= 3; n++) await publish(session, n);
    await publish(null, 99);

    const fresh = () => receiver.got.slice(before);
    await receiver.until(
      (g) =>
        new Set(
          g
            .slice(before)
            .filter((r) => r.json.data.n !== undefined)
            .map((r) => r.json.data.n),
        ).size === 4,
      'four events',
    );
    const byN = (n: number) => fresh().filter((r) => r.json.data.n === n);
    // The failing and the hanging attempts were of one delivery: the same id each time.
    const retried = fresh().filter((r) => byN(r.json.data.n!).length > 1);
    expect(retried.length).toBeGreaterThanOrEqual(2);
    for (const r of retried) {
      expect(new Set(byN(r.json.data.n!).map((x) => x.headers[PUSH_HEADERS.delivery])).size).toBe(1);
    }
    // Within the session, first arrivals are in the order the events were made.
    const firstSeen = [
      ...new Set(
        fresh()
          .filter((r) => r.json.data.sessionId === session)
          .map((r) => r.json.data.n),
      ),
    ];
    expect(firstSeen).toEqual([1, 2, 3]);
    // Each request: signed (the documented recipe verifies it), authenticated, typed.
    for (const r of fresh()) {
      const h = r.headers;
      expect(
        verifyPush(signingSecret, h[PUSH_HEADERS.timestamp] as string, h[PUSH_HEADERS.signature] as string, r.body),
      ).toBe(true);
      expect(
        verifyPush('whsec_wrong', h[PUSH_HEADERS.timestamp] as string, h[PUSH_HEADERS.signature] as string, r.body),
      ).toBe(false);
      expect(h.authorization).toBe(`Basic ${Buffer.from('switchboard:s3cret-pass').toString('base64')}`);
      expect(h[PUSH_HEADERS.event]).toBe('record.created');
      expect(r.json).toMatchObject({ id: h[PUSH_HEADERS.delivery], type: 'record.created', tenantId });
    }
    // A tampered body does not verify.
    const one = fresh()[0]!;
    expect(
      verifyPush(
        signingSecret,
        one.headers[PUSH_HEADERS.timestamp] as string,
        one.headers[PUSH_HEADERS.signature] as string,
        one.body.replace('"n":', '"n":1'),
      ),
    ).toBe(false);

    // The log says what happened.
    // The receiver saw the last request before its answer reached us: wait for the log to say so.
    await expect
      .poll(async () => (await deliveries(subscription.id)).map((d) => d.state), { timeout: 30_000 })
      .toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
    const log = await deliveries(subscription.id);
    // One failed, one timed out, then every delivery got through: at least six attempts for four
    // events (a busy machine may time out another, which is retried the same way).
    expect(log.reduce((sum, d) => sum + d.attempts, 0)).toBeGreaterThanOrEqual(6);
    expect(log.every((d) => d.lastError === null)).toBe(true);

    // A manual re-send goes out again with the same id.
    const target = log.find((d) => d.attempts === 1)!;
    const resent = await t.request('POST', `/api/v1/push/deliveries/${target.id}/resend`, { token: admin.token });
    expect(resent.status).toBe(202);
    await receiver.until(
      (g) => g.filter((r) => r.headers[PUSH_HEADERS.delivery] === target.id).length === 2,
      'the re-sent delivery',
    );
    // An event published twice (a retried end of call) is delivered once.
    const key = randomUUID();
    expect(await publish(null, 7, key)).toBe(1);
    expect(await publish(null, 7, key)).toBe(0);
  });

  it('[PUSH-02] without the tenant’s consent a private address is never called, even when the name resolves there later', async () => {
    await allowPrivate(true);
    const { subscription } = await subscribe({ url: receiver.url.replace('127.0.0.1', 'localhost') });
    await allowPrivate(false);
    const before = receiver.got.length;
    await publish(null, 1);
    await expect
      .poll(async () => (await deliveries(subscription.id))[0]?.lastError ?? null, { timeout: 30_000 })
      .toMatch(/^private_address/);
    expect(receiver.got.length).toBe(before);
  });

  it('[PUSH-02] a subscription failing for a day is paused and its admins told; its deliveries wait and go out in order once it is resumed', async () => {
    await allowPrivate(true);
    const { subscription } = await subscribe();
    // What the tenant's admins are sent (the bus every instance publishes on).
    const notices: Array<{ channels: string[]; data: unknown }> = [];
    const stop = t.app.container.cradle.bus.subscribe((m) => {
      if (m.frame.type === 'system.notice') notices.push({ channels: m.channels, data: m.frame.data });
    });
    try {
      // Failing since yesterday: the next failure pauses it.
      await t.app.database.pool.query(
        `update push_subscriptions set failing_since = now() - interval '25 hours' where id = $1`,
        [subscription.id],
      );
      receiver.plan.push({ status: 503 });
      const session = randomUUID();
      const before = receiver.got.length;
      await publish(session, 1);
      await expect
        .poll(
          async () =>
            (await t.request('GET', `/api/v1/push/subscriptions/${subscription.id}`, { token: admin.token })).body,
          {
            timeout: 30_000,
          },
        )
        .toMatchObject({ state: 'paused', pausedReason: 'failing' });
      await publish(session, 2);
      await expect
        .poll(async () => (await deliveries(subscription.id)).map((d) => d.state), { timeout: 30_000 })
        .toEqual(['held', 'held']);
      expect(notices).toContainEqual({
        channels: [`role:${tenantId}:admin`],
        data: expect.objectContaining({
          level: 'warning',
          message: expect.stringContaining('was paused'),
          // The app says it in the admin's language (notices.pushPaused).
          code: 'pushPaused',
          params: { name: 'CRM' },
        }),
      });
      // …and a mail to each admin, saying what to do.
      await expect
        .poll(() => inbox.find((m) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address === admin.email), {
          timeout: 30_000,
        })
        .toBeTruthy();
      const mail = inbox.find((m) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address === admin.email)!;
      expect(mail.subject).toBe('数据推送已暂停 · Push subscription paused: CRM');
      expect(mail.text).toContain('恢复');

      // Fixed and resumed: both go, in order.
      const resumed = await t.request('PATCH', `/api/v1/push/subscriptions/${subscription.id}`, {
        token: admin.token,
        body: { state: 'active' },
      });
      expect(resumed.body).toMatchObject({ state: 'active', failingSince: null });
      await receiver.until(
        (g) => g.slice(before).filter((r) => r.json.data.sessionId === session).length >= 3,
        'held ones',
      );
      const order = receiver.got
        .slice(before)
        .filter((r) => r.json.data.sessionId === session)
        .map((r) => r.json.data.n);
      expect(order).toEqual([1, 1, 2]);
    } finally {
      stop();
    }
  });

  it('[PUSH-02] the log pages with a cursor, newest first', async () => {
    await allowPrivate(true);
    const { subscription } = await subscribe();
    for (let n = 0; n < 5; n++) await publish(null, n);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `subscriptionId=${subscription.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await t.request('GET', `/api/v1/push/deliveries?${q}`, { token: admin.token });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((d: { id: string }) => d.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    const bad = await t.request('GET', '/api/v1/push/deliveries?cursor=nonsense', { token: admin.token });
    expect(bad.status).toBe(400);
  });
});
