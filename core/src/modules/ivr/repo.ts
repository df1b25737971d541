import { and, asc, count, desc, eq, ilike, isNull, ne, sql } from 'drizzle-orm';
import type { Db, DbTx } from '../../db/database.js';
import { callSessions } from '../calls/schema.js';
import { numbers } from '../numbers/schema.js';
import { likePattern } from '../tenants/repo.js';
import { ivrGraphSchema, type IvrGraph } from './flow-model.js';
import { ivrFlowVersions, ivrFlows, type IvrFlowRow, type IvrFlowVersionRow } from './schema.js';

/**
 * Runs inside the transaction that makes a graph runnable (new flow, new published version, a
 * version published again) and may refuse it by throwing: the service re-checks there what it
 * validated before the transaction (audio files, ADM-01).
 */
export type PublishGuard = (tx: DbTx, graph: IvrGraph) => Promise<void>;

/** IVR flows and their versions. Every query is scoped by tenant. */
export class IvrRepo {
  private readonly db: Db;
  constructor({ db }: { db: Db }) {
    this.db = db;
  }

  async findByName(tenantId: string, name: string): Promise<IvrFlowRow | undefined> {
    const [row] = await this.db
      .select()
      .from(ivrFlows)
      .where(and(eq(ivrFlows.tenantId, tenantId), eq(ivrFlows.name, name)));
    return row;
  }

  async findById(tenantId: string, id: string): Promise<IvrFlowRow | undefined> {
    const [row] = await this.db
      .select()
      .from(ivrFlows)
      .where(and(eq(ivrFlows.tenantId, tenantId), eq(ivrFlows.id, id)));
    return row;
  }

  async list(tenantId: string): Promise<IvrFlowRow[]> {
    return this.db.select().from(ivrFlows).where(eq(ivrFlows.tenantId, tenantId)).orderBy(asc(ivrFlows.name));
  }

  /**
   * One page of the tenant's flows (the admin list): `q` matches the name anywhere, case
   * ignored; ties sort by id so pages never overlap.
   */
  async page(
    tenantId: string,
    opts: { q?: string; sort: 'name' | 'updatedAt'; order: 'asc' | 'desc'; page: number; pageSize: number },
  ): Promise<{ rows: IvrFlowRow[]; total: number }> {
    const pattern = opts.q ? likePattern(opts.q) : undefined;
    const where = and(eq(ivrFlows.tenantId, tenantId), pattern ? ilike(ivrFlows.name, pattern) : undefined);
    const column = opts.sort === 'name' ? ivrFlows.name : ivrFlows.updatedAt;
    const [rows, [total]] = await Promise.all([
      this.db
        .select()
        .from(ivrFlows)
        .where(where)
        .orderBy(opts.order === 'asc' ? asc(column) : desc(column), asc(ivrFlows.id))
        .limit(opts.pageSize)
        .offset((opts.page - 1) * opts.pageSize),
      this.db.select({ n: count() }).from(ivrFlows).where(where),
    ]);
    return { rows, total: total?.n ?? 0 };
  }

  /** Creates a flow with its first version, published. The graph must be runnable. */
  async create(tenantId: string, name: string, graph: IvrGraph, guard?: PublishGuard): Promise<IvrFlowRow> {
    const valid = ivrGraphSchema.parse(graph);
    return this.db.transaction(async (tx) => {
      const [flow] = await tx.insert(ivrFlows).values({ tenantId, name, publishedVersion: 1 }).returning();
      await guard?.(tx, valid);
      await tx
        .insert(ivrFlowVersions)
        .values({ tenantId, flowId: flow!.id, version: 1, graph: valid, publishedAt: new Date() });
      return flow!;
    });
  }

