import { and, asc, count, desc, eq, ilike, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db, DbTx } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import { likePattern } from '../tenants/repo.js';
import { users } from '../users/schema.js';
import {
  DEFAULT_MEMBER_PRIORITY,
  MAX_MEMBER_PRIORITY,
  MIN_MEMBER_PRIORITY,
  skillGroupMembers,
  skillGroupNumbers,
  skillGroups,
  type SkillGroupMemberRow,
  type SkillGroupRow,
  type SkillGroupType,
  type Strategy,
} from './schema.js';

/** Columns the skill-group list sorts by. */
export const SKILL_GROUP_SORTS = ['name', 'type', 'strategy', 'memberCount', 'createdAt'] as const;
export type SkillGroupSort = (typeof SKILL_GROUP_SORTS)[number];

/** A search of the skill-group list (ADM-06). */
export interface SkillGroupQuery {
  /** Matches the name (case-insensitive, anywhere in it). */
  q?: string | undefined;
  type?: SkillGroupType | undefined;
  /** One group only (its head counts). */
  id?: string | undefined;
  sort: SkillGroupSort;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

/** One group of the list with its head counts: members, signed in (not offline) and idle. */
export interface SkillGroupListRow {
  group: SkillGroupRow;
  memberCount: number;
  onlineCount: number;
  idleCount: number;
}

/** A member as the admin sees them: who, and their priority (ADM-07). */
export interface MemberDetail {
  skillGroupId: string;
  userId: string;
  priority: number;
  name: string;
  staffNo: string;
}

/** What keeps a group from being deleted (`skill_group_in_use`). */
export interface SkillGroupUses {
  /** Flows with a version (draft or published) that transfers or overflows to the group. */
  flows: Array<{ flowId: string; flowName: string; versions: number[] }>;
  /** Numbers linked to the group as outbound caller ids (OUT-07). */
  numbers: Array<{ numberId: string; number: string; label: string }>;
  /** Calls in progress that queued in the group or overflow to it. */
  liveCalls: number;
  /** Groups whose callers overflow to this one (their own overflow setting, IVR-20). */
  overflowFrom: Array<{ skillGroupId: string; name: string }>;
}

/** A group's own wrap-up (RT-06); null fields follow the tenant's settings. */
export interface GroupWrapUp {
  wrapUpSeconds: number | null;
  wrapUpAutoEnd: boolean | null;
}

/** Skill groups and their members. */
export class SkillGroupRepo {
  private readonly db: Db;
  constructor({ db }: { db: Db }) {
    this.db = db;
  }

  async findByName(tenantId: string, name: string): Promise<SkillGroupRow | undefined> {
    const [row] = await this.db
      .select()
      .from(skillGroups)
      .where(and(eq(skillGroups.tenantId, tenantId), eq(skillGroups.name, name)));
    return row;
  }

  async create(
    tenantId: string,
    input: {
      name: string;
      type?: SkillGroupType;
      strategy?: Strategy;
      ringTimeoutSeconds?: number;
      ringTimeoutTransfer?: boolean;
      maxRingSeconds?: number;
      overflowSkillGroupId?: string | null;
      wrapUpSeconds?: number | null;
      wrapUpAutoEnd?: boolean | null;
    },
  ): Promise<SkillGroupRow> {
    const [row] = await this.db
      .insert(skillGroups)
      .values({ tenantId, ...input })
      .returning();
    return row!;
  }

  async findById(tenantId: string, id: string): Promise<SkillGroupRow | undefined> {
    const [row] = await this.db
      .select()
      .from(skillGroups)
      .where(and(eq(skillGroups.tenantId, tenantId), eq(skillGroups.id, id)));
    return row;
  }

  /** Changes how a group routes (RT-01…03), whether a ring timeout re-offers and how long an offer rings (RT-05). */
  async update(
    tenantId: string,
    id: string,
    patch: Partial<{
      type: SkillGroupType;
      strategy: Strategy;
      ringTimeoutSeconds: number;
      ringTimeoutTransfer: boolean;
      maxRingSeconds: number;
      overflowSkillGroupId: string | null;
      wrapUpSeconds: number | null;
      wrapUpAutoEnd: boolean | null;
    }>,
  ): Promise<SkillGroupRow | undefined> {
    const [row] = await this.db
      .update(skillGroups)
      .set(patch)
      .where(and(eq(skillGroups.tenantId, tenantId), eq(skillGroups.id, id)))
      .returning();
    return row;
  }

