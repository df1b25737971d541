import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { numbers, type NumberRow } from './schema.js';

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
