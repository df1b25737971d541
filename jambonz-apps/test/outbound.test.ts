/**
 * Outbound calls from the workbench through the jambonz simulator (issue 10 item 7): the agent
 * dials (OUT-01/03), their own device rings first, then the customer's phone, into one session;
 * extension digits after connect (OUT-06); the caller ID the customer sees (OUT-07); the
 * customer's number masked for agents everywhere (OUT-09); the end status of every way a call
 * does not connect; who may dial and the state they get back; the `call.outbound` plugin hook.
 */
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { setAgentState } from '../../core/test/support/call-center.js';
import { definePlugin } from '../../core/src/plugins/define-plugin.js';
import type { SeededUser } from '../../core/test/support/test-app.js';
import type { SimCall, SimDevice, SimIncoming } from '../src/simulator/index.js';
import { until } from './support/harness.js';
import { hookRecorder } from './support/hook-recorder.js';
import { callPresales, cdrOf, recordAs, sessionIdOf, socket, useLiveWorld } from './support/live-world.js';

const SECRET = 'outbound-secret';
const TIME_SCALE = 0.02; // 1 simulated second = 20 ms

/** Numbers ending in this make the slow plugin hang (until the test lets it go). */
const SLOW_SUFFIX = '9999';
let releaseSlow: () => void = () => undefined;
const slowGate = () =>
  new Promise<void>((resolve) => {
    releaseSlow = resolve;
  });

/** A plugin that hangs on some calls and ignores its abort signal: the worst a plugin can do. */
const slowCrm = definePlugin({
  name: 'slow-crm',
  version: '1.0.0',
  config: z.object({}),
  hooks: {
    'call.outbound': async ({ to }) => {
      if (!to.endsWith(SLOW_SUFFIX)) return;
      await slowGate();
      return { annotations: { slow: 'too late' } };
    },
  },
});

/** A CRM screen pop: a card holding the customer's phone (masked for agents, OUT-09). */
const { plugin: crm, heard } = hookRecorder('crm', ['call.outbound'], {
  'call.outbound': ({ to }) => ({ annotations: { crmCard: { name: 'Ms Li', phone: to } } }),
});

const w = useLiveWorld({
  secret: SECRET,
  timeScale: TIME_SCALE,
  calls: { wrapUpSeconds: 0 },
  // The slow plugin first: the other still gets its turn within the hook's budget.
  plugins: [slowCrm({}), crm({})],
});

/** A fresh customer number (digits as stored); only the slow-plugin test's ends in {@link SLOW_SUFFIX}. */
function customerNumber(suffix = ''): string {
  for (;;) {
    const n = `139${randomInt(1e7, 1e8)}`.slice(0, 11 - suffix.length) + suffix;
    if (suffix === SLOW_SUFFIX || !n.endsWith(SLOW_SUFFIX)) return n;
  }
}

async function center(slug: string, settings?: Record<string, unknown>) {
  const cc = await w.center({ slug, agents: 1, ...(settings ? { settings } : {}) });
  w.signedIn(cc.supervisor);
  const agent = cc.agents[0]!;
  return { cc, agent, device: w.sim.registerUser(agent.sipUser) };
}

const dial = (user: SeededUser, body: Record<string, unknown>) =>
  w.t.request('POST', '/api/v1/calls/outbound', { token: user.token, body });
const post = (user: SeededUser, path: string, body?: unknown) =>
  w.t.request('POST', `/api/v1${path}`, { token: user.token, ...(body !== undefined ? { body } : {}) });
const get = (user: SeededUser, path: string) => w.t.request('GET', `/api/v1${path}`, { token: user.token });

async function agentRow(user: SeededUser) {
  return (await get(user, '/agents/me')).body as { state: string; resumeState: string | null; reason: string | null };
}

/** Waits until the agent is in `state`. */
async function stateIs(user: SeededUser, state: string): Promise<void> {
  await until(async () => (await agentRow(user)).state === state, `agent ${state}`);
}

/** Dials and checks the 202; returns the session id. */
async function dialed(user: SeededUser, body: Record<string, unknown>): Promise<string> {
  const res = await dial(user, body);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.sessionId as string;
}

/** The agent answers their own ring, hears the dialling prompt; then the customer's phone rings. */
async function agentAnswers(device: SimDevice, phone: SimDevice): Promise<{ agentLeg: SimCall; ring: SimIncoming }> {
  const own = await device.nextRing({ timeoutMs: 10_000 });
  // The customer is dialled only once the agent answered.
  expect(phone.rings).toHaveLength(0);
  const agentLeg = own.answer();
  await agentLeg.expectPrompt(/Dialling the customer/);
  return { agentLeg, ring: await phone.nextRing({ timeoutMs: 10_000 }) };
}

