import { and, asc, count, desc, eq, ilike, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db, DbTx } from '../../db/database.js';
import { agents } from '../agents/schema.js';
import { ivrFlows } from '../ivr/schema.js';
import { skillGroupNumbers, skillGroups } from '../skill-groups/schema.js';
import { likePattern } from '../tenants/repo.js';
import { users } from '../users/schema.js';
import {
  numberApplications,
  numberGroups,
  numbers,
  type NumberApplicationRow,
  type NumberApplicationStatus,
  type NumberApplicationType,
  type NumberGroupRow,
  type NumberRow,
} from './schema.js';

/** Columns the number list sorts by. */
export const NUMBER_SORTS = ['number', 'label', 'createdAt'] as const;
export type NumberSort = (typeof NUMBER_SORTS)[number];

/** A search of the number list (ADM-02…05). */
export interface NumberQuery {
  /** Matches the number or its label (case-insensitive, anywhere). */
  q?: string | undefined;
  /** A number group's id, or `none` for numbers in no group. */
  groupId?: string | undefined;
  ivrFlowId?: string | undefined;
  agentMobile?: boolean | undefined;
  sort: NumberSort;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

/** One number of the list with the names the list shows. */
export interface NumberListRow {
  number: NumberRow;
  group: { id: string; name: string } | null;
  flow: { id: string; name: string; publishedVersion: number | null } | null;
  /** Outbound skill groups that show this number when their agents dial out (ADM-04). */
  outboundSkillGroups: Array<{ id: string; name: string }>;
}

/** What an admin may change on a number in one request; undefined = unchanged. */
export interface NumberChange {
  label?: string | undefined;
  numberGroupId?: string | null | undefined;
  ivrFlowId?: string | null | undefined;
  ivrFlowVersion?: number | null | undefined;
  agentMobile?: boolean | undefined;
  /** Replaces the set of outbound skill groups linked to the number (ADM-04). */
  outboundSkillGroupIds?: readonly string[] | undefined;
}

/** A number group with how many numbers it holds (ADM-02). */
export interface NumberGroupListRow extends NumberGroupRow {
  numberCount: number;
}

/** A number application with the name of who filed it (LINE-02). */
export interface NumberApplicationListRow extends NumberApplicationRow {
  requestedByName: string | null;
}

/** Numbers the contact center answers. Every query but the inbound lookup is scoped by tenant. */
export class NumberRepo {
  private readonly db: Db;
  constructor({ db }: { db: Db }) {
    this.db = db;
  }

  async findByNumber(number: string): Promise<NumberRow | undefined> {
    const [row] = await this.db.select().from(numbers).where(eq(numbers.number, number));
    return row;
  }

  /** ADM-05: the tenant's numbers designated as caller ids for dialling agents' mobiles. */
  async listAgentMobile(tenantId: string): Promise<NumberRow[]> {
    return this.db
      .select()
      .from(numbers)
      .where(and(eq(numbers.tenantId, tenantId), eq(numbers.agentMobile, true)))
      .orderBy(asc(numbers.number));
  }

  /** Marks or unmarks one of the tenant's numbers as an agent-mobile caller id (ADM-05). */
  async setAgentMobile(tenantId: string, numberId: string, on: boolean): Promise<NumberRow | undefined> {
    const [row] = await this.db
      .update(numbers)
      .set({ agentMobile: on })
      .where(and(eq(numbers.tenantId, tenantId), eq(numbers.id, numberId)))
      .returning();
    return row;
  }

  /**
   * The next agent-mobile caller id of the tenant, round robin (least recently used first), so
   * concurrent mobile rings spread over the carrier's numbers. Null when none is designated.
   */
  async nextAgentMobileCallerId(tenantId: string): Promise<string | null> {
    const rows = await this.db.execute<{ number: string }>(sql`
      update numbers set agent_mobile_used_at = clock_timestamp()
      where id = (
        select id from numbers where tenant_id = ${tenantId} and agent_mobile
        order by agent_mobile_used_at asc nulls first, number asc
        limit 1 for update)
      returning number`);
    return rows.rows[0]?.number ?? null;
  }

  async create(
    tenantId: string,
    input: { number: string; label?: string; ivrFlowId?: string | null; ivrFlowVersion?: number | null },
  ): Promise<NumberRow> {
    const [row] = await this.db
      .insert(numbers)
      .values({ tenantId, ...input })
      .returning();
    return row!;
  }

