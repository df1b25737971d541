/**
 * Agent → agent calls (AGT-04) through the jambonz simulator: the caller's softphone rings and
 * answers by itself, then the colleague — on their softphone while online, on their bound
 * mobile (from an agent-mobile number) while offline. Both meet in one room; a CDR follows.
 */
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { setAgentState, type CallCenter } from '../../core/test/support/call-center.js';
import type { SeededUser } from '../../core/test/support/test-app.js';
import type { SimCall, SimDevice } from '../src/simulator/index.js';
import { until } from './support/harness.js';
import { hookRecorder } from './support/hook-recorder.js';
import { cdrOf as recordOf, socket as wsClient, useLiveWorld } from './support/live-world.js';

/** Hooks plugins heard: an internal call has a life like any other (offered, answered, ended). */
const { plugin: listener, heard } = hookRecorder('internal-listener', ['call.offered', 'call.answered', 'call.ended']);

const w = useLiveWorld({
  secret: 'internal-calls',
  timeScale: 0.02,
  calls: { wrapUpSeconds: 0 },
  plugins: [listener({})],
});

async function center(slug: string): Promise<CallCenter> {
  return w.center({ slug: `${slug}-${randomInt(1e6)}`, agents: 2 });
}

async function staffNo(user: SeededUser): Promise<string> {
  return (await w.t.app.database.pool.query('select staff_no from users where id = $1', [user.id])).rows[0].staff_no;
}

async function stateOf(user: SeededUser): Promise<string> {
  return (await w.t.request('GET', '/api/v1/agents/me', { token: user.token })).body.state;
}

async function dial(from: SeededUser, body: Record<string, unknown>) {
  return w.t.request('POST', '/api/v1/internal-calls', { token: from.token, body });
}

const socket = (user: SeededUser) => wsClient(w, user);

async function nameOf(user: SeededUser): Promise<string> {
  return (await w.t.app.database.pool.query('select name from users where id = $1', [user.id])).rows[0].name;
}

const cdrOf = (cc: CallCenter, sessionId: string) => recordOf(w, cc, sessionId);

/** The calling agent's softphone, asked to answer by itself: its ring, and its leg once answered. */
async function ownLeg(device: SimDevice) {
  const ring = await until(async () => device.rings[0], 'caller rung');
  const leg = await until(
    async () => (ring.state === 'answered' ? w.sim.call(ring.callSid) : undefined),
    'caller answered',
  );
  return { ring, leg };
}

