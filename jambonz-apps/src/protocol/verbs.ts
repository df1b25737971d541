import { createRequire } from 'node:module';

/*
 * Types for the jambonz 0.9.x verbs Switchboard emits, taken from the keys of
 * `@jambonz/verb-specifications@0.1.13` specs.json (research §2.2) — the validator the open-source
 * feature server runs. Only the options we use or may plausibly use are typed; anything else would
 * be rejected by the validator anyway ("unknown property").
 */

/** A webhook: absolute URL, URL relative to the application's call hook, or an object. */
export type Hook = string | { url: string; method?: 'GET' | 'POST'; username?: string; password?: string };

/** TTS settings (spec component `synthesizer`). */
export interface Synthesizer {
  vendor: string;
  label?: string;
  language?: string;
  voice?: string | Record<string, unknown>;
}

/** STT settings (spec component `recognizer`); vendor options are left untyped. */
export interface Recognizer {
  vendor: string;
  label?: string;
  language?: string;
  hints?: string[];
  [option: string]: unknown;
}

/** Basic auth for websocket targets (`auth` component). */
export interface WsAuth {
  username: string;
  password: string;
}

/** `say` — speak text with TTS. */
export interface SayVerb {
  verb: 'say';
  id?: string;
  text: string | string[];
  synthesizer?: Synthesizer;
  loop?: number | string;
  earlyMedia?: boolean;
  disableTtsCache?: boolean;
}

/** `play` — play one or several audio URLs. */
export interface PlayVerb {
  verb: 'play';
  id?: string;
  url: string | string[];
  loop?: number | string;
  earlyMedia?: boolean;
  seekOffset?: number | string;
  timeoutSecs?: number | string;
  actionHook?: Hook;
}

/** `pause` — silence for `length` seconds. */
export interface PauseVerb {
  verb: 'pause';
  id?: string;
  length: number;
}

/** Nested prompt of a gather (a `say` or `play` without the `verb` key). */
export type GatherSay = Omit<SayVerb, 'verb'>;
/** Nested prompt of a gather (a `play` without the `verb` key). */
export type GatherPlay = Omit<PlayVerb, 'verb' | 'actionHook'>;

/** `gather` — collect DTMF digits and/or speech (research §2.3 for semantics). */
export interface GatherVerb {
  verb: 'gather';
  id?: string;
  actionHook?: Hook;
  input?: Array<'digits' | 'speech'>;
  finishOnKey?: string;
  numDigits?: number;
  minDigits?: number;
  maxDigits?: number;
  interDigitTimeout?: number;
  speechTimeout?: number;
  listenDuringPrompt?: boolean;
  dtmfBargein?: boolean;
  bargein?: boolean;
  timeout?: number;
  recognizer?: Recognizer;
  say?: GatherSay;
  play?: GatherPlay;
  partialResultHook?: Hook;
}

/** `enqueue` — park the call in a named queue. */
export interface EnqueueVerb {
  verb: 'enqueue';
  id?: string;
  name: string;
  actionHook?: Hook;
  waitHook?: Hook;
  /** Lower is dequeued first; default 999. */
  priority?: number;
}

/** `dequeue` — take a call out of a queue and bridge it to this call. */
export interface DequeueVerb {
  verb: 'dequeue';
  id?: string;
  name: string;
  actionHook?: Hook;
  /** Seconds to wait for a caller; 0 or absent waits forever. */
  timeout?: number;
  beep?: boolean;
  /** Dequeue exactly this waiting call. */
  callSid?: string;
}

/** `leave` — only valid inside an enqueue waitHook response. */
export interface LeaveVerb {
  verb: 'leave';
  id?: string;
}

/** `conference` — join a named room. */
export interface ConferenceVerb {
  verb: 'conference';
  id?: string;
  name: string;
  beep?: boolean;
  memberTag?: string;
  speakOnlyTo?: string;
  startConferenceOnEnter?: boolean;
  endConferenceOnExit?: boolean;
  endConferenceDuration?: number;
  maxParticipants?: number;
  joinMuted?: boolean;
  actionHook?: Hook;
  waitHook?: Hook;
  enterHook?: Hook;
  statusHook?: Hook;
  statusEvents?: Array<'start' | 'end' | 'join' | 'leave' | 'start-talking' | 'stop-talking'>;
  distributeDtmf?: boolean;
}

/** A dial / REST `to` target. */
export interface DialTarget {
  type: 'phone' | 'sip' | 'user' | 'teams';
  number?: string;
  name?: string;
  sipUri?: string;
  auth?: WsAuth;
  trunk?: string;
  confirmHook?: Hook;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  from?: { user?: string; host?: string };
  tenant?: string;
  vmail?: boolean;
  overrideTo?: string;
  proxy?: string;
}

