import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { skillGroupMembers, skillGroups, type SkillGroupRow, type Strategy } from './schema.js';

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
    input: { name: string; strategy?: Strategy; ringTimeoutSeconds?: number },
  ): Promise<SkillGroupRow> {
    const [row] = await this.db
      .insert(skillGroups)
      .values({ tenantId, ...input })
      .returning();
    return row!;
  }

  /** Adds (or re-prioritises) a member. */
  async addMember(tenantId: string, skillGroupId: string, userId: string, priority = 100): Promise<void> {
    await this.db
      .insert(skillGroupMembers)
      .values({ tenantId, skillGroupId, userId, priority })
      .onConflictDoUpdate({ target: [skillGroupMembers.skillGroupId, skillGroupMembers.userId], set: { priority } });
  }
}
