/**
 * Crash paths (issue 9, item 1): steps of the call path nobody awaits — the colleague's ring of
 * an internal call, the end of a call whose callee got busy, the customer's dial of a redial, the
 * `session.party` event of a placed leg — fail here on purpose, through the jambonz REST API
 * answering 500 (`sim.failNext`) and through real database errors (a trigger, a table taken
 * away). Each test checks that the process lives (no unhandled rejection), that the error is
 * logged with its step, tenant and session and counted in `switchboard_background_errors_total`,
 * and that the call still ends with its CDR.
 *
 * Simulated time runs at real speed (timeScale 1): nothing here waits on a simulator timer, and
 * every wait is on an event (a ring, a log line, a leg ending, the CDR).
 */
import { randomInt } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setAgentState, type CallCenter } from '../../core/test/support/call-center.js';
import type { SeededUser } from '../../core/test/support/test-app.js';
import type { SimCall, SimDevice } from '../src/simulator/index.js';
import { failNextWrite, takeAway, type WriteFault } from './support/db-faults.js';
import { until } from './support/harness.js';
import { cdrOf as recordOf, useLiveWorld } from './support/live-world.js';

/** Safety net only (every wait is on an event): real-time calls on a loaded 2-core machine. */
const LIVE_TEST_MS = 120_000;

const w = useLiveWorld({ secret: 'crash-paths', timeScale: 1, calls: { wrapUpSeconds: 0 } });

// A rejection nobody handled would end the process (and every call on it) in production.
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

const faults: WriteFault[] = [];
afterEach(async () => {
  for (const f of faults.splice(0)) await f.drop();
  expect(unhandled.splice(0)).toEqual([]);
  // Every injected REST fault fired: the test went down the path it claims.
  const pending = w.sim.pendingFaults();
  w.sim.clearFaults();
  expect(pending).toEqual([]);
});

const pool = () => w.t.app.database.pool;

async function center(slug: string, agents: number): Promise<CallCenter> {
  const cc = await w.center({ slug: `${slug}-${randomInt(1e6)}`, agents });
  w.signedIn(cc.supervisor);
  return cc;
}

/** The next insert of this session's CDR fails (a database error in the step that ends the call). */
async function cdrInsertFails(sessionId: string): Promise<WriteFault> {
  const f = await failNextWrite(pool(), { table: 'cdrs', op: 'insert', column: 'session_id', value: sessionId });
  faults.push(f);
  return f;
}

/** A create-call to one softphone user or phone number. */
const toUser = (sipUser: string) => (b: unknown) =>
  String((b as { to?: { name?: string } }).to?.name ?? '').startsWith(`${sipUser}@`);
const toPhone = (number: string) => (b: unknown) => (b as { to?: { number?: string } }).to?.number === number;

