/**
 * A protocol-faithful fake jambonz 0.9.x for tests and the demo mode (see {@link JambonzSimulator}).
 *
 * ```ts
 * const sim = await JambonzSimulator.start({ webhookSecret, timeScale: 0.02,
 *   application: { callHook: 'http://127.0.0.1:3000/jambonz/call', statusHook: 'http://127.0.0.1:3000/jambonz/status' } });
 * const agent = sim.registerUser('agent1');                  // agent1@sip.switchboard.local
 * const call = await sim.placeCall({ from: '13912345678', to: '4001000000' });
 * await call.expectPrompt(/welcome/i);
 * call.press('1');
 * const ring = await agent.nextRing();                        // the app created the agent leg over REST
 * const agentCall = ring.answer();
 * agentCall.hangup();
 * await call.ended;                                           // { status: 'completed', by: 'jambonz', … }
 * expect(sim.alerts).toEqual([]);
 * await sim.stop();
 * ```
 *
 * Timing: durations are simulated (say = 60 ms per character, min 500 ms; play = 3 s unless
 * `playDurations` says otherwise; gather/ring/dequeue timers as in FS) and run `timeScale` times as
 * fast on the wall clock. Timers that stand for a person's patience — a gather's no-input and
 * inter-digit timeouts, a device's ring timeout — run no faster than real time, so a scripted
 * party reacting to a prompt or a ring never races them on a busy machine; `call.noInput()` and
 * `ring.ignore()` let one run out at the simulated speed (see `SimClock.patience`). Webhooks are
 * real HTTP, so simulated time keeps flowing while the app answers. Timeouts of the scripting
 * helpers (`expectPrompt`, `waitForStatus`, `nextRing`) are wall-clock milliseconds; they fail at
 * once when the call has ended.
 */
export { JambonzSimulator, type PlaceCallOptions, type SimulatorOptions } from './simulator.js';
export { SimCall, type SimCallEnd, type WaitOptions } from './sim-call.js';
export { SimDevice, SimIncoming, type RingState, type SimDeviceOptions } from './devices.js';
export type { SimAlert, SimApplication, SimCallSnapshot, SimClient, SimLogger } from './engine.js';
export type { SimQueueSnapshot } from './queues.js';
export type { SimConferenceSnapshot } from './conferences.js';
export type { SimRestRequest } from './rest-api.js';
export type { RestFault, RestFaultMatch, RestFaultReply } from './faults.js';
export { AUDIO_FORK_SUBPROTOCOL, type ForkRecord } from './audio-fork.js';
export { SAY_MS_PER_CHAR, MIN_SAY_MS, sayDurationMs } from './media.js';