  /**
   * Registers a number with its settings in one transaction (the outbound links need the new
   * id). Undefined when the digits are already registered (by any tenant: inbound routing
   * looks numbers up by digits alone).
   */
  async add(tenantId: string, number: string, change: NumberChange): Promise<NumberRow | undefined> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(numbers)
        .values({
          tenantId,
          number,
          label: change.label ?? '',
          numberGroupId: change.numberGroupId ?? null,
          ivrFlowId: change.ivrFlowId ?? null,
          ivrFlowVersion: change.ivrFlowVersion ?? null,
          agentMobile: change.agentMobile ?? false,
        })
        .onConflictDoNothing({ target: numbers.number })
        .returning();
      if (!row) return undefined;
      if (change.outboundSkillGroupIds) await this.setOutbound(tx, tenantId, row.id, change.outboundSkillGroupIds);
      return row;
    });
  }

  /** Applies a {@link NumberChange} in one transaction; undefined when no such number. */
  async change(tenantId: string, id: string, change: NumberChange): Promise<NumberRow | undefined> {
    return this.db.transaction(async (tx) => {
      const set: Partial<NumberRow> = {};
      if (change.label !== undefined) set.label = change.label;
      if (change.numberGroupId !== undefined) set.numberGroupId = change.numberGroupId;
      if (change.ivrFlowId !== undefined) set.ivrFlowId = change.ivrFlowId;
      if (change.ivrFlowVersion !== undefined) set.ivrFlowVersion = change.ivrFlowVersion;
      if (change.agentMobile !== undefined) set.agentMobile = change.agentMobile;
      const where = and(eq(numbers.tenantId, tenantId), eq(numbers.id, id));
      const [row] =
        Object.keys(set).length > 0
          ? await tx.update(numbers).set(set).where(where).returning()
          : await tx.select().from(numbers).where(where).for('update');
      if (!row) return undefined;
      if (change.outboundSkillGroupIds) await this.setOutbound(tx, tenantId, id, change.outboundSkillGroupIds);
      return row;
    });
  }

  private async setOutbound(tx: DbTx, tenantId: string, numberId: string, groupIds: readonly string[]): Promise<void> {
    await tx
      .delete(skillGroupNumbers)
      .where(and(eq(skillGroupNumbers.tenantId, tenantId), eq(skillGroupNumbers.numberId, numberId)));
    if (groupIds.length > 0) {
      await tx
        .insert(skillGroupNumbers)
        .values(groupIds.map((skillGroupId) => ({ tenantId, skillGroupId, numberId })))
        .onConflictDoNothing();
    }
  }

  /** Removes a number (its outbound links go with it); false when no such number. */
  async remove(tenantId: string, id: string): Promise<boolean> {
    const rows = await this.db
      .delete(numbers)
      .where(and(eq(numbers.tenantId, tenantId), eq(numbers.id, id)))
      .returning({ id: numbers.id });
    return rows.length > 0;
  }

  /** The tenant's agent-mobile numbers other than `exceptId` (ADM-05). */
  async countOtherAgentMobile(tenantId: string, exceptId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: count() })
      .from(numbers)
      .where(and(eq(numbers.tenantId, tenantId), eq(numbers.agentMobile, true), ne(numbers.id, exceptId)));
    return row?.n ?? 0;
  }

  /** Agents of the tenant whose calls may ring their mobile (answer mode other than WebRTC). */
  async countMobileAnsweringAgents(tenantId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: count() })
      .from(agents)
      .where(and(eq(agents.tenantId, tenantId), ne(agents.answerMode, 'webrtc')));
    return row?.n ?? 0;
  }

  /** The outbound skill groups of the tenant among `ids` (ADM-04 accepts only those). */
  async outboundGroups(tenantId: string, ids: readonly string[]): Promise<Array<{ id: string; type: string }>> {
    if (ids.length === 0) return [];
    return this.db
      .select({ id: skillGroups.id, type: skillGroups.type })
      .from(skillGroups)
      .where(and(eq(skillGroups.tenantId, tenantId), inArray(skillGroups.id, [...ids])));
  }

  /** A page of the tenant's numbers with group, flow and outbound groups (ADM-02…05). */
  async page(tenantId: string, q: NumberQuery): Promise<{ rows: NumberListRow[]; total: number }> {
    const conditions: Array<SQL | undefined> = [eq(numbers.tenantId, tenantId)];
    if (q.q) {
      const p = likePattern(q.q);
      conditions.push(or(ilike(numbers.number, p), ilike(numbers.label, p)));
    }
    if (q.groupId === 'none') conditions.push(isNull(numbers.numberGroupId));
    else if (q.groupId) conditions.push(eq(numbers.numberGroupId, q.groupId));
    if (q.ivrFlowId) conditions.push(eq(numbers.ivrFlowId, q.ivrFlowId));
    if (q.agentMobile !== undefined) conditions.push(eq(numbers.agentMobile, q.agentMobile));
    const where = and(...conditions);
    const column = { number: numbers.number, label: numbers.label, createdAt: numbers.createdAt }[q.sort];
    const dir = q.order === 'desc' ? desc : asc;
    const [rows, [total]] = await Promise.all([
      this.db
        .select({
          number: numbers,
          groupName: numberGroups.name,
          flowName: ivrFlows.name,
          flowPublished: ivrFlows.publishedVersion,
        })
        .from(numbers)
        // Both joins also match on the tenant, so a row can never show another tenant's names.
        .leftJoin(numberGroups, and(eq(numberGroups.id, numbers.numberGroupId), eq(numberGroups.tenantId, tenantId)))
        .leftJoin(ivrFlows, and(eq(ivrFlows.id, numbers.ivrFlowId), eq(ivrFlows.tenantId, tenantId)))
        .where(where)
        .orderBy(dir(column), asc(numbers.id))
        .limit(q.limit)
        .offset(q.offset),
      this.db.select({ n: count() }).from(numbers).where(where),
    ]);
    const links = await this.outboundLinks(
      tenantId,
      rows.map((r) => r.number.id),
    );
    return {
      rows: rows.map((r) => ({
        number: r.number,
        group: r.number.numberGroupId && r.groupName ? { id: r.number.numberGroupId, name: r.groupName } : null,
        flow:
          r.number.ivrFlowId && r.flowName
            ? { id: r.number.ivrFlowId, name: r.flowName, publishedVersion: r.flowPublished }
            : null,
        outboundSkillGroups: links.get(r.number.id) ?? [],
      })),
      total: total?.n ?? 0,
    };
  }

  /** One number as the list shows it. */
  async listRow(tenantId: string, id: string): Promise<NumberListRow | undefined> {
    const row = await this.findById(tenantId, id);
    if (!row) return undefined;
    const [group, flow, links] = await Promise.all([
      row.numberGroupId ? this.findGroup(tenantId, row.numberGroupId) : undefined,
      row.ivrFlowId
        ? this.db
            .select({ id: ivrFlows.id, name: ivrFlows.name, publishedVersion: ivrFlows.publishedVersion })
            .from(ivrFlows)
            .where(and(eq(ivrFlows.tenantId, tenantId), eq(ivrFlows.id, row.ivrFlowId)))
            .then((r) => r[0])
        : undefined,
      this.outboundLinks(tenantId, [id]),
    ]);
    return {
      number: row,
      group: group ? { id: group.id, name: group.name } : null,
      flow: flow ?? null,
      outboundSkillGroups: links.get(id) ?? [],
    };
  }

  private async outboundLinks(
    tenantId: string,
    numberIds: string[],
  ): Promise<Map<string, Array<{ id: string; name: string }>>> {
    const out = new Map<string, Array<{ id: string; name: string }>>();
    if (numberIds.length === 0) return out;
    const rows = await this.db
      .select({ numberId: skillGroupNumbers.numberId, id: skillGroups.id, name: skillGroups.name })
      .from(skillGroupNumbers)
      .innerJoin(skillGroups, eq(skillGroups.id, skillGroupNumbers.skillGroupId))
      .where(and(eq(skillGroupNumbers.tenantId, tenantId), inArray(skillGroupNumbers.numberId, numberIds)))
      .orderBy(asc(skillGroups.name));
    for (const r of rows) {
      const list = out.get(r.numberId) ?? [];
      list.push({ id: r.id, name: r.name });
      out.set(r.numberId, list);
    }
    return out;
  }

  // Number groups (ADM-02)

  async listGroups(tenantId: string): Promise<NumberGroupListRow[]> {
    const rows = await this.db
      .select({ group: numberGroups, numberCount: count(numbers.id) })
      .from(numberGroups)
      .leftJoin(numbers, and(eq(numbers.numberGroupId, numberGroups.id), eq(numbers.tenantId, tenantId)))
      .where(eq(numberGroups.tenantId, tenantId))
      .groupBy(numberGroups.id)
      .orderBy(asc(numberGroups.name));
    return rows.map((r) => ({ ...r.group, numberCount: r.numberCount }));
  }

  async findGroup(tenantId: string, id: string): Promise<NumberGroupRow | undefined> {
    const [row] = await this.db
      .select()
      .from(numberGroups)
      .where(and(eq(numberGroups.tenantId, tenantId), eq(numberGroups.id, id)));
    return row;
  }

  /** Undefined when the tenant already has a group of that name. */
  async createGroup(
    tenantId: string,
    input: { name: string; description: string },
  ): Promise<NumberGroupRow | undefined> {
    const [row] = await this.db
      .insert(numberGroups)
      .values({ tenantId, ...input })
      .onConflictDoNothing({ target: [numberGroups.tenantId, numberGroups.name] })
      .returning();
    return row;
  }

  /** Renames or re-describes a group; throws the unique violation of a taken name (the service maps it). */
  async updateGroup(
    tenantId: string,
    id: string,
    patch: { name?: string | undefined; description?: string | undefined },
  ): Promise<NumberGroupRow | undefined> {
    const set: Partial<NumberGroupRow> = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.description !== undefined) set.description = patch.description;
    const [row] = await this.db
      .update(numberGroups)
      .set(set)
      .where(and(eq(numberGroups.tenantId, tenantId), eq(numberGroups.id, id)))
      .returning();
    return row;
  }

  /** Whether another group of the tenant has that name. */
  async groupNameTaken(tenantId: string, name: string, exceptId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: numberGroups.id })
      .from(numberGroups)
      .where(and(eq(numberGroups.tenantId, tenantId), eq(numberGroups.name, name), ne(numberGroups.id, exceptId)));
    return row !== undefined;
  }

  /** Deletes a group; its numbers stay, in no group (the foreign key sets them null). */
  async deleteGroup(tenantId: string, id: string): Promise<boolean> {
    const rows = await this.db
      .delete(numberGroups)
      .where(and(eq(numberGroups.tenantId, tenantId), eq(numberGroups.id, id)))
      .returning({ id: numberGroups.id });
    return rows.length > 0;
  }

  // Number applications (LINE-02)

  async pageApplications(
    tenantId: string,
    q: { status?: NumberApplicationStatus | undefined; limit: number; offset: number },
  ): Promise<{ rows: NumberApplicationListRow[]; total: number }> {
    const where = and(
      eq(numberApplications.tenantId, tenantId),
      q.status ? eq(numberApplications.status, q.status) : undefined,
    );
    const [rows, [total]] = await Promise.all([
      this.db
        .select({ app: numberApplications, requestedByName: users.name })
        .from(numberApplications)
        .leftJoin(users, and(eq(users.id, numberApplications.requestedBy), eq(users.tenantId, tenantId)))
        .where(where)
        .orderBy(desc(numberApplications.createdAt), asc(numberApplications.id))
        .limit(q.limit)
        .offset(q.offset),
      this.db.select({ n: count() }).from(numberApplications).where(where),
    ]);
    return { rows: rows.map((r) => ({ ...r.app, requestedByName: r.requestedByName })), total: total?.n ?? 0 };
  }

  async findApplication(tenantId: string, id: string): Promise<NumberApplicationListRow | undefined> {
    const [row] = await this.db
      .select({ app: numberApplications, requestedByName: users.name })
      .from(numberApplications)
      .leftJoin(users, and(eq(users.id, numberApplications.requestedBy), eq(users.tenantId, tenantId)))
      .where(and(eq(numberApplications.tenantId, tenantId), eq(numberApplications.id, id)));
    return row ? { ...row.app, requestedByName: row.requestedByName } : undefined;
  }

  async createApplication(
    tenantId: string,
    input: {
      type: NumberApplicationType;
      area: string;
      quantity: number;
      purpose: string;
      requestedBy: string | null;
    },
  ): Promise<NumberApplicationRow> {
    const [row] = await this.db
      .insert(numberApplications)
      .values({ tenantId, ...input })
      .returning();
    return row!;
  }

  /**
   * Moves an application from `from` to `to`; undefined when it is not in `from` any more (a
   * concurrent change won), so two people cannot both move it.
   */
  async moveApplication(
    tenantId: string,
    id: string,
    from: NumberApplicationStatus,
    to: NumberApplicationStatus,
    note: string | undefined,
  ): Promise<NumberApplicationRow | undefined> {
    const [row] = await this.db
      .update(numberApplications)
      .set({ status: to, updatedAt: new Date(), ...(note !== undefined ? { note } : {}) })
      .where(
        and(
          eq(numberApplications.tenantId, tenantId),
          eq(numberApplications.id, id),
          eq(numberApplications.status, from),
        ),
      )
      .returning();
    return row;
  }

  async list(tenantId: string): Promise<NumberRow[]> {
    return this.db.select().from(numbers).where(eq(numbers.tenantId, tenantId)).orderBy(asc(numbers.number));
  }

  async findById(tenantId: string, id: string): Promise<NumberRow | undefined> {
    const [row] = await this.db
      .select()
      .from(numbers)
      .where(and(eq(numbers.tenantId, tenantId), eq(numbers.id, id)));
    return row;
  }

  /** Binds a number to a flow (and maybe a pinned version); null unbinds it. */
  async bind(
    tenantId: string,
    id: string,
    binding: { ivrFlowId: string | null; ivrFlowVersion: number | null },
  ): Promise<NumberRow | undefined> {
    const [row] = await this.db
      .update(numbers)
      .set(binding)
      .where(and(eq(numbers.tenantId, tenantId), eq(numbers.id, id)))
      .returning();
    return row;
  }
}
