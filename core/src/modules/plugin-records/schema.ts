import { index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/schema.js';

/**
 * Records a plugin keeps for a tenant (a WeCom add-friend task, a delivery it made…): JSON by
 * plugin, kind and id. Plugins never reach the database; they read and write these rows only
 * through the `pluginRecords` core service, which fixes the plugin and validates the data.
 */
export const pluginRecords = pgTable(
  'plugin_records',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** The plugin's name (`definePlugin({ name })`), set by the host, never by the plugin. */
    plugin: text('plugin').notNull(),
    /** The plugin's own record type, e.g. `task`. */
    kind: text('kind').notNull(),
    id: text('id').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.plugin, t.kind, t.id] }),
    // `find` lists a kind newest first, optionally since a time.
    index('plugin_records_created_idx').on(t.tenantId, t.plugin, t.kind, t.createdAt),
  ],
);

export type PluginRecordRow = typeof pluginRecords.$inferSelect;
