import { sql } from 'drizzle-orm';
import { jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Product editions (ED-01). */
export const EDITIONS = ['standard', 'advanced'] as const;
export type Edition = (typeof EDITIONS)[number];

/** Whether a tenant's users may sign in: a platform operator disables a tenant as a whole. */
export const TENANT_STATUSES = ['active', 'disabled'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

/** A customer organisation. Every tenant-owned row elsewhere points here. */
export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  edition: text('edition', { enum: EDITIONS }).notNull().default('standard'),
  /** `disabled`: nobody of the tenant signs in, and its tokens and API keys stop working. */
  status: text('status', { enum: TENANT_STATUSES }).notNull().default('active'),
  /** When a platform operator last disabled the tenant (kept after re-enabling, for the record). */
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
  /** Typed per key: see `settings-schema.ts` (unknown keys are refused on write, ADR 0011). */
  settings: jsonb('settings')
    .$type<Record<string, unknown>>()
    .notNull()
    .default(sql`'{}'::jsonb`),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type TenantRow = typeof tenants.$inferSelect;
