import type { CallStatus } from '../protocol/payloads.js';
import type { Hook, Synthesizer, Verb } from '../protocol/verbs.js';
import type { AudioFork, ForkRecord } from './audio-fork.js';
import type { Bridge } from './bridge.js';
import type { PatienceTimer } from './clock.js';
import type { ConferenceMember } from './conferences.js';
import type { Engine } from './engine.js';
import { sayDurationMs } from './media.js';
import type { QueueMember } from './queues.js';
import { SimCall, type PartyLink, type SimCallEnd } from './sim-call.js';
import { childController, newSid } from './util.js';
import { executeVerb } from './verb-exec.js';

/** Where a leg's webhooks go: base for relative hooks, and its call status hook. */
export interface LegApp {
  /** Absolute call hook URL; relative hooks resolve against its scheme + host. */
  callHookUrl: string | undefined;
  statusHook: Hook | undefined;
}

/** State of the dial verb a leg is running, for REST actions aimed at it. */
export interface DialState {
  child?: SimLeg;
  fork?: AudioFork;
  /** Set by REST `child_call_hook`: the child gets its own app instead of being hung up. */
  adultChild?: boolean;
}

/** The verb a leg is executing. */
export interface TaskState {
  verb: Verb;
  ctrl: AbortController;
  fork?: AudioFork;
  dial?: DialState;
}

/** Constructor options of a {@link SimLeg}. */
export interface LegInit {
  direction: 'inbound' | 'outbound';
  from: string;
  to: string;
  app: LegApp;
  parentCallSid?: string;
  callerName?: string;
  customerData?: Record<string, unknown>;
  sipHeaders?: Record<string, string>;
  originatingSipIp?: string;
  originatingSipTrunkName?: string;
}

const FINAL_STATUSES = new Set<string>(['completed', 'failed', 'busy', 'no-answer']);

/**
 * One call leg as the feature server sees it: call info, status notifications, the verb stack
 * (a CallSession) and its media state. The far end is a scripted {@link SimCall}.
 */
export class SimLeg implements PartyLink {
  readonly sid = newSid();
  readonly callId = `${newSid()}`;
  readonly sbcCallid = `${newSid().replace(/-/g, '')}@0.0.0.0`;
  readonly traceId = newSid().replace(/-/g, '');
  readonly direction: 'inbound' | 'outbound';
  readonly from: string;
  readonly to: string;
  readonly parentCallSid: string | undefined;
  readonly callerName: string;
  readonly sipHeaders: Record<string, string>;
  readonly party: SimCall;
  app: LegApp;
  customerData: Record<string, unknown> | undefined;
  status: CallStatus = 'trying';
  /**
   * Simulated ms of the leg's last status change: jambonz's call record (what `GET /Calls/{sid}`
   * reads) expires a while after it, even while the call lives.
   */
  statusChangedAtSim: number;
  sipStatus = 100;
  sipReason = 'Trying';
  answeredAtSim: number | undefined;
  terminationBy: 'caller' | 'jambonz' | undefined;
  /** True once the call is released (hung up, cancelled, rejected). */
  gone = false;
  muted = false;
  bridge: Bridge | undefined;
  conferenceMember: ConferenceMember | undefined;
  queueMember: QueueMember | undefined;
  current: TaskState | undefined;
  backgroundFork: AudioFork | undefined;
  /** Aborted when the call is released; every task's signal derives from it. */
  readonly sessionCtrl = new AbortController();
  /** Aborted to cancel an outbound leg that is still ringing. */
  readonly ringCtrl = new AbortController();
  /** True while an outbound leg rings (REST `call_status:no-answer` may cancel it). */
  ringing = false;
  hasSession = false;
  /** What the party said ({@link SimCall.speak}), in simulated time. */
  readonly speech: Array<{ fromSim: number; toSim: number; text: string }> = [];
  /** The party's speech is scripted (it keeps quiet until it speaks): see `SimCall.keepQuiet`. */
  private quietUnlessScripted = false;
  private readonly forks: AudioFork[] = [];
  private readonly originatingSipIp: string | undefined;
  private readonly originatingSipTrunkName: string | undefined;
  private pendingApp: Verb[] | undefined;
  /** Statuses held back while `statusHookOrder` is `final-first`. */
  private readonly heldStatuses: Array<Record<string, unknown>> = [];
  private dtmfHandler: ((digit: string) => void) | undefined;
  private speechHandler: ((text: string) => void) | undefined;
  private finalized = false;
  /** Patience timers of the running verb (gather timeouts), hurried by `partyWaitsOut`. */
  private readonly patienceTimers = new Set<PatienceTimer>();
  private waitsOut = false;

