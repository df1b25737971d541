import { boolean, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/schema.js';
import { users } from '../users/schema.js';

/**
 * A plugin's state for one tenant (DESIGN "Per-tenant settings", ADR 0013): on or off, its
 * settings as the plugin's `tenantSettings` schema shapes them, and the secret ones sealed with
 * a key derived from the installation secret. No row: the plugin's default (on for plugins
 * without per-tenant settings, off for plugins that need them).
 */
export const pluginTenantSettings = pgTable(
  'plugin_tenant_settings',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** The plugin's name (`definePlugin({ name })`). */
    plugin: text('plugin').notNull(),
    enabled: boolean('enabled').notNull(),
    /** The settings that are not secret, as last saved. */
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    /** The secret settings, JSON sealed with AES-256-GCM (`crypto/sealed-box.ts`); null = none. */
    secrets: text('secrets'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.plugin] })],
);

export type PluginTenantSettingsRow = typeof pluginTenantSettings.$inferSelect;
