import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { ForkRecord } from './audio-fork.js';
import { SimClock } from './clock.js';
import type { SimConferenceSnapshot } from './conferences.js';
import type { SimDevice, SimDeviceOptions } from './devices.js';
import { Engine, type SimAlert, type SimApplication, type SimCallSnapshot, type SimLogger } from './engine.js';
import type { SimClient } from './engine.js';
import type { SimQueueSnapshot } from './queues.js';
import type { RestFault, RestFaultMatch, RestFaultReply } from './faults.js';
import { SimRestApi, type SimRestRequest } from './rest-api.js';
import type { SimCall } from './sim-call.js';
import { WebhookSender } from './webhooks.js';

/** Options of {@link JambonzSimulator.start}. */
export interface SimulatorOptions {
  /** Account webhook secret used to sign every webhook (`Jambonz-Signature`). */
  webhookSecret: string;
  accountSid?: string;
  /** Bearer key the REST API accepts; generated when omitted. */
  apiKey?: string;
  /** Account SIP realm appended to user names without `@` (default `sip.switchboard.local`). */
  sipRealm?: string;
  /** The application for inbound calls; may be set later with `setApplication`. */
  application?: SimApplication;
  /** Account queue event webhook (absolute URL). */
  queueEventHook?: string;
  /** Wall-clock ms per simulated ms (default 1; tests use e.g. 0.02). */
  timeScale?: number;
  logger?: SimLogger;
  /** Interface the REST API listens on (default 127.0.0.1). */
  host?: string;
  /** Simulated length of `play` URLs in ms: a map or a function (default 3000 ms). */
  playDurations?: Record<string, number> | ((url: string) => number | undefined);
  /** Webhook timeout in wall-clock ms (jambonz: 10 000). */
  webhookTimeoutMs?: number;
  /** Wall-clock ms an audio fork's WebSocket handshake may take (default 5000). */
  forkHandshakeTimeoutMs?: number;
  /**
   * Simulated ms after a leg's last status change at which `GET /Calls/{sid}` stops knowing it
   * (jambonz's Redis record expires, live call or not; default one hour). Until then an ended
   * leg's PUT answers 422.
   */
  callRecordTtlMs?: number;
  /**
   * `final-first`: the status hooks of a leg arrive out of order (its earlier statuses after
   * the final one), as they may from a real feature server. Default `ordered`.
   */
  statusHookOrder?: 'ordered' | 'final-first';
  /**
   * Users register only with the password of an active `/v1/Clients` credential (the SBC's digest
   * auth). Off by default so tests that do not provision clients can register any user.
   */
  requireClientCredentials?: boolean;
}

/** Options of {@link JambonzSimulator.placeCall}. */
export interface PlaceCallOptions {
  /** Calling number (e.g. '13912345678'). */
  from: string;
  /** Called number (one of the tenant's numbers). */
  to: string;
  /** Extra SIP headers of the INVITE (`X-…`, `Diversion`), visible in `sip.headers`. */
  headers?: Record<string, string>;
  callerName?: string;
}

const DEFAULT_PLAY_MS = 3000;

/**
 * A protocol-faithful fake jambonz (open-source 0.9.x): REST API subset, signed webhooks with the
 * real payloads, verb execution in simulated time, audio forks with synthetic PCM, and scripted
 * endpoints (PSTN callers, WebRTC users, mobile phones) for tests and the demo.
 */
export class JambonzSimulator {
  /** Everything the real server would have complained about; tests assert it stays empty. */
  readonly alerts: SimAlert[];
  readonly accountSid: string;
  readonly apiKey: string;
  readonly applicationSid: string;
  readonly sipRealm: string;
  readonly webhookSecret: string;
  readonly timeScale: number;

  private constructor(
    private readonly engine: Engine,
    private readonly rest: SimRestApi,
    private readonly clock: SimClock,
    private readonly webhooks: WebhookSender,
    private readonly stopCtrl: AbortController,
    opts: { accountSid: string; apiKey: string; sipRealm: string; webhookSecret: string },
  ) {
    this.alerts = engine.alerts;
    this.accountSid = opts.accountSid;
    this.apiKey = opts.apiKey;
    this.applicationSid = engine.applicationSid;
    this.sipRealm = opts.sipRealm;
    this.webhookSecret = opts.webhookSecret;
    this.timeScale = clock.timeScale;
  }

  /** Starts the simulator and its REST API on `host:0`. */
  static async start(opts: SimulatorOptions): Promise<JambonzSimulator> {
    const accountSid = opts.accountSid ?? randomUUID();
    const apiKey = opts.apiKey ?? randomUUID();
    const sipRealm = opts.sipRealm ?? 'sip.switchboard.local';
    const clock = new SimClock(opts.timeScale ?? 1);
    const stopCtrl = new AbortController();
    // Every webhook in flight listens on it (AbortSignal.any): hundreds at once under load are
    // expected, not a leak.
    setMaxListeners(0, stopCtrl.signal);
    // The sender reports through the engine, which itself needs the sender: bind late.
    const ref: { engine?: Engine } = {};
    const webhooks = new WebhookSender({
      secret: opts.webhookSecret,
      timeoutMs: opts.webhookTimeoutMs ?? 10_000,
      stopSignal: stopCtrl.signal,
      alert: (callSid, message) => ref.engine?.alert(callSid, message),
      debug: (msg, data) => ref.engine?.debug(msg, data),
    });
    const durations = opts.playDurations;
    const engine = new Engine(clock, webhooks, {
      accountSid,
      applicationSid: randomUUID(),
      sipRealm,
      fsSipAddress: '10.0.13.72:5070',
      ...(opts.forkHandshakeTimeoutMs ? { forkHandshakeTimeoutMs: opts.forkHandshakeTimeoutMs } : {}),
      playDurationMs: (url) => (typeof durations === 'function' ? durations(url) : durations?.[url]) ?? DEFAULT_PLAY_MS,
      ...(opts.logger ? { logger: opts.logger } : {}),
    });
    ref.engine = engine;
    engine.requireClientCredentials = opts.requireClientCredentials ?? false;
    if (opts.callRecordTtlMs !== undefined) engine.callRecordTtlMs = opts.callRecordTtlMs;
    if (opts.statusHookOrder) engine.statusHookOrder = opts.statusHookOrder;
    if (opts.application) engine.application = opts.application;
    if (opts.application?.queueEventHook) engine.queueEventHook = opts.application.queueEventHook;
    if (opts.queueEventHook) engine.queueEventHook = opts.queueEventHook;
    const rest = new SimRestApi(engine, { accountSid, apiKey });
    await rest.listen(opts.host ?? '127.0.0.1');
    return new JambonzSimulator(engine, rest, clock, webhooks, stopCtrl, {
      accountSid,
      apiKey,
      sipRealm,
      webhookSecret: opts.webhookSecret,
    });
  }