  constructor(
    readonly engine: Engine,
    init: LegInit,
  ) {
    this.statusChangedAtSim = engine.clock.now();
    this.direction = init.direction;
    this.from = init.from;
    this.to = init.to;
    this.app = init.app;
    this.parentCallSid = init.parentCallSid;
    this.callerName = init.callerName ?? '';
    this.customerData = init.customerData;
    this.sipHeaders = init.sipHeaders ?? {};
    this.originatingSipIp = init.originatingSipIp;
    this.originatingSipTrunkName = init.originatingSipTrunkName;
    this.party = new SimCall(this);
  }

  get answered(): boolean {
    return this.answeredAtSim !== undefined;
  }

  get conferenceName(): string | undefined {
    return this.conferenceMember?.room.name;
  }

  get queueName(): string | undefined {
    return this.queueMember?.queue;
  }

  /** `callInfo.toJSON()` of FS (camelCase; webhooks snake-case it, audio forks do not). */
  callInfo(): Record<string, unknown> {
    const info: Record<string, unknown> = {
      callSid: this.sid,
      direction: this.direction,
      from: this.from,
      to: this.to,
      callId: this.callId,
      sbcCallid: this.sbcCallid,
      sipStatus: this.sipStatus,
      sipReason: this.sipReason,
      callStatus: this.status,
      accountSid: this.engine.accountSid,
      traceId: this.traceId,
      applicationSid: this.engine.applicationSid,
      fsSipAddress: this.engine.fsSipAddress,
    };
    if (this.parentCallSid) {
      info.parentCallSid = this.parentCallSid;
      info.callerId = this.from;
    }
    if (this.originatingSipIp) info.originatingSipIp = this.originatingSipIp;
    if (this.originatingSipTrunkName) info.originatingSipTrunkName = this.originatingSipTrunkName;
    if (this.status === 'completed' && this.answeredAtSim !== undefined) {
      info.duration = this.durationSec();
      if (this.terminationBy) info.callTerminationBy = this.terminationBy;
    }
    if (this.customerData) info.customerData = this.customerData;
    return info;
  }

  /** Seconds from answer until now (or the hang-up), simulated time. */
  durationSec(): number {
    if (this.answeredAtSim === undefined) return 0;
    return Math.floor((this.engine.clock.now() - this.answeredAtSim) / 1000);
  }

  /** Context for webhooks of this leg. */
  hookCtx(signal?: AbortSignal): { callSid: string; baseUrl?: string; signal?: AbortSignal } {
    return {
      callSid: this.sid,
      ...(this.app.callHookUrl ? { baseUrl: this.app.callHookUrl } : {}),
      ...(signal ? { signal } : {}),
    };
  }

  /** Updates the status and posts the call status hook (in order per leg; responses ignored). */
  setStatus(status: CallStatus, sipStatus: number, sipReason: string): void {
    this.status = status;
    this.statusChangedAtSim = this.engine.clock.now();
    this.sipStatus = sipStatus;
    this.sipReason = sipReason;
    this.party.onStatus(status);
    this.notifyStatus();
  }

  /** Reports the initial `trying` (session created / outbound call started). */
  reportTrying(): void {
    this.party.onStatus(this.status);
    this.notifyStatus();
  }

