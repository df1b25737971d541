/**
 * The mini-program's stores against a real server and the jambonz simulator (issue 13 item 2):
 * what a page calls is what these tests call, through the same API client and realtime link,
 * with `fetch` and `ws` in place of `Taro.request` and `wx.connectSocket`.
 */
import { randomInt } from 'node:crypto';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { setAgentState } from '../../core/test/support/call-center.js';
import type { SeededUser } from '../../core/test/support/test-app.js';
import { until } from '../../jambonz-apps/test/support/harness.js';
import { hookRecorder } from '../../jambonz-apps/test/support/hook-recorder.js';
import { callPresales, useLiveWorld } from '../../jambonz-apps/test/support/live-world.js';
import { setHost } from '../src/core/host';
import { useAgentStore } from '../src/stores/agent';
import { useAuthStore } from '../src/stores/auth';
import { useCallStore } from '../src/stores/call';
import { useLiveStore } from '../src/stores/live';
import { customerOf, useRecentStore } from '../src/stores/recent';
import { nodeHost, wsOpener } from './support/node-host';

/** The CRM's card for every caller (MP-05), holding the phone as a CRM would. */
const { plugin: crm } = hookRecorder('crm', ['call.incoming', 'call.outbound'], {
  'call.incoming': ({ from }) => ({
    annotations: {
      screenPop: {
        kind: 'card',
        status: 'found',
        title: '李女士',
        subtitle: `VIP · ${from}`,
        tags: ['VIP'],
        fields: [{ label: '电话', value: from }],
      },
    },
  }),
});

const w = useLiveWorld({ secret: 'mp-secret', timeScale: 1, calls: { wrapUpSeconds: 0 }, plugins: [crm({})] });

beforeEach(() => {
  setActivePinia(createPinia());
});

const customerNumber = () => `139${randomInt(1e7, 1e8)}`;

/** A call center whose agent signs in on the mini-program; a number kept for agents' mobiles (ADM-05). */
async function center(slug: string, settings: Record<string, unknown> = {}) {
  const cc = await w.center({ slug, agents: 1, settings: { numberProtection: true, ...settings } });
  w.signedIn(cc.supervisor);
  const agent = cc.agents[0]!;
  const forMobiles = await w.t.app.container.cradle.numberRepo.create(cc.tenantId, {
    number: `0108${randomInt(1e6, 1e7)}`,
    label: 'mobiles',
  });
  const put = await w.t.request('PUT', `/api/v1/agent-mobile-numbers/${forMobiles.id}`, { token: cc.admin.token });
  expect(put.status).toBe(200);
  return { cc, agent, forMobiles: forMobiles.number };
}

/** The agent's app: signed in by SMS code (MP-01), following events over the socket. */
async function appOf(agent: SeededUser, opts: { pollMs?: number } = {}) {
  const sockets = wsOpener();
  const h = nodeHost(w.t.url, { open: sockets.open, pollMs: opts.pollMs ?? 200 });
  setHost(h.host);
  const auth = useAuthStore();
  expect(await auth.sendCode(agent.mobile)).toBe(true);
  const code = [...w.t.sms.inbox].reverse().find((m) => m.mobile === agent.mobile)!.code;
  expect(await auth.loginWithCode(agent.mobile, code), auth.error ?? '').toBe(true);
  const live = useLiveStore();
  live.start();
  w.closeAfterTest(() => live.stop());
  return { ...h, sockets, auth, live, agent: useAgentStore(), call: useCallStore(), recent: useRecentStore() };
}

