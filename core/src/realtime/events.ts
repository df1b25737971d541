import type { CallerLocation } from '../modules/caller-location/lookup.js';
import type { SessionStateReason } from '../modules/calls/session-events.js';
import type { MessageView } from '../modules/messages/view.js';
import type { Role } from '../modules/users/schema.js';

/** The live part of an agent monitor row (MON-01), as `monitor.agent` and `GET /monitor/agents` carry it. */
export interface MonitorAgentLive {
  agentId: string;
  state: 'offline' | 'idle' | 'notReady' | 'rest' | 'ringing' | 'busy' | 'afterCallWork';
  /** The rest reason, with `rest` only. */
  reason: string | null;
  /** When the current state began. */
  stateSince: string;
  /** Seconds today (tenant time zone) in all online states, and in some of them. */
  today: { online: number; idle: number; notReady: number; rest: number; busy: number; afterCallWork: number };
  /** Calls the agent answered today (inbound offers and calls they placed). */
  callsToday: number;
  /** The call the agent rings for, talks on or wraps up; the customer's number whole (staff only). */
  currentCall: {
    sessionId: string;
    direction: 'inbound' | 'outbound' | 'internal';
    customer: string;
    state: 'ivr' | 'queued' | 'offering' | 'bridged' | 'ended';
  } | null;
  /** When the figures were computed (the server's clock). */
  at: string;
}

/** The live counts of a skill group (MON-02), as `monitor.skillGroup` and `GET /monitor/skill-groups` carry them. */
export interface MonitorSkillGroupLive {
  skillGroupId: string;
  /** Member agents by state (online = all but offline). */
  agents: {
    online: number;
    idle: number;
    ringing: number;
    busy: number;
    afterCallWork: number;
    notReady: number;
    rest: number;
    offline: number;
  };
  /** Callers waiting in the group's queue now. */
  queueLength: number;
  /** Since when the longest-waiting caller waits (null: nobody waits). */
  longestWaitSince: string | null;
  /** Calls that entered the group today, and how many of them an agent answered. */
  callsToday: number;
  answeredToday: number;
  at: string;
}

/**
 * Every server→client event, by type. Modules add their events here so the gateway, the SDK
 * and tests share one typed vocabulary.
 */
