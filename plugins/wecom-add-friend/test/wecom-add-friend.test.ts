/**
 * The WeCom add-friend foundation (CTL-12) against a WeCom double over real HTTP that signs and
 * encrypts with `@wecom/crypto`: the API client (token cache, expiry, 42001 refresh, message/send,
 * externalcontact/get, errors in words) and the callback route on the real plugin host.
 */
import type { AddressInfo } from 'node:net';
import { createTestHost, type TestHost } from '@switchboard/core/plugin';
import Koa from 'koa';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  TOKEN_EXPIRY_MARGIN_MS,
  WeComCallbackEvents,
  WeComClient,
  WeComError,
  wecomAddFriend,
  wecomTenantSettings,
  type WeComCallbackEvent,
  type WeComTenantSettings,
} from '../src/index.js';
import {
  WeComDouble,
  addContactEventXml,
  encryptedEvent,
  signedQuery,
  verificationQuery,
} from './support/wecom-double.js';

const CORP = { corpId: 'ww5823bf96d3bd56c7', corpSecret: 'app-secret-1', agentId: 1000002 };
const CALLBACK = { callbackToken: 'QDG6eK', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };

/** A wall clock the test moves (token expiry and the callback's timestamp window read it). */
class TestClock {
  ms = Date.parse('2026-12-03T09:00:00Z');
  now(): Date {
    return new Date(this.ms);
  }
}

let wecom: WeComDouble;
let clock: TestClock;
let settings: WeComTenantSettings;

beforeEach(async () => {
  wecom = await WeComDouble.start(CORP);
  clock = new TestClock();
  settings = wecomTenantSettings.parse({ ...CORP, ...CALLBACK, apiBaseUrl: wecom.baseUrl });
});

afterEach(async () => {
  await wecom.close();
});

function client(timeoutMs = 4000): WeComClient {
  return new WeComClient({ timeoutMs, allowApiBaseUrl: true, logger: pino({ level: 'silent' }), clock });
}

const CARD = {
  toUsers: ['zhangsan'],
  title: '加微任务',
  description: '<div class="gray">2026-12-03</div>客户：张** 138****8000',
  url: 'https://switchboard.example.com/plugins/wecom-add-friend/tasks/42',
  buttonText: '查看',
};