describe('the agent mini-program against a real server', () => {
  it('[MP-01] signs in by SMS code or password, stays signed in through a refresh, shows the server’s refusal, signs out', async () => {
    const { agent } = await center('mp-signin');
    const app = await appOf(agent);
    expect(app.auth.user?.id).toBe(agent.id);
    expect(app.auth.resendIn).toBeGreaterThan(0);

    // A wrong code: the server's own message, in the agent's language (zh-CN).
    setActivePinia(createPinia());
    const other = nodeHost(w.t.url);
    setHost(other.host);
    const fresh = useAuthStore();
    expect(await fresh.loginWithCode(agent.mobile, '000000')).toBe(false);
    expect(fresh.error).toMatch(/[\u4e00-\u9fff]/);
    expect(await fresh.loginWithPassword(agent.email, 'not-the-password')).toBe(false);
    expect(fresh.error).toBeTruthy();

    // Back in the signed-in app: an access token that no longer works is refreshed once, silently.
    setHost(app.host);
    app.store.set('sb.accessToken', 'expired-or-garbage');
    setActivePinia(createPinia());
    const relaunched = useAuthStore();
    expect(await relaunched.restore()).toBe(true);
    expect(relaunched.user?.id).toBe(agent.id);
    expect(app.store.get('sb.accessToken')).not.toBe('expired-or-garbage');

    // Sign-out revokes the refresh token at the server.
    const refresh = app.store.get('sb.refreshToken')!;
    await relaunched.logout();
    expect(app.store.get('sb.refreshToken')).toBeNull();
    const again = await w.t.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: refresh } });
    expect(again.status).toBe(401);
  });

  it('[MP-02] goes online, rests with one of the tenant’s reasons, goes offline; a change made elsewhere arrives live', async () => {
    const { agent } = await center('mp-state', { agent: { restReasons: ['午餐', '会议'] } });
    const app = await appOf(agent);
    await until(async () => app.live.status === 'open', 'socket open');
    await app.agent.refresh();
    expect(app.agent.state).toBe('offline');
    expect(app.agent.restReasons).toEqual(['午餐', '会议']);

    expect(await app.agent.choose('idle')).toBe(true);
    expect(app.agent.state).toBe('idle');
    expect(await app.agent.choose('rest', '午餐')).toBe(true);
    expect(app.agent.me).toMatchObject({ state: 'rest', reason: '午餐' });
    // Not one of the tenant's reasons: the server says so and the state stays.
    expect(await app.agent.choose('rest', '打游戏')).toBe(false);
    expect(app.agent.error).toBeTruthy();
    expect(app.agent.me).toMatchObject({ state: 'rest', reason: '午餐' });

    // The same agent on the web workbench goes not ready: the mini-program follows over /ws.
    await setAgentState(w.t, agent, 'notReady');
    await until(async () => app.agent.state === 'notReady', 'state pushed');

    expect(await app.agent.choose('offline')).toBe(true);
    expect(app.agent.state).toBe('offline');
  });

  it('[MP-03] [OUT-04] [OUT-05] [MP-04] dials a customer: the agent’s mobile rings first (softphone or not), then the customer; progress live; the call is in recent calls, masked, with its note; redial rings the mobile again', async () => {
    const { cc, agent, forMobiles } = await center('mp-dial');
    // The agent's softphone is registered and their answer mode is the softphone: the
    // mini-program's call still goes through the mobile.
    const softphone = w.sim.registerUser(agent.sipUser);
    const mobile = w.sim.phone(agent.mobile);
    const app = await appOf(agent);
    await until(async () => app.live.status === 'open', 'socket open');
    expect(await app.agent.choose('idle')).toBe(true);

    const customer = customerNumber();
    const phone = w.sim.phone(customer);
    expect(await app.call.dial(customer), app.call.error ?? '').toBe(true);
    const sessionId = app.call.current!.sessionId;
    // Masked for the agent (number protection), everywhere the app shows it.
    expect(app.call.current!.customer).not.toContain(customer.slice(3, 7));
    expect(app.call.current!.stage).toBe('dialingAgent');

    const own = await mobile.nextRing({ timeoutMs: 30_000 });
    expect(own.from).toBe(forMobiles);
    expect(softphone.rings).toHaveLength(0);
    expect(phone.rings).toHaveLength(0);
    const agentLeg = own.answer();
    await agentLeg.expectPrompt(/Dialling the customer/);
    const ring = await phone.nextRing({ timeoutMs: 30_000 });
    // The customer sees the company number, not the agents' mobile line nor the agent's own mobile.
    expect(ring.from).toBe(cc.number);
    await until(
      async () => ['dialingCustomer', 'customerRinging'].includes(app.call.current!.stage),
      'dialling customer',
    );
    const customerLeg = ring.answer();
    await until(async () => app.call.current?.stage === 'connected', 'connected');
    await until(async () => customerLeg.conference && customerLeg.conference === agentLeg.conference, 'bridged');
    customerLeg.speak('您好');
    expect(agentLeg.heard).toContain('您好');
    customerLeg.hangup();
    await agentLeg.ended;
    await until(async () => app.call.current?.stage === 'ended', 'ended');
    expect(app.call.current!.endStatus).toBe('ok');
    app.call.dismiss();
    expect(app.call.current).toBeNull();

    // Recent calls: the call, masked as agents see it; a note saved on it reaches the record.
    await until(async () => {
      await app.recent.load();
      return app.recent.items.some((r) => r.sessionId === sessionId);
    }, 'record');
    const row = app.recent.items.find((r) => r.sessionId === sessionId)!;
    expect(row.direction).toBe('outbound');
    expect(customerOf(row)).not.toBe(customer);
    expect(customerOf(row)).toMatch(/\*/);
    expect(await app.recent.saveNote(sessionId, '客户要求下周回访')).toBe(true);
    const record = await w.t.request('GET', `/api/v1/records/${sessionId}`, { token: cc.admin.token });
    expect(record.body).toMatchObject({ note: '客户要求下周回访', callee: customer, endStatusString: 'ok' });
    await app.recent.load();
    expect(app.recent.items.find((r) => r.sessionId === sessionId)?.note).toBe('客户要求下周回访');

    // Redial from the row: a new call, the mobile first again.
    await until(async () => (await app.agent.refresh(), app.agent.state === 'idle'), 'idle again');
    expect(await app.call.redial(sessionId, customerOf(row)), app.call.error ?? '').toBe(true);
    const again = await mobile.nextRing({ timeoutMs: 30_000 });
    expect(softphone.rings).toHaveLength(0);
    const secondLeg = again.answer();
    const ring2 = await phone.nextRing({ timeoutMs: 30_000 });
    ring2.reject(486);
    await secondLeg.ended;
    await until(async () => app.call.current?.stage === 'ended', 'redial ended');
    expect(app.call.current!.endStatus).toBe('busy');
  });

  it('[MP-05] an incoming call shows its card with the CRM’s customer, over the socket or, with the socket refused, by polling', async () => {
    const { cc, agent } = await center('mp-incoming');
    const mobile = w.sim.phone(agent.mobile);
    // The agent answers on their mobile (IN-02), as a mini-program agent does.
    const answering = await w.t.request('PUT', '/api/v1/me/answering', {
      token: agent.token,
      body: { answerMode: 'mobileAlways' },
    });
    expect(answering.status).toBe(200);

    const app = await appOf(agent);
    await until(async () => app.live.status === 'open', 'socket open');
    for (const via of ['socket', 'polling'] as const) {
      if (via === 'polling') {
        // The network drops WebSockets from now on, and the open one dies.
        app.sockets.refuse();
        for (const s of app.sockets.sockets) s.terminate();
        await until(async () => app.live.status === 'polling', 'polling');
      }
      expect(await app.agent.choose('idle')).toBe(true);

      const caller = customerNumber();
      const call = await callPresales(w, cc, caller);
      const ring = await mobile.nextRing({ timeoutMs: 30_000 });
      await until(async () => app.call.current?.stage === 'ringing', `ringing card (${via})`);
      const card = app.call.current!;
      // The customer masked (number protection), in the card and in the CRM's fields alike.
      expect(card.customer).not.toBe(caller);
      expect(card.customer).toMatch(/\*/);
      expect(card.companyNumber).toBe(cc.number);
      const pop = card.annotations.screenPop as { title: string };
      expect(pop.title).toBe('李女士');
      expect(JSON.stringify(pop)).not.toContain(caller);

      const leg = ring.answer();
      await until(async () => app.call.current?.stage === 'connected', `connected (${via})`);
      call.hangup();
      await leg.ended;
      await until(async () => app.call.current?.stage === 'ended', `ended (${via})`);
      app.call.dismiss();
    }
    // Still polling: the socket stays refused, and the link keeps trying it.
    expect(app.live.status).toBe('polling');
  });
});
