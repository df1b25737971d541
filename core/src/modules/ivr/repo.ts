import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { ivrGraphSchema, type IvrGraph } from './flow-model.js';
import { ivrFlowVersions, ivrFlows, type IvrFlowRow } from './schema.js';

/** IVR flows and their immutable versions. */
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

  /** Creates a flow with its first version, published. The graph is validated first. */
  async create(tenantId: string, name: string, graph: IvrGraph): Promise<IvrFlowRow> {
    const valid = ivrGraphSchema.parse(graph);
    return this.db.transaction(async (tx) => {
      const [flow] = await tx.insert(ivrFlows).values({ tenantId, name, publishedVersion: 1 }).returning();
      await tx.insert(ivrFlowVersions).values({ tenantId, flowId: flow!.id, version: 1, graph: valid });
      return flow!;
    });
  }

  /** Adds a version and publishes it; calls in progress keep theirs (IVR-34). */
  async publish(tenantId: string, flowId: string, graph: IvrGraph): Promise<number> {
    const valid = ivrGraphSchema.parse(graph);
    return this.db.transaction(async (tx) => {
      const [flow] = await tx
        .select()
        .from(ivrFlows)
        .where(and(eq(ivrFlows.tenantId, tenantId), eq(ivrFlows.id, flowId)))
        .for('update');
      if (!flow) throw new Error('flow not found');
      const [{ next }] = (await tx
        .select({ next: sql<number>`coalesce(max(${ivrFlowVersions.version}), 0) + 1` })
        .from(ivrFlowVersions)
        .where(eq(ivrFlowVersions.flowId, flowId))) as [{ next: number }];
      await tx.insert(ivrFlowVersions).values({ tenantId, flowId, version: next, graph: valid });
      await tx.update(ivrFlows).set({ publishedVersion: next, updatedAt: new Date() }).where(eq(ivrFlows.id, flowId));
      return next;
    });
  }
}
