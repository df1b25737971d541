import { z } from 'zod';
import { createError } from '../../errors/registry.js';
import type { ApiRouter } from '../../http/api-router.js';
import { singleLine } from '../../http/text.js';
import { SKILL_GROUP_SORTS } from './repo.js';
import { MAX_MEMBER_PRIORITY, MIN_MEMBER_PRIORITY, SKILL_GROUP_TYPES, STRATEGIES } from './schema.js';
import type { SkillGroupDetail } from './service.js';

const memberSchema = z.object({
  userId: z.uuid(),
  priority: z.number().int().meta({ description: 'Member priority 1 (offered first) … 5 (last), ADM-07' }),
  name: z.string().meta({ description: 'The member’s name' }),
  staffNo: z.string().meta({ description: '工号 (staff number)' }),
});

export const skillGroupViewSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    type: z.enum(SKILL_GROUP_TYPES).meta({
      description: 'inbound: takes queued callers; outbound: agents dial out through it, showing its numbers (OUT-07)',
    }),
    numberIds: z
      .array(z.uuid())
      .meta({ description: 'Numbers linked to the group: what its agents show when dialling out (OUT-07)' }),
    strategy: z.enum(STRATEGIES).meta({
      description:
        'longest-idle (RT-01), fewest-calls today (RT-02) or member priority (RT-03); the last agent of a caller goes first in each (RT-04)',
    }),
    ringTimeoutSeconds: z.number().int().meta({
      description: 'Ring time before the call goes to another agent, while ringTimeoutTransfer is on (RT-05)',
    }),
    ringTimeoutTransfer: z.boolean().meta({
      description:
        'RT-05 on/off: on, an unanswered offer goes to another agent after ringTimeoutSeconds; off, the agent keeps ringing up to maxRingSeconds',
    }),
    maxRingSeconds: z
      .number()
      .int()
      .meta({ description: 'Maximum ring time of one offer, used while ringTimeoutTransfer is off' }),
    overflowSkillGroupId: z.uuid().nullable().meta({
      description:
        'IVR-20: while every member is busy, idle agents of this group take the callers too; used when the IVR transfer names no overflow group of its own',
    }),
    wrapUpSeconds: z.number().int().nullable().meta({
      description: "RT-06: wrap-up seconds after a call served through this group; null = the tenant's wrap-up",
    }),
    wrapUpAutoEnd: z.boolean().nullable().meta({
      description:
        "Wrap-up ends by itself after wrapUpSeconds (RT-06) or only when the agent ends it (CTL-06); null = the tenant's",
    }),
    members: z.array(memberSchema).meta({ description: 'Members, best priority first' }),
    memberCount: z.number().int(),
    onlineCount: z.number().int().meta({ description: 'Members signed in (any state but offline)' }),
    idleCount: z.number().int().meta({ description: 'Members idle now, who would be offered the next call' }),
    createdAt: z.string(),
  })
  .meta({ id: 'SkillGroup' });

function view(d: SkillGroupDetail) {
  const g = d.group;
  return {
    id: g.id,
    name: g.name,
    type: g.type,
    numberIds: d.numberIds,
    strategy: g.strategy,
    ringTimeoutSeconds: g.ringTimeoutSeconds,
    ringTimeoutTransfer: g.ringTimeoutTransfer,
    maxRingSeconds: g.maxRingSeconds,
    overflowSkillGroupId: g.overflowSkillGroupId,
    wrapUpSeconds: g.wrapUpSeconds,
    wrapUpAutoEnd: g.wrapUpAutoEnd,
    members: d.members.map((m) => ({ userId: m.userId, priority: m.priority, name: m.name, staffNo: m.staffNo })),
    memberCount: d.memberCount,
    onlineCount: d.onlineCount,
    idleCount: d.idleCount,
    createdAt: g.createdAt.toISOString(),
  };
}

const priority = z.number().int().min(MIN_MEMBER_PRIORITY).max(MAX_MEMBER_PRIORITY);
const membersInput = z
  .array(z.object({ userId: z.uuid(), priority }).strict())
  .max(1000)
  .meta({ description: 'The group’s whole membership: each user once, priority 1 (offered first) … 5 (ADM-07)' });

/** The fields an admin sets; ranges are those routing works with (RT-05). */
const fields = {
  name: singleLine(64),
  type: z.enum(SKILL_GROUP_TYPES),
  strategy: z.enum(STRATEGIES),
  ringTimeoutSeconds: z.number().int().min(5).max(300),
  ringTimeoutTransfer: z.boolean(),
  maxRingSeconds: z.number().int().min(5).max(600),
  overflowSkillGroupId: z.uuid().nullable(),
  wrapUpSeconds: z.number().int().min(0).max(3600).nullable(),
  wrapUpAutoEnd: z.boolean().nullable(),
};

