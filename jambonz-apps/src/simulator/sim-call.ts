import type { CallStatus } from '../protocol/payloads.js';
import type { Synthesizer } from '../protocol/verbs.js';
import type { ForkRecord } from './audio-fork.js';
import { deferred, type Deferred } from './util.js';

/** How a simulated call ended. */
export interface SimCallEnd {
  /** Final status: completed, failed, busy or no-answer. */
  status: CallStatus;
  sipStatus: number;
  /** Who hung up an answered call (or cancelled an unanswered one). */
  by?: 'caller' | 'jambonz';
  /** Seconds from answer to hang-up in simulated time (completed calls). */
  durationSec?: number;
}

/** Options of the waiting helpers; timeouts are wall-clock milliseconds. */
export interface WaitOptions {
  timeoutMs?: number;
}

/** What a {@link SimCall} needs from its call leg (kept narrow so the handle stays a thin view). */
export interface PartyLink {
  readonly sid: string;
  readonly customerData: Record<string, unknown> | undefined;
  readonly conferenceName: string | undefined;
  readonly queueName: string | undefined;
  readonly from: string;
  readonly to: string;
  readonly direction: 'inbound' | 'outbound';
  partyPressed(digit: string): void;
  partySpoke(text: string): void;
  partyHungUp(): void;
  partyWaitsOut(): void;
  partyKeepsQuiet(): void;
  forkRecords(): ForkRecord[];
}

/** Wall-clock budget of a wait for an event (resolves as soon as it happens; generous for busy machines). */
const DEFAULT_WAIT_MS = 15_000;
const FINAL: ReadonlySet<CallStatus> = new Set(['completed', 'failed', 'busy', 'no-answer']);

/**
 * The scripted far end of one call leg: a PSTN caller, or a WebRTC user / mobile phone after it
 * answered. Tests drive it (press digits, speak, hang up) and observe what it heard.
 */
export class SimCall {
  /** Texts of `say` prompts and URLs of `play` prompts heard, in order. */
  readonly heard: string[] = [];
  /** The `say` prompts heard, in order, each with the TTS voice it was spoken in. */
  readonly spoken: Array<{ text: string; synthesizer: Synthesizer }> = [];
  /** Every status the leg went through, in order. */
  readonly statuses: CallStatus[] = [];
  /**
   * Prompts (as in `heard`) that stopped before their end: a key or speech barged in, or the app
   * moved the call on. A prompt played to its end is never here.
   */
  readonly cutShort: string[] = [];
  /** DTMF digits sent to this party with REST `dtmf`. */
  dtmfReceived = '';
  private currentStatus: CallStatus = 'trying';
  private promptCursor = 0;
  private readonly waiters = new Set<() => void>();
  /** Keys to press the moment a matching prompt starts ({@link pressWhenHeard}). */
  private readonly pressOnPrompt: Array<{ matches: (text: string) => boolean; digits: string }> = [];
  /** The say/play prompt playing now, if any. */
  private nowPlaying: string | undefined;
  private readonly endDeferred: Deferred<SimCallEnd> = deferred<SimCallEnd>();

  /** @internal created by the simulator. */
  constructor(private readonly link: PartyLink) {}

  /** The jambonz call sid of this leg. */
  get callSid(): string {
    return this.link.sid;
  }

  /** Calling number / user of this leg. */
  get from(): string {
    return this.link.from;
  }

  /** Called number / user of this leg. */
  get to(): string {
    return this.link.to;
  }

  /** Current call status. */
  get status(): CallStatus {
    return this.currentStatus;
  }

  /** The leg's current customerData (set by `tag`, REST `tag` or create-call `tag`). */
  get customerData(): Record<string, unknown> | undefined {
    return this.link.customerData;
  }

  /** Name of the conference room this leg is in, if any. */
  get conference(): string | undefined {
    return this.link.conferenceName;
  }

  /** Name of the queue this leg waits in, if any. */
  get queue(): string | undefined {
    return this.link.queueName;
  }

  /** Resolves once the call reached a final status. */
  get ended(): Promise<SimCallEnd> {
    return this.endDeferred.promise;
  }

  /** Audio forks opened for this leg. */
  get forks(): ForkRecord[] {
    return this.link.forkRecords();
  }

  /**
   * Presses `digits` the moment a prompt matching `pattern` starts to play, as a caller who knows
   * the menu does: the key lands while the prompt plays, whatever the machine's load (a test that
   * waits for the prompt and then presses may be too late for a short prompt at a fast clock).
   * Once: the first matching prompt only, or the one playing now if it matches.
   */
  pressWhenHeard(pattern: RegExp | string, digits: string): void {
    const matches = matcher(pattern);
    // Already playing (the call was set up before this was said): press now, mid-prompt.
    if (this.nowPlaying !== undefined && matches(this.nowPlaying)) this.press(digits);
    else this.pressOnPrompt.push({ matches, digits });
  }

