/**
 * `session.state` on `/ws` through whole calls in the jambonz simulator (issue 5 item 7): every
 * change of a session's state reaches the supervisors' monitors in order, and the agent offered
 * or serving the call sees it too — with the caller masked when the tenant protects numbers.
 */
import { describe, expect, it } from 'vitest';
import { randomInt } from 'node:crypto';
import { setAgentState, type CallCenter } from '../../core/test/support/call-center.js';
import type { IvrGraph } from '../../core/src/modules/ivr/flow-model.js';
import { until } from './support/harness.js';
import { externalTransfer, KEEP_WAITING, queueWithTimeout, starSurveyAfterSales } from './support/ivr-graphs.js';
import { bridged, callPresales, sessionIdOf, socket, talkAndHangUp, useLiveWorld } from './support/live-world.js';

const w = useLiveWorld({ secret: 'session-events', timeScale: 0.05, calls: { wrapUpSeconds: 0 } });

async function center(slug: string, agents: number, settings?: Record<string, unknown>) {
  const cc = await w.center({ slug, agents, ...(settings ? { settings } : {}) });
  const devices = cc.agents.map((a) => w.sim.registerUser(a.sipUser));
  return { cc, devices };
}

/** A new number of the tenant that runs `graph`. */
async function numberRunning(cc: CallCenter, graph: unknown): Promise<string> {
  const c = w.t.app.container.cradle;
  const flow = await c.ivrRepo.create(cc.tenantId, `Flow ${randomInt(1e6)}`, graph as IvrGraph);
  const number = `400${randomInt(1_000_000, 9_999_999)}`;
  await c.numberRepo.create(cc.tenantId, { number, ivrFlowId: flow.id });
  return number;
}

/** A session's `session.state` events as `client` got them, once the last one is `ended`. */
function untilEnded(client: Awaited<ReturnType<typeof socket>>, sessionId: string, what: string) {
  return until(async () => {
    const s = client.states(sessionId);
    return s.at(-1)?.state === 'ended' ? s : undefined;
  }, what);
}

/** `previous → state (reason)` of each event, for readable order assertions. */
const steps = (events: Array<{ previous: string | null; state: string; reason: string }>) =>
  events.map((e) => `${e.previous ?? '·'} → ${e.state} (${e.reason})`);

