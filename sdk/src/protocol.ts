/**
 * The messages between the SDK (in the CRM's page) and the embedded workbench (the iframe), over
 * `window.postMessage`. Both sides check the other's origin: the SDK only the workbench's, the
 * workbench only the tenant's SDK origins (`sdkOrigins`); anything else is ignored.
 *
 * Kept free of DOM and Vue so both sides import the same types.
 *
 * @packageDocumentation
 */

/** Tags every message of this protocol, so other messages on the same window are ignored. */
export const PROTOCOL = 'switchboard-sdk/1';

/** An agent's status as the SDK names it (TCCC's `AgentStatus` where it has one). */
export type AgentStatus = 'free' | 'busy' | 'rest' | 'arrange' | 'notReady' | 'offline';

/** Statuses an agent may choose with `Agent.setStatus`. */
export type SettableStatus = 'free' | 'rest' | 'notReady';

/** What `Agent.getStatus` and `statusChanged` give. */
export interface AgentStatusInfo {
  status: AgentStatus;
  /** The workbench's own name of the state (`idle`, `ringing`, `busy`, `afterCallWork`, …). */
  state: string;
  /** The rest reason (小休原因) while resting. */
  restReason: string | null;
}

/** Where a number is from (province, city, carrier), as the workbench shows it (IN-06). */
export interface PhoneLocation {
  province: string | null;
  city: string | null;
  carrier: string | null;
}

/** Options of `Call.startOutboundCall` (SDK-01). */
export interface StartOutboundCallOptions {
  /** The number to call, or a customer id the server maps to one (OUT-10). */
  phoneNumber: string;
  /** The id of the company number to show (see the workbench's caller IDs); default: the server's choice. */
  callerPhoneNumberId?: string;
}

/** What `Call.startOutboundCall` resolves to. */
export interface StartOutboundCallResult {
  sessionId: string;
  /** The customer's number as the agent may see it (masked under number protection). */
  calleePhoneNumber: string;
  callerPhoneNumber: string;
}

/** A session to act on. */
export interface SessionOptions {
  sessionId: string;
}

/** Options of `Call.transfer` (SDK-09): exactly one target. */
export type TransferOptions = SessionOptions &
  ({ skillGroupId: string } | { userId: string } | { phoneNumber: string });

/** Options of `Call.sendDigits`. */
export interface SendDigitsOptions extends SessionOptions {
  /** Digits, `*` and `#`. */
  dtmfText: string;
}

/** Options of `Call.startInternalCall` (SDK-08). */
export interface InternalCallOptions {
  /** The colleague: their user id, or their staff number. */
  calleeUserId: string;
}

/** Options of `Agent.setStatus`. */
export interface SetStatusOptions {
  status: SettableStatus;
  /** With `rest`: one of the tenant's rest reasons; default: the first. */
  restReason?: string;
}

/** A skill group as `Admin.getSkillGroupList` lists it (SDK-14). */
export interface SkillGroup {
  skillGroupId: string;
  skillGroupName: string;
}

/** A device as `Devices.getMicrophones` / `getSpeakers` list it (labels once the microphone is allowed). */
export interface AudioDevice {
  deviceId: string;
  label: string;
  groupId: string;
}

/** Every method the workbench answers, with its options and result. */
export interface SdkMethods {
  'Call.startOutboundCall': { params: StartOutboundCallOptions; result: StartOutboundCallResult };
  'Call.accept': { params: SessionOptions; result: void };
  'Call.hungUp': { params: SessionOptions; result: void };
  'Call.deleteCall': { params: SessionOptions; result: void };
  'Call.muteMic': { params: SessionOptions; result: void };
  'Call.unmuteMic': { params: SessionOptions; result: void };
  'Call.isMicMuted': { params: SessionOptions; result: boolean };
  'Call.startInternalCall': { params: InternalCallOptions; result: { sessionId: string } };
  'Call.transfer': { params: TransferOptions; result: void };
  'Call.hold': { params: SessionOptions; result: void };
  'Call.unHold': { params: SessionOptions; result: void };
  'Call.sendDigits': { params: SendDigitsOptions; result: void };
  'Agent.online': { params: undefined; result: void };
  'Agent.offline': { params: undefined; result: void };
  'Agent.setStatus': { params: SetStatusOptions; result: void };
  'Agent.getStatus': { params: undefined; result: AgentStatusInfo };
  'Admin.getSkillGroupList': { params: undefined; result: SkillGroup[] };
  'Devices.getMicrophones': { params: undefined; result: AudioDevice[] };
  'Devices.getSpeakers': { params: undefined; result: AudioDevice[] };
}
export type SdkMethod = keyof SdkMethods;

