import { and, asc, count, desc, eq, ilike, or } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { normalise } from '../calls/call-flow.js';
import { likePattern } from '../tenants/repo.js';
import { blacklist, type BlacklistRow } from './schema.js';

/** Columns the blacklist list sorts by. */
export const BLACKLIST_SORTS = ['createdAt', 'number', 'expiresAt'] as const;
export type BlacklistSort = (typeof BLACKLIST_SORTS)[number];

/** Numbers refused at the door (CTL-08). */
export class BlacklistRepo {
  private readonly db: Db;
  constructor({ db }: { db: Db }) {
    this.db = db;
  }

  /** From a call (CTL-08): a number already listed keeps its entry. */
  async add(tenantId: string, number: string, reason?: string): Promise<void> {
    await this.db
      .insert(blacklist)
      .values({ tenantId, number: normalise(number), reason: reason ?? null })
      .onConflictDoNothing();
  }

  /**
   * From the console: adds the number, or replaces the reason and expiry of its entry (an admin
   * re-listing a number means the new terms). Returns the entry.
   */
  async upsert(tenantId: string, entry: { number: string; reason: string | null; expiresAt: Date | null }) {
    const values = { tenantId, number: normalise(entry.number), reason: entry.reason, expiresAt: entry.expiresAt };
    const [row] = await this.db
      .insert(blacklist)
      .values(values)
      .onConflictDoUpdate({
        target: [blacklist.tenantId, blacklist.number],
        set: { reason: values.reason, expiresAt: values.expiresAt, createdAt: new Date() },
      })
      .returning();
    return row!;
  }

  /** A page of the tenant's entries; `q` matches the number or the reason. */
  async page(
    tenantId: string,
    opts: { q?: string | undefined; sort: BlacklistSort; order: 'asc' | 'desc'; limit: number; offset: number },
  ): Promise<{ items: BlacklistRow[]; total: number }> {
    const q = opts.q?.trim();
    const digits = q?.replace(/[^0-9*#]/g, '');
    const where = and(
      eq(blacklist.tenantId, tenantId),
      q
        ? or(digits ? ilike(blacklist.number, likePattern(digits)) : undefined, ilike(blacklist.reason, likePattern(q)))
        : undefined,
    );
    const dir = opts.order === 'desc' ? desc : asc;
    const [items, [total]] = await Promise.all([
      this.db
        .select()
        .from(blacklist)
        .where(where)
        .orderBy(dir(blacklist[opts.sort]), asc(blacklist.number))
        .limit(opts.limit)
        .offset(opts.offset),
      this.db.select({ n: count() }).from(blacklist).where(where),
    ]);
    return { items, total: total?.n ?? 0 };
  }

  /** Removes an entry; false when the tenant has no such entry. */
  async remove(tenantId: string, id: string): Promise<boolean> {
    const rows = await this.db
      .delete(blacklist)
      .where(and(eq(blacklist.tenantId, tenantId), eq(blacklist.id, id)))
      .returning({ id: blacklist.id });
    return rows.length > 0;
  }
}
