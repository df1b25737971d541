import { and, desc, eq, gte, sql } from 'drizzle-orm';
import type { Db, DbTx } from '../../db/database.js';
import { pluginRecords, type PluginRecordRow } from './schema.js';

/** The row a plugin's record is stored in, by its full key. */
export interface RecordKey {
  tenantId: string;
  plugin: string;
  kind: string;
  id: string;
}

const byKey = (k: RecordKey) =>
  and(
    eq(pluginRecords.tenantId, k.tenantId),
    eq(pluginRecords.plugin, k.plugin),
    eq(pluginRecords.kind, k.kind),
    eq(pluginRecords.id, k.id),
  );

/** Plugins' records. Every query is scoped by tenant and plugin. */
export class PluginRecordRepo {
  private readonly db: Db;
  constructor({ db }: { db: Db }) {
    this.db = db;
  }

  /** Inserts the row unless one with the key exists; the row, or `undefined` for a repeat. */
  async insert(k: RecordKey, data: Record<string, unknown>, now: Date): Promise<PluginRecordRow | undefined> {
    const [row] = await this.db
      .insert(pluginRecords)
      .values({ ...k, data, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning();
    return row;
  }

  async find(k: RecordKey): Promise<PluginRecordRow | undefined> {
    const [row] = await this.db.select().from(pluginRecords).where(byKey(k));
    return row;
  }

  /**
   * Reads the row locked, lets `change` decide, writes what it returns: one transaction, so two
   * concurrent updates (a callback and an expiry) never lose each other's change.
   */
  async update(
    k: RecordKey,
    change: (row: PluginRecordRow) => Record<string, unknown> | undefined,
    now: Date,
  ): Promise<PluginRecordRow | undefined> {
    return this.db.transaction(async (tx: DbTx) => {
      const [row] = await tx.select().from(pluginRecords).where(byKey(k)).for('update');
      if (!row) return undefined;
      const data = change(row);
      if (data === undefined) return row;
      const [saved] = await tx.update(pluginRecords).set({ data, updatedAt: now }).where(byKey(k)).returning();
      return saved;
    });
  }

  /** A kind's rows newest first, optionally matching top-level values and created since a time. */
  async list(
    k: Omit<RecordKey, 'id'>,
    opts: { match?: Record<string, unknown>; since?: Date; limit: number },
  ): Promise<PluginRecordRow[]> {
    return (
      this.db
        .select()
        .from(pluginRecords)
        .where(
          and(
            eq(pluginRecords.tenantId, k.tenantId),
            eq(pluginRecords.plugin, k.plugin),
            eq(pluginRecords.kind, k.kind),
            opts.since ? gte(pluginRecords.createdAt, opts.since) : undefined,
            opts.match && Object.keys(opts.match).length > 0
              ? sql`${pluginRecords.data} @> ${JSON.stringify(opts.match)}::jsonb`
              : undefined,
          ),
        )
        // Ids compared byte-wise, whatever the database collation: the same order everywhere.
        .orderBy(desc(pluginRecords.createdAt), sql`${pluginRecords.id} collate "C" desc`)
        .limit(opts.limit)
    );
  }

  async remove(k: RecordKey): Promise<boolean> {
    const rows = await this.db.delete(pluginRecords).where(byKey(k)).returning({ id: pluginRecords.id });
    return rows.length > 0;
  }
}
