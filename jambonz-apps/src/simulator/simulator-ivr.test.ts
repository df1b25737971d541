import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallHookPayloadSchema, CallStatusPayloadSchema, GatherActionPayloadSchema } from '../protocol/payloads.js';
import { enqueue, gather, hangup, listen, play, redirect, say, sipDecline, tag } from '../protocol/verbs.js';
import { JambonzSimulator } from './simulator.js';
import { TestApp } from './test-app.js';

const SECRET = 'wh_secret_ivr_test';

describe('jambonz simulator: inbound IVR', () => {
  let app: TestApp;
  let sim: JambonzSimulator;

  beforeEach(async () => {
    app = await TestApp.start(SECRET);
    sim = await JambonzSimulator.start({
      webhookSecret: SECRET,
      timeScale: 0.02,
      application: { callHook: app.url('/call'), statusHook: app.url('/status') },
    });
  });

  afterEach(async () => {
    await sim.stop();
    await app.close();
  });

  it('an inbound caller hears the menu, presses 1 and is hung up with signed status hooks', async () => {
    app.route('/call', () => [
      say('Welcome to Switchboard'),
      gather({ input: ['digits'], numDigits: 1, timeout: 5, actionHook: '/menu', say: { text: 'Press 1 for sales' } }),
      say('We did not get that'),
    ]);
    app.route('/menu', (h) => (h.body.digits === '1' ? [say('Connecting you to sales'), hangup()] : [hangup()]));
    app.route('/status', () => undefined);

    const call = await sim.placeCall({ from: '13912345678', to: '4001000000', headers: { 'X-Campaign': 'spring' } });
    await call.expectPrompt(/welcome/i);
    await call.expectPrompt(/press 1/i);
    call.press('1');
    await call.expectPrompt(/sales/i);
    const end = await call.ended;
    expect(end).toMatchObject({ status: 'completed', by: 'jambonz' });
    expect(call.heard).toEqual(['Welcome to Switchboard', 'Press 1 for sales', 'Connecting you to sales']);
    await sim.drainWebhooks();

    const initial = CallHookPayloadSchema.parse(app.received('/call')[0]?.body);
    expect(initial).toMatchObject({
      direction: 'inbound',
      from: '13912345678',
      to: '4001000000',
      call_status: 'trying',
    });
    expect(initial.sip?.headers['X-Campaign']).toBe('spring');
    expect(initial.call_sid).toBe(call.callSid);

    const menu = GatherActionPayloadSchema.parse(app.received('/menu')[0]?.body);
    expect(menu).toMatchObject({ reason: 'dtmfDetected', digits: '1', call_status: 'in-progress' });

    const statuses = app.received('/status').map((h) => CallStatusPayloadSchema.parse(h.body));
    expect(statuses.map((s) => s.call_status)).toEqual(['trying', 'in-progress', 'completed']);
    expect(statuses[2]).toMatchObject({ call_termination_by: 'jambonz', sip_status: 200 });
    expect(typeof statuses[2]?.duration).toBe('number');

    expect(app.hooks.every((h) => h.signatureValid && /^t=\d+,v1=[0-9a-f]{64}$/.test(h.signature ?? ''))).toBe(true);
    expect(sim.alerts).toEqual([]);
  });

  it('a gather without input times out (after the prompt) and reports reason timeout', async () => {
    app.route('/call', () => [gather({ numDigits: 1, timeout: 3, actionHook: '/menu', say: { text: 'Press a key' } })]);
    app.route('/menu', () => [say('Goodbye'), hangup()]);
    app.route('/status', () => undefined);

    const start = sim.now();
    const call = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    call.noInput(); // the caller's silence lets the gather time out at the simulated speed
    await call.expectPrompt('Goodbye');
    // Prompt (11 chars → 660 ms) + 3 s timeout, all simulated.
    expect(sim.now() - start).toBeGreaterThanOrEqual(3600);
    expect(app.received('/menu')[0]?.body).toMatchObject({ reason: 'timeout' });
    expect(app.received('/menu')[0]?.body.digits).toBeUndefined();
    await call.ended;
    expect(sim.alerts).toEqual([]);
  });

  it('variable-length digits end with finishOnKey, which is not part of the digits', async () => {
    app.route('/call', () => [gather({ maxDigits: 10, finishOnKey: '#', timeout: 5, actionHook: '/digits' })]);
    app.route('/digits', () => [hangup()]);
    app.route('/status', () => undefined);
    const call = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    call.press('1234#');
    await call.ended;
    expect(app.received('/digits')[0]?.body).toMatchObject({ reason: 'dtmfDetected', digits: '1234' });
  });

  it('the caller hanging up mid-prompt ends the call as completed by the caller', async () => {
    app.route('/call', () => [say('A very long announcement that the caller will not wait for')]);
    app.route('/status', () => undefined);
    const call = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    await call.expectPrompt(/announcement/);
    call.hangup();
    expect(await call.ended).toMatchObject({ status: 'completed', by: 'caller' });
    await sim.drainWebhooks();
    const last = app.received('/status').at(-1)?.body;
    expect(last).toMatchObject({ call_status: 'completed', call_termination_by: 'caller' });
  });

  it('an invalid verb array on the initial hook rejects the call (480) and raises an alert', async () => {
    app.route('/call', () => ({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify([{ verb: 'say', txt: 'typo' }]),
    }));
    app.route('/status', () => undefined);
    const call = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    expect(call.status).toBe('failed');
    expect(await call.ended).toMatchObject({ status: 'failed', sipStatus: 480 });
    expect(sim.alerts).toHaveLength(1);
    expect(sim.alerts[0]).toMatchObject({ callSid: call.callSid });
    expect(sim.alerts[0]?.message).toContain('say: unknown property txt');
    // jambonz creates no session for a rejected INVITE, so there is no status hook.
    await sim.drainWebhooks();
    expect(app.received('/status')).toEqual([]);
  });

  it('a failing call hook (HTTP 500) rejects the call too', async () => {
    app.route('/call', () => ({ status: 500, body: 'boom' }));
    const call = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    expect(await call.ended).toMatchObject({ status: 'failed', sipStatus: 480 });
    expect(sim.alerts[0]?.message).toMatch(/HTTP 500/);
  });

  it('sip:decline rejects a blacklisted caller before answer', async () => {
    app.route('/call', () => [sipDecline(603, 'Blacklisted')]);
    app.route('/status', () => undefined);
    const call = await sim.placeCall({ from: '13900000000', to: '4001000000' });
    expect(await call.ended).toMatchObject({ status: 'failed', sipStatus: 603 });
    expect(call.statuses).not.toContain('in-progress');
    await sim.drainWebhooks();
    expect(app.received('/status').map((h) => [h.body.call_status, h.body.sip_status])).toEqual([
      ['trying', 100],
      ['failed', 603],
    ]);
    expect(sim.alerts).toEqual([]);
  });

  it('hangup on an unanswered call is ignored, and the app end answers the INVITE with 603', async () => {
    app.route('/call', () => [hangup()]);
    app.route('/status', () => undefined);
    const call = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    expect(await call.ended).toMatchObject({ status: 'failed', sipStatus: 603 });
    expect(sim.alerts.map((a) => a.message)).toEqual([expect.stringContaining('use sip:decline')]);
  });

  it('with minDigits and interDigitTimeout the digits typed so far are returned after the pause', async () => {
    app.route('/call', () => [
      gather({ minDigits: 2, maxDigits: 8, interDigitTimeout: 2, timeout: 120, actionHook: '/digits' }),
    ]);
    app.route('/digits', () => [hangup()]);
    app.route('/status', () => undefined);
    const call = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    await call.waitForStatus('in-progress');
    const start = sim.now();
    call.press('123');
    call.noInput(); // and no fourth key
    await call.ended;
    expect(app.received('/digits')[0]?.body).toMatchObject({ reason: 'dtmfDetected', digits: '123' });
    // Ended by the 2 s inter-digit timer, long before the 120 s overall timeout.
    expect(sim.now() - start).toBeLessThan(60_000);
  });

  it('a key press barges into the gather prompt (dtmfBargein) and stops it', async () => {
    app.route('/call', () => [
      gather({ numDigits: 2, timeout: 5, actionHook: '/menu', play: { url: 'https://cdn.example.com/long-menu.wav' } }),
    ]);
    app.route('/menu', () => [hangup()]);
    app.route('/status', () => undefined);
    await sim.stop();
    sim = await JambonzSimulator.start({
      webhookSecret: SECRET,
      timeScale: 0.02,
      application: { callHook: app.url('/call'), statusHook: app.url('/status') },
      playDurations: { 'https://cdn.example.com/long-menu.wav': 60_000 },
    });
    const call = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    await call.expectPrompt('long-menu.wav');
    const start = sim.now();
    call.press('2');
    call.noInput(); // and no second key
    await call.ended;
    // The key stopped the 60 s prompt, so the 5 s timeout ran right after it.
    expect(sim.now() - start).toBeLessThan(45_000);
    expect(app.received('/menu')[0]?.body).toMatchObject({ reason: 'timeout' });
  });

  it("a speech gather resolves with the caller's words", async () => {
    app.route('/call', () => [
      gather({ input: ['speech', 'digits'], actionHook: '/speech', say: { text: 'How can I help?' } }),
    ]);
    app.route('/speech', () => [hangup()]);
    app.route('/status', () => undefined);
    const call = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    await call.expectPrompt('How can I help?');
    call.speak('billing please');
    await call.ended;
    const body = app.received('/speech')[0]?.body as {
      reason: string;
      speech: { alternatives: Array<{ transcript: string }> };
    };
    expect(body.reason).toBe('speechDetected');
    expect(body.speech.alternatives[0]?.transcript).toBe('billing please');
  });

  it('tag data comes back as customerData; redirect fetches the next verbs; play reports playCompleted', async () => {
    app.route('/call', () => [tag({ flowVersion: 3, trail: ['1'] }), redirect('/next')]);
    app.route('/next', (h) => [
      play('https://cdn.example.com/a.wav', { actionHook: '/played' }),
      say(`v${String((h.body.customerData as { flowVersion: number }).flowVersion)}`),
      hangup(),
    ]);
    app.route('/played', () => []);
    app.route('/status', () => undefined);
    const call = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    await call.expectPrompt('v3');
    await call.ended;
    await sim.drainWebhooks();
    expect(app.received('/next')[0]?.body.customerData).toEqual({ flowVersion: 3, trail: ['1'] });
    expect(app.received('/played')[0]?.body).toMatchObject({ reason: 'playCompleted', playback_seconds: 3 });
    expect(app.received('/status').at(-1)?.body.customerData).toEqual({ flowVersion: 3, trail: ['1'] });
    expect(call.customerData).toEqual({ flowVersion: 3, trail: ['1'] });
    expect(sim.alerts).toEqual([]);
  });

  it('stop() ends queued, forked and ringing calls without leaking timers or rejections', async () => {
    app.route('/call', (h) =>
      h.body.from === 'q'
        ? [enqueue('support', { waitHook: '/wait' })]
        : [listen(app.wsUrl('/audio/x'), { mixType: 'stereo' })],
    );
    app.route('/wait', () => [say('Please hold')]);
    app.route('/status', () => undefined);
    const queued = await sim.placeCall({ from: 'q', to: '4001000000' });
    const forked = await sim.placeCall({ from: 'f', to: '4001000000' });
    await app.waitForFork();
    await queued.expectPrompt('Please hold');
    await sim.stop();
    expect((await queued.ended).status).toBe('completed');
    expect((await forked.ended).status).toBe('completed');
    expect(sim.calls()).toEqual([]);
  });
});