const groupParams = z.object({ id: z.uuid() });
const memberParams = z.object({ id: z.uuid(), userId: z.uuid() });
const numberParams = z.object({ id: z.uuid(), numberId: z.uuid() });
const admin = { roles: ['admin'], scopes: ['users:write'] } as const;

/**
 * Skill groups (ADM-06/07): admins create, change and delete them and set their members;
 * supervisors (and API keys with `users:read`) read them.
 */
export function registerSkillGroupRoutes(api: ApiRouter): void {
  api
    .route({
      method: 'get',
      path: '/skill-groups',
      summary:
        'Skill groups with their routing strategy, members and head counts (ADM-06, API-03); q searches the name; paged and sorted on the server',
      tags: ['skill-groups'],
      access: { roles: ['admin', 'supervisor'], scopes: ['users:read'] },
      query: z
        .object({
          q: singleLine(100).optional(),
          type: z.enum(SKILL_GROUP_TYPES).optional(),
          sort: z.enum(SKILL_GROUP_SORTS).default('name'),
          order: z.enum(['asc', 'desc']).default('asc'),
          page: z.coerce.number().int().min(1).max(100_000).default(1),
          // 200 by default: callers that want every group (pickers) keep one request.
          pageSize: z.coerce.number().int().min(1).max(200).default(200),
        })
        .strict(),
      response: z.object({
        items: z.array(skillGroupViewSchema),
        total: z.number().int(),
        page: z.number().int(),
        pageSize: z.number().int(),
      }),
      handler: async ({ principal, deps, query }) => {
        const { page, pageSize, ...rest } = query;
        const { items, total } = await deps.skillGroupService.list(principal.tenantId, {
          ...rest,
          limit: pageSize,
          offset: (page - 1) * pageSize,
        });
        return { items: items.map(view), total, page, pageSize };
      },
    })
    .route({
      method: 'post',
      path: '/skill-groups',
      summary:
        'Create a skill group (ADM-06): name, inbound or outbound, strategy, ring timeout and its switch (RT-05), members with priorities (ADM-07)',
      tags: ['skill-groups'],
      access: admin,
      status: 201,
      body: z
        .object({
          name: fields.name,
          type: fields.type.default('inbound'),
          strategy: fields.strategy.default('longest-idle'),
          ringTimeoutSeconds: fields.ringTimeoutSeconds.default(20),
          ringTimeoutTransfer: fields.ringTimeoutTransfer.default(true),
          maxRingSeconds: fields.maxRingSeconds.default(60),
          overflowSkillGroupId: fields.overflowSkillGroupId.default(null),
          wrapUpSeconds: fields.wrapUpSeconds.default(null),
          wrapUpAutoEnd: fields.wrapUpAutoEnd.default(null),
          members: membersInput.default([]),
        })
        .strict(),
      response: skillGroupViewSchema,
      errors: {
        400: 'validation_failed (details.field overflowSkillGroupId: itself or not a group of the tenant)',
        404: 'not_found (a member is not a user of the tenant)',
        409: 'conflict (the name is taken)',
      },
      handler: async ({ principal, deps, body }) => view(await deps.skillGroupService.create(principal.tenantId, body)),
    })
    .route({
      method: 'get',
      path: '/skill-groups/:id',
      summary: 'One skill group with its members (ADM-06/07)',
      tags: ['skill-groups'],
      access: { roles: ['admin', 'supervisor'], scopes: ['users:read'] },
      params: groupParams,
      response: skillGroupViewSchema,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params }) =>
        view(await deps.skillGroupService.get(principal.tenantId, params.id)),
    })
    .route({
      method: 'delete',
      path: '/skill-groups/:id',
      summary:
        'Delete a skill group (ADM-06); refused while an IVR flow (any version), a number, another group’s overflow or a call in progress uses it',
      tags: ['skill-groups'],
      access: admin,
      params: groupParams,
      status: 204,
      errors: {
        404: 'not_found',
        409: 'skill_group_in_use (details.flows, details.numbers, details.overflowFrom and details.liveCalls say what uses it)',
      },
      handler: async ({ principal, deps, params }) => {
        await deps.skillGroupService.remove(principal.tenantId, params.id);
      },
    })
    .route({
      method: 'put',
      path: '/skill-groups/:id/members',
      summary: 'Set the whole membership of a skill group at once, with priorities 1–5 (ADM-07)',
      tags: ['skill-groups'],
      access: admin,
      params: groupParams,
      body: z.object({ members: membersInput }).strict(),
      response: skillGroupViewSchema,
      errors: { 404: 'not_found (the group, or a member who is not a user of the tenant)' },
      handler: async ({ principal, deps, params, body }) =>
        view(await deps.skillGroupService.setMembers(principal.tenantId, params.id, body.members)),
    })
    .route({
      method: 'patch',
      path: '/skill-groups/:id',
      summary:
        'Change a skill group: name, inbound or outbound (OUT-07), strategy (RT-01…03), ring timeout re-offer on/off and ring times (RT-05), overflow group (IVR-20), wrap-up (RT-06); members, when sent, replace the membership (ADM-07)',
      tags: ['skill-groups'],
      access: admin,
      params: groupParams,
      body: z
        .object({
          name: fields.name.optional(),
          type: fields.type.optional(),
          strategy: fields.strategy.optional(),
          ringTimeoutSeconds: fields.ringTimeoutSeconds.optional(),
          ringTimeoutTransfer: fields.ringTimeoutTransfer.optional(),
          maxRingSeconds: fields.maxRingSeconds.optional(),
          overflowSkillGroupId: fields.overflowSkillGroupId.optional(),
          wrapUpSeconds: fields.wrapUpSeconds.optional(),
          wrapUpAutoEnd: fields.wrapUpAutoEnd.optional(),
          members: membersInput.optional(),
        })
        .strict()
        .refine(
          (b) => Object.values(b).some((v) => v !== undefined),
          'send name, type, strategy, ringTimeoutSeconds, ringTimeoutTransfer, maxRingSeconds, overflowSkillGroupId, wrapUpSeconds, wrapUpAutoEnd or members',
        ),
      response: skillGroupViewSchema,
      errors: {
        400: 'validation_failed (details.field overflowSkillGroupId: itself or not a group of the tenant)',
        404: 'not_found',
        409: 'conflict (the name is taken)',
      },
      handler: async ({ principal, deps, params, body }) =>
        view(await deps.skillGroupService.update(principal.tenantId, params.id, body)),
    })
    .route({
      method: 'put',
      path: '/skill-groups/:id/members/:userId',
      summary: 'Add a member or change their priority, 1 (offered first) … 5 (ADM-07)',
      tags: ['skill-groups'],
      access: admin,
      params: memberParams,
      body: z.object({ priority }).strict(),
      response: skillGroupViewSchema,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params, body }) => {
        const { tenantId } = principal;
        const g = await deps.skillGroupRepo.findById(tenantId, params.id);
        if (!g) throw createError('not_found', 'No skill group with that id');
        if (!(await deps.userRepo.findById(tenantId, params.userId))) {
          throw createError('not_found', 'No user with that id');
        }
        await deps.skillGroupRepo.addMember(tenantId, g.id, params.userId, body.priority);
        return view(await deps.skillGroupService.get(tenantId, g.id));
      },
    })
    .route({
      method: 'delete',
      path: '/skill-groups/:id/members/:userId',
      summary: 'Remove a member from a skill group',
      tags: ['skill-groups'],
      access: admin,
      params: memberParams,
      status: 204,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params }) => {
        if (!(await deps.skillGroupRepo.removeMember(principal.tenantId, params.id, params.userId))) {
          throw createError('not_found', 'No such member');
        }
      },
    })
    .route({
      method: 'put',
      path: '/skill-groups/:id/numbers/:numberId',
      summary:
        'Link one of the tenant’s numbers to an outbound skill group: its agents show it when dialling out (OUT-07)',
      tags: ['skill-groups'],
      access: admin,
      params: numberParams,
      response: skillGroupViewSchema,
      errors: { 404: 'not_found', 409: 'conflict' },
      handler: async ({ principal, deps, params }) => {
        const { tenantId } = principal;
        const g = await deps.skillGroupRepo.findById(tenantId, params.id);
        if (!g) throw createError('not_found', 'No skill group with that id');
        if (g.type !== 'outbound') throw createError('conflict', 'Only outbound skill groups have caller numbers');
        if (!(await deps.numberRepo.findById(tenantId, params.numberId))) {
          throw createError('not_found', 'No number with that id');
        }
        await deps.skillGroupRepo.linkNumber(tenantId, g.id, params.numberId);
        return view(await deps.skillGroupService.get(tenantId, g.id));
      },
    })
    .route({
      method: 'delete',
      path: '/skill-groups/:id/numbers/:numberId',
      summary: 'Unlink a number from an outbound skill group (OUT-07)',
      tags: ['skill-groups'],
      access: admin,
      params: numberParams,
      status: 204,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params }) => {
        if (!(await deps.skillGroupRepo.unlinkNumber(principal.tenantId, params.id, params.numberId))) {
          throw createError('not_found', 'That number is not linked to that skill group');
        }
      },
    });
}
