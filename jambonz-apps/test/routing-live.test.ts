/**
 * Routing on live calls through the jambonz simulator: ring timeout re-offer with the
 * `call.autoTransfer` event (RT-05, EV-05), last agent first (RT-04), an admin forcing a ringing
 * agent offline (ADM-12), and wrap-up with and without auto-recovery (RT-06, CTL-06).
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { setAgentState, type CallCenter } from '../../core/test/support/call-center.js';
import type { SeededUser } from '../../core/test/support/test-app.js';
import type { SimCall } from '../src/simulator/index.js';
import { until } from './support/harness.js';
import { useLiveWorld } from './support/live-world.js';

const SECRET = 'routing-live-secret';
const TIME_SCALE = 0.02; // 1 simulated second = 20 ms

const w = useLiveWorld({ secret: SECRET, timeScale: TIME_SCALE, calls: { wrapUpSeconds: 0 } });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frames are asserted on loosely
type Frame = { type: string; data: any };

async function socket(user: SeededUser) {
  const ws = new WebSocket(`${w.t.url.replace(/^http/, 'ws')}/ws?access_token=${user.token}`);
  const frames: Frame[] = [];
  ws.on('message', (m) => frames.push(JSON.parse(m.toString())));
  const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  return { ws, frames, closed, close: () => ws.close() };
}

async function center(slug: string, agents: number, ringTimeoutSeconds = 20) {
  const cc = await w.center({ slug, agents, ringTimeoutSeconds });
  const devices = cc.agents.map((a) => w.sim.registerUser(a.sipUser));
  return { cc, devices };
}

/** Agents go idle one after the other, so the first is the longest idle. */
async function idleInOrder(cc: CallCenter, order: number[]): Promise<void> {
  for (const i of order) {
    await setAgentState(w.t, cc.agents[i]!, 'idle');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function callPresales(cc: CallCenter, from: string): Promise<SimCall> {
  const call = await w.sim.placeCall({ from, to: cc.number });
  await call.expectPrompt(/press 1/);
  call.press('1');
  return call;
}

async function agentState(user: SeededUser): Promise<string> {
  return (await w.t.request('GET', '/api/v1/agents/me', { token: user.token })).body.state;
}

async function settings(cc: CallCenter, body: Record<string, unknown>): Promise<void> {
  const res = await w.t.request('PUT', '/api/v1/settings/agent', { token: cc.admin.token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** The agents a call was offered to, in the order of the offers. */
async function offeredTo(call: SimCall): Promise<string[]> {
  const r = await w.t.app.database.pool.query(
    `select o.agent_id from call_offers o join call_sessions s on s.id = o.session_id
     where s.customer_call_sid = $1 order by o.created_at, o.id`,
    [call.callSid],
  );
  return r.rows.map((row: { agent_id: string }) => row.agent_id);
}

/** Talks briefly, then the customer hangs up and both legs end. */
async function talkAndHangUp(call: SimCall, leg: SimCall): Promise<void> {
  await until(async () => call.conference && call.conference === leg.conference, 'bridged');
  call.hangup();
  await call.ended;
  await leg.ended;
}

describe('routing on live calls', () => {
  it('[RT-05] [EV-05] a ring timeout re-offers the call, counts the miss and sends call.autoTransfer', async () => {
    const { cc, devices } = await center('autotransfer', 2, 3);
    await idleInOrder(cc, [0, 1]);
    const sup = await socket(cc.supervisor);
    const first = await socket(cc.agents[0]!);
    const call = await callPresales(cc, '13900000101');

    const ring = await devices[0]!.nextRing({ timeoutMs: 10_000 });
    // The second agent answers from the ring event itself: their ring times out after the same
    // 3 simulated seconds (60 ms of wall time), which the assertions below would outlast on a
    // loaded machine.
    const answered = devices[1]!.nextRing({ timeoutMs: 10_000 }).then((r) => r.answer());
    ring.ignore(); // rings out after 3 simulated seconds
    const leg = await answered;
    const sessionId = (
      await w.t.app.database.pool.query('select id from call_sessions where customer_call_sid = $1', [call.callSid])
    ).rows[0].id;

    for (const s of [sup, first]) {
      const ev = await until(async () => s.frames.find((f) => f.type === 'call.autoTransfer'), 'call.autoTransfer');
      expect(ev.data).toMatchObject({
        sessionId,
        agentId: cc.agents[0]!.id,
        skillGroupId: cc.groups.presales,
        missedOffers: 1,
        reason: expect.any(String),
      });
    }
    // The agent who let it ring is idle again, with the miss counted; the supervisor sees it.
    const list = await w.t.request('GET', '/api/v1/agents', { token: cc.supervisor.token });
    const missed = Object.fromEntries(
      (list.body.items as Array<{ userId: string; missedOffers: number }>).map((a) => [a.userId, a.missedOffers]),
    );
    expect(missed).toEqual({ [cc.agents[0]!.id]: 1, [cc.agents[1]!.id]: 0 });

    await talkAndHangUp(call, leg);
    const cdr = await until(async () => {
      const r = await w.t.request('GET', `/api/v1/records/${sessionId}`, { token: cc.admin.token });
      return r.status === 200 ? r.body : undefined;
    }, 'cdr');
    expect(cdr.agentId).toBe(cc.agents[1]!.id);
    expect(cdr.serveParticipants.map((p: { agentId: string }) => p.agentId)).toEqual([
      cc.agents[0]!.id,
      cc.agents[1]!.id,
    ]);
    sup.close();
    first.close();
  });

  it('[RT-04] a caller who calls again goes to the agent who served them last', async () => {
    const { cc, devices } = await center('lastagent', 2);
    await idleInOrder(cc, [0, 1]);
    // First call: agent 0 (longest idle) serves 13900000201.
    let call = await callPresales(cc, '13900000201');
    let ring = await devices[0]!.nextRing({ timeoutMs: 10_000 });
    await talkAndHangUp(call, ring.answer());
    await until(async () => (await agentState(cc.agents[0]!)) === 'idle', 'agent 0 idle again');
    // Agent 1 has now been idle longer, yet the same caller goes back to agent 0 — offered to
    // them first, not reached after agent 1's ring timed out (RT-05 would land there too).
    call = await callPresales(cc, '13900000201');
    ring = await devices[0]!.nextRing({ timeoutMs: 10_000 });
    await talkAndHangUp(call, ring.answer());
    expect(await offeredTo(call)).toEqual([cc.agents[0]!.id]);
    await until(async () => (await agentState(cc.agents[0]!)) === 'idle', 'agent 0 idle again');
    // … while a new caller goes to the longest idle, agent 1.
    call = await callPresales(cc, '13900000202');
    ring = await devices[1]!.nextRing({ timeoutMs: 10_000 });
    await talkAndHangUp(call, ring.answer());
    expect(await offeredTo(call)).toEqual([cc.agents[1]!.id]);
  });

  it('[ADM-12] forcing a ringing agent offline stops the ring, closes their sockets and re-offers the caller', async () => {
    // A long ring (6 s of wall time): the agent must still be ringing when the admin acts, even
    // on a loaded machine (the default 20 simulated seconds are only 400 ms here).
    const { cc, devices } = await center('forceoff', 2, 300);
    await idleInOrder(cc, [0, 1]);
    const own = await socket(cc.agents[0]!);
    const call = await callPresales(cc, '13900000301');
    const ring = await devices[0]!.nextRing({ timeoutMs: 10_000 });
    expect(await agentState(cc.agents[0]!)).toBe('ringing');

    const res = await w.t.request('POST', `/api/v1/agents/${cc.agents[0]!.id}/force-offline`, {
      token: cc.admin.token,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'offline', missedOffers: 0 });
    await ring.whenCancelled;
    expect(await own.closed).toBe(4003);
    expect(own.frames.map((f) => f.type)).toEqual(expect.arrayContaining(['call.offer.withdrawn', 'session.revoked']));

    const next = await devices[1]!.nextRing({ timeoutMs: 10_000 });
    await talkAndHangUp(call, next.answer());
    expect(await agentState(cc.agents[0]!)).toBe('offline');
  });

  it('[ADM-12] forcing an agent offline during a call does not cut the call; the agent is offline once it ends', async () => {
    const { cc, devices } = await center('forcecall', 1);
    await idleInOrder(cc, [0]);
    const call = await callPresales(cc, '13900000311');
    const leg = (await devices[0]!.nextRing({ timeoutMs: 10_000 })).answer();
    await until(async () => call.conference && call.conference === leg.conference, 'bridged');
    const res = await w.t.request('POST', `/api/v1/agents/${cc.agents[0]!.id}/force-offline`, {
      token: cc.admin.token,
    });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('offline');
    // Both sides still hear each other: the call goes on.
    leg.speak('Still here after the admin acted');
    call.speak('Me too');
    expect(call.heard).toContain('Still here after the admin acted');
    expect(leg.heard).toContain('Me too');
    expect([call.status, leg.status]).toEqual(['in-progress', 'in-progress']);
    call.hangup();
    await call.ended;
    await leg.ended;
    await until(async () => (await agentState(cc.agents[0]!)) === 'offline', 'still offline after the call');
    expect(devices[0]!.ringing()).toEqual([]);
  });

  it('[RT-06] [CTL-06] wrap-up of the tenant’s length, then back to idle by itself and straight to the next caller', async () => {
    const { cc, devices } = await center('wrapauto', 1);
    await settings(cc, { wrapUpSeconds: 2 }); // the server default here is 0
    await idleInOrder(cc, [0]);
    const first = await callPresales(cc, '13900000401');
    await talkAndHangUp(first, (await devices[0]!.nextRing({ timeoutMs: 10_000 })).answer());
    await until(async () => (await agentState(cc.agents[0]!)) === 'afterCallWork', 'wrap-up');
    // A caller who arrives during wrap-up waits …
    const second = await callPresales(cc, '13900000402');
    await second.expectPrompt(/You are number 1 in the queue/);
    // … and is offered as soon as the wrap-up ends, without the agent doing anything.
    const ring = await devices[0]!.nextRing({ timeoutMs: 10_000 });
    const log = await w.t.app.database.pool.query(
      `select from_state, to_state from agent_state_log where user_id = $1 order by at desc limit 2`,
      [cc.agents[0]!.id],
    );
    expect(log.rows.reverse()).toEqual([
      { from_state: 'afterCallWork', to_state: 'idle' },
      { from_state: 'idle', to_state: 'ringing' },
    ]);
    await talkAndHangUp(second, ring.answer());
  });

  it('[CTL-06] without auto-recovery no call is offered until the agent ends wrap-up', async () => {
    const { cc, devices } = await center('wrapmanual', 1);
    await settings(cc, { wrapUpSeconds: 1, wrapUpAutoEnd: false });
    await idleInOrder(cc, [0]);
    const first = await callPresales(cc, '13900000501');
    await talkAndHangUp(first, (await devices[0]!.nextRing({ timeoutMs: 10_000 })).answer());
    await until(async () => (await agentState(cc.agents[0]!)) === 'afterCallWork', 'wrap-up');
    const second = await callPresales(cc, '13900000502');
    await second.expectPrompt(/You are number 1 in the queue/);
    await new Promise((r) => setTimeout(r, 1500)); // well past the 1 s and many sweeps
    expect(devices[0]!.ringing()).toEqual([]);
    expect(await agentState(cc.agents[0]!)).toBe('afterCallWork');
    // The agent ends wrap-up: the waiting caller rings at once.
    const res = await w.t.request('PUT', '/api/v1/agents/me/state', {
      token: cc.agents[0]!.token,
      body: { state: 'idle' },
    });
    expect(res.status).toBe(200);
    const ring = await devices[0]!.nextRing({ timeoutMs: 10_000 });
    await talkAndHangUp(second, ring.answer());
  });
});
