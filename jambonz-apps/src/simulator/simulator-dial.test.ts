import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DialActionPayloadSchema } from '../protocol/payloads.js';
import type { JambonzRestClient } from '../protocol/rest-client.js';
import { conference, dial, hangup, phoneTarget, say, userTarget } from '../protocol/verbs.js';
import type { JambonzSimulator } from './simulator.js';
import { type TestApp, startSimulatorFixture } from './test-app.js';

const SECRET = 'wh_secret_dial_test';

describe('jambonz simulator: dial', () => {
  let app: TestApp;
  let sim: JambonzSimulator;
  let rest: JambonzRestClient;

  beforeEach(async () => {
    ({ app, sim, rest } = await startSimulatorFixture(SECRET));
    app.route('/status', () => undefined);
    app.route('/call', () => [
      dial(userTarget('agent1'), {
        answerOnBridge: true,
        timeout: 5,
        actionHook: '/dial-done',
        headers: { 'X-Conversation-Id': 'c-1' },
      }),
    ]);
    app.route('/dial-done', (h) => [say(`dial ${String(h.body.dial_call_status)}`), hangup()]);
  });

  afterEach(async () => {
    await sim.stop();
    await app.close();
  });

  it('a dial to a WebRTC user rings it, answerOnBridge answers the caller on pickup, hang-up reports completed', async () => {
    const agent = sim.registerUser('agent1');
    const customer = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    const ring = await agent.nextRing();
    expect(ring.headers).toEqual({ 'X-Conversation-Id': 'c-1' });
    expect(ring.from).toBe('13912345678');
    expect(customer.statuses).toEqual(['trying']);
    const agentCall = ring.answer();
    await customer.waitForStatus('in-progress');
    await expect.poll(() => sim.calls().find((c) => c.callSid === customer.callSid)?.bridgedTo).toBe(agentCall.callSid);
    agentCall.hangup();
    await customer.expectPrompt('dial completed');
    await customer.ended;
    const action = DialActionPayloadSchema.parse((await app.waitFor('/dial-done')).body);
    expect(action).toMatchObject({
      dial_call_status: 'completed',
      dial_sip_status: 200,
      dial_call_sid: agentCall.callSid,
    });
    await sim.drainWebhooks();
    const bLeg = app.received('/status').filter((h) => h.body.call_sid === agentCall.callSid);
    expect(bLeg.map((h) => h.body.call_status)).toEqual(['trying', 'ringing', 'in-progress', 'completed']);
    expect(bLeg[0]?.body).toMatchObject({ direction: 'outbound', parent_call_sid: customer.callSid });
    expect(sim.alerts).toEqual([]);
  });

  it('a rejected or unanswered dial reports busy / no-answer to the actionHook', async () => {
    const agent = sim.registerUser('agent1');
    const first = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    (await agent.nextRing()).reject();
    await first.expectPrompt('dial busy');
    const second = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    (await agent.nextRing()).ignore();
    await second.expectPrompt('dial no-answer', { timeoutMs: 3000 });
    agent.unregister();
    const third = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    await third.expectPrompt('dial failed');
    await Promise.all([first.ended, second.ended, third.ended]);
    expect(sim.alerts).toEqual([]);
  });

  it('dialMusic plays to the caller while the number rings and stops when it answers', async () => {
    const phone = sim.phone('5550001');
    app.route('/call', () => [
      say('Transferring'),
      dial(phoneTarget('5550001'), {
        dialMusic: 'https://cdn.example.com/ring.mp3',
        timeout: 30,
        actionHook: '/dial-done',
      }),
    ]);
    const customer = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    await customer.expectPrompt('https://cdn.example.com/ring.mp3');
    const far = (await phone.nextRing()).answer();
    await expect.poll(() => sim.calls().find((c) => c.callSid === customer.callSid)?.bridgedTo).toBe(far.callSid);
    const heardAtAnswer = customer.heard.length;
    await new Promise((r) => setTimeout(r, 300)); // several music lengths of simulated time
    expect(customer.heard.length).toBe(heardAtAnswer);
    far.hangup();
    await customer.expectPrompt('dial completed');
    expect(customer.heard[0]).toBe('Transferring');
    expect(sim.alerts).toEqual([]);
  });

  it('call_hook + child_call_hook moves both bridged legs into a conference', async () => {
    const agent = sim.registerUser('agent1');
    app.route('/to-conf', () => [conference('conv-3', { endConferenceOnExit: true })]);
    app.route('/agent-conf', () => [conference('conv-3', { memberTag: 'agent' })]);
    const customer = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    const agentCall = (await agent.nextRing()).answer();
    await customer.waitForStatus('in-progress');
    await rest.updateCall(customer.callSid, {
      call_hook: app.url('/to-conf'),
      child_call_hook: app.url('/agent-conf'),
    });
    await expect.poll(() => sim.conferences()[0]?.members.length).toBe(2);
    expect(agentCall.conference).toBe('conv-3');
    expect(agentCall.status).toBe('in-progress');
    // The dial was killed by the redirect: its actionHook is still posted but its answer ignored.
    expect(customer.heard).not.toContain('dial completed');
    customer.hangup();
    expect(await agentCall.ended).toMatchObject({ status: 'completed', by: 'jambonz' });
    expect(sim.alerts).toEqual([]);
  });
});
