import getRawBody from 'raw-body';
import { z } from 'zod';
import { createError } from '../../errors/registry.js';
import type { ApiRouter } from '../../http/api-router.js';
import { singleLine } from '../../http/text.js';
import { ROLES } from '../users/schema.js';
import { mobileSchema } from '../users/routes.js';
import { AGENT_SORTS, type AgentListRow } from './admin-repo.js';
import { readImportFile, MAX_IMPORT_ROWS } from './import-file.js';
import { AGENT_STATES } from './schema.js';

/** The path of the import upload: its body is read by the route, not the JSON parser. */
export const AGENT_IMPORT_PATH = '/api/v1/agents/import';
/** Largest import file. */
const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

/** An agent as the admin list shows it (ADM-11): the person, their groups and live state. */
export const agentListItemSchema = z
  .object({
    userId: z.uuid(),
    name: z.string(),
    staffNo: z.string().meta({ description: '工号 (staff number)' }),
    email: z.string(),
    mobile: z.string().nullable(),
    role: z.enum(ROLES),
    status: z.enum(['active', 'disabled']),
    skillGroups: z.array(z.object({ id: z.uuid(), name: z.string(), priority: z.number().int() })),
    state: z.enum(AGENT_STATES),
    reason: z.string().nullable(),
    stateSince: z.string(),
    sipUser: z.string().nullable(),
    currentSessionId: z.uuid().nullable(),
    wrapUpUntil: z.string().nullable(),
    callsTaken: z.number().int(),
    missedOffers: z.number().int().meta({ description: 'Offers this agent missed (RT-05)' }),
    createdAt: z.string(),
  })
  .meta({ id: 'AgentListItem' });

function item(r: AgentListRow) {
  return {
    userId: r.user.id,
    name: r.user.name,
    staffNo: r.user.staffNo,
    email: r.user.email,
    mobile: r.user.mobile,
    role: r.user.role,
    status: r.user.status,
    skillGroups: r.groups,
    state: r.agent.state,
    reason: r.agent.reason,
    stateSince: r.agent.stateSince.toISOString(),
    sipUser: r.agent.sipUser,
    currentSessionId: r.agent.currentSessionId,
    wrapUpUntil: r.agent.wrapUpUntil?.toISOString() ?? null,
    callsTaken: r.agent.callsTaken,
    missedOffers: r.agent.missedOffers,
    createdAt: r.user.createdAt.toISOString(),
  };
}

const createdAgentSchema = z
  .object({
    userId: z.uuid(),
    name: z.string(),
    email: z.string(),
    staffNo: z.string(),
    passwordSent: z.boolean().meta({
      description: 'Whether the random password left by mail (false: no mail transport; reset it once SMTP_URL is set)',
    }),
  })
  .meta({ id: 'CreatedAgent' });

const skillGroupIds = z.array(z.uuid()).max(100);
const userParams = z.object({ userId: z.uuid() });
const admin = { roles: ['admin'], scopes: ['users:write'] } as const;

/**
 * Agent administration (ADM-08…13). Admins (or API keys with `users:write`, ADM-10) add agents
 * one by one or from a file and change them; admins and supervisors list them.
 */
