import type Router from '@koa/router';
import type { Logger } from 'pino';
import type { UpgradeHandler } from '../http/upgrade-router.js';

/**
 * The telephony contract. Core decides *what* happens on a call (IVR, queue, which agent);
 * a telephony adapter (jambonz in this project) decides *how*: it turns webhooks into calls on
 * {@link CallFlow} and the returned {@link CallAction}s into its own instructions, and it
 * carries out {@link TelephonyPort} requests (ring an agent, hang up, move a leg).
 */

/** A prompt: text to speak or a URL to play. */
export type Prompt = { kind: 'say'; text: string } | { kind: 'play'; url: string };

/** What the call logic wants a leg to do next. Vendor-neutral. */
export type CallAction =
  | { type: 'prompt'; prompt: Prompt }
  | { type: 'pause'; seconds: number }
  /** Play `prompts` and collect digits; the result comes back as {@link CallFlow.onDigits}. */
  | {
      type: 'collectDigits';
      prompts: Prompt[];
      numDigits?: number;
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
      role: 'customer' | 'agent' | 'supervisor';
      /** End the room when this member leaves (1:1 calls: both sides). */
      endRoomOnExit: boolean;
      /** Start recording this leg (customer side: stereo, caller + what the caller hears). */
      record?: { sessionId: string; tenantId: string };
    }
  /** Refuse an unanswered call (blacklist, unknown number). */
  | { type: 'reject'; sipStatus: number; reason: string }
  | { type: 'hangup' };

/** Where a leg belongs, echoed by the adapter on every callback (jambonz: `tag`). */
export interface LegContext {
  sessionId: string;
  tenantId: string;
  role: 'customer' | 'agent';
  /** For agent legs: the offer this leg carries. */
  offerId?: string;
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
  /** An agent leg was answered; returns the agent leg's instructions. */
  onAgentAnswered(ctx: LegContext, leg: { callSid: string }): Promise<CallAction[]>;
  /** Instructions for a customer leg being moved into its session room. */
  onCustomerJoinRoom(ctx: LegContext): Promise<CallAction[]>;
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
  }): Promise<{ callSid: string }>;
  /** Moves a live leg into its session room (via {@link CallFlow.onCustomerJoinRoom}). */
  moveToRoom(callSid: string, ctx: LegContext): Promise<void>;
  /** Hangs a leg up (answered) or cancels it (ringing). Unknown or ended legs are not an error. */
  hangup(callSid: string): Promise<void>;
  /** Whether the provider still knows a live leg with this id (for the reaper). */
  isAlive(callSid: string): Promise<boolean>;
}

/** What core hands an adapter at start-up. */
export interface TelephonyContext {
  callFlow: CallFlow;
  logger: Logger;
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
}

/** A running adapter. */
export interface InstalledTelephony {
  port: TelephonyPort;
  /** Called after the HTTP server listens (e.g. to start a simulator that calls back). */
  started?(): Promise<void>;
  stop(): Promise<void>;
  /** Adapter-specific handle (the simulator, in simulator mode), for tests and the demo. */
  readonly extra?: Record<string, unknown>;
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
  start(req: { tenantId: string; sessionId: string; sampleRate: number; channels: 1 | 2 }): Promise<RecordingWriter>;
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
