import { z } from 'zod';
import { createError } from '../../errors/registry.js';
import type { ApiRouter } from '../../http/api-router.js';
import { hashPassword } from '../auth/passwords.js';
import { ROLES } from './schema.js';
import { toUserView } from './view.js';
import { singleLine } from '../../http/text.js';

/** A user as returned by the API. */
export const userViewSchema = z
  .object({
    id: z.uuid(),
    tenantId: z.uuid(),
    email: z.string(),
    mobile: z.string().nullable(),
    name: z.string(),
    staffNo: z.string().meta({ description: '工号 (staff number), unique within the tenant' }),
    role: z.enum(ROLES),
    status: z.enum(['active', 'disabled']),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'User' });

const idParams = z.object({ id: z.uuid() });
/** Digits with an optional leading +, as users type mobiles (CN numbers are 11 digits). */
export const mobileSchema = z.string().regex(/^\+?[0-9]{6,20}$/, 'must be 6–20 digits, optionally starting with +');
const password = z.string().min(8, 'must be at least 8 characters').max(256);

const createBody = z
  .object({
    email: z.email().max(254),
    name: singleLine(100),
    staffNo: singleLine(32),
    role: z.enum(ROLES),
    mobile: mobileSchema.optional(),
    password: password.optional(),
  })
  .strict();

const updateBody = z
  .object({
    email: z.email().max(254),
    name: singleLine(100),
    staffNo: singleLine(32),
    role: z.enum(ROLES),
    mobile: mobileSchema.nullable(),
    password,
    status: z.enum(['active', 'disabled']),
  })
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'send at least one field');

/** Unique-violation → 409 naming the field, instead of a 500. */
function conflictOnDuplicate(err: unknown): never {
  const e = err as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
  const pg = e.code ? e : e.cause;
  if (pg?.code === '23505') {
    const field = pg.constraint?.includes('email')
      ? 'email'
      : pg.constraint?.includes('mobile')
        ? 'mobile'
        : pg.constraint?.includes('staff_no')
          ? 'staffNo'
          : 'unknown';
    throw createError('conflict', `A user with this ${field} already exists`, { details: { field } });
  }
  throw err;
}

/** Staff administration: admins manage users; supervisors may read them. */
export function registerUserRoutes(api: ApiRouter): void {
  api
    .route({
      method: 'get',
      path: '/users',
      summary: 'List users of your tenant',
      tags: ['users'],
      access: { roles: ['admin', 'supervisor'], scopes: ['users:read'] },
      query: z.object({ role: z.enum(ROLES).optional() }).strict(),
      response: z.object({ items: z.array(userViewSchema) }),
      handler: async ({ principal, deps, query }) => ({
        items: (await deps.userRepo.list(principal.tenantId, query)).map(toUserView),
      }),
    })
    .route({
      method: 'post',
      path: '/users',
      summary: 'Create a user',
      tags: ['users'],
      access: { roles: ['admin'], scopes: ['users:write'] },
      status: 201,
      body: createBody,
      response: userViewSchema,
      errors: { 409: 'conflict' },
      handler: async ({ principal, deps, body }) => {
        const { password: pw, ...rest } = body;
        const row = await deps.userRepo
          .create(principal.tenantId, { ...rest, passwordHash: pw ? await hashPassword(pw) : null })
          .catch(conflictOnDuplicate);
        // An agent gets softphone credentials at once (IN-01); a provider outage does not stop
        // the user being created — `POST /agents/{id}/device` provisions later.
        if (row.role === 'agent') {
          await deps.deviceService
            .provision(principal.tenantId, row.id)
            .catch((err) => deps.logger.warn({ err, userId: row.id }, 'could not provision softphone credentials'));
        }
        return toUserView(row);
      },
    })
    .route({
      method: 'get',
      path: '/users/:id',
      summary: 'Get a user',
      tags: ['users'],
      access: { roles: ['admin', 'supervisor'], scopes: ['users:read'] },
      params: idParams,
      response: userViewSchema,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params }) => {
        const row = await deps.userRepo.findById(principal.tenantId, params.id);
        if (!row) throw createError('not_found', 'No user with that id');
        return toUserView(row);
      },
    })
    .route({
      method: 'patch',
      path: '/users/:id',
      summary: 'Change a user',
      tags: ['users'],
      access: { roles: ['admin'], scopes: ['users:write'] },
      params: idParams,
      body: updateBody,
      response: userViewSchema,
      errors: { 404: 'not_found', 409: 'conflict' },
      handler: async ({ principal, deps, params, body }) => {
        const { password: pw, ...rest } = body;
        const patch = { ...rest, ...(pw ? { passwordHash: await hashPassword(pw) } : {}) };
        const row = await deps.userRepo.update(principal.tenantId, params.id, patch).catch(conflictOnDuplicate);
        if (!row) throw createError('not_found', 'No user with that id');
        // A password reset also rotates the softphone password, so an old session's phone is out.
        if (pw) await deps.deviceService.rotateIfProvisioned(principal.tenantId, row.id);
        // Disabled: access tokens and realtime sockets end now, on every instance (≤ 30 s).
        if (rest.status === 'disabled') await deps.tokenRevocation.revokeAll(principal.tenantId, row.id, 'disabled');
        return toUserView(row);
      },
    })
    .route({
      method: 'delete',
      path: '/users/:id',
      summary: 'Delete a user',
      tags: ['users'],
      access: { roles: ['admin'], scopes: ['users:write'] },
      params: idParams,
      status: 204,
      errors: { 404: 'not_found', 409: 'conflict' },
      handler: async ({ principal, deps, params }) => {
        if (principal.kind === 'user' && principal.userId === params.id) {
          throw createError('conflict', 'You cannot delete yourself');
        }
        await deps.deviceService.deprovision(principal.tenantId, params.id);
        if (!(await deps.userRepo.remove(principal.tenantId, params.id))) {
          throw createError('not_found', 'No user with that id');
        }
        // The row is gone, so tokens fail once caches lapse; this ends them and the sockets now.
        await deps.tokenRevocation.revokeAll(principal.tenantId, params.id, 'disabled');
      },
    });
}
