/**
 * The shared set-up of end-to-end tests on live calls: one app with the jambonz simulator for
 * the test file, call centers seeded per test, and after every test the same checks — the
 * simulator saw only valid verb arrays, agents are logged out and no session is left running.
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import WebSocket from 'ws';
import type { ResolvedConfig } from '../../../core/src/config/config.js';
import { seedCallCenter, setAgentState, type CallCenter } from '../../../core/test/support/call-center.js';
import type { PluginSpec } from '../../../core/src/plugins/types.js';
import { startTestApp, type SeededUser, type TestApp } from '../../../core/test/support/test-app.js';
import { jambonz, type JambonzOptions } from '../../src/app/adapter.js';
import type { JambonzSimulator, SimCall } from '../../src/simulator/index.js';
import { until } from './harness.js';

/** The app and simulator of a test file, available once `beforeAll` has run. */
export interface LiveWorld {
  readonly t: TestApp;
  readonly sim: JambonzSimulator;
  /** Seeds a call center whose agents are logged out and checked after the test. */
  center(opts: Parameters<typeof seedCallCenter>[1]): Promise<CallCenter>;
  /** An agent seeded another way, logged out after the test like a center's agents. */
  signedIn(user: SeededUser): void;
}

/**
 * Registers the file's hooks (call it at the top level of a test file) and returns the world.
 * `calls` overrides the call settings (wrap-up, sweeper…) of the test app.
 */
export function useLiveWorld(opts: {
  secret: string;
  timeScale: number;
  simulator?: Omit<NonNullable<JambonzOptions['simulator']>, 'timeScale'>;
  calls?: Partial<ResolvedConfig['calls']>;
  plugins?: PluginSpec[];
}): LiveWorld {
  let t: TestApp | undefined;
  let sim: JambonzSimulator | undefined;
  const centers: CallCenter[] = [];
  const others: SeededUser[] = [];

  beforeAll(async () => {
    t = await startTestApp({
      config: {
        telephony: jambonz({
          apiBaseUrl: 'simulator',
          webhookSecret: opts.secret,
          simulator: { timeScale: opts.timeScale, ...opts.simulator },
        }),
        calls: { sweepIntervalMs: 100, ...opts.calls },
        ...(opts.plugins ? { plugins: opts.plugins } : {}),
      },
    });
    sim = t.app.telephony!.extra!.simulator as JambonzSimulator;
  });

  afterEach(async () => {
    // Every verb array the app sent passed verb-specifications in the simulator.
    expect(sim!.alerts).toEqual([]);
    const agents = [...centers.splice(0).flatMap((cc) => cc.agents), ...others.splice(0)];
    for (const a of agents) await setAgentState(t!, a, 'offline').catch(() => undefined);
    await until(
      async () =>
        (await t!.app.database.pool.query(`select 1 from call_sessions where state <> 'ended'`)).rowCount === 0,
      'no live sessions',
    );
  });

  afterAll(async () => {
    await t?.stop();
  });

  return {
    get t() {
      if (!t) throw new Error('the live world starts in beforeAll');
      return t;
    },
    get sim() {
      if (!sim) throw new Error('the live world starts in beforeAll');
      return sim;
    },
    async center(seed) {
      const cc = await seedCallCenter(this.t, seed);
      centers.push(cc);
      return cc;
    },
    signedIn(user) {
      others.push(user);
    },
  };
}

/** Calls the demo hotline of `cc` and picks presales (key 1) in its menu. */
export async function callPresales(w: LiveWorld, cc: CallCenter, from: string): Promise<SimCall> {
  const call = await w.sim.placeCall({ from, to: cc.number });
  await call.expectPrompt(/press 1/);
  call.press('1');
  return call;
}

/** Waits until both legs share the room, then the customer hangs up and both legs end. */
export async function talkAndHangUp(call: SimCall, leg: SimCall): Promise<void> {
  await until(async () => call.conference && call.conference === leg.conference, 'bridged');
  call.hangup();
  await call.ended;
  await leg.ended;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frames are asserted on loosely
export type Frame = { type: string; data: any };

/** A realtime client on `/ws`, as the workbench and the monitors use it. */
export async function socket(w: LiveWorld, user: SeededUser) {
  const ws = new WebSocket(`${w.t.url.replace(/^http/, 'ws')}/ws?access_token=${user.token}`);
  const frames: Frame[] = [];
  ws.on('message', (m) => frames.push(JSON.parse(m.toString())));
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  return {
    frames,
    /** Frames about one session, in arrival order. */
    of: (sessionId: string) => frames.filter((f) => f.data?.sessionId === sessionId),
    /** The first frame of `type` (matching `pred`), waiting for it. */
    next: (type: string, pred: (d: Frame['data']) => boolean = () => true) =>
      until(async () => frames.find((f) => f.type === type && pred(f.data)), type),
    close: () => ws.close(),
  };
}

/** The call record of a session as an admin reads it, once it is written. */
export async function cdrOf(w: LiveWorld, cc: CallCenter, sessionId: string) {
  return until(async () => {
    const r = await w.t.request('GET', `/api/v1/records/${sessionId}`, { token: cc.admin.token });
    return r.status === 200 ? r.body : undefined;
  }, 'cdr');
}
