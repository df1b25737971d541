import { z } from 'zod';
import { createError } from '../../errors/registry.js';
import type { ApiRouter } from '../../http/api-router.js';
import { singleLine } from '../../http/text.js';
import { BLACKLIST_SORTS } from './blacklist-repo.js';
import type { BlacklistRow } from './schema.js';

const entrySchema = z
  .object({
    id: z.uuid(),
    number: z.string().meta({ description: 'Digits only, as calls are matched' }),
    reason: z.string().nullable(),
    expiresAt: z.string().nullable().meta({ description: 'When calls are let through again; null = never' }),
    active: z.boolean().meta({ description: 'Whether calls from the number are refused now (not yet expired)' }),
    createdAt: z.string(),
  })
  .meta({ id: 'BlacklistEntry' });

function view(row: BlacklistRow, now = new Date()) {
  return {
    id: row.id,
    number: row.number,
    reason: row.reason,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    active: row.expiresAt === null || row.expiresAt > now,
    createdAt: row.createdAt.toISOString(),
  };
}

/** A caller number as typed: digits with the usual separators; 3–20 digits once they are removed. */
const numberInput = z
  .string()
  .trim()
  .regex(/^\+?[0-9*#][0-9*# ()-]{0,38}$/, 'must be a phone number: digits, optionally with + - ( ) and spaces')
  .refine((n) => {
    const digits = n.replace(/[^0-9*#]/g, '').length;
    return digits >= 3 && digits <= 20;
  }, 'must have 3–20 digits');

/**
 * The tenant blacklist (CTL-08) in the console: calls from a listed number are refused at the
 * door until the entry expires. Agents add numbers from a call (`POST /sessions/{id}/blacklist`)
 * but never list them; admins and supervisors — who see customers' numbers in full under number
 * protection too (RT-07 hides them from agents only) — list, add and remove.
 */
export function registerBlacklistRoutes(api: ApiRouter): void {
  const read = { roles: ['admin', 'supervisor'], scopes: ['records:read'] } as const;
  const write = { roles: ['admin', 'supervisor'], scopes: ['routing:write'] } as const;
  api
    .route({
      method: 'get',
      path: '/blacklist',
      summary:
        'Blacklisted numbers (CTL-08), newest first; q searches the number (digits) and the reason; paged and sorted on the server',
      tags: ['blacklist'],
      access: read,
      query: z
        .object({
          q: singleLine(100).optional(),
          sort: z.enum(BLACKLIST_SORTS).default('createdAt'),
          order: z.enum(['asc', 'desc']).default('desc'),
          page: z.coerce.number().int().min(1).max(100_000).default(1),
          pageSize: z.coerce.number().int().min(1).max(200).default(50),
        })
        .strict(),
      response: z.object({
        items: z.array(entrySchema),
        total: z.number().int(),
        page: z.number().int(),
        pageSize: z.number().int(),
      }),
      handler: async ({ principal, deps, query }) => {
        const { page, pageSize, ...rest } = query;
        const { items, total } = await deps.blacklistRepo.page(principal.tenantId, {
          ...rest,
          limit: pageSize,
          offset: (page - 1) * pageSize,
        });
        const now = new Date();
        return { items: items.map((r) => view(r, now)), total, page, pageSize };
      },
    })
    .route({
      method: 'post',
      path: '/blacklist',
      summary:
        'Blacklist a number (CTL-08) with a reason and an optional expiry; a listed number gets the new reason and expiry',
      tags: ['blacklist'],
      access: write,
      status: 201,
      body: z
        .object({
          number: numberInput,
          reason: singleLine(200).optional(),
          expiresAt: z.iso
            .datetime({ offset: true })
            .optional()
            .refine((v) => v === undefined || Date.parse(v) > Date.now(), 'must be in the future')
            .meta({ description: 'When calls are let through again; left out = never' }),
        })
        .strict(),
      response: entrySchema,
      handler: async ({ principal, deps, body }) =>
        view(
          await deps.blacklistRepo.upsert(principal.tenantId, {
            number: body.number,
            reason: body.reason?.trim() || null,
            expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
          }),
        ),
    })
    .route({
      method: 'delete',
      path: '/blacklist/:id',
      summary: 'Take a number off the blacklist: its calls are let through again',
      tags: ['blacklist'],
      access: write,
      params: z.object({ id: z.uuid() }),
      status: 204,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params }) => {
        if (!(await deps.blacklistRepo.remove(principal.tenantId, params.id))) {
          throw createError('not_found', 'No such blacklist entry');
        }
      },
    });
}