describe('[CTL-12] WeCom API client', () => {
  it('[CTL-12] gets a token, reuses it until shortly before it expires, then gets a new one', async () => {
    const c = client();
    const first = await c.sendTextCard(settings, CARD);
    await c.sendTextCard(settings, CARD);
    expect(first.msgId).toBe('msg-1');
    expect(wecom.gettokenCalls).toEqual([{ corpid: CORP.corpId, corpsecret: CORP.corpSecret }]);
    expect(wecom.sent.map((s) => s.token)).toEqual(['token-1', 'token-1']);

    // Just inside the token's life minus the margin: still the same token.
    clock.ms += 7200_000 - TOKEN_EXPIRY_MARGIN_MS - 1000;
    await c.sendTextCard(settings, CARD);
    expect(wecom.gettokenCalls).toHaveLength(1);
    // Past it: a new token before WeCom would refuse the old one.
    clock.ms += 2000;
    await c.sendTextCard(settings, CARD);
    expect(wecom.gettokenCalls).toHaveLength(2);
    expect(wecom.sent.at(-1)!.token).toBe('token-2');
  });

  it('[CTL-12] concurrent calls share one gettoken', async () => {
    const c = client();
    await Promise.all([c.sendTextCard(settings, CARD), c.sendTextCard(settings, CARD), c.accessToken(settings)]);
    expect(wecom.gettokenCalls).toHaveLength(1);
  });

  it('[CTL-12] sends a textcard application message to the member', async () => {
    const sent = await client().sendTextCard(settings, { ...CARD, toUsers: ['zhangsan', 'ghost-1'] });
    expect(sent).toEqual({ msgId: 'msg-1', invalidUsers: ['ghost-1'] });
    expect(wecom.sent[0]!.body).toMatchObject({
      touser: 'zhangsan|ghost-1',
      agentid: CORP.agentId,
      msgtype: 'textcard',
      textcard: { title: '加微任务', description: CARD.description, url: CARD.url, btntxt: '查看' },
      enable_duplicate_check: 1,
    });
  });

  it('[CTL-12] reads an external contact and its follow users (state = the task)', async () => {
    wecom.contacts.set('wmABC', {
      external_contact: { external_userid: 'wmABC', name: '张三', type: 1, gender: 1 },
      follow_user: [{ userid: 'zhangsan', remark: '', createtime: 1764752400, add_way: 1, state: 'task_42' }],
      next_cursor: '',
    });
    const c = client();
    expect(await c.getExternalContact(settings, 'wmABC')).toEqual({
      externalUserId: 'wmABC',
      name: '张三',
      followUsers: [{ userId: 'zhangsan', createTime: 1764752400, addWay: 1, state: 'task_42', remark: '' }],
    });
    expect(wecom.contactCalls).toEqual([{ token: 'token-1', externalUserId: 'wmABC' }]);
    const err = await c.getExternalContact(settings, 'wmNOPE').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeComError);
    expect((err as WeComError).errcode).toBe(84061);
    expect((err as WeComError).words).toEqual({
      'zh-CN': '该成员与客户不是企业微信好友',
      en: 'This member and the customer are not WeCom contacts',
    });
  });

  it('[CTL-12] on 42001 (token expired) fetches a new token once and retries the call', async () => {
    const c = client();
    await c.sendTextCard(settings, CARD);
    wecom.expireTokens();
    const sent = await c.sendTextCard(settings, CARD);
    expect(sent.msgId).toBe('msg-2');
    // The old token was tried and refused, then the same call went through with a new one.
    expect(wecom.refusedTokens).toEqual(['token-1']);
    expect(wecom.gettokenCalls).toHaveLength(2);
    expect(wecom.sent.map((s) => s.token)).toEqual(['token-1', 'token-2']);

    // 40014 likewise; but only one retry: a second refusal reaches the caller, in words.
    wecom.failNext('message/send', { errcode: 40014 });
    await c.sendTextCard(settings, CARD);
    expect(wecom.gettokenCalls).toHaveLength(3);
    wecom.failNext('message/send', { errcode: 42001 });
    wecom.failNext('message/send', { errcode: 42001 });
    const err = (await c.sendTextCard(settings, CARD).catch((e: unknown) => e)) as WeComError;
    expect(err).toBeInstanceOf(WeComError);
    expect(err.errcode).toBe(42001);
    expect(err.words.en).toBe('The WeCom credential has expired; try again');
    expect(wecom.gettokenCalls).toHaveLength(4);
  });

  it('[CTL-12] turns WeCom errors into words an agent understands, and keeps secrets out of them', async () => {
    const bad = { ...settings, corpSecret: 'wrong-secret' };
    const err = (await client()
      .sendTextCard(bad, CARD)
      .catch((e: unknown) => e)) as WeComError;
    expect(err.reason).toBe('wecom');
    expect(err.errcode).toBe(40001);
    expect(err.words['zh-CN']).toBe('企业微信应用 Secret 不正确，请管理员检查插件设置');
    expect(err.message).not.toContain('wrong-secret');
    expect(err.retryable).toBe(false);

    const nobody = (await client()
      .sendTextCard(settings, { ...CARD, toUsers: ['ghost-1'] })
      .catch((e: unknown) => e)) as WeComError;
    expect(nobody.errcode).toBe(81013);
    expect(nobody.words.en).toContain('No valid recipient');

    wecom.failNext('message/send', { errcode: 99999 });
    const unknown = (await client()
      .sendTextCard(settings, CARD)
      .catch((e: unknown) => e)) as WeComError;
    expect(unknown.words).toEqual({
      'zh-CN': '企业微信返回错误（错误码 99999）',
      en: 'WeCom returned an error (code 99999)',
    });

    wecom.failNext('externalcontact/get', { status: 502 });
    const status = (await client()
      .getExternalContact(settings, 'wmABC')
      .catch((e: unknown) => e)) as WeComError;
    expect(status.reason).toBe('bad_answer');
  });

  it('[CTL-12] every call stops when the caller’s budget aborts', async () => {
    const budget = new AbortController();
    budget.abort();
    const err = (await client()
      .sendTextCard(settings, CARD, { signal: budget.signal })
      .catch((e: unknown) => e)) as WeComError;
    expect(err).toBeInstanceOf(WeComError);
    expect(err.reason).toBe('aborted');
    expect(err.words.en).toBe('The request was cancelled');
    expect(wecom.sent).toHaveLength(0);
  });

  it('[CTL-12] ignores a tenant’s apiBaseUrl unless the installation allows it', async () => {
    const strict = new WeComClient({
      timeoutMs: 200,
      allowApiBaseUrl: false,
      logger: pino({ level: 'silent' }),
      clock,
    });
    // The request goes to qyapi.weixin.qq.com (unreachable or refused here), never to the double.
    await strict.accessToken(settings).catch(() => undefined);
    expect(wecom.gettokenCalls).toHaveLength(0);
  });
});

