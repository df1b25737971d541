/**
 * The inbound call path end to end, through the jambonz simulator: number → IVR → skill group
 * queue → ACD → agent's WebRTC device → room → hang-up → wrap-up → CDR (+ recording).
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { setAgentState } from '../../core/test/support/call-center.js';
import { signPayload, validateVerbs } from '../src/protocol/index.js';
import type { SimDevice } from '../src/simulator/index.js';
import { decodeMp3, simulatedPause, until } from './support/harness.js';
import { cdrOf, sessionIdOf, socket, useLiveWorld } from './support/live-world.js';

const SECRET = 'e2e-webhook-secret';
const TIME_SCALE = 0.02; // 1 simulated second = 20 ms

const w = useLiveWorld({
  secret: SECRET,
  timeScale: TIME_SCALE,
  calls: { wrapUpSeconds: 1, sweepIntervalMs: 200 },
  center: { slug: 'e2e', agents: 3, ringTimeoutSeconds: 20 },
});
let devices: SimDevice[];
beforeAll(() => {
  devices = w.cc.agents.map((a) => w.sim.registerUser(a.sipUser));
});

async function agentState(i: number): Promise<string> {
  return (await w.t.request('GET', '/api/v1/agents/me', { token: w.cc.agents[i]!.token })).body.state;
}

describe('inbound call path', () => {
  it('[IN-01] [RT-01] [IN-07] [REC-04] [CTL-06] [RT-06] routes a caller through the IVR to the longest-idle agent, records it and writes the CDR', async () => {
    // agent2 becomes idle first, so it is the longest idle.
    await setAgentState(w.t, w.cc.agents[1]!, 'idle');
    await new Promise((r) => setTimeout(r, 30));
    await setAgentState(w.t, w.cc.agents[0]!, 'idle');
    await setAgentState(w.t, w.cc.agents[2]!, 'idle');
    const ws = await socket(w, w.cc.agents[1]!);

    const call = await w.sim.placeCall({ from: '13912345678', to: w.cc.number });
    await call.expectPrompt(/Welcome to the Switchboard demo/);
    await call.expectPrompt(/press 1/);
    call.press('1');
    const ring = await devices[1]!.nextRing({ timeoutMs: 10_000 });
    expect(ring.customerData).toMatchObject({ role: 'agent' });
    const offer = await ws.next('call.offer');
    expect(offer.data).toMatchObject({
      caller: '13912345678',
      skillGroupName: 'presales',
      ivrKeys: [{ key: '1', label: 'Presales' }],
    });
    expect(await agentState(1)).toBe('ringing');

    const agentLeg = ring.answer();
    const sessionId = await sessionIdOf(w, call);
    await until(async () => call.conference === agentLeg.conference && call.conference, 'both legs in the room');
    expect(call.conference).toContain(sessionId);
    expect(await agentState(1)).toBe('busy');

    // Talk for 6 simulated seconds, then the customer hangs up.
    await simulatedPause(w.sim, 6000);
    call.hangup();
    await call.ended;
    await agentLeg.ended;

    const cdr = await cdrOf(w, w.cc, sessionId);
    expect(cdr).toMatchObject({
      sessionId,
      direction: 'inbound',
      caller: '13912345678',
      callee: w.cc.number,
      endStatus: 1,
      endStatusString: 'ok',
      hungUpSide: 'user',
      queuedSkillGroupId: w.cc.groups.presales,
      queuedSkillGroupName: 'presales',
      servingSkillGroupId: w.cc.groups.presales,
      agentId: w.cc.agents[1]!.id,
    });
    expect(cdr.ivrKeys).toEqual([expect.objectContaining({ key: '1', label: 'Presales', nodeLabel: 'Main menu' })]);
    const times = ['startedAt', 'queuedAt', 'ringAt', 'acceptedAt', 'endedAt'].map((k) => Date.parse(cdr[k]));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(cdr.serveParticipants).toHaveLength(1);
    expect(cdr.serveParticipants[0]).toMatchObject({ agentId: w.cc.agents[1]!.id, endStatusString: 'ok', sequence: 0 });

    // Wrap-up, then idle again (CTL-06 / RT-06).
    expect(['afterCallWork', 'idle']).toContain(await agentState(1));
    await until(async () => (await agentState(1)) === 'idle', 'agent idle after wrap-up', 5000);
    const states = (
      await w.t.app.database.pool.query(`select to_state from agent_state_log where user_id = $1 order by at`, [
        w.cc.agents[1]!.id,
      ])
    ).rows.map((r) => r.to_state);
    expect(states.slice(-4)).toEqual(['ringing', 'busy', 'afterCallWork', 'idle']);

    // The recording: a valid MP3 of about the talk time, range-seekable.
    expect(cdr.recordingId).toBeTruthy();
    const rec = await until(async () => {
      const r = await w.t.request('GET', `/api/v1/recordings/${cdr.recordingId}`, {
        token: w.cc.admin.token,
        headers: {},
      });
      return r.status === 200 ? r : undefined;
    }, 'recording ready');
    const mp3 = new Uint8Array(
      await (
        await fetch(`${w.t.url}/api/v1/recordings/${cdr.recordingId}`, {
          headers: { authorization: `Bearer ${w.cc.admin.token}` },
        })
      ).arrayBuffer(),
    );
    expect(rec.headers.get('content-type')).toBe('audio/mpeg');
    const decoded = await decodeMp3(mp3);
    expect(decoded.channelData).toHaveLength(2);
    // The simulator runs on compressed time, so compare with the audio it streamed: the fork
    // of the customer leg, from joining the room to hang-up (at least the 6 s of talk).
    const fork = call.forks.find((f) => f.source === 'config')!;
    expect(fork.simulatedMs).toBeGreaterThanOrEqual(6000);
    expect(Math.abs(decoded.seconds - fork.simulatedMs! / 1000)).toBeLessThan(0.1);
    // Stereo: the caller on the left, what the caller hears (the agent) on the right.
    const energy = (ch: Float32Array) => ch.reduce((a, x) => a + x * x, 0) / ch.length;
    expect(energy(decoded.channelData[0]!)).toBeGreaterThan(0);
    expect(energy(decoded.channelData[1]!)).toBeGreaterThan(0);
    const range = await fetch(`${w.t.url}/api/v1/recordings/${cdr.recordingId}`, {
      headers: { authorization: `Bearer ${w.cc.admin.token}`, range: 'bytes=100-299' },
    });
    expect(range.status).toBe(206);
    expect(Buffer.from(await range.arrayBuffer())).toEqual(Buffer.from(mp3.subarray(100, 300)));
    ws.close();
  });

  it('[REC-01] ivrGiveUp: a caller who hangs up in the IVR is recorded as ivrGiveUp, hung up by the user', async () => {
    await setAgentState(w.t, w.cc.agents[0]!, 'idle');
    const call = await w.sim.placeCall({ from: '13900000001', to: w.cc.number });
    await call.expectPrompt(/press 1/);
    call.hangup();
    const cdr = await cdrOf(w, w.cc, await sessionIdOf(w, call));
    expect(cdr).toMatchObject({
      endStatus: 102,
      endStatusString: 'ivrGiveUp',
      hungUpSide: 'user',
      agentId: null,
      queuedAt: null,
    });
    expect(cdr.serveParticipants).toEqual([]);
  });

  it('[IVR-15] waitingGiveUp: the caller hears the queue position, then hangs up', async () => {
    await setAgentState(w.t, w.cc.agents[0]!, 'notReady'); // online but not taking calls
    const call = await w.sim.placeCall({ from: '13900000002', to: w.cc.number });
    await call.expectPrompt(/press 1/);
    call.press('1');
    await call.expectPrompt(/You are number 1 in the queue/);
    call.hangup();
    const cdr = await cdrOf(w, w.cc, await sessionIdOf(w, call));
    expect(cdr).toMatchObject({
      endStatus: 103,
      endStatusString: 'waitingGiveUp',
      hungUpSide: 'user',
      queuedSkillGroupName: 'presales',
      agentId: null,
    });
    expect(cdr.queuedAt).not.toBeNull();
  });

  it('[REC-01] ringingGiveUp: the caller hangs up while the agent rings; the ring stops, the agent is idle again, the CDR says ringingGiveUp', async () => {
    await setAgentState(w.t, w.cc.agents[2]!, 'idle');
    const call = await w.sim.placeCall({ from: '13900000003', to: w.cc.number });
    await call.expectPrompt(/press 1/);
    call.press('2');
    const ring = await devices[2]!.nextRing({ timeoutMs: 10_000 });
    call.hangup();
    await ring.whenCancelled;
    const cdr = await cdrOf(w, w.cc, await sessionIdOf(w, call));
    expect(cdr).toMatchObject({
      endStatus: 104,
      endStatusString: 'ringingGiveUp',
      hungUpSide: 'user',
      queuedSkillGroupName: 'after-sales',
      agentId: null,
    });
    expect(cdr.serveParticipants).toEqual([
      expect.objectContaining({ agentId: w.cc.agents[2]!.id, endStatusString: 'ringingGiveUp' }),
    ]);
    await until(async () => (await agentState(2)) === 'idle', 'agent idle');
  });

  it('[IVR-18] noSeatOnline: nobody of the group is online', async () => {
    const call = await w.sim.placeCall({ from: '13900000004', to: w.cc.number });
    await call.expectPrompt(/press 1/);
    call.press('1');
    await call.expectPrompt(/agents are offline/);
    await call.ended;
    const cdr = await cdrOf(w, w.cc, await sessionIdOf(w, call));
    expect(cdr).toMatchObject({
      endStatus: 105,
      endStatusString: 'noSeatOnline',
      hungUpSide: 'system',
      queuedSkillGroupName: 'presales',
    });
  });

  it('[CTL-08] blackList: a blacklisted caller is refused at the door', async () => {
    await w.t.app.container.cradle.blacklistRepo.add(w.cc.tenantId, '13900000005', 'abuse');
    const call = await w.sim.placeCall({ from: '13900000005', to: w.cc.number });
    const end = await call.ended;
    expect(end.status).not.toBe('completed');
    expect(end.sipStatus).toBe(603);
    expect(call.heard).toEqual([]);
    const cdr = await cdrOf(w, w.cc, await sessionIdOf(w, call));
    expect(cdr).toMatchObject({ endStatus: 100, endStatusString: 'blackList', hungUpSide: 'system' });
  });

  it('[CTL-08] a blacklist entry whose expiry passed lets the caller in again', async () => {
    await w.t.app.container.cradle.blacklistRepo.upsert(w.cc.tenantId, {
      number: '13900000015',
      reason: 'cooled off',
      expiresAt: new Date(Date.now() - 1000),
    });
    const call = await w.sim.placeCall({ from: '13900000015', to: w.cc.number });
    await call.expectPrompt(/press 1/);
    call.hangup();
    const cdr = await cdrOf(w, w.cc, await sessionIdOf(w, call));
    expect(cdr.endStatusString).not.toBe('blackList');
  });

  it('[RT-05] a ring that times out is offered to the next agent, and both legs are in the CDR', async () => {
    const short = await w.center({ slug: 'ringto', agents: 2, ringTimeoutSeconds: 3 });
    const [d1, d2] = short.agents.map((a) => w.sim.registerUser(a.sipUser));
    await setAgentState(w.t, short.agents[0]!, 'idle');
    await new Promise((r) => setTimeout(r, 30));
    await setAgentState(w.t, short.agents[1]!, 'idle');
    const call = await w.sim.placeCall({ from: '13900000006', to: short.number });
    await call.expectPrompt(/press 1/);
    call.press('1');
    const first = await d1!.nextRing({ timeoutMs: 10_000 });
    first.ignore();
    const second = await d2!.nextRing({ timeoutMs: 10_000 });
    const leg = second.answer();
    await until(async () => call.conference && call.conference === leg.conference, 'bridged to the second agent');
    leg.hangup(); // the agent hangs up first
    await call.ended;
    const sessionId = await sessionIdOf(w, call);
    const res = await cdrOf(w, short, sessionId);
    expect(res).toMatchObject({ endStatus: 1, hungUpSide: 'seat', agentId: short.agents[1]!.id });
    expect(
      res.serveParticipants.map((p: { agentId: string; endStatusString: string }) => [p.agentId, p.endStatusString]),
    ).toEqual([
      [short.agents[0]!.id, 'notAnswer'],
      [short.agents[1]!.id, 'ok'],
    ]);
  });
});

describe('webhooks', () => {
  const payload = JSON.stringify({
    call_sid: '0a0c3b7e-2c8b-4a53-9a3f-000000000001',
    direction: 'inbound',
    from: '13911112222',
    to: '4009999999',
    call_id: 'x',
    sip_status: 100,
    call_status: 'trying',
    account_sid: 'acc',
    application_sid: 'app',
  });

  it('[IN-01] refuses a missing or wrong signature with 403 before doing anything', async () => {
    const none = await w.t.request('POST', '/jambonz/call', {
      rawBody: payload,
      headers: { 'content-type': 'application/json' },
    });
    expect(none.status).toBe(403);
    expect(none.body.error.code).toBe('webhook_signature_invalid');
    const wrong = await w.t.request('POST', '/jambonz/call', {
      rawBody: payload,
      headers: { 'content-type': 'application/json', 'jambonz-signature': signPayload('not-the-secret', payload) },
    });
    expect(wrong.status).toBe(403);
    const stale = await w.t.request('POST', '/jambonz/status', {
      rawBody: payload,
      headers: {
        'content-type': 'application/json',
        'jambonz-signature': signPayload(SECRET, payload, Math.floor(Date.now() / 1000) - 600),
      },
    });
    expect(stale.status).toBe(403);
    // Not even malformed JSON gets past the signature check.
    const junk = await w.t.request('POST', '/jambonz/call', {
      rawBody: '{oops',
      headers: { 'content-type': 'application/json' },
    });
    expect(junk.status).toBe(403);
  });

  it('[IN-01] [LINE-01] answers a signed call to a number not registered here with a valid sip:decline', async () => {
    const res = await w.t.request('POST', '/jambonz/call', {
      rawBody: payload,
      headers: { 'content-type': 'application/json', 'jambonz-signature': signPayload(SECRET, payload) },
    });
    expect(res.status).toBe(200);
    validateVerbs(res.body);
    expect(res.body).toEqual([{ verb: 'sip:decline', status: 404, reason: 'Number not in service' }]);
  });

  it('[IN-01] a retried initial webhook is answered from the stored session: same answer, one session', async () => {
    const callSid = randomUUID();
    const body = JSON.stringify({
      call_sid: callSid,
      direction: 'inbound',
      from: '13900000099',
      to: w.cc.number,
      call_id: 'retry',
      sip_status: 100,
      call_status: 'trying',
      account_sid: w.sim.accountSid,
      application_sid: 'app',
    });
    const post = () =>
      w.t.request('POST', '/jambonz/call', {
        rawBody: body,
        headers: { 'content-type': 'application/json', 'jambonz-signature': signPayload(SECRET, body) },
      });
    const first = await post();
    const second = await post();
    expect(first.status).toBe(200);
    validateVerbs(first.body);
    expect(first.body[0]).toMatchObject({ verb: 'tag', data: { role: 'customer', tenantId: w.cc.tenantId } });
    expect(first.body.some((v: { verb: string }) => v.verb === 'gather')).toBe(true);
    // The retry resumes where the call waits (the menu), under the same session tag.
    expect(second.body[0]).toEqual(first.body[0]);
    expect(second.body.at(-1)).toMatchObject({ verb: 'gather', actionHook: '/jambonz/ivr?step=menu' });
    expect(first.body.at(-1)).toMatchObject({ verb: 'gather', actionHook: '/jambonz/ivr?step=menu' });
    const sessions = await w.t.app.database.pool.query('select id from call_sessions where customer_call_sid = $1', [
      callSid,
    ]);
    const tag = first.body[0] as { verb: 'tag'; data: { sessionId: string } };
    expect(sessions.rows).toEqual([{ id: tag.data.sessionId }]);

    // The caller hangs up; the session ends once.
    const done = JSON.stringify({
      call_sid: callSid,
      direction: 'inbound',
      from: '13900000099',
      to: w.cc.number,
      call_id: 'retry',
      sip_status: 200,
      call_status: 'completed',
      call_termination_by: 'caller',
      duration: 5,
      account_sid: w.sim.accountSid,
      customerData: tag.data,
    });
    const res = await w.t.request('POST', '/jambonz/status', {
      rawBody: done,
      headers: { 'content-type': 'application/json', 'jambonz-signature': signPayload(SECRET, done) },
    });
    expect(res.status).toBe(204); // jambonz ignores a status hook's answer
    await cdrOf(w, w.cc, tag.data.sessionId);
  });

  it('[IN-01] a replayed duplicate completed status does not create a second CDR', async () => {
    await setAgentState(w.t, w.cc.agents[0]!, 'idle');
    const call = await w.sim.placeCall({ from: '13900000007', to: w.cc.number });
    await call.expectPrompt(/press 1/);
    call.hangup();
    await call.ended;
    const sessionId = await sessionIdOf(w, call);
    const cdr = await cdrOf(w, w.cc, sessionId);
    const replay = JSON.stringify({
      call_sid: call.callSid,
      direction: 'inbound',
      from: '13900000007',
      to: w.cc.number,
      call_id: 'x',
      sip_status: 200,
      call_status: 'completed',
      call_termination_by: 'caller',
      duration: 99,
      account_sid: w.sim.accountSid,
      customerData: { sessionId, tenantId: w.cc.tenantId, role: 'customer' },
    });
    for (let i = 0; i < 3; i++) {
      const res = await w.t.request('POST', '/jambonz/status', {
        rawBody: replay,
        headers: { 'content-type': 'application/json', 'jambonz-signature': signPayload(SECRET, replay) },
      });
      expect(res.status).toBe(204);
    }
    const rows = await w.t.app.database.pool.query('select id, end_status from cdrs where session_id = $1', [
      sessionId,
    ]);
    expect(rows.rows).toEqual([{ id: cdr.id, end_status: 102 }]);
  });
});
