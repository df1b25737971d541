/**
 * WeCom add-friend tasks on live calls (CTL-12): an agent on a simulator call presses "加微",
 * picks a WeCom member and the member is sent a card (the masked customer, a one-time link);
 * the link shows the number once, to that member only, through WeCom's OAuth; WeCom's encrypted
 * add event marks the task added. Every step reaches the agent's call card over `/ws` and the
 * call's record. WeCom is a double over real HTTP that signs and encrypts with `@wecom/crypto`.
 */
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setAgentState } from '../../core/test/support/call-center.js';
import { wecomAddFriend } from '../../plugins/wecom-add-friend/src/index.js';
import {
  WeComDouble,
  addContactEventXml,
  encryptedEvent,
} from '../../plugins/wecom-add-friend/test/support/wecom-double.js';
import { until } from './support/harness.js';
import {
  callPresales,
  cdrOf,
  recordAs,
  sessionIdOf,
  socket,
  talkAndHangUp,
  useLiveWorld,
} from './support/live-world.js';

/** Where the server says it lives; the links in members' cards point here (the test rewrites them). */
const PUBLIC_URL = 'https://cc.example.test';
const CORP = { corpId: 'ww5823bf96d3bd56c7', corpSecret: 'app-secret-1', agentId: 1000002 };
const CALLBACK = { callbackToken: 'QDG6eK', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };
const MEMBERS = [
  { userId: 'zhangsan', name: '张三' },
  { userId: 'lisi', name: '李四' },
];

let wecom: WeComDouble;
beforeAll(async () => {
  wecom = await WeComDouble.start(CORP);
});
afterAll(() => wecom?.close());

const w = useLiveWorld({
  secret: 'wecom-add-friend-secret',
  timeScale: 0.02,
  calls: { wrapUpSeconds: 0 },
  plugins: [wecomAddFriend({ allowApiBaseUrl: true, publicUrl: PUBLIC_URL, timeoutMs: 4000 })],
  center: { slug: 'wecom-live', agents: 2, edition: 'advanced', settings: { numberProtection: true } },
});

const freshNumber = () => `139${randomInt(1e7, 1e8)}`;
const masked = (n: string) => `${n.slice(0, 3)}****${n.slice(-4)}`;