  /** Posts the current status to the leg's status hook. */
  private notifyStatus(): void {
    const hook = this.app.statusHook;
    if (!hook || this.engine.stopping) return;
    const payload = this.callInfo();
    const ctx = this.hookCtx();
    if (this.engine.statusHookOrder === 'final-first') {
      // FS posts each status without waiting for the previous one, so they may overtake each
      // other: here the earlier ones are held back and sent after the final one.
      if (!FINAL_STATUSES.has(this.status)) {
        this.heldStatuses.push(payload);
        return;
      }
      void this.engine.webhooks.send('status', hook, payload, ctx);
      for (const held of this.heldStatuses.splice(0).reverse())
        void this.engine.webhooks.send('status', hook, held, ctx);
      return;
    }
    void this.engine.webhooks.sendOrdered(`status:${this.sid}`, 'status', hook, payload, ctx);
  }

  /** Answers the call (200 OK) if it is not answered yet. */
  answer(): void {
    if (this.answeredAtSim !== undefined || this.gone) return;
    this.answeredAtSim = this.engine.clock.now();
    this.setStatus('in-progress', 200, 'OK');
  }

  /** Runs a verb array as this leg's application until it runs out or the call ends. */
  async runSession(verbs: Verb[]): Promise<void> {
    this.hasSession = true;
    let stack = [...verbs];
    while (!this.gone && !this.engine.stopping) {
      if (this.pendingApp) {
        stack = this.pendingApp;
        this.pendingApp = undefined;
      }
      const verb = stack.shift();
      if (!verb) break;
      const ctrl = childController(this.sessionCtrl.signal);
      this.current = { verb, ctrl };
      let next: Verb[] | undefined;
      try {
        next = await executeVerb(this.engine, this, verb, ctrl.signal);
      } catch (err) {
        this.engine.alert(this.sid, `simulator error executing ${verb.verb}: ${(err as Error).stack ?? String(err)}`);
      }
      this.current = undefined;
      if (this.pendingApp) {
        stack = this.pendingApp;
        this.pendingApp = undefined;
      } else if (next && next.length > 0) {
        stack = next;
      }
    }
    this.hasSession = false;
    this.onTasksDone();
  }

  /** Replaces the application (REST call_hook redirect): the current verb is killed. */
  replaceApplication(verbs: Verb[]): void {
    this.pendingApp = verbs;
    this.current?.ctrl.abort();
  }

  /** Kills the current verb without a new application (the session continues with the stack). */
  killCurrentTask(): void {
    this.current?.ctrl.abort();
  }

  /** The app ended: hang up an answered call; an unanswered inbound call gets a 603. */
  private onTasksDone(): void {
    if (this.gone) return;
    if (this.answered) {
      this.release('jambonz');
    } else if (this.direction === 'inbound') {
      // FS InboundCallSession._onTasksDone answers the INVITE with 603 and sends no status hook.
      this.gone = true;
      this.status = 'failed';
      this.statusChangedAtSim = this.engine.clock.now();
      this.sipStatus = 603;
      this.sipReason = 'Decline';
      this.sessionCtrl.abort();
      this.finalize({ status: 'failed', sipStatus: 603 });
    } else {
      this.release('jambonz');
    }
  }

  /** Rejects an unanswered inbound call with a final SIP status (sip:decline). */
  decline(sipStatus: number, reason: string): void {
    if (this.gone) return;
    this.gone = true;
    this.setStatus('failed', sipStatus, reason);
    this.sessionCtrl.abort();
    this.finalize({ status: 'failed', sipStatus });
  }

  /**
   * Releases the call. Answered: `completed` with duration and call_termination_by.
   * Unanswered inbound cancelled by the caller: `no-answer` (487).
   */
  release(by: 'caller' | 'jambonz'): void {
    if (this.gone) return;
    this.gone = true;
    this.terminationBy = by;
    if (this.answered) {
      this.setStatus('completed', this.sipStatus, this.sipReason);
      this.finalize({ status: 'completed', sipStatus: this.sipStatus, by, durationSec: this.durationSec() });
    } else if (this.ringing) {
      // Outbound leg still ringing: the ring logic reports no-answer and finalizes.
      this.ringCtrl.abort();
    } else {
      this.setStatus('no-answer', 487, 'Request Terminated');
      this.finalize({ status: 'no-answer', sipStatus: 487, by });
    }
    this.sessionCtrl.abort();
    this.bridge?.end(this);
    for (const fork of this.forks) void fork.stop();
  }

