/**
 * The RT-05 switch of a skill group on live calls: on (the default), a ring not answered within
 * the group's ring timeout goes to another agent; off, the same agent keeps ringing up to the
 * group's maximum ring time. The simulator runs in real time (time scale 1): the test waits on
 * ring timers of a few seconds and measures them on the simulator's clock.
 */
import { describe, expect, it } from 'vitest';
import { setAgentState, type CallCenter } from '../../core/test/support/call-center.js';
import type { SimCall, SimDevice } from '../src/simulator/index.js';
import { until } from './support/harness.js';
import { useLiveWorld } from './support/live-world.js';

const w = useLiveWorld({ secret: 'ring-timeout-secret', timeScale: 1, calls: { wrapUpSeconds: 0 } });

const WAIT = { timeoutMs: 30_000 };

/** Two agents; agent 0 goes idle first, so it is offered first (longest idle). */
async function center(slug: string): Promise<{ cc: CallCenter; devices: SimDevice[] }> {
  const cc = await w.center({ slug, agents: 2, ringTimeoutSeconds: 2 });
  const devices = cc.agents.map((a) => w.sim.registerUser(a.sipUser));
  await setAgentState(w.t, cc.agents[0]!, 'idle');
  await new Promise((r) => setTimeout(r, 30));
  await setAgentState(w.t, cc.agents[1]!, 'idle');
  return { cc, devices };
}

async function callPresales(cc: CallCenter, from: string): Promise<SimCall> {
  const call = await w.sim.placeCall({ from, to: cc.number });
  await call.expectPrompt(/press 1/, WAIT);
  call.press('1');
  return call;
}

/** The `timeout` of the REST create-call that rang this agent's device. */
function ringTimeoutAsked(sipUser: string): unknown[] {
  return w.sim
    .restRequests()
    .filter((r) => r.method === 'POST' && JSON.stringify(r.body).includes(sipUser))
    .map((r) => (r.body as { timeout?: unknown }).timeout);
}

async function offeredTo(call: SimCall): Promise<Array<{ agent_id: string; state: string }>> {
  const r = await w.t.app.database.pool.query(
    `select o.agent_id, o.state from call_offers o join call_sessions s on s.id = o.session_id
     where s.customer_call_sid = $1 order by o.created_at, o.id`,
    [call.callSid],
  );
  return r.rows;
}

async function talkAndHangUp(call: SimCall, leg: SimCall): Promise<void> {
  await until(async () => call.conference && call.conference === leg.conference, 'bridged');
  call.hangup();
  await call.ended;
  await leg.ended;
}

describe('ring timeout re-offer switch (RT-05)', () => {
  it('[RT-05] on by default: a ring not answered within the ring timeout goes to another agent', async () => {
    const { cc, devices } = await center('rto-on');
    const groups = await w.t.request('GET', '/api/v1/skill-groups', { token: cc.admin.token });
    expect(groups.body.items.find((g: { id: string }) => g.id === cc.groups.presales)).toMatchObject({
      ringTimeoutSeconds: 2,
      ringTimeoutTransfer: true,
      maxRingSeconds: 60,
    });
    const call = await callPresales(cc, '13900003001');
    const first = await devices[0]!.nextRing(WAIT);
    first.ignore();
    // Re-offered after the 2 s ring timeout, long before the 60 s maximum ring time.
    const leg = (await devices[1]!.nextRing(WAIT)).answer();
    expect(first.state).toBe('cancelled');
    expect(ringTimeoutAsked(cc.agents[0]!.sipUser)).toEqual([2]);
    await talkAndHangUp(call, leg);
    const offers = await offeredTo(call);
    expect(offers.map((o) => o.agent_id)).toEqual([cc.agents[0]!.id, cc.agents[1]!.id]);
    expect(offers[0]!.state).toBe('missed');
  });

  it('[RT-05] off: the same agent keeps ringing past the ring timeout, up to the group’s maximum ring time', async () => {
    const { cc, devices } = await center('rto-off');
    const patch = await w.t.request('PATCH', `/api/v1/skill-groups/${cc.groups.presales}`, {
      token: cc.admin.token,
      body: { ringTimeoutTransfer: false, maxRingSeconds: 6 },
    });
    expect(patch.status, JSON.stringify(patch.body)).toBe(200);
    expect(patch.body).toMatchObject({ ringTimeoutSeconds: 2, ringTimeoutTransfer: false, maxRingSeconds: 6 });

    const call = await callPresales(cc, '13900003002');
    const first = await devices[0]!.nextRing(WAIT);
    const rangAt = w.sim.now();
    first.ignore();
    await first.whenCancelled;
    const rangFor = w.sim.now() - rangAt;
    // Nobody else was rung meanwhile, and the ring outlasted the 2 s ring timeout by far.
    expect(devices[1]!.rings).toEqual([]);
    expect(rangFor).toBeGreaterThan(4_500);
    expect(ringTimeoutAsked(cc.agents[0]!.sipUser)).toEqual([6]);
    // After the maximum ring time it is a miss like any other: the caller goes on to agent 1.
    const leg = (await devices[1]!.nextRing(WAIT)).answer();
    await talkAndHangUp(call, leg);
    expect((await offeredTo(call)).map((o) => o.agent_id)).toEqual([cc.agents[0]!.id, cc.agents[1]!.id]);
  });

  it('[RT-05] the switch and the maximum ring time are validated', async () => {
    const { cc } = await center('rto-bad');
    for (const body of [{ ringTimeoutTransfer: 'no' }, { maxRingSeconds: 1 }, { maxRingSeconds: 6000 }, {}]) {
      const res = await w.t.request('PATCH', `/api/v1/skill-groups/${cc.groups.presales}`, {
        token: cc.admin.token,
        body,
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });
});
