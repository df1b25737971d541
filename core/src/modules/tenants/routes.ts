import { z } from 'zod';
import { createError } from '../../errors/registry.js';
import type { ApiRouter } from '../../http/api-router.js';
import { EDITIONS, TENANT_STATUSES, type TenantRow } from './schema.js';
import { singleLine } from '../../http/text.js';
import { tenantSettingsPatchSchema, tenantSettingsSchema } from './settings-schema.js';

export const tenantViewSchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    edition: z.enum(EDITIONS),
    status: z.enum(TENANT_STATUSES),
    settings: z
      .record(z.string(), z.unknown())
      .meta({ description: 'Settings as stored; GET /tenant/settings has every one typed, with its default' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Tenant' });

function toView(t: TenantRow) {
  return {
    id: t.id,
    slug: t.slug,
    name: t.name,
    edition: t.edition,
    status: t.status,
    settings: t.settings,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

const settingsAnswerSchema = z
  .object({
    settings: tenantSettingsSchema,
    problems: z
      .array(
        z.object({
          key: z.string(),
          problem: z.enum(['unknown', 'invalid']),
          message: z.string(),
          suggestion: z.string().optional(),
        }),
      )
      .meta({
        description:
          'Stored keys the server ignores: unknown keys (with the nearest valid key) and malformed values (the default applies). Clear one with DELETE /tenant/settings/{key}',
      }),
  })
  .meta({ id: 'TenantSettingsAnswer' });

/**
 * Your own tenant and its typed settings (ADR 0011). The edition is not self-service: the
 * platform operator sets it (`/platform/tenants`).
 */
export function registerTenantRoutes(api: ApiRouter): void {
  api
    .route({
      method: 'get',
      path: '/tenant',
      summary: 'Your tenant: name, edition (ED-01) and settings',
      tags: ['tenant'],
      access: { roles: ['admin', 'supervisor', 'agent'], scopes: ['tenant:read'] },
      response: tenantViewSchema,
      handler: async ({ principal, deps }) => {
        const t = await deps.tenantRepo.findById(principal.tenantId);
        if (!t) throw createError('not_found', 'Tenant not found');
        return toView(t);
      },
    })
    .route({
      method: 'patch',
      path: '/tenant',
      summary: 'Change your tenant name or settings (settings as in PATCH /tenant/settings)',
      tags: ['tenant'],
      access: { roles: ['admin'], scopes: ['tenant:write'] },
      body: z
        .object({
          name: singleLine(100).optional(),
          settings: tenantSettingsPatchSchema.optional(),
        })
        .strict()
        .refine((b) => b.name !== undefined || b.settings !== undefined, 'send name or settings'),
      response: tenantViewSchema,
      handler: async ({ principal, deps, body }) => {
        if (body.settings) await deps.tenantSettings.patch(principal.tenantId, body.settings);
        const t = body.name
          ? await deps.tenantRepo.update(principal.tenantId, { name: body.name })
          : await deps.tenantRepo.findById(principal.tenantId);
        if (!t) throw createError('not_found', 'Tenant not found');
        return toView(t);
      },
    })
    .route({
      method: 'get',
      path: '/tenant/settings',
      summary: 'Every tenant setting, typed, with its effective value (defaults filled in)',
      tags: ['tenant'],
      access: { roles: ['admin', 'supervisor', 'agent'], scopes: ['tenant:read'] },
      response: settingsAnswerSchema,
      handler: async ({ principal, deps }) => deps.tenantSettings.get(principal.tenantId),
    })
    .route({
      method: 'patch',
      path: '/tenant/settings',
      summary:
        'Change tenant settings: keys left out keep their value, null restores a default; an unknown key is refused (400 validation_failed naming the nearest valid key)',
      tags: ['tenant'],
      access: { roles: ['admin'], scopes: ['tenant:write'] },
      body: tenantSettingsPatchSchema.refine((b) => Object.keys(b).length > 0, {
        message: 'send at least one setting',
        // Not on top of an unknown key: that one is the whole story.
        when: (payload) => payload.issues.length === 0,
      }),
      response: settingsAnswerSchema,
      errors: { 403: 'edition_required (an advanced-edition value on a standard tenant)' },
      handler: async ({ principal, deps, body }) => deps.tenantSettings.patch(principal.tenantId, body),
    })
    .route({
      method: 'delete',
      path: '/tenant/settings/:key',
      summary: 'Delete one stored setting: a declared key goes back to its default, an unknown one is cleared',
      tags: ['tenant'],
      access: { roles: ['admin'], scopes: ['tenant:write'] },
      params: z.object({ key: singleLine(64, { trim: false }) }),
      response: settingsAnswerSchema,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params }) => deps.tenantSettings.remove(principal.tenantId, params.key),
    });
}
