import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';

/*
 * Numbers and their IVR binding (ADM-03; a pinned version is IVR-35, advanced). Admins only;
 * API keys need `ivr:read` / `ivr:write`, since binding decides which flow callers hear.
 */

const TAGS = ['numbers'];

const numberSchema = z
  .object({
    id: z.uuid(),
    number: z.string(),
    label: z.string(),
    ivrFlowId: z.uuid().nullable().meta({ description: 'The IVR flow answering the number' }),
    ivrFlowVersion: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'Pinned version of that flow (advanced); null = its published version' }),
    createdAt: z.string(),
  })
  .meta({ id: 'Number' });

export function registerNumberRoutes(api: ApiRouter): void {
  api
    .route({
      method: 'get',
      path: '/numbers',
      summary: 'Numbers of the tenant and the IVR flow (and version) each is bound to (ADM-03)',
      tags: TAGS,
      access: { roles: ['admin'], scopes: ['ivr:read'] },
      response: z.object({ items: z.array(numberSchema) }),
      handler: async ({ principal, deps }) => ({ items: await deps.numberService.list(principal.tenantId) }),
    })
    .route({
      method: 'patch',
      path: '/numbers/:id',
      summary: 'Bind a number to an IVR flow, optionally pinned to a version (ADM-03, IVR-35)',
      tags: TAGS,
      access: { roles: ['admin'], scopes: ['ivr:write'] },
      params: z.object({ id: z.uuid() }),
      body: z
        .object({
          ivrFlowId: z.uuid().nullable().optional(),
          ivrFlowVersion: z.number().int().min(1).max(1_000_000).nullable().optional(),
        })
        .strict()
        .refine((b) => b.ivrFlowId !== undefined || b.ivrFlowVersion !== undefined, 'send ivrFlowId or ivrFlowVersion'),
      response: numberSchema,
      errors: {
        400: 'validation_failed, malformed_json, flow_invalid',
        403: 'forbidden, edition_required',
        404: 'not_found',
      },
      handler: async ({ principal, deps, params, body }) =>
        deps.numberService.bind(principal.tenantId, params.id, body),
    });
}
