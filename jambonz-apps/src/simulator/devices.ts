import type { SimLeg } from './call-leg.js';
import type { SimCall } from './sim-call.js';
import { deferred, type Deferred } from './util.js';

/** Options of a simulated device. */
export interface SimDeviceOptions {
  /** Answer every ring automatically after this many simulated ms (demo mode). */
  autoAnswerAfterMs?: number;
  /**
   * Users only: honour an auto-answer request in the INVITE (`Call-Info: …;answer-after=N`), as
   * the Switchboard softphone does (IN-03). Default true; false models a softphone that ignores it.
   */
  honourAutoAnswer?: boolean;
  /** Users only: the SIP digest password the softphone registers with (see `requireClientCredentials`). */
  password?: string;
}

/** Seconds of `answer-after=N` in a `Call-Info` header (case-insensitive name), if any. */
export function answerAfterSeconds(headers: Record<string, string>): number | undefined {
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'call-info') continue;
    const m = /;\s*answer-after\s*=\s*(\d+)/i.exec(value);
    if (m) return Number(m[1]);
  }
  return undefined;
}

/** State of a ring on a device. */
export type RingState = 'ringing' | 'answered' | 'rejected' | 'cancelled';

/** An incoming call ringing on a {@link SimDevice}. */
export class SimIncoming {
  private ringState: RingState = 'ringing';
  private readonly decision: Deferred<'answer' | 'reject'> = deferred();
  private readonly cancelled: Deferred<void> = deferred();
  private ignored = false;
  private hurryRingTimeout: (() => void) | undefined;
  private rejectedWith: 486 | 603 = 486;

  /** @internal */
  constructor(
    private readonly leg: SimLeg,
    /** SIP headers of the INVITE (dial `headers`, REST create-call `headers`). */
    readonly headers: Record<string, string>,
  ) {}

  /** Sid of the ringing leg. */
  get callSid(): string {
    return this.leg.sid;
  }

  /** Calling number / caller id. */
  get from(): string {
    return this.leg.from;
  }

  /** Called user or number. */
  get to(): string {
    return this.leg.to;
  }

  /** customerData of the ringing leg (REST create-call `tag`, dial `tag`). */
  get customerData(): Record<string, unknown> | undefined {
    return this.leg.customerData;
  }

  get state(): RingState {
    return this.ringState;
  }

  /** Resolves when the ring is cancelled (caller gone, ring timeout, another device answered). */
  get whenCancelled(): Promise<void> {
    return this.cancelled.promise;
  }

  /** Answers; returns the handle of the answered call. Throws when it no longer rings. */
  answer(): SimCall {
    if (this.ringState !== 'ringing') throw new Error(`call ${this.callSid} is ${this.ringState}, cannot answer`);
    this.ringState = 'answered';
    this.decision.resolve('answer');
    return this.leg.party;
  }

  /** Rejects with 486 Busy Here, or 603 Decline (the callee refused the call). */
  reject(sipStatus: 486 | 603 = 486): void {
    if (this.ringState !== 'ringing') return;
    this.ringState = 'rejected';
    this.rejectedWith = sipStatus;
    this.decision.resolve('reject');
  }

  /** @internal the SIP status of a rejection (jambonz reports both as call status `busy`). */
  get rejectStatus(): 486 | 603 {
    return this.rejectedWith;
  }

  /**
   * Lets it ring until the caller gives up (ring timeout → no-answer). The ring timeout stands
   * for the caller's patience and runs no faster than real time while the device may still
   * answer; ignoring it lets it run out at the simulated speed (see `SimClock.patience`).
   */
  ignore(): void {
    this.ignored = true;
    this.hurryRingTimeout?.();
  }

  /** @internal the originator's ring timeout, hurried once the device ignores the ring. */
  setRingTimeout(hurry: () => void): void {
    this.hurryRingTimeout = hurry;
    if (this.ignored) hurry();
  }

