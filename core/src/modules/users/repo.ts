import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db, DbTx } from '../../db/database.js';
import { tenants } from '../tenants/schema.js';
import { users, type Role, type UserRow } from './schema.js';

export interface NewUser {
  email: string;
  mobile?: string | null;
  name: string;
  staffNo: string;
  role: Role;
  passwordHash?: string | null;
  status?: 'active' | 'disabled';
}

/**
 * User rows. Every method but the two sign-in lookups takes the tenant id, so a caller can
 * never reach another tenant's users by guessing an id.
 */
export class UserRepo {
  private readonly db: Db;
  constructor({ db }: { db: Db }) {
    this.db = db;
  }

  /** Sign-in lookup: emails are unique across tenants. */
  async findByEmailForLogin(email: string): Promise<UserRow | undefined> {
    const [row] = await this.db.select().from(users).where(eq(users.email, email.toLowerCase()));
    return row;
  }

  /** Sign-in lookup: mobiles are unique across tenants. */
  async findByMobileForLogin(mobile: string): Promise<UserRow | undefined> {
    const [row] = await this.db.select().from(users).where(eq(users.mobile, mobile));
    return row;
  }

  async findById(tenantId: string, id: string): Promise<UserRow | undefined> {
    const [row] = await this.db
      .select()
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.id, id)));
    return row;
  }

  /**
   * What token checks need: status and the instant before which tokens are refused. A user of a
   * disabled tenant reads as disabled, so the tenant's tokens stop working with it.
   */
  async authState(tenantId: string, id: string): Promise<Pick<UserRow, 'status' | 'tokensValidAfter'> | undefined> {
    const [row] = await this.db
      .select({
        status: sql<UserRow['status']>`case when ${tenants.status} = 'active' then ${users.status} else 'disabled' end`,
        tokensValidAfter: users.tokensValidAfter,
      })
      .from(users)
      .innerJoin(tenants, eq(tenants.id, users.tenantId))
      .where(and(eq(users.tenantId, tenantId), eq(users.id, id)));
    return row;
  }

  /**
   * Refuses the access tokens of every user of a tenant issued before `at` (the tenant was
   * disabled); returns their ids, so their sockets can be closed.
   */
  async setTokensValidAfterForTenant(tenantId: string, at: Date): Promise<string[]> {
    const rows = await this.db
      .update(users)
      .set({ tokensValidAfter: at })
      .where(eq(users.tenantId, tenantId))
      .returning({ id: users.id });
    return rows.map((r) => r.id);
  }

  /** Refuses the user's access tokens issued before `at` (sign-out, disabling). */
  async setTokensValidAfter(tenantId: string, id: string, at: Date): Promise<void> {
    await this.db
      .update(users)
      .set({ tokensValidAfter: at })
      .where(and(eq(users.tenantId, tenantId), eq(users.id, id)));
  }

  async list(tenantId: string, filter: { role?: Role } = {}): Promise<UserRow[]> {
    return this.db
      .select()
      .from(users)
      .where(and(eq(users.tenantId, tenantId), filter.role ? eq(users.role, filter.role) : undefined))
      .orderBy(asc(users.staffNo));
  }

  async create(tenantId: string, input: NewUser, tx: DbTx = this.db): Promise<UserRow> {
    const [row] = await tx
      .insert(users)
      .values({ ...input, email: input.email.toLowerCase(), tenantId })
      .returning();
    return row!;
  }

  async update(tenantId: string, id: string, patch: Partial<NewUser>): Promise<UserRow | undefined> {
    const set = { ...patch, updatedAt: new Date() };
    if (patch.email) set.email = patch.email.toLowerCase();
    const [row] = await this.db
      .update(users)
      .set(set)
      .where(and(eq(users.tenantId, tenantId), eq(users.id, id)))
      .returning();
    return row;
  }

  async remove(tenantId: string, id: string): Promise<boolean> {
    const rows = await this.db
      .delete(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.id, id)))
      .returning({ id: users.id });
    return rows.length > 0;
  }
}
