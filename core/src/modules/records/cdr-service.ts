import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbTx } from '../../db/database.js';
import { callOffers, type CallSessionRow } from '../calls/schema.js';
import { endStatusString } from '../calls/end-status.js';
import { skillGroups } from '../skill-groups/schema.js';
import { users } from '../users/schema.js';
import { cdrs, type CdrRow, type ServeParticipant } from './schema.js';

const unix = (d: Date | null | undefined) => (d ? Math.floor(d.getTime() / 1000) : null);
const seconds = (a: Date | null | undefined, b: Date | null | undefined) =>
  a && b ? Math.max(0, Math.round((b.getTime() - a.getTime()) / 1000)) : 0;

/**
 * Builds and writes the CDR of an ended session — inside the transaction that ended it, and
 * with `ON CONFLICT DO NOTHING` on the session id, so a session has exactly one CDR however
 * many `completed` webhooks arrive.
 */
export async function writeCdr(tx: DbTx, session: CallSessionRow): Promise<CdrRow | null> {
  const offers = await tx
    .select({
      id: callOffers.id,
      agentId: callOffers.agentId,
      state: callOffers.state,
      skillGroupId: callOffers.skillGroupId,
      createdAt: callOffers.createdAt,
      answeredAt: callOffers.answeredAt,
      endedAt: callOffers.endedAt,
      email: users.email,
      staffNo: users.staffNo,
      groupName: skillGroups.name,
    })
    .from(callOffers)
    .innerJoin(users, eq(users.id, callOffers.agentId))
    .leftJoin(skillGroups, eq(skillGroups.id, callOffers.skillGroupId))
    .where(and(eq(callOffers.tenantId, session.tenantId), eq(callOffers.sessionId, session.id)))
    .orderBy(asc(callOffers.createdAt));
  const recording = await tx.execute<{ id: string }>(
    sql`select id from recordings where tenant_id = ${session.tenantId} and session_id = ${session.id} order by started_at desc limit 1`,
  );
  const recordingId = recording.rows[0]?.id ?? null;
  const served = offers.find((o) => o.answeredAt);
  const queuedGroup = session.queuedSkillGroupId
    ? (
        await tx
          .select({ name: skillGroups.name })
          .from(skillGroups)
          .where(eq(skillGroups.id, session.queuedSkillGroupId))
      )[0]
    : undefined;
  const endedAt = session.endedAt ?? new Date();
  const participants: ServeParticipant[] = offers.map((o, i) => ({
    type: 'staffSeat',
    agentId: o.agentId,
    email: o.email,
    staffNo: o.staffNo,
    sequence: i,
    skillGroupId: o.skillGroupId,
    skillGroupName: o.groupName,
    ringTimestamp: unix(o.createdAt),
    acceptTimestamp: unix(o.answeredAt),
    endedTimestamp: unix(o.endedAt ?? endedAt),
    endStatusString: o.answeredAt ? 'ok' : o.state === 'missed' ? 'notAnswer' : 'ringingGiveUp',
    recordingId: o.answeredAt ? recordingId : null,
  }));
  const code = session.endStatus ?? 1;
  const [row] = await tx
    .insert(cdrs)
    .values({
      tenantId: session.tenantId,
      sessionId: session.id,
      direction: session.direction,
      caller: session.caller,
      callee: session.callee,
      startedAt: session.startedAt,
      queuedAt: session.queuedAt,
      ringAt: session.ringAt,
      acceptedAt: session.acceptedAt,
      endedAt,
      durationSeconds: seconds(session.acceptedAt, endedAt),
      ivrDurationSeconds: seconds(session.startedAt, session.queuedAt ?? endedAt),
      ivrKeys: session.ivrKeys,
      queuedSkillGroupId: session.queuedSkillGroupId,
      queuedSkillGroupName: queuedGroup?.name ?? null,
      servingSkillGroupId: served?.skillGroupId ?? null,
      servingSkillGroupName: served?.groupName ?? null,
      agentId: served?.agentId ?? null,
      endStatus: code,
      endStatusString: endStatusString(code),
      hungUpSide: session.hungUpSide ?? 'system',
      recordingId,
      serveParticipants: participants,
      annotations: session.annotations,
    })
    .onConflictDoNothing({ target: cdrs.sessionId })
    .returning();
  return row ?? null;
}
