import { sql, type SQL } from 'drizzle-orm';

/**
 * SQL condition: user `userId` took part in the call `sessionId` (an SQL expression: a column or
 * a parameter) — REC-05 "my calls". Any leg they served or placed counts:
 * - an offer they answered (the first agent, one a call was transferred to, either side of an
 *   internal call, AGT-04);
 * - a leg call control placed for them that they answered (three-way), or that they placed
 *   themselves (a redial, CTL-07);
 * - the agent the session or its record names (the serving agent).
 * Session ids are unique across tenants; callers scope the outer query by tenant.
 */
export function tookPart(userId: string, sessionId: SQL): SQL {
  return sql`(
    exists (select 1 from call_offers o
      where o.session_id = ${sessionId} and o.agent_id = ${userId} and o.answered_at is not null)
    or exists (select 1 from call_legs l
      where l.session_id = ${sessionId} and l.agent_id = ${userId}
        and (l.answered_at is not null or l.invited_by = ${userId}))
    or exists (select 1 from call_sessions s where s.id = ${sessionId} and s.agent_id = ${userId})
    or exists (select 1 from cdrs c where c.session_id = ${sessionId} and c.agent_id = ${userId}))`;
}
