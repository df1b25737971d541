import { eq } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { tenants, type Edition, type TenantRow } from './schema.js';

/** Tenant rows. The tenant id is the scope, so lookups are by id only. */
export class TenantRepo {
  private readonly db: Db;
  constructor({ db }: { db: Db }) {
    this.db = db;
  }

  async findById(id: string): Promise<TenantRow | undefined> {
    const [row] = await this.db.select().from(tenants).where(eq(tenants.id, id));
    return row;
  }

  async findBySlug(slug: string): Promise<TenantRow | undefined> {
    const [row] = await this.db.select().from(tenants).where(eq(tenants.slug, slug));
    return row;
  }

  async create(input: {
    slug: string;
    name: string;
    edition: Edition;
    settings?: Record<string, unknown>;
  }): Promise<TenantRow> {
    const [row] = await this.db.insert(tenants).values(input).returning();
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
}
