import type { ResolvedConfig } from '../../config/config.js';
import { createError } from '../../errors/registry.js';
import { assertAgentSettingsEdition } from '../agents/settings.js';
import type { TenantRepo } from './repo.js';
import {
  readTenantSettings,
  settingsProblems,
  type SettingProblem,
  type SettingsDefaults,
  type TenantSettings,
  type TenantSettingsPatch,
} from './settings-schema.js';

/** A tenant's settings as the API answers them. */
export interface SettingsAnswer {
  settings: TenantSettings;
  problems: SettingProblem[];
}

/**
 * Applies a settings patch to a stored document: a key sent as null is removed (its default
 * applies again); `agent` merges field by field (a null field is removed); any other key is
 * replaced whole.
 */
export function applySettingsPatch(
  current: Record<string, unknown>,
  patch: TenantSettingsPatch,
): Record<string, unknown> {
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) {
      delete next[key];
    } else if (key === 'agent') {
      const old = next.agent;
      const merged: Record<string, unknown> =
        typeof old === 'object' && old !== null && !Array.isArray(old) ? { ...old } : {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v === undefined) continue;
        if (v === null) delete merged[k];
        else merged[k] = v;
      }
      next.agent = merged;
    } else {
      next[key] = value;
    }
  }
  return next;
}

/** Typed tenant settings (ADR 0011): read with defaults, written through the registry. */
export class TenantSettingsService {
  private readonly tenantRepo: TenantRepo;
  private readonly config: ResolvedConfig;

  constructor(deps: { tenantRepo: TenantRepo; config: ResolvedConfig }) {
    this.tenantRepo = deps.tenantRepo;
    this.config = deps.config;
  }

  /** Server defaults the registry falls back on. */
  get defaults(): SettingsDefaults {
    return { wrapUpSeconds: this.config.calls.wrapUpSeconds };
  }

  /** The effective settings of a stored document, and what in it is ignored. */
  answer(stored: Record<string, unknown> | null | undefined): SettingsAnswer {
    return { settings: readTenantSettings(stored, this.defaults), problems: settingsProblems(stored) };
  }

  async get(tenantId: string): Promise<SettingsAnswer> {
    const t = await this.tenantRepo.findById(tenantId);
    if (!t) throw createError('not_found', 'Tenant not found');
    return this.answer(t.settings);
  }

  /** Writes a validated patch (see {@link applySettingsPatch}). */
  async patch(tenantId: string, patch: TenantSettingsPatch): Promise<SettingsAnswer> {
    if (patch.agent?.outboundMemoryFallback === 'ivr' || patch.outboundSurvey) {
      const edition = (await this.tenantRepo.findById(tenantId))?.edition;
      assertAgentSettingsEdition(edition, patch.agent);
      if (patch.outboundSurvey && edition !== 'advanced')
        throw createError('edition_required', 'The outbound satisfaction survey needs the advanced edition', {
          details: { feature: 'OUT-11', field: 'outboundSurvey' },
        });
    }
    const stored = await this.tenantRepo.mergeSettings(tenantId, (current) => applySettingsPatch(current, patch));
    if (!stored) throw createError('not_found', 'Tenant not found');
    return this.answer(stored);
  }

  /**
   * Deletes one stored key, declared or not: how an admin clears an unknown key left from before
   * the registry (a typo such as `numberProtecton`), or puts a declared one back to its default.
   */
  async remove(tenantId: string, key: string): Promise<SettingsAnswer> {
    let found = false;
    const stored = await this.tenantRepo.mergeSettings(tenantId, (current) => {
      found = Object.hasOwn(current, key);
      const next = { ...current };
      delete next[key];
      return next;
    });
    if (!stored) throw createError('not_found', 'Tenant not found');
    if (!found) throw createError('not_found', `The tenant has no stored setting "${key}"`);
    return this.answer(stored);
  }
}
