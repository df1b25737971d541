/**
 * Live call control through the jambonz simulator (issue 5): hold with music (CTL-01), mute
 * (CTL-02), transfers keeping the session id (CTL-03…05), hang-up, DTMF and redial (CTL-07),
 * blacklist (CTL-08), three-way (CTL-09), digit collection (CTL-10), self-service (CTL-11) and
 * supervisor listen-in (MON-03). Each test checks the jambonz REST calls the app made (per-member
 * `conferenceParticipantAction`, never `conf_mute_status`) and what each party hears.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setAgentState, type CallCenter } from '../../core/test/support/call-center.js';
import type { SeededUser } from '../../core/test/support/test-app.js';
import type { SimCall, SimDevice } from '../src/simulator/index.js';
import { until } from './support/harness.js';
import { hookRecorder } from './support/hook-recorder.js';
import { cdrOf as recordOf, socket as wsClient, useLiveWorld } from './support/live-world.js';

const SECRET = 'call-control-secret';

/** A plugin that records the call-control hooks it hears (INT-03). */
const { plugin: controlHooks, heard: hooks } = hookRecorder('control-hooks', ['call.held', 'call.transferred']);
const hooksOf = (sessionId: string) =>
  hooks.filter((h) => h.payload.sessionId === sessionId).map((h) => ({ hook: h.hook, ...h.payload }));
const TIME_SCALE = 0.02; // 1 simulated second = 20 ms
const MOH = 'https://cdn.example.com/hold-music.mp3';

const w = useLiveWorld({
  secret: SECRET,
  timeScale: TIME_SCALE,
  calls: { wrapUpSeconds: 0 },
  plugins: [controlHooks({})],
});

const socket = (user: SeededUser) => wsClient(w, user);

async function center(slug: string, agents: number, settings?: Record<string, unknown>) {
  const cc = await w.center({
    slug,
    agents,
    settings: { holdMusicUrl: MOH, ...settings },
  });
  w.signedIn(cc.supervisor);
  const devices = cc.agents.map((a) => w.sim.registerUser(a.sipUser));
  return { cc, devices };
}

const post = (user: SeededUser, path: string, body?: unknown) =>
  w.t.request('POST', `/api/v1${path}`, { token: user.token, ...(body !== undefined ? { body } : {}) });

async function agentState(user: SeededUser): Promise<string> {
  return (await w.t.request('GET', '/api/v1/agents/me', { token: user.token })).body.state;
}

/** Caller → IVR key 1 → agent `i` answers → both in the session's room. */
async function connect(cc: CallCenter, devices: SimDevice[], i: number, from: string) {
  const call = await w.sim.placeCall({ from, to: cc.number });
  await call.expectPrompt(/press 1/);
  call.press('1');
  const agent = (await devices[i]!.nextRing({ timeoutMs: 10_000 })).answer();
  const sessionId = await until(async () => {
    const r = await w.t.app.database.pool.query('select id from call_sessions where customer_call_sid = $1', [
      call.callSid,
    ]);
    return r.rows[0]?.id as string | undefined;
  }, 'session');
  await until(async () => call.conference && call.conference === agent.conference, 'customer and agent in the room');
  return { call, agent, sessionId };
}

/** The update that moves a customer out of the queue into the room (an agent answered). */
const ROOM_MOVE = { call_hook: expect.stringMatching(/\/jambonz\/room$/) };

/** Bodies of the REST updates the app sent for one leg. */
function updatesOf(callSid: string): unknown[] {
  return w.sim
    .restRequests()
    .filter((r) => r.method === 'PUT' && r.callSid === callSid)
    .map((r) => r.body);
}

/** Says something on `from` and returns who of `to` heard it. */
function say(from: SimCall, text: string, to: Record<string, SimCall>): string[] {
  from.speak(text);
  return Object.entries(to)
    .filter(([, c]) => c.heard.includes(text))
    .map(([name]) => name);
}

const cdrOf = (cc: CallCenter, sessionId: string) => recordOf(w, cc, sessionId);

afterEach(async () => {
  // Per-member actions only: a room-wide mute would silence every non-moderator.
  expect(
    w.sim.restRequests().filter((r) => r.body && typeof r.body === 'object' && 'conf_mute_status' in r.body),
  ).toEqual([]);
});