/** Says something on `from` and returns who of `to` heard it. */
function say(from: SimCall, text: string, to: Record<string, SimCall>): string[] {
  from.speak(text);
  return Object.entries(to)
    .filter(([, c]) => c.heard.includes(text))
    .map(([name]) => name);
}

/** The `session.outbound` stages of one session a socket got, once `ended` arrived. */
async function stagesUntilEnded(client: Awaited<ReturnType<typeof socket>>, sessionId: string) {
  await client.next('session.outbound', (d) => d.sessionId === sessionId && d.stage === 'ended');
  return client.frames
    .filter((f) => f.type === 'session.outbound' && f.data.sessionId === sessionId)
    .map((f) => f.data);
}

/** The session's record once written, as an admin reads it. */
const recordOf = (cc: { admin: SeededUser; tenantId: string; number: string }, sessionId: string) =>
  cdrOf(w, cc as Parameters<typeof cdrOf>[1], sessionId);

describe('outbound calls from the workbench', () => {
  it('[OUT-01] [OUT-03] [OUT-06] the agent’s device rings first, then the customer; they talk, extension digits reach the callee, and the record is the outbound call', async () => {
    const { cc, agent, device } = await center('out-basic');
    await setAgentState(w.t, agent, 'idle');
    const ws = await socket(w, agent);
    const customer = customerNumber();
    const phone = w.sim.phone(customer);

    // OUT-03: pasted with spaces, dashes and brackets.
    const pasted = `(${customer.slice(0, 3)}) ${customer.slice(3, 7)}-${customer.slice(7)} `;
    const res = await dial(agent, { to: pasted });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toEqual({ sessionId: expect.any(String), callerId: cc.number, callee: customer });
    const sessionId = res.body.sessionId as string;

    // The agent's softphone rings first, showing whom they call; busy while dialling.
    const own = await device.nextRing({ timeoutMs: 10_000 });
    expect(own.from).toBe(customer);
    expect(phone.rings).toHaveLength(0);
    expect((await agentRow(agent)).state).toBe('busy');
    const agentLeg = own.answer();
    await agentLeg.expectPrompt(/Dialling the customer/);
    // Then the customer's phone, showing the tenant's number (its only one).
    const ring = await phone.nextRing({ timeoutMs: 10_000 });
    expect(ring.from).toBe(cc.number);
    const customerLeg = ring.answer();
    await until(
      async () => customerLeg.conference && customerLeg.conference === agentLeg.conference,
      'agent and customer in one room',
    );
    expect(say(agentLeg, 'Hello, this is Switchboard calling', { customer: customerLeg })).toEqual(['customer']);
    expect(say(customerLeg, 'Hello, who is this?', { agent: agentLeg })).toEqual(['agent']);

    // OUT-06: extension digits after connect reach the callee.
    const digits = await post(agent, `/sessions/${sessionId}/dtmf`, { digits: '8001#' });
    expect(digits.status, JSON.stringify(digits.body)).toBe(200);
    expect(customerLeg.dtmfReceived).toBe('8001#');

    customerLeg.hangup();
    await agentLeg.ended;
    const stages = await stagesUntilEnded(ws, sessionId);
    expect(stages.map((s) => s.stage)).toEqual([
      'dialingAgent',
      'agentAnswered',
      'dialingCustomer',
      'customerRinging',
      'connected',
      'ended',
    ]);
    for (const s of stages)
      expect(s).toMatchObject({ kind: 'outbound', agentId: agent.id, callerId: cc.number, callee: customer });
    expect(stages.at(-1)).toMatchObject({ endStatusString: 'ok', hungUpSide: 'user' });
    expect(
      ws.states(sessionId).map((e: { previous: string | null; state: string; reason: string }) => {
        return `${e.previous ?? '·'} → ${e.state} (${e.reason})`;
      }),
    ).toEqual(['· → offering (outbound)', 'offering → bridged (answered)', 'bridged → ended (ended)']);

    const cdr = await recordOf(cc, sessionId);
    expect(cdr).toMatchObject({
      direction: 'outbound',
      caller: cc.number,
      callee: customer,
      agentId: agent.id,
      endStatusString: 'ok',
      hungUpSide: 'user',
      serveParticipants: [expect.objectContaining({ type: 'outboundSeat', agentId: agent.id })],
    });
    expect(cdr.ringAt).not.toBeNull();
    expect(cdr.acceptedAt).not.toBeNull();
    expect(cdr.legs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'agent', purpose: 'outbound', agentId: agent.id }),
        expect.objectContaining({ kind: 'customer', purpose: 'outbound', number: customer }),
      ]),
    );
    // Back to the state dialled from.
    await stateIs(agent, 'idle');
  });

  it('[OUT-03] a number that is not one says so, naming the field', async () => {
    const { agent } = await center('out-bad-number');
    await setAgentState(w.t, agent, 'idle');
    for (const to of ['12-34', 'call me maybe', '+86 139 0000 1003 ext 2', '1'.repeat(21)]) {
      const res = await dial(agent, { to });
      expect(res.status, to).toBe(400);
      expect(res.body.error).toMatchObject({
        code: 'validation_failed',
        details: [expect.objectContaining({ path: 'body.to' })],
      });
    }
    const other = await dial(agent, { to: '13900001234', skillGroupId: 'not-a-uuid' });
    expect(other.status).toBe(400);
    expect((await agentRow(agent)).state).toBe('idle');
  });

  it('[OUT-07] the customer sees the outbound skill group’s number, else any of the tenant’s, or the one the agent chose', async () => {
    const { cc, agent, device } = await center('out-caller-id');
    const c = w.t.app.container.cradle;
    const sales = await c.numberRepo.create(cc.tenantId, { number: `0105${randomInt(1e6, 1e7)}`, label: 'Sales line' });
    const service = await c.numberRepo.create(cc.tenantId, { number: `0106${randomInt(1e6, 1e7)}`, label: 'Service' });
    const hotline = (await c.numberRepo.findByNumber(cc.number))!;
    const all = [hotline.number, sales.number, service.number].sort();
    await setAgentState(w.t, agent, 'idle');

    /** Dials, lets the agent answer, and returns the number the customer's phone shows; then cancels. */
    const shown = async (body: Record<string, unknown> = {}) => {
      const customer = customerNumber();
      const phone = w.sim.phone(customer);
      const sessionId = await dialed(agent, { to: customer, ...body });
      const { agentLeg, ring } = await agentAnswers(device, phone);
      expect((await post(agent, `/sessions/${sessionId}/hangup`)).status).toBe(200);
      await Promise.all([agentLeg.ended, ring.whenCancelled]);
      await stateIs(agent, 'idle');
      return { from: ring.from, record: await recordOf(cc, sessionId) };
    };

    // No outbound skill group yet: every number may be shown, none preferred; any of them is.
    const before = await get(agent, '/calls/outbound/caller-ids');
    expect(before.status, JSON.stringify(before.body)).toBe(200);
    expect(before.body.skillGroups).toEqual([]);
    expect(before.body.items.map((i: { number: string }) => i.number).sort()).toEqual(all);
    expect(before.body.items.every((i: { preferred: boolean }) => !i.preferred)).toBe(true);
    expect(all).toContain((await shown()).from);

    // An admin makes a group outbound, puts the agent in it and links the sales line to it.
    const group = await c.skillGroupRepo.create(cc.tenantId, { name: 'sales-out' });
    const admin = cc.admin.token;
    const patch = await w.t.request('PATCH', `/api/v1/skill-groups/${group.id}`, {
      token: admin,
      body: { type: 'outbound' },
    });
    expect(patch.status, JSON.stringify(patch.body)).toBe(200);
    expect(patch.body).toMatchObject({ type: 'outbound', numberIds: [] });
    await w.t.request('PUT', `/api/v1/skill-groups/${group.id}/members/${agent.id}`, {
      token: admin,
      body: { priority: 3 },
    });
    const link = await w.t.request('PUT', `/api/v1/skill-groups/${group.id}/numbers/${sales.id}`, { token: admin });
    expect(link.status, JSON.stringify(link.body)).toBe(200);
    expect(link.body.numberIds).toEqual([sales.id]);
    // Inbound groups have no caller numbers.
    const inbound = await w.t.request('PUT', `/api/v1/skill-groups/${cc.groups.presales}/numbers/${sales.id}`, {
      token: admin,
    });
    expect(inbound.status).toBe(409);

    const after = await get(agent, '/calls/outbound/caller-ids');
    expect(after.body.skillGroups).toEqual([{ id: group.id, name: 'sales-out' }]);
    expect(after.body.items[0]).toMatchObject({
      id: sales.id,
      number: sales.number,
      preferred: true,
      skillGroupIds: [group.id],
    });
    expect(after.body.items.slice(1).every((i: { preferred: boolean }) => !i.preferred)).toBe(true);

    // The group's number is shown, and the record goes through the group.
    const viaGroup = await shown();
    expect(viaGroup.from).toBe(sales.number);
    expect(viaGroup.record).toMatchObject({
      caller: sales.number,
      queuedSkillGroupId: group.id,
      queuedSkillGroupName: 'sales-out',
    });
    expect((await shown({ skillGroupId: group.id })).from).toBe(sales.number);
    // A number the agent chose, if it is the tenant's.
    expect((await shown({ callerNumberId: service.id })).from).toBe(service.number);

    const other = await w.center({ slug: 'out-caller-id-other', agents: 0 });
    const foreign = (await c.numberRepo.findByNumber(other.number))!;
    const refused = await dial(agent, { to: customerNumber(), callerNumberId: foreign.id });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ path: 'body.callerNumberId' })]);
    const notOutbound = await dial(agent, { to: customerNumber(), skillGroupId: cc.groups.presales });
    expect(notOutbound.status).toBe(400);
    expect(notOutbound.body.error.details).toEqual([expect.objectContaining({ path: 'body.skillGroupId' })]);
    expect(device.ringing()).toEqual([]);
  });

  it('[OUT-08] an advanced tenant shows a number in the callee’s city, else one in their province', async () => {
    const { cc, agent, device } = await center('out-same-area');
    const c = w.t.app.container.cradle;
    // Fixed lines, located by their area codes: Guangzhou 020, Beijing 010, Shanghai 021.
    const guangzhou = await c.numberRepo.create(cc.tenantId, { number: `020${randomInt(1e7, 1e8)}`, label: 'GZ' });
    const beijing = await c.numberRepo.create(cc.tenantId, { number: `010${randomInt(1e7, 1e8)}`, label: 'BJ' });
    const shanghai = await c.numberRepo.create(cc.tenantId, { number: `021${randomInt(1e7, 1e8)}`, label: 'SH' });
    const choices = (await get(agent, '/calls/outbound/caller-ids')).body.items.map(
      (i: { number: string }) => i.number,
    );
    expect(choices).toEqual(expect.arrayContaining([guangzhou.number, beijing.number, shanghai.number, cc.number]));
    await setAgentState(w.t, agent, 'idle');

    /** Dials `customer`, lets the agent answer; returns the number the customer's phone shows, then cancels. */
    const shown = async (customer: string) => {
      const phone = w.sim.phone(customer);
      const sessionId = await dialed(agent, { to: customer });
      const { agentLeg, ring } = await agentAnswers(device, phone);
      expect((await post(agent, `/sessions/${sessionId}/hangup`)).status).toBe(200);
      await Promise.all([agentLeg.ended, ring.whenCancelled]);
      await stateIs(agent, 'idle');
      return ring.from;
    };
    // A Guangzhou customer sees the Guangzhou line, every time (4 numbers to choose from).
    for (let n = 0; n < 3; n++) expect(await shown(`020${randomInt(1e7, 1e8)}`)).toBe(guangzhou.number);
    expect(await shown(`021${randomInt(1e7, 1e8)}`)).toBe(shanghai.number);
    // Shenzhen (0755) has no line of its own: the one in the same province, Guangdong.
    expect(await shown(`0755${randomInt(1e7, 1e8)}`)).toBe(guangzhou.number);
    expect(device.rings.length).toBe(5);
  });

  it('[OUT-09] under number protection the agent never gets the customer’s number — REST, /ws, session view, records — while admins and plugins do', async () => {
    const { cc, agent, device } = await center('out-masked', { numberProtection: true });
    await setAgentState(w.t, agent, 'idle');
    const ws = await socket(w, agent);
    const sup = await socket(w, cc.supervisor);
    const customer = customerNumber();
    const masked = `${customer.slice(0, 3)}****${customer.slice(-4)}`;
    const phone = w.sim.phone(customer);

    const res = await dial(agent, { to: customer });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({ callerId: cc.number, callee: masked });
    const sessionId = res.body.sessionId as string;
    // The hook got the real number, before anything rang.
    const hook = heard.find((h) => h.payload.sessionId === sessionId)!;
    expect(hook.payload).toMatchObject({
      direction: 'outbound',
      from: cc.number,
      to: customer,
      agentId: agent.id,
      callSid: '',
      tenantId: cc.tenantId,
    });

    const own = await device.nextRing({ timeoutMs: 10_000 });
    expect(own.from).toBe(masked);
    const agentLeg = own.answer();
    const customerLeg = (await phone.nextRing({ timeoutMs: 10_000 })).answer();
    await until(async () => customerLeg.conference && customerLeg.conference === agentLeg.conference, 'connected');

    // The session view: masked for the agent (the plugin's card too), whole for the admin.
    const view = await get(agent, `/sessions/${sessionId}`);
    expect(view.status, JSON.stringify(view.body)).toBe(200);
    expect(view.body).toMatchObject({
      direction: 'outbound',
      state: 'bridged',
      caller: cc.number,
      callee: masked,
      annotations: { crmCard: { name: 'Ms Li', phone: masked } },
    });
    expect(view.body.legs).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'customer', number: masked })]),
    );
    expect(JSON.stringify(view.body)).not.toContain(customer);
    const adminView = await get(cc.admin, `/sessions/${sessionId}`);
    expect(adminView.body).toMatchObject({ callee: customer, annotations: { crmCard: { phone: customer } } });

    agentLeg.hangup();
    await customerLeg.ended;
    const mine = await stagesUntilEnded(ws, sessionId);
    expect(mine.map((s) => s.stage)).toContain('connected');
    for (const s of mine) expect(s).toMatchObject({ callee: masked, annotations: { crmCard: { phone: masked } } });
    const theirs = await stagesUntilEnded(sup, sessionId);
    for (const s of theirs)
      expect(s).toMatchObject({ callee: customer, annotations: { crmCard: { phone: customer } } });
    expect(sup.states(sessionId).every((e: { callee: string }) => e.callee === customer)).toBe(true);
    expect(ws.states(sessionId).every((e: { callee: string }) => e.callee === masked)).toBe(true);

    // Records: the agent's own, masked; the admin's whole.
    const record = await recordAs(w, agent, sessionId);
    expect(record).toMatchObject({ direction: 'outbound', callee: masked, hungUpSide: 'seat', endStatusString: 'ok' });
    expect(record.annotations).toEqual({ crmCard: { name: 'Ms Li', phone: masked } });
    const list = await get(agent, '/records');
    const listed = list.body.items.find((r: { sessionId: string }) => r.sessionId === sessionId);
    expect(listed).toMatchObject({ callee: masked });
    expect(JSON.stringify(record)).not.toContain(customer);
    expect(JSON.stringify(list.body)).not.toContain(customer);
    expect(await recordOf(cc, sessionId)).toMatchObject({
      callee: customer,
      annotations: { crmCard: { phone: customer } },
    });
    // Nothing the agent's socket got holds the number.
    expect(JSON.stringify(ws.frames)).not.toContain(customer);
  });

  it('[OUT-01] every way an outbound call does not connect has its end status in the record', async () => {
    const { cc, agent, device } = await center('out-outcomes');
    await setAgentState(w.t, agent, 'idle');
    const ws = await socket(w, agent);

    type Outcome = { endStatusString: string; hungUpSide: string };
    /** One way it goes: `phone` is the customer's, unless the number reaches no phone at all. */
    type Case = { name: string; unreachable?: boolean; run: (id: string, phone: SimDevice) => Promise<void> };
    const cases: Array<Case & Outcome> = [
      {
        name: 'the agent does not answer their own device',
        endStatusString: 'clientError',
        hungUpSide: 'seat',
        run: async (id, phone) => {
          (await device.nextRing({ timeoutMs: 10_000 })).ignore();
          await ws.next('session.outbound', (d) => d.sessionId === id && d.stage === 'ended');
          expect(phone.rings).toHaveLength(0);
        },
      },
      {
        name: 'the agent cancels before the customer is dialled',
        endStatusString: 'callerCancel',
        hungUpSide: 'seat',
        run: async (id, phone) => {
          const own = await device.nextRing({ timeoutMs: 10_000 });
          expect((await post(agent, `/sessions/${id}/hangup`)).status).toBe(200);
          await own.whenCancelled;
          expect(phone.rings).toHaveLength(0);
        },
      },
      {
        name: 'the agent cancels while the customer’s phone rings',
        endStatusString: 'callerCancelWhileRing',
        hungUpSide: 'seat',
        run: async (id, phone) => {
          const { agentLeg, ring } = await agentAnswers(device, phone);
          await ws.next('session.outbound', (d) => d.sessionId === id && d.stage === 'customerRinging');
          expect((await post(agent, `/sessions/${id}/hangup`)).status).toBe(200);
          await Promise.all([ring.whenCancelled, agentLeg.ended]);
        },
      },
      {
        name: 'the customer does not answer',
        endStatusString: 'notAnswer',
        hungUpSide: 'system',
        run: async (_id, phone) => {
          const { agentLeg, ring } = await agentAnswers(device, phone);
          ring.ignore();
          await agentLeg.ended;
        },
      },
      {
        name: 'the customer’s line is busy',
        endStatusString: 'busy',
        hungUpSide: 'user',
        run: async (_id, phone) => {
          const { agentLeg, ring } = await agentAnswers(device, phone);
          ring.reject();
          await agentLeg.ended;
        },
      },
      {
        name: 'the customer declines',
        endStatusString: 'userReject',
        hungUpSide: 'user',
        run: async (_id, phone) => {
          const { agentLeg, ring } = await agentAnswers(device, phone);
          ring.reject(603);
          await agentLeg.ended;
        },
      },
      {
        name: 'the number is not reachable',
        endStatusString: 'notInService',
        hungUpSide: 'system',
        unreachable: true,
        run: async () => {
          const agentLeg = (await device.nextRing({ timeoutMs: 10_000 })).answer();
          await agentLeg.ended;
        },
      },
      {
        name: 'the provider fails to dial the customer',
        endStatusString: 'operatorError',
        hungUpSide: 'system',
        run: async (_id, phone) => {
          const fault = w.sim.failNext(
            {
              method: 'POST',
              path: '/Calls',
              body: (b) => (b as { to?: { number?: string } }).to?.number === phone.address,
            },
            { status: 500 },
          );
          const agentLeg = (await device.nextRing({ timeoutMs: 10_000 })).answer();
          await fault.fired;
          await agentLeg.ended;
        },
      },
    ];
    for (const c of cases) {
      const customer = customerNumber();
      // An unreachable number rings no phone: the handed-in one is a stranger's, never dialled.
      const phone = w.sim.phone(c.unreachable ? customerNumber() : customer);
      const sessionId = await dialed(agent, { to: customer });
      await c.run(sessionId, phone);
      const record = await recordOf(cc, sessionId);
      expect({ case: c.name, endStatusString: record.endStatusString, hungUpSide: record.hungUpSide }).toEqual({
        case: c.name,
        endStatusString: c.endStatusString,
        hungUpSide: c.hungUpSide,
      });
      expect(record).toMatchObject({ direction: 'outbound', caller: cc.number, callee: customer, agentId: agent.id });
      const ended = await ws.next('session.outbound', (d) => d.sessionId === sessionId && d.stage === 'ended');
      expect(ended.data.endStatusString).toBe(c.endStatusString);
      // The agent's own records hold it (even when they never answered), and they are free again.
      expect(await recordAs(w, agent, sessionId)).toMatchObject({ endStatusString: c.endStatusString });
      await stateIs(agent, 'idle');
    }

    // The provider cannot even ring the agent's device: 503, and a record that says so.
    w.sim.rejectNextCreateCalls(500);
    const res = await dial(agent, { to: customerNumber() });
    expect(res.status, JSON.stringify(res.body)).toBe(503);
    expect(res.body.error.code).toBe('telephony_busy');
    await stateIs(agent, 'idle');
  });

  it('[OUT-01] idle, not ready and resting agents may dial; on a call, ringing, in wrap-up or offline they may not; afterwards they are back where they dialled from', async () => {
    const { cc, agent, device } = await center('out-states');
    const ws = await socket(w, agent);

    // Offline: 409 with a clear code.
    const offline = await dial(agent, { to: customerNumber() });
    expect(offline.status).toBe(409);
    expect(offline.body.error).toMatchObject({ code: 'agent_offline', details: { state: 'offline' } });

    // Ringing for an inbound call: not now.
    await setAgentState(w.t, agent, 'idle');
    const inbound = await callPresales(w, cc, customerNumber());
    const offer = await device.nextRing({ timeoutMs: 10_000 });
    const ringing = await dial(agent, { to: customerNumber() });
    expect(ringing.status).toBe(409);
    expect(ringing.body.error).toMatchObject({ code: 'agent_busy', details: { state: 'ringing' } });
    offer.answer();
    await sessionIdOf(w, inbound);
    inbound.hangup();
    await stateIs(agent, 'idle');

    // Not ready, with a wrap-up that its timer ends: dialling makes them busy…
    await w.t.request('PUT', '/api/v1/settings/agent', {
      token: cc.admin.token,
      body: { wrapUpSeconds: 3600, wrapUpAutoEnd: true },
    });
    await setAgentState(w.t, agent, 'notReady');
    const customer = customerNumber();
    const phone = w.sim.phone(customer);
    const sessionId = await dialed(agent, { to: customer });
    const { agentLeg, ring } = await agentAnswers(device, phone);
    const customerLeg = ring.answer();
    await until(async () => customerLeg.conference && customerLeg.conference === agentLeg.conference, 'connected');
    expect(await agentRow(agent)).toMatchObject({ state: 'busy', resumeState: 'notReady' });
    // …so on a call they may not dial again.
    const onCall = await dial(agent, { to: customerNumber() });
    expect(onCall.status).toBe(409);
    expect(onCall.body.error).toMatchObject({ code: 'agent_busy', details: { state: 'busy' } });

    customerLeg.hangup();
    await agentLeg.ended;
    await stateIs(agent, 'afterCallWork');
    expect((await agentRow(agent)).resumeState).toBe('notReady');
    const inWrapUp = await dial(agent, { to: customerNumber() });
    expect(inWrapUp.status).toBe(409);
    expect(inWrapUp.body.error).toMatchObject({ code: 'agent_busy', details: { state: 'afterCallWork' } });
    // The wrap-up time is up (as if an hour had passed): its timer gives back notReady, not idle.
    await w.t.app.database.pool.query(
      `update agents set wrap_up_until = now() - interval '1 second' where user_id = $1`,
      [agent.id],
    );
    await stateIs(agent, 'notReady');
    expect(ws.frames.filter((f) => f.type === 'agent.status').map((f) => `${f.data.from}→${f.data.to}`)).toEqual(
      expect.arrayContaining(['notReady→busy', 'busy→afterCallWork', 'afterCallWork→notReady']),
    );
    expect((await agentRow(agent)).resumeState).toBeNull();
    expect((await recordOf(cc, sessionId)).endStatusString).toBe('ok');

    // Resting (with a reason) may dial too, and rests again after a call whose agent never answered.
    await w.t.request('PUT', '/api/v1/settings/agent', { token: cc.admin.token, body: { wrapUpSeconds: 0 } });
    const rest = await w.t.request('PUT', '/api/v1/agents/me/state', {
      token: agent.token,
      body: { state: 'rest', reason: 'Meeting' },
    });
    expect(rest.status, JSON.stringify(rest.body)).toBe(200);
    const restId = await dialed(agent, { to: customerNumber() });
    (await device.nextRing({ timeoutMs: 10_000 })).reject();
    await stateIs(agent, 'rest');
    expect((await agentRow(agent)).reason).toBe('Meeting');
    expect((await recordOf(cc, restId)).endStatusString).toBe('clientError');
  });

  it('[OUT-05] [OUT-01] an agent who answers on their mobile: it rings first, from an agent-mobile number, then the customer', async () => {
    const { cc, agent, device } = await center('out-mobile', { numberProtection: true });
    const c = w.t.app.container.cradle;
    const forMobiles = await c.numberRepo.create(cc.tenantId, {
      number: `0107${randomInt(1e6, 1e7)}`,
      label: 'mobiles',
    });
    expect(
      (await w.t.request('PUT', `/api/v1/agent-mobile-numbers/${forMobiles.id}`, { token: cc.admin.token })).status,
    ).toBe(200);
    const answering = await w.t.request('PUT', '/api/v1/me/answering', {
      token: agent.token,
      body: { answerMode: 'mobileAlways' },
    });
    expect(answering.status, JSON.stringify(answering.body)).toBe(200);
    const mobile = w.sim.phone(agent.mobile);
    await setAgentState(w.t, agent, 'idle');
    const customer = customerNumber();
    const phone = w.sim.phone(customer);

    const sessionId = await dialed(agent, { to: customer });
    const own = await mobile.nextRing({ timeoutMs: 10_000 });
    // The mobile sees one of ours (ADM-05), never the customer's number in any form.
    expect(own.from).toBe(forMobiles.number);
    expect(device.rings).toHaveLength(0);
    expect(phone.rings).toHaveLength(0);
    const agentLeg = own.answer();
    const ring = await phone.nextRing({ timeoutMs: 10_000 });
    // The customer is shown a number for customers, not the one kept for agents' mobiles.
    expect(ring.from).toBe(cc.number);
    const customerLeg = ring.answer();
    await until(async () => customerLeg.conference && customerLeg.conference === agentLeg.conference, 'connected');
    expect(say(customerLeg, 'Speaking', { agent: agentLeg })).toEqual(['agent']);
    customerLeg.hangup();
    await agentLeg.ended;
    expect(await recordOf(cc, sessionId)).toMatchObject({ endStatusString: 'ok', caller: cc.number, callee: customer });
  });

  it('[OUT-01] a slow call.outbound plugin holds the call no longer than the hook’s budget; the other plugins’ annotations still reach the session', async () => {
    const { agent, device } = await center('out-slow-hook');
    await setAgentState(w.t, agent, 'idle');
    const ws = await socket(w, agent);
    const customer = customerNumber(SLOW_SUFFIX);
    const phone = w.sim.phone(customer);
    try {
      const sessionId = await dialed(agent, { to: customer });
      // The slow plugin still hangs (its gate is shut), yet the call goes on past its budget.
      const { agentLeg, ring } = await agentAnswers(device, phone);
      const customerLeg = ring.answer();
      await until(async () => customerLeg.conference && customerLeg.conference === agentLeg.conference, 'connected');
      const timedOut = w.t.logs.filter(
        (l) => l.msg === 'plugin hook timed out' && l.plugin === 'slow-crm' && l.sessionId === sessionId,
      );
      expect(timedOut).toHaveLength(1);
      expect(timedOut[0]).toMatchObject({ hook: 'call.outbound' });

      const view = await get(agent, `/sessions/${sessionId}`);
      expect(view.body.annotations).toEqual({ crmCard: { name: 'Ms Li', phone: customer } });
      const first = await ws.next('session.outbound', (d) => d.sessionId === sessionId && d.stage === 'dialingAgent');
      expect(first.data.annotations).toEqual({ crmCard: { name: 'Ms Li', phone: customer } });
      customerLeg.hangup();
      await agentLeg.ended;
      expect((await recordAs(w, agent, sessionId)).annotations).toEqual({
        crmCard: { name: 'Ms Li', phone: customer },
      });
    } finally {
      releaseSlow();
    }
  });
  it('[OUT-02] a CRM’s server clicks to dial for a named agent with a calls:dial key: the agent’s device rings first, then the customer; the agent’s workbench follows; the record is theirs', async () => {
    const { cc, agent, device } = await center('out-click', { numberProtection: true });
    const other = await center('out-click-other');
    const keyOf = async (admin: SeededUser, scopes: string[]) => {
      const r = await post(admin, '/api-keys', { name: `crm-${scopes.join('-')}`, scopes });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.key as string;
    };
    const dialKey = await keyOf(cc.admin, ['calls:dial']);
    const readKey = await keyOf(cc.admin, ['records:read']);
    const click = (key: string, body: Record<string, unknown>) =>
      w.t.request('POST', '/api/v1/calls/click-to-dial', { token: key, body });
    await setAgentState(w.t, agent, 'idle');
    const customer = customerNumber();
    const phone = w.sim.phone(customer);

    // A key without the scope, an agent of another tenant, an unknown one: refused, nothing rings.
    expect((await click(readKey, { seatUserId: agent.email, to: customer })).status).toBe(403);
    expect((await click(dialKey, { seatUserId: other.agent.email, to: customer })).status).toBe(404);
    expect((await click(dialKey, { seatUserId: 'nobody@example.com', to: customer })).status).toBe(404);
    // The agent themselves may not use it (their dial pad is POST /calls/outbound).
    expect((await click(agent.token, { seatUserId: agent.email, to: customer })).status).toBe(403);
    expect(device.rings).toHaveLength(0);

    const ws = await socket(w, agent);
    const started = await click(dialKey, { seatUserId: agent.email.toUpperCase(), to: customer });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    // The CRM knows the number it asked for: whole in its answer, masked for the agent.
    expect(started.body).toMatchObject({ callee: customer, callerId: cc.number });
    const sessionId = started.body.sessionId as string;
    const { agentLeg, ring } = await agentAnswers(device, phone);
    expect(ring.from).toBe(cc.number);
    const customerLeg = ring.answer();
    await until(async () => customerLeg.conference && customerLeg.conference === agentLeg.conference, 'connected');
    expect(say(customerLeg, 'Hello from the CRM call', { agent: agentLeg })).toEqual(['agent']);
    customerLeg.hangup();
    const stages = await stagesUntilEnded(ws, sessionId);
    expect(stages.map((s) => s.stage)).toEqual(
      expect.arrayContaining(['dialingAgent', 'agentAnswered', 'dialingCustomer', 'connected', 'ended']),
    );
    for (const s of stages) expect(s.callee).not.toBe(customer);
    expect(await recordOf(cc, sessionId)).toMatchObject({
      direction: 'outbound',
      endStatusString: 'ok',
      callee: customer,
      agentId: agent.id,
    });
    // The agent may dial only from idle, not ready or rest: a CRM cannot ring a busy agent.
    await setAgentState(w.t, agent, 'offline');
    const offline = await click(dialKey, { seatUserId: agent.id, to: customer });
    expect(offline.status).toBe(409);
    expect(offline.body.error.code).toBe('agent_offline');
  });
});
