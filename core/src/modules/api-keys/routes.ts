import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { SCOPES } from '../auth/principal.js';
import { singleLine } from '../../http/text.js';

const apiKeyViewSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(z.string()),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiKey' });

/** API keys for server-to-server calls. Only admins (signed in as people) manage them. */
export function registerApiKeyRoutes(api: ApiRouter): void {
  api
    .route({
      method: 'get',
      path: '/api-keys',
      summary: 'List API keys (never their secrets)',
      tags: ['api-keys'],
      access: { roles: ['admin'] },
      response: z.object({ items: z.array(apiKeyViewSchema) }),
      handler: async ({ principal, deps }) => ({ items: await deps.apiKeyService.list(principal.tenantId) }),
    })
    .route({
      method: 'post',
      path: '/api-keys',
      summary: 'Create an API key; the key is shown only in this response',
      tags: ['api-keys'],
      access: { roles: ['admin'] },
      status: 201,
      body: z
        .object({
          name: singleLine(100),
          scopes: z.array(z.enum(SCOPES)).min(1),
          expiresAt: z.iso.datetime().optional(),
        })
        .strict(),
      response: z.object({ key: z.string(), apiKey: apiKeyViewSchema }),
      handler: ({ principal, deps, body }) =>
        deps.apiKeyService.create(principal.tenantId, {
          name: body.name,
          scopes: [...new Set(body.scopes)],
          expiresAt: body.expiresAt ? new Date(body.expiresAt) : undefined,
          createdBy: principal.kind === 'user' ? principal.userId : undefined,
        }),
    })
    .route({
      method: 'delete',
      path: '/api-keys/:id',
      summary: 'Revoke an API key',
      tags: ['api-keys'],
      access: { roles: ['admin'] },
      params: z.object({ id: z.uuid() }),
      response: apiKeyViewSchema,
      errors: { 404: 'not_found' },
      handler: ({ principal, deps, params }) => deps.apiKeyService.revoke(principal.tenantId, params.id),
    });
}
