/**
 * Timers that stand for a person's patience (a gather's timeouts, a ring timeout) run no faster
 * than real time, while prompts run at the simulated speed: a scripted party that reacts to a
 * prompt or a ring never races a deadline of a few wall milliseconds on a busy machine, and a
 * test that wants the timeout says so (`noInput`, `ignore`) and gets it at the simulated speed.
 */
import { describe, expect, it } from 'vitest';
import { gather, hangup, say } from '../protocol/verbs.js';
import { SimClock } from './clock.js';
import { TEST_SPEECH } from './test-app.js';
import { useSimulatorFixture } from '../../test/support/simulator-fixture.js';

const SECRET = 'wh_secret_patience_test';
/** A caller's reaction time in this file: 15 simulated seconds at timeScale 0.02. */
const REACTION_MS = 300;

describe('SimClock.patience', () => {
  it('runs no faster than real time, and at the simulated speed once hurried', async () => {
    const clock = new SimClock(0.001);
    const fired: string[] = [];
    const start = performance.now();
    const slow = clock.patience(150, () => fired.push(`slow ${Math.round(performance.now() - start)}`));
    const quick = clock.patience(150, () => fired.push('quick'));
    quick.hurry();
    await new Promise((r) => setTimeout(r, 20));
    // 150 simulated ms are 0.15 wall ms at this scale: the hurried one has fired, the other not.
    expect(fired).toEqual(['quick']);
    await new Promise((r) => setTimeout(r, 200));
    expect(fired).toHaveLength(2);
    expect(Number(fired[1]!.split(' ')[1])).toBeGreaterThanOrEqual(149);
    slow.hurry(); // fired already: nothing happens
    const stopped = clock.patience(10, () => fired.push('after stop'));
    clock.stop();
    stopped.hurry();
    await new Promise((r) => setTimeout(r, 30));
    expect(fired).toHaveLength(2);
  });
});

describe('SimClock under load', () => {
  it('does not count a stall of the process as simulated time', async () => {
    const clock = new SimClock(0.01);
    await new Promise((r) => setTimeout(r, 30));
    const before = clock.now();
    const stall = performance.now() + 200;
    while (performance.now() < stall); // the process does not run for 200 wall ms
    // At 1/100, 200 wall ms would be 20 simulated seconds; a stall counts as one short step.
    expect(clock.now() - before).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 100));
    expect(clock.now() - before).toBeGreaterThan(2500); // and it flows again afterwards
    clock.stop();
  });
});

describe('jambonz simulator: patience timers', () => {
  const fx = useSimulatorFixture(SECRET);

  it('a key pressed later than the gather timeout in simulated time, but within it in real time, is taken', async () => {
    fx.app.route('/call', () => [
      gather({ numDigits: 1, timeout: 10, actionHook: '/menu', say: { text: 'Press a key' } }),
    ]);
    fx.app.route('/menu', () => [hangup()]);
    const call = await fx.sim.placeCall({ from: '13912345678', to: '4001000000' });
    await call.expectPrompt('Press a key');
    const asked = fx.sim.now();
    await new Promise((r) => setTimeout(r, REACTION_MS));
    expect(fx.sim.now() - asked).toBeGreaterThan(10_000); // the prompt itself ran at the simulated speed
    call.press('5');
    await call.ended;
    expect(fx.app.received('/menu')[0]?.body).toMatchObject({ reason: 'dtmfDetected', digits: '5' });
    expect(fx.sim.alerts).toEqual([]);
  });

  it('noInput lets one no-input timeout run out at the simulated speed, the next waits again', async () => {
    fx.app.route('/call', () => [
      gather({ numDigits: 1, timeout: 10, actionHook: '/first', say: { text: 'First question' } }),
    ]);
    fx.app.route('/first', () => [
      gather({ numDigits: 1, timeout: 10, actionHook: '/second', say: { text: 'Second question' } }),
    ]);
    fx.app.route('/second', () => [say('Bye'), hangup()]);
    const call = await fx.sim.placeCall({ from: '13912345678', to: '4001000000' });
    await call.expectPrompt('First question');
    call.noInput();
    await call.expectPrompt('Second question');
    expect(fx.app.received('/first')[0]?.body).toMatchObject({ reason: 'timeout' });
    await new Promise((r) => setTimeout(r, REACTION_MS));
    call.press('2');
    await call.expectPrompt('Bye');
    expect(fx.app.received('/second')[0]?.body).toMatchObject({ reason: 'dtmfDetected', digits: '2' });
    await call.ended;
  });

  it('a ring answered later than its timeout in simulated time, but within it in real time, connects; an ignored one rings out', async () => {
    fx.app.route('/agent', () => [say('Connected'), hangup()]);
    const phone = fx.sim.phone('13800000033');
    const create = (timeout: number) =>
      fx.rest.createCall({
        from: '4001000000',
        to: { type: 'phone', number: '13800000033' },
        call_hook: fx.app.url('/agent'),
        call_status_hook: fx.app.url('/status'),
        timeout,
        ...TEST_SPEECH,
      });
    await create(10);
    const ring = await phone.nextRing();
    await new Promise((r) => setTimeout(r, REACTION_MS));
    expect(ring.state).toBe('ringing');
    const answered = ring.answer();
    await answered.expectPrompt('Connected');
    await answered.ended;

    const { sid } = await create(10);
    (await phone.nextRing()).ignore();
    await expect.poll(() => fx.sim.calls().length, { timeout: 10_000 }).toBe(0);
    await fx.sim.drainWebhooks();
    const final = fx.app
      .received('/status')
      .filter((h) => h.body.call_sid === sid)
      .map((h) => h.body.call_status);
    expect(final).toEqual(['trying', 'ringing', 'no-answer']);
  });
});
