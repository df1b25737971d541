import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { callSessions, type CallSessionRow } from '../calls/schema.js';
import { cdrs } from '../records/schema.js';

/** The queries of {@link PluginCalls}: a tenant's session, who served it, its annotations. */
export class PluginCallRepo {
  constructor(private readonly db: Db) {}

  async session(tenantId: string, sessionId: string): Promise<CallSessionRow | undefined> {
    const [row] = await this.db
      .select()
      .from(callSessions)
      .where(and(eq(callSessions.tenantId, tenantId), eq(callSessions.id, sessionId)));
    return row;
  }

  /**
   * The agents who took part in the call: offered and accepted or answered it, or placed it
   * (outbound), or joined it as a leg (a second agent in a three-way call).
   */
  async agentsOf(session: CallSessionRow): Promise<string[]> {
    const rows = await this.db.execute<{ agent_id: string }>(sql`
      select agent_id from call_offers where session_id = ${session.id}
        and (state = 'accepted' or answered_at is not null)
      union
      select agent_id from call_legs where session_id = ${session.id} and agent_id is not null`);
    const ids = new Set(rows.rows.map((r) => r.agent_id));
    if (session.direction === 'outbound' && session.agentId) ids.add(session.agentId);
    return [...ids];
  }

  /**
   * Sets `annotations[key]` on the session and on its record if it is written (wrap-up comes
   * after the CDR); each one statement, so concurrent keys of other plugins are kept.
   */
  async annotate(tenantId: string, sessionId: string, key: string, value: unknown): Promise<boolean> {
    const entry = sql`jsonb_build_object(${key}::text, ${JSON.stringify(value)}::jsonb)`;
    const updated = await this.db
      .update(callSessions)
      .set({ annotations: sql`coalesce(${callSessions.annotations}, '{}'::jsonb) || ${entry}` })
      .where(and(eq(callSessions.tenantId, tenantId), eq(callSessions.id, sessionId)))
      .returning({ id: callSessions.id });
    await this.db
      .update(cdrs)
      .set({ annotations: sql`coalesce(${cdrs.annotations}, '{}'::jsonb) || ${entry}` })
      .where(and(eq(cdrs.tenantId, tenantId), eq(cdrs.sessionId, sessionId)));
    return updated.length > 0;
  }
}
