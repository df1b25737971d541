import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConferenceStatusPayloadSchema } from '../protocol/payloads.js';
import type { JambonzRestClient } from '../protocol/rest-client.js';
import { conference, hangup, play, say } from '../protocol/verbs.js';
import type { JambonzSimulator } from './simulator.js';
import { type TestApp, startSimulatorFixture, TEST_SPEECH } from './test-app.js';

const SECRET = 'wh_secret_conf_test';
const SPEECH = TEST_SPEECH;

describe('jambonz simulator: conferences', () => {
  let app: TestApp;
  let sim: JambonzSimulator;
  let rest: JambonzRestClient;

  beforeEach(async () => {
    ({ app, sim, rest } = await startSimulatorFixture(SECRET));
    app.route('/status', () => undefined);
    app.route('/conf-status', () => undefined);
  });

  afterEach(async () => {
    await sim.stop();
    await app.close();
  });

  it('customer and agent meet in a room; hold plays music; endConferenceOnExit ends the room', async () => {
    app.route('/call', () => [
      conference('conv-1', {
        startConferenceOnEnter: true,
        endConferenceOnExit: true,
        statusHook: '/conf-status',
        statusEvents: ['start', 'end', 'join', 'leave'],
        actionHook: '/conf-done-customer',
      }),
    ]);
    app.route('/agent-leg', () => [conference('conv-1', { memberTag: 'agent', actionHook: '/conf-done-agent' })]);
    app.route('/conf-done-agent', () => [say('The customer has left'), hangup()]);
    app.route('/conf-done-customer', () => []);
    app.route('/hold-music', () => [play('https://cdn.example.com/moh.mp3')]);

    const mobile = sim.phone('13800000011');
    const customer = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    await customer.waitForStatus('in-progress');
    await expect.poll(() => customer.conference).toBe('conv-1');

    await rest.createCall({
      from: '4001000000',
      to: { type: 'phone', number: '13800000011' },
      call_hook: app.url('/agent-leg'),
      call_status_hook: app.url('/status'),
      ...SPEECH,
    });
    const agent = (await mobile.nextRing()).answer();
    await expect.poll(() => sim.conferences()[0]?.members.length).toBe(2);
    expect(await rest.listConferences()).toEqual(['conv-1']);
    expect(sim.conferences()[0]?.members.find((m) => m.callSid === agent.callSid)).toMatchObject({
      tag: 'agent',
      moderator: false,
    });

    await rest.updateCall(customer.callSid, {
      conferenceParticipantAction: { action: 'hold', wait_hook: '/hold-music' },
    });
    await customer.expectPrompt('moh.mp3');
    expect(sim.conferences()[0]?.members.find((m) => m.callSid === customer.callSid)?.held).toBe(true);
    await rest.updateCall(customer.callSid, { conferenceParticipantAction: { action: 'unhold' } });
    expect(sim.conferences()[0]?.members.find((m) => m.callSid === customer.callSid)?.held).toBe(false);
    await rest.updateCall(agent.callSid, { mute_status: 'mute' });
    expect(sim.conferences()[0]?.members.find((m) => m.callSid === agent.callSid)?.muted).toBe(true);

    customer.hangup();
    await agent.expectPrompt('The customer has left');
    expect(await agent.ended).toMatchObject({ status: 'completed', by: 'jambonz' });
    expect(await rest.listConferences()).toEqual([]);

    await sim.drainWebhooks();
    const events = app.received('/conf-status').map((h) => ConferenceStatusPayloadSchema.parse(h.body));
    expect(events.map((e) => [e.event, e.members, e.call_sid])).toEqual([
      ['start', 0, customer.callSid],
      ['join', 1, customer.callSid],
      ['join', 2, agent.callSid],
      ['leave', 1, customer.callSid],
      ['end', 0, customer.callSid],
      ['leave', 0, agent.callSid],
      ['end', 0, agent.callSid],
    ]);
    expect(events[0]).toMatchObject({ conference_sid: `conf:${sim.accountSid}:conv-1`, friendly_name: 'conv-1' });
    expect(app.received('/conf-done-agent')).toHaveLength(1);
    expect(app.hooks.every((h) => h.signatureValid)).toBe(true);
    expect(sim.alerts).toEqual([]);
  });

  it('room audio: muted and held members are not heard, held members hear nothing, a coached member only its tag', async () => {
    app.route('/call', (h) => {
      const role = String(h.body.from);
      return [
        conference('mix', {
          memberTag: role,
          ...(role === 'supervisor' ? { joinMuted: true } : { startConferenceOnEnter: true }),
        }),
      ];
    });
    app.route('/moh', () => [play('https://cdn.example.com/moh.mp3')]);
    const customer = await sim.placeCall({ from: 'customer', to: '4001000000' });
    const agent = await sim.placeCall({ from: 'agent', to: '4001000000' });
    const supervisor = await sim.placeCall({ from: 'supervisor', to: '4001000000' });
    await expect.poll(() => sim.conferences()[0]?.members.length).toBe(3);
    const heardBy = (text: string) =>
      Object.entries({ customer, agent, supervisor })
        .filter(([, c]) => c.heard.includes(text))
        .map(([k]) => k);

    customer.speak('c1');
    agent.speak('a1');
    supervisor.speak('s1'); // joined muted: nobody hears it
    expect([heardBy('c1'), heardBy('a1'), heardBy('s1')]).toEqual([
      ['agent', 'supervisor'],
      ['customer', 'supervisor'],
      [],
    ]);

    // Coach: unmuted, heard by the agent only.
    await rest.updateCall(supervisor.callSid, { conferenceParticipantAction: { action: 'coach', tag: 'agent' } });
    await rest.updateCall(supervisor.callSid, { conferenceParticipantAction: { action: 'unmute' } });
    supervisor.speak('s2');
    expect(heardBy('s2')).toEqual(['agent']);

    // Hold: mute + deaf; hold music instead.
    await rest.updateCall(customer.callSid, { conferenceParticipantAction: { action: 'hold', wait_hook: '/moh' } });
    await customer.expectPrompt('moh.mp3');
    customer.speak('c2');
    agent.speak('a2');
    expect([heardBy('c2'), heardBy('a2')]).toEqual([[], ['supervisor']]);
    // Mute: not heard, still hears.
    await rest.updateCall(customer.callSid, { conferenceParticipantAction: { action: 'unhold' } });
    await rest.updateCall(agent.callSid, { conferenceParticipantAction: { action: 'mute' } });
    agent.speak('a3');
    customer.speak('c3');
    expect([heardBy('a3'), heardBy('c3')]).toEqual([[], ['agent', 'supervisor']]);

    for (const c of [supervisor, agent, customer]) c.hangup();
    await Promise.all([customer.ended, agent.ended, supervisor.ended]);
    expect(sim.alerts).toEqual([]);
  });

  it('a member joining with startConferenceOnEnter:false waits (waitHook) until the room starts', async () => {
    app.route('/call', (h) =>
      h.body.from === 'supervisor'
        ? [conference('conv-2', { startConferenceOnEnter: false, joinMuted: true, waitHook: '/conf-wait' })]
        : [conference('conv-2', { startConferenceOnEnter: true })],
    );
    app.route('/conf-wait', () => [say('Waiting for the call to start')]);
    const supervisor = await sim.placeCall({ from: 'supervisor', to: '4001000000' });
    await supervisor.expectPrompt(/Waiting/);
    expect(sim.conferences()).toEqual([]);
    const customer = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    await expect.poll(() => sim.conferences()[0]?.members.length).toBe(2);
    const sup = sim.conferences()[0]?.members.find((m) => m.callSid === supervisor.callSid);
    expect(sup).toMatchObject({ muted: true, moderator: false });
    customer.hangup();
    supervisor.hangup();
    await Promise.all([customer.ended, supervisor.ended]);
    expect(sim.alerts).toEqual([]);
  });
});