  /** A page of the tenant's groups with head counts (ADM-06), filtered and sorted on the server. */
  async page(tenantId: string, q: SkillGroupQuery): Promise<{ rows: SkillGroupListRow[]; total: number }> {
    const conditions: Array<SQL | undefined> = [eq(skillGroups.tenantId, tenantId)];
    if (q.q) conditions.push(ilike(skillGroups.name, likePattern(q.q)));
    if (q.type) conditions.push(eq(skillGroups.type, q.type));
    if (q.id) conditions.push(eq(skillGroups.id, q.id));
    const where = and(...conditions);
    // Head counts as correlated subqueries: one indexed lookup per group of the page only.
    const memberCount = sql<number>`(select count(*)::int from skill_group_members m
      where m.skill_group_id = ${skillGroups.id})`;
    const onlineCount = sql<number>`(select count(*)::int from skill_group_members m join agents a on a.user_id = m.user_id
      where m.skill_group_id = ${skillGroups.id} and a.state <> 'offline')`;
    const idleCount = sql<number>`(select count(*)::int from skill_group_members m join agents a on a.user_id = m.user_id
      where m.skill_group_id = ${skillGroups.id} and a.state = 'idle')`;
    const column = {
      name: skillGroups.name,
      type: skillGroups.type,
      strategy: skillGroups.strategy,
      memberCount,
      createdAt: skillGroups.createdAt,
    }[q.sort];
    const dir = q.order === 'desc' ? desc : asc;
    const [rows, [total]] = await Promise.all([
      this.db
        .select({ group: skillGroups, memberCount, onlineCount, idleCount })
        .from(skillGroups)
        .where(where)
        // The id breaks ties, so a page boundary never shows one group twice or skips one.
        .orderBy(dir(column), asc(skillGroups.id))
        .limit(q.limit)
        .offset(q.offset),
      this.db.select({ n: count() }).from(skillGroups).where(where),
    ]);
    return {
      rows: rows.map((r) => ({
        group: r.group,
        memberCount: Number(r.memberCount),
        onlineCount: Number(r.onlineCount),
        idleCount: Number(r.idleCount),
      })),
      total: total?.n ?? 0,
    };
  }

  /** Members of the given groups with their names and staff numbers, best priority first. */
  async memberDetails(tenantId: string, groupIds: string[], tx: DbTx = this.db): Promise<MemberDetail[]> {
    if (groupIds.length === 0) return [];
    return tx
      .select({
        skillGroupId: skillGroupMembers.skillGroupId,
        userId: skillGroupMembers.userId,
        priority: skillGroupMembers.priority,
        name: users.name,
        staffNo: users.staffNo,
      })
      .from(skillGroupMembers)
      .innerJoin(users, eq(users.id, skillGroupMembers.userId))
      .where(and(eq(skillGroupMembers.tenantId, tenantId), inArray(skillGroupMembers.skillGroupId, groupIds)))
      .orderBy(asc(skillGroupMembers.priority), asc(users.staffNo), asc(users.id));
  }

  /** Numbers linked to the given groups (OUT-07). */
  async numberLinksOf(
    tenantId: string,
    groupIds: string[],
    tx: DbTx = this.db,
  ): Promise<Array<{ skillGroupId: string; numberId: string }>> {
    if (groupIds.length === 0) return [];
    return tx
      .select({ skillGroupId: skillGroupNumbers.skillGroupId, numberId: skillGroupNumbers.numberId })
      .from(skillGroupNumbers)
      .where(and(eq(skillGroupNumbers.tenantId, tenantId), inArray(skillGroupNumbers.skillGroupId, groupIds)));
  }

  /** Creates a group inside `tx` (with its members, see {@link replaceMembers}). */
  async insert(
    tx: DbTx,
    tenantId: string,
    input: {
      name: string;
      type?: SkillGroupType;
      strategy?: Strategy;
      ringTimeoutSeconds?: number;
      ringTimeoutTransfer?: boolean;
      maxRingSeconds?: number;
    },
  ): Promise<SkillGroupRow> {
    const [row] = await tx
      .insert(skillGroups)
      .values({ tenantId, ...input })
      .returning();
    return row!;
  }

  /** Locks a group of the tenant `for update` until `tx` ends (edits and deletes serialise on it). */
  async lock(tx: DbTx, tenantId: string, id: string): Promise<SkillGroupRow | undefined> {
    const [row] = await tx
      .select()
      .from(skillGroups)
      .where(and(eq(skillGroups.tenantId, tenantId), eq(skillGroups.id, id)))
      .for('update');
    return row;
  }

