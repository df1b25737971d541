/**
 * What Switchboard must survive from a real jambonz 0.9 (issue 9): call records that expire
 * while the call lives, trimmed waitHook and dial payloads, statuses out of order, 480 from
 * `POST /Calls`, and webhooks core cannot answer in time. The adapter runs against a
 * standalone simulator over its REST API, as with a real server.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { setAgentState } from '../../core/test/support/call-center.js';
import type { CallFlowService } from '../../core/src/modules/calls/call-flow.js';
import { RECORDING_REFER_WARNING } from '../src/app/adapter.js';
import { signPayload, validateVerbs, type Verb } from '../src/protocol/index.js';
import { until } from './support/harness.js';
import { bridged, callPresales, cdrOf, sessionOf, useLiveWorld } from './support/live-world.js';

const SECRET = 'edges-webhook-secret';
/** Real time: these tests wait on rings, queue rounds and budgets, never on a faster clock. */
const TIME_SCALE = 1;
const TTL_SECONDS = 1;

const w = useLiveWorld({
  secret: SECRET,
  timeScale: TIME_SCALE,
  restartable: true,
  calls: { wrapUpSeconds: 1, sweepIntervalMs: 200, quietSeconds: 1 },
  adapter: { callRecordTtlSeconds: TTL_SECONDS, webhookBudgetMs: 2000 },
  center: { slug: 'edges', agents: 1, ringTimeoutSeconds: 120 },
});

/** Posts a signed webhook as jambonz would. */
async function hook(path: string, payload: Record<string, unknown>) {
  const raw = JSON.stringify(payload);
  return w.t.request('POST', path, {
    rawBody: raw,
    headers: { 'content-type': 'application/json', 'jambonz-signature': signPayload(SECRET, raw) },
  });
}

