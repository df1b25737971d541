import { eq, sql } from 'drizzle-orm';
import type { DbTx } from '../../db/database.js';
import type { CallSessionRow } from '../calls/schema.js';
import { endStatusString } from '../calls/end-status.js';
import { sessionOffers } from '../sessions/legs.js';
import { skillGroups } from '../skill-groups/schema.js';
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
  const offers = await sessionOffers(tx, session.tenantId, session.id);
  // The conversation's recordings, and a voicemail the caller left (IVR-31), kept apart.
  const recording = await tx.execute<{ id: string; kind: string; started_at: Date | string }>(
    sql`select id, kind, started_at from recordings where tenant_id = ${session.tenantId} and session_id = ${session.id} order by started_at desc`,
  );
  const voicemailId = recording.rows.find((r) => r.kind === 'voicemail')?.id ?? null;
  const served = offers.find((o) => o.answeredAt);
  // A call handed on (CTL-03/04) is recorded once per agent: the customer's audio fork ends
  // when they leave the room and a new one starts when they join the next agent's, and an
  // MP3 already stored cannot be appended to. So each part keeps its own recording, each
  // serving agent's entry points at theirs, and the CDR's `recordingId` is the first part's
  // (the one of `agentId`, the first agent who answered); `GET /records/:id` lists them all.
  const parts = recording.rows
    .filter((r) => r.kind === 'call')
    .map((r) => ({ id: r.id, at: new Date(r.started_at).getTime() }))
    .reverse();
  const recordingId = parts[0]?.id ?? null;
  const partOf = recordingsByOffer(offers, parts);
  const queuedGroup = session.queuedSkillGroupId
    ? (
        await tx
          .select({ name: skillGroups.name })
          .from(skillGroups)
          .where(eq(skillGroups.id, session.queuedSkillGroupId))
      )[0]
    : undefined;
  const endedAt = session.endedAt ?? new Date();
  // An agent who placed the call (OUT-01, CTL-07) serves it as the reference's `outboundSeat`.
  const seat = session.direction === 'outbound' ? 'outboundSeat' : 'staffSeat';
  const participants: ServeParticipant[] = offers.map((o, i) => ({
    type: seat,
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
    recordingId: o.answeredAt ? (partOf.get(o.id) ?? null) : null,
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
      // A call an agent placed is theirs even when it never connected (agents see their records).
      agentId: served?.agentId ?? (session.direction === 'outbound' ? session.agentId : null),
      endStatus: code,
      endStatusString: endStatusString(code),
      hungUpSide: session.hungUpSide ?? 'system',
      recordingId,
      serveParticipants: participants,
      customerAlias: session.customerAlias,
      annotations: session.annotations,
      variables: session.variables,
      surveyResult: session.surveyResult ?? null,
      satisfaction: session.surveyResult
        ? [
            {
              key: session.surveyResult.key,
              label: session.surveyResult.label,
              timestamp: session.surveyResult.timestamp,
            },
          ]
        : null,
      voicemailId,
    })
    .onConflictDoNothing({ target: cdrs.sessionId })
    .returning();
  return row ?? null;
}

/**
 * Which recording belongs to which answered offer: a part starts when the customer joins the
 * agent's room, after that agent answered, so each recording goes to the offer answered last
 * before it started (both times are taken by the app). A recording older than every answer
 * (clock skew on a call whose answer time the database set) goes to the first agent. An offer
 * keeps the first part it was given.
 */
export function recordingsByOffer(
  offers: ReadonlyArray<{ id: string; answeredAt: Date | null }>,
  parts: ReadonlyArray<{ id: string; at: number }>,
): Map<string, string> {
  const answered = offers
    .filter((o): o is { id: string; answeredAt: Date } => o.answeredAt !== null)
    .sort((a, b) => a.answeredAt.getTime() - b.answeredAt.getTime());
  const byOffer = new Map<string, string>();
  if (answered.length === 0) return byOffer;
  for (const p of parts) {
    let owner = answered[0]!;
    for (const o of answered) if (o.answeredAt.getTime() <= p.at) owner = o;
    if (!byOffer.has(owner.id)) byOffer.set(owner.id, p.id);
  }
  return byOffer;
}