describe('live call control', () => {
  it('[CTL-01] hold plays music to the customer, who neither hears nor is heard; unhold brings them back; only the agent on the call or a supervisor may do it', async () => {
    const { cc, devices } = await center('hold', 2);
    await setAgentState(w.t, cc.agents[0]!, 'idle');
    const ws = await socket(cc.agents[0]!);
    const { call, agent, sessionId } = await connect(cc, devices, 0, '13900001001');
    expect(say(agent, 'Good morning, how can I help?', { customer: call })).toEqual(['customer']);

    // Another agent's call: 403; hold by the agent on the call: 200, hold music to the customer.
    const other = await post(cc.agents[1]!, `/sessions/${sessionId}/hold`);
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('not_your_call');
    const res = await post(cc.agents[0]!, `/sessions/${sessionId}/hold`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ held: true });
    await call.expectPrompt(MOH);
    expect(say(agent, 'Let me check that for you', { customer: call })).toEqual([]);
    expect(say(call, 'Hello? Are you there?', { agent })).toEqual([]);
    expect((await ws.next('session.hold')).data).toMatchObject({ sessionId, held: true, byUserId: cc.agents[0]!.id });

    // Holding a held call: 409; the state is in the database, so the session view agrees.
    const again = await post(cc.agents[0]!, `/sessions/${sessionId}/hold`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_held');
    const view = await w.t.request('GET', `/api/v1/sessions/${sessionId}`, { token: cc.agents[0]!.token });
    expect(view.body).toMatchObject({ id: sessionId, state: 'bridged', held: true });

    // A supervisor may take the call off hold; then both hear each other again.
    expect((await post(cc.supervisor, `/sessions/${sessionId}/unhold`)).status).toBe(200);
    expect(say(agent, 'Thanks for waiting', { customer: call })).toEqual(['customer']);
    expect(say(call, 'No problem', { agent })).toEqual(['agent']);
    const notHeld = await post(cc.agents[0]!, `/sessions/${sessionId}/unhold`);
    expect(notHeld.status).toBe(409);
    expect(notHeld.body.error.code).toBe('not_held');
    // Plugins hear each hold and retrieve once (the refused ones are not events).
    await until(async () => hooksOf(sessionId).length === 2, 'call.held hooks');
    expect(hooksOf(sessionId)).toEqual([
      expect.objectContaining({ hook: 'call.held', held: true, agentId: cc.agents[0]!.id }),
      expect.objectContaining({ hook: 'call.held', held: false, agentId: cc.agents[0]!.id }),
    ]);

    expect(updatesOf(call.callSid)).toEqual([
      ROOM_MOVE,
      {
        conferenceParticipantAction: { action: 'hold', wait_hook: expect.stringMatching(/\/jambonz\/hold\?m=/) },
      },
      { conferenceParticipantAction: { action: 'unhold' } },
    ]);
    expect(updatesOf(agent.callSid)).toEqual([]);
    call.hangup();
    await agent.ended;
    ws.close();
  });

  it('[CTL-02] a muted agent is not heard by the customer but still hears them; mute twice is 409', async () => {
    const { cc, devices } = await center('mute', 1);
    await setAgentState(w.t, cc.agents[0]!, 'idle');
    const { call, agent, sessionId } = await connect(cc, devices, 0, '13900001002');

    expect((await post(cc.agents[0]!, `/sessions/${sessionId}/mute`)).body).toEqual({ muted: true });
    expect(say(agent, '(aside) this customer again', { customer: call })).toEqual([]);
    expect(say(call, 'My order has not arrived', { agent })).toEqual(['agent']);
    const twice = await post(cc.agents[0]!, `/sessions/${sessionId}/mute`);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('already_muted');
    expect((await post(cc.agents[0]!, `/sessions/${sessionId}/unmute`)).body).toEqual({ muted: false });
    expect(say(agent, 'I will resend it today', { customer: call })).toEqual(['customer']);
    expect((await post(cc.agents[0]!, `/sessions/${sessionId}/unmute`)).body.error.code).toBe('not_muted');

    expect(updatesOf(agent.callSid)).toEqual([
      { conferenceParticipantAction: { action: 'mute' } },
      { conferenceParticipantAction: { action: 'unmute' } },
    ]);
    expect(updatesOf(call.callSid)).toEqual([ROOM_MOVE]);
    call.hangup();
    await agent.ended;
  });

  it('[CTL-07] the agent sends DTMF, hangs up, and redials the customer after the hang-up', async () => {
    const { cc, devices } = await center('redial', 1);
    await setAgentState(w.t, cc.agents[0]!, 'idle');
    const { call, agent, sessionId } = await connect(cc, devices, 0, '13900001003');

    expect((await post(cc.agents[0]!, `/sessions/${sessionId}/dtmf`, { digits: '12#' })).status).toBe(200);
    expect(call.dtmfReceived).toBe('12#');
    expect(updatesOf(call.callSid)).toEqual([
      ROOM_MOVE,
      { dtmf: { digit: '1' } },
      { dtmf: { digit: '2' } },
      { dtmf: { digit: '#' } },
    ]);

    // Redial while the call runs: 409. Hang up from the agent side: the seat hung up.
    expect((await post(cc.agents[0]!, `/sessions/${sessionId}/redial`)).body.error.code).toBe('session_still_live');
    expect((await post(cc.agents[0]!, `/sessions/${sessionId}/hangup`)).status).toBe(200);
    await Promise.all([call.ended, agent.ended]);
    expect(await cdrOf(cc, sessionId)).toMatchObject({ hungUpSide: 'seat', endStatusString: 'ok' });

    // Redial: the agent's device rings first, then the customer's phone; they talk in a new call.
    const phone = w.sim.phone('13900001003');
    const res = await post(cc.agents[0]!, `/sessions/${sessionId}/redial`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const redialId = res.body.sessionId as string;
    expect(redialId).not.toBe(sessionId);
    const agentLeg = (await devices[0]!.nextRing({ timeoutMs: 10_000 })).answer();
    const customerLeg = (await phone.nextRing({ timeoutMs: 10_000 })).answer();
    await until(
      async () => customerLeg.conference && customerLeg.conference === agentLeg.conference,
      'both in the redial room',
    );
    expect(say(agentLeg, 'Hello, we were cut off', { customer: customerLeg })).toEqual(['customer']);
    expect(await agentState(cc.agents[0]!)).toBe('busy');
    customerLeg.hangup();
    await agentLeg.ended;
    expect(await cdrOf(cc, redialId)).toMatchObject({
      direction: 'outbound',
      callee: '13900001003',
      agentId: cc.agents[0]!.id,
      endStatusString: 'ok',
      hungUpSide: 'user',
    });
    // Only the agent who served the call may redial it.
    expect((await post(cc.supervisor, `/sessions/${sessionId}/redial`)).body.error.code).toBe('not_your_call');
  });

  it('[CTL-03] [REC-04] transfer to a skill group keeps the session id; the data travels and the CDR has one leg and one recording per agent', async () => {
    const { cc, devices } = await center('xfer-group', 2);
    await w.t.request('PUT', '/api/v1/settings/agent', { token: cc.admin.token, body: { wrapUpSeconds: 60 } });
    await setAgentState(w.t, cc.agents[0]!, 'idle');
    const { call, agent, sessionId } = await connect(cc, devices, 0, '13900001004');
    await setAgentState(w.t, cc.agents[1]!, 'idle');
    const second = await socket(cc.agents[1]!);
    expect(
      (
        await w.t.request('PUT', `/api/v1/sessions/${sessionId}/notes`, {
          token: cc.agents[0]!.token,
          body: { notes: 'Wants to upgrade to the yearly plan' },
        })
      ).status,
    ).toBe(200);

    const res = await post(cc.agents[0]!, `/sessions/${sessionId}/transfer`, {
      to: { type: 'skillGroup', skillGroupId: cc.groups.afterSales },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toEqual({ sessionId });
    await until(async () => hooksOf(sessionId).length === 1, 'call.transferred hook');
    expect(hooksOf(sessionId)).toEqual([
      expect.objectContaining({
        hook: 'call.transferred',
        fromAgentId: cc.agents[0]!.id,
        target: { type: 'skillGroup', id: cc.groups.afterSales },
      }),
    ]);
    await agent.ended; // the first agent leaves the call …
    expect(await agentState(cc.agents[0]!)).toBe('afterCallWork'); // … into wrap-up
    const offer = await second.next('call.offer');
    expect(offer.data).toMatchObject({
      sessionId,
      skillGroupName: 'after-sales',
      caller: '13900001004',
      ivrKeys: [{ key: '1', label: 'Presales' }],
      notes: 'Wants to upgrade to the yearly plan',
    });
    const agent2 = (await devices[1]!.nextRing({ timeoutMs: 10_000 })).answer();
    await until(async () => call.conference && call.conference === agent2.conference, 'customer with the new agent');
    expect(call.conference).toBe(sessionId);
    expect(say(agent2, 'Hi, I hear you want the yearly plan', { customer: call })).toEqual(['customer']);

    // The new agent sees the same customer, IVR keys and notes.
    const view = await w.t.request('GET', `/api/v1/sessions/${sessionId}`, { token: cc.agents[1]!.token });
    expect(view.body).toMatchObject({
      id: sessionId,
      caller: '13900001004',
      agentId: cc.agents[1]!.id,
      ivrKeys: [{ key: '1', label: 'Presales' }],
      notes: 'Wants to upgrade to the yearly plan',
    });
    // The first agent no longer controls the call.
    expect((await post(cc.agents[0]!, `/sessions/${sessionId}/hold`)).body.error.code).toBe('not_your_call');
    // The customer was moved with a redirect (call_hook), not hung up.
    expect(updatesOf(call.callSid)).toEqual([
      ROOM_MOVE,
      { call_hook: expect.stringMatching(/\/jambonz\/redirect$/) },
      ROOM_MOVE,
    ]);

    call.hangup();
    await agent2.ended;
    const cdr = await cdrOf(cc, sessionId);
    expect(cdr).toMatchObject({ sessionId, agentId: cc.agents[0]!.id, note: 'Wants to upgrade to the yearly plan' });
    expect(cdr.legs).toEqual([
      expect.objectContaining({
        kind: 'agent',
        agentId: cc.agents[0]!.id,
        endReason: 'transferred',
        transferFrom: null,
        transferTo: { type: 'skillGroup', skillGroupId: cc.groups.afterSales },
      }),
      expect.objectContaining({
        kind: 'agent',
        agentId: cc.agents[1]!.id,
        skillGroupName: 'after-sales',
        transferFrom: { agentId: cc.agents[0]!.id },
        transferTo: null,
      }),
    ]);
    // One recording per agent's part (the customer's audio fork restarts in the new room), all
    // listed in order; the CDR's recordingId is the first part's, each agent's entry points at theirs.
    const parts = await until(async () => {
      const r = await w.t.request('GET', `/api/v1/records/${sessionId}`, { token: cc.supervisor.token });
      const list = r.body.recordings as Array<{ status: string }>;
      return list.length === 2 && list.every((x) => x.status === 'ready') ? r.body.recordings : undefined;
    }, 'both recordings ready');
    expect(parts.map((x: { agentId: string }) => x.agentId)).toEqual([cc.agents[0]!.id, cc.agents[1]!.id]);
    expect(Date.parse(parts[0].startedAt)).toBeLessThan(Date.parse(parts[1].startedAt));
    expect(cdr.recordingId).toBe(parts[0].id);
    expect(cdr.serveParticipants.map((p: { recordingId: string }) => p.recordingId)).toEqual([
      parts[0].id,
      parts[1].id,
    ]);
    for (const part of parts) {
      const audio = await w.t.request('GET', `/api/v1/recordings/${part.id}`, { token: cc.admin.token, headers: {} });
      expect(audio.status).toBe(200);
    }
    // Transferring an ended call: 409.
    const late = await post(cc.supervisor, `/sessions/${sessionId}/transfer`, {
      to: { type: 'skillGroup', skillGroupId: cc.groups.presales },
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('session_not_live');
    second.close();
  });

  it('[CTL-04] transfer to a named agent rings that agent only, not the longest idle', async () => {
    const { cc, devices } = await center('xfer-agent', 3, { numberProtection: true });
    await setAgentState(w.t, cc.agents[0]!, 'idle');
    const { call, agent, sessionId } = await connect(cc, devices, 0, '13900001005');
    await setAgentState(w.t, cc.agents[1]!, 'idle'); // longest idle
    await new Promise((r) => setTimeout(r, 30));
    const target = await socket(cc.agents[2]!);

    // A busy or offline target: 409.
    const busy = await post(cc.agents[0]!, `/sessions/${sessionId}/transfer`, {
      to: { type: 'agent', agentId: cc.agents[2]!.id },
    });
    expect(busy.status).toBe(409);
    expect(busy.body.error.code).toBe('agent_unavailable');
    expect(await agentState(cc.agents[0]!)).toBe('busy'); // nothing changed
    await setAgentState(w.t, cc.agents[2]!, 'idle');

    const res = await post(cc.agents[0]!, `/sessions/${sessionId}/transfer`, {
      to: { type: 'agent', agentId: cc.agents[2]!.id },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const agent3 = (await devices[2]!.nextRing({ timeoutMs: 10_000 })).answer();
    expect(devices[1]!.ringing()).toEqual([]);
    expect((await target.next('session.transferred')).data).toMatchObject({
      sessionId,
      fromAgentId: cc.agents[0]!.id,
      to: { type: 'agent', agentId: cc.agents[2]!.id },
      ivrKeys: [{ key: '1', label: 'Presales' }],
    });
    await agent.ended;
    await until(async () => call.conference && call.conference === agent3.conference, 'customer with agent 3');
    // Number protection: the new agent sees the customer masked, a supervisor in full.
    const seen = await w.t.request('GET', `/api/v1/sessions/${sessionId}`, { token: cc.agents[2]!.token });
    expect(seen.body).toMatchObject({ caller: '139****1005', agentId: cc.agents[2]!.id });
    const full = await w.t.request('GET', `/api/v1/sessions/${sessionId}`, { token: cc.supervisor.token });
    expect(full.body.caller).toBe('13900001005');
    // An agent with nothing to do with the call may not read it.
    expect((await w.t.request('GET', `/api/v1/sessions/${sessionId}`, { token: cc.agents[1]!.token })).status).toBe(
      403,
    );
    expect(say(call, 'Thank you', { agent: agent3 })).toEqual(['agent']);
    call.hangup();
    await agent3.ended;
    // The agent talking at the end is told who hung up (their workbench's wrap-up says so).
    expect((await target.next('call.ended')).data).toMatchObject({ sessionId, hungUpSide: 'user' });
    const cdr = await cdrOf(cc, sessionId);
    expect(cdr.legs.map((l: { agentId: string }) => l.agentId)).toEqual([cc.agents[0]!.id, cc.agents[2]!.id]);
    expect(cdr.legs[0].transferTo).toEqual({ type: 'agent', agentId: cc.agents[2]!.id });
    expect(cdr.legs[1].transferFrom).toEqual({ agentId: cc.agents[0]!.id });
    target.close();
  });

  it('[CTL-05] transfer to an external number: it rings, answers, the agent leaves and the customer talks to it', async () => {
    const { cc, devices } = await center('xfer-ext', 1);
    await setAgentState(w.t, cc.agents[0]!, 'idle');
    const { call, agent, sessionId } = await connect(cc, devices, 0, '13900001006');
    const mobile = w.sim.phone('13700001006');
    const res = await post(cc.agents[0]!, `/sessions/${sessionId}/transfer`, {
      to: { type: 'external', number: '13700001006' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const ring = await mobile.nextRing({ timeoutMs: 10_000 });
    expect(ring.from).toBe(cc.number); // the external party sees our number
    // While it rings the agent is still with the customer.
    expect(say(call, 'Is it ringing?', { agent })).toEqual(['agent']);
    const external = ring.answer();
    await agent.ended;
    await until(
      async () => call.conference && call.conference === external.conference,
      'customer with the external party',
    );
    expect(say(external, 'Billing department, hello', { customer: call })).toEqual(['customer']);
    expect(say(call, 'Hello billing', { external })).toEqual(['external']);
    expect(await agentState(cc.agents[0]!)).toBe('idle'); // wrap-up 0 here
    external.hangup();
    await call.ended;
    const cdr = await cdrOf(cc, sessionId);
    expect(cdr.sessionId).toBe(sessionId);
    expect(cdr.legs).toEqual([
      expect.objectContaining({
        kind: 'agent',
        agentId: cc.agents[0]!.id,
        transferTo: { type: 'external', number: '13700001006' },
      }),
      expect.objectContaining({
        kind: 'external',
        purpose: 'transfer',
        number: '13700001006',
        transferFrom: { agentId: cc.agents[0]!.id },
      }),
    ]);
  });

  it('[CTL-09] three-way with an external party and with a second agent; either can leave and the call goes on', async () => {
    const { cc, devices } = await center('threeway', 2);
    await setAgentState(w.t, cc.agents[0]!, 'idle');
    const { call, agent, sessionId } = await connect(cc, devices, 0, '13900001007');
    const ws = await socket(cc.agents[0]!);
    const mobile = w.sim.phone('13700001007');

    const res = await post(cc.agents[0]!, `/sessions/${sessionId}/conference`, {
      with: { type: 'external', number: '13700001007' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const external = (await mobile.nextRing({ timeoutMs: 10_000 })).answer();
    await until(async () => external.conference === call.conference, 'external in the room');
    expect((await ws.next('session.party', (d) => d.state === 'joined')).data).toMatchObject({
      sessionId,
      role: 'external',
      purpose: 'threeWay',
    });
    expect(say(call, 'Can everyone hear me?', { agent, external })).toEqual(['agent', 'external']);
    expect(say(external, 'Yes, the warehouse here', { customer: call, agent })).toEqual(['customer', 'agent']);
    expect(say(agent, 'Great', { customer: call, external })).toEqual(['customer', 'external']);
    external.hangup(); // the added party leaves …
    await external.ended;
    // The app has handled the departure (the event comes after it) …
    expect((await ws.next('session.party', (d) => d.role === 'external' && d.state === 'left')).data).toMatchObject({
      sessionId,
    });
    expect(call.status).toBe('in-progress'); // … and the call goes on
    expect(say(agent, 'Still with me?', { customer: call })).toEqual(['customer']);

    // A second agent joins, talks, and is dropped by the first agent.
    await setAgentState(w.t, cc.agents[1]!, 'idle');
    const added = await post(cc.agents[0]!, `/sessions/${sessionId}/conference`, {
      with: { type: 'agent', agentId: cc.agents[1]!.id },
    });
    expect(added.status).toBe(202);
    expect(await agentState(cc.agents[1]!)).toBe('busy');
    const agent2 = (await devices[1]!.nextRing({ timeoutMs: 10_000 })).answer();
    await until(async () => agent2.conference === call.conference, 'second agent in the room');
    expect(say(agent2, 'Specialist here', { customer: call, agent })).toEqual(['customer', 'agent']);
    expect(
      (
        await w.t.request('POST', `/api/v1/sessions/${sessionId}/legs/${added.body.legId}/hangup`, {
          token: cc.agents[0]!.token,
        })
      ).status,
    ).toBe(204);
    await agent2.ended;
    await until(async () => (await agentState(cc.agents[1]!)) === 'idle', 'second agent idle again');
    expect(say(call, 'Thanks both', { agent })).toEqual(['agent']);
    // A party still ringing when the call ends stops ringing.
    expect(
      (
        await post(cc.agents[0]!, `/sessions/${sessionId}/conference`, {
          with: { type: 'external', number: '13700001007' },
        })
      ).status,
    ).toBe(202);
    const late = await mobile.nextRing({ timeoutMs: 10_000 });
    call.hangup();
    await agent.ended;
    await late.whenCancelled;
    // The unanswered party's leg closes with its own (no-answer) status.
    const cdr = await until(async () => {
      const c = await cdrOf(cc, sessionId);
      return c.legs[3]?.endedAt ? c : undefined;
    }, 'the unanswered leg closed');
    expect(cdr.legs.map((l: { kind: string; purpose: string }) => `${l.kind}:${l.purpose}`)).toEqual([
      'agent:serve',
      'external:threeWay',
      'agent:threeWay',
      'external:threeWay', // never answered
    ]);
    expect(cdr.legs[3]).toMatchObject({ answeredAt: null, endedAt: expect.any(String) });
    ws.close();
  });

  it('[CTL-08] the agent blacklists the caller and hangs up; the next call from that number is refused', async () => {
    const { cc, devices } = await center('blacklist', 1);
    await setAgentState(w.t, cc.agents[0]!, 'idle');
    const { call, agent, sessionId } = await connect(cc, devices, 0, '13900001008');
    const res = await post(cc.agents[0]!, `/sessions/${sessionId}/blacklist`, { hangup: true, reason: 'abusive' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await Promise.all([call.ended, agent.ended]);
    const again = await w.sim.placeCall({ from: '13900001008', to: cc.number });
    expect(await again.ended).toMatchObject({ status: 'failed', sipStatus: 603 });
    const rows = await w.t.app.database.pool.query(
      `select end_status_string from cdrs where tenant_id = $1 and caller = '13900001008' order by started_at`,
      [cc.tenantId],
    );
    expect(rows.rows.map((r) => r.end_status_string)).toEqual(['ok', 'blackList']);
  });

  it('[CTL-08] after the call (wrap-up) the agent who served it still blacklists the caller; another agent may not', async () => {
    const { cc, devices } = await center('blacklist-after', 2);
    await setAgentState(w.t, cc.agents[0]!, 'idle');
    const { call, agent, sessionId } = await connect(cc, devices, 0, '13900001018');
    call.hangup();
    await Promise.all([call.ended, agent.ended]);
    await until(
      async () =>
        (await w.t.app.database.pool.query(`select state from call_sessions where id = $1`, [sessionId])).rows[0]
          ?.state === 'ended',
      'session ended',
    );

    const other = await post(cc.agents[1]!, `/sessions/${sessionId}/blacklist`, { hangup: false });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('not_your_call');
    // `hangup` asks for nothing once the call is over.
    const res = await post(cc.agents[0]!, `/sessions/${sessionId}/blacklist`, { hangup: true, reason: 'abusive' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const again = await w.sim.placeCall({ from: '13900001018', to: cc.number });
    expect(await again.ended).toMatchObject({ status: 'failed', sipStatus: 603 });
  });

  it('[MON-03] a supervisor listens in muted: hears both sides, is heard by nobody, and leaves again', async () => {
    const { cc, devices } = await center('listen', 1);
    await w.t.app.container.cradle.agentService.ensure(cc.tenantId, cc.supervisor.id, 'listen-sup');
    const supDevice = w.sim.registerUser('listen-sup');
    await setAgentState(w.t, cc.agents[0]!, 'idle');
    const { call, agent, sessionId } = await connect(cc, devices, 0, '13900001009');
    const sup = await socket(cc.supervisor);

    // Agents may not listen in.
    expect((await post(cc.agents[0]!, `/sessions/${sessionId}/listen`)).status).toBe(403);
    const res = await post(cc.supervisor, `/sessions/${sessionId}/listen`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const ring = await supDevice.nextRing({ timeoutMs: 10_000 });
    expect(ring.from).toBe('13900001009');
    const supervisor = ring.answer();
    await until(async () => supervisor.conference === call.conference, 'supervisor in the room');
    expect(w.sim.conferences()[0]?.members.find((m) => m.callSid === supervisor.callSid)).toMatchObject({
      tag: 'supervisor',
      muted: true,
    });
    expect((await sup.next('session.listen')).data).toMatchObject({
      sessionId,
      supervisorId: cc.supervisor.id,
      listening: true,
    });
    expect(say(call, 'I want to cancel', { agent, supervisor })).toEqual(['agent', 'supervisor']);
    expect(say(agent, 'I can help with that', { customer: call, supervisor })).toEqual(['customer', 'supervisor']);
    expect(say(supervisor, 'offer the discount', { customer: call, agent })).toEqual([]);
    // Listening in needs no REST update at all: the member joins muted.
    expect(updatesOf(supervisor.callSid)).toEqual([]);

    expect((await post(cc.supervisor, `/sessions/${sessionId}/listen/leave`)).status).toBe(200);
    await supervisor.ended;
    await sup.next('session.listen', (d) => d.listening === false);
    expect(say(call, 'Are you still there?', { agent })).toEqual(['agent']);
    call.hangup();
    await agent.ended;
    sup.close();
  });

  it('[MON-03] [CTL-10] [CTL-11] advanced features answer 403 edition_required in a standard tenant', async () => {
    const std = await w.t.seedTenant({ slug: 'ctl-standard', edition: 'standard', roles: ['admin', 'supervisor'] });
    const id = '00000000-0000-4000-8000-000000000000';
    for (const [path, body] of [
      [`/sessions/${id}/listen`, undefined],
      [`/sessions/${id}/collect`, { templateId: id }],
      [`/sessions/${id}/self-service`, { flowId: id }],
    ] as const) {
      const res = await post(std.users.supervisor!, path, body);
      expect(res.status, path).toBe(403);
      expect(res.body.error.code).toBe('edition_required');
    }
  });

  it('[CTL-10] the customer keys in digits for an admin template; the agent gets them masked and the customer comes back', async () => {
    const { cc, devices } = await center('collect', 1);
    const tpl = await post(cc.admin, '/collect-templates', {
      name: 'Card number',
      prompt: 'Please key in your card number, then press the pound key.',
      minDigits: 12,
      maxDigits: 19,
      finishOnKey: '#',
      // The longest wait: the fast simulated clock must not time the customer out before the
      // test presses the keys (timeouts and retries are proven in collect-templates.test.ts).
      timeoutSeconds: 60,
      variable: 'cardNumber',
      mask: true,
    });
    expect(tpl.status, JSON.stringify(tpl.body)).toBe(201);
    await setAgentState(w.t, cc.agents[0]!, 'idle');
    const { call, agent, sessionId } = await connect(cc, devices, 0, '13900001010');
    const ws = await socket(cc.agents[0]!);

    expect((await post(cc.agents[0]!, `/sessions/${sessionId}/collect`, { templateId: tpl.body.id })).status).toBe(202);
    // Away from the moment the request is taken: no hold meanwhile.
    expect((await post(cc.agents[0]!, `/sessions/${sessionId}/hold`)).body.error.code).toBe('customer_away');
    await call.expectPrompt(/key in your card number/);
    call.press('4111111111111111#'); // at once: no request between the prompt and the keys
    const digits = await ws.next('session.digits');
    expect(digits.data).toMatchObject({
      sessionId,
      templateId: tpl.body.id,
      variable: 'cardNumber',
      digits: '**************11',
      timedOut: false,
    });
    await until(async () => call.conference === agent.conference && call.conference, 'customer back in the room');
    expect(agent.status).toBe('in-progress'); // the agent stayed on the line
    expect(say(agent, 'Thank you, that card is fine', { customer: call })).toEqual(['customer']);
    const view = await w.t.request('GET', `/api/v1/sessions/${sessionId}`, { token: cc.supervisor.token });
    expect(view.body.variables).toMatchObject({ cardNumber: '4111111111111111' });
    const mine = await w.t.request('GET', `/api/v1/sessions/${sessionId}`, { token: cc.agents[0]!.token });
    expect(mine.body.variables).toMatchObject({ cardNumber: '**************11' });
    call.hangup();
    await agent.ended;
    ws.close();
  });

  it('[CTL-11] the agent sends the caller into an IVR flow; at its end the caller is back with the agent', async () => {
    const { cc, devices } = await center('selfservice', 1);
    const flow = await post(cc.admin, '/ivr-flows', {
      name: 'PIN check',
      graph: {
        start: 'pin',
        nodes: [
          {
            id: 'pin',
            type: 'collect',
            prompt: { kind: 'say', text: 'Please enter your four digit PIN.' },
            mode: 'fixed',
            digits: 4,
            variable: 'pin',
            next: 'done',
          },
          { id: 'done', type: 'hangup', prompt: { kind: 'say', text: 'Thank you. Back to your agent.' } },
        ],
      },
    });
    expect(flow.status, JSON.stringify(flow.body)).toBe(201);
    await setAgentState(w.t, cc.agents[0]!, 'idle');
    const { call, agent, sessionId } = await connect(cc, devices, 0, '13900001011');
    const ws = await socket(cc.agents[0]!);

    const res = await post(cc.agents[0]!, `/sessions/${sessionId}/self-service`, { flowId: flow.body.id });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    await call.expectPrompt(/four digit PIN/);
    call.press('1234');
    await call.expectPrompt(/Back to your agent/);
    const back = await ws.next('session.customer', (d) => d.away === null);
    expect(back.data.variables).toMatchObject({ pin: '1234' });
    await until(async () => call.conference === agent.conference && call.conference, 'customer back in the room');
    expect(say(call, 'I entered it', { agent })).toEqual(['agent']);
    expect(call.status).toBe('in-progress');
    call.hangup();
    await agent.ended;
    ws.close();
  });
});
