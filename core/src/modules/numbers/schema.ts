import { boolean, check, index, integer, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { tenants } from '../tenants/schema.js';
import { ivrFlows } from '../ivr/schema.js';
import { users } from '../users/schema.js';

/**
 * A number group (号码分组, ADM-02): a named set of the tenant's numbers ("Beijing hotlines",
 * "400 lines") with a description. Purely organisational: a number belongs to at most one
 * group, and deleting a group leaves its numbers ungrouped.
 */
export const numberGroups = pgTable(
  'number_groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('number_groups_tenant_name_uq').on(t.tenantId, t.name)],
);

export type NumberGroupRow = typeof numberGroups.$inferSelect;

/**
 * A phone number the contact center answers. Inbound routing looks numbers up by the called
 * digits alone, so a number belongs to exactly one tenant across the installation.
 */
export const numbers = pgTable(
  'numbers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** Digits as the carrier delivers them (E.164 without +, or a national 400/95 number). */
    number: text('number').notNull().unique(),
    label: text('label').notNull().default(''),
    /** The number group it belongs to (ADM-02), if any. */
    numberGroupId: uuid('number_group_id').references(() => numberGroups.id, { onDelete: 'set null' }),
    /** The IVR flow that answers calls to this number. */
    ivrFlowId: uuid('ivr_flow_id').references(() => ivrFlows.id, { onDelete: 'set null' }),
    /**
     * A version of that flow the number is pinned to (IVR-35, advanced); null = the flow's
     * published version. Calls to the number run the pinned version whatever is published.
     */
    ivrFlowVersion: integer('ivr_flow_version'),
    /** ADM-05: caller id used when the system dials agents' mobiles (purpose `agentMobile`). */
    agentMobile: boolean('agent_mobile').notNull().default(false),
    /** Last time it was used as an agent-mobile caller id (round robin). */
    agentMobileUsedAt: timestamp('agent_mobile_used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('numbers_tenant_idx').on(t.tenantId), index('numbers_group_idx').on(t.numberGroupId)],
);

export type NumberRow = typeof numbers.$inferSelect;

/** Kinds of number a tenant may apply for (LINE-02): a landline, a 400 or 95 service number, a mobile. */
export const NUMBER_APPLICATION_TYPES = ['landline', '400', '95', 'mobile'] as const;
export type NumberApplicationType = (typeof NUMBER_APPLICATION_TYPES)[number];

/**
 * Where an application stands (LINE-02): `requested` when filed, `processing` once someone works
 * on it with the carrier, then `fulfilled` (the numbers are registered) or `rejected`.
 */
export const NUMBER_APPLICATION_STATUSES = ['requested', 'processing', 'fulfilled', 'rejected'] as const;
export type NumberApplicationStatus = (typeof NUMBER_APPLICATION_STATUSES)[number];

/**
 * A number application (号码代申请, LINE-02): an admin asks for numbers by type and area; the
 * request is tracked to fulfilment. Getting the numbers happens outside Switchboard (carrier
 * paperwork, trunk set-up in jambonz); the row records who asked for what and where it stands.
 */
export const numberApplications = pgTable(
  'number_applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    type: text('type', { enum: NUMBER_APPLICATION_TYPES }).notNull(),
    /** Area the numbers should belong to (city or province, e.g. 北京, or an area code). */
    area: text('area').notNull(),
    quantity: integer('quantity').notNull(),
    purpose: text('purpose').notNull(),
    status: text('status', { enum: NUMBER_APPLICATION_STATUSES }).notNull().default('requested'),
    /** What the last status change said: the numbers given, or why it was rejected. */
    note: text('note').notNull().default(''),
    /** Who filed it (null: an API key, or a user deleted since). */
    requestedBy: uuid('requested_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('number_applications_tenant_idx').on(t.tenantId, t.createdAt),
    check('number_applications_quantity_ck', sql`${t.quantity} between 1 and 1000`),
  ],
);

export type NumberApplicationRow = typeof numberApplications.$inferSelect;
