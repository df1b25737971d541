import type { Logger } from 'pino';
import { z } from 'zod';
import { open, seal } from '../../crypto/sealed-box.js';
import { createError } from '../../errors/registry.js';
import { zodParseOptions, type MessageLanguage } from '../../http/message-language.js';
import { secretSettingKeys } from '../../plugins/define-plugin.js';
import {
  gatePluginForTenant,
  type PluginHost,
  type PluginTenantRecord,
  type PluginTenantSource,
} from '../../plugins/host.js';
import type { PluginSpec } from '../../plugins/types.js';
import { actionsFor, type UiActionView, type UiContributions } from '../../plugins/ui-contributions.js';
import type { Role } from '../users/schema.js';
import type { AuthKeys } from '../auth/secrets.js';
import type { TenantRepo } from '../tenants/repo.js';
import type { PluginSettingsRepo } from './repo.js';
import type { PluginTenantSettingsRow } from './schema.js';

/**
 * How long a tenant's plugin state is served from memory. Writes through this instance take
 * effect at once; other instances see them within this time (ADR 0013).
 */
export const PLUGIN_SETTINGS_CACHE_MS = 5_000;

/** Tenants listed in the start-up table; more are counted. */
export const TENANT_TABLE_LIMIT = 20;

type Definition = PluginSpec['definition'];

/** A plugin as a tenant's admin sees it in the console. */
export interface TenantPluginView {
  name: string;
  version: string;
  /** Boot status on this server: `ok`, `failed` (with `reason`) or `disabled` by the operator. */
  status: 'ok' | 'failed' | 'disabled';
  reason?: string;
  hooks: string[];
  /** Whether the plugin serves this tenant now. */
  enabled: boolean;
  /** Why it does not, when it does not. */
  offReason?: 'not_enabled' | 'edition' | 'settings_invalid';
  edition: 'standard' | 'advanced';
  /** JSON Schema of the tenant settings (null: the plugin has none). */
  settingsSchema: Record<string, unknown> | null;
  /** The saved settings without the secret ones. */
  settings: Record<string, unknown>;
  /** Secret settings that have a value (their values are never sent). */
  secretsSet: string[];
  /** The plugin's UI contributions (cards, agent actions). */
  ui: Record<string, unknown> | null;
  updatedAt: string | null;
}

/** A card slot as the workbench gets it: which annotation of a call holds the plugin's card. */
export interface UiCardSlotView {
  plugin: string;
  annotation: string;
  title: string;
}

/** What an admin sends to change a plugin for their tenant. */
export interface TenantPluginUpdate {
  enabled: boolean;
  /**
   * Settings to save. A secret left out keeps its stored value; `null` clears it. Left out
   * entirely: the stored settings stay.
   */
  settings?: Record<string, unknown>;
}

function aad(tenantId: string, plugin: string): string {
  return `plugin-settings/${tenantId}/${plugin}`;
}

/**
 * Plugins' per-tenant settings (DESIGN "Per-tenant settings", ADR 0013): the host's
 * {@link PluginTenantSource} (cached, secrets decrypted) and the admin console's API behind
 * `/api/v1/plugins`. Secrets are sealed with AES-256-GCM under a key derived from the
 * installation secret, bound to tenant and plugin.
 */
export class PluginSettingsService implements PluginTenantSource {
  private readonly d: {
    pluginSettingsRepo: PluginSettingsRepo;
    tenantRepo: TenantRepo;
    authKeys: AuthKeys;
    pluginHost: PluginHost;
    logger: Logger;
  };
  private readonly cache = new Map<string, { at: number; value: Promise<PluginTenantRecord | undefined> }>();

  constructor(deps: PluginSettingsService['d']) {
    // The lazy cradle: `pluginHost` is registered after this service is built.
    this.d = deps;
  }

