import { z } from 'zod';
import { createError } from '../../errors/registry.js';
import type { ApiRouter } from '../../http/api-router.js';
import { EDITIONS, type TenantRow } from './schema.js';
import { singleLine } from '../../http/text.js';

export const tenantViewSchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    edition: z.enum(EDITIONS),
    settings: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Tenant' });

function toView(t: TenantRow) {
  return { ...t, createdAt: t.createdAt.toISOString(), updatedAt: t.updatedAt.toISOString() };
}

/** Your own tenant. The edition is not self-service: an operator changes it in the database. */
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
      summary: 'Change your tenant name or settings',
      tags: ['tenant'],
      access: { roles: ['admin'], scopes: ['tenant:write'] },
      body: z
        .object({
          name: singleLine(100).optional(),
          settings: z.record(singleLine(64, { trim: false }), z.unknown()).optional(),
        })
        .strict()
        .refine((b) => b.name !== undefined || b.settings !== undefined, 'send name or settings'),
      response: tenantViewSchema,
      handler: async ({ principal, deps, body }) => {
        const current = await deps.tenantRepo.findById(principal.tenantId);
        if (!current) throw createError('not_found', 'Tenant not found');
        const t = await deps.tenantRepo.update(principal.tenantId, {
          ...(body.name ? { name: body.name } : {}),
          // Settings are merged key by key so two admins editing different keys do not clash.
          ...(body.settings ? { settings: { ...current.settings, ...body.settings } } : {}),
        });
        return toView(t!);
      },
    });
}
