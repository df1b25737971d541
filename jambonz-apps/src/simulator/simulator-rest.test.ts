import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JambonzRestClient } from '../protocol/rest-client.js';
import { JambonzApiError } from '../protocol/rest-client.js';
import { say } from '../protocol/verbs.js';
import type { JambonzSimulator } from './simulator.js';
import { type TestApp, startSimulatorFixture, TEST_SPEECH } from './test-app.js';

const SECRET = 'wh_secret_rest_test';
const SPEECH = TEST_SPEECH;

describe('jambonz simulator: REST API rules', () => {
  let app: TestApp;
  let sim: JambonzSimulator;
  let rest: JambonzRestClient;

  beforeEach(async () => {
    ({ app, sim, rest } = await startSimulatorFixture(SECRET));
    app.route('/status', () => undefined);
  });

  afterEach(async () => {
    await sim.stop();
    await app.close();
  });

  /** Raw request, to send bodies the typed client would not allow. */
  async function raw(
    method: string,
    path: string,
    body?: unknown,
    key = sim.apiKey,
  ): Promise<{ status: number; body: string }> {
    const res = await fetch(`${sim.apiBaseUrl}/Accounts/${sim.accountSid}${path}`, {
      method,
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: await res.text() };
  }

  it('create-call validation: absolute hooks, speech settings, target, auth', async () => {
    const base = { from: '4001000000', to: { type: 'phone', number: '13800000011' } };
    const relative = await raw('POST', '/Calls', {
      ...base,
      call_hook: '/agent',
      call_status_hook: app.url('/s'),
      ...SPEECH,
    });
    expect(relative).toEqual({ status: 400, body: JSON.stringify({ msg: 'call_hook url be an absolute url' }) });
    const noSpeech = await raw('POST', '/Calls', {
      ...base,
      call_hook: app.url('/a'),
      call_status_hook: app.url('/s'),
    });
    expect(noSpeech.status).toBe(400);
    expect(noSpeech.body).toContain('speech_synthesis_vendor');
    const badTo = await raw('POST', '/Calls', { ...base, to: { type: 'pstn' }, call_hook: app.url('/a'), ...SPEECH });
    expect(badTo.status).toBe(400);
    expect(badTo.body).toContain('missing or invalid to property');
    const noFrom = await raw('POST', '/Calls', { to: base.to, call_hook: app.url('/a'), ...SPEECH });
    expect(noFrom.body).toContain('missing from parameter');
    const unauthorized = await raw('GET', '/Calls', undefined, 'wrong-key');
    expect(unauthorized.status).toBe(401);
    const withApp = await raw('POST', '/Calls', { ...base, application_sid: sim.applicationSid });
    expect(withApp.status).toBe(201);
    expect(JSON.parse(withApp.body)).toHaveProperty('sid');
  });

  it('update-call rules: one action per request, 404 for unknown calls, 422 for the wrong state', async () => {
    const device = sim.phone('13800000011');
    const { sid } = await rest.createCall({
      from: '4001000000',
      to: { type: 'phone', number: '13800000011' },
      call_hook: app.url('/agent'),
      call_status_hook: app.url('/status'),
      timeout: 30,
      ...SPEECH,
    });
    const ring = await device.nextRing();
    expect(ring.callSid).toBe(sid);

    const multiple = await raw('PUT', `/Calls/${sid}`, { call_status: 'completed', mute_status: 'mute' });
    expect(multiple).toEqual({
      status: 400,
      body: JSON.stringify({ msg: 'multiple options are not allowed in updateCall' }),
    });
    const none = await raw('PUT', `/Calls/${sid}`, { foo: 1 });
    expect(none.body).toContain('no valid options supplied to updateCall');
    const badValue = await raw('PUT', `/Calls/${sid}`, { call_status: 'hangup' });
    expect(badValue.body).toContain('invalid call_status');
    const kick = await raw('PUT', `/Calls/${sid}`, { conferenceParticipantAction: { action: 'kick' } });
    expect(kick.status).toBe(400);

    const unknown = await rest
      .updateCall('00000000-0000-0000-0000-000000000000', { call_status: 'completed' })
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(JambonzApiError);
    expect((unknown as JambonzApiError).status).toBe(404);
    expect(await rest.getCall('00000000-0000-0000-0000-000000000000')).toBeNull();

    // Hanging up a call that is still ringing is the wrong state: cancel it with no-answer.
    const ringing = await rest.updateCall(sid, { call_status: 'completed' }).catch((e: unknown) => e);
    expect((ringing as JambonzApiError).status).toBe(422);
    expect((await rest.getCall(sid))?.call_status).toBe('ringing');
    expect((await rest.listCalls()).map((c) => c.call_sid)).toEqual([sid]);
    await rest.updateCall(sid, { call_status: 'no-answer' });
    await expect.poll(() => ring.state).toBe('cancelled');
    await sim.drainWebhooks();
    expect(app.received('/status').map((h) => h.body.call_status)).toEqual(['trying', 'ringing', 'no-answer']);
    // The ended call's record stays for a while (jambonz: about an hour), with its final status.
    expect((await rest.getCall(sid))?.call_status).toBe('no-answer');
    expect(sim.alerts).toEqual([]);
  });

  it('REST calls to a phone end busy when rejected, no-answer on ring timeout, failed when unreachable', async () => {
    const phone = sim.phone('13800000022');
    const create = (number: string, timeout = 10): Promise<{ sid: string }> =>
      rest.createCall({
        from: '4001000000',
        to: { type: 'phone', number },
        call_hook: app.url('/agent'),
        call_status_hook: app.url('/status'),
        timeout,
        ...SPEECH,
      });
    const busy = await create('13800000022');
    (await phone.nextRing()).reject();
    const timeout = await create('13800000022', 2);
    (await phone.nextRing()).ignore();
    const unreachable = await create('13899999999');
    await expect.poll(() => sim.calls().length, { timeout: 3000 }).toBe(0);
    await sim.drainWebhooks();
    const final = (sid: string): unknown[] =>
      app
        .received('/status')
        .filter((h) => h.body.call_sid === sid)
        .map((h) => [h.body.call_status, h.body.sip_status]);
    expect(final(busy.sid)).toEqual([
      ['trying', 100],
      ['ringing', 180],
      ['busy', 486],
    ]);
    expect(final(timeout.sid)).toEqual([
      ['trying', 100],
      ['ringing', 180],
      ['no-answer', 487],
    ]);
    expect(final(unreachable.sid)).toEqual([
      ['trying', 100],
      ['failed', 480],
    ]);
    expect(app.received('/agent')).toEqual([]);
  });

  it('a REST call to an unregistered WebRTC user fails; once registered its call_hook runs after answer', async () => {
    const agent = sim.registerUser('agent7');
    agent.unregister();
    app.route('/agent', () => [say('Incoming customer')]);
    const create = (): Promise<{ sid: string }> =>
      rest.createCall({
        from: '4001000000',
        to: { type: 'user', name: `agent7@${sim.sipRealm}` },
        call_hook: app.url('/agent'),
        call_status_hook: app.url('/status'),
        ...SPEECH,
      });
    const first = await create();
    await expect.poll(() => sim.calls().some((c) => c.callSid === first.sid)).toBe(false);
    expect(app.received('/agent')).toEqual([]);
    agent.register();
    expect(await rest.listRegisteredSipUsers()).toEqual([`agent7@${sim.sipRealm}`]);
    await create();
    const call = (await agent.nextRing()).answer();
    await call.expectPrompt('Incoming customer');
    const hook = await app.waitFor('/agent');
    expect(hook.body).toMatchObject({
      direction: 'outbound',
      call_status: 'in-progress',
      to: `agent7@${sim.sipRealm}`,
    });
    await call.ended;
    expect(sim.alerts).toEqual([]);
  });
});
