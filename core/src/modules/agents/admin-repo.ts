import { and, asc, count, desc, eq, exists, ilike, inArray, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db, DbTx } from '../../db/database.js';
import { refreshTokens } from '../auth/schema.js';
import { DEFAULT_MEMBER_PRIORITY, skillGroupMembers, skillGroups } from '../skill-groups/schema.js';
import { likePattern } from '../tenants/repo.js';
import { users, type Role, type UserRow } from '../users/schema.js';
import { agents, type AgentRow, type AgentState } from './schema.js';

/** Columns the agent list sorts by. */
export const AGENT_SORTS = ['staffNo', 'name', 'email', 'state', 'createdAt'] as const;
export type AgentSort = (typeof AGENT_SORTS)[number];

/** A search of the agent list (ADM-11). */
export interface AgentQuery {
  /** Matches staff number, name or email (case-insensitive, anywhere in the text). */
  q?: string | undefined;
  skillGroupId?: string | undefined;
  status?: 'active' | 'disabled' | undefined;
  state?: AgentState | undefined;
  role?: Role | undefined;
  sort: AgentSort;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

/** A skill group an agent belongs to, with their priority in it (ADM-07). */
export interface Membership {
  id: string;
  name: string;
  priority: number;
}

/** One agent of the list: the person, their live state and their groups. */
export interface AgentListRow {
  user: UserRow;
  agent: AgentRow;
  groups: Membership[];
}

/**
 * Agent administration queries (ADM-08…13): the list with search and paging, group membership
 * and the uniqueness checks of an import. Every method takes the tenant id.
 */
export class AgentAdminRepo {
  private readonly db: Db;
  constructor({ db }: { db: Db }) {
    this.db = db;
  }

  async page(tenantId: string, q: AgentQuery): Promise<{ rows: AgentListRow[]; total: number }> {
    const conditions: Array<SQL | undefined> = [eq(users.tenantId, tenantId)];
    if (q.q) {
      const p = likePattern(q.q);
      conditions.push(or(ilike(users.staffNo, p), ilike(users.name, p), ilike(users.email, p)));
    }
    if (q.skillGroupId) {
      conditions.push(
        exists(
          this.db
            .select({ one: sql`1` })
            .from(skillGroupMembers)
            .where(
              and(
                eq(skillGroupMembers.tenantId, tenantId),
                eq(skillGroupMembers.userId, users.id),
                eq(skillGroupMembers.skillGroupId, q.skillGroupId),
              ),
            ),
        ),
      );
    }
    if (q.status) conditions.push(eq(users.status, q.status));
    if (q.state) conditions.push(eq(agents.state, q.state));
    if (q.role) conditions.push(eq(users.role, q.role));
    const where = and(...conditions);
    const column = {
      staffNo: users.staffNo,
      name: users.name,
      email: users.email,
      state: agents.state,
      createdAt: users.createdAt,
    }[q.sort];
    const dir = q.order === 'desc' ? desc : asc;
    const [rows, [total]] = await Promise.all([
      this.db
        .select({ user: users, agent: agents })
        .from(users)
        .innerJoin(agents, eq(agents.userId, users.id))
        .where(where)
        // The id breaks ties, so a page boundary never shows one agent twice or skips one.
        .orderBy(dir(column), asc(users.id))
        .limit(q.limit)
        .offset(q.offset),
      this.db.select({ n: count() }).from(users).innerJoin(agents, eq(agents.userId, users.id)).where(where),
    ]);
    const groups = await this.memberships(
      tenantId,
      rows.map((r) => r.user.id),
    );
    return {
      rows: rows.map((r) => ({ ...r, groups: groups.get(r.user.id) ?? [] })),
      total: total?.n ?? 0,
    };
  }

  /** One agent (a user with an agent row) of the tenant. */
  async get(tenantId: string, userId: string): Promise<AgentListRow | undefined> {
    const [row] = await this.db
      .select({ user: users, agent: agents })
      .from(users)
      .innerJoin(agents, eq(agents.userId, users.id))
      .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
    if (!row) return undefined;
    return { ...row, groups: (await this.memberships(tenantId, [userId])).get(userId) ?? [] };
  }

