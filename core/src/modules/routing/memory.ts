import { sql } from 'drizzle-orm';
import type { DbTx } from '../../db/database.js';

/**
 * Records that `userId` took `sessionId`, as the last agent of its customer (RT-04). Runs in the
 * transaction that makes the agent busy, so the memory never disagrees with who served.
 */
export async function rememberServingAgent(
  tx: DbTx,
  tenantId: string,
  sessionId: string,
  userId: string,
): Promise<void> {
  await tx.execute(sql`
    insert into routing_memory (tenant_id, customer_number, user_id, session_id, served_at)
    select s.tenant_id, case when s.direction = 'inbound' then s.caller else s.callee end, ${userId}, s.id, now()
    from call_sessions s where s.id = ${sessionId} and s.tenant_id = ${tenantId} and s.direction <> 'internal'
    on conflict (tenant_id, customer_number) do update
      set user_id = excluded.user_id, session_id = excluded.session_id, served_at = excluded.served_at`);
}

/** The agent who last served `customerNumber` in the tenant, if any. */
export async function lastAgentOf(tx: DbTx, tenantId: string, customerNumber: string): Promise<string | null> {
  const rows = await tx.execute<{ user_id: string }>(sql`
    select user_id from routing_memory where tenant_id = ${tenantId} and customer_number = ${customerNumber}`);
  return rows.rows[0]?.user_id ?? null;
}

/**
 * OUT-12: the agent who called `customerNumber` within the last `days` days, when that outbound
 * call is still the customer's last contact (an agent who served them since took its place),
 * and the skill group it went through (null: none).
 */
export async function outboundMemoryOf(
  tx: DbTx,
  tenantId: string,
  customerNumber: string,
  days: number,
): Promise<{ userId: string; skillGroupId: string | null } | null> {
  const rows = await tx.execute<{ user_id: string; skill_group_id: string | null }>(sql`
    select m.user_id, s.queued_skill_group_id as skill_group_id
    from routing_memory m join call_sessions s on s.id = m.session_id
    where m.tenant_id = ${tenantId} and m.customer_number = ${customerNumber}
      and s.direction = 'outbound' and m.served_at > now() - make_interval(days => ${days})`);
  const r = rows.rows[0];
  return r ? { userId: r.user_id, skillGroupId: r.skill_group_id } : null;
}
