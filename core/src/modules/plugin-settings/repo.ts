import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { pluginTenantSettings, type PluginTenantSettingsRow } from './schema.js';

/** Plugins' per-tenant rows. Every query is scoped by tenant. */
export class PluginSettingsRepo {
  private readonly db: Db;
  constructor({ db }: { db: Db }) {
    this.db = db;
  }

  async find(tenantId: string, plugin: string): Promise<PluginTenantSettingsRow | undefined> {
    const [row] = await this.db
      .select()
      .from(pluginTenantSettings)
      .where(and(eq(pluginTenantSettings.tenantId, tenantId), eq(pluginTenantSettings.plugin, plugin)));
    return row;
  }

  async listForTenant(tenantId: string): Promise<PluginTenantSettingsRow[]> {
    return this.db.select().from(pluginTenantSettings).where(eq(pluginTenantSettings.tenantId, tenantId));
  }

  /** Every tenant's rows: the start-up table. */
  async listAll(): Promise<PluginTenantSettingsRow[]> {
    return this.db.select().from(pluginTenantSettings);
  }

  async upsert(row: {
    tenantId: string;
    plugin: string;
    enabled: boolean;
    settings: Record<string, unknown>;
    secrets: string | null;
    updatedBy: string | null;
  }): Promise<PluginTenantSettingsRow> {
    const now = new Date();
    const [saved] = await this.db
      .insert(pluginTenantSettings)
      .values({ ...row, updatedAt: now })
      .onConflictDoUpdate({
        target: [pluginTenantSettings.tenantId, pluginTenantSettings.plugin],
        set: {
          enabled: row.enabled,
          settings: row.settings,
          secrets: row.secrets,
          updatedAt: now,
          updatedBy: row.updatedBy,
        },
      })
      .returning();
    return saved!;
  }
}
