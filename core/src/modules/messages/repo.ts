import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { users, type Role } from '../users/schema.js';
import { imMessages, type ImMessageRow } from './schema.js';

/** A conversation as the list shows it: the colleague, the last message, what is unread. */
export interface ConversationRow {
  peer: { id: string; name: string; staffNo: string; role: Role };
  last: ImMessageRow;
  unread: number;
}

/** Both directions of the conversation of `a` and `b` (matches the conversation index). */
function conversation(a: string, b: string) {
  return and(
    sql`least(${imMessages.senderId}, ${imMessages.recipientId}) = least(${a}::uuid, ${b}::uuid)`,
    sql`greatest(${imMessages.senderId}, ${imMessages.recipientId}) = greatest(${a}::uuid, ${b}::uuid)`,
  );
}

/**
 * Internal messages (AGT-05). Every method takes the tenant id and the signed-in user: a
 * message is reachable only by its sender and its recipient, within their tenant.
 */
export class MessageRepo {
  private readonly db: Db;
  constructor({ db }: { db: Db }) {
    this.db = db;
  }

  /** An active or disabled user of the tenant (the recipient or peer of a conversation). */
  async colleague(tenantId: string, userId: string) {
    const [row] = await this.db
      .select({ id: users.id, name: users.name, staffNo: users.staffNo, status: users.status })
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
    return row;
  }

  async insert(
    tenantId: string,
    input: {
      id?: string;
      senderId: string;
      recipientId: string;
    } & ({ kind: 'text'; body: string } | { kind: 'image'; imageKey: string; imageType: string; imageBytes: number }),
  ): Promise<ImMessageRow> {
    const [row] = await this.db
      .insert(imMessages)
      .values({ tenantId, ...input })
      .returning();
    return row!;
  }

  /** One page of a conversation, newest first: messages older than `before` (a seq), `limit` of them. */
  async page(tenantId: string, me: string, peer: string, before: number | undefined, limit: number) {
    return this.db
      .select()
      .from(imMessages)
      .where(
        and(
          eq(imMessages.tenantId, tenantId),
          conversation(me, peer),
          before !== undefined ? lt(imMessages.seq, before) : undefined,
        ),
      )
      .orderBy(desc(imMessages.seq))
      .limit(limit);
  }

  /** Marks the messages `peer` sent `me` read, up to `upToSeq`. Returns how many changed and the newest seq among them. */
  async markRead(
    tenantId: string,
    me: string,
    peer: string,
    upToSeq: number,
  ): Promise<{ count: number; upToSeq: number | null }> {
    const rows = await this.db
      .update(imMessages)
      .set({ readAt: new Date() })
      .where(
        and(
          eq(imMessages.tenantId, tenantId),
          eq(imMessages.recipientId, me),
          eq(imMessages.senderId, peer),
          sql`${imMessages.readAt} is null`,
          sql`${imMessages.seq} <= ${upToSeq}`,
        ),
      )
      .returning({ seq: imMessages.seq });
    return { count: rows.length, upToSeq: rows.length ? Math.max(...rows.map((r) => r.seq)) : null };
  }

  /** The image message `id`, if `me` sent or received it. */
  async imageFor(tenantId: string, me: string, id: string): Promise<ImMessageRow | undefined> {
    const [row] = await this.db
      .select()
      .from(imMessages)
      .where(
        and(
          eq(imMessages.tenantId, tenantId),
          eq(imMessages.id, id),
          eq(imMessages.kind, 'image'),
          or(eq(imMessages.senderId, me), eq(imMessages.recipientId, me)),
        ),
      );
    return row;
  }

  /** Every conversation of `me`, the most recent first, with its unread count. */
  async conversations(tenantId: string, me: string, limit: number): Promise<ConversationRow[]> {
    const res = await this.db.execute<{
      id: string;
      peer_id: string;
      unread: number;
      name: string;
      staff_no: string;
      role: Role;
    }>(sql`
      with last as (
        select distinct on (peer_id) id, seq, peer_id from (
          select id, seq, case when sender_id = ${me} then recipient_id else sender_id end as peer_id
          from im_messages
          where tenant_id = ${tenantId} and (sender_id = ${me} or recipient_id = ${me})
        ) mine
        order by peer_id, seq desc
      ), unread as (
        select sender_id as peer_id, count(*)::int as n from im_messages
        where tenant_id = ${tenantId} and recipient_id = ${me} and read_at is null
        group by sender_id
      )
      select last.id, last.peer_id, coalesce(unread.n, 0) as unread, u.name, u.staff_no, u.role
      from last
      join users u on u.id = last.peer_id and u.tenant_id = ${tenantId}
      left join unread on unread.peer_id = last.peer_id
      order by last.seq desc
      limit ${limit}`);
    if (res.rows.length === 0) return [];
    const lastRows = await this.db
      .select()
      .from(imMessages)
      .where(
        and(
          eq(imMessages.tenantId, tenantId),
          sql`${imMessages.id} = any(${`{${res.rows.map((r) => r.id).join(',')}}`}::uuid[])`,
        ),
      );
    const byId = new Map(lastRows.map((m) => [m.id, m]));
    return res.rows.map((r) => ({
      peer: { id: r.peer_id, name: r.name, staffNo: r.staff_no, role: r.role },
      last: byId.get(r.id)!,
      unread: Number(r.unread),
    }));
  }
}