describe('session.state', () => {
  it('[EV-04] [EV-06] [RT-07] a supervisor sees ivr → queued → offering → bridged → ended in order; the agent gets them with the caller masked', async () => {
    const { cc, devices } = await center('states', 1, { numberProtection: true });
    await setAgentState(w.t, cc.agents[0]!, 'idle');
    const sup = await socket(w, cc.supervisor);
    const admin = await socket(w, cc.admin);
    const agent = await socket(w, cc.agents[0]!);

    const call = await callPresales(w, cc, '13900007001');
    const leg = (await devices[0]!.nextRing({ timeoutMs: 10_000 })).answer();
    const sessionId = await sessionIdOf(w, call);
    await talkAndHangUp(call, leg);

    const seen = await untilEnded(sup, sessionId, 'the supervisor’s ended');
    expect(steps(seen)).toEqual([
      '· → ivr (incoming)',
      'ivr → queued (transfer)',
      'queued → offering (offered)',
      'offering → bridged (answered)',
      'bridged → ended (ended)',
    ]);
    // Supervisors see the real number, the group and who was rung/served.
    for (const e of seen) {
      expect(e).toMatchObject({ sessionId, direction: 'inbound', caller: '13900007001', callee: cc.number });
      expect(Date.parse(e.at)).not.toBeNaN();
    }
    expect(seen[1]).toMatchObject({ skillGroupId: cc.groups.presales, agentId: null });
    expect(seen[2]).toMatchObject({ skillGroupId: cc.groups.presales, agentId: cc.agents[0]!.id });
    expect(seen[3]).toMatchObject({ skillGroupId: cc.groups.presales, agentId: cc.agents[0]!.id });
    expect(seen[4]).toMatchObject({ agentId: cc.agents[0]!.id });
    // The admins' monitors get the same.
    await until(async () => admin.states(sessionId).length === 5, 'the admin’s five events');
    expect(steps(admin.states(sessionId))).toEqual(steps(seen));

    // The agent: from the moment they are rung, masked (RT-07) — never the real number.
    const mine = await untilEnded(agent, sessionId, 'the agent’s ended');
    expect(steps(mine)).toEqual([
      'queued → offering (offered)',
      'offering → bridged (answered)',
      'bridged → ended (ended)',
    ]);
    for (const e of mine) expect(e.caller).toBe('139****7001');
    expect(JSON.stringify(agent.frames)).not.toContain('13900007001');
    sup.close();
    admin.close();
    agent.close();
  });

  it('[CTL-03] a declined offer goes back to the queue, a transfer re-queues: every turn reaches the monitor in order', async () => {
    const { cc, devices } = await center('turns', 3);
    for (const a of cc.agents) {
      await setAgentState(w.t, a, 'idle');
      await new Promise((r) => setTimeout(r, 20)); // agent 0 has been idle longest
    }
    const sup = await socket(w, cc.supervisor);
    const first = await socket(w, cc.agents[1]!);
    const call = await callPresales(w, cc, '13900007002');
    (await devices[0]!.nextRing({ timeoutMs: 10_000 })).reject();
    const leg = (await devices[1]!.nextRing({ timeoutMs: 10_000 })).answer();
    const sessionId = await sessionIdOf(w, call);
    await bridged(call, leg);

    const res = await w.t.request('POST', `/api/v1/sessions/${sessionId}/transfer`, {
      token: cc.agents[1]!.token,
      body: { to: { type: 'skillGroup', skillGroupId: cc.groups.afterSales } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const leg2 = (await devices[2]!.nextRing({ timeoutMs: 10_000 })).answer();
    await talkAndHangUp(call, leg2);

    const seen = await untilEnded(sup, sessionId, 'ended');
    expect(steps(seen)).toEqual([
      '· → ivr (incoming)',
      'ivr → queued (transfer)',
      'queued → offering (offered)',
      'offering → queued (missed)',
      'queued → offering (offered)',
      'offering → bridged (answered)',
      'bridged → queued (transferred)',
      'queued → offering (offered)',
      'offering → bridged (answered)',
      'bridged → ended (ended)',
    ]);
    expect(seen.map((e) => e.agentId)).toEqual([
      null,
      null,
      cc.agents[0]!.id,
      null,
      cc.agents[1]!.id,
      cc.agents[1]!.id,
      null,
      cc.agents[2]!.id,
      cc.agents[2]!.id,
      cc.agents[2]!.id,
    ]);
    expect(seen[6]).toMatchObject({ skillGroupId: cc.groups.afterSales });
    // The agent who handed the call on learns it left them; later turns are not theirs.
    expect(steps(first.states(sessionId))).toEqual([
      'queued → offering (offered)',
      'offering → bridged (answered)',
      'bridged → queued (transferred)',
    ]);
    sup.close();
    first.close();
  });

  it('[IVR-22] [IVR-25] the agent hanging up before a survey, and a transfer to an external number, are turns of their own', async () => {
    const { cc, devices } = await center('turns-ivr', 1);
    await setAgentState(w.t, cc.agents[0]!, 'idle');
    const sup = await socket(w, cc.supervisor);
    const agent = await socket(w, cc.agents[0]!);

    // Survey after the agent (IVR-22): bridged → ivr, then the caller's hang-up ends it.
    const surveyed = await numberRunning(cc, starSurveyAfterSales(cc.groups.presales));
    const call = await w.sim.placeCall({ from: '13900007003', to: surveyed });
    const leg = (await devices[0]!.nextRing({ timeoutMs: 10_000 })).answer();
    const sessionId = await sessionIdOf(w, call);
    await bridged(call, leg);
    leg.hangup();
    await call.expectPrompt('How did we do? Press 1 to 5.');
    call.hangup();
    await call.ended;
    const seen = await untilEnded(sup, sessionId, 'survey session ended');
    expect(steps(seen)).toEqual([
      '· → ivr (incoming)',
      'ivr → queued (transfer)',
      'queued → offering (offered)',
      'offering → bridged (answered)',
      'bridged → ivr (survey)',
      'ivr → ended (ended)',
    ]);
    expect(seen[4]).toMatchObject({ agentId: null });
    // The agent learns the caller went on to the survey without them.
    await until(async () => agent.states(sessionId).some((e) => e.reason === 'survey'), 'agent told of the survey');

    // External transfer (IVR-25): still `ivr` for the call path, but a turn the monitor sees.
    const external = await numberRunning(cc, externalTransfer({ number: '5550007', timeoutSeconds: 10 }));
    const phone = w.sim.phone('5550007');
    const out = await w.sim.placeCall({ from: '13900007004', to: external });
    const far = (await phone.nextRing({ timeoutMs: 10_000 })).answer();
    const outId = await sessionIdOf(w, out);
    await until(async () => sup.states(outId).some((e) => e.reason === 'externalTransfer'), 'external answered');
    far.hangup();
    await out.ended;
    const outSeen = await untilEnded(sup, outId, 'external session ended');
    expect(steps(outSeen)).toEqual(['· → ivr (incoming)', 'ivr → ivr (externalTransfer)', 'ivr → ended (ended)']);
    sup.close();
    agent.close();
  });

  it('[CTL-05] [CTL-07] an agent’s external transfer and a redial are followed too', async () => {
    const { cc, devices } = await center('turns-ctl', 1, { numberProtection: true });
    await setAgentState(w.t, cc.agents[0]!, 'idle');
    const sup = await socket(w, cc.supervisor);
    const agent = await socket(w, cc.agents[0]!);
    const call = await callPresales(w, cc, '13900007005');
    const leg = (await devices[0]!.nextRing({ timeoutMs: 10_000 })).answer();
    const sessionId = await sessionIdOf(w, call);
    await bridged(call, leg);

    // CTL-05: once the external number answers, the session is bridged to it, without an agent.
    const mobile = w.sim.phone('13700007005');
    const res = await w.t.request('POST', `/api/v1/sessions/${sessionId}/transfer`, {
      token: cc.agents[0]!.token,
      body: { to: { type: 'external', number: '13700007005' } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const external = (await mobile.nextRing({ timeoutMs: 10_000 })).answer();
    await leg.ended;
    await until(async () => call.conference && call.conference === external.conference, 'customer with external');
    external.hangup();
    await call.ended;
    const seen = await untilEnded(sup, sessionId, 'transferred session ended');
    expect(steps(seen).slice(3)).toEqual([
      'offering → bridged (answered)',
      'bridged → bridged (externalTransfer)',
      'bridged → ended (ended)',
    ]);
    expect(seen[4]).toMatchObject({ agentId: null });
    await until(async () => agent.states(sessionId).some((e) => e.reason === 'externalTransfer'), 'agent told');

    // CTL-07: the agent calls the customer back: a new outbound session, offering then bridged.
    const phone = w.sim.phone('13900007005');
    const redial = await w.t.request('POST', `/api/v1/sessions/${sessionId}/redial`, { token: cc.agents[0]!.token });
    expect(redial.status, JSON.stringify(redial.body)).toBe(200);
    const redialId = redial.body.sessionId as string;
    const agentLeg = (await devices[0]!.nextRing({ timeoutMs: 10_000 })).answer();
    const customerLeg = (await phone.nextRing({ timeoutMs: 10_000 })).answer();
    await until(async () => customerLeg.conference && customerLeg.conference === agentLeg.conference, 'redial room');
    customerLeg.hangup();
    await agentLeg.ended;
    const back = await untilEnded(agent, redialId, 'redial ended');
    expect(steps(back)).toEqual(['· → offering (redial)', 'offering → bridged (answered)', 'bridged → ended (ended)']);
    // Outbound: the customer is the callee, masked for the agent; the supervisor sees it whole.
    for (const e of back) expect(e).toMatchObject({ direction: 'outbound', callee: '139****7005' });
    expect(sup.states(redialId).map((e) => e.callee)).toEqual(['13900007005', '13900007005', '13900007005']);
    expect(JSON.stringify(agent.frames)).not.toContain('13900007005');
    sup.close();
    agent.close();
  });

  it('[IVR-16] [IVR-17] leaving the queue for the queue-timeout question and going back in are turns too', async () => {
    const { cc } = await center('turns-queue', 1);
    // Online but not ready: the call queues, nobody takes it.
    await setAgentState(w.t, cc.agents[0]!, 'notReady');
    const sup = await socket(w, cc.supervisor);
    const number = await numberRunning(cc, queueWithTimeout(cc.groups.presales));
    const call = await w.sim.placeCall({ from: '13900007006', to: number });
    await call.expectPrompt(KEEP_WAITING, { timeoutMs: 10_000 });
    call.press('5');
    const sessionId = await sessionIdOf(w, call);
    await until(async () => sup.states(sessionId).some((e) => e.reason === 'keepWaiting'), 'back in the queue');
    call.hangup();
    await call.ended;
    const seen = await untilEnded(sup, sessionId, 'ended');
    expect(steps(seen)).toEqual([
      '· → ivr (incoming)',
      'ivr → queued (transfer)',
      'queued → ivr (queueTimeout)',
      'ivr → queued (keepWaiting)',
      'queued → ended (ended)',
    ]);
    sup.close();
  });
});