  /** REST API base, e.g. `http://127.0.0.1:41234/v1`. */
  get apiBaseUrl(): string {
    return this.rest.apiBaseUrl;
  }

  /** Sets (or replaces) the application used for inbound calls. */
  setApplication(app: SimApplication): void {
    this.engine.application = app;
    if (app.queueEventHook !== undefined) this.engine.queueEventHook = app.queueEventHook;
  }

  /** Sets or clears the account queue event webhook. */
  setQueueEventHook(url: string | undefined): void {
    this.engine.queueEventHook = url;
  }

  /**
   * An inbound PSTN call to the application. Resolves once the initial call hook was handled:
   * the returned call is either running its app or already `failed` (rejected with 480).
   */
  placeCall(opts: PlaceCallOptions): Promise<SimCall> {
    return this.engine.placeInbound(opts);
  }

  /**
   * Registers a WebRTC/SIP user (`agent1` → `agent1@<sipRealm>`). With `requireClientCredentials`
   * the device stays unregistered unless `opts.password` matches an active client.
   */
  registerUser(name: string, opts?: SimDeviceOptions): SimDevice {
    return this.engine.registerUser(name, opts);
  }

  /** A mobile phone reachable with `{type:'phone', number}` targets. */
  phone(number: string, opts?: SimDeviceOptions): SimDevice {
    return this.engine.phone(number, opts);
  }

  /** The account's client credentials (`/v1/Clients`), passwords included (test inspection). */
  clients(): SimClient[] {
    return [...this.engine.clients.values()].map((c) => ({ ...c }));
  }

  /** The scripted handle of a live leg (e.g. a REST-created or dial B-leg) by call sid. */
  call(callSid: string): SimCall | undefined {
    return this.engine.legs.get(callSid)?.party;
  }

  /** Live calls. */
  calls(): SimCallSnapshot[] {
    return this.engine.snapshotCalls();
  }

  /** Queues with their members in dequeue order. */
  queues(): SimQueueSnapshot[] {
    return this.engine.queues.snapshot(this.clock.now());
  }

  /** Live conference rooms with member state. */
  conferences(): SimConferenceSnapshot[] {
    return this.engine.conferences.snapshot();
  }

  /**
   * Makes the next `times` `POST /Calls` answer `status` without placing a call: 480 (no
   * feature server free) or 500 (a feature-server error), as a real cluster may. A shorthand
   * for {@link failNext} on `POST /Calls`.
   */
  rejectNextCreateCalls(status: 480 | 500, times = 1): RestFault {
    return this.failNext({ method: 'POST', path: '/Calls' }, { status }, times);
  }

  /** Sets how long (simulated ms) after a leg's last status change its call record lives. */
  setCallRecordTtl(ms: number): void {
    this.engine.callRecordTtlMs = ms;
  }

  /** Switches out-of-order status hooks on (`final-first`) or off, for statuses from now on. */
  setStatusHookOrder(order: 'ordered' | 'final-first'): void {
    this.engine.statusHookOrder = order;
  }

  /** Every REST request the simulator received, in order (call control the app used). */
  restRequests(): SimRestRequest[] {
    return [...this.rest.requests];
  }

  /**
   * Fault injection: the next `times` REST requests matching `match` (path under
   * `/v1/Accounts/{sid}`) get `reply` — e.g. `{ status: 500 }` — and change nothing.
   */
  failNext(match: RestFaultMatch, reply: RestFaultReply, times = 1): RestFault {
    return this.rest.faults.add(match, reply, times);
  }

  /** Injected faults that have not fired yet. */
  pendingFaults(): string[] {
    return this.rest.faults.pending();
  }

  /** Drops injected faults that have not fired (so one test's leftovers never hit the next). */
  clearFaults(): void {
    this.rest.faults.clear();
  }

  /** Every audio fork opened so far. */
  forks(): ForkRecord[] {
    return this.engine.forks.map((f) => f.record);
  }

  /** Simulated milliseconds since start. */
  now(): number {
    return this.clock.now();
  }

  /** Waits until no webhook is in flight (status hooks, queue/conference events included). */
  async drainWebhooks(): Promise<void> {
    await this.webhooks.drain();
  }

  /** Ends every call (no further webhooks), closes sockets and the REST server, clears timers. */
  async stop(): Promise<void> {
    this.engine.stop();
    this.stopCtrl.abort();
    this.clock.stop();
    await this.rest.close();
    await this.webhooks.drain();
  }
}
