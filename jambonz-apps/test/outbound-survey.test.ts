/**
 * OUT-11, outbound satisfaction (advanced), through the jambonz simulator: on a call the agent
 * placed, when the agent hangs up first — on their phone or with the workbench's hang-up — the
 * customer stays on and is asked the tenant's outbound survey; the key pressed goes into the
 * record. The customer hanging up first, or a tenant without a survey, ends the call as before.
 */
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { setAgentState } from '../../core/test/support/call-center.js';
import type { SeededUser } from '../../core/test/support/test-app.js';
import { signPayload } from '../src/protocol/index.js';
import type { SimCall, SimDevice } from '../src/simulator/index.js';
import { until } from './support/harness.js';
import { cdrOf, useLiveWorld } from './support/live-world.js';

const SECRET = 'outbound-survey-secret';
const w = useLiveWorld({ secret: SECRET, timeScale: 0.02, calls: { wrapUpSeconds: 0 } });
const SLOW = { timeoutMs: 15_000 };

const SURVEY = {
  prompt: 'Please rate the call: 1 for satisfied, 2 for not satisfied.',
  options: [
    { key: '1', label: '满意' },
    { key: '2', label: '不满意' },
  ],
  invalidPrompt: 'That key is not one of the choices.',
  timeoutPrompt: 'We did not hear a key.',
  thanksPrompt: 'Thank you for your rating. Goodbye.',
  // The caller's patience: the simulator waits it out only when a test says so (`noInput`).
  timeoutSeconds: 30,
  maxRetries: 2,
};

const api = (user: SeededUser, method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) =>
  w.t.request(method, `/api/v1${path}`, { token: user.token, ...(body !== undefined ? { body } : {}) });