describe('[CTL-12] WeCom callback route', () => {
  let t: TestHost;
  let server: ReturnType<Koa['listen']>;
  let base: string;
  let events: WeComCallbackEvents;
  const received: Array<{ tenantId: string; event: WeComCallbackEvent }> = [];

  beforeEach(async () => {
    received.length = 0;
    events = new WeComCallbackEvents(pino({ level: 'silent' }));
    events.on((tenantId, event) => void received.push({ tenantId, event }));
    t = await createTestHost({
      plugins: [wecomAddFriend({ allowApiBaseUrl: true })],
      overrides: { clock, wecomAddFriendEvents: events },
      tenants: {
        'tenant-1': {
          edition: 'advanced',
          plugins: {
            'wecom-add-friend': { enabled: true, settings: { ...CORP, ...CALLBACK, apiBaseUrl: wecom.baseUrl } },
          },
        },
        'tenant-std': {
          edition: 'standard',
          plugins: { 'wecom-add-friend': { enabled: true, settings: { ...CORP, ...CALLBACK } } },
        },
      },
    });
    expect(t.statuses[0]).toMatchObject({ name: 'wecom-add-friend', status: 'ok' });
    const app = new Koa();
    for (const router of t.host.routers()) app.use(router.routes()).use(router.allowedMethods());
    server = app.listen(0, '127.0.0.1');
    await new Promise<void>((r) => server.once('listening', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/plugins/wecom-add-friend/callback`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await t.close();
  });

  const secrets = { corpId: CORP.corpId, ...CALLBACK };
  const refusals = () => t.logs.filter((l) => l.msg === 'WeCom callback refused').map((l) => l.reason);
  const post = (query: URLSearchParams, body: string, tenant = 'tenant-1') =>
    fetch(`${base}/${tenant}?${query.toString()}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });

  it('[CTL-12] GET verifies the URL: the decrypted echostr, plain', async () => {
    const res = await fetch(
      `${base}/tenant-1?${verificationQuery(secrets, '1616140317555161061', clock.ms).toString()}`,
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('1616140317555161061');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);

    const tampered = verificationQuery(secrets, '1616140317555161061', clock.ms);
    tampered.set('msg_signature', 'f'.repeat(40));
    expect((await fetch(`${base}/tenant-1?${tampered.toString()}`)).status).toBe(403);
  });

  it('[CTL-12] accepts a signed add_external_contact event and hands it on, typed, once', async () => {
    const xml = addContactEventXml({
      corpId: CORP.corpId,
      userId: 'zhangsan',
      externalUserId: 'wmABC',
      state: 'task_42',
      createTime: Math.floor(clock.ms / 1000),
    });
    const ev = encryptedEvent(secrets, xml, clock.ms);
    const res = await post(ev.query, ev.body);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    await expect.poll(() => received).toHaveLength(1);
    expect(received[0]).toEqual({
      tenantId: 'tenant-1',
      event: {
        type: 'change_external_contact',
        changeType: 'add_external_contact',
        corpId: CORP.corpId,
        userId: 'zhangsan',
        externalUserId: 'wmABC',
        state: 'task_42',
        welcomeCode: 'WELCOMECODE',
        createTime: Math.floor(clock.ms / 1000),
        dedupeKey: expect.any(String) as string,
      },
    });
    // WeCom's retry of the same event is answered but not handed on again.
    expect((await post(ev.query, ev.body)).status).toBe(200);
    const other = encryptedEvent(secrets, xml.replace('wmABC', 'wmDEF'), clock.ms);
    expect((await post(other.query, other.body)).status).toBe(200);
    await expect
      .poll(() => received.map((r) => (r.event.type === 'change_external_contact' ? r.event.externalUserId : '')))
      .toEqual(['wmABC', 'wmDEF']);
  });

  it('[CTL-12] refuses a tampered signature (403) before decrypting anything', async () => {
    const xml = addContactEventXml({ corpId: CORP.corpId, userId: 'zhangsan', externalUserId: 'wmABC', createTime: 1 });
    const ev = encryptedEvent(secrets, xml, clock.ms);
    const tampered = new URLSearchParams(ev.query);
    tampered.set(
      'msg_signature',
      ev.query.get('msg_signature')!.replace(/^./, (c) => (c === '0' ? '1' : '0')),
    );
    expect((await post(tampered, ev.body)).status).toBe(403);

    // Proof that decryption never ran: a ciphertext that would make `decrypt` throw (not a
    // whole number of AES blocks) gets the signature's 403, not the decryption's 400 …
    const junk = 'AAAAAAAAAAAAAAAAAAAAAA==';
    const junkBody = `<xml><ToUserName><![CDATA[${CORP.corpId}]]></ToUserName><Encrypt><![CDATA[${junk}]]></Encrypt></xml>`;
    const unsigned = signedQuery({ ...secrets, callbackToken: 'SomeoneElse' }, junk, clock.ms);
    expect((await post(unsigned, junkBody)).status).toBe(403);
    // … while the same junk, correctly signed, does reach decryption (and fails there).
    expect((await post(signedQuery(secrets, junk, clock.ms), junkBody)).status).toBe(400);
    expect(refusals()).toEqual(['bad_signature', 'bad_signature', 'bad_ciphertext']);
    expect(received).toHaveLength(0);
  });

  it('[CTL-12] refuses an event encrypted for another corp (ReceiveId checked after decrypting)', async () => {
    const xml = addContactEventXml({ corpId: 'wwOTHER', userId: 'zhangsan', externalUserId: 'wmABC', createTime: 1 });
    const ev = encryptedEvent(secrets, xml, clock.ms, 'wwOTHER');
    const res = await post(ev.query, ev.body);
    expect(res.status).toBe(403);
    expect(refusals()).toEqual(['wrong_corp']);
    expect(received).toHaveLength(0);
  });

  it('[CTL-12] refuses a replayed (stale) request, and answers 404 for tenants without the plugin', async () => {
    const xml = addContactEventXml({ corpId: CORP.corpId, userId: 'zhangsan', externalUserId: 'wmABC', createTime: 1 });
    const old = encryptedEvent(secrets, xml, clock.ms - 10 * 60_000);
    expect((await post(old.query, old.body)).status).toBe(403);
    expect(refusals()).toEqual(['stale_timestamp']);

    const ev = encryptedEvent(secrets, xml, clock.ms);
    // A standard-edition tenant cannot use this advanced plugin; an unknown tenant is the same 404.
    expect((await post(ev.query, ev.body, 'tenant-std')).status).toBe(404);
    expect((await post(ev.query, ev.body, 'tenant-nope')).status).toBe(404);
    expect((await post(ev.query, ev.body, '..%2F..')).status).toBe(404);
    expect(received).toHaveLength(0);
  });
});