  /** @internal what the device decided. */
  get decided(): Promise<'answer' | 'reject'> {
    return this.decision.promise;
  }

  /** @internal the originator stopped ringing. */
  cancel(): void {
    if (this.ringState !== 'ringing') return;
    this.ringState = 'cancelled';
    this.cancelled.resolve();
  }
}

/**
 * A simulated endpoint that can be rung: a registered WebRTC/SIP user (`type:'user'` targets)
 * or a mobile phone (`type:'phone'` targets).
 */
export class SimDevice {
  private registeredFlag = true;
  private readonly undelivered: SimIncoming[] = [];
  private readonly waiters: Array<{ resolve(r: SimIncoming): void; reject(e: Error): void; timer: NodeJS.Timeout }> =
    [];
  private readonly observers = new Set<(ring: SimIncoming) => void>();
  /** Every ring this device received, in order. */
  readonly rings: SimIncoming[] = [];

  /** @internal created by the simulator. */
  constructor(
    readonly kind: 'user' | 'phone',
    /** `user@realm` for users, the number for phones. */
    readonly address: string,
    private readonly options: SimDeviceOptions,
    private readonly scheduleAnswer: (ms: number, fn: () => void) => void,
  ) {}

  /** Whether the device can be reached (users: registered). */
  get registered(): boolean {
    return this.registeredFlag;
  }

  /** Unregisters: later calls to it fail (480). */
  unregister(): void {
    this.registeredFlag = false;
  }

  /** Registers again. */
  register(): void {
    this.registeredFlag = true;
  }

  /** Rings currently ringing on this device. */
  ringing(): SimIncoming[] {
    return this.rings.filter((r) => r.state === 'ringing');
  }

  /**
   * Resolves with the next ring not yet returned by `nextRing` (oldest first, still ringing).
   * Rejects after `timeoutMs` wall-clock ms (default 15 000: generous for a busy machine).
   */
  nextRing(opts: { timeoutMs?: number } = {}): Promise<SimIncoming> {
    while (this.undelivered.length > 0) {
      const next = this.undelivered.shift() as SimIncoming;
      if (next.state === 'ringing') return Promise.resolve(next);
    }
    const timeoutMs = opts.timeoutMs ?? 15_000;
    return new Promise<SimIncoming>((resolve, reject) => {
      const waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(new Error(`${this.kind} ${this.address}: no ring within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /**
   * Calls `listener` with every later ring, without taking it from `nextRing`: an observer (the
   * simulated softphone's event watcher) and a test answering through `nextRing` both see it.
   * Returns the function that stops listening.
   */
  onRing(listener: (ring: SimIncoming) => void): () => void {
    this.observers.add(listener);
    return () => this.observers.delete(listener);
  }

  /** @internal a leg rings this device. */
  deliver(leg: SimLeg, headers: Record<string, string>): SimIncoming {
    const incoming = new SimIncoming(leg, headers);
    this.rings.push(incoming);
    for (const observe of this.observers) observe(incoming);
    const waiter = this.waiters.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      waiter.resolve(incoming);
    } else {
      this.undelivered.push(incoming);
    }
    const answerAfter =
      this.kind === 'user' && this.options.honourAutoAnswer !== false ? answerAfterSeconds(headers) : undefined;
    if (answerAfter !== undefined) {
      // The softphone's own decision on the INVITE's auto-answer request (IN-03).
      this.scheduleAnswer(answerAfter * 1000, () => {
        if (incoming.state === 'ringing') incoming.answer();
      });
    } else if (this.options.autoAnswerAfterMs !== undefined) {
      this.scheduleAnswer(this.options.autoAnswerAfterMs, () => {
        if (incoming.state === 'ringing') incoming.answer();
      });
    }
    return incoming;
  }

  /** @internal simulator shutdown. */
  close(): void {
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(new Error(`${this.kind} ${this.address}: simulator stopped`));
    }
    for (const r of this.rings) r.cancel();
  }
}
