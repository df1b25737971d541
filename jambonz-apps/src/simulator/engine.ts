import type { DialTarget, DialVerb, Hook, ListenOptionsBase } from '../protocol/verbs.js';
import { AudioFork, type ForkRecord } from './audio-fork.js';
import { SimLeg, type LegApp } from './call-leg.js';
import type { SimClock } from './clock.js';
import { ConferenceManager } from './conferences.js';
import { SimDevice, type SimDeviceOptions } from './devices.js';
import { QueueManager } from './queues.js';
import type { SimCall } from './sim-call.js';
import { resolveHook, type WebhookSender } from './webhooks.js';

/** Something the real jambonz would have complained about (alert, error log, rejected request). */
export interface SimAlert {
  callSid?: string;
  message: string;
}

/** Minimal logger (a pino Logger fits). */
export interface SimLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** The application the simulator runs for inbound calls. */
export interface SimApplication {
  /** Absolute URL of the call hook. */
  callHook: string;
  /** Absolute URL of the call status hook. */
  statusHook: string;
  /** Absolute URL of the account queue event hook (same as `setQueueEventHook`). */
  queueEventHook?: string;
}

/** A SIP/WebRTC client credential as the API stores it (`/v1/Clients`). */
export interface SimClient {
  client_sid: string;
  account_sid: string;
  username: string;
  password: string;
  is_active: boolean;
  allow_direct_app_calling: boolean;
  allow_direct_queue_calling: boolean;
  allow_direct_user_calling: boolean;
}

/** Result of ringing a target. */
export type RingOutcome = 'answered' | 'busy' | 'no-answer' | 'failed';

/** Fixed settings of an {@link Engine}. */
export interface EngineSettings {
  accountSid: string;
  applicationSid: string;
  sipRealm: string;
  fsSipAddress: string;
  playDurationMs: (url: string) => number;
  logger?: SimLogger;
  /** Wall ms an audio fork's WebSocket handshake may take (default 5000). */
  forkHandshakeTimeoutMs?: number;
}

/** A live leg as `sim.calls()` shows it. */
export interface SimCallSnapshot {
  callSid: string;
  direction: 'inbound' | 'outbound';
  from: string;
  to: string;
  status: string;
  parentCallSid?: string;
  customerData?: Record<string, unknown>;
  currentVerb?: string;
  conference?: string;
  queue?: string;
  bridgedTo?: string;
  muted: boolean;
}

/**
 * The simulated feature server: legs, queues, conferences, devices and the webhook sender.
 * {@link JambonzSimulator} is its public face and adds the REST API.
 */
export class Engine {
  readonly legs = new Map<string, SimLeg>();
  readonly queues = new QueueManager();
  readonly conferences: ConferenceManager;
  readonly alerts: SimAlert[] = [];
  readonly users = new Map<string, SimDevice>();
  readonly phones = new Map<string, SimDevice>();
  readonly forks: AudioFork[] = [];
  /** `/v1/Clients`: SIP/WebRTC credentials of the account, by client sid. */
  readonly clients = new Map<string, SimClient>();
  /**
   * When true, a user registers only with the password of an active client (`/v1/Clients`), as
   * the SBC's digest auth does; otherwise any user may register (tests that do not care).
   */
  requireClientCredentials = false;
  application: SimApplication | undefined;
  queueEventHook: Hook | undefined;
  stopping = false;
  /**
   * Simulated ms after a leg's last status change at which its call record expires, as the
   * Redis record behind `GET /Calls/{sid}` does (about an hour; conference members are not
   * refreshed): a live call then answers 404, an ended one stops answering 422.
   */
  callRecordTtlMs = 3_600_000;
  /** `final-first`: a leg's earlier statuses reach the status hook after its final one. */
  statusHookOrder: 'ordered' | 'final-first' = 'ordered';
  /** Ended legs whose call record has not expired yet (PUT answers 422, GET the final status). */
  private readonly endedRecords = new Map<string, SimLeg>();
  private readonly warned = new Set<string>();

  constructor(
    readonly clock: SimClock,
    readonly webhooks: WebhookSender,
    private readonly settings: EngineSettings,
  ) {
    this.conferences = new ConferenceManager(this);
  }

  get accountSid(): string {
    return this.settings.accountSid;
  }

  get applicationSid(): string {
    return this.settings.applicationSid;
  }