  /** {@link PluginTenantSource.read}: served from a short cache (see {@link PLUGIN_SETTINGS_CACHE_MS}). */
  read(tenantId: string, plugin: string): Promise<PluginTenantRecord | undefined> {
    const key = `${tenantId}/${plugin}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < PLUGIN_SETTINGS_CACHE_MS) return hit.value;
    const value = this.load(tenantId, plugin);
    this.cache.set(key, { at: Date.now(), value });
    // A failed read is not cached: the next event asks again.
    value.catch(() => this.cache.delete(key));
    if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value as string);
    return value;
  }

  private async load(tenantId: string, plugin: string): Promise<PluginTenantRecord | undefined> {
    const tenant = await this.d.tenantRepo.findById(tenantId);
    if (!tenant || tenant.status !== 'active') return undefined;
    const row = await this.d.pluginSettingsRepo.find(tenantId, plugin);
    return { edition: tenant.edition, stored: row ? { enabled: row.enabled, settings: this.unseal(row) } : undefined };
  }

  /**
   * The row's settings with its secrets, or without them when they no longer open (the
   * installation secret changed, the row was copied): logged; the admin enters them again.
   */
  private unsealOrDrop(row: PluginTenantSettingsRow): Record<string, unknown> {
    try {
      return this.unseal(row);
    } catch (err) {
      this.d.logger.error(
        { tenantId: row.tenantId, plugin: row.plugin, err },
        'a plugin’s stored secrets do not decrypt: ignored until an admin saves them again',
      );
      return { ...row.settings };
    }
  }

  private unseal(row: PluginTenantSettingsRow): Record<string, unknown> {
    if (!row.secrets) return { ...row.settings };
    const secrets = JSON.parse(
      open(this.d.authKeys.pluginSettings, row.secrets, aad(row.tenantId, row.plugin)),
    ) as Record<string, unknown>;
    return { ...row.settings, ...secrets };
  }

  private definitionOf(plugin: string): Definition {
    const def = this.d.pluginHost.definition(plugin);
    if (!def) throw createError('not_found', `No plugin "${plugin}" on this server`);
    return def;
  }

  /** Every configured plugin as the tenant's admin sees it. */
  async list(tenantId: string): Promise<TenantPluginView[]> {
    const tenant = await this.d.tenantRepo.findById(tenantId);
    if (!tenant) throw createError('not_found', 'Tenant not found');
    const rows = new Map((await this.d.pluginSettingsRepo.listForTenant(tenantId)).map((r) => [r.plugin, r]));
    const out: TenantPluginView[] = [];
    for (const status of this.d.pluginHost.statuses()) {
      out.push(await this.view(this.definitionOf(status.name), status, tenant.edition, rows.get(status.name)));
    }
    return out;
  }

  /**
   * What the plugins serving a tenant add to the workbench for a viewer of `role` (typed UI
   * contributions): the card slots and the agent actions their role may use. Plugins that are
   * off for the tenant, or failed to boot, contribute nothing.
   */
  async uiFor(tenantId: string, role: Role): Promise<{ cards: UiCardSlotView[]; actions: UiActionView[] }> {
    const cards: UiCardSlotView[] = [];
    const actions: UiActionView[] = [];
    for (const p of await this.list(tenantId)) {
      if (!p.enabled) continue;
      const ui = this.definitionOf(p.name).ui as UiContributions | undefined;
      if (!ui) continue;
      cards.push(...ui.cards.map((c) => ({ ...c, plugin: p.name })));
      actions.push(...actionsFor(p.name, ui, role));
    }
    return { cards, actions };
  }

  /** One plugin as the tenant's admin sees it. */
  async get(tenantId: string, plugin: string): Promise<TenantPluginView> {
    const def = this.definitionOf(plugin);
    const tenant = await this.d.tenantRepo.findById(tenantId);
    if (!tenant) throw createError('not_found', 'Tenant not found');
    const status = this.d.pluginHost.statuses().find((s) => s.name === plugin)!;
    return this.view(def, status, tenant.edition, await this.d.pluginSettingsRepo.find(tenantId, plugin));
  }

  private async view(
    def: Definition,
    status: ReturnType<PluginHost['statuses']>[number],
    edition: 'standard' | 'advanced',
    row: PluginTenantSettingsRow | undefined,
  ): Promise<TenantPluginView> {
    const schema = def.tenantSettings as z.ZodObject | undefined;
    const secretKeys = schema ? secretSettingKeys(schema) : [];
    const all = row ? this.unsealOrDrop(row) : {};
    const gate = await gatePluginForTenant(def, {
      edition,
      stored: row ? { enabled: row.enabled, settings: all } : undefined,
    });
    const offReason = gate.on ? undefined : (gate.why as TenantPluginView['offReason']);
    return {
      name: def.name,
      version: def.version,
      status: status.status,
      ...(status.reason ? { reason: status.reason } : {}),
      hooks: [...status.hooks],
      enabled: gate.on && status.status === 'ok',
      ...(offReason ? { offReason } : {}),
      edition: def.edition ?? 'standard',
      settingsSchema: schema
        ? (z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>)
        : null,
      settings: Object.fromEntries(Object.entries(row?.settings ?? {}).filter(([k]) => !secretKeys.includes(k))),
      secretsSet: secretKeys.filter((k) => typeof all[k] === 'string' && all[k] !== ''),
      ui: (def.ui as Record<string, unknown> | undefined) ?? null,
      updatedAt: row?.updatedAt.toISOString() ?? null,
    };
  }

  /**
   * Turns a plugin on or off for a tenant and saves its settings. Turning on needs settings that
   * pass the plugin's schema (`validation_failed` naming each field otherwise) and, for an
   * advanced-only plugin, an advanced tenant (`edition_required`).
   */
  async update(
    tenantId: string,
    plugin: string,
    input: TenantPluginUpdate,
    userId: string | null,
    language: MessageLanguage = 'en',
  ): Promise<TenantPluginView> {
    const def = this.definitionOf(plugin);
    const tenant = await this.d.tenantRepo.findById(tenantId);
    if (!tenant) throw createError('not_found', 'Tenant not found');
    if (input.enabled && def.edition === 'advanced' && tenant.edition !== 'advanced') {
      throw createError('edition_required', `The plugin "${plugin}" needs the advanced edition`, {
        details: { required: 'advanced', current: tenant.edition },
      });
    }
    const schema = def.tenantSettings as z.ZodObject | undefined;
    const current = await this.d.pluginSettingsRepo.find(tenantId, plugin);
    const stored = current ? this.unsealOrDrop(current) : {};
    let next: Record<string, unknown> = stored;
    if (input.settings !== undefined) {
      if (!schema) {
        throw createError('validation_failed', `The plugin "${plugin}" has no per-tenant settings`, {
          details: [{ path: 'body.settings', message: 'this plugin takes no settings', code: 'unrecognized_keys' }],
        });
      }
      const secretKeys = secretSettingKeys(schema);
      next = { ...input.settings };
      for (const key of secretKeys) {
        if (!(key in input.settings)) {
          if (key in stored) next[key] = stored[key];
        } else if (input.settings[key] === null) {
          delete next[key];
        }
      }
    }
    let clean: Record<string, unknown> = next;
    if (schema && (input.enabled || input.settings !== undefined)) {
      // The plugin's own schema, checked here (not by the router): its messages in the client's language too.
      const parsed = await schema.strict().safeParseAsync(next, zodParseOptions(language));
      if (!parsed.success) {
        // Saving a draft while off is allowed only when what is sent is valid too: an admin
        // should never find a half-valid row that a later "turn on" silently depends on.
        throw createError('validation_failed', `Invalid settings for the plugin "${plugin}"`, {
          details: parsed.error.issues.map((i) => ({
            path: ['body', 'settings', ...i.path.map(String)].join('.'),
            message: i.message,
            code: i.code,
          })),
        });
      }
      clean = parsed.data as Record<string, unknown>;
    }
    const secretKeys = schema ? secretSettingKeys(schema) : [];
    const plain = Object.fromEntries(Object.entries(clean).filter(([k]) => !secretKeys.includes(k)));
    const secrets = Object.fromEntries(Object.entries(clean).filter(([k]) => secretKeys.includes(k)));
    await this.d.pluginSettingsRepo.upsert({
      tenantId,
      plugin,
      enabled: input.enabled,
      settings: plain,
      secrets:
        Object.keys(secrets).length > 0
          ? seal(this.d.authKeys.pluginSettings, JSON.stringify(secrets), aad(tenantId, plugin))
          : null,
      updatedBy: userId,
    });
    this.cache.delete(`${tenantId}/${plugin}`);
    return this.get(tenantId, plugin);
  }

  /**
   * The start-up table's second part (DESIGN "Plugins"): for each active tenant (the newest
   * {@link TENANT_TABLE_LIMIT}), which plugins serve it.
   *
   * @example
   * tenant  crm-screen-pop  wecom-add-friend
   * demo    on              off (not enabled)
   */
  async tenantTable(): Promise<string> {
    const plugins = this.d.pluginHost.statuses().filter((s) => s.status === 'ok');
    if (plugins.length === 0) return '';
    const page = await this.d.tenantRepo.page({ limit: TENANT_TABLE_LIMIT, offset: 0, status: 'active' });
    const rows: string[][] = [];
    for (const tenant of page.items) {
      const stored = new Map((await this.d.pluginSettingsRepo.listForTenant(tenant.id)).map((r) => [r.plugin, r]));
      const cells = [tenant.slug];
      for (const p of plugins) {
        const row = stored.get(p.name);
        const gate = await gatePluginForTenant(this.definitionOf(p.name), {
          edition: tenant.edition,
          stored: row ? { enabled: row.enabled, settings: this.unsealOrDrop(row) } : undefined,
        });
        cells.push(gate.on ? 'on' : `off (${gate.why.replace('_', ' ')})`);
      }
      rows.push(cells);
    }
    const header = ['tenant', ...plugins.map((p) => p.name)];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
    const line = (cells: string[]): string =>
      cells
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd();
    const more = page.total > page.items.length ? [`… and ${page.total - page.items.length} more tenants`] : [];
    return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ...more].join('\n');
  }
}
