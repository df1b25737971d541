/**
 * The shared set-up of end-to-end tests on live calls: one app with the jambonz simulator for
 * the test file, call centers seeded per test (or one for the whole file), and after every test
 * the same checks — the simulator saw only valid verb arrays, agents are logged out and no
 * session is left running.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import WebSocket from 'ws';
import type { ResolvedConfig, SwitchboardConfig } from '../../../core/src/config/config.js';
import { seedCallCenter, setAgentState, type CallCenter } from '../../../core/test/support/call-center.js';
import type { PluginSpec } from '../../../core/src/plugins/types.js';
import { startTestApp, type SeededUser, type TestApp } from '../../../core/test/support/test-app.js';
import { createServerDatabase } from '../../../core/test/support/test-database.js';
import { jambonz, type JambonzOptions } from '../../src/app/adapter.js';
import { JambonzSimulator, type SimCall } from '../../src/simulator/index.js';
import { RoundRobin, step, until } from './harness.js';

/** The app and simulator of a test file, available once `beforeAll` has run. */
export interface LiveWorld {
  readonly t: TestApp;
  readonly sim: JambonzSimulator;
  /** The file's own call center (option `center`), seeded before its first test. */
  readonly cc: CallCenter;
  /** Seeds a call center whose agents are logged out and checked after the test. */
  center(opts: Parameters<typeof seedCallCenter>[1]): Promise<CallCenter>;
  /** An agent seeded another way, logged out after the test like a center's agents. */
  signedIn(user: SeededUser): void;
  /** Closes something the test opened (a socket…) once the test is over, passed or failed. */
  closeAfterTest(close: () => void): void;
  /** With `restartable`: kills the app (everything closed, nothing kept in memory). */
  stopApp(): Promise<void>;
  /** With `restartable`: starts a new app on the same data, behind the same address. */
  startApp(): Promise<void>;
}

export interface LiveWorldOptions {
  secret: string;
  timeScale: number;
  simulator?: Omit<NonNullable<JambonzOptions['simulator']>, 'timeScale'>;
  /** More adapter options (webhook budget, call-record expiry…). */
  adapter?: Pick<
    JambonzOptions,
    'webhookBudgetMs' | 'callRecordTtlSeconds' | 'maxUnverifiedCallSeconds' | 'singleFeatureServer'
  >;
  /** Overrides the call settings (wrap-up, sweeper…) of the test app. */
  calls?: Partial<ResolvedConfig['calls']>;
  plugins?: PluginSpec[];
  /** More of the app's configuration (e.g. where it keeps its files). */
  config?: Pick<SwitchboardConfig, 'database'>;
  /** A call center for the whole file; its agents are logged out after every test. */
  center?: Parameters<typeof seedCallCenter>[1];
  /**
   * The app may be stopped and started again mid-test on the same data: jambonz is then a
   * standalone simulator that outlives the app and reaches it through a balancer, as in
   * production, and the database (the real server where CI provides one, embedded PGlite in a
   * data directory otherwise) outlives the process.
   */
  restartable?: boolean;
  /** Simulator alerts a test causes on purpose (e.g. an audio fork cut by a restart). */
  expectedAlerts?: RegExp;
}

/**
 * Budget of one app start when `restartable`: it opens (and on the first start migrates) a
 * fresh database, which takes several seconds on a loaded 2-core machine (16 s was seen).
 */
const START_MS = 40_000;

/**
 * The webhook budget is a timer of the app racing the machine's speed: on a loaded CI machine a
 * call hook can take seconds, and the 2 s production default would then answer its fallback
 * (an apology) to a test that never meant to test it. Tests get the most jambonz allows; the
 * tests of the budget itself set their own and hold the work back with a gate.
 */
const TEST_ADAPTER = { webhookBudgetMs: 9000 } as const;

