import { describe, expect, it } from 'vitest';
import { JambonzApiError } from '../protocol/rest-client.js';
import { say } from '../protocol/verbs.js';
import { TEST_SPEECH } from './test-app.js';
import { useSimulatorFixture } from '../../test/support/simulator-fixture.js';

const SECRET = 'wh_secret_rest_test';
const SPEECH = TEST_SPEECH;

describe('jambonz simulator: REST API rules', () => {
  const fx = useSimulatorFixture(SECRET);

  /** Raw request, to send bodies the typed client would not allow. */
  async function raw(
    method: string,
    path: string,
    body?: unknown,
    key = fx.sim.apiKey,
  ): Promise<{ status: number; body: string }> {
    const res = await fetch(`${fx.sim.apiBaseUrl}/Accounts/${fx.sim.accountSid}${path}`, {
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
      call_status_hook: fx.app.url('/s'),
      ...SPEECH,
    });
    expect(relative).toEqual({ status: 400, body: JSON.stringify({ msg: 'call_hook url be an absolute url' }) });
    const noSpeech = await raw('POST', '/Calls', {
      ...base,
      call_hook: fx.app.url('/a'),
      call_status_hook: fx.app.url('/s'),
    });
    expect(noSpeech.status).toBe(400);
    expect(noSpeech.body).toContain('speech_synthesis_vendor');
    const badTo = await raw('POST', '/Calls', {
      ...base,
      to: { type: 'pstn' },
      call_hook: fx.app.url('/a'),
      ...SPEECH,
    });
    expect(badTo.status).toBe(400);
    expect(badTo.body).toContain('missing or invalid to property');
    const noFrom = await raw('POST', '/Calls', { to: base.to, call_hook: fx.app.url('/a'), ...SPEECH });
    expect(noFrom.body).toContain('missing from parameter');
    const unauthorized = await raw('GET', '/Calls', undefined, 'wrong-key');
    expect(unauthorized.status).toBe(401);
    const withApp = await raw('POST', '/Calls', { ...base, application_sid: fx.sim.applicationSid });
    expect(withApp.status).toBe(201);
    expect(JSON.parse(withApp.body)).toHaveProperty('sid');
  });

  it('update-call rules: one action per request, 404 for unknown calls, 422 for the wrong state', async () => {
    const device = fx.sim.phone('13800000011');
    const { sid } = await fx.rest.createCall({
      from: '4001000000',
      to: { type: 'phone', number: '13800000011' },
      call_hook: fx.app.url('/agent'),
      call_status_hook: fx.app.url('/status'),
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

    const unknown = await fx.rest
      .updateCall('00000000-0000-0000-0000-000000000000', { call_status: 'completed' })
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(JambonzApiError);
    expect((unknown as JambonzApiError).status).toBe(404);
    expect(await fx.rest.getCall('00000000-0000-0000-0000-000000000000')).toBeNull();

    // Hanging up a call that is still ringing is the wrong state: cancel it with no-answer.
    const ringing = await fx.rest.updateCall(sid, { call_status: 'completed' }).catch((e: unknown) => e);
    expect((ringing as JambonzApiError).status).toBe(422);
    expect((await fx.rest.getCall(sid))?.call_status).toBe('ringing');
    expect((await fx.rest.listCalls()).map((c) => c.call_sid)).toEqual([sid]);
    await fx.rest.updateCall(sid, { call_status: 'no-answer' });
    await expect.poll(() => ring.state).toBe('cancelled');
    await fx.sim.drainWebhooks();
    expect(fx.app.received('/status').map((h) => h.body.call_status)).toEqual(['trying', 'ringing', 'no-answer']);
    // The ended call's record stays for a while (jambonz: about an hour), with its final status.
    expect((await fx.rest.getCall(sid))?.call_status).toBe('no-answer');
    expect(fx.sim.alerts).toEqual([]);
  });

  it('REST calls to a phone end busy when rejected, no-answer on ring timeout, failed when unreachable', async () => {
    const phone = fx.sim.phone('13800000022');
    const create = (number: string, timeout = 10): Promise<{ sid: string }> =>
      fx.rest.createCall({
        from: '4001000000',
        to: { type: 'phone', number },
        call_hook: fx.app.url('/agent'),
        call_status_hook: fx.app.url('/status'),
        timeout,
        ...SPEECH,
      });
    const busy = await create('13800000022');
    (await phone.nextRing()).reject();
    const timeout = await create('13800000022', 2);
    (await phone.nextRing()).ignore();
    const unreachable = await create('13899999999');
    await expect.poll(() => fx.sim.calls().length, { timeout: 3000 }).toBe(0);
    await fx.sim.drainWebhooks();
    const final = (sid: string): unknown[] =>
      fx.app
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
    expect(fx.app.received('/agent')).toEqual([]);
  });

  it('a REST call to an unregistered WebRTC user fails; once registered its call_hook runs after answer', async () => {
    const agent = fx.sim.registerUser('agent7');
    agent.unregister();
    fx.app.route('/agent', () => [say('Incoming customer')]);
    const create = (): Promise<{ sid: string }> =>
      fx.rest.createCall({
        from: '4001000000',
        to: { type: 'user', name: `agent7@${fx.sim.sipRealm}` },
        call_hook: fx.app.url('/agent'),
        call_status_hook: fx.app.url('/status'),
        ...SPEECH,
      });
    const first = await create();
    await expect.poll(() => fx.sim.calls().some((c) => c.callSid === first.sid)).toBe(false);
    expect(fx.app.received('/agent')).toEqual([]);
    agent.register();
    expect(await fx.rest.listRegisteredSipUsers()).toEqual([`agent7@${fx.sim.sipRealm}`]);
    await create();
    const call = (await agent.nextRing()).answer();
    await call.expectPrompt('Incoming customer');
    const hook = await fx.app.waitFor('/agent');
    expect(hook.body).toMatchObject({
      direction: 'outbound',
      call_status: 'in-progress',
      to: `agent7@${fx.sim.sipRealm}`,
    });
    await call.ended;
    expect(fx.sim.alerts).toEqual([]);
  });
});