  /**
   * The caller keeps quiet until {@link speak} scripts what it says: its audio (forks,
   * recordings) is silence meanwhile, not the synthetic talk pattern of an unscripted caller.
   */
  keepQuiet(): void {
    this.link.partyKeepsQuiet();
  }

  /** Presses DTMF digits (each character is one digit), e.g. `press('1')`, `press('123#')`. */
  press(digits: string): void {
    for (const d of digits) this.link.partyPressed(d);
  }

  /**
   * Says something: a final transcript for a speech gather, and, in a conference, what the
   * other members hear (unless this member is muted or held).
   */
  speak(text: string): void {
    this.link.partySpoke(text);
  }

  /**
   * Gives no input: the no-input (or inter-digit) timeout of the gather now listening, or of
   * the next one when none listens yet, runs out at the simulated speed. Without this a
   * gather's timeouts stand for the caller's patience and run no faster than real time, so a
   * test that answers a prompt never races them. One call covers one timeout.
   */
  noInput(): void {
    this.link.partyWaitsOut();
  }

  /** Hangs up (or cancels, when the call is not answered yet). */
  hangup(): void {
    this.link.partyHungUp();
  }

  /**
   * Waits for the next heard prompt matching `pattern` (prompts matched by an earlier call
   * are skipped) and returns its text.
   */
  expectPrompt(pattern: RegExp | string, opts: WaitOptions = {}): Promise<string> {
    const matches = matcher(pattern);
    return this.waitFor(
      () => {
        for (let i = this.promptCursor; i < this.heard.length; i++) {
          const text = this.heard[i] as string;
          if (matches(text)) {
            this.promptCursor = i + 1;
            return { value: text };
          }
        }
        return undefined;
      },
      opts,
      () => `prompt ${String(pattern)} (heard so far: ${JSON.stringify(this.heard)})`,
    );
  }

  /** Waits until the leg has reached `status` (immediately if it already went through it). */
  waitForStatus(status: CallStatus, opts: WaitOptions = {}): Promise<void> {
    return this.waitFor(
      () => (this.statuses.includes(status) ? { value: undefined } : undefined),
      opts,
      () => `status ${status} (statuses so far: ${this.statuses.join(', ')})`,
    );
  }

  /** @internal the leg reports a status change. */
  onStatus(status: CallStatus): void {
    this.currentStatus = status;
    this.statuses.push(status);
    this.wake();
  }

  /** @internal the leg played something to this party. */
  onHeard(text: string, synthesizer?: Synthesizer): void {
    this.heard.push(text);
    if (synthesizer) this.spoken.push({ text, synthesizer });
    this.wake();
  }

  /** @internal a say/play prompt started playing (reported after {@link onHeard}). */
  onPromptStarted(text: string): void {
    this.nowPlaying = text;
    const i = this.pressOnPrompt.findIndex((p) => p.matches(text));
    const due = i >= 0 ? this.pressOnPrompt.splice(i, 1)[0] : undefined;
    // Once its playback timer runs (the leg reports the start just before it).
    if (due) queueMicrotask(() => this.press(due.digits));
  }

  /** @internal the prompt playing stopped: at its end, or cut short. */
  onPromptEnded(text: string, cut: boolean): void {
    if (this.nowPlaying === text) this.nowPlaying = undefined;
    if (cut) this.cutShort.push(text);
  }

  /** @internal the leg reached its final state. */
  onEnded(end: SimCallEnd): void {
    if (this.statuses[this.statuses.length - 1] !== end.status) this.onStatus(end.status);
    this.currentStatus = end.status;
    this.endDeferred.resolve(end);
    this.wake();
  }

  /** @internal true once a final status has been reached. */
  get isFinal(): boolean {
    return FINAL.has(this.currentStatus) || this.endDeferred.settled;
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  private waitFor<T>(check: () => { value: T } | undefined, opts: WaitOptions, describe: () => string): Promise<T> {
    const first = check();
    if (first) return Promise.resolve(first.value);
    // An ended call hears nothing more: say so now instead of at the timeout.
    const over = (): Error =>
      new Error(`call ${this.callSid}: ended (${this.currentStatus}) while waiting for ${describe()}`);
    if (this.isFinal) return Promise.reject(over());
    const timeoutMs = opts.timeoutMs ?? DEFAULT_WAIT_MS;
    return new Promise<T>((resolve, reject) => {
      const waiter = (): void => {
        const hit = check();
        if (hit || this.isFinal) {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          if (hit) resolve(hit.value);
          else reject(over());
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`call ${this.callSid}: timed out after ${timeoutMs} ms waiting for ${describe()}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }
}

/** A prompt matcher: a substring, or a regular expression (a fresh one, so `g` flags keep no state). */
function matcher(pattern: RegExp | string): (text: string) => boolean {
  return (text) =>
    typeof pattern === 'string' ? text.includes(pattern) : new RegExp(pattern.source, pattern.flags).test(text);
}