/** `switchboard_background_errors_total{step}` as `/metrics` serves it (the app's registry). */
async function counted(step: string): Promise<number> {
  const text = await w.t.app.container.cradle.metrics.registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`switchboard_background_errors_total{step="${step}"}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

/** Log lines of a failed step for one session (waits for at least `n`). */
async function loggedFailures(step: string, sessionId: string, n = 1) {
  return until(async () => {
    const lines = w.t.logs.filter((l) => l.step === step && l.sessionId === sessionId);
    return lines.length >= n ? lines : undefined;
  }, `${n} log line(s) of step ${step}`);
}

const errMessage = (line: Record<string, unknown>) => String((line.err as { message?: string } | undefined)?.message);

async function stateOf(user: SeededUser): Promise<string> {
  return (await w.t.request('GET', '/api/v1/agents/me', { token: user.token })).body.state;
}

const post = (user: SeededUser, path: string, body?: unknown) =>
  w.t.request('POST', `/api/v1${path}`, { token: user.token, ...(body !== undefined ? { body } : {}) });

async function staffNo(user: SeededUser): Promise<string> {
  return (await pool().query('select staff_no from users where id = $1', [user.id])).rows[0].staff_no;
}

/** Caller → IVR key 1 → the agent answers → both in the session's room. */
async function connect(cc: CallCenter, device: SimDevice, from: string) {
  const call = await w.sim.placeCall({ from, to: cc.number });
  await call.expectPrompt(/press 1/, { timeoutMs: 30_000 });
  call.press('1');
  const agent = (await device.nextRing({ timeoutMs: 30_000 })).answer();
  const sessionId = await until(async () => {
    const r = await pool().query('select id from call_sessions where customer_call_sid = $1', [call.callSid]);
    return r.rows[0]?.id as string | undefined;
  }, 'session');
  await until(async () => call.conference && call.conference === agent.conference, 'customer and agent in the room');
  return { call, agent, sessionId };
}

/** Hangs up and waits until the leg is gone. */
async function hangUp(leg: SimCall): Promise<void> {
  leg.hangup();
  await leg.ended;
}

describe('crash paths: background steps that fail keep the process and the call', () => {
  it(
    'internal call: the colleague’s ring fails (jambonz 500), then ending the call fails (database): logged, counted, the call still ends with its CDR',
    async () => {
      const cc = await center('crash-int', 2);
      const [alice, bob] = [cc.agents[0]!, cc.agents[1]!];
      // Alice answers her own ring by hand, so the faults are in place before her answer starts the ring of Bob.
      const aliceDevice = w.sim.registerUser(alice.sipUser, { honourAutoAnswer: false });
      w.sim.registerUser(bob.sipUser);
      await setAgentState(w.t, alice, 'notReady');
      await setAgentState(w.t, bob, 'idle');
      const ringBob = w.sim.failNext({ method: 'POST', path: '/Calls', body: toUser(bob.sipUser) }, { status: 500 });
      const before = await counted('internal.ringCallee');

      const res = await post(alice, '/internal-calls', { toStaffNo: await staffNo(bob) });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const sessionId = res.body.sessionId as string;
      const cdrFault = await cdrInsertFails(sessionId);
      const aliceLeg = (await aliceDevice.nextRing({ timeoutMs: 30_000 })).answer();
      await ringBob.fired;

      // Both failures of the step: jambonz's 500, then the database refusing the CDR of its end.
      const lines = await loggedFailures('internal.ringCallee', sessionId, 2);
      expect(lines.map(errMessage)).toEqual([
        expect.stringMatching(/failed with 500/),
        expect.stringMatching(/injected fault/),
      ]);
      expect(lines[0]).toMatchObject({ tenantId: cc.tenantId, level: 50 });
      expect(await cdrFault.fired()).toBe(1);
      expect(await counted('internal.ringCallee')).toBe(before + 2);

      // Alice hears nobody come and hangs up: the call ends with its CDR, both agents get their states back.
      await hangUp(aliceLeg);
      expect(await recordOf(w, cc, sessionId)).toMatchObject({ sessionId, direction: 'internal' });
      expect(await stateOf(alice)).toBe('notReady');
      expect(await stateOf(bob)).toBe('idle');
    },
    LIVE_TEST_MS,
  );

  it(
    'internal call: the colleague took a break before the caller answered and ending the call fails (database): logged, counted, the caller’s hang-up ends it with its CDR',
    async () => {
      const cc = await center('crash-busy', 2);
      const [alice, bob] = [cc.agents[0]!, cc.agents[1]!];
      const aliceDevice = w.sim.registerUser(alice.sipUser, { honourAutoAnswer: false });
      w.sim.registerUser(bob.sipUser);
      await setAgentState(w.t, alice, 'notReady');
      await setAgentState(w.t, bob, 'idle');
      const before = await counted('internal.endCalleeBusy');

      const res = await post(alice, '/internal-calls', { toStaffNo: await staffNo(bob) });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const sessionId = res.body.sessionId as string;
      const cdrFault = await cdrInsertFails(sessionId);
      await setAgentState(w.t, bob, 'notReady');
      const aliceLeg = (await aliceDevice.nextRing({ timeoutMs: 30_000 })).answer();

      await aliceLeg.expectPrompt(/busy now/, { timeoutMs: 30_000 });
      const [line] = await loggedFailures('internal.endCalleeBusy', sessionId);
      expect(errMessage(line!)).toMatch(/injected fault/);
      expect(line).toMatchObject({ tenantId: cc.tenantId });
      expect(await cdrFault.fired()).toBe(1);
      expect(await counted('internal.endCalleeBusy')).toBe(before + 1);

      // The prompt ends with a hang-up; that leg's end ends the call.
      await aliceLeg.ended;
      expect(await recordOf(w, cc, sessionId)).toMatchObject({ sessionId, direction: 'internal' });
      expect(await stateOf(alice)).toBe('notReady');
      expect(await stateOf(bob)).toBe('notReady');
    },
    LIVE_TEST_MS,
  );

  it(
    'redial: dialling the customer fails (jambonz 500), then ending the call fails (database): logged, counted, the agent’s hang-up ends it with its CDR',
    async () => {
      const cc = await center('crash-redial', 1);
      const agent = cc.agents[0]!;
      const device = w.sim.registerUser(agent.sipUser);
      await setAgentState(w.t, agent, 'idle');
      const customer = `139${randomInt(1e7, 1e8)}`;
      const { call, agent: agentLeg, sessionId } = await connect(cc, device, customer);
      await hangUp(call);
      await agentLeg.ended;
      await recordOf(w, cc, sessionId);

      w.sim.phone(customer);
      const dial = w.sim.failNext({ method: 'POST', path: '/Calls', body: toPhone(customer) }, { status: 500 });
      const before = await counted('redial.dialCustomer');
      const res = await post(agent, `/sessions/${sessionId}/redial`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const redialId = res.body.sessionId as string;
      const cdrFault = await cdrInsertFails(redialId);
      const ownLeg = (await device.nextRing({ timeoutMs: 30_000 })).answer();
      await dial.fired;

      const lines = await loggedFailures('redial.dialCustomer', redialId, 2);
      expect(lines.map(errMessage)).toEqual([
        expect.stringMatching(/failed with 500/),
        expect.stringMatching(/injected fault/),
      ]);
      expect(lines[1]).toMatchObject({ tenantId: cc.tenantId });
      expect(await cdrFault.fired()).toBe(1);
      expect(await counted('redial.dialCustomer')).toBe(before + 2);

      await hangUp(ownLeg);
      expect(await recordOf(w, cc, redialId)).toMatchObject({
        sessionId: redialId,
        direction: 'outbound',
        callee: customer,
      });
      expect(await stateOf(agent)).toBe('idle');
    },
    LIVE_TEST_MS,
  );

  it(
    'three-way and listen-in: rings that fail (jambonz 500) leave the call on and the second agent free; a party event whose database read fails is logged and counted; the call ends with its CDR',
    async () => {
      const cc = await center('crash-party', 2);
      const [first, second] = [cc.agents[0]!, cc.agents[1]!];
      const device = w.sim.registerUser(first.sipUser);
      w.sim.registerUser(second.sipUser);
      await w.t.app.container.cradle.agentService.ensure(cc.tenantId, cc.supervisor.id, `${cc.agents[0]!.sipUser}-sup`);
      const supDevice = w.sim.registerUser(`${cc.agents[0]!.sipUser}-sup`);
      await setAgentState(w.t, first, 'idle');
      const { call, agent, sessionId } = await connect(cc, device, `139${randomInt(1e7, 1e8)}`);
      await setAgentState(w.t, second, 'idle');

      // Three-way with the second agent: jambonz answers 500. The API says so; the agent is free again.
      const ringSecond = w.sim.failNext(
        { method: 'POST', path: '/Calls', body: toUser(second.sipUser) },
        { status: 500 },
      );
      const added = await post(first, `/sessions/${sessionId}/conference`, {
        with: { type: 'agent', agentId: second.id },
      });
      await ringSecond.fired;
      // The provider failed, not the request nor Switchboard: 503 telephony_busy, worth a retry.
      expect(added.status, JSON.stringify(added.body)).toBe(503);
      expect(added.body.error.code).toBe('telephony_busy');
      expect(await stateOf(second)).toBe('idle');

      // Listen-in: jambonz answers 500 once; the supervisor tries again and listens.
      const sipSup = `${cc.agents[0]!.sipUser}-sup`;
      const ringSup = w.sim.failNext({ method: 'POST', path: '/Calls', body: toUser(sipSup) }, { status: 500 });
      expect((await post(cc.supervisor, `/sessions/${sessionId}/listen`)).status).toBe(503);
      await ringSup.fired;
      const res = await post(cc.supervisor, `/sessions/${sessionId}/listen`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const supervisor = (await supDevice.nextRing({ timeoutMs: 30_000 })).answer();
      await until(async () => supervisor.conference === call.conference, 'supervisor in the room');
      expect(call.status).toBe('in-progress');

      // The supervisor leaves while the tenants table is gone: the `session.party` event cannot
      // read the tenant's number protection. Logged and counted; nothing else is lost.
      const before = await counted('control.publishParty');
      const restore = await takeAway(pool(), 'tenants');
      try {
        supervisor.hangup();
        const [line] = await loggedFailures('control.publishParty', sessionId);
        expect(errMessage(line!)).toMatch(/tenants/);
        expect(line).toMatchObject({ tenantId: cc.tenantId, legId: expect.any(String) });
      } finally {
        await restore();
      }
      await supervisor.ended;
      expect(await counted('control.publishParty')).toBe(before + 1);

      // The call went on all along and ends with its CDR.
      expect(call.status).toBe('in-progress');
      await hangUp(call);
      await agent.ended;
      expect(await recordOf(w, cc, sessionId)).toMatchObject({ sessionId, direction: 'inbound' });
      expect(await stateOf(first)).toBe('idle');
    },
    LIVE_TEST_MS,
  );
});
