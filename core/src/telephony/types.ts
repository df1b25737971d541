import type Router from '@koa/router';
import type { Logger } from 'pino';
import type { BackgroundSteps } from '../background.js';
import type { UpgradeHandler } from '../http/upgrade-router.js';

/**
 * The telephony contract. Core decides *what* happens on a call (IVR, queue, which agent);
 * a telephony adapter (jambonz in this project) decides *how*: it turns webhooks into calls on
 * {@link CallFlow} and the returned {@link CallAction}s into its own instructions, and it
 * carries out {@link TelephonyPort} requests (ring an agent, hang up, move a leg).
 */

/** A text-to-speech voice; absent fields take the provider's defaults. */
export interface TtsVoice {
  vendor: string;
  language?: string;
  voice?: string;
}

/** A prompt: text to speak (in `voice`, default the provider's) or a URL to play. */
export type Prompt = { kind: 'say'; text: string; voice?: TtsVoice } | { kind: 'play'; url: string };

/** What the call logic wants a leg to do next. Vendor-neutral. */
export type CallAction =
  | { type: 'prompt'; prompt: Prompt }
  | { type: 'pause'; seconds: number }
  /** Play `prompts` and collect digits; the result comes back as {@link CallFlow.onDigits}. */
  | {
      type: 'collectDigits';
      prompts: Prompt[];
      numDigits?: number;
      /** With `maxDigits`: digits typed when the timeout strikes count once there are this many. */
      minDigits?: number;
      maxDigits?: number;
      finishOnKey?: string;
      timeoutSeconds: number;
      /** Opaque step id echoed back with the digits (which IVR node asked). */
      step: string;
    }
  /** Park the caller in a queue; waiting announcements come from {@link CallFlow.onQueueWait}. */
  | { type: 'enqueue'; queue: string }
  /** Join the session's conference room. */
  | {
      type: 'joinRoom';
      room: string;
      role: 'customer' | 'agent' | 'external' | 'supervisor';
      /** End the room when this member leaves (1:1 calls: both sides). */
      endRoomOnExit: boolean;
      /** Start recording this leg (customer side: stereo, caller + what the caller hears). */
      record?: { sessionId: string; tenantId: string };
      /** Join without being heard (supervisor listen-in, MON-03). */
      joinMuted?: boolean;
      /**
       * Ask {@link CallFlow.onRoomExit} what next when the room ends under this leg (another
       * member left with `endRoomOnExit`), instead of hanging the leg up.
       */
      askOnExit?: boolean;
    }
  /**
   * Wait in silence for `seconds`, then ask {@link CallFlow.onRedirect} again (a result core
   * computes off the webhook path, e.g. an IVR HTTP node; core may redirect the leg sooner).
   */
  | { type: 'awaitResult'; seconds: number }
  /**
   * Leave the queue the caller waits in (only as an answer to {@link CallFlow.onQueueWait});
   * the leg then reports {@link CallFlow.onQueueLeft} (IVR-16: ask the queue-timeout question).
   */
  | { type: 'leaveQueue' }
  /**
   * Call an external number and bridge the caller to it (IVR-25); `ringingPrompt` plays while it
   * rings. The outcome comes back as {@link CallFlow.onDialResult} with `step`.
   */
  | {
      type: 'dial';
      number: string;
      callerId?: string;
      ringingPrompt?: Prompt;
      timeoutSeconds: number;
      /** Opaque step id echoed back with the result (the IVR node). */
      step: string;
      /** Context of the far-end leg (its statuses arrive with it). */
      context: LegContext;
      /** Record the conversation once the number answers (the session's `call` recording). */
      record?: { sessionId: string; tenantId: string };
    }
  /**
   * Record a message from the caller (IVR-31): a beep if `beep`, then up to `maxLengthSeconds`
   * or until `finishOnKey`. The audio goes to the recording sink as a `voicemail`; the end comes
   * back as {@link CallFlow.onVoicemailDone} with `step`.
   */
  | {
      type: 'recordMessage';
      maxLengthSeconds: number;
      finishOnKey: string;
      beep: boolean;
      step: string;
      record: { sessionId: string; tenantId: string };
    }
  /** Refuse an unanswered call (blacklist, unknown number). */
  | { type: 'reject'; sipStatus: number; reason: string }
  | { type: 'hangup' };

/** Where a leg belongs, echoed by the adapter on every callback (jambonz: `tag`). */
export interface LegContext {
  sessionId: string;
  tenantId: string;
  /** `external`: a number dialled into the session (transfer, three-way); `supervisor`: listen-in. */
  role: 'customer' | 'agent' | 'external' | 'supervisor';
  /** For agent legs: the offer this leg carries. */
  offerId?: string;
  /** For legs placed by live call control ({@link TelephonyPort.placeCall}): the leg's row. */
  legId?: string;
}

/** Final status of a leg as the adapter reports it. */
export type LegStatus = 'ringing' | 'answered' | 'completed' | 'no-answer' | 'busy' | 'failed';

/**
 * The call logic, as seen by an adapter. Every method is idempotent: webhooks may be retried
 * or arrive twice, and statuses may come out of order.
 */