describe('internal calls', () => {
  it('[AGT-04] [INT-03] an agent calls an online colleague: own softphone answers by itself, the colleague’s rings with a call.offer, one room', async () => {
    const cc = await center('internal');
    const [alice, bob] = cc.agents;
    const aliceDevice = w.sim.registerUser(alice!.sipUser);
    const bobDevice = w.sim.registerUser(bob!.sipUser);
    await setAgentState(w.t, alice!, 'notReady');
    await setAgentState(w.t, bob!, 'idle');
    const [aliceWs, bobWs, supWs] = await Promise.all([socket(alice!), socket(bob!), socket(cc.supervisor)]);

    const res = await dial(alice!, { toStaffNo: await staffNo(bob!) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ callee: { agentId: bob!.id }, calleeDevice: 'webrtc' });
    const sessionId = res.body.sessionId as string;

    // Alice's softphone: asked to auto-answer (she clicked "call"), shows Bob's staff number.
    const { ring: aliceRing, leg: aliceLeg } = await ownLeg(aliceDevice);
    expect(aliceRing.headers['Call-Info']).toMatch(/answer-after=0/);
    expect(aliceRing.from).toBe(await staffNo(bob!));
    await aliceLeg.expectPrompt(/Calling agent/);

    // Bob's softphone rings with Alice's staff number; he answers; both are in the session room.
    const bobRing = await bobDevice.nextRing({ timeoutMs: 10_000 });
    expect(bobRing.from).toBe(await staffNo(alice!));
    expect(bobRing.headers['Call-Info']).toBeUndefined();
    // Bob's workbench is told who is calling, as for a customer's call.
    const offer = await bobWs.next('call.offer', (d) => d.sessionId === sessionId);
    expect(offer.data).toMatchObject({
      caller: await staffNo(alice!),
      callee: await staffNo(bob!),
      skillGroupId: null,
      internalFrom: { agentId: alice!.id, name: await nameOf(alice!), staffNo: await staffNo(alice!) },
    });
    const bobLeg: SimCall = bobRing.answer();
    await until(async () => aliceLeg.conference === sessionId && bobLeg.conference === sessionId, 'one room');
    await bobWs.next('call.accepted', (d) => d.sessionId === sessionId && d.offerId === offer.data.offerId);
    expect(await stateOf(alice!)).toBe('busy');
    expect(await stateOf(bob!)).toBe('busy');

    bobLeg.hangup();
    await aliceLeg.ended;
    // Both agents and the supervisors see the call end; the monitors saw it start and connect.
    for (const ws of [aliceWs, bobWs, supWs]) {
      const ended = await ws.next('call.ended', (d) => d.sessionId === sessionId);
      expect(ended.data).toMatchObject({ endStatusString: 'ok' });
    }
    const states = await until(async () => {
      const s = supWs.of(sessionId).filter((f) => f.type === 'session.state');
      return s.at(-1)?.data.state === 'ended' ? s.map((f) => f.data) : undefined;
    }, 'session.state ended');
    expect(states.map((s) => [s.previous, s.state, s.reason])).toEqual([
      [null, 'offering', 'internal'],
      ['offering', 'bridged', 'answered'],
      ['bridged', 'ended', 'ended'],
    ]);
    expect(states[0]).toMatchObject({ direction: 'internal', agentId: alice!.id });
    expect(states[1]).toMatchObject({ agentId: bob!.id });
    // The calling agent follows the call on their own workbench too.
    await until(
      async () => aliceWs.of(sessionId).some((f) => f.type === 'session.state' && f.data.state === 'ended'),
      'alice ended',
    );
    expect(
      aliceWs
        .of(sessionId)
        .filter((f) => f.type === 'session.state')
        .map((f) => f.data.state),
    ).toEqual(['offering', 'bridged', 'ended']);
    for (const ws of [aliceWs, bobWs, supWs]) ws.close();
    // Plugins (INT-03) hear the colleague rung and answering, and the end with the CDR.
    await until(async () => heard.some((h) => h.hook === 'call.ended' && h.payload.sessionId === sessionId), 'hook');
    const hooks = heard.filter((h) => h.payload.sessionId === sessionId);
    expect(hooks.map((h) => h.hook)).toEqual(['call.offered', 'call.answered', 'call.ended']);
    expect(hooks[0]!.payload).toMatchObject({ direction: 'internal', agentId: bob!.id, from: await staffNo(alice!) });
    expect(hooks[1]!.payload).toMatchObject({ agentId: bob!.id });
    expect(hooks[2]!.payload.cdr).toMatchObject({ sessionId, direction: 'internal', endStatusString: 'ok' });
    const cdr = await cdrOf(cc, sessionId);
    expect(cdr).toMatchObject({
      direction: 'internal',
      caller: await staffNo(alice!),
      callee: await staffNo(bob!),
      endStatusString: 'ok',
    });
    expect(cdr.serveParticipants.map((p: { agentId: string }) => p.agentId)).toEqual([alice!.id, bob!.id]);
    // Each goes back to where they were; no wrap-up for an internal call.
    await until(async () => (await stateOf(alice!)) === 'notReady' && (await stateOf(bob!)) === 'idle', 'states back');
    // An internal call is no customer: nothing for "last agent first".
    const memory = await w.t.app.database.pool.query('select 1 from routing_memory where session_id = $1', [sessionId]);
    expect(memory.rowCount).toBe(0);
  });

  it('[AGT-04] [ADM-05] a colleague who is offline is rung on their mobile from an agent-mobile number', async () => {
    const cc = await center('internal-mobile');
    const [alice, bob] = cc.agents;
    const aliceDevice = w.sim.registerUser(alice!.sipUser);
    const number = `0106${randomInt(1_000_000, 9_999_999)}`;
    const n = await w.t.app.container.cradle.numberRepo.create(cc.tenantId, { number });
    await w.t.request('PUT', `/api/v1/agent-mobile-numbers/${n.id}`, { token: cc.admin.token });
    const bobMobile = w.sim.phone(bob!.mobile);
    await setAgentState(w.t, alice!, 'idle');
    // Bob is offline (logged out, softphone not registered).

    const res = await dial(alice!, { toAgentId: bob!.id });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.calleeDevice).toBe('mobile');
    const { leg: aliceLeg } = await ownLeg(aliceDevice);
    const ring = await bobMobile.nextRing({ timeoutMs: 10_000 });
    expect(ring.from).toBe(number);
    const bobLeg = ring.answer();
    await until(async () => bobLeg.conference !== undefined && bobLeg.conference === aliceLeg.conference, 'one room');
    expect(await stateOf(bob!)).toBe('offline');
    aliceLeg.hangup();
    await bobLeg.ended;
    await until(async () => (await stateOf(alice!)) === 'idle', 'alice idle');
    expect(await stateOf(bob!)).toBe('offline');
  });

  it('[AGT-04] a colleague who declines: the caller’s leg ends too, both get their states back, CDR ringingGiveUp', async () => {
    const cc = await center('internal-declined');
    const [alice, bob] = cc.agents;
    const aliceDevice = w.sim.registerUser(alice!.sipUser);
    const bobDevice = w.sim.registerUser(bob!.sipUser);
    await setAgentState(w.t, alice!, 'idle');
    await setAgentState(w.t, bob!, 'notReady');
    // Bob listens before the call: his offer may go out as soon as Alice's leg answers.
    const bobWs = await socket(bob!);
    const res = await dial(alice!, { toAgentId: bob!.id });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const { leg: aliceLeg } = await ownLeg(aliceDevice);
    const bobRing = await bobDevice.nextRing({ timeoutMs: 10_000 });
    expect(await stateOf(bob!)).toBe('busy');
    const offer = await bobWs.next('call.offer', (d) => d.sessionId === res.body.sessionId);
    bobRing.reject();
    await aliceLeg.ended;
    // Bob's ringing card goes away, and he learns the call is over.
    await bobWs.next('call.offer.withdrawn', (d) => d.offerId === offer.data.offerId);
    await bobWs.next('call.ended', (d) => d.sessionId === res.body.sessionId);
    bobWs.close();
    const cdr = await cdrOf(cc, res.body.sessionId as string);
    expect(cdr).toMatchObject({ direction: 'internal', endStatusString: 'ringingGiveUp' });
    await until(async () => (await stateOf(alice!)) === 'idle' && (await stateOf(bob!)) === 'notReady', 'states back');
  });

  it('[AGT-04] refuses clearly: a busy colleague (409 agent_busy), an offline one without a mobile (409 agent_unreachable), yourself', async () => {
    const cc = await center('internal-refused');
    const [alice, bob] = cc.agents;
    w.sim.registerUser(alice!.sipUser);
    await setAgentState(w.t, alice!, 'idle');

    await w.t.app.database.pool.query(`update agents set state = 'busy' where user_id = $1`, [bob!.id]);
    const busy = await dial(alice!, { toAgentId: bob!.id });
    expect(busy.status).toBe(409);
    expect(busy.body.error).toMatchObject({ code: 'agent_busy', details: { agentId: bob!.id, state: 'busy' } });

    await w.t.app.database.pool.query(`update agents set state = 'offline' where user_id = $1`, [bob!.id]);
    await w.t.app.database.pool.query(`update users set mobile = null where id = $1`, [bob!.id]);
    const unreachable = await dial(alice!, { toAgentId: bob!.id });
    expect(unreachable.status).toBe(409);
    expect(unreachable.body.error).toMatchObject({
      code: 'agent_unreachable',
      details: { agentId: bob!.id, reason: 'agent has no mobile' },
    });

    const self = await dial(alice!, { toAgentId: alice!.id });
    expect(self.status).toBe(400);
    const unknown = await dial(alice!, { toStaffNo: 'nobody' });
    expect(unknown.status).toBe(404);
    const both = await dial(alice!, { toStaffNo: '1', toAgentId: bob!.id });
    expect(both.status).toBe(400);
    const anonymous = await w.t.request('POST', '/api/v1/internal-calls', { body: { toAgentId: bob!.id } });
    expect(anonymous.status).toBe(401);
    const key = (
      await w.t.request('POST', '/api/v1/api-keys', {
        token: cc.admin.token,
        body: { name: 'k', scopes: ['users:write'] },
      })
    ).body.key as string;
    expect(
      (await w.t.request('POST', '/api/v1/internal-calls', { token: key, body: { toAgentId: bob!.id } })).status,
    ).toBe(403);
    // Nothing was started: Alice is still idle, no session.
    expect(await stateOf(alice!)).toBe('idle');
    const sessions = await w.t.app.database.pool.query(`select 1 from call_sessions where tenant_id = $1`, [
      cc.tenantId,
    ]);
    expect(sessions.rowCount).toBe(0);
  });
});