export function registerAgentAdminRoutes(api: ApiRouter): void {
  api
    .route({
      method: 'get',
      path: '/agents',
      summary:
        'Agents of your tenant (ADM-11): name, staff number, email, groups and state; q searches staff number, name and email; paged and sorted on the server',
      tags: ['agents'],
      access: { roles: ['admin', 'supervisor'], scopes: ['users:read'] },
      query: z
        .object({
          q: singleLine(100).optional(),
          skillGroupId: z.uuid().optional(),
          status: z.enum(['active', 'disabled']).optional(),
          state: z.enum(AGENT_STATES).optional(),
          role: z.enum(ROLES).optional(),
          sort: z.enum(AGENT_SORTS).default('staffNo'),
          order: z.enum(['asc', 'desc']).default('asc'),
          page: z.coerce.number().int().min(1).max(100_000).default(1),
          pageSize: z.coerce.number().int().min(1).max(200).default(50),
        })
        .strict(),
      response: z.object({
        items: z.array(agentListItemSchema),
        total: z.number().int(),
        page: z.number().int(),
        pageSize: z.number().int(),
      }),
      handler: async ({ principal, deps, query }) => {
        const { page, pageSize, ...rest } = query;
        const { rows, total } = await deps.agentAdmin.list(principal.tenantId, {
          ...rest,
          limit: pageSize,
          offset: (page - 1) * pageSize,
        });
        return { items: rows.map(item), total, page, pageSize };
      },
    })
    .route({
      method: 'post',
      path: '/agents',
      summary:
        'Add an agent (ADM-08; ADM-10 with an API key): a random password is mailed to them; softphone credentials are provisioned',
      tags: ['agents'],
      access: admin,
      status: 201,
      body: z
        .object({
          name: singleLine(100),
          email: z.email().max(254),
          staffNo: singleLine(32),
          mobile: mobileSchema.optional(),
          role: z
            .enum(ROLES)
            .default('agent')
            .meta({ description: 'agent by default; a supervisor or admin who also takes calls' }),
          skillGroupIds: skillGroupIds.default([]),
        })
        .strict(),
      response: createdAgentSchema,
      errors: { 409: 'conflict (email, mobile or staff number taken)' },
      handler: async ({ principal, deps, body }) => deps.agentAdmin.create(principal.tenantId, body),
    })
    .route({
      method: 'post',
      path: '/agents/import',
      summary: `Add agents from a CSV or XLSX file (ADM-09): all rows or none; at most ${MAX_IMPORT_ROWS}. A file with problems answers 422 import_invalid with each row, column and message`,
      tags: ['agents'],
      access: admin,
      status: 201,
      rawBody: {
        contentTypes: [
          'text/csv',
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'application/octet-stream',
        ],
        description:
          'The file itself (`curl --data-binary @agents.xlsx …/api/v1/agents/import`); CSV (UTF-8) or XLSX is told from the bytes. ' +
          'The first row names the columns: name (姓名), email (邮箱), staffNo (工号) required; mobile (手机), skillGroups (技能组, names separated by ;). ' +
          'At most 2 MiB.',
      },
      response: z.object({
        created: z.number().int(),
        items: z.array(createdAgentSchema.extend({ row: z.number().int() })),
      }),
      errors: {
        409: 'conflict',
        413: 'payload_too_large',
        415: 'unsupported_media_type (not CSV UTF-8 or XLSX)',
        422: 'import_invalid (details.errors: [{ row, column, message }])',
      },
      handler: async ({ principal, deps, ctx }) => {
        if (ctx.request.length > MAX_IMPORT_BYTES) {
          throw createError('payload_too_large', `An import file may be at most ${MAX_IMPORT_BYTES} bytes`);
        }
        let bytes: Buffer;
        try {
          bytes = await getRawBody(ctx.req, { limit: MAX_IMPORT_BYTES, length: ctx.request.length || undefined });
        } catch (err) {
          if ((err as { type?: string }).type === 'entity.too.large') {
            throw createError('payload_too_large', `An import file may be at most ${MAX_IMPORT_BYTES} bytes`);
          }
          throw createError('validation_failed', 'The upload could not be read', { cause: err });
        }
        const sheet = await readImportFile(bytes);
        const items = await deps.agentAdmin.importSheet(principal.tenantId, sheet);
        return { created: items.length, items };
      },
    })
    .route({
      method: 'get',
      path: '/agents/:userId',
      summary: 'One agent with groups and state (ADM-11)',
      tags: ['agents'],
      access: { roles: ['admin', 'supervisor'], scopes: ['users:read'] },
      params: userParams,
      response: agentListItemSchema,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params }) =>
        item(await deps.agentAdmin.get(principal.tenantId, params.userId)),
    })
    .route({
      method: 'patch',
      path: '/agents/:userId',
      summary: 'Rename an agent and/or set their skill groups (ADM-11; priorities of groups kept stay)',
      tags: ['agents'],
      access: admin,
      params: userParams,
      body: z
        .object({ name: singleLine(100).optional(), skillGroupIds: skillGroupIds.optional() })
        .strict()
        .refine((b) => b.name !== undefined || b.skillGroupIds !== undefined, 'send name or skillGroupIds'),
      response: agentListItemSchema,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params, body }) =>
        item(await deps.agentAdmin.update(principal.tenantId, params.userId, body)),
    })
    .route({
      method: 'post',
      path: '/agents/:userId/reset-password',
      summary:
        'Reset an agent’s password (ADM-13): a new random one is mailed; every session of theirs ends and the softphone password rotates',
      tags: ['agents'],
      access: admin,
      params: userParams,
      response: z.object({ passwordSent: z.literal(true) }),
      errors: { 404: 'not_found', 502: 'mail_failed' },
      handler: async ({ principal, deps, params }) => deps.agentAdmin.resetPassword(principal.tenantId, params.userId),
    })
    .route({
      method: 'post',
      path: '/agents/:userId/disable',
      summary: 'Disable an agent: forced offline (ADM-12), signed out everywhere, cannot sign in',
      tags: ['agents'],
      access: admin,
      params: userParams,
      response: agentListItemSchema,
      errors: { 404: 'not_found', 409: 'conflict (yourself)' },
      handler: async ({ principal, deps, params }) =>
        item(
          await deps.agentAdmin.setStatus(
            principal.tenantId,
            params.userId,
            'disabled',
            principal.kind === 'user' ? principal.userId : null,
          ),
        ),
    })
    .route({
      method: 'post',
      path: '/agents/:userId/enable',
      summary: 'Enable a disabled agent again',
      tags: ['agents'],
      access: admin,
      params: userParams,
      response: agentListItemSchema,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params }) =>
        item(
          await deps.agentAdmin.setStatus(
            principal.tenantId,
            params.userId,
            'active',
            principal.kind === 'user' ? principal.userId : null,
          ),
        ),
    });
}