export interface CallFlow {
  /** A new inbound call. Returns the first instructions (or a rejection). */
  onInboundCall(call: {
    callSid: string;
    from: string;
    to: string;
    /** Provider-specific extras (SIP headers, trunk), kept on the session for plugins. */
    extras?: Record<string, unknown>;
  }): Promise<{ context?: LegContext; actions: CallAction[] }>;
  /** Digits (or a timeout, `digits` empty) for a `collectDigits` step. */
  onDigits(ctx: LegContext, input: { step: string; digits: string; timedOut: boolean }): Promise<CallAction[]>;
  /** The caller is waiting in a queue; returns what to play now (one round). */
  onQueueWait(ctx: LegContext, wait: { position: number; size: number; waitedSeconds: number }): Promise<CallAction[]>;
  /**
   * The caller left the queue because {@link CallFlow.onQueueWait} answered `leaveQueue`;
   * returns what the leg does next.
   */
  onQueueLeft(ctx: LegContext): Promise<CallAction[]>;
  /**
   * A `dial` ended: `answered` false = the number did not answer (busy, no answer, failed);
   * true = it was bridged and that conversation is over.
   */
  onDialResult(
    ctx: LegContext,
    result: {
      step: string;
      answered: boolean;
      /** The provider's dial status (`completed`, `busy`, `no-answer`, `failed`…). */
      status: string;
      /** The caller's own leg had already ended when the dial reported. */
      callerGone?: boolean;
    },
  ): Promise<CallAction[]>;
  /** A `recordMessage` ended (time limit, finish key, or the audio stream closed). */
  onVoicemailDone(ctx: LegContext, input: { step: string }): Promise<CallAction[]>;
  /** An agent leg was answered; returns the agent leg's instructions. */
  onAgentAnswered(ctx: LegContext, leg: { callSid: string }): Promise<CallAction[]>;
  /** Instructions for a customer leg being moved into its session room. */
  onCustomerJoinRoom(ctx: LegContext): Promise<CallAction[]>;
  /**
   * New instructions for a live leg core redirected ({@link TelephonyPort.redirect}); core
   * decides from the session's stored state (hold, transfer, IVR resume, re-queue…).
   */
  onRedirect(ctx: LegContext): Promise<CallAction[]>;
  /**
   * A leg joined with `askOnExit` left its room because the room ended; returns what it does
   * next (rejoin while the customer is briefly away, or hang up).
   */
  onRoomExit?(ctx: LegContext): Promise<CallAction[]>;
  /** A leg changed status (any leg; duplicates and stale statuses must be harmless). */
  onLegStatus(
    ctx: LegContext | undefined,
    leg: { callSid: string; status: LegStatus; hungUpBy?: 'caller' | 'system'; sipStatus?: number },
  ): Promise<void>;
}

/** What core asks of the telephony side. */
export interface TelephonyPort {
  /** Rings an agent's device for an offer; resolves once the provider accepted the request. */
  ringAgent(req: {
    context: LegContext & { offerId: string };
    device: { type: 'webrtc'; user: string } | { type: 'phone'; number: string };
    /** Number shown to the agent (already masked if number protection is on). */
    callerId: string;
    ringTimeoutSeconds: number;
    /**
     * Ask the device to answer by itself (IN-03). A hint: the softphone decides (jambonz: SIP
     * header `Call-Info: <sip:realm>;answer-after=0` on the INVITE); phones ignore it.
     */
    autoAnswer?: boolean;
  }): Promise<{ callSid: string }>;
  /** Moves a live leg into its session room (via {@link CallFlow.onCustomerJoinRoom}). */
  moveToRoom(callSid: string, ctx: LegContext): Promise<void>;
  /**
   * Replaces what a live leg is doing with the instructions of {@link CallFlow.onRedirect}
   * (jambonz: `PUT {call_hook}`); the leg's context travels as before.
   */
  redirect(callSid: string, ctx: LegContext): Promise<void>;
  /** Hangs a leg up (answered) or cancels it (ringing). Unknown or ended legs are not an error. */
  hangup(callSid: string): Promise<void>;
  /**
   * Whether the provider still knows a live leg with this id (for the reaper). `hint` says what
   * core knows of the leg's session, for providers whose call records expire while the call
   * lives (jambonz: `GET /Calls/{sid}` answers 404 an hour after the leg's last status change).
   */
  isAlive(callSid: string, hint?: LivenessHint): Promise<boolean>;
  /**
   * Creates or updates the SIP/WebRTC credentials of an agent's softphone at the provider
   * (jambonz: `/v1/Clients`); returns the provider's id for later updates. Optional: an adapter
   * without a registrar of its own leaves it out.
   */
  provisionClient?(client: {
    username: string;
    password: string;
    active: boolean;
    /** The id returned by an earlier call, to update instead of create. */
    clientSid?: string | null;
  }): Promise<{ clientSid: string }>;
  /** Removes the credentials (unknown ids are not an error). */
  removeClient?(clientSid: string): Promise<void>;
  /** Whether a softphone user is registered right now (jambonz: `RegisteredSipUsers`). */
  isRegistered?(user: string): Promise<boolean>;
  /**
   * Where softphones register: SIP realm and the WebSocket (WSS) URL of the provider's SBC.
   * `simulated`: there is no real registrar (the built-in jambonz simulator), so the workbench
   * runs its simulated phone, which drives the simulator's device API, instead of SIP.
   */
  softphoneEndpoint?(): { realm: string; wsServer: string; simulated?: boolean };
  /**
   * A per-member action on a leg in its room (jambonz: `conferenceParticipantAction`; never a
   * room-wide mute). `hold` takes the member out of the mix both ways and plays `holdMusic` to it.
   */
  memberAction(
    callSid: string,
    action: 'hold' | 'unhold' | 'mute' | 'unmute',
    opts?: { holdMusic?: Prompt[] },
  ): Promise<void>;
  /** Sends DTMF digits to the far end of a live leg. */
  sendDtmf(callSid: string, digits: string): Promise<void>;
  /**
   * Places a new leg for a live session (external party, second agent, supervisor, redial);
   * once answered it asks {@link CallFlow.onRedirect} with `context` what to do.
   */
  placeCall(req: {
    context: LegContext & { legId: string };
    device: { type: 'webrtc'; user: string } | { type: 'phone'; number: string };
    callerId: string;
    timeoutSeconds: number;
  }): Promise<{ callSid: string }>;
}

