import { and, count, desc, eq, ilike, or, sql } from 'drizzle-orm';
import type { Db, DbTx } from '../../db/database.js';
import { tenants, type Edition, type TenantRow, type TenantStatus } from './schema.js';

/** One page of tenants for the platform operator, with how many users each has. */
export interface TenantPage {
  items: Array<TenantRow & { userCount: number }>;
  total: number;
}

/** `%…%` for ILIKE with the user's `%`, `_` and `\` taken literally. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Tenant rows. The tenant id is the scope, so lookups are by id only. */
export class TenantRepo {
  private readonly db: Db;
  constructor({ db }: { db: Db }) {
    this.db = db;
  }

  /** `tx`: inside a caller's transaction (a second pool connection could wait on it). */
  async findById(id: string, tx: Db | DbTx = this.db): Promise<TenantRow | undefined> {
    const [row] = await tx.select().from(tenants).where(eq(tenants.id, id));
    return row;
  }

  async findBySlug(slug: string): Promise<TenantRow | undefined> {
    const [row] = await this.db.select().from(tenants).where(eq(tenants.slug, slug));
    return row;
  }

  async create(
    input: {
      slug: string;
      name: string;
      edition: Edition;
      settings?: Record<string, unknown>;
    },
    tx: DbTx = this.db,
  ): Promise<TenantRow> {
    const [row] = await tx.insert(tenants).values(input).returning();
    return row!;
  }

  async update(
    id: string,
    patch: Partial<{ name: string; edition: Edition; settings: Record<string, unknown> }>,
  ): Promise<TenantRow | undefined> {
    const [row] = await this.db
      .update(tenants)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(tenants.id, id))
      .returning();
    return row;
  }

  /** Platform operator: every tenant, newest first, optionally searched by slug or name. */
  async page(opts: {
    limit: number;
    offset: number;
    q?: string | undefined;
    status?: TenantStatus | undefined;
  }): Promise<TenantPage> {
    const where = and(
      opts.q ? or(ilike(tenants.slug, likePattern(opts.q)), ilike(tenants.name, likePattern(opts.q))) : undefined,
      opts.status ? eq(tenants.status, opts.status) : undefined,
    );
    // Spelled out: inside a sub-select drizzle would leave both columns unqualified.
    const userCount = sql<number>`(select count(*)::int from users u where u.tenant_id = "tenants"."id")`;
    const [items, [total]] = await Promise.all([
      this.db
        .select({ tenant: tenants, userCount })
        .from(tenants)
        .where(where)
        .orderBy(desc(tenants.createdAt), tenants.slug)
        .limit(opts.limit)
        .offset(opts.offset),
      this.db.select({ n: count() }).from(tenants).where(where),
    ]);
    return { items: items.map((r) => ({ ...r.tenant, userCount: r.userCount })), total: total?.n ?? 0 };
  }

  /** Enables or disables a tenant; returns the row, or undefined for an unknown id. */
  async setStatus(id: string, status: TenantStatus, tx: DbTx = this.db): Promise<TenantRow | undefined> {
    const set: { status: TenantStatus; updatedAt: Date; disabledAt?: Date } = { status, updatedAt: new Date() };
    if (status === 'disabled') set.disabledAt = new Date();
    const [row] = await tx.update(tenants).set(set).where(eq(tenants.id, id)).returning();
    return row;
  }

  /** Whether the tenant exists and is active (sign-in, API keys). */
  async isActive(id: string): Promise<boolean> {
    const [row] = await this.db.select({ status: tenants.status }).from(tenants).where(eq(tenants.id, id));
    return row?.status === 'active';
  }

  /**
   * Merges a JSON merge patch (RFC 7386: objects merge key by key, null removes) into the
   * tenant's settings in one statement under the row lock, so concurrent writers of different
   * keys do not undo each other. Returns the stored document, or undefined for an unknown tenant.
   */
  async mergeSettings(id: string, merge: (current: Record<string, unknown>) => Record<string, unknown>) {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .select({ settings: tenants.settings })
        .from(tenants)
        .where(eq(tenants.id, id))
        .for('update');
      if (!row) return undefined;
      const next = merge(row.settings ?? {});
      const [updated] = await tx
        .update(tenants)
        .set({ settings: next, updatedAt: new Date() })
        .where(eq(tenants.id, id))
        .returning({ settings: tenants.settings });
      return updated!.settings;
    });
  }
}