  /** Groups of each user, by name. */
  async memberships(tenantId: string, userIds: string[], tx: DbTx = this.db): Promise<Map<string, Membership[]>> {
    const out = new Map<string, Membership[]>();
    if (userIds.length === 0) return out;
    const rows = await tx
      .select({
        userId: skillGroupMembers.userId,
        id: skillGroups.id,
        name: skillGroups.name,
        priority: skillGroupMembers.priority,
      })
      .from(skillGroupMembers)
      .innerJoin(skillGroups, eq(skillGroups.id, skillGroupMembers.skillGroupId))
      .where(and(eq(skillGroupMembers.tenantId, tenantId), inArray(skillGroupMembers.userId, userIds)))
      .orderBy(asc(skillGroups.name));
    for (const r of rows) {
      const list = out.get(r.userId) ?? [];
      list.push({ id: r.id, name: r.name, priority: r.priority });
      out.set(r.userId, list);
    }
    return out;
  }

  /** The tenant's skill groups among `ids` (to refuse ids of other tenants or none). */
  async groupsByIds(tenantId: string, ids: readonly string[]): Promise<Array<{ id: string; name: string }>> {
    if (ids.length === 0) return [];
    return this.db
      .select({ id: skillGroups.id, name: skillGroups.name })
      .from(skillGroups)
      .where(and(eq(skillGroups.tenantId, tenantId), inArray(skillGroups.id, [...ids])));
  }

  /** Every skill group of the tenant by name (an import names groups). */
  async groupsByName(tenantId: string): Promise<Map<string, string>> {
    const rows = await this.db
      .select({ id: skillGroups.id, name: skillGroups.name })
      .from(skillGroups)
      .where(eq(skillGroups.tenantId, tenantId));
    return new Map(rows.map((r) => [r.name, r.id]));
  }

  /**
   * Which of these identifiers existing users hold: emails and mobiles across the installation
   * (sign-in needs no tenant), staff numbers within the tenant.
   */
  async taken(
    tenantId: string,
    ids: { emails: string[]; mobiles: string[]; staffNos: string[] },
  ): Promise<{ emails: Set<string>; mobiles: Set<string>; staffNos: Set<string> }> {
    const [emails, mobiles, staffNos] = await Promise.all([
      ids.emails.length
        ? this.db.select({ v: users.email }).from(users).where(inArray(users.email, ids.emails))
        : Promise.resolve([]),
      ids.mobiles.length
        ? this.db.select({ v: users.mobile }).from(users).where(inArray(users.mobile, ids.mobiles))
        : Promise.resolve([]),
      ids.staffNos.length
        ? this.db
            .select({ v: users.staffNo })
            .from(users)
            .where(and(eq(users.tenantId, tenantId), inArray(users.staffNo, ids.staffNos)))
        : Promise.resolve([]),
    ]);
    const set = (rows: Array<{ v: string | null }>) => new Set(rows.map((r) => r.v).filter((v): v is string => !!v));
    return { emails: set(emails), mobiles: set(mobiles), staffNos: set(staffNos) };
  }

  /** Creates the agent row of a new user (offline) inside the caller's transaction. */
  async insertAgent(tx: DbTx, tenantId: string, userId: string): Promise<void> {
    await tx.insert(agents).values({ tenantId, userId }).onConflictDoNothing({ target: agents.userId });
  }

  /**
   * Makes `groupIds` the user's groups: others are left, new ones joined at the default
   * priority, and the priority of groups kept is kept.
   */
  async setGroups(tx: DbTx, tenantId: string, userId: string, groupIds: readonly string[]): Promise<void> {
    await tx
      .delete(skillGroupMembers)
      .where(
        and(
          eq(skillGroupMembers.tenantId, tenantId),
          eq(skillGroupMembers.userId, userId),
          groupIds.length ? notInArray(skillGroupMembers.skillGroupId, [...groupIds]) : undefined,
        ),
      );
    if (groupIds.length === 0) return;
    await tx
      .insert(skillGroupMembers)
      .values(groupIds.map((skillGroupId) => ({ tenantId, skillGroupId, userId, priority: DEFAULT_MEMBER_PRIORITY })))
      .onConflictDoNothing();
  }

  /** Renames a user inside the caller's transaction; false when no such user of the tenant. */
  async rename(tx: DbTx, tenantId: string, userId: string, name: string): Promise<boolean> {
    const rows = await tx
      .update(users)
      .set({ name, updatedAt: new Date() })
      .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)))
      .returning({ id: users.id });
    return rows.length > 0;
  }

  /** Ends every refresh token of a user (a password reset signs them out on every device). */
  async revokeRefreshTokens(tenantId: string, userId: string): Promise<void> {
    await this.db
      .update(refreshTokens)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(refreshTokens.tenantId, tenantId),
          eq(refreshTokens.userId, userId),
          sql`${refreshTokens.revokedAt} is null`,
        ),
      );
  }
}
