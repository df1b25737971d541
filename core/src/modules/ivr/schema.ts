import { sql } from 'drizzle-orm';
import { integer, jsonb, pgTable, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/schema.js';
import type { IvrGraph } from './flow-model.js';

/** An IVR flow: a name and the version new calls start with. */
export const ivrFlows = pgTable(
  'ivr_flows',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Version that new calls use; calls in progress keep the one they started with. */
    publishedVersion: integer('published_version'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('ivr_flows_tenant_name_uq').on(t.tenantId, t.name)],
);

/**
 * Versions of a flow's graph. Main-line versions (no label) are saved and published at once
 * and never change (IVR-34). Named versions (a label, IVR-35) are derived from another
 * version and may be edited until they are first published; from then on they are frozen
 * too, because calls may be running on them (sessions point at a version row).
 */
export const ivrFlowVersions = pgTable(
  'ivr_flow_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    flowId: uuid('flow_id')
      .notNull()
      .references(() => ivrFlows.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    graph: jsonb('graph').$type<IvrGraph>().notNull(),
    /** Name of a named version (IVR-35); null on the main line. */
    label: text('label'),
    /** The version this one was derived from. */
    baseVersion: integer('base_version'),
    /** When it was first published; a published version is frozen. */
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('ivr_flow_versions_flow_version_uq').on(t.flowId, t.version),
    uniqueIndex('ivr_flow_versions_flow_label_uq')
      .on(t.flowId, t.label)
      .where(sql`${t.label} is not null`),
  ],
);

export type IvrFlowRow = typeof ivrFlows.$inferSelect;
export type IvrFlowVersionRow = typeof ivrFlowVersions.$inferSelect;
