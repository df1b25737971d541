import type { Role } from '../modules/users/schema.js';

/**
 * Every server→client event, by type. Modules add their events here so the gateway, the SDK
 * and tests share one typed vocabulary.
 */
export interface ServerEvents {
  /** Sent once after a socket is authenticated. */
  'session.ready': { userId: string; tenantId: string; role: Role; channels: string[]; heartbeatMs: number };
  /** A plain notice (used by tests and admin broadcasts). */
  'system.notice': { message: string; level?: 'info' | 'warning' | 'error' };
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
   * The user's realtime session is ended by the server (ADM-12 force offline). The gateway of
   * every instance sends this frame, then closes the user's sockets with code 4003.
   */
  'session.revoked': { reason: 'forced-offline'; message: string };
  /** A call recording is stored and playable (to supervisors and admins). */
  'recording.ready': { recordingId: string; sessionId: string; durationMs: number };
  /** A call is ringing for this agent (IN-04: `caller` is masked when number protection is on). */
  'call.offer': {
    sessionId: string;
    offerId: string;
    caller: string;
    callee: string;
    skillGroupId: string | null;
    skillGroupName: string | null;
    ringTimeoutSeconds: number;
    ivrKeys: Array<{ key: string; label: string }>;
    annotations: Record<string, unknown>;
  };
  /** The offer ended without this agent answering (missed, or the caller hung up). */
  'call.offer.withdrawn': { sessionId: string; offerId: string; reason: string };
  /** This agent is now talking to the customer. */
  'call.accepted': { sessionId: string; offerId: string };
  /** A session this agent served (or a supervisor watches) ended. */
  'call.ended': { sessionId: string; endStatus: number; endStatusString: string; hungUpSide: string };
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

/** A published message: one channel, one frame. */
export interface BusMessage {
  channel: string;
  frame: ServerFrame;
}
