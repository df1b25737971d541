import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { singleLine } from '../../http/text.js';
import { mobileSchema, userViewSchema } from '../users/routes.js';
import { EDITIONS, TENANT_STATUSES } from './schema.js';
import { timeZoneSchema } from './time-zone.js';

/** A tenant as the platform operator sees it. */
export const platformTenantSchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    edition: z.enum(EDITIONS),
    status: z.enum(TENANT_STATUSES),
    timeZone: z.string(),
    userCount: z.number().int().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
    disabledAt: z.string().nullable(),
  })
  .meta({ id: 'PlatformTenant' });

/** URL-safe, lower case; also what the CLI takes to name a tenant. */
export const slugSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'must be 1–40 lower-case letters, digits or - (not at either end)')
  .meta({ example: 'acme' });

/** Body of `POST /platform/tenants` (also what the CLI validates its flags with). */
export const newTenantSchema = z
  .object({
    name: singleLine(100),
    slug: slugSchema,
    edition: z.enum(EDITIONS).default('standard').meta({ description: 'ED-01: standard or advanced' }),
    timeZone: timeZoneSchema
      .default('UTC')
      .meta({ description: 'IANA time zone, stored as the tenant’s `timezone` setting' }),
    admin: z
      .object({
        email: z.email().max(254),
        name: singleLine(100),
        staffNo: singleLine(32).optional(),
        mobile: mobileSchema.optional(),
      })
      .strict()
      .meta({ description: 'The first admin; a random password is mailed to them' }),
  })
  .strict()
  .meta({ id: 'NewTenant' });

const refParams = z.object({ ref: singleLine(64).meta({ description: 'Tenant id or slug' }) });

/**
 * The platform operator's API: tenants across the installation. Guarded by `PLATFORM_API_KEY`
 * (`access: 'platform'`); tenant tokens and API keys are refused, so a tenant's admin only ever
 * sees their own tenant.
 */
export function registerPlatformRoutes(api: ApiRouter): void {
  api
    .route({
      method: 'post',
      path: '/platform/tenants',
      summary:
        'Create a tenant with its edition, time zone and first admin, who gets a random password by mail (initialPassword is answered only when no mail carried it)',
      tags: ['platform'],
      access: 'platform',
      status: 201,
      body: newTenantSchema,
      response: z
        .object({
          tenant: platformTenantSchema,
          admin: userViewSchema,
          passwordSent: z.boolean(),
          initialPassword: z.string().optional(),
        })
        .meta({ id: 'CreatedTenant' }),
      errors: { 409: 'conflict' },
      handler: async ({ deps, body }) => deps.platformTenants.create(body),
    })
    .route({
      method: 'get',
      path: '/platform/tenants',
      summary: 'List tenants, newest first, with paging; q searches slug and name',
      tags: ['platform'],
      access: 'platform',
      query: z
        .object({
          page: z.coerce.number().int().min(1).max(100_000).default(1),
          pageSize: z.coerce.number().int().min(1).max(200).default(50),
          q: singleLine(100).optional(),
          status: z.enum(TENANT_STATUSES).optional(),
        })
        .strict(),
      response: z.object({
        items: z.array(platformTenantSchema),
        total: z.number().int(),
        page: z.number().int(),
        pageSize: z.number().int(),
      }),
      handler: async ({ deps, query }) => deps.platformTenants.list(query),
    })
    .route({
      method: 'get',
      path: '/platform/tenants/:ref',
      summary: 'One tenant by id or slug',
      tags: ['platform'],
      access: 'platform',
      params: refParams,
      response: platformTenantSchema,
      errors: { 404: 'not_found' },
      handler: async ({ deps, params }) => deps.platformTenants.view(await deps.platformTenants.find(params.ref)),
    })
    .route({
      method: 'patch',
      path: '/platform/tenants/:ref',
      summary: 'Rename a tenant or change its edition (ED-01)',
      tags: ['platform'],
      access: 'platform',
      params: refParams,
      body: z
        .object({ name: singleLine(100).optional(), edition: z.enum(EDITIONS).optional() })
        .strict()
        .refine((b) => b.name !== undefined || b.edition !== undefined, 'send name or edition'),
      response: platformTenantSchema,
      errors: { 404: 'not_found' },
      handler: async ({ deps, params, body }) => deps.platformTenants.update(params.ref, body),
    })
    .route({
      method: 'post',
      path: '/platform/tenants/:ref/disable',
      summary:
        'Disable a tenant: its users cannot sign in, their access tokens and sockets end at once, its API keys stop working',
      tags: ['platform'],
      access: 'platform',
      params: refParams,
      response: platformTenantSchema,
      errors: { 404: 'not_found' },
      handler: async ({ deps, params }) => deps.platformTenants.setStatus(params.ref, 'disabled'),
    })
    .route({
      method: 'post',
      path: '/platform/tenants/:ref/enable',
      summary: 'Enable a disabled tenant again (tokens issued before it was disabled stay ended)',
      tags: ['platform'],
      access: 'platform',
      params: refParams,
      response: platformTenantSchema,
      errors: { 404: 'not_found' },
      handler: async ({ deps, params }) => deps.platformTenants.setStatus(params.ref, 'active'),
    });
}
