/**
 * Agent states and routing strategies on live calls through the jambonz simulator: which states
 * take inbound calls and how a call moves an agent through them (AGT-01), the admin's default
 * login state (AGT-02), fewest calls today (RT-02) and member priority set through the API
 * (RT-03, ADM-07). The table-driven unit tests of the same rules are in core/src/modules/routing.
 */
import { describe, expect, it } from 'vitest';
import { setAgentState, type CallCenter } from '../../core/test/support/call-center.js';
import type { SeededUser } from '../../core/test/support/test-app.js';
import type { SimCall, SimDevice } from '../src/simulator/index.js';
import { simulatedPause, until } from './support/harness.js';
import { callPresales as presales, talkAndHangUp, useLiveWorld } from './support/live-world.js';

const TIME_SCALE = 0.05; // 1 simulated second = 50 ms

// Wrap-up stays until the agent ends it (CTL-06), so each test controls when agents free up.
const w = useLiveWorld({ secret: 'agent-routing-live-secret', timeScale: TIME_SCALE, calls: { wrapUpSeconds: 600 } });

async function center(slug: string, agents: number) {
  const cc = await w.center({ slug, agents });
  const devices = cc.agents.map((a) => w.sim.registerUser(a.sipUser));
  return { cc, devices };
}

const callPresales = (cc: CallCenter, from: string) => presales(w, cc, from);