  /**
   * Adds a main-line version and publishes it (IVR-34): new calls take it, calls in progress
   * keep theirs. Optionally renames the flow in the same transaction. Returns the version.
   */
  async publish(
    tenantId: string,
    flowId: string,
    graph: IvrGraph,
    opts: { name?: string; guard?: PublishGuard } = {},
  ): Promise<number> {
    const valid = ivrGraphSchema.parse(graph);
    return this.db.transaction(async (tx) => {
      const flow = await this.lockFlow(tx, tenantId, flowId);
      if (!flow) throw new Error('flow not found');
      await opts.guard?.(tx, valid);
      const next = await this.nextVersion(tx, flowId);
      const now = new Date();
      await tx.insert(ivrFlowVersions).values({ tenantId, flowId, version: next, graph: valid, publishedAt: now });
      await tx
        .update(ivrFlows)
        .set({ publishedVersion: next, updatedAt: now, ...(opts.name ? { name: opts.name } : {}) })
        .where(eq(ivrFlows.id, flowId));
      return next;
    });
  }

  /** Deletes a flow and its versions. */
  async remove(tenantId: string, id: string): Promise<boolean> {
    const rows = await this.db
      .delete(ivrFlows)
      .where(and(eq(ivrFlows.tenantId, tenantId), eq(ivrFlows.id, id)))
      .returning({ id: ivrFlows.id });
    return rows.length > 0;
  }

  /** Numbers answered by the flow (they block its deletion, IVR-33). */
  async boundNumbers(tenantId: string, flowId: string): Promise<Array<{ id: string; number: string; label: string }>> {
    return this.db
      .select({ id: numbers.id, number: numbers.number, label: numbers.label })
      .from(numbers)
      .where(and(eq(numbers.tenantId, tenantId), eq(numbers.ivrFlowId, flowId)))
      .orderBy(asc(numbers.number));
  }

  /** Numbers pinned to one version of the flow (they block its deletion, IVR-35). */
  async pinnedNumbers(
    tenantId: string,
    flowId: string,
    version: number,
  ): Promise<Array<{ id: string; number: string }>> {
    return this.db
      .select({ id: numbers.id, number: numbers.number })
      .from(numbers)
      .where(and(eq(numbers.tenantId, tenantId), eq(numbers.ivrFlowId, flowId), eq(numbers.ivrFlowVersion, version)));
  }

  /** Marks a version published (frozen) without making it the flow's published one: a number pins it. */
  async freezeVersion(tenantId: string, flowId: string, version: number): Promise<void> {
    await this.db
      .update(ivrFlowVersions)
      .set({ publishedAt: sql`coalesce(${ivrFlowVersions.publishedAt}, now())` })
      .where(
        and(
          eq(ivrFlowVersions.tenantId, tenantId),
          eq(ivrFlowVersions.flowId, flowId),
          eq(ivrFlowVersions.version, version),
        ),
      );
  }

  /** Calls in progress on the flow, or on one version of it. */
  async liveCalls(tenantId: string, flowId: string, version?: number): Promise<number> {
    const [row] = await this.db
      .select({ n: count() })
      .from(callSessions)
      .innerJoin(ivrFlowVersions, eq(ivrFlowVersions.id, callSessions.flowVersionId))
      .where(
        and(
          eq(callSessions.tenantId, tenantId),
          eq(ivrFlowVersions.flowId, flowId),
          version === undefined ? undefined : eq(ivrFlowVersions.version, version),
          ne(callSessions.state, 'ended'),
        ),
      );
    return row?.n ?? 0;
  }

  // ── versions ──

  async listVersions(tenantId: string, flowId: string): Promise<IvrFlowVersionRow[]> {
    return this.db
      .select()
      .from(ivrFlowVersions)
      .where(and(eq(ivrFlowVersions.tenantId, tenantId), eq(ivrFlowVersions.flowId, flowId)))
      .orderBy(asc(ivrFlowVersions.version));
  }

  async findVersion(tenantId: string, flowId: string, version: number): Promise<IvrFlowVersionRow | undefined> {
    const [row] = await this.db
      .select()
      .from(ivrFlowVersions)
      .where(
        and(
          eq(ivrFlowVersions.tenantId, tenantId),
          eq(ivrFlowVersions.flowId, flowId),
          eq(ivrFlowVersions.version, version),
        ),
      );
    return row;
  }