/** The value of `switchboard_webhook_deadline_total{hook}` on /metrics (0 when absent). */
async function deadlines(name: string): Promise<number> {
  const text = await w.t.metrics();
  const m = new RegExp(`^switchboard_webhook_deadline_total\\{hook="${name}"\\} (\\d+)`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

function callFlow(): CallFlowService {
  return w.t.app.container.cradle.callFlow;
}

/** A gate a test opens by hand: core work waits on it (a slow database, a stuck lock). */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

describe('a real jambonz’s edges', () => {
  it('a bridged call whose jambonz record expired is not reaped: the room vouches for it', async () => {
    const agent = w.cc.agents[0]!;
    const device = w.sim.registerUser(agent.sipUser);
    await setAgentState(w.t, agent, 'idle');
    const call = await callPresales(w, w.cc, '13900000001');
    const leg = (await device.nextRing()).answer();
    await bridged(call, leg);
    const session = await sessionOf(w, call);

    // The customer leg's last status change (answer) is over the adapter's TTL ago, then jambonz
    // forgets the record: GET /Calls/{sid} answers 404 while the call talks on.
    await new Promise((r) => setTimeout(r, TTL_SECONDS * 1000 + 100));
    const before = w.sim.restRequests().length;
    w.sim.setCallRecordTtl(1);
    try {
      // The reaper asked (404) and then looked at the rooms.
      await until(async () => {
        const reqs = w.sim.restRequests().slice(before);
        const miss = reqs.findIndex((r) => r.method === 'GET' && r.callSid === call.callSid && r.status === 404);
        return miss >= 0 && reqs.slice(miss).some((r) => r.method === 'GET' && r.path === '/Conferences');
      }, 'the reaper asking jambonz and the rooms');
      const row = await sessionOf(w, call);
      expect(row.state).toBe('bridged');
      expect(w.sim.calls().map((c) => c.callSid)).toContain(call.callSid);
    } finally {
      w.sim.setCallRecordTtl(3_600_000);
    }

    call.hangup();
    await call.ended;
    await leg.ended;
    const cdr = await cdrOf(w, w.cc, session.id);
    expect(cdr).toMatchObject({ endStatusString: 'ok', hungUpSide: 'user', agentId: agent.id });
  });

  it('a trimmed waitHook (only queue_sid and queue_time) still gets the announcement; a late or unknown one keeps the caller waiting', async () => {
    const agent = w.cc.agents[0]!;
    const device = w.sim.registerUser(agent.sipUser);
    await setAgentState(w.t, agent, 'idle');
    const call = await callPresales(w, w.cc, '13900000002');
    const ring = await device.nextRing(); // never answered: the caller waits in the queue
    const customerData = await until(
      async () => w.sim.calls().find((c) => c.callSid === call.callSid && c.queue)?.customerData,
      'the caller queued',
    );

    const trimmed = await hook('/jambonz/queue/wait', { queue_sid: 'queue:x:presales', queue_time: 7, customerData });
    expect(trimmed.status).toBe(200);
    validateVerbs(trimmed.body);
    expect((trimmed.body as Verb[]).some((v) => v.verb === 'say' && /number 1 in the queue/.test(String(v.text)))).toBe(
      true,
    );

    // Nothing to go on (no tag): never `[]`, which would end jambonz's wait loop for good.
    const untagged = await hook('/jambonz/queue/wait', { queue_sid: 'queue:x:presales', queue_time: 8 });
    expect(untagged.status).toBe(200);
    expect((untagged.body as Verb[]).length).toBeGreaterThan(0);
    validateVerbs(untagged.body);

    // Core stuck past the budget: the answer keeps the caller waiting, counted; the late work
    // still finishes once it can.
    const flow = callFlow();
    const original = flow.onQueueWait.bind(flow);
    const stuck = gate();
    let finished = false;
    flow.onQueueWait = async (...args) => {
      await stuck.opened;
      const out = await original(...args);
      finished = true;
      return out;
    };
    try {
      const counted = await deadlines('queue_wait');
      const late = await hook('/jambonz/queue/wait', { queue_sid: 'queue:x:presales', queue_time: 9, customerData });
      expect(late.status).toBe(200);
      expect(late.body).toEqual([{ verb: 'pause', length: 5 }]);
      // The simulator's own wait round of this caller may be among them (core is stuck for it too).
      expect(await deadlines('queue_wait')).toBeGreaterThan(counted);
      stuck.open();
      await until(async () => finished, 'the late queue-wait work');
    } finally {
      flow.onQueueWait = original;
    }

    call.hangup();
    await call.ended;
    await ring.whenCancelled;
  });

  it('a dial actionHook without dial_call_status is answered, not refused', async () => {
    const res = await hook('/jambonz/dial?step=transfer', {
      call_sid: randomUUID(),
      direction: 'inbound',
      from: '13900000003',
      to: w.cc.number,
      call_status: 'in-progress',
      account_sid: w.sim.accountSid,
      customerData: { sessionId: randomUUID(), tenantId: w.cc.tenantId, role: 'customer' },
    });
    expect(res.status).toBe(200);
    validateVerbs(res.body);
    expect((res.body as Verb[]).length).toBeGreaterThan(0);
  });

  it('a call hook over its budget answers an apology and hangs up; the late work completes', async () => {
    const flow = callFlow();
    const original = flow.onInboundCall.bind(flow);
    const stuck = gate();
    let finished = false;
    flow.onInboundCall = async (...args) => {
      await stuck.opened;
      const out = await original(...args);
      finished = true;
      return out;
    };
    try {
      const counted = await deadlines('call');
      const call = await w.sim.placeCall({ from: '13900000004', to: w.cc.number });
      await call.expectPrompt(/Sorry, we cannot take your call right now/);
      await call.ended;
      expect(await deadlines('call')).toBe(counted + 1);
      stuck.open();
      await until(async () => finished, 'the late call-hook work');
    } finally {
      flow.onInboundCall = original;
    }
  });

  it('an agent hook over its budget makes the agent leg ask again: the call still bridges', async () => {
    const agent = w.cc.agents[0]!;
    const device = w.sim.registerUser(agent.sipUser);
    await setAgentState(w.t, agent, 'idle');
    const flow = callFlow();
    const original = flow.onAgentAnswered.bind(flow);
    const stuck = gate();
    flow.onAgentAnswered = async (...args) => {
      await stuck.opened;
      return original(...args);
    };
    try {
      const counted = await deadlines('agent');
      const call = await callPresales(w, w.cc, '13900000007');
      const leg = (await device.nextRing()).answer();
      await until(async () => (await deadlines('agent')) > counted, 'the agent hook over its budget');
      stuck.open();
      await bridged(call, leg);
      expect(leg.heard.some((h) => /Sorry/.test(h))).toBe(false);
      call.hangup();
      await call.ended;
      await leg.ended;
    } finally {
      flow.onAgentAnswered = original;
    }
  });

  it('status hooks answer 204, and statuses out of order do not stop a call from ending cleanly', async () => {
    const status = await hook('/jambonz/status', {
      call_sid: randomUUID(),
      direction: 'inbound',
      from: '13900000005',
      to: w.cc.number,
      call_status: 'ringing',
      account_sid: w.sim.accountSid,
    });
    expect(status.status).toBe(204);

    w.sim.setStatusHookOrder('final-first');
    try {
      const call = await w.sim.placeCall({ from: '13900000005', to: w.cc.number });
      await call.expectPrompt(/press 1/);
      const session = await sessionOf(w, call);
      call.hangup();
      await call.ended;
      // `completed` came before `trying` and `in-progress`: the session ends and stays ended.
      const cdr = await cdrOf(w, w.cc, session.id);
      expect(cdr).toMatchObject({ hungUpSide: 'user' });
      await w.sim.drainWebhooks();
      expect((await sessionOf(w, call)).state).toBe('ended');
    } finally {
      w.sim.setStatusHookOrder('ordered');
    }
  });

  it('480 from POST /Calls (no feature server free): the caller stays queued and the agent is rung on the next try', async () => {
    const agent = w.cc.agents[0]!;
    const device = w.sim.registerUser(agent.sipUser);
    await setAgentState(w.t, agent, 'idle');
    w.sim.rejectNextCreateCalls(480);
    const call = await callPresales(w, w.cc, '13900000006');
    const leg = (await device.nextRing({ timeoutMs: 20_000 })).answer();
    expect(
      w.sim
        .restRequests()
        .filter((r) => r.method === 'POST' && r.path === '/Calls')
        .map((r) => r.status),
    ).toEqual(expect.arrayContaining([480, 201]));
    await bridged(call, leg);
    call.hangup();
    await call.ended;
    await leg.ended;
  });

  it('the recording limit of multi-server clusters is in /readyz and the start-up log', async () => {
    const ready = await w.t.request('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', telephony: { warnings: [RECORDING_REFER_WARNING] } });
    expect(w.t.logs.some((l) => l.msg === RECORDING_REFER_WARNING)).toBe(true);
  });
});