/** Audio fork options shared by the `listen` verb and nested listen. */
export interface ListenOptionsBase {
  url: string;
  mixType?: 'mono' | 'stereo' | 'mixed';
  sampleRate?: number;
  metadata?: Record<string, unknown>;
  wsAuth?: WsAuth;
  passDtmf?: boolean;
  playBeep?: boolean;
  maxLength?: number;
  timeout?: number;
  disableBidirectionalAudio?: boolean;
}

/** `listen` — fork the call's audio to a websocket (blocking verb). */
export interface ListenVerb extends ListenOptionsBase {
  verb: 'listen';
  id?: string;
  actionHook?: Hook;
  finishOnKey?: string;
  earlyMedia?: boolean;
}

/** `dial` — call one or more targets and bridge the first to answer. */
export interface DialVerb {
  verb: 'dial';
  id?: string;
  target: DialTarget[];
  actionHook?: Hook;
  answerOnBridge?: boolean;
  callerId?: string;
  callerName?: string;
  /** Ring timeout in seconds (default 60). */
  timeout?: number;
  timeLimit?: number;
  confirmHook?: Hook;
  referHook?: Hook;
  onHoldHook?: Hook;
  dtmfCapture?: string[] | { childCall?: string[]; parentCall?: string[] };
  dtmfHook?: Hook;
  dialMusic?: string;
  headers?: Record<string, string>;
  anchorMedia?: boolean;
  exitMediaPath?: boolean;
  listen?: Omit<ListenVerb, 'verb'>;
  tag?: Record<string, unknown>;
}

/** `hangup` — end an answered call. */
export interface HangupVerb {
  verb: 'hangup';
  id?: string;
  headers?: Record<string, string>;
}

/** `redirect` — fetch a new verb array from `actionHook`. */
export interface RedirectVerb {
  verb: 'redirect';
  id?: string;
  actionHook: Hook;
  statusHook?: Hook;
}

/** `tag` — replace the call's customerData. */
export interface TagVerb {
  verb: 'tag';
  id?: string;
  data: Record<string, unknown>;
}

/** `config.listen` — background audio fork that runs while other verbs execute. */
export interface ConfigListenOptions extends Partial<ListenOptionsBase> {
  enable: boolean;
}

/** `config.bargeIn` — background digit/speech collection. */
export interface BargeInOptions {
  enable: boolean;
  sticky?: boolean;
  actionHook?: Hook;
  partialResultHook?: Hook;
  input?: Array<'digits' | 'speech'>;
  finishOnKey?: string;
  numDigits?: number;
  minDigits?: number;
  maxDigits?: number;
  interDigitTimeout?: number;
  dtmfBargein?: boolean;
  minBargeinWordCount?: number;
}

/** `config.record` — SIPREC / cloud recording control. */
export interface RecordOptions {
  action: 'startCallRecording' | 'stopCallRecording' | 'pauseCallRecording' | 'resumeCallRecording';
  type?: 'cloud' | 'siprec';
  recordingID?: string;
  siprecServerURL?: string | string[];
  headers?: Record<string, string>;
}

/** `config` — session-wide settings. */
export interface ConfigVerb {
  verb: 'config';
  id?: string;
  synthesizer?: Synthesizer;
  recognizer?: Recognizer;
  bargeIn?: BargeInOptions;
  record?: RecordOptions;
  listen?: ConfigListenOptions;
  notifyEvents?: boolean;
  onHoldMusic?: string;
  reset?: string | string[];
  sipRequestWithinDialogHook?: Hook;
}

/** `sip:decline` — reject an unanswered call with a SIP status. */
export interface SipDeclineVerb {
  verb: 'sip:decline';
  id?: string;
  status: number;
  reason?: string;
  headers?: Record<string, string>;
}

/** Every verb Switchboard emits, discriminated on `verb`. */
export type Verb =
  | SayVerb
  | PlayVerb
  | PauseVerb
  | GatherVerb
  | EnqueueVerb
  | DequeueVerb
  | LeaveVerb
  | ConferenceVerb
  | DialVerb
  | HangupVerb
  | RedirectVerb
  | TagVerb
  | ConfigVerb
  | ListenVerb
  | SipDeclineVerb;

/** The `verb` discriminator values of {@link Verb}. */
export type VerbName = Verb['verb'];

/** Options of a verb builder: everything except the discriminator and the positional arguments. */
type Opts<V extends Verb, K extends keyof V = never> = Omit<V, 'verb' | K>;

/** Builds a `say` verb. */
export function say(text: string | string[], opts: Opts<SayVerb, 'text'> = {}): SayVerb {
  return { verb: 'say', text, ...opts };
}

/** Builds a `play` verb. */
export function play(url: string | string[], opts: Opts<PlayVerb, 'url'> = {}): PlayVerb {
  return { verb: 'play', url, ...opts };
}

