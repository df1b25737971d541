import { eq } from 'drizzle-orm';
import type { DbTx } from '../../db/database.js';
import { callSessions, type CallSessionRow } from './schema.js';

/*
 * Reads and touches of one `call_sessions` row, shared by the call path's parts (the flow, the
 * IVR runner, the end of a session). Each step of the path is a conditional update on the state
 * it expects; these are the plain lookups around those updates.
 */

/** The session by id, as it is now (no lock). */
export async function findSession(db: DbTx, id: string): Promise<CallSessionRow | undefined> {
  const [row] = await db.select().from(callSessions).where(eq(callSessions.id, id));
  return row;
}

/** The session of a customer leg, by the provider's call sid. */
export async function findSessionByCallSid(db: DbTx, callSid: string): Promise<CallSessionRow | undefined> {
  const [row] = await db.select().from(callSessions).where(eq(callSessions.customerCallSid, callSid));
  return row;
}

/**
 * The session, locked for the rest of `tx`. Lock order everywhere on the call path: session,
 * then offers, then agents — so racing webhooks wait for each other instead of deadlocking.
 */
export async function lockSession(tx: DbTx, id: string): Promise<CallSessionRow | undefined> {
  const [row] = await tx.select().from(callSessions).where(eq(callSessions.id, id)).for('update');
  return row;
}

/** Marks the session as heard from, so the reaper leaves it alone (`last_event_at`). */
export async function touchSession(db: DbTx, id: string): Promise<void> {
  await db.update(callSessions).set({ lastEventAt: new Date() }).where(eq(callSessions.id, id));
}
