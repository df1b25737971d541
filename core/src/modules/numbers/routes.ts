import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { multiLine, singleLine } from '../../http/text.js';
import { NUMBER_SORTS } from './repo.js';
import { NUMBER_APPLICATION_STATUSES, NUMBER_APPLICATION_TYPES } from './schema.js';

/*
 * Numbers (ADM-02…05, LINE-01/02): the tenant's numbers with their group, IVR binding (a pinned
 * version is IVR-35, advanced), outbound skill groups and agent-mobile use; number groups; and
 * number applications. Admins change them, supervisors read them. API keys: `tenant:read` /
 * `tenant:write`, and for the number list and changes also `ivr:read` / `ivr:write`, since
 * binding decides which flow callers hear (the scopes the binding route had first).
 */

const TAGS = ['numbers'];
const READ = { roles: ['admin', 'supervisor'], scopes: ['tenant:read', 'ivr:read'] } as const;
const WRITE = { roles: ['admin'], scopes: ['tenant:write', 'ivr:write'] } as const;
const TENANT_READ = { roles: ['admin', 'supervisor'], scopes: ['tenant:read'] } as const;
const TENANT_WRITE = { roles: ['admin'], scopes: ['tenant:write'] } as const;

const ref = z.object({ id: z.uuid(), name: z.string() });

const numberSchema = z
  .object({
    id: z.uuid(),
    number: z.string().meta({ description: 'Digits as the carrier delivers them (E.164 without +, 400, 95)' }),
    label: z.string(),
    kind: z
      .enum(['400', '95', 'e164'])
      .meta({ description: 'Read from the digits: 400 or 95 service number, else E.164' }),
    numberGroupId: z.uuid().nullable().meta({ description: 'Its number group (ADM-02); null = none' }),
    ivrFlowId: z.uuid().nullable().meta({ description: 'The IVR flow answering the number (ADM-03)' }),
    ivrFlowVersion: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'Pinned version of that flow (advanced, IVR-35); null = its published version' }),
    agentMobile: z.boolean().meta({ description: 'Used as the caller id when ringing agents’ mobiles (ADM-05)' }),
    group: ref.nullable(),
    ivrFlow: z
      .object({ id: z.uuid(), name: z.string(), publishedVersion: z.number().int().nullable() })
      .nullable()
      .meta({ description: 'The bound flow with the version new calls get when the number is not pinned' }),
    outboundSkillGroups: z
      .array(ref)
      .meta({ description: 'Outbound skill groups whose agents show this number when dialling out (ADM-04)' }),
    createdAt: z.string(),
  })
  .meta({ id: 'Number' });

const numberGroupSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    numberCount: z.number().int(),
    createdAt: z.string(),
  })
  .meta({ id: 'NumberGroup' });

const applicationSchema = z
  .object({
    id: z.uuid(),
    type: z.enum(NUMBER_APPLICATION_TYPES),
    area: z.string(),
    quantity: z.number().int(),
    purpose: z.string(),
    status: z.enum(NUMBER_APPLICATION_STATUSES).meta({
      description: 'requested → processing → fulfilled | rejected (requested may also end at once)',
    }),
    note: z.string().meta({ description: 'What the last status change said (numbers given, reason)' }),
    requestedBy: ref.nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'NumberApplication' });

const paged = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

const pageQuery = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
};

/** The settings of a number an admin sends (all optional; PATCH sends any of them). */
const numberSettings = {
  label: singleLine(64, { min: 0 }).optional(),
  numberGroupId: z.uuid().nullable().optional(),
  ivrFlowId: z.uuid().nullable().optional(),
  ivrFlowVersion: z.number().int().min(1).max(1_000_000).nullable().optional(),
  agentMobile: z.boolean().optional(),
  outboundSkillGroupIds: z
    .array(z.uuid())
    .max(100)
    .refine((ids) => new Set(ids).size === ids.length, 'list each skill group once')
    .optional()
    .meta({ description: 'Replaces the outbound skill groups showing the number (ADM-04)' }),
};

const idParams = z.object({ id: z.uuid() });