/** Builds a `pause` verb of `seconds` seconds. */
export function pause(seconds: number, opts: Opts<PauseVerb, 'length'> = {}): PauseVerb {
  return { verb: 'pause', length: seconds, ...opts };
}

/** Builds a `gather` verb. */
export function gather(opts: Opts<GatherVerb>): GatherVerb {
  return { verb: 'gather', ...opts };
}

/** Builds an `enqueue` verb. */
export function enqueue(name: string, opts: Opts<EnqueueVerb, 'name'> = {}): EnqueueVerb {
  return { verb: 'enqueue', name, ...opts };
}

/** Builds a `dequeue` verb. */
export function dequeue(name: string, opts: Opts<DequeueVerb, 'name'> = {}): DequeueVerb {
  return { verb: 'dequeue', name, ...opts };
}

/** Builds a `leave` verb (waitHook responses only). */
export function leave(): LeaveVerb {
  return { verb: 'leave' };
}

/** Builds a `conference` verb. */
export function conference(name: string, opts: Opts<ConferenceVerb, 'name'> = {}): ConferenceVerb {
  return { verb: 'conference', name, ...opts };
}

/** Builds a `dial` verb. */
export function dial(target: DialTarget | DialTarget[], opts: Opts<DialVerb, 'target'> = {}): DialVerb {
  return { verb: 'dial', target: Array.isArray(target) ? target : [target], ...opts };
}

/** Builds a `type:'user'` dial target (a registered SIP/WebRTC client). */
export function userTarget(name: string, opts: Omit<DialTarget, 'type' | 'name'> = {}): DialTarget {
  return { type: 'user', name, ...opts };
}

/** Builds a `type:'phone'` dial target (PSTN number via a carrier). */
export function phoneTarget(number: string, opts: Omit<DialTarget, 'type' | 'number'> = {}): DialTarget {
  return { type: 'phone', number, ...opts };
}

/** Builds a `type:'sip'` dial target. */
export function sipTarget(sipUri: string, opts: Omit<DialTarget, 'type' | 'sipUri'> = {}): DialTarget {
  return { type: 'sip', sipUri, ...opts };
}

/** Builds a `hangup` verb. */
export function hangup(opts: Opts<HangupVerb> = {}): HangupVerb {
  return { verb: 'hangup', ...opts };
}

/** Builds a `redirect` verb. */
export function redirect(actionHook: Hook, opts: Opts<RedirectVerb, 'actionHook'> = {}): RedirectVerb {
  return { verb: 'redirect', actionHook, ...opts };
}

/** Builds a `tag` verb (replaces all previous customerData). */
export function tag(data: Record<string, unknown>, opts: Opts<TagVerb, 'data'> = {}): TagVerb {
  return { verb: 'tag', data, ...opts };
}

/** Builds a `config` verb. */
export function config(opts: Opts<ConfigVerb>): ConfigVerb {
  return { verb: 'config', ...opts };
}

/** Builds a `config` verb that starts (or, with `enable:false`, stops) a background audio fork. */
export function configListen(listen: ConfigListenOptions): ConfigVerb {
  return { verb: 'config', listen };
}

/** Builds a `listen` verb. */
export function listen(url: string, opts: Opts<ListenVerb, 'url'> = {}): ListenVerb {
  return { verb: 'listen', url, ...opts };
}

/** Builds a `sip:decline` verb. */
export function sipDecline(
  status: number,
  reason?: string,
  opts: Opts<SipDeclineVerb, 'status' | 'reason'> = {},
): SipDeclineVerb {
  return { verb: 'sip:decline', status, ...(reason !== undefined ? { reason } : {}), ...opts };
}

/** Thrown by {@link validateVerbs} with the validator's message (e.g. `say: unknown property txt`). */
export class VerbValidationError extends Error {
  override readonly name = 'VerbValidationError';
  constructor(
    message: string,
    /** The rejected input, for logging. */
    readonly verbs: unknown,
  ) {
    super(message);
  }
}

interface SpecLogger {
  info(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

interface VerbSpecifications {
  validate(logger: SpecLogger, verbs: unknown): void;
}

// The package is CommonJS without type declarations; loading it through createRequire keeps
// the untyped surface confined to this one typed binding.
const specifications = createRequire(import.meta.url)('@jambonz/verb-specifications') as VerbSpecifications;

const silentLogger: SpecLogger = {
  info: () => undefined,
  debug: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/**
 * Validates a verb array exactly as the open-source feature server does (verb-specifications
 * `validate(logger, verbs)`). Throws {@link VerbValidationError} on anything the server would
 * reject; the real server would then reject the call (initial hook) or raise an alert.
 */
export function validateVerbs(verbs: unknown): asserts verbs is Verb[] {
  try {
    specifications.validate(silentLogger, verbs);
  } catch (err) {
    throw new VerbValidationError(err instanceof Error ? err.message : String(err), verbs);
  }
}
