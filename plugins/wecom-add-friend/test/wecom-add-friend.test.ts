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
  MemoryPluginRecordStore,
  type PluginCall,
  type PluginCallUser,
  type PluginCallsPort,
} from '@switchboard/core/plugin';
import {
  TaskService,
  TOKEN_EXPIRY_MARGIN_MS,
  WeComCallbackEvents,
  WeComClient,
  WeComError,
  wecomAddFriend,
  wecomTenantSettings,
  parseCallbackEvent,
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
const MEMBERS = [
  { userId: 'zhangsan', name: '张三' },
  { userId: 'lisi', name: '李四' },
];
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
  settings = wecomTenantSettings.parse({ ...CORP, ...CALLBACK, members: MEMBERS, apiBaseUrl: wecom.baseUrl });
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
      overrides: { clock, wecomAddFriendEvents: events, pluginCalls: new CallsStandIn() },
      tenants: {
        'tenant-1': {
          edition: 'advanced',
          plugins: {
            'wecom-add-friend': {
              enabled: true,
              settings: { ...CORP, ...CALLBACK, members: MEMBERS, apiBaseUrl: wecom.baseUrl },
            },
          },
        },
        'tenant-std': {
          edition: 'standard',
          plugins: { 'wecom-add-friend': { enabled: true, settings: { ...CORP, ...CALLBACK, members: MEMBERS } } },
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

/**
 * The call side of core as the task service meets it (`pluginCalls`): one call the agent took,
 * and the cards put on it. Core's own implementation is proven by the live test
 * (`jambonz-apps/test/wecom-add-friend-live.test.ts`); here only the task's life is under test.
 */
class CallsStandIn implements PluginCallsPort {
  readonly cards: Array<Record<string, unknown>> = [];
  readonly call: PluginCall = {
    sessionId: '6f1f7c1e-2a55-4a4e-9a57-0d7d2f4c9e11',
    tenantId: 'tenant-1',
    direction: 'inbound',
    live: false,
    customerNumber: '13812348000',
    customerAsSeen: '138****8000',
    agentId: 'agent-1',
    startedAt: new Date('2026-12-03T08:59:00Z'),
    endedAt: new Date('2026-12-03T09:00:00Z'),
  };
  forUser(user: PluginCallUser, sessionId: string): Promise<PluginCall> {
    if (sessionId !== this.call.sessionId || user.userId !== 'agent-1')
      return Promise.reject(new Error('not_your_call'));
    return Promise.resolve(this.call);
  }
  annotate(_tenantId: string, _sessionId: string, value: Record<string, unknown>): Promise<boolean> {
    this.cards.push(value);
    return Promise.resolve(true);
  }
}

describe('[CTL-12] add-friend task life', () => {
  const agent: PluginCallUser = { tenantId: 'tenant-1', userId: 'agent-1', role: 'agent' };
  let calls: CallsStandIn;
  let tasks: TaskService;
  const lastCard = () => calls.cards.at(-1) as { status: string; fields: Array<{ label: string; value: string }> };

  beforeEach(() => {
    calls = new CallsStandIn();
    tasks = new TaskService({
      client: client(),
      records: new MemoryPluginRecordStore(clock).forPlugin('wecom-add-friend'),
      calls,
      clock,
      logger: pino({ level: 'silent' }),
      publicUrl: 'https://cc.example.test',
    });
  });

  const assign = (memberUserId = 'zhangsan') =>
    tasks.assign(agent, { sessionId: calls.call.sessionId, memberUserId }, settings, AbortSignal.timeout(4000));
  const addEvent = (userId: string, externalUserId: string, state?: string) =>
    parseAdd(
      addContactEventXml({
        corpId: CORP.corpId,
        userId,
        externalUserId,
        createTime: Math.floor(clock.ms / 1000),
        ...(state ? { state } : {}),
      }),
    );

  it('[CTL-12] a task the member never acts on expires after the tenant’s hours: the card says so, the link stops working, a late add is not counted', async () => {
    const task = await assign();
    expect(task.status).toBe('notified');
    const link = new URL((wecom.sent.at(-1)!.body.textcard as { url: string }).url);
    const secret = link.searchParams.get('t')!;
    expect(await tasks.linkTask('tenant-1', task.id, secret)).toBeDefined();

    clock.ms += settings.taskHours * 3_600_000 - 1000;
    expect((await tasks.tasksOf('tenant-1', calls.call.sessionId))[0]!.status).toBe('notified');
    clock.ms += 1000;
    expect((await tasks.tasksOf('tenant-1', calls.call.sessionId))[0]!.status).toBe('expired');
    expect(lastCard().fields).toEqual([{ label: '张三', value: '已过期 · expired' }]);
    expect(await tasks.linkTask('tenant-1', task.id, secret)).toBeUndefined();

    await tasks.onEvent('tenant-1', addEvent('zhangsan', 'wmLATE', `t${task.id}`), settings);
    expect((await tasks.tasksOf('tenant-1', calls.call.sessionId))[0]!.status).toBe('expired');
  });

  it('[CTL-12] without the contact-way permission the card still goes out; an add by number the member did not note is not guessed', async () => {
    wecom.failNext('externalcontact/add_contact_way', { errcode: 48002 });
    const task = await assign('lisi');
    expect(task.status).toBe('notified');
    // The member added someone, but noted no number for them: not this task's customer.
    wecom.contacts.set('wmOTHER', {
      external_contact: { external_userid: 'wmOTHER' },
      follow_user: [{ userid: 'lisi' }],
    });
    await tasks.onEvent('tenant-1', addEvent('lisi', 'wmOTHER'), settings);
    expect((await tasks.tasksOf('tenant-1', calls.call.sessionId))[0]!.status).toBe('notified');
    // Another member adding the customer does not count for lisi's task either.
    wecom.contacts.set('wmCUST', {
      external_contact: { external_userid: 'wmCUST' },
      follow_user: [{ userid: 'zhangsan', remark_mobiles: ['13812348000'] }],
    });
    await tasks.onEvent('tenant-1', addEvent('zhangsan', 'wmCUST'), settings);
    expect((await tasks.tasksOf('tenant-1', calls.call.sessionId))[0]!.status).toBe('notified');
    // lisi noted the number (as +86…): confirmed with WeCom, added.
    wecom.contacts.set('wmCUST2', {
      external_contact: { external_userid: 'wmCUST2' },
      follow_user: [{ userid: 'lisi', remark_mobiles: ['+86 138 1234 8000'] }],
    });
    await tasks.onEvent('tenant-1', addEvent('lisi', 'wmCUST2'), settings);
    expect((await tasks.tasksOf('tenant-1', calls.call.sessionId))[0]!.status).toBe('added');
    expect(lastCard().fields[0]).toEqual({ label: '李四', value: '已添加 · added' });
  });

  it('[CTL-12] the number is shown once, only to the task’s member, and never with a wrong secret', async () => {
    const task = await assign();
    const secret = new URL((wecom.sent.at(-1)!.body.textcard as { url: string }).url).searchParams.get('t')!;
    expect(await tasks.reveal('tenant-1', task.id, `${secret}x`, 'zhangsan')).toEqual({ ok: false, why: 'used' });
    expect(await tasks.reveal('tenant-1', task.id, secret, 'lisi')).toEqual({ ok: false, why: 'not_member' });
    expect(await tasks.reveal('tenant-1', task.id, secret, undefined)).toEqual({ ok: false, why: 'not_member' });
    const both = await Promise.all([
      tasks.reveal('tenant-1', task.id, secret, 'zhangsan'),
      tasks.reveal('tenant-1', task.id, secret, 'zhangsan'),
    ]);
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(both.find((r) => r.ok)).toMatchObject({ task: { customerNumber: '13812348000' } });
    expect((await tasks.tasksOf('tenant-1', calls.call.sessionId))[0]!.revealed).toBe(true);
  });
});

function parseAdd(xml: string): WeComCallbackEvent {
  return parseCallbackEvent(xml)!;
}