async function center(slug: string, opts: { survey?: boolean; edition?: 'standard' | 'advanced' } = {}) {
  const cc = await w.center({ slug, agents: 1, ...(opts.edition ? { edition: opts.edition } : {}) });
  if (opts.survey) {
    const res = await api(cc.admin, 'PATCH', '/tenant/settings', { outboundSurvey: SURVEY });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  const agent = cc.agents[0]!;
  const device = w.sim.registerUser(agent.sipUser);
  await setAgentState(w.t, agent, 'idle');
  return { cc, agent, device };
}

/** The agent dials a fresh customer; both answer and meet in the room. */
async function connected(agent: SeededUser, device: SimDevice) {
  const customer = `139${randomInt(1e7, 1e8)}`;
  const phone = w.sim.phone(customer);
  const res = await api(agent, 'POST', '/calls/outbound', { to: customer });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const agentLeg = (await device.nextRing(SLOW)).answer();
  await agentLeg.expectPrompt(/Dialling the customer/, SLOW);
  const customerLeg = (await phone.nextRing(SLOW)).answer();
  await until(
    async () => !!customerLeg.conference && customerLeg.conference === agentLeg.conference,
    'agent and customer in one room',
  );
  return { sessionId: res.body.sessionId as string, agentLeg, customerLeg, customer };
}

const agentState = async (agent: SeededUser) =>
  ((await api(agent, 'GET', '/agents/me')).body as { state: string }).state;

/** Prompts the customer heard after the agent left (none before: the agent dialled them). */
const surveyHeard = (leg: SimCall) => leg.heard.filter((h) => !/Dialling/.test(h));

describe('outbound satisfaction survey (OUT-11)', () => {
  it('[OUT-11] the agent hangs up first: the customer stays, is asked the tenant’s survey, a wrong key and silence are asked again, the key pressed goes into the record', async () => {
    const { cc, agent, device } = await center('osv-rate', { survey: true });
    const { sessionId, agentLeg, customerLeg } = await connected(agent, device);

    customerLeg.pressWhenHeard(SURVEY.prompt, '7');
    agentLeg.hangup();
    await agentLeg.ended;
    await customerLeg.expectPrompt(SURVEY.prompt, SLOW);
    // The agent's call is over at once (wrap-up 0: idle), while the customer is still on.
    await until(async () => (await agentState(agent)) === 'idle', 'agent idle while the customer rates');
    expect(customerLeg.status).toBe('in-progress');
    const none = await api(cc.admin, 'GET', `/records/${sessionId}`);
    expect(none.status).toBe(404);

    // 7 is not a choice: told so and asked again; then silence: told so and asked again; then 2.
    await customerLeg.expectPrompt(SURVEY.invalidPrompt, SLOW);
    customerLeg.pressWhenHeard(SURVEY.timeoutPrompt, '2');
    customerLeg.noInput();
    await customerLeg.expectPrompt(SURVEY.timeoutPrompt, SLOW);
    await customerLeg.expectPrompt(SURVEY.thanksPrompt, SLOW);
    expect(await customerLeg.ended).toMatchObject({ status: 'completed', by: 'jambonz' });
    // (A retry's word and the question are one prompt.)
    expect(surveyHeard(customerLeg)).toEqual([
      SURVEY.prompt,
      `${SURVEY.invalidPrompt} ${SURVEY.prompt}`,
      `${SURVEY.timeoutPrompt} ${SURVEY.prompt}`,
      SURVEY.thanksPrompt,
    ]);

    const cdr = await cdrOf(w, cc, sessionId);
    expect(cdr).toMatchObject({
      direction: 'outbound',
      agentId: agent.id,
      endStatusString: 'ok',
      hungUpSide: 'seat',
      surveyResult: { nodeId: 'outboundSurvey', key: '2', label: '不满意' },
      satisfaction: [expect.objectContaining({ key: '2', label: '不满意' })],
    });
    device.unregister();
  });

  it('[OUT-11] the workbench’s hang-up is the agent hanging up first; a customer who hangs up instead of rating leaves no rating', async () => {
    const { cc, agent, device } = await center('osv-button', { survey: true });
    const { sessionId, agentLeg, customerLeg } = await connected(agent, device);

    const res = await api(agent, 'POST', `/sessions/${sessionId}/hangup`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await agentLeg.ended;
    await customerLeg.expectPrompt(SURVEY.prompt, SLOW);
    customerLeg.hangup();
    await customerLeg.ended;
    const cdr = await cdrOf(w, cc, sessionId);
    expect(cdr).toMatchObject({ endStatusString: 'ok', hungUpSide: 'seat', surveyResult: null, satisfaction: null });
    await until(async () => (await agentState(agent)) === 'idle', 'agent idle');
    device.unregister();
  });

  it('[OUT-11] the customer hanging up first hears no survey, and neither does a customer of a tenant without one', async () => {
    const surveyed = await center('osv-customer', { survey: true });
    const a = await connected(surveyed.agent, surveyed.device);
    a.customerLeg.hangup();
    await a.agentLeg.ended;
    const cdrA = await cdrOf(w, surveyed.cc, a.sessionId);
    expect(cdrA).toMatchObject({ endStatusString: 'ok', hungUpSide: 'user', surveyResult: null });
    expect(surveyHeard(a.customerLeg)).toEqual([]);
    surveyed.device.unregister();

    const plain = await center('osv-none');
    const b = await connected(plain.agent, plain.device);
    b.agentLeg.hangup();
    expect(await b.customerLeg.ended).toMatchObject({ status: 'completed' });
    const cdrB = await cdrOf(w, plain.cc, b.sessionId);
    expect(cdrB).toMatchObject({ endStatusString: 'ok', hungUpSide: 'seat', surveyResult: null });
    expect(surveyHeard(b.customerLeg)).toEqual([]);
    plain.device.unregister();
  });

  it('[OUT-11] an agent leg ended by jambonz (the room ended: the customer left, their status still on its way) is not the agent hanging up first', async () => {
    const { cc, agent, device } = await center('osv-order', { survey: true });
    const { sessionId, agentLeg, customerLeg, customer } = await connected(agent, device);
    const { rows } = await w.t.app.database.pool.query<{ id: string }>(
      `select id from call_legs where session_id = $1 and role = 'agent'`,
      [sessionId],
    );
    // The agent's `completed`, ended by jambonz, arriving before anything of the customer's.
    const raw = JSON.stringify({
      call_sid: agentLeg.callSid,
      direction: 'outbound',
      from: cc.number,
      to: customer,
      call_status: 'completed',
      call_termination_by: 'jambonz',
      sip_status: 200,
      account_sid: w.sim.accountSid,
      customerData: { sessionId, tenantId: cc.tenantId, role: 'agent', legId: rows[0]!.id },
    });
    const res = await w.t.request('POST', '/jambonz/status', {
      rawBody: raw,
      headers: { 'content-type': 'application/json', 'jambonz-signature': signPayload(SECRET, raw) },
    });
    expect(res.status).toBe(204);
    await customerLeg.ended;
    expect(surveyHeard(customerLeg)).toEqual([]);
    const cdr = await cdrOf(w, cc, sessionId);
    expect(cdr).toMatchObject({ endStatusString: 'ok', hungUpSide: 'user', surveyResult: null });
    await agentLeg.ended;
    device.unregister();
  });

  it('[OUT-11] the survey is an advanced feature, its template is checked, and the settings show it', async () => {
    const std = await w.center({ slug: 'osv-std', agents: 1, edition: 'standard' });
    const refused = await api(std.admin, 'PATCH', '/tenant/settings', { outboundSurvey: SURVEY });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'edition_required', details: { feature: 'OUT-11' } });

    const adv = await w.center({ slug: 'osv-adv', agents: 1 });
    const twice = await api(adv.admin, 'PATCH', '/tenant/settings', {
      outboundSurvey: { ...SURVEY, options: [SURVEY.options[0], { key: '1', label: 'again' }] },
    });
    expect(twice.status).toBe(400);
    expect(JSON.stringify(twice.body)).toContain('each key may be used once');
    const badKey = await api(adv.admin, 'PATCH', '/tenant/settings', {
      outboundSurvey: { prompt: 'Rate us', options: [{ key: '10', label: 'ten' }] },
    });
    expect(badKey.status).toBe(400);

    const set = await api(adv.admin, 'PATCH', '/tenant/settings', {
      outboundSurvey: { prompt: 'Rate us', options: [{ key: '1', label: 'Good' }] },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.settings.outboundSurvey).toEqual({
      prompt: 'Rate us',
      options: [{ key: '1', label: 'Good' }],
      timeoutSeconds: 8,
      maxRetries: 1,
    });
    const cleared = await api(adv.admin, 'PATCH', '/tenant/settings', { outboundSurvey: null });
    expect(cleared.body.settings.outboundSurvey).toBeNull();
    // Agents may not change it.
    const byAgent = await api(adv.agents[0]!, 'PATCH', '/tenant/settings', { outboundSurvey: SURVEY });
    expect(byAgent.status).toBe(403);
  });
});