  /** Changes a group's fields inside `tx`. */
  async updateIn(
    tx: DbTx,
    tenantId: string,
    id: string,
    patch: Partial<{
      name: string;
      type: SkillGroupType;
      strategy: Strategy;
      ringTimeoutSeconds: number;
      ringTimeoutTransfer: boolean;
      maxRingSeconds: number;
    }>,
  ): Promise<SkillGroupRow | undefined> {
    if (Object.keys(patch).length === 0) return this.lock(tx, tenantId, id);
    const [row] = await tx
      .update(skillGroups)
      .set(patch)
      .where(and(eq(skillGroups.tenantId, tenantId), eq(skillGroups.id, id)))
      .returning();
    return row;
  }

  /**
   * Makes `members` the group's whole membership (ADM-07 bulk set): others leave, priorities
   * of those who stay change. The caller checked that every user is the tenant's.
   */
  async replaceMembers(
    tx: DbTx,
    tenantId: string,
    skillGroupId: string,
    members: ReadonlyArray<{ userId: string; priority: number }>,
  ): Promise<void> {
    await tx
      .delete(skillGroupMembers)
      .where(and(eq(skillGroupMembers.tenantId, tenantId), eq(skillGroupMembers.skillGroupId, skillGroupId)));
    if (members.length === 0) return;
    await tx
      .insert(skillGroupMembers)
      .values(members.map((m) => ({ tenantId, skillGroupId, userId: m.userId, priority: m.priority })));
  }

