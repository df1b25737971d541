import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { createError } from '../../errors/registry.js';
import type { ApiRouter } from '../../http/api-router.js';
import type { Principal } from '../auth/principal.js';
import { maskNumber, numberProtectionOn } from '../calls/number-protection.js';
import { cdrs, type CdrRow } from './schema.js';

const cdrSchema = z
  .looseObject({ sessionId: z.uuid(), caller: z.string(), callee: z.string(), endStatus: z.number() })
  .meta({ id: 'Cdr' });

/** A CDR as the API returns it; numbers masked for agents when the tenant protects them (RT-07). */
function view(c: CdrRow, mask: boolean) {
  return {
    ...c,
    caller: mask ? maskNumber(c.caller) : c.caller,
    callee: c.callee,
    startedAt: c.startedAt.toISOString(),
    queuedAt: c.queuedAt?.toISOString() ?? null,
    ringAt: c.ringAt?.toISOString() ?? null,
    acceptedAt: c.acceptedAt?.toISOString() ?? null,
    endedAt: c.endedAt.toISOString(),
    createdAt: c.createdAt.toISOString(),
  };
}

/** Agents see only calls they served; supervisors, admins and API keys see the tenant's. */
function scope(principal: Principal): SQL | undefined {
  return principal.kind === 'user' && principal.role === 'agent' ? eq(cdrs.agentId, principal.userId) : undefined;
}

/** Call records (CDRs). */
export function registerRecordRoutes(api: ApiRouter): void {
  api
    .route({
      method: 'get',
      path: '/records',
      summary: 'Call records, newest first',
      tags: ['records'],
      access: { roles: ['admin', 'supervisor', 'agent'], scopes: ['records:read'] },
      query: z
        .object({
          limit: z.coerce.number().int().min(1).max(500).default(50),
          before: z.iso.datetime().optional(),
        })
        .strict(),
      response: z.object({ items: z.array(cdrSchema) }),
      handler: async ({ principal, deps, query }) => {
        const tenant = await deps.tenantRepo.findById(principal.tenantId);
        const mask = principal.kind === 'user' && principal.role === 'agent' && numberProtectionOn(tenant);
        const rows = await deps.db
          .select()
          .from(cdrs)
          .where(
            and(
              eq(cdrs.tenantId, principal.tenantId),
              scope(principal),
              query.before ? lt(cdrs.startedAt, new Date(query.before)) : undefined,
            ),
          )
          .orderBy(desc(cdrs.startedAt))
          .limit(query.limit);
        return { items: rows.map((r) => view(r, mask)) };
      },
    })
    .route({
      method: 'get',
      path: '/records/:sessionId',
      summary: 'The record of one call',
      tags: ['records'],
      access: { roles: ['admin', 'supervisor', 'agent'], scopes: ['records:read'] },
      params: z.object({ sessionId: z.uuid() }),
      response: cdrSchema,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params }) => {
        const [row] = await deps.db
          .select()
          .from(cdrs)
          .where(and(eq(cdrs.tenantId, principal.tenantId), eq(cdrs.sessionId, params.sessionId), scope(principal)));
        if (!row) throw createError('not_found', 'No record for that call');
        const tenant = await deps.tenantRepo.findById(principal.tenantId);
        return view(row, principal.kind === 'user' && principal.role === 'agent' && numberProtectionOn(tenant));
      },
    });
}