async function agentOf(user: SeededUser) {
  const res = await w.t.request('GET', '/api/v1/agents/me', { token: user.token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { state: string; reason: string | null; callsTaken: number };
}

async function sessionOf(call: SimCall) {
  const { rows } = await w.t.app.database.pool.query(
    'select id, state from call_sessions where customer_call_sid = $1',
    [call.callSid],
  );
  return rows[0] as { id: string; state: string } | undefined;
}

async function offersOf(sessionId: string): Promise<string[]> {
  const { rows } = await w.t.app.database.pool.query(
    'select agent_id from call_offers where session_id = $1 order by created_at',
    [sessionId],
  );
  return rows.map((r) => r.agent_id as string);
}

/** States an agent went through, oldest first, from the state log. */
async function stateLog(user: SeededUser, since: Date): Promise<string[]> {
  const { rows } = await w.t.app.database.pool.query(
    'select to_state from agent_state_log where user_id = $1 and at >= $2 order by at, id',
    [user.id, since],
  );
  return rows.map((r) => r.to_state as string);
}

/** Lets simulated time pass with the caller queued, then proves nobody was offered the call. */
async function expectNobodyRung(call: SimCall, devices: SimDevice[]): Promise<string> {
  const session = await until(async () => {
    const s = await sessionOf(call);
    return s?.state === 'queued' ? s : undefined;
  }, 'caller queued');
  await simulatedPause(w.sim, 40_000);
  expect((await sessionOf(call))?.state).toBe('queued');
  expect(await offersOf(session.id)).toEqual([]);
  for (const d of devices) expect(d.rings.length).toBe(0);
  return session.id;
}

describe('agent states and strategies on live calls', () => {
  it('[AGT-01] notReady and rest take no inbound call; idle rings, answers busy, wrap-up after, every change logged', async () => {
    const { cc, devices } = await center('agt01', 2);
    const since = new Date();
    const [a0, a1] = [cc.agents[0]!, cc.agents[1]!];
    await setAgentState(w.t, a0, 'notReady');
    // Rest is taken from an online state (offline → rest is not a transition).
    await setAgentState(w.t, a1, 'notReady');
    const rest = await w.t.request('PUT', '/api/v1/agents/me/state', {
      token: a1.token,
      body: { state: 'rest', reason: 'Meal' },
    });
    expect(rest.status, JSON.stringify(rest.body)).toBe(200);
    expect(await agentOf(a1)).toMatchObject({ state: 'rest', reason: 'Meal' });
    // A reason the admin did not configure is refused.
    const bad = await w.t.request('PUT', '/api/v1/agents/me/state', {
      token: a1.token,
      body: { state: 'rest', reason: 'Nap' },
    });
    expect(bad.status).toBe(400);

    const call = await callPresales(cc, '13900002001');
    const sessionId = await expectNobodyRung(call, devices);

    // The notReady agent frees up: the waiting caller rings them at once.
    await setAgentState(w.t, a0, 'idle');
    const ring = await devices[0]!.nextRing({ timeoutMs: 10_000 });
    expect((await agentOf(a0)).state).toBe('ringing');
    const leg = ring.answer();
    await until(async () => (await agentOf(a0)).state === 'busy', 'agent busy');
    // Going offline mid-call is an illegal transition.
    const offline = await w.t.request('PUT', '/api/v1/agents/me/state', {
      token: a0.token,
      body: { state: 'offline' },
    });
    expect(offline.status).toBe(409);
    expect(offline.body.error.code).toBe('invalid_state_transition');
    await talkAndHangUp(call, leg);
    await until(async () => (await agentOf(a0)).state === 'afterCallWork', 'wrap-up');
    expect(await offersOf(sessionId)).toEqual([a0.id]);
    await setAgentState(w.t, a0, 'idle');

    expect(await stateLog(a0, since)).toEqual(['notReady', 'idle', 'ringing', 'busy', 'afterCallWork', 'idle']);
    expect(await stateLog(a1, since)).toEqual(['notReady', 'rest']);
    expect((await agentOf(a0)).callsTaken).toBe(1);
  });

  it('[AGT-02] agents log in to the admin’s default state: notReady takes no call until the agent goes idle', async () => {
    const { cc, devices } = await center('agt02', 1);
    const a0 = cc.agents[0]!;
    const put = await w.t.request('PUT', '/api/v1/settings/agent', {
      token: cc.admin.token,
      body: { defaultLoginState: 'notReady' },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const login = await w.t.request('POST', '/api/v1/agents/me/login', { token: a0.token });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    expect(login.body.state).toBe('notReady');

    const call = await callPresales(cc, '13900002002');
    await expectNobodyRung(call, devices);
    await setAgentState(w.t, a0, 'idle');
    const ring = await devices[0]!.nextRing({ timeoutMs: 10_000 });
    await talkAndHangUp(call, ring.answer());

    // Back to the default: the next login is idle, and a call rings at once.
    await w.t.request('PUT', '/api/v1/settings/agent', { token: cc.admin.token, body: { defaultLoginState: 'idle' } });
    await setAgentState(w.t, a0, 'offline');
    const again = await w.t.request('POST', '/api/v1/agents/me/login', { token: a0.token });
    expect(again.body.state).toBe('idle');
    const next = await callPresales(cc, '13900002003');
    await talkAndHangUp(next, (await devices[0]!.nextRing({ timeoutMs: 10_000 })).answer());
  });

  it('[RT-02] fewest calls today: the agent with fewer answered calls gets the call, not the longest idle', async () => {
    const { cc, devices } = await center('rt02', 2);
    const [a0, a1] = [cc.agents[0]!, cc.agents[1]!];
    const patch = await w.t.request('PATCH', `/api/v1/skill-groups/${cc.groups.presales}`, {
      token: cc.admin.token,
      body: { strategy: 'fewest-calls' },
    });
    expect(patch.status, JSON.stringify(patch.body)).toBe(200);

    // Agent 0 serves a call while agent 1 is away.
    await setAgentState(w.t, a0, 'idle');
    const first = await callPresales(cc, '13900002004');
    await talkAndHangUp(first, (await devices[0]!.nextRing({ timeoutMs: 10_000 })).answer());
    // Agent 0 becomes the longest idle, agent 1 has answered nothing today.
    await setAgentState(w.t, a0, 'idle');
    await new Promise((r) => setTimeout(r, 30));
    await setAgentState(w.t, a1, 'idle');
    expect((await agentOf(a0)).callsTaken).toBe(1);
    expect((await agentOf(a1)).callsTaken).toBe(0);

    const second = await callPresales(cc, '13900002005');
    const ring = await devices[1]!.nextRing({ timeoutMs: 10_000 });
    expect(devices[0]!.ringing().length).toBe(0);
    await talkAndHangUp(second, ring.answer());
    const session = await until(async () => {
      const s = await sessionOf(second);
      return s?.state === 'ended' ? s : undefined;
    }, 'second call ended');
    expect(await offersOf(session.id)).toEqual([a1.id]);
  });

  it('[RT-03] [ADM-07] member priority set by the admin: priority 1 is offered before the longest idle priority 5', async () => {
    const { cc, devices } = await center('rt03', 2);
    const [a0, a1] = [cc.agents[0]!, cc.agents[1]!];
    const admin = { token: cc.admin.token };
    expect(
      (
        await w.t.request('PATCH', `/api/v1/skill-groups/${cc.groups.presales}`, {
          ...admin,
          body: { strategy: 'priority' },
        })
      ).status,
    ).toBe(200);
    for (const [user, priority] of [
      [a0, 5],
      [a1, 1],
    ] as const) {
      const res = await w.t.request('PUT', `/api/v1/skill-groups/${cc.groups.presales}/members/${user.id}`, {
        ...admin,
        body: { priority },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    await setAgentState(w.t, a0, 'idle');
    await new Promise((r) => setTimeout(r, 30));
    await setAgentState(w.t, a1, 'idle');

    const call = await callPresales(cc, '13900002006');
    const ring = await devices[1]!.nextRing({ timeoutMs: 10_000 });
    expect(devices[0]!.ringing().length).toBe(0);
    await talkAndHangUp(call, ring.answer());

    // The priority-1 agent in wrap-up: the next caller goes to the priority-5 agent.
    const next = await callPresales(cc, '13900002007');
    await talkAndHangUp(next, (await devices[0]!.nextRing({ timeoutMs: 10_000 })).answer());
  });
});
