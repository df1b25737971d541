/**
 * Switchboard's browser SDK: embed the agent workbench in a CRM page and drive it from there.
 * Names follow Tencent Cloud Contact Center's Web SDK (`Call.startOutboundCall`, `hungUp`,
 * `Agent.setStatus`, events `callIn`, `sessionEnded` …) so teams moving from it feel at home.
 * Methods return promises of their result and reject with an {@link SdkError}.
 *
 * @example
 * ```ts
 * import * as switchboard from '@switchboard/sdk';
 * // token and sdkUrl: from your server, which called POST /api/v1/sdk/login-tokens
 * await switchboard.init({ sdkUrl, token });
 * switchboard.on('callIn', (e) => openCustomer(e.callerPhoneNumber));
 * await switchboard.Call.startOutboundCall({ phoneNumber: '13800138000' });
 * ```
 *
 * @packageDocumentation
 */
import { SdkError, SwitchboardClient, type InitOptions, type Listener } from './client.js';
import type {
  AgentStatusInfo,
  AudioDevice,
  InternalCallOptions,
  SdkEventName,
  SdkEvents,
  SendDigitsOptions,
  SessionOptions,
  SetStatusOptions,
  SkillGroup,
  StartOutboundCallOptions,
  StartOutboundCallResult,
  TransferOptions,
} from './protocol.js';

export { SdkError, SwitchboardClient, type InitOptions, type Listener };
export type * from './protocol.js';

/** The page's SDK instance (what the namespaces below act on). */
export const client = new SwitchboardClient();

/** Loads the workbench and signs the agent in; resolves on `ready` (see {@link SwitchboardClient.init}). */
export function init(opts: InitOptions): Promise<SdkEvents['ready']> {
  return client.init(opts);
}

/** Listens to an event (`callIn`, `sessionEnded` …); returns a function that stops listening. */
export function on<E extends SdkEventName>(name: E, fn: (data: SdkEvents[E]) => void): () => void {
  return client.on(name, fn);
}

/** Stops a listener added with {@link on}. */
export function off<E extends SdkEventName>(name: E, fn: (data: SdkEvents[E]) => void): void {
  client.off(name, fn);
}

/** Removes the workbench; call {@link init} again with a new token to start over. */
export function destroy(): void {
  client.destroy();
}

/** Event names, as TCCC's `tccc.events`. */
export const events = {
  ready: 'ready',
  tokenExpired: 'tokenExpired',
  callIn: 'callIn',
  userAccessed: 'userAccessed',
  autoTransfer: 'autoTransfer',
  sessionEnded: 'sessionEnded',
  sessionCompleted: 'sessionCompleted',
  callOuted: 'callOuted',
  calloutAccepted: 'calloutAccepted',
  statusChanged: 'statusChanged',
} as const satisfies { [K in SdkEventName]: K };

/** Phone calls. */
export const Call = {
  /** SDK-01: calls a customer; the agent's phone rings first. */
  startOutboundCall: (o: StartOutboundCallOptions): Promise<StartOutboundCallResult> =>
    client.request('Call.startOutboundCall', o),
  /** SDK-02: answers the session ringing (from `callIn`). */
  accept: (o: SessionOptions): Promise<void> => client.request('Call.accept', o),
  /** SDK-03: hangs up the session. */
  hungUp: (o: SessionOptions): Promise<void> => client.request('Call.hungUp', o),
  /** SDK-04: declines a ringing session, or finishes an ended one (its wrap-up ends). */
  deleteCall: (o: SessionOptions): Promise<void> => client.request('Call.deleteCall', o),
  /** SDK-05: the customer stops hearing the agent. */
  muteMic: (o: SessionOptions): Promise<void> => client.request('Call.muteMic', o),
  /** SDK-06 */
  unmuteMic: (o: SessionOptions): Promise<void> => client.request('Call.unmuteMic', o),
  /** SDK-07 */
  isMicMuted: (o: SessionOptions): Promise<boolean> => client.request('Call.isMicMuted', o),
  /** SDK-08: calls a colleague. */
  startInternalCall: (o: InternalCallOptions): Promise<{ sessionId: string }> =>
    client.request('Call.startInternalCall', o),
  /** SDK-09: hands the call to a skill group, a colleague or an outside number. */
  transfer: (o: TransferOptions): Promise<void> => client.request('Call.transfer', o),
  /** SDK-10: the customer hears hold music. */
  hold: (o: SessionOptions): Promise<void> => client.request('Call.hold', o),
  /** SDK-11 */
  unHold: (o: SessionOptions): Promise<void> => client.request('Call.unHold', o),
  /** Sends DTMF digits (an extension, a menu choice). */
  sendDigits: (o: SendDigitsOptions): Promise<void> => client.request('Call.sendDigits', o),
};

/** The agent's status. */
export const Agent = {
  /** SDK-12: goes online in the tenant's default state. */
  online: (): Promise<void> => client.request('Agent.online'),
  /** SDK-13: goes offline (refused during a call). */
  offline: (): Promise<void> => client.request('Agent.offline'),
  /** Chooses free, rest (with a reason) or notReady. */
  setStatus: (o: SetStatusOptions): Promise<void> => client.request('Agent.setStatus', o),
  getStatus: (): Promise<AgentStatusInfo> => client.request('Agent.getStatus'),
};

/** Tenant data the agent may read. */
export const Admin = {
  /** SDK-14: the skill groups (those the agent's calls can be transferred to). */
  getSkillGroupList: (): Promise<SkillGroup[]> => client.request('Admin.getSkillGroupList'),
};

/** The embedded workbench's visibility. */
export const UI = {
  /** SDK-16 */
  show: (): void => client.show(),
  /** SDK-15: calls go on while hidden, and events still arrive. */
  hide: (): void => client.hide(),
};

/** The agent's audio devices. */
export const Devices = {
  /**
   * SDK-17: whether this browser can run the softphone (WebRTC, microphone access, WebSocket).
   * Answered here, before `init`.
   */
  isBrowserSupported: (): boolean =>
    typeof RTCPeerConnection === 'function' &&
    typeof WebSocket === 'function' &&
    typeof navigator !== 'undefined' &&
    typeof navigator.mediaDevices?.getUserMedia === 'function',
  /** SDK-18: the microphones the workbench sees (labels once the microphone is allowed). */
  getMicrophones: (): Promise<AudioDevice[]> => client.request('Devices.getMicrophones'),
  /** SDK-19 */
  getSpeakers: (): Promise<AudioDevice[]> => client.request('Devices.getSpeakers'),
};