/**
 * The provider could not place a call for reasons of its own (jambonz: 480 no feature server
 * free, 5xx): not the agent's device. An adapter throws it from `ringAgent`/`placeCall`.
 */
export class ProviderUnavailableError extends Error {
  override readonly name = 'ProviderUnavailableError';
  /** Marks the error across module copies (`instanceof` may not hold between packages). */
  readonly providerUnavailable = true;
}

/** Whether `err` says the provider, not the callee, failed (see {@link ProviderUnavailableError}). */
export function isProviderUnavailable(err: unknown): boolean {
  return (
    typeof err === 'object' && err !== null && (err as { providerUnavailable?: unknown }).providerUnavailable === true
  );
}

/** What core knows of a quiet session when it asks the provider whether its leg lives. */
export interface LivenessHint {
  /** The session's room (conference) name; a live room means its members live. */
  room?: string;
  /** When the session started (no leg of it changed status before that). */
  startedAt?: Date;
}

/** Counters an adapter reports through core's `/metrics`. */
export interface TelephonyMetrics {
  /** A webhook ran out of its time budget and answered its fallback (`hook` = the hook's name). */
  webhookDeadline(hook: string): void;
}

/** What core hands an adapter at start-up. */
export interface TelephonyContext {
  callFlow: CallFlow;
  logger: Logger;
  /** The owner of the adapter's steps nobody awaits: failures logged with their step and counted. */
  background: Pick<BackgroundSteps, 'failed' | 'report'>;
  /** Mounts the adapter's HTTP routes (webhooks) on the app. */
  router: Router;
  /** Claims a WebSocket path on the app's HTTP server (e.g. audio forks). */
  upgrade(path: string, handler: UpgradeHandler): void;
  /** The app's public base URL; known once the server listens. */
  publicUrl(): string;
  /** Recording sink for audio the adapter receives. */
  recordings: RecordingSink;
  /** Checks a recording stream belongs to a live session (tenant id of it, or null). */
  sessionTenant(sessionId: string): Promise<string | null>;
  /** Counters for `/metrics` (absent in tests that build a context by hand). */
  metrics?: TelephonyMetrics;
}

/** A running adapter. */
export interface InstalledTelephony {
  port: TelephonyPort;
  /** Called after the HTTP server listens (e.g. to start a simulator that calls back). */
  started?(): Promise<void>;
  stop(): Promise<void>;
  /** Adapter-specific handle (the simulator, in simulator mode), for tests and the demo. */
  readonly extra?: Record<string, unknown>;
  /**
   * Known limits and warnings of the adapter, shown under `telephony` in `/readyz` (they do not
   * make the instance unready).
   */
  health?(): { warnings: string[] };
}

/** A telephony adapter, as put in `plugins.config.ts` (`telephony: jambonz({...})`). */
export interface TelephonyAdapter {
  readonly name: string;
  /** Path prefixes whose request bodies core must leave unparsed (signed webhooks). */
  readonly rawBodyPrefixes?: readonly string[];
  install(ctx: TelephonyContext): Promise<InstalledTelephony>;
}

/** Receives PCM audio for a session and stores it as a recording. */
export interface RecordingSink {
  start(req: {
    tenantId: string;
    sessionId: string;
    sampleRate: number;
    channels: 1 | 2;
    /** Default `call`; `voicemail` for a message left by the caller. */
    kind?: 'call' | 'voicemail';
  }): Promise<RecordingWriter>;
}

/** One recording being written. */
export interface RecordingWriter {
  readonly recordingId: string;
  /** 16-bit little-endian PCM, interleaved when stereo. */
  write(pcm: Buffer): void;
  /** Ends the recording: encodes the rest, stores it, fires `recording.ready`. */
  finish(): Promise<void>;
  /** Drops the recording (e.g. the stream broke before any audio). */
  abort(reason: string): Promise<void>;
}