  /** Which of `userIds` are users of the tenant. */
  async existingUsers(tx: DbTx, tenantId: string, userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.tenantId, tenantId), inArray(users.id, userIds)));
    return new Set(rows.map((r) => r.id));
  }

  /**
   * What uses a group (see {@link SkillGroupUses}): every flow version, drafts included, whose
   * transfer node targets it or overflows to it; the numbers linked to it; calls in progress in it.
   */
  async uses(tx: DbTx, tenantId: string, id: string): Promise<SkillGroupUses> {
    const flowRows = await tx.execute<{ flow_id: string; flow_name: string; version: number }>(sql`
      select f.id as flow_id, f.name as flow_name, v.version
      from ivr_flow_versions v join ivr_flows f on f.id = v.flow_id
      where v.tenant_id = ${tenantId}
        and exists (select 1 from jsonb_array_elements(v.graph->'nodes') n
                    where n->>'type' = 'transfer'
                      and (n->'target'->>'skillGroupId' = ${id} or n->>'overflowSkillGroupId' = ${id}))
      order by f.name, v.version`);
    const flows = new Map<string, SkillGroupUses['flows'][number]>();
    for (const r of flowRows.rows) {
      const f = flows.get(r.flow_id) ?? { flowId: r.flow_id, flowName: r.flow_name, versions: [] };
      f.versions.push(Number(r.version));
      flows.set(r.flow_id, f);
    }
    const numberRows = await tx.execute<{ number_id: string; number: string; label: string }>(sql`
      select n.id as number_id, n.number, n.label from skill_group_numbers l join numbers n on n.id = l.number_id
      where l.tenant_id = ${tenantId} and l.skill_group_id = ${id} order by n.number`);
    const queued = await tx.execute<{ n: number }>(sql`
      select count(*)::int as n from call_sessions
      where tenant_id = ${tenantId} and state <> 'ended'
        and (queued_skill_group_id = ${id} or overflow_skill_group_id = ${id})`);
    const overflowRows = await tx
      .select({ skillGroupId: skillGroups.id, name: skillGroups.name })
      .from(skillGroups)
      .where(and(eq(skillGroups.tenantId, tenantId), eq(skillGroups.overflowSkillGroupId, id)))
      .orderBy(asc(skillGroups.name));
    return {
      flows: [...flows.values()],
      numbers: numberRows.rows.map((r) => ({ numberId: r.number_id, number: r.number, label: r.label })),
      liveCalls: Number(queued.rows[0]?.n ?? 0),
      overflowFrom: overflowRows,
    };
  }

  /** Whether `id` is a group of the tenant (an overflow target must be). */
  async exists(tx: DbTx, tenantId: string, id: string): Promise<boolean> {
    const [row] = await tx
      .select({ id: skillGroups.id })
      .from(skillGroups)
      .where(and(eq(skillGroups.tenantId, tenantId), eq(skillGroups.id, id)));
    return row !== undefined;
  }

  /**
   * The wrap-up of the group an agent served a call through (RT-06 per group): the group of the
   * agent's latest offer of the session (an overflow agent serves through the overflow group).
   * Null when the call came through no group (a call the agent placed, an internal call).
   */
  async wrapUpOfServedCall(
    tx: DbTx,
    tenantId: string,
    sessionId: string,
    agentId: string,
  ): Promise<GroupWrapUp | null> {
    const r = await tx.execute<{ wrap_up_seconds: number | null; wrap_up_auto_end: boolean | null }>(sql`
      select g.wrap_up_seconds, g.wrap_up_auto_end
      from call_offers o join skill_groups g on g.id = o.skill_group_id
      where o.tenant_id = ${tenantId} and o.session_id = ${sessionId} and o.agent_id = ${agentId}
      order by o.created_at desc limit 1`);
    const row = r.rows[0];
    return row ? { wrapUpSeconds: row.wrap_up_seconds, wrapUpAutoEnd: row.wrap_up_auto_end } : null;
  }

  /** Deletes a group inside `tx` (members and number links go with it). */
  async remove(tx: DbTx, tenantId: string, id: string): Promise<boolean> {
    const rows = await tx
      .delete(skillGroups)
      .where(and(eq(skillGroups.tenantId, tenantId), eq(skillGroups.id, id)))
      .returning({ id: skillGroups.id });
    return rows.length > 0;
  }

  /** Runs `fn` in one transaction. */
  transaction<T>(fn: (tx: DbTx) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  async list(tenantId: string): Promise<SkillGroupRow[]> {
    return this.db.select().from(skillGroups).where(eq(skillGroups.tenantId, tenantId)).orderBy(skillGroups.name);
  }

  /** Members of every group of the tenant (one query for a list page). */
  async allMembers(tenantId: string): Promise<SkillGroupMemberRow[]> {
    return this.db.select().from(skillGroupMembers).where(eq(skillGroupMembers.tenantId, tenantId));
  }

  async removeMember(tenantId: string, skillGroupId: string, userId: string): Promise<boolean> {
    const rows = await this.db
      .delete(skillGroupMembers)
      .where(
        and(
          eq(skillGroupMembers.tenantId, tenantId),
          eq(skillGroupMembers.skillGroupId, skillGroupId),
          eq(skillGroupMembers.userId, userId),
        ),
      )
      .returning({ userId: skillGroupMembers.userId });
    return rows.length > 0;
  }

  async members(tenantId: string, skillGroupId: string): Promise<SkillGroupMemberRow[]> {
    return this.db
      .select()
      .from(skillGroupMembers)
      .where(and(eq(skillGroupMembers.tenantId, tenantId), eq(skillGroupMembers.skillGroupId, skillGroupId)));
  }

  /** Adds (or re-prioritises) a member; priority 1 (offered first) … 5 (last), ADM-07. */
  async addMember(
    tenantId: string,
    skillGroupId: string,
    userId: string,
    priority = DEFAULT_MEMBER_PRIORITY,
  ): Promise<void> {
    if (!Number.isInteger(priority) || priority < MIN_MEMBER_PRIORITY || priority > MAX_MEMBER_PRIORITY) {
      throw createError(
        'validation_failed',
        `Member priority must be ${MIN_MEMBER_PRIORITY}–${MAX_MEMBER_PRIORITY}, got ${priority}`,
      );
    }
    await this.db
      .insert(skillGroupMembers)
      .values({ tenantId, skillGroupId, userId, priority })
      .onConflictDoUpdate({ target: [skillGroupMembers.skillGroupId, skillGroupMembers.userId], set: { priority } });
  }

  /** OUT-07: the numbers linked to each group of the tenant (for a list page). */
  async allNumberLinks(tenantId: string): Promise<Array<{ skillGroupId: string; numberId: string }>> {
    return this.db
      .select({ skillGroupId: skillGroupNumbers.skillGroupId, numberId: skillGroupNumbers.numberId })
      .from(skillGroupNumbers)
      .where(eq(skillGroupNumbers.tenantId, tenantId));
  }

  /** OUT-07: links one of the tenant's numbers to a group (idempotent). */
  async linkNumber(tenantId: string, skillGroupId: string, numberId: string): Promise<void> {
    await this.db.insert(skillGroupNumbers).values({ tenantId, skillGroupId, numberId }).onConflictDoNothing();
  }

  /** Removes a number's link to a group; false when there was none. */
  async unlinkNumber(tenantId: string, skillGroupId: string, numberId: string): Promise<boolean> {
    const rows = await this.db
      .delete(skillGroupNumbers)
      .where(
        and(
          eq(skillGroupNumbers.tenantId, tenantId),
          eq(skillGroupNumbers.skillGroupId, skillGroupId),
          eq(skillGroupNumbers.numberId, numberId),
        ),
      )
      .returning({ numberId: skillGroupNumbers.numberId });
    return rows.length > 0;
  }
}
