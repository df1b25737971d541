import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { numbers } from '../numbers/schema.js';
import { skillGroupMembers, skillGroupNumbers, skillGroups } from '../skill-groups/schema.js';

/** One of the tenant's numbers an agent may show, with the agent's outbound groups it is linked to. */
export interface CallerIdRow {
  id: string;
  number: string;
  label: string;
  /** Of the groups asked about, those the number is linked to (OUT-07). */
  skillGroupIds: string[];
}

/** At most this many numbers are weighed for one call's caller ID (OUT-07/08). */
const CANDIDATES = 500;

/** Caller IDs of outbound calls (OUT-07): the tenant's numbers and outbound skill groups. */
export class OutboundRepo {
  private readonly db: Db;
  constructor({ db }: { db: Db }) {
    this.db = db;
  }

  /** The tenant's outbound skill groups `userId` is a member of, by name. */
  async outboundGroupsOf(tenantId: string, userId: string): Promise<Array<{ id: string; name: string }>> {
    return this.db
      .select({ id: skillGroups.id, name: skillGroups.name })
      .from(skillGroups)
      .innerJoin(
        skillGroupMembers,
        and(eq(skillGroupMembers.skillGroupId, skillGroups.id), eq(skillGroupMembers.userId, userId)),
      )
      .where(and(eq(skillGroups.tenantId, tenantId), eq(skillGroups.type, 'outbound')))
      .orderBy(asc(skillGroups.name));
  }

  /** A skill group of the tenant, with whether `userId` is a member of it. */
  async groupFor(
    tenantId: string,
    id: string,
    userId: string,
  ): Promise<{ id: string; type: string; member: boolean } | undefined> {
    const [row] = await this.db
      .select({
        id: skillGroups.id,
        type: skillGroups.type,
        member: sql<boolean>`exists (select 1 from ${skillGroupMembers}
          where ${skillGroupMembers.skillGroupId} = ${skillGroups.id} and ${skillGroupMembers.userId} = ${userId})`,
      })
      .from(skillGroups)
      .where(and(eq(skillGroups.tenantId, tenantId), eq(skillGroups.id, id)));
    return row;
  }

  /** Every number of the tenant, with the groups among `groupIds` each is linked to. */
  async callerIds(tenantId: string, groupIds: readonly string[]): Promise<CallerIdRow[]> {
    const rows = await this.db
      .select({ id: numbers.id, number: numbers.number, label: numbers.label })
      .from(numbers)
      .where(eq(numbers.tenantId, tenantId))
      .orderBy(asc(numbers.number));
    const links = groupIds.length
      ? await this.db
          .select({ numberId: skillGroupNumbers.numberId, skillGroupId: skillGroupNumbers.skillGroupId })
          .from(skillGroupNumbers)
          .where(and(eq(skillGroupNumbers.tenantId, tenantId), inArray(skillGroupNumbers.skillGroupId, [...groupIds])))
      : [];
    return rows.map((r) => ({
      ...r,
      skillGroupIds: links.filter((l) => l.numberId === r.id).map((l) => l.skillGroupId),
    }));
  }

  /**
   * OUT-07: the numbers linked to the groups, in random order (calls spread over them), each
   * with the group it came through (a number in two groups comes once). Empty when none is linked.
   */
  async groupNumbers(
    tenantId: string,
    groupIds: readonly string[],
  ): Promise<Array<{ id: string; number: string; skillGroupId: string }>> {
    if (groupIds.length === 0) return [];
    const rows = await this.db
      .select({ id: numbers.id, number: numbers.number, skillGroupId: skillGroupNumbers.skillGroupId })
      .from(skillGroupNumbers)
      .innerJoin(numbers, eq(numbers.id, skillGroupNumbers.numberId))
      .where(and(eq(skillGroupNumbers.tenantId, tenantId), inArray(skillGroupNumbers.skillGroupId, [...groupIds])))
      .orderBy(sql`random()`)
      .limit(CANDIDATES);
    return rows.filter((r, i) => rows.findIndex((o) => o.id === r.id) === i);
  }

  /**
   * OUT-07: the tenant's numbers in random order — those kept for dialling agents' mobiles
   * (ADM-05) last, so they are shown only when there is no other.
   */
  async anyNumbers(tenantId: string): Promise<Array<{ id: string; number: string; agentMobile: boolean }>> {
    return this.db
      .select({ id: numbers.id, number: numbers.number, agentMobile: numbers.agentMobile })
      .from(numbers)
      .where(eq(numbers.tenantId, tenantId))
      .orderBy(asc(numbers.agentMobile), sql`random()`)
      .limit(CANDIDATES);
  }

  /** Of `groupIds`, the first (by name) the number is linked to. */
  async groupOfNumber(tenantId: string, numberId: string, groupIds: readonly string[]): Promise<string | undefined> {
    if (groupIds.length === 0) return undefined;
    const [row] = await this.db
      .select({ id: skillGroups.id })
      .from(skillGroupNumbers)
      .innerJoin(skillGroups, eq(skillGroups.id, skillGroupNumbers.skillGroupId))
      .where(
        and(
          eq(skillGroupNumbers.tenantId, tenantId),
          eq(skillGroupNumbers.numberId, numberId),
          inArray(skillGroupNumbers.skillGroupId, [...groupIds]),
        ),
      )
      .orderBy(asc(skillGroups.name))
      .limit(1);
    return row?.id;
  }
}