/** Registers the file's hooks (call it at the top level of a test file) and returns the world. */
export function useLiveWorld(opts: LiveWorldOptions): LiveWorld {
  let t: TestApp | undefined;
  let sim: JambonzSimulator | undefined;
  let cc: CallCenter | undefined;
  const centers: CallCenter[] = [];
  const others: SeededUser[] = [];
  const closers: Array<() => void> = [];
  const calls = { sweepIntervalMs: 100, ...opts.calls };
  let restart: Awaited<ReturnType<typeof restartable>> | undefined;

  beforeAll(async () => {
    if (opts.restartable) {
      restart = await restartable(opts, calls);
      sim = restart.sim;
      t = await restart.start();
    } else {
      t = await startTestApp({
        config: {
          ...opts.config,
          telephony: jambonz({
            apiBaseUrl: 'simulator',
            webhookSecret: opts.secret,
            simulator: { timeScale: opts.timeScale, ...opts.simulator },
            ...TEST_ADAPTER,
            ...opts.adapter,
          }),
          calls,
          ...(opts.plugins ? { plugins: opts.plugins } : {}),
        },
      });
      sim = t.app.telephony!.extra!.simulator as JambonzSimulator;
    }
    if (opts.center) cc = await seedCallCenter(t, opts.center);
  });

  afterEach(async (ctx) => {
    for (const close of closers.splice(0)) close();
    if (ctx.task.result?.state === 'fail') {
      // A failed (or timed-out) test leaves its calls up: hang them up, so its failure stays its
      // own instead of failing the "no live sessions" check of this and every later test.
      for (const c of sim!.calls()) sim!.call(c.callSid)?.hangup();
    }
    const agents = [...(cc?.agents ?? []), ...centers.splice(0).flatMap((c) => c.agents), ...others.splice(0)];
    for (const a of agents) await setAgentState(t!, a, 'offline').catch(() => undefined);
    try {
      await until(
        async () =>
          (await t!.app.database.pool.query(`select 1 from call_sessions where state <> 'ended'`)).rowCount === 0,
        'no live sessions',
      );
    } finally {
      // Every verb array the app sent passed verb-specifications in the simulator. The alerts
      // belong to this test (its calls have ended): taken out, so a later test starts clean.
      const raised = sim!.alerts.splice(0);
      expect(raised.filter((a) => !opts.expectedAlerts?.test(a.message))).toEqual([]);
    }
  });

  afterAll(async () => {
    await t?.stop();
    await restart?.close();
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
    get cc() {
      if (!cc) throw new Error('the live world seeds its call center (option `center`) in beforeAll');
      return cc;
    },
    async center(seed) {
      const c = await seedCallCenter(this.t, seed);
      centers.push(c);
      return c;
    },
    signedIn(user) {
      others.push(user);
    },
    closeAfterTest(close) {
      closers.push(close);
    },
    async stopApp() {
      if (!restart) throw new Error('only a restartable live world stops its app');
      const stopping = this.t;
      t = undefined;
      await step('stop', stopping.stop());
    },
    async startApp() {
      if (!restart) throw new Error('only a restartable live world starts its app again');
      t = await restart.start();
    },
  };
}

/** A standalone simulator, a balancer and a database that outlive the app they talk to. */
async function restartable(opts: LiveWorldOptions, calls: LiveWorldOptions['calls']) {
  const dir = await mkdtemp(join(tmpdir(), 'sb-live-'));
  const sim = await JambonzSimulator.start({
    webhookSecret: opts.secret,
    timeScale: opts.timeScale,
    ...opts.simulator,
  });
  const lb = await RoundRobin.start([1]);
  sim.setApplication({ callHook: `${lb.url}/jambonz/call`, statusHook: `${lb.url}/jambonz/status` });
  const server = process.env.TEST_DATABASE_URL ? await createServerDatabase() : undefined;
  let starts = 0;
  return {
    sim,
    async start(): Promise<TestApp> {
      const t = await step(
        `start ${++starts}`,
        startTestApp({
          ...(server ? { db: { url: server.url } } : { db: 'data-dir' as const, env: { DATA_DIR: dir } }),
          config: {
            ...opts.config,
            server: { port: 0, host: '127.0.0.1', publicUrl: lb.url },
            telephony: jambonz({
              apiBaseUrl: sim.apiBaseUrl,
              accountSid: sim.accountSid,
              apiKey: sim.apiKey,
              webhookSecret: opts.secret,
              ...TEST_ADAPTER,
              ...opts.adapter,
            }),
            calls,
            ...(opts.plugins ? { plugins: opts.plugins } : {}),
          },
        }),
        START_MS,
      );
      lb.setBackends([Number(new URL(t.url).port)]);
      return t;
    },
    async close(): Promise<void> {
      await sim.stop();
      await lb.stop();
      await server?.drop();
      await rm(dir, { recursive: true, force: true });
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

/** Waits until the customer's call and an agent's leg share the room. */
export async function bridged(call: SimCall, leg: SimCall): Promise<void> {
  await until(async () => call.conference && call.conference === leg.conference, 'bridged');
}

/** Waits until both legs share the room, then the customer hangs up and both legs end. */
export async function talkAndHangUp(call: SimCall, leg: SimCall): Promise<void> {
  await bridged(call, leg);
  call.hangup();
  await call.ended;
  await leg.ended;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frames are asserted on loosely
export type Frame = { type: string; data: any };

/** A realtime client on `/ws`, as the workbench and the monitors use it; closed after the test. */
export async function socket(w: LiveWorld, user: SeededUser) {
  const ws = new WebSocket(`${w.t.url.replace(/^http/, 'ws')}/ws?access_token=${user.token}`);
  w.closeAfterTest(() => ws.close());
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
    /** `session.state` events of one session, in arrival order. */
    states: (sessionId: string) =>
      frames.filter((f) => f.type === 'session.state' && f.data.sessionId === sessionId).map((f) => f.data),
    /** The first frame of `type` (matching `pred`), waiting for it. */
    next: (type: string, pred: (d: Frame['data']) => boolean = () => true) =>
      until(async () => frames.find((f) => f.type === type && pred(f.data)), type),
    close: () => ws.close(),
  };
}

/** The session row of a customer's call (once the call path has made it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert on the row loosely
export async function sessionOf(w: LiveWorld, call: Pick<SimCall, 'callSid'>): Promise<any> {
  return until(
    async () =>
      (await w.t.app.database.pool.query('select * from call_sessions where customer_call_sid = $1', [call.callSid]))
        .rows[0],
    'session',
  );
}

/** The session id of a customer's call (once the call path has made it). */
export async function sessionIdOf(w: LiveWorld, call: Pick<SimCall, 'callSid'>): Promise<string> {
  return (await sessionOf(w, call)).id as string;
}

/** The call record of a session as `user` reads it, once it is written. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert on the JSON loosely
export async function recordAs(w: LiveWorld, user: SeededUser, sessionId: string): Promise<any> {
  return until(async () => {
    const r = await w.t.request('GET', `/api/v1/records/${sessionId}`, { token: user.token });
    return r.status === 200 ? r.body : undefined;
  }, `record of ${sessionId}`);
}

/** The call record of a session as an admin reads it, once it is written. */
export async function cdrOf(w: LiveWorld, cc: CallCenter, sessionId: string) {
  return recordAs(w, cc.admin, sessionId);
}
