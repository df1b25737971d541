/**
 * The shapes the call screens work with, and the pure helpers that build them from what the
 * server sends (`call.offer`, `GET /sessions/:id`). Kept apart from the store so components
 * and tests can use them without Pinia.
 */
import type { ServerEvents } from '@/api/realtime-events';
import type { CallerLocation } from '@shared/call-card';

// The card a plugin puts on the call (INT-02) and where the caller's number is from (IN-06):
// shared with the mini-program (`shared/call-card.ts`), named here as the web app always has.
export { cardsOf, isUiCard, locationText, safeLink, type CallerLocation, type UiCard } from '@shared/call-card';

/** IN-05: the company number the customer dialled (or that showed to them), with its label. */
export interface CompanyNumber {
  number: string;
  label: string;
}

/** `call.offer` as the server sends it. */
export type OfferEvent = ServerEvents['call.offer'];

export type IvrKey = { key: string; label: string };

/** What every phase of a call shows about it. */
export interface CallInfo {
  sessionId: string;
  offerId: string | null;
  direction: 'inbound' | 'outbound' | 'internal';
  /** The customer's number as the server sends it (masked under number protection). */
  customer: string;
  /** The number dialled (inbound: the company number). */
  callee: string;
  companyNumber: CompanyNumber | null;
  callerLocation: CallerLocation | null;
  skillGroupName: string | null;
  ivrKeys: IvrKey[];
  annotations: Record<string, unknown>;
  variables: Record<string, string>;
  /** A colleague calling (AGT-04). */
  internalFrom: { agentId: string; name: string; staffNo: string } | null;
  /** Handed on by another agent (CTL-03/04): their notes came with it. */
  transferred: boolean;
}

/** An offer ringing for this agent. */
export interface RingingCall extends CallInfo {
  /** Ring time the server gives the offer (0 = no limit). */
  ringTimeoutSeconds: number;
  /** When the offer arrived here (epoch ms), the start of the countdown. */
  receivedAt: number;
}

/** A party call control placed into the call (CTL-09 three-way, external transfer). */
export interface Party {
  legId: string;
  role: 'agent' | 'external' | 'supervisor' | 'customer';
  purpose: string;
  state: 'ringing' | 'joined' | 'left' | 'failed';
  agentId: string | null;
  number: string | null;
}

/** Digits the customer keyed in for a collection template (CTL-10). */
export type CollectedDigits = ServerEvents['session.digits'];

/** The call the agent is on. */
export interface LiveCall extends CallInfo {
  answeredAt: number;
  held: boolean;
  heldSince: number | null;
  muted: boolean;
  parties: Party[];
  /** The customer is away keying in digits (CTL-10) or in a self-service flow (CTL-11). */
  customerAway: 'collect' | 'selfService' | null;
  collected: CollectedDigits[];
}

/** How a call ended for this agent. */
export type EndedBy = 'customer' | 'agent' | 'system' | 'transferred' | 'unknown';

/** A call that ended; wrap-up works on it. */
export interface EndedCall {
  call: LiveCall;
  endedAt: number;
  by: EndedBy;
  /** Where it was handed on (CTL-03/04/05). */
  transferredTo: ServerEvents['session.transferred']['to'] | null;
}

/** The session view (`GET /sessions/:id`) as the store reads it. */
export interface SessionView {
  id: string;
  state: string;
  direction?: 'inbound' | 'outbound' | 'internal';
  caller: string;
  callee?: string;
  acceptedAt?: string | null;
  endedAt?: string | null;
  held: boolean;
  agentMuted: boolean;
  customerAway?: 'collect' | 'selfService' | null;
  ivrKeys: IvrKey[];
  variables: Record<string, string>;
  notes: string | null;
  annotations?: Record<string, unknown>;
  callerLocation?: CallerLocation | null;
  companyNumber?: CompanyNumber | null;
}

/** The info of an offer. */
export function infoFromOffer(o: OfferEvent): CallInfo {
  return {
    sessionId: o.sessionId,
    offerId: o.offerId,
    direction: o.internalFrom ? 'internal' : 'inbound',
    customer: o.caller,
    callee: o.callee,
    companyNumber: o.companyNumber ?? null,
    callerLocation: o.callerLocation ?? null,
    skillGroupName: o.skillGroupName,
    ivrKeys: o.ivrKeys ?? [],
    annotations: o.annotations ?? {},
    variables: o.variables ?? {},
    internalFrom: o.internalFrom ?? null,
    transferred: o.notes !== undefined,
  };
}

/** The info of a session read over REST (a reload, a reconnect, a redial). */
export function infoFromView(v: SessionView, base?: Partial<CallInfo>): CallInfo {
  const direction = v.direction ?? base?.direction ?? 'inbound';
  return {
    sessionId: v.id,
    offerId: base?.offerId ?? null,
    direction,
    customer: direction === 'outbound' ? (v.callee ?? base?.customer ?? '') : v.caller,
    callee: direction === 'outbound' ? v.caller : (v.callee ?? base?.callee ?? ''),
    companyNumber: v.companyNumber ?? base?.companyNumber ?? null,
    callerLocation: v.callerLocation ?? base?.callerLocation ?? null,
    skillGroupName: base?.skillGroupName ?? null,
    ivrKeys: v.ivrKeys.map((k) => ({ key: k.key, label: k.label })),
    annotations: v.annotations ?? base?.annotations ?? {},
    variables: v.variables ?? {},
    internalFrom: base?.internalFrom ?? null,
    transferred: base?.transferred ?? false,
  };
}

/** The info of a call the agent places, from its first `session.outbound` (OUT-01). */
export function infoFromOutbound(o: ServerEvents['session.outbound']): CallInfo {
  return {
    sessionId: o.sessionId,
    offerId: null,
    direction: 'outbound',
    customer: o.callee,
    callee: o.callerId,
    companyNumber: null,
    callerLocation: null,
    skillGroupName: null,
    ivrKeys: [],
    annotations: o.annotations ?? {},
    variables: {},
    internalFrom: null,
    transferred: false,
  };
}

/** A call just answered. */
export function liveFrom(info: CallInfo, answeredAt: number): LiveCall {
  return {
    ...info,
    answeredAt,
    held: false,
    heldSince: null,
    muted: false,
    parties: [],
    customerAway: null,
    collected: [],
  };
}

/** Which side hung up, from `call.ended`'s `hungUpSide`. */
export function endedByOf(hungUpSide: string | undefined): EndedBy {
  if (hungUpSide === 'user') return 'customer';
  if (hungUpSide === 'seat') return 'agent';
  if (hungUpSide === 'system') return 'system';
  return 'unknown';
}

/**
 * Why an offer went away (`call.offer.withdrawn` reason, core `acd.ts`): the agent declined,
 * it rang out, or the caller left.
 */
export function withdrawnKind(reason: string): 'rejected' | 'missed' | 'callerGone' {
  if (reason === 'busy' || reason === 'rejected' || reason === 'hung up while ringing') return 'rejected';
  if (reason === 'call ended' || reason === 'caller hung up') return 'callerGone';
  return 'missed';
}