export interface ServerEvents {
  /** Sent once after a socket is authenticated. */
  'session.ready': { userId: string; tenantId: string; role: Role; channels: string[]; heartbeatMs: number };
  /**
   * A notice for the people on screen: an admin's broadcast, or the server telling admins of
   * something that needs them (a paused push subscription). `message` is English; `code` and
   * `params`, when set, let the app say it in the user's language (`notices.<code>`).
   */
  'system.notice': {
    message: string;
    level?: 'info' | 'warning' | 'error';
    code?: string;
    params?: Record<string, string>;
  };
  /**
   * An agent's state changed (to the agent, supervisors and admins). `by`: the agent (`self`),
   * the call logic (`system`) or an admin (`admin`, e.g. ADM-12 force offline).
   */
  'agent.status': {
    agentId: string;
    from: string;
    to: string;
    reason?: string;
    at: string;
    by?: 'self' | 'system' | 'admin';
  };
  /**
   * EV-05 (TCCC `autoTransfer`): an offer was missed (ring timeout, rejected, device failed) and
   * the caller goes on to another agent. To that agent, supervisors and admins. `missedOffers`
   * is the agent's running count of missed offers (RT-05).
   */
  'call.autoTransfer': {
    sessionId: string;
    offerId: string;
    agentId: string;
    skillGroupId: string | null;
    reason: string;
    missedOffers: number;
  };
  /**
   * The user's realtime session is ended by the server (ADM-12 force offline; the user signed
   * out or was disabled). The gateway of every instance sends this frame, then closes the
   * user's sockets with code 4003; with `signed-out`/`disabled` the access tokens are dead too.
   */
  'session.revoked': {
    reason: 'forced-offline' | 'signed-out' | 'disabled' | 'password-reset' | 'tenant-disabled';
    message: string;
  };
  /** A call recording is stored and playable (to supervisors and admins). */
  'recording.ready': { recordingId: string; sessionId: string; durationMs: number };
  /**
   * A colleague's presence changed (AGT-04 internal calls and transfers): to everyone of the
   * tenant. Only what a colleague may know: the presence state, the rest reason, since when —
   * never the call, the customer or who caused the change (that is `agent.status`).
   */
  presence: {
    agentId: string;
    state: 'idle' | 'ringing' | 'onCall' | 'wrapUp' | 'notReady' | 'rest' | 'offline';
    /** The rest reason (小休: 用餐, 会议…), with `rest` only. */
    reason: string | null;
    since: string;
  };
  /**
   * AGT-05: an internal message, to its recipient and to the sender's own sockets (other tabs;
   * the sending tab gets it too and de-duplicates by `message.id`).
   */
  'im.message': { message: MessageView; sender: { id: string; name: string; staffNo: string } };
  /**
   * AGT-05: `readerId` read the conversation with `peerId` up to `upToSeq` (to the reader's
   * other tabs, to update unread counts, and to the peer, as a read receipt).
   */
  'im.read': { readerId: string; peerId: string; upToSeq: number; count: number; at: string };
  /** A call is ringing for this agent (IN-04: `caller` is masked when number protection is on). */
  'call.offer': {
    sessionId: string;
    offerId: string;
    /** The customer's number of an inbound call (masked under number protection). */
    caller: string;
    /** The number dialled; on an inbound call the company number (IN-05), never masked. */
    callee: string;
    /**
     * IN-06: where the customer's number is from (province, city, range carrier; zh-CN and
     * English), computed on the server from the real number; null when unknown (foreign, 400,
     * staff numbers of an internal call).
     */
    callerLocation: CallerLocation | null;
    /**
     * IN-05: the company number of the call — the one the customer dialled (inbound) or that
     * showed to them (outbound) — and its label; null on an internal call.
     */
    companyNumber: { number: string; label: string } | null;
    skillGroupId: string | null;
    skillGroupName: string | null;
    ringTimeoutSeconds: number;
    ivrKeys: Array<{ key: string; label: string }>;
    annotations: Record<string, unknown>;
    /**
     * Notes and variables of a call handed on by another agent (CTL-03/04); the IVR's
     * variables also on a first offer when the flow set any. Masked for agents as in the
     * session view (masked templates; the customer's number under protection, RT-07).
     */
    notes?: string | null;
    variables?: Record<string, string>;
    /** An agent-to-agent call (AGT-04): the colleague calling (`caller` is their staff number). */
    internalFrom?: { agentId: string; name: string; staffNo: string };
  };
  /** The offer ended without this agent answering (missed, or the caller hung up). */
  'call.offer.withdrawn': { sessionId: string; offerId: string; reason: string };
  /** This agent is now talking to the customer. */
  'call.accepted': { sessionId: string; offerId: string };
  /** A session this agent served (or a supervisor watches) ended. */
  'call.ended': { sessionId: string; endStatus: number; endStatusString: string; hungUpSide: string };
  /** CTL-01: the customer was put on hold or taken off it (to the agent on the call and supervisors). */
  'session.hold': { sessionId: string; held: boolean; byUserId: string };
  /** CTL-02: the serving agent's microphone was muted or unmuted. */
  'session.mute': { sessionId: string; muted: boolean; byUserId: string };
  /**
   * A plugin set or changed its annotation on the call (usually its card, e.g. a WeCom
   * add-friend task's progress): to the agents who took part in it, numbers hidden as they see
   * them. `key` is the plugin's camel-case name.
   */
  'call.annotated': { sessionId: string; key: string; value: Record<string, unknown> };
  /**
   * CTL-03…05: the call was handed on. To the agent who handed it on, supervisors, and for a
   * named agent the new agent (with the data that travels: notes, variables, IVR keys).
   */
  'session.transferred': {
    sessionId: string;
    fromAgentId: string | null;
    to:
      | { type: 'skillGroup'; skillGroupId: string }
      | { type: 'agent'; agentId: string }
      | { type: 'external'; number: string };
    notes: string | null;
    variables: Record<string, string>;
    ivrKeys: Array<{ key: string; label: string }>;
  };
  /** CTL-05/09, CTL-07, OUT-01: a party placed by call control rings, joins, leaves or fails. */
  'session.party': {
    sessionId: string;
    legId: string;
    role: 'agent' | 'external' | 'supervisor' | 'customer';
    purpose: 'threeWay' | 'transfer' | 'listen' | 'redial' | 'outbound';
    state: 'ringing' | 'joined' | 'left' | 'failed';
    agentId: string | null;
    /** Masked when the tenant protects numbers. */
    number: string | null;
  };
  /** MON-03: a supervisor started or stopped listening in (to supervisors and admins). */
  'session.listen': { sessionId: string; supervisorId: string; legId: string; listening: boolean };
  /**
   * CTL-10: the customer keyed in digits for a template (masked when the template says so), or
   * failed to within the template's maximum tries (`failed`: `digits` empty, `reason` of the
   * last try — no digits in time, or digits of the wrong length).
   */
  'session.digits': {
    sessionId: string;
    templateId: string;
    variable: string;
    digits: string;
    timedOut: boolean;
    failed: boolean;
    reason?: 'timeout' | 'invalid';
    /** Tries it took (the first included). */
    tries: number;
  };
  /**
   * A session changed state (issue 5 item 7): `ivr → queued → offering → bridged → ended`, and
   * the turns in between (missed offer back to the queue, transfer, survey after the agent,
   * external transfer). To supervisors and admins, and to the agent offered or serving the call
   * (and an agent who handed it on); agents get the customer's number masked when the tenant
   * protects numbers (RT-07). `previous` is null for a session just created.
   */
  'session.state': {
    sessionId: string;
    state: 'ivr' | 'queued' | 'offering' | 'bridged' | 'ended';
    previous: 'ivr' | 'queued' | 'offering' | 'bridged' | 'ended' | null;
    reason: SessionStateReason;
    direction: 'inbound' | 'outbound' | 'internal';
    caller: string;
    callee: string;
    skillGroupId: string | null;
    agentId: string | null;
    at: string;
  };
  /**
   * Simulator mode only (no real jambonz): a leg on the signed-in agent's own simulated
   * softphone rang, was answered, or ended (`POST /simulator/devices/me` registers it). To that
   * agent only; the workbench's simulated phone shows and answers it through
   * `/simulator/devices/me/calls/…`. `from` is the caller id the leg shows (masked under number
   * protection, as on a real softphone); `cause` says how a leg ended.
   */
  'simulator.device.call': {
    callSid: string;
    state: 'ringing' | 'active' | 'ended';
    from: string;
    sessionId: string | null;
    offerId: string | null;
    autoAnswer: boolean;
    cause?: 'local-hangup' | 'remote-hangup' | 'rejected' | 'cancelled';
  };
  /**
   * OUT-01/03, CTL-07: how a call an agent places is getting on, for the workbench's dial pad.
   * In order: `dialingAgent` (the agent's own device rings: softphone, or their mobile per answer
   * mode) → `agentAnswered` → `dialingCustomer` → `customerRinging` → `connected` → `ended`; a
   * call that does not connect goes from any stage to `ended`, whose `endStatusString` says why
   * (`notAnswer`, `busy`, `userReject`, `callerCancel`, `callerCancelWhileRing`, `clientError`…).
   * Alongside `session.state` (`offering` → `bridged` → `ended`), in the same order per session.
   *
   * To the agent placing the call, supervisors and admins. Agents get `callee` masked when the
   * tenant protects numbers (OUT-09), and the customer's number masked inside `annotations` too.
   */
  'session.outbound': {
    sessionId: string;
    stage: 'dialingAgent' | 'agentAnswered' | 'dialingCustomer' | 'customerRinging' | 'connected' | 'ended';
    /** `outbound`: dialled from the workbench (OUT-01/03); `redial`: a callback of an ended call (CTL-07). */
    kind: 'outbound' | 'redial';
    agentId: string;
    /** The company number the customer sees (OUT-07). */
    callerId: string;
    /** The customer's number; masked for agents under number protection (OUT-09). */
    callee: string;
    /** The outbound skill group the call goes through, if any. */
    skillGroupId: string | null;
    /** What `call.outbound` plugins added (a CRM card…), masked as in the session view. */
    annotations: Record<string, unknown>;
    /** Set on `ended`: the record's end status (research A7). */
    endStatus?: number;
    endStatusString?: string;
    hungUpSide?: 'user' | 'seat' | 'system';
    at: string;
  };
  /**
   * MON-01: an agent's live monitor row changed (state, time in it, today's totals, current
   * call). To supervisors and admins of the tenant only — never to agents. The whole dynamic part
   * of the row, so a monitor applies it without reading again; names and groups come from
   * `GET /monitor/agents`. `today` is seconds per state since the tenant's midnight, up to `at`.
   */
  'monitor.agent': MonitorAgentLive;
  /**
   * MON-02: a skill group's live counts changed (agents by state, queue, calls today). To
   * supervisors and admins of the tenant only.
   */
  'monitor.skillGroup': MonitorSkillGroupLive;
  /** CTL-10/11: the customer left the room for digits or self-service, or came back. */
  'session.customer': {
    sessionId: string;
    away: 'collect' | 'selfService' | null;
    variables: Record<string, string>;
  };
}

