/**
 * The agent workbench's softphone, independent of how calls reach it: over SIP/WebRTC from
 * jambonz ({@link JsSipSoftphone}) or, in simulator mode, from the built-in jambonz simulator
 * ({@link SimulatedSoftphone}). The UI (a Pinia store) listens to the events and calls the
 * methods; it never needs to know which one it has.
 */

/** How the softphone reaches the provider, as `GET /api/v1/me/device` says. */
export type SoftphoneMode = 'sip' | 'simulator' | 'none';

/** `GET /api/v1/me/device`: what a softphone needs to register. */
export interface SoftphoneCredentials {
  sipUser: string;
  password: string;
  realm: string | null;
  wsServer: string | null;
  mode: SoftphoneMode;
}

/** Where the phone's registration stands. */
export type RegistrationState = 'stopped' | 'starting' | 'registered' | 'unregistered' | 'failed';

/**
 * How a call ended: `local-hangup` (this agent hung up), `remote-hangup` (the far side or the
 * server did), `rejected` (this agent declined the ring), `cancelled` (the ring stopped before
 * an answer: caller gone, ring timeout, offer withdrawn), `failed` (media or signalling error).
 */
export type EndCause = 'local-hangup' | 'remote-hangup' | 'rejected' | 'cancelled' | 'failed';

/** The phone's current call. */
export interface SoftphoneCall {
  /** Stable id of the call on this phone (SIP Call-ID, or the simulator's call sid). */
  id: string;
  /** What to show for the other side: display name or number (masked under number protection). */
  remoteDisplay: string;
  /** The server's session id when the phone knows it (simulator mode); null otherwise. */
  sessionId: string | null;
  /** The INVITE asked to be answered without a click (IN-03); the phone answers by itself. */
  autoAnswer: boolean;
  state: 'ringing' | 'active';
  muted: boolean;
}

/** Every event of a {@link Softphone}, with its payload. */
export interface SoftphoneEvents {
  /** The registrar accepted the phone: calls can ring it. */
  registered: { sipUser: string };
  /** The phone is no longer registered (stopped, or the registration expired). */
  unregistered: { reason: string | null };
  /** Registering failed (wrong credentials, unreachable server…): no call can ring it. */
  registrationFailed: { cause: string };
  /** A call rings. */
  incoming: SoftphoneCall;
  /** The ringing call was answered and is now active. */
  accepted: { id: string };
  /** The call ended (answered or not). */
  ended: { id: string; cause: EndCause; detail: string | null };
  /** The microphone was muted or unmuted. */
  muted: { id: string; muted: boolean };
  /** Something went wrong outside a method call (media, device, background request). */
  error: { message: string; cause?: unknown };
}

/** The softphone the workbench uses; see the module docs above. */
export interface Softphone {
  /** Which implementation this is. */
  readonly kind: 'sip' | 'simulator';
  readonly registration: RegistrationState;
  /** The current call, or null. One call at a time: a second ring while busy is declined. */
  readonly call: SoftphoneCall | null;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof SoftphoneEvents>(type: K, listener: (payload: SoftphoneEvents[K]) => void): () => void;
  once<K extends keyof SoftphoneEvents>(type: K, listener: (payload: SoftphoneEvents[K]) => void): () => void;
  off<K extends keyof SoftphoneEvents>(type: K, listener: (payload: SoftphoneEvents[K]) => void): void;
  /** Registers; resolves once the registration was sent (watch `registered`/`registrationFailed`). */
  start(): Promise<void>;
  /** Hangs up any call and unregisters. */
  stop(): Promise<void>;
  /**
   * Registers again, keeping any call, when the server may have forgotten the registration (the
   * workbench calls it after its realtime connection came back: a restarted server). Only where
   * the protocol does not do it by itself (the simulated phone; SIP re-registers on its own).
   */
  reregister?(): Promise<void>;
  /** Answers the ringing call (takes the microphone for the call's length). */
  answer(): Promise<void>;
  /** Declines the ringing call. */
  reject(): Promise<void>;
  /** Ends the active call (declines a ringing one). */
  hangup(): Promise<void>;
  mute(on: boolean): Promise<void>;
  /** Sends DTMF digits (0-9, *, #, A-D) on the active call. */
  sendDtmf(digits: string): Promise<void>;
  /** Plays the call on this speaker (an `enumerateDevices` audiooutput id); remembered. */
  setOutputDevice(deviceId: string): Promise<void>;
  /** Uses this microphone (an audioinput id), now and for later calls; remembered. */
  setInputDevice(deviceId: string): Promise<void>;
}

/** DTMF digits a phone sends. */
export const DTMF_DIGITS = /^[0-9*#A-Da-d]{1,32}$/;