async function turnOn(): Promise<void> {
  const res = await w.t.request('PUT', '/api/v1/plugins/wecom-add-friend', {
    token: w.cc.admin.token,
    body: { enabled: true, settings: { ...CORP, ...CALLBACK, members: MEMBERS, apiBaseUrl: wecom.baseUrl } },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** The card link rewritten from the public address to the test server. */
const local = (link: string) => link.replace(PUBLIC_URL, w.t.url);

/** WeCom posting an encrypted event to the tenant's callback URL. */
async function wecomPosts(xml: string): Promise<number> {
  const ev = encryptedEvent({ ...CORP, ...CALLBACK }, xml, Date.now());
  const res = await fetch(`${w.t.url}/plugins/wecom-add-friend/callback/${w.cc.tenantId}?${ev.query.toString()}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: ev.body,
  });
  await res.text();
  return res.status;
}

/** An answered inbound call from `customer`; the agent's socket and the session id. */
async function answeredCall(customer: string) {
  const agent = w.cc.agents[0]!;
  const device = w.sim.registerUser(agent.sipUser);
  await setAgentState(w.t, agent, 'idle');
  const ws = await socket(w, agent);
  const call = await callPresales(w, w.cc, customer);
  const ring = await device.nextRing({ timeoutMs: 10_000 });
  const leg = ring.answer();
  const sessionId = await sessionIdOf(w, call);
  await ws.next('call.offer');
  return { agent, ws, call, leg, sessionId };
}

describe('[CTL-12] WeCom add-friend tasks on live calls', () => {
  it('[CTL-12] the agent hands the caller to a member during the call; the member sees the number once through WeCom OAuth; the add event marks the task added on the card and in the record', async () => {
    await turnOn();
    const customer = freshNumber();
    const { agent, ws, call, leg, sessionId } = await answeredCall(customer);
    const asAgent = (method: 'GET' | 'POST', path: string, body?: unknown) =>
      w.t.request(method, `/plugins/wecom-add-friend${path}`, {
        token: agent.token,
        headers: { 'accept-language': 'zh-CN' },
        ...(body ? { body } : {}),
      });

    // The action is offered to the agent, with its member picker.
    const ui = await w.t.request('GET', '/api/v1/plugins/ui', { token: agent.token });
    const action = ui.body.actions.find((a: { id: string }) => a.id === 'add-friend');
    expect(action).toMatchObject({ url: '/plugins/wecom-add-friend/tasks', label: { 'zh-CN': '加微' } });
    const members = await asAgent('GET', '/members');
    expect(members.body.items).toEqual([
      { value: 'zhangsan', label: '张三（zhangsan）' },
      { value: 'lisi', label: '李四（lisi）' },
    ]);

    // During the call: assigned, then notified — the member gets a card with the masked customer.
    const sentBefore = wecom.sent.length;
    const assigned = await asAgent('POST', '/tasks', { sessionId, values: { member: 'zhangsan', note: '想了解套餐' } });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(201);
    expect(assigned.body.message).toBe('已通过企业微信通知 张三 添加客户');
    const task = assigned.body.task;
    expect(task).toMatchObject({ status: 'notified', member: { userId: 'zhangsan' }, customer: masked(customer) });
    const card = wecom.sent.slice(sentBefore).find((s) => s.body.msgtype === 'textcard')!.body as {
      touser: string;
      textcard: { description: string; url: string };
    };
    expect(card.touser).toBe('zhangsan');
    expect(card.textcard.description).toContain(masked(customer));
    expect(JSON.stringify(card)).not.toContain(customer);
    expect(
      card.textcard.url.startsWith(`${PUBLIC_URL}/plugins/wecom-add-friend/reveal/${w.cc.tenantId}/${task.id}?t=`),
    ).toBe(true);
    // The contact way that makes the add exact: for that member, carrying the task's state.
    expect(wecom.contactWays.at(-1)!.body).toMatchObject({
      type: 1,
      scene: 2,
      user: ['zhangsan'],
      state: `t${task.id}`,
    });

    // The agent's card shows it at once.
    const notified = await ws.next(
      'call.annotated',
      (d) => d.sessionId === sessionId && d.value.fields?.[0]?.value === '已通知成员 · member notified',
    );
    expect(notified.data).toMatchObject({
      key: 'wecomAddFriend',
      value: { kind: 'card', fields: [{ label: '张三' }] },
    });

    // The same member twice for one call: refused in words, the open task named.
    const again = await asAgent('POST', '/tasks', { sessionId, values: { member: 'zhangsan' } });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('已将该客户分配给 张三，等待添加中');

    // The link goes through WeCom's OAuth for the corp's app…
    const hop = await fetch(local(card.textcard.url), { redirect: 'manual' });
    expect(hop.status).toBe(302);
    const oauth = new URL(hop.headers.get('location')!.replace(/#wechat_redirect$/, ''));
    expect(`${oauth.origin}${oauth.pathname}`).toBe('https://open.weixin.qq.com/connect/oauth2/authorize');
    expect(Object.fromEntries(oauth.searchParams)).toMatchObject({
      appid: CORP.corpId,
      agentid: String(CORP.agentId),
      scope: 'snsapi_base',
    });
    const back = oauth.searchParams.get('redirect_uri')!;
    expect(back.startsWith(`${PUBLIC_URL}/plugins/wecom-add-friend/reveal/${w.cc.tenantId}/${task.id}/member?t=`)).toBe(
      true,
    );
    // …and WeCom sends the browser back with a code. Another member (a forwarded card) sees nothing…
    wecom.oauthCodes.set('code-lisi', 'lisi');
    const forwarded = await fetch(`${local(back)}&code=code-lisi`);
    expect(forwarded.status).toBe(403);
    expect(await forwarded.text()).not.toContain(customer);
    // …the member sees the number, once.
    wecom.oauthCodes.set('code-zhangsan', 'zhangsan');
    const shown = await fetch(`${local(back)}&code=code-zhangsan`);
    expect(shown.status).toBe(200);
    expect(shown.headers.get('cache-control')).toBe('no-store');
    const page = await shown.text();
    expect(page).toContain(customer);
    expect(page).toContain('想了解套餐');
    wecom.oauthCodes.set('code-zhangsan-2', 'zhangsan');
    const reopened = await fetch(`${local(back)}&code=code-zhangsan-2`);
    expect(reopened.status).toBe(410);
    expect(await reopened.text()).not.toContain(customer);

    // The customer scans the member's code: WeCom's signed, encrypted event carries the state.
    const status = await wecomPosts(
      addContactEventXml({
        corpId: CORP.corpId,
        userId: 'zhangsan',
        externalUserId: `wm${task.id}`,
        state: `t${task.id}`,
        createTime: Math.floor(Date.now() / 1000),
      }),
    );
    expect(status).toBe(200);
    await ws.next(
      'call.annotated',
      (d) => d.sessionId === sessionId && d.value.fields?.[0]?.value === '已添加 · added',
    );
    const list = await asAgent('GET', `/tasks?sessionId=${sessionId}`);
    expect(list.body.items).toEqual([
      expect.objectContaining({ id: task.id, status: 'added', revealed: true, customer: masked(customer) }),
    ]);

    // The call ends: the record keeps the task's card, for the agent as for an admin.
    await talkAndHangUp(call, leg);
    const record = await until(async () => {
      const r = await recordAs(w, agent, sessionId);
      return r?.annotations?.wecomAddFriend ? r : undefined;
    }, 'record with the task');
    expect(record.annotations.wecomAddFriend).toMatchObject({
      kind: 'card',
      tasks: [{ id: task.id, status: 'added', member: 'zhangsan' }],
    });
    // Nothing the agent received holds the number.
    expect(JSON.stringify([ws.frames, list.body, assigned.body, record])).not.toContain(customer);
  });

  it('[CTL-12] after the call: a member who adds the customer by number (no state) is matched by member and confirmed with WeCom; a refused card is explained in words', async () => {
    await turnOn();
    const customer = freshNumber();
    const { agent, ws, call, leg, sessionId } = await answeredCall(customer);
    await talkAndHangUp(call, leg);
    const asAgent = (body: unknown, lang = 'zh-CN') =>
      w.t.request('POST', '/plugins/wecom-add-friend/tasks', {
        token: agent.token,
        headers: { 'accept-language': lang },
        body,
      });

    // WeCom refuses (the server's IP is not trusted): the agent reads why, the card says so.
    wecom.failNext('message/send', { errcode: 60020 });
    const refused = await asAgent({ sessionId, values: { member: 'lisi' } });
    expect(refused.status).toBe(502);
    expect(refused.body.error.message).toBe('服务器 IP 不在企业微信可信 IP 列表中，请管理员添加');
    await ws.next('call.annotated', (d) => d.sessionId === sessionId && d.value.status === 'unavailable');
    // In English for an English workbench; a member outside the list is refused.
    const stranger = await asAgent({ sessionId, values: { member: 'wangwu' } }, 'en');
    expect(stranger.status).toBe(400);
    expect(stranger.body.error.message).toBe('That member is not in the list of members');

    // Tried again, the card goes out (the call has ended: wrap-up is when this is usually done).
    const assigned = await asAgent({ sessionId, values: { member: 'lisi' } });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(201);
    const task = assigned.body.task;

    // A colleague who did not take the call cannot hand its customer over.
    const foreign = await w.t.request('POST', '/plugins/wecom-add-friend/tasks', {
      token: w.cc.agents[1]!.token,
      body: { sessionId, values: { member: 'lisi' } },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('not_your_call');

    // The member found the customer by number and noted it: the event has no state.
    const externalUserId = `wmsearch${task.id}`;
    wecom.contacts.set(externalUserId, {
      external_contact: { external_userid: externalUserId, name: '客户', type: 1 },
      follow_user: [
        { userid: 'lisi', createtime: Math.floor(Date.now() / 1000), add_way: 2, remark_mobiles: [customer] },
      ],
    });
    const contactCalls = wecom.contactCalls.length;
    expect(
      await wecomPosts(
        addContactEventXml({
          corpId: CORP.corpId,
          userId: 'lisi',
          externalUserId,
          createTime: Math.floor(Date.now() / 1000),
        }),
      ),
    ).toBe(200);
    const record = await until(async () => {
      const r = await cdrOf(w, w.cc, sessionId);
      const tasks = r?.annotations?.wecomAddFriend?.tasks as Array<{ id: string; status: string }> | undefined;
      return tasks?.find((t) => t.id === task.id && t.status === 'added') ? r : undefined;
    }, 'the record shows the task added');
    expect(wecom.contactCalls.length).toBe(contactCalls + 1);
    expect(record.annotations.wecomAddFriend.tasks.map((t: { status: string }) => t.status)).toEqual([
      'added',
      'failed',
    ]);
    // The agent in wrap-up saw it happen.
    await ws.next(
      'call.annotated',
      (d) => d.sessionId === sessionId && d.value.fields?.[0]?.value === '已添加 · added',
    );
  });
});
