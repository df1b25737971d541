import { integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/schema.js';
import type { IvrGraph } from './flow-model.js';

/** An IVR flow: a name and the version new calls start with. */
export const ivrFlows = pgTable('ivr_flows', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id')
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  /** Version that new calls use; calls in progress keep the one they started with. */
  publishedVersion: integer('published_version'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Immutable versions of a flow's graph. */
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
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('ivr_flow_versions_flow_version_uq').on(t.flowId, t.version)],
);

export type IvrFlowRow = typeof ivrFlows.$inferSelect;
export type IvrFlowVersionRow = typeof ivrFlowVersions.$inferSelect;