  /** Adds a named version (IVR-35), not published. */
  async createVersion(
    tenantId: string,
    flowId: string,
    input: { label: string; graph: IvrGraph; baseVersion: number | null },
  ): Promise<IvrFlowVersionRow | undefined> {
    const valid = ivrGraphSchema.parse(input.graph);
    return this.db.transaction(async (tx) => {
      if (!(await this.lockFlow(tx, tenantId, flowId))) return undefined;
      const version = await this.nextVersion(tx, flowId);
      const [row] = await tx
        .insert(ivrFlowVersions)
        .values({ tenantId, flowId, version, graph: valid, label: input.label, baseVersion: input.baseVersion })
        .returning();
      return row;
    });
  }

  /** Changes a version that was never published; undefined when there is no such unpublished version. */
  async updateVersion(
    tenantId: string,
    flowId: string,
    version: number,
    patch: { label?: string; graph?: IvrGraph },
  ): Promise<IvrFlowVersionRow | undefined> {
    const graph = patch.graph ? ivrGraphSchema.parse(patch.graph) : undefined;
    const [row] = await this.db
      .update(ivrFlowVersions)
      .set({
        ...(patch.label !== undefined ? { label: patch.label } : {}),
        ...(graph ? { graph } : {}),
        updatedAt: new Date(),
      })
      .where(
        and(
          eq(ivrFlowVersions.tenantId, tenantId),
          eq(ivrFlowVersions.flowId, flowId),
          eq(ivrFlowVersions.version, version),
          isNull(ivrFlowVersions.publishedAt),
        ),
      )
      .returning();
    return row;
  }

  /** Deletes a version unless it is the published one. */
  async deleteVersion(tenantId: string, flowId: string, version: number): Promise<boolean> {
    const rows = await this.db
      .delete(ivrFlowVersions)
      .where(
        and(
          eq(ivrFlowVersions.tenantId, tenantId),
          eq(ivrFlowVersions.flowId, flowId),
          eq(ivrFlowVersions.version, version),
          sql`not exists (select 1 from ${ivrFlows} f where f.id = ${ivrFlowVersions.flowId} and f.published_version = ${ivrFlowVersions.version})`,
        ),
      )
      .returning({ id: ivrFlowVersions.id });
    return rows.length > 0;
  }

  /** Makes `version` the one new calls use (IVR-35: numbers answer with the chosen version). */
  async setPublished(
    tenantId: string,
    flowId: string,
    version: number,
    guard?: PublishGuard,
  ): Promise<IvrFlowRow | undefined> {
    return this.db.transaction(async (tx) => {
      const now = new Date();
      const [v] = await tx
        .update(ivrFlowVersions)
        .set({ publishedAt: sql`coalesce(${ivrFlowVersions.publishedAt}, ${now.toISOString()}::timestamptz)` })
        .where(
          and(
            eq(ivrFlowVersions.tenantId, tenantId),
            eq(ivrFlowVersions.flowId, flowId),
            eq(ivrFlowVersions.version, version),
          ),
        )
        .returning({ id: ivrFlowVersions.id, graph: ivrFlowVersions.graph });
      if (!v) return undefined;
      await guard?.(tx, v.graph);
      const [flow] = await tx
        .update(ivrFlows)
        .set({ publishedVersion: version, updatedAt: now })
        .where(and(eq(ivrFlows.tenantId, tenantId), eq(ivrFlows.id, flowId)))
        .returning();
      return flow;
    });
  }

  private async lockFlow(tx: DbTx, tenantId: string, flowId: string): Promise<IvrFlowRow | undefined> {
    const [flow] = await tx
      .select()
      .from(ivrFlows)
      .where(and(eq(ivrFlows.tenantId, tenantId), eq(ivrFlows.id, flowId)))
      .for('update');
    return flow;
  }

  private async nextVersion(tx: DbTx, flowId: string): Promise<number> {
    const [{ next }] = (await tx
      .select({ next: sql<number>`coalesce(max(${ivrFlowVersions.version}), 0) + 1` })
      .from(ivrFlowVersions)
      .where(eq(ivrFlowVersions.flowId, flowId))) as [{ next: number }];
    return Number(next);
  }
}
