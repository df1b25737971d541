import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { agents, type AgentState } from '../agents/schema.js';
import { skillGroupMembers, skillGroups } from '../skill-groups/schema.js';
import { users } from '../users/schema.js';

/** One colleague as the repository reads it. */
export interface ColleagueRow {
  id: string;
  name: string;
  staffNo: string;
  state: AgentState;
  reason: string | null;
  stateSince: Date;
  skillGroups: Array<{ id: string; name: string }>;
}

/** The agents of a tenant as their colleagues see them (AGT-04): active users with an agent row. */
export class ColleagueRepo {
  private readonly db: Db;
  constructor({ db }: { db: Db }) {
    this.db = db;
  }

  async list(tenantId: string): Promise<ColleagueRow[]> {
    const rows = await this.db
      .select({
        id: users.id,
        name: users.name,
        staffNo: users.staffNo,
        state: agents.state,
        reason: agents.reason,
        stateSince: agents.stateSince,
      })
      .from(agents)
      .innerJoin(users, and(eq(users.id, agents.userId), eq(users.tenantId, tenantId)))
      .where(and(eq(agents.tenantId, tenantId), eq(users.status, 'active')))
      .orderBy(asc(users.staffNo), asc(users.id));
    if (rows.length === 0) return [];
    const memberships = await this.db
      .select({ userId: skillGroupMembers.userId, id: skillGroups.id, name: skillGroups.name })
      .from(skillGroupMembers)
      .innerJoin(skillGroups, eq(skillGroups.id, skillGroupMembers.skillGroupId))
      .where(
        and(
          eq(skillGroupMembers.tenantId, tenantId),
          inArray(
            skillGroupMembers.userId,
            rows.map((r) => r.id),
          ),
        ),
      )
      .orderBy(asc(skillGroups.name));
    const groups = new Map<string, Array<{ id: string; name: string }>>();
    for (const m of memberships) {
      let list = groups.get(m.userId);
      if (!list) groups.set(m.userId, (list = []));
      list.push({ id: m.id, name: m.name });
    }
    return rows.map((r) => ({ ...r, skillGroups: groups.get(r.id) ?? [] }));
  }
}