export function registerNumberRoutes(api: ApiRouter): void {
  api
    .route({
      method: 'get',
      path: '/numbers',
      summary:
        'Numbers of the tenant with group, IVR binding, outbound groups and agent-mobile use (ADM-02…05); q searches number and label; paged and sorted on the server',
      tags: TAGS,
      access: READ,
      query: z
        .object({
          q: singleLine(100).optional(),
          groupId: z
            .union([z.uuid(), z.literal('none')])
            .optional()
            .meta({ description: 'A number group, or `none` for numbers in no group' }),
          ivrFlowId: z.uuid().optional(),
          agentMobile: z.enum(['true', 'false']).optional(),
          sort: z.enum(NUMBER_SORTS).default('number'),
          order: z.enum(['asc', 'desc']).default('asc'),
          ...pageQuery,
        })
        .strict(),
      response: paged(numberSchema),
      handler: async ({ principal, deps, query }) => {
        const { page, pageSize, agentMobile, ...rest } = query;
        const { items, total } = await deps.numberService.page(principal.tenantId, {
          ...rest,
          agentMobile: agentMobile === undefined ? undefined : agentMobile === 'true',
          limit: pageSize,
          offset: (page - 1) * pageSize,
        });
        return { items, total, page, pageSize };
      },
    })
    .route({
      method: 'post',
      path: '/numbers',
      summary:
        'Register a number (LINE-01: your own landline, 400 or 95 number, its SIP trunk set up in jambonz) with its group, flow, outbound groups and agent-mobile use',
      tags: TAGS,
      access: WRITE,
      status: 201,
      body: z
        .object({
          number: singleLine(32)
            .regex(/^\+?[\d\s().-]+$/, 'digits only (spaces, dashes, brackets and a leading + are ignored)')
            .meta({ example: '+86 10 8888 6666' }),
          ...numberSettings,
        })
        .strict(),
      response: numberSchema,
      errors: {
        400: 'validation_failed, flow_invalid',
        403: 'forbidden, edition_required',
        404: 'not_found (flow or version)',
        409: 'conflict (number registered already)',
      },
      handler: async ({ principal, deps, body }) => {
        const { number, ...settings } = body;
        return deps.numberService.add(principal.tenantId, number, settings);
      },
    })
    .route({
      method: 'get',
      path: '/numbers/:id',
      summary: 'One number with its group, IVR binding, outbound groups and agent-mobile use',
      tags: TAGS,
      access: READ,
      params: idParams,
      response: numberSchema,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params }) => deps.numberService.get(principal.tenantId, params.id),
    })
    .route({
      method: 'patch',
      path: '/numbers/:id',
      summary:
        'Change a number: label, group (ADM-02), IVR flow and pinned version (ADM-03, IVR-35), outbound skill groups (ADM-04), agent-mobile use (ADM-05)',
      tags: TAGS,
      access: WRITE,
      params: idParams,
      body: z
        .object(numberSettings)
        .strict()
        .refine((b) => Object.values(b).some((v) => v !== undefined), 'send at least one setting'),
      response: numberSchema,
      errors: {
        400: 'validation_failed, malformed_json, flow_invalid',
        403: 'forbidden, edition_required',
        404: 'not_found',
        409: 'number_in_use (the last agent-mobile number while agents answer on mobiles)',
      },
      handler: async ({ principal, deps, params, body }) =>
        deps.numberService.change(principal.tenantId, params.id, body),
    })
    .route({
      method: 'delete',
      path: '/numbers/:id',
      summary:
        'Remove a number: new calls to it are refused, calls in progress go on; refused while it is the last agent-mobile number and agents answer on mobiles',
      tags: TAGS,
      access: WRITE,
      params: idParams,
      status: 204,
      errors: { 404: 'not_found', 409: 'number_in_use' },
      handler: async ({ principal, deps, params }) => {
        await deps.numberService.remove(principal.tenantId, params.id);
      },
    })
    .route({
      method: 'get',
      path: '/number-groups',
      summary: 'Number groups with how many numbers each holds (ADM-02)',
      tags: TAGS,
      access: TENANT_READ,
      response: z.object({ items: z.array(numberGroupSchema) }),
      handler: async ({ principal, deps }) => ({ items: await deps.numberService.listGroups(principal.tenantId) }),
    })
    .route({
      method: 'post',
      path: '/number-groups',
      summary: 'Create a number group with a name and description (ADM-02)',
      tags: TAGS,
      access: TENANT_WRITE,
      status: 201,
      body: z.object({ name: singleLine(64), description: multiLine(500, { min: 0 }).optional() }).strict(),
      response: numberGroupSchema,
      errors: { 409: 'conflict (name taken)' },
      handler: async ({ principal, deps, body }) => deps.numberService.addGroup(principal.tenantId, body),
    })
    .route({
      method: 'patch',
      path: '/number-groups/:id',
      summary: 'Rename a number group or change its description (ADM-02)',
      tags: TAGS,
      access: TENANT_WRITE,
      params: idParams,
      body: z
        .object({ name: singleLine(64).optional(), description: multiLine(500, { min: 0 }).optional() })
        .strict()
        .refine((b) => b.name !== undefined || b.description !== undefined, 'send name or description'),
      response: numberGroupSchema,
      errors: { 404: 'not_found', 409: 'conflict (name taken)' },
      handler: async ({ principal, deps, params, body }) =>
        deps.numberService.changeGroup(principal.tenantId, params.id, body),
    })
    .route({
      method: 'delete',
      path: '/number-groups/:id',
      summary: 'Delete a number group; its numbers stay, in no group (ADM-02)',
      tags: TAGS,
      access: TENANT_WRITE,
      params: idParams,
      status: 204,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params }) => {
        await deps.numberService.removeGroup(principal.tenantId, params.id);
      },
    })
    .route({
      method: 'get',
      path: '/number-applications',
      summary: 'Number applications, newest first, with their status (LINE-02)',
      tags: TAGS,
      access: TENANT_READ,
      query: z.object({ status: z.enum(NUMBER_APPLICATION_STATUSES).optional(), ...pageQuery }).strict(),
      response: paged(applicationSchema),
      handler: async ({ principal, deps, query }) => {
        const { page, pageSize, status } = query;
        const { items, total } = await deps.numberService.pageApplications(principal.tenantId, {
          status,
          limit: pageSize,
          offset: (page - 1) * pageSize,
        });
        return { items, total, page, pageSize };
      },
    })
    .route({
      method: 'post',
      path: '/number-applications',
      summary: 'Apply for numbers by type, area and quantity, with a purpose (LINE-02); the request starts `requested`',
      tags: TAGS,
      access: TENANT_WRITE,
      status: 201,
      body: z
        .object({
          type: z.enum(NUMBER_APPLICATION_TYPES),
          area: singleLine(50).meta({ example: '北京' }),
          quantity: z.number().int().min(1).max(1000),
          purpose: multiLine(500),
        })
        .strict(),
      response: applicationSchema,
      handler: async ({ principal, deps, body }) =>
        deps.numberService.apply(principal.tenantId, principal.kind === 'user' ? principal.userId : null, body),
    })
    .route({
      method: 'patch',
      path: '/number-applications/:id',
      summary:
        'Move an application: requested → processing → fulfilled or rejected, with a note (the numbers given, the reason) (LINE-02)',
      tags: TAGS,
      access: TENANT_WRITE,
      params: idParams,
      body: z
        .object({
          status: z.enum(['processing', 'fulfilled', 'rejected']),
          note: multiLine(500, { min: 0 }).optional(),
        })
        .strict(),
      response: applicationSchema,
      errors: { 404: 'not_found', 409: 'invalid_state_transition' },
      handler: async ({ principal, deps, params, body }) =>
        deps.numberService.moveApplication(principal.tenantId, params.id, body.status, body.note),
    })
    .route({
      method: 'get',
      path: '/platform/tenants/:tenantId/number-applications',
      summary: 'A tenant’s number applications, for the platform operator who fulfils them (LINE-02)',
      tags: ['platform'],
      access: 'platform',
      params: z.object({ tenantId: z.uuid() }),
      query: z.object({ status: z.enum(NUMBER_APPLICATION_STATUSES).optional(), ...pageQuery }).strict(),
      response: paged(applicationSchema),
      handler: async ({ deps, params, query }) => {
        const { page, pageSize, status } = query;
        const { items, total } = await deps.numberService.pageApplications(params.tenantId, {
          status,
          limit: pageSize,
          offset: (page - 1) * pageSize,
        });
        return { items, total, page, pageSize };
      },
    })
    .route({
      method: 'patch',
      path: '/platform/tenants/:tenantId/number-applications/:id',
      summary: 'The platform operator moves a tenant’s number application along (LINE-02)',
      tags: ['platform'],
      access: 'platform',
      params: z.object({ tenantId: z.uuid(), id: z.uuid() }),
      body: z
        .object({
          status: z.enum(['processing', 'fulfilled', 'rejected']),
          note: multiLine(500, { min: 0 }).optional(),
        })
        .strict(),
      response: applicationSchema,
      errors: { 404: 'not_found', 409: 'invalid_state_transition' },
      handler: async ({ deps, params, body }) =>
        deps.numberService.moveApplication(params.tenantId, params.id, body.status, body.note),
    });
}