  /** Marks the leg final: resolves the party's `ended` and drops it from the live call list. */
  finalize(end: SimCallEnd): void {
    if (this.finalized) return;
    this.finalized = true;
    this.gone = true;
    this.party.onEnded(end);
    this.engine.legGone(this);
  }

  /** Plays something to the far end (recorded in `heard`; TTS with the voice it was spoken in). */
  hear(text: string, synthesizer?: Synthesizer): void {
    if (!this.gone) this.party.onHeard(text, synthesizer);
  }

  /** A say/play prompt (already reported with {@link hear}) starts playing for its length. */
  promptStarted(text: string): void {
    if (!this.gone) this.party.onPromptStarted(text);
  }

  /** The prompt playing stopped: at its end, or `cut` short (barge-in, redirect). */
  promptEnded(text: string, cut: boolean): void {
    if (!this.gone) this.party.onPromptEnded(text, cut);
  }

  /** Registers an audio fork of this leg (stopped when the call ends). */
  addFork(fork: AudioFork): void {
    this.forks.push(fork);
  }

  forkRecords(): ForkRecord[] {
    return this.forks.map((f) => f.record);
  }

  /** Current forks that pass DTMF, for `passDtmf`. */
  liveForks(): AudioFork[] {
    return this.forks;
  }

  /** Installs the DTMF consumer of the running verb (none: keys pressed now are lost). */
  setDtmfHandler(handler: ((digit: string) => void) | undefined): void {
    this.dtmfHandler = handler;
  }

  /** Installs the speech consumer of the running verb (a speech gather). */
  setSpeechHandler(handler: ((text: string) => void) | undefined): void {
    this.speechHandler = handler;
  }

  partyPressed(digit: string): void {
    if (this.gone) return;
    // A dial mute_status makes rtpengine block DTMF from the muted party as well (research §2.4).
    if (this.muted) return;
    for (const fork of this.forks) fork.sendDtmf(digit);
    // FS hands DTMF only to the task listening for it (gather, listen with finishOnKey): a key
    // pressed while a plain say/play runs, or between verbs, is lost (research §2.3, IVR-04).
    this.dtmfHandler?.(digit);
  }

  partySpoke(text: string): void {
    if (this.gone || this.muted) return;
    // Scripted speech lasts as long as the same text said by TTS; utterances follow each other.
    const from = Math.max(this.engine.clock.now(), this.speech[this.speech.length - 1]?.toSim ?? 0);
    this.speech.push({ fromSim: from, toSim: from + sayDurationMs(text), text });
    // In a room the others hear it (subject to mute, hold and coach).
    if (this.conferenceMember) this.engine.conferences.speak(this.conferenceMember, text);
    this.speechHandler?.(text);
  }

  /**
   * Whether the party is talking at simulated time `sim` (audio forks render its voice then);
   * undefined when the party never spoke, so forks fall back to their synthetic talk pattern.
   */
  speakingAt(sim: number): boolean | undefined {
    if (this.speech.length === 0) return this.quietUnlessScripted ? false : undefined;
    return this.speech.some((u) => sim >= u.fromSim && sim < u.toSim);
  }

  /**
   * Arms a timer that stands for the party's patience (see `SimClock.patience`); hurried at
   * once when the party already said it waits out. Returns a cancel function.
   */
  patience(simMs: number, fn: () => void): () => void {
    const timer = this.engine.clock.patience(simMs, () => {
      this.patienceTimers.delete(timer);
      fn();
    });
    this.patienceTimers.add(timer);
    if (this.waitsOut) {
      this.waitsOut = false;
      timer.hurry();
    }
    return () => {
      timer.cancel();
      this.patienceTimers.delete(timer);
    };
  }

  partyKeepsQuiet(): void {
    this.quietUnlessScripted = true;
  }

  partyWaitsOut(): void {
    if (this.gone) return;
    if (this.patienceTimers.size === 0) {
      this.waitsOut = true;
      return;
    }
    for (const t of this.patienceTimers) t.hurry();
  }

  partyHungUp(): void {
    this.release('caller');
  }
}