/** `callIn` (EV-03): a session is offered to the agent. */
export interface CallInEvent {
  sessionId: string;
  /** `phone`: a customer; `internal`: a colleague (then `peerUserId`). */
  type: 'phone' | 'internal';
  /** Seconds the offer rings before it goes to someone else (0 = no limit). */
  timeout: number;
  /** The customer's number exactly as the workbench shows it (masked under number protection). */
  callerPhoneNumber: string;
  /** The company number the customer dialled. */
  calleePhoneNumber: string;
  callerLocation: PhoneLocation | null;
  /** The skill group the call came through. */
  remark: string | null;
  /** The IVR keys the customer pressed on the way. */
  ivrPath: Array<{ key: string; label: string }>;
  /** True when the number is masked (number protection). */
  protectedCaller: boolean;
  peerUserId?: string;
}

/** How a session ended, as TCCC's `closeBy`: the customer, the agent, or the system. */
export type CloseBy = 'client' | 'seat' | 'system';

/** Every event, with what it carries. */
export interface SdkEvents {
  /** EV-01: signed in; other methods may be called. */
  ready: { userId: string; tenantId: string };
  /** EV-02: the login token was refused (expired or used): fetch a new one and init again. */
  tokenExpired: { message: string };
  callIn: CallInEvent;
  /** EV-04: the agent answered; the conversation starts. */
  userAccessed: { sessionId: string };
  /** EV-05: the offer was not answered in time and went to another agent. */
  autoTransfer: { sessionId: string };
  /** EV-06: the session ended (either side). */
  sessionEnded: { sessionId: string; closeBy: CloseBy };
  /** EV-07: the agent finished the session (wrap-up over, or dismissed). */
  sessionCompleted: { sessionId: string };
  /** An outbound call was placed (before the customer rings). */
  callOuted: { sessionId: string; calleePhoneNumber: string; callerPhoneNumber: string };
  /** EV-08: the customer answered an outbound call. */
  calloutAccepted: { sessionId: string };
  statusChanged: AgentStatusInfo;
}
export type SdkEventName = keyof SdkEvents;

/** The SDK's error: a stable code (the server's where it gave one) and a message. */
export interface SdkErrorInfo {
  code: string;
  message: string;
}

/** SDK → workbench. */
export type HostMessage =
  | { protocol: typeof PROTOCOL; type: 'login'; token: string }
  /** After `ready`, when the workbench loaded again (the agent reloaded it): "I am still here". */
  | { protocol: typeof PROTOCOL; type: 'attach' }
  | { protocol: typeof PROTOCOL; type: 'request'; id: number; method: SdkMethod; params: unknown };

/** Workbench → SDK. */
export type FrameMessage =
  | { protocol: typeof PROTOCOL; type: 'loaded' }
  | { protocol: typeof PROTOCOL; type: 'response'; id: number; ok: true; data: unknown }
  | { protocol: typeof PROTOCOL; type: 'response'; id: number; ok: false; error: SdkErrorInfo }
  | { protocol: typeof PROTOCOL; type: 'event'; name: SdkEventName; data: unknown };

/** Whether `data` is a message of this protocol (of either side: check `type` next). */
export function isProtocolMessage(data: unknown): data is { protocol: string; type: string } {
  return typeof data === 'object' && data !== null && (data as { protocol?: unknown }).protocol === PROTOCOL;
}

/** Every method name, for a side that must answer each. */
export const SDK_METHODS = [
  'Call.startOutboundCall',
  'Call.accept',
  'Call.hungUp',
  'Call.deleteCall',
  'Call.muteMic',
  'Call.unmuteMic',
  'Call.isMicMuted',
  'Call.startInternalCall',
  'Call.transfer',
  'Call.hold',
  'Call.unHold',
  'Call.sendDigits',
  'Agent.online',
  'Agent.offline',
  'Agent.setStatus',
  'Agent.getStatus',
  'Admin.getSkillGroupList',
  'Devices.getMicrophones',
  'Devices.getSpeakers',
] as const satisfies readonly SdkMethod[];
