import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ListenMetadataSchema } from '../protocol/payloads.js';
import type { JambonzRestClient } from '../protocol/rest-client.js';
import { configListen, gather, hangup, listen, pause, say } from '../protocol/verbs.js';
import { AUDIO_FORK_SUBPROTOCOL } from './audio-fork.js';
import { BEEP_TONE } from './verb-exec.js';
import type { JambonzSimulator } from './simulator.js';
import { type TestApp, startSimulatorFixture } from './test-app.js';

const SECRET = 'wh_secret_listen_test';

/** RMS of one channel of interleaved stereo L16. */
function rms(pcm: Buffer, channel: 0 | 1): number {
  let sum = 0;
  let n = 0;
  for (let i = channel * 2; i + 1 < pcm.length; i += 4) {
    const s = pcm.readInt16LE(i);
    sum += s * s;
    n++;
  }
  return Math.sqrt(sum / Math.max(1, n));
}

describe('jambonz simulator: audio forks', () => {
  let app: TestApp;
  let sim: JambonzSimulator;
  let rest: JambonzRestClient;

  beforeEach(async () => {
    ({ app, sim, rest } = await startSimulatorFixture(SECRET));
    app.route('/status', () => undefined);
    app.route('/listen-done', () => []);
  });

  afterEach(async () => {
    await sim.stop();
    await app.close();
  });

  it('a stereo listen fork sends a JSON first frame and PCM covering exactly the simulated duration', async () => {
    app.route('/call', () => [
      say('This call is recorded'),
      listen(app.wsUrl('/audio/c1'), {
        mixType: 'stereo',
        sampleRate: 8000,
        maxLength: 2,
        metadata: { conversationId: 'conv-9' },
        actionHook: '/listen-done',
      }),
      say('Bye'),
      hangup(),
    ]);
    const call = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    const fork = await app.waitForFork();
    await fork.closed;
    await call.ended;

    expect(fork.protocol).toBe(AUDIO_FORK_SUBPROTOCOL);
    expect(fork.textFrames).toHaveLength(1);
    const meta = ListenMetadataSchema.parse(JSON.parse(fork.textFrames[0] as string));
    expect(meta).toMatchObject({ sampleRate: 8000, mixType: 'stereo', callSid: call.callSid, direction: 'inbound' });
    expect((meta as Record<string, unknown>).conversationId).toBe('conv-9');

    const record = sim.forks()[0];
    expect(record?.state).toBe('closed');
    const simulatedMs = record?.simulatedMs ?? 0;
    // maxLength 2 s of simulated time: nothing else ends the listen (no one hangs up), so the
    // fork closing proves the limit. No upper bound: timers fire late on a busy machine, and at
    // timeScale 0.02 every wall-clock millisecond of lateness is 50 simulated ms.
    expect(simulatedMs).toBeGreaterThanOrEqual(2000);
    const samples = Math.floor((simulatedMs * 8000) / 1000);
    expect(record?.samplesSent).toBe(samples);
    expect(fork.binaryBytes).toBe(samples * 2 /* bytes */ * 2 /* channels */);
    // Real, different signals on both channels.
    expect(rms(fork.pcmHead, 0)).toBeGreaterThan(1000);
    expect(rms(fork.pcmHead, 1)).toBeGreaterThan(1000);
    expect(fork.pcmHead.equals(Buffer.alloc(fork.pcmHead.length))).toBe(false);
    expect(call.heard).toEqual(['This call is recorded', 'Bye']);
    expect(sim.alerts).toEqual([]);
  });

  it('listen_status pause stops audio, resume restarts it; finishOnKey ends the fork', async () => {
    app.route('/call', () => [
      listen(app.wsUrl('/audio/c2'), {
        mixType: 'mono',
        sampleRate: 16000,
        finishOnKey: '#',
        actionHook: '/listen-done',
      }),
      hangup(),
    ]);
    const call = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    const fork = await app.waitForFork();
    await expect.poll(() => fork.binaryBytes).toBeGreaterThan(0);
    await rest.updateCall(call.callSid, { listen_status: 'pause' });
    await new Promise((r) => setTimeout(r, 40));
    await rest.updateCall(call.callSid, { listen_status: 'resume' });
    await new Promise((r) => setTimeout(r, 20));
    call.press('#');
    await fork.closed;
    await call.ended;

    const record = sim.forks()[0];
    expect(record?.samplesPaused).toBeGreaterThan(0);
    const total = Math.floor(((record?.simulatedMs ?? 0) * 16000) / 1000);
    expect((record?.samplesSent ?? 0) + (record?.samplesPaused ?? 0)).toBe(total);
    expect(fork.binaryBytes).toBe((record?.samplesSent ?? 0) * 2);
    expect((await app.waitFor('/listen-done')).body).toMatchObject({ digits: '#' });
    expect(sim.alerts).toEqual([]);
  });

  it('playBeep plays the tone before the fork starts; the beep is not recorded', async () => {
    app.route('/call', () => [
      say('Leave a message'),
      listen(app.wsUrl('/audio/vm'), { mixType: 'mono', playBeep: true, maxLength: 2, actionHook: '/listen-done' }),
      say('Thanks'),
      hangup(),
    ]);
    const call = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    const fork = await app.waitForFork();
    await fork.closed;
    await call.ended;
    expect(call.heard).toEqual(['Leave a message', BEEP_TONE, 'Thanks']);
    const record = sim.forks()[0];
    // maxLength counts from the start of the fork, after the tone; the fork closing with no
    // hang-up proves the limit (no upper bound: timers may fire late on a busy machine).
    expect(record?.simulatedMs).toBeGreaterThanOrEqual(2000);
    expect(sim.alerts).toEqual([]);
  });

  it('config.listen forks in the background until hang-up; listen_status does not reach it', async () => {
    app.route('/call', () => [
      configListen({
        enable: true,
        url: app.wsUrl('/audio/bg'),
        mixType: 'stereo',
        metadata: { conversationId: 'bg' },
      }),
      say('Hello there'),
      pause(1),
      // Keeps the call up until the test has sent its listen_status (a key ends it), rather
      // than racing the 33 ms of wall time the say and pause take at timeScale 0.02.
      gather({ input: ['digits'], numDigits: 1, timeout: 60, actionHook: '/bg-done', say: { text: 'Press a key' } }),
    ]);
    app.route('/bg-done', () => [hangup()]);
    const call = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    const fork = await app.waitForFork();
    await call.expectPrompt('Hello there');
    await rest.updateCall(call.callSid, { listen_status: 'pause' });
    await call.expectPrompt('Press a key');
    call.press('1');
    await fork.closed;
    expect(await call.ended).toMatchObject({ status: 'completed', by: 'jambonz' });
    const record = sim.forks()[0];
    // say (11 chars → 660 ms) + pause 1 s, at least.
    expect(record?.simulatedMs).toBeGreaterThanOrEqual(1660);
    expect(record?.samplesPaused).toBe(0);
    expect(fork.binaryBytes).toBe(Math.floor(((record?.simulatedMs ?? 0) * 8000) / 1000) * 4);
    // jambonz 0.9.x only applies listen_status to a listen verb or a dial with nested listen.
    expect(sim.alerts.map((a) => a.message)).toEqual([expect.stringContaining('listen_status ignored')]);
  });
});