export type ServerEventType = keyof ServerEvents;

/** The frame on the wire. */
export interface ServerFrame<T extends ServerEventType = ServerEventType> {
  type: T;
  data: ServerEvents[T];
  /** Unique id, for client-side de-duplication across reconnects. */
  id: string;
  at: string;
}

/**
 * Where an event goes. Channels are always within one tenant:
 * `tenant` = everyone in it, `role` = everyone with a role, `user` = one person's sockets.
 */
export type Audience =
  | { tenantId: string; kind: 'tenant' }
  | { tenantId: string; kind: 'role'; role: Role }
  | { tenantId: string; kind: 'user'; userId: string };

/** Channel name of an audience (also what a socket subscribes to). */
export function channelOf(a: Audience): string {
  switch (a.kind) {
    case 'tenant':
      return `tenant:${a.tenantId}`;
    case 'role':
      return `role:${a.tenantId}:${a.role}`;
    case 'user':
      return `user:${a.tenantId}:${a.userId}`;
  }
}

/**
 * A published message: one frame for one or more channels. One event for several audiences
 * (an agent and the supervisors) travels as one message, so a shared PostgreSQL carries one
 * NOTIFY instead of one per audience, and a socket that is in two of the channels gets it once.
 */
export interface BusMessage {
  channels: string[];
  frame: ServerFrame;
}
