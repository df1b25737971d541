import { and, eq, sql } from 'drizzle-orm';
import type { DbTx } from '../../db/database.js';
import type { CallAction, LegContext, LegStatus } from '../../telephony/types.js';
import { callOffers, type CallOfferRow, type CallSessionRow } from './schema.js';

/*
 * Small steps every call path takes alike: the customer's call (CallFlowService), agent → agent
 * calls (InternalCallService) and live call control (SessionControlService).
 */

/** A leg status after which the leg is gone. */
export function isFinal(s: LegStatus): boolean {
  return s === 'completed' || s === 'no-answer' || s === 'busy' || s === 'failed';
}

export function say(text: string): CallAction {
  return { type: 'prompt', prompt: { kind: 'say', text } };
}

/** The tag of the session's customer leg. */
export function customerContext(s: CallSessionRow): LegContext {
  return { sessionId: s.id, tenantId: s.tenantId, role: 'customer' };
}

/**
 * Plugin payload fields of a call: the customer's leg unless another `callSid` is named (an
 * internal call has staff numbers for `from` and `to`).
 */
export function hookBase(s: CallSessionRow, callSid: string = s.customerCallSid) {
  return {
    tenantId: s.tenantId,
    sessionId: s.id,
    callSid,
    direction: s.direction,
    from: s.caller,
    to: s.callee,
    occurredAt: new Date().toISOString(),
  };
}

/** An agent's leg answered its offer: accepted, once, while it still rings (undefined otherwise). */
export async function acceptRingingOffer(
  tx: DbTx,
  offerId: string,
  callSid: string,
): Promise<CallOfferRow | undefined> {
  const [offer] = await tx
    .update(callOffers)
    .set({
      state: 'accepted',
      answeredAt: new Date(),
      callSid: sql`coalesce(${callOffers.callSid}, ${callSid})`,
    })
    .where(and(eq(callOffers.id, offerId), eq(callOffers.state, 'ringing')))
    .returning();
  return offer;
}

/** The session ended: its ringing offers are withdrawn (`cancelled`), the served one `ended`. */
export async function closeOpenOffers(tx: DbTx, sessionId: string): Promise<CallOfferRow[]> {
  return tx
    .update(callOffers)
    .set({
      state: sql`case when ${callOffers.state} = 'ringing' then 'cancelled' else 'ended' end`,
      endedAt: new Date(),
      endReason: 'session ended',
    })
    .where(and(eq(callOffers.sessionId, sessionId), sql`${callOffers.state} in ('ringing', 'accepted')`))
    .returning();
}