  get fsSipAddress(): string {
    return this.settings.fsSipAddress;
  }

  get sipRealm(): string {
    return this.settings.sipRealm;
  }

  /** Simulated length of a `play` URL. */
  playDurationMs(url: string): number {
    return this.settings.playDurationMs(url);
  }

  /** Records an alert (tests assert `sim.alerts` is empty). */
  alert(callSid: string | undefined, message: string): void {
    this.alerts.push({ ...(callSid ? { callSid } : {}), message });
    this.settings.logger?.warn({ callSid }, `jambonz simulator alert: ${message}`);
  }

  /**
   * Runs background work of a call. A bug in the simulator must surface as an alert, never as an
   * unhandled rejection (which would crash the demo server).
   */
  spawn(work: Promise<unknown>, callSid?: string): void {
    work.catch((err: unknown) => this.alert(callSid, `simulator error: ${(err as Error).stack ?? String(err)}`));
  }

  /** Logs (once per call and option) a verb option the simulator accepts but does not simulate. */
  unsupported(callSid: string, what: string): void {
    const key = `${callSid}:${what}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.settings.logger?.warn({ callSid }, `jambonz simulator does not simulate ${what}; ignored`);
  }

  debug(msg: string, data: Record<string, unknown> = {}): void {
    this.settings.logger?.debug(data, msg);
  }

  /** @internal a leg reached its final state. */
  legGone(leg: SimLeg): void {
    this.legs.delete(leg.sid);
    for (const [sid, old] of this.endedRecords) if (this.recordExpired(old)) this.endedRecords.delete(sid);
    this.endedRecords.set(leg.sid, leg);
  }

  /**
   * The call record jambonz's API reads for `sid`: a live or ended leg whose last status change
   * is younger than {@link callRecordTtlMs}; undefined once it expired (or never existed).
   */
  callRecord(sid: string): SimLeg | undefined {
    const leg = this.legs.get(sid) ?? this.endedRecords.get(sid);
    return leg && !this.recordExpired(leg) ? leg : undefined;
  }

  private recordExpired(leg: SimLeg): boolean {
    return this.clock.now() - leg.statusChangedAtSim >= this.callRecordTtlMs;
  }

  /** Registers a WebRTC/SIP user; `name` without `@` gets the account realm. */
  registerUser(name: string, opts: SimDeviceOptions = {}): SimDevice {
    const aor = this.userAor(name);
    const existing = this.users.get(aor);
    const device = existing ?? new SimDevice('user', aor, opts, (ms, fn) => this.clock.after(ms, fn));
    if (!existing) this.users.set(aor, device);
    // Digest auth against the account's clients: a wrong or unknown password is a 401 to the
    // REGISTER, so the device stays unreachable.
    if (this.requireClientCredentials && !this.clientAccepts(aor, opts.password)) device.unregister();
    else device.register();
    return device;
  }

  /** Whether an active client of this realm has the user name of `aor` and this password. */
  clientAccepts(aor: string, password: string | undefined): boolean {
    const [user, realm] = aor.split('@');
    if (realm !== this.sipRealm.toLowerCase() || password === undefined) return false;
    return [...this.clients.values()].some(
      (c) => c.is_active && c.username.toLowerCase() === user && c.password === password,
    );
  }

  /**
   * Credentials changed or went away: registrations made with the old ones fail at their next
   * re-REGISTER (browsers behind NAT refresh every 30 s); the simulator drops them at once.
   */
  clientChanged(username: string): void {
    const aor = this.userAor(username);
    const device = this.users.get(aor);
    if (device?.registered && this.requireClientCredentials) device.unregister();
  }

  /** A mobile phone reachable with `type:'phone'` targets. */
  phone(number: string, opts: SimDeviceOptions = {}): SimDevice {
    const key = normalizeNumber(number);
    const existing = this.phones.get(key);
    if (existing) return existing;
    const device = new SimDevice('phone', number, opts, (ms, fn) => this.clock.after(ms, fn));
    this.phones.set(key, device);
    return device;
  }

  /** `user@realm` for a user name (FS appends the account sip_realm when there is no `@`). */
  userAor(name: string): string {
    const bare = name.replace(/^sips?:/i, '').split(';')[0] as string;
    return (bare.includes('@') ? bare : `${bare}@${this.sipRealm}`).toLowerCase();
  }

  private findDevice(target: DialTarget): SimDevice | undefined {
    switch (target.type) {
      case 'user':
        return target.name ? this.users.get(this.userAor(target.name)) : undefined;
      case 'phone':
      case 'teams':
        return target.number ? this.phones.get(normalizeNumber(target.number)) : undefined;
      case 'sip':
        return target.sipUri ? this.users.get(this.userAor(target.sipUri)) : undefined;
      default:
        return undefined;
    }
  }

  /** `to` of a leg towards `target`, as jambonz reports it. */
  private targetLabel(target: DialTarget): string {
    if (target.type === 'user') return target.name ? this.userAor(target.name) : '';
    if (target.type === 'sip') return target.sipUri ?? '';
    return target.number ?? '';
  }

  /** Posts an account queue event (join/leave) with the caller's call info. */
  queueEvent(leg: SimLeg, fields: Record<string, unknown>): void {
    const hook = this.queueEventHook;
    if (!hook || this.stopping) return;
    const payload = { ...leg.callInfo(), ...fields };
    void this.webhooks.sendOrdered('queue_event', 'queue_event', hook, payload, { callSid: leg.sid });
  }

  /** Starts an audio fork of `leg`; undefined when the URL cannot be used. */
  startFork(
    leg: SimLeg,
    opts: Partial<ListenOptionsBase> & { url: string },
    source: ForkRecord['source'],
    _signal: AbortSignal,
  ): AudioFork | undefined {
    let url = opts.url;
    if (url.startsWith('/')) {
      const resolved = leg.app.callHookUrl ? resolveHook(url, leg.app.callHookUrl) : undefined;
      if (!resolved) {
        this.alert(leg.sid, `listen: cannot resolve relative url ${url}`);
        return undefined;
      }
      url = resolved.url;
    }
    url = url.replace(/^http(s?):\/\//i, 'ws$1://');
    if (!/^wss?:\/\//i.test(url)) {
      this.alert(leg.sid, `listen: url must be ws(s):// (got ${opts.url})`);
      return undefined;
    }
    const sampleRate = opts.sampleRate ?? 8000;
    const mixType = opts.mixType ?? 'mono';
    const metadata = { sampleRate, mixType, ...leg.callInfo(), ...(opts.metadata ?? {}) };
    const fork = new AudioFork(
      {
        url,
        sampleRate,
        mixType,
        ...(opts.wsAuth ? { wsAuth: opts.wsAuth } : {}),
        ...(opts.passDtmf ? { passDtmf: true } : {}),
        ...(this.settings.forkHandshakeTimeoutMs ? { handshakeTimeoutMs: this.settings.forkHandshakeTimeoutMs } : {}),
      },
      leg.sid,
      source,
      metadata,
      this.clock,
      (message) => this.alert(leg.sid, message),
      (sim) => leg.speakingAt(sim),
    );
    leg.addFork(fork);
    this.forks.push(fork);
    return fork;
  }

  /** Creates the B-leg of a dial (status hooks go to the parent's application). */
  createChildLeg(parent: SimLeg, target: DialTarget, verb: DialVerb): SimLeg {
    const leg = new SimLeg(this, {
      direction: 'outbound',
      from: verb.callerId ?? parent.from,
      to: this.targetLabel(target),
      app: parent.app,
      parentCallSid: parent.sid,
      ...(verb.tag ? { customerData: verb.tag } : {}),
    });
    this.legs.set(leg.sid, leg);
    return leg;
  }

  /**
   * Rings `target` for `leg` (an outbound leg): trying → ringing → in-progress, or busy (486,
   * device rejected), no-answer (487, ring timeout or cancelled), failed (480, unregistered / unknown).
   */
  async ring(
    leg: SimLeg,
    target: DialTarget,
    ringSecs: number,
    signal: AbortSignal,
    headers: Record<string, string> = {},
  ): Promise<RingOutcome> {
    leg.ringing = true;
    leg.reportTrying();
    const device = this.findDevice(target);
    if (!device || !device.registered) {
      leg.ringing = false;
      leg.gone = true;
      leg.setStatus('failed', 480, 'Temporarily Unavailable');
      leg.finalize({ status: 'failed', sipStatus: 480 });
      return 'failed';
    }
    leg.setStatus('ringing', 180, 'Ringing');
    const incoming = device.deliver(leg, headers);
    const cancel = AbortSignal.any([signal, leg.ringCtrl.signal]);
    const timer = new AbortController();
    // The ring timeout is the caller's patience: real time unless the device ignores the ring.
    const ringOut = this.clock.patienceSleep(ringSecs * 1000, AbortSignal.any([cancel, timer.signal]));
    incoming.setRingTimeout(ringOut.hurry);
    const result = await Promise.race([incoming.decided, ringOut.done.then(() => 'timeout' as const)]);
    timer.abort();
    leg.ringing = false;
    if (result === 'answer' && !cancel.aborted && !this.stopping) {
      leg.answer();
      return 'answered';
    }
    incoming.cancel();
    leg.gone = true;
    if (result === 'reject') {
      const sip = incoming.rejectStatus;
      leg.setStatus('busy', sip, sip === 603 ? 'Decline' : 'Busy Here');
      leg.finalize({ status: 'busy', sipStatus: sip });
      return 'busy';
    }
    leg.setStatus('no-answer', 487, 'Request Terminated');
    leg.finalize({ status: 'no-answer', sipStatus: 487 });
    return 'no-answer';
  }

  /** An inbound PSTN call to the application: call hook, then the session runs. */
  async placeInbound(opts: {
    from: string;
    to: string;
    headers?: Record<string, string>;
    callerName?: string;
  }): Promise<SimCall> {
    const app = this.application;
    if (!app) throw new Error('no application configured: call setApplication() first');
    const leg = new SimLeg(this, {
      direction: 'inbound',
      from: opts.from,
      to: opts.to,
      app: { callHookUrl: app.callHook, statusHook: app.statusHook },
      ...(opts.callerName !== undefined ? { callerName: opts.callerName } : {}),
      sipHeaders: opts.headers ?? {},
      originatingSipIp: '54.172.60.3',
      originatingSipTrunkName: 'SimCarrier',
    });
    this.legs.set(leg.sid, leg);
    const res = await this.webhooks.send('call_hook', app.callHook, this.initialPayload(leg), leg.hookCtx());
    if (leg.gone) return leg.party;
    if (!res.ok || res.verbs.length === 0) {
      if (res.ok) this.alert(leg.sid, 'call_hook: initial call hook returned no verbs');
      // FS middleware rejects the INVITE with 480 and writes an alert; no session, no status hook.
      leg.gone = true;
      leg.status = 'failed';
      leg.sipStatus = 480;
      leg.sipReason = 'Temporarily Unavailable';
      leg.finalize({ status: 'failed', sipStatus: 480 });
      return leg.party;
    }
    leg.reportTrying(); // InboundCallSession constructor
    this.spawn(leg.runSession(res.verbs), leg.sid);
    return leg.party;
  }

  /** Body of the initial call hook (FS middleware): sip message + call info + defaults. */
  private initialPayload(leg: SimLeg): Record<string, unknown> {
    const info = leg.callInfo();
    delete info.fsSipAddress;
    const host = this.fsSipAddress;
    const sipHeaders: Record<string, string> = {
      via: `SIP/2.0/UDP 10.0.0.1;rport=5060;branch=z9hG4bK${leg.sid.slice(0, 8)}`,
      from: `<sip:${leg.from}@10.0.0.1:5060>;tag=${leg.sid.slice(0, 10)}`,
      to: `<sip:${leg.to}@10.0.0.1>`,
      'call-id': leg.callId,
      contact: `<sip:${leg.from}@10.0.0.1:5060>`,
      'X-Account-Sid': this.accountSid,
      'X-Application-Sid': this.applicationSid,
      'X-CID': leg.sbcCallid,
      'X-Forwarded-For': '54.172.60.3',
      'X-Originating-Carrier': 'SimCarrier',
      ...leg.sipHeaders,
    };
    const sdp = 'v=0\r\no=- 0 0 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n';
    const raw = `INVITE sip:${leg.to}@${host} SIP/2.0\r\n${Object.entries(sipHeaders)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n')}\r\n\r\n${sdp}`;
    return {
      sip: {
        headers: sipHeaders,
        raw,
        body: sdp,
        method: 'INVITE',
        version: '2.0',
        uri: `sip:${leg.to}@${host}`,
        payload: [{ type: 'application/sdp', content: sdp }],
      },
      ...info,
      callerName: leg.callerName,
      hasRecording: false,
      localSipAddress: host,
      serviceProviderSid: '2708b1b3-2736-40ea-b502-c53d8396247f',
      defaults: {
        synthesizer: { vendor: 'google', language: 'en-US', voice: 'en-US-Standard-C' },
        recognizer: { vendor: 'google', language: 'en-US' },
      },
    };
  }

  /** REST create call (validated by the caller): rings, then requests call_hook after answer. */
  createOutboundCall(req: {
    from: string;
    to: DialTarget;
    callHook: Hook;
    statusHook: Hook | undefined;
    timeout: number;
    tag: Record<string, unknown> | undefined;
    headers: Record<string, string>;
  }): SimLeg {
    const callHookUrl = typeof req.callHook === 'string' ? req.callHook : req.callHook.url;
    const app: LegApp = { callHookUrl, statusHook: req.statusHook };
    const leg = new SimLeg(this, {
      direction: 'outbound',
      from: req.from,
      to: this.targetLabel(req.to),
      app,
      ...(req.tag ? { customerData: req.tag } : {}),
    });
    this.legs.set(leg.sid, leg);
    this.spawn(
      (async () => {
        const outcome = await this.ring(leg, req.to, req.timeout, leg.sessionCtrl.signal, req.headers);
        if (outcome !== 'answered' || leg.gone) return;
        const res = await this.webhooks.send('call_hook', req.callHook, leg.callInfo(), leg.hookCtx());
        if (leg.gone) return;
        if (!res.ok || res.verbs.length === 0) {
          if (res.ok) this.alert(leg.sid, 'call_hook: returned no verbs for an outbound call');
          leg.release('jambonz');
          return;
        }
        await leg.runSession(res.verbs);
      })(),
      leg.sid,
    );
    return leg;
  }

  /**
   * REST redirect (`call_hook`, optionally with `child_call_hook`): the new app replaces the
   * session's app; with a child hook the bridged B-leg gets its own app instead of being hung up.
   */
  async redirect(owner: SimLeg, callHook: Hook, childHook: Hook | undefined): Promise<void> {
    const dial = owner.current?.dial;
    const child = dial?.child;
    if (childHook && dial && child && !child.gone) {
      dial.adultChild = true;
      this.spawn(
        (async () => {
          const res = await this.webhooks.send('child_call_hook', childHook, child.callInfo(), child.hookCtx());
          if (child.gone) return;
          if (!res.ok || res.verbs.length === 0) {
            child.release('jambonz');
            return;
          }
          await child.runSession(res.verbs);
        })(),
        child.sid,
      );
    }
    const res = await this.webhooks.send('redirect', callHook, owner.callInfo(), owner.hookCtx());
    if (owner.gone) return;
    // An empty (but valid) answer replaces the application with nothing: the call ends.
    if (res.ok) owner.replaceApplication(res.verbs);
    else if (childHook) owner.killCurrentTask();
  }

  /** Snapshot of live legs. */
  snapshotCalls(): SimCallSnapshot[] {
    return [...this.legs.values()].map((leg) => ({
      callSid: leg.sid,
      direction: leg.direction,
      from: leg.from,
      to: leg.to,
      status: leg.status,
      ...(leg.parentCallSid ? { parentCallSid: leg.parentCallSid } : {}),
      ...(leg.customerData ? { customerData: leg.customerData } : {}),
      ...(leg.current ? { currentVerb: leg.current.verb.verb } : {}),
      ...(leg.conferenceName ? { conference: leg.conferenceName } : {}),
      ...(leg.queueName ? { queue: leg.queueName } : {}),
      ...(leg.bridge ? { bridgedTo: leg.bridge.other(leg).sid } : {}),
      muted: leg.muted,
    }));
  }

  /** Ends everything without further webhooks. */
  stop(): void {
    this.stopping = true;
    for (const leg of [...this.legs.values()]) {
      leg.gone = true;
      leg.sessionCtrl.abort();
      leg.ringCtrl.abort();
      leg.finalize({
        status: leg.answered ? 'completed' : 'no-answer',
        sipStatus: leg.answered ? leg.sipStatus : 487,
        by: 'jambonz',
      });
    }
    for (const fork of this.forks) fork.abort();
    for (const d of [...this.users.values(), ...this.phones.values()]) d.close();
    this.queues.clear();
    this.conferences.clear();
  }
}

function normalizeNumber(n: string): string {
  return n.replace(/^\+/, '').replace(/[\s-]/g, '');
}
