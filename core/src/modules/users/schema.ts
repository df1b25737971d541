import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/schema.js';

/** Roles, most powerful first. */
export const ROLES = ['admin', 'supervisor', 'agent'] as const;
export type Role = (typeof ROLES)[number];

/** A person who signs in: admin, supervisor or agent. */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    // Email and mobile identify a person at sign-in without naming a tenant, so they are
    // unique across the whole installation (stored lower-case / normalised).
    email: text('email').notNull(),
    mobile: text('mobile'),
    name: text('name').notNull(),
    /** 工号: staff number, unique within a tenant. */
    staffNo: text('staff_no').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    /** argon2id hash; null for users who only sign in by SMS. */
    passwordHash: text('password_hash'),
    status: text('status', { enum: ['active', 'disabled'] })
      .notNull()
      .default('active'),
    /**
     * Access tokens issued before this instant are refused (set on sign-out and on disabling):
     * access tokens are stateless JWTs, so this is how they stop working before they expire.
     */
    tokensValidAfter: timestamp('tokens_valid_after', { withTimezone: true, precision: 3 }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_email_uq').on(t.email),
    uniqueIndex('users_mobile_uq').on(t.mobile),
    uniqueIndex('users_tenant_staff_no_uq').on(t.tenantId, t.staffNo),
    index('users_tenant_idx').on(t.tenantId),
  ],
);

export type UserRow = typeof users.$inferSelect;
