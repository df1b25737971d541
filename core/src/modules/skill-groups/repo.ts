import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
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
    }>,
  ): Promise<SkillGroupRow | undefined> {
    const [row] = await this.db
      .update(skillGroups)
      .set(patch)
      .where(and(eq(skillGroups.tenantId, tenantId), eq(skillGroups.id, id)))
      .returning();
    return row;
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
