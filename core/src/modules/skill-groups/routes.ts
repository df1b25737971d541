import { z } from 'zod';
import { createError } from '../../errors/registry.js';
import type { ApiRouter } from '../../http/api-router.js';
import {
  MAX_MEMBER_PRIORITY,
  MIN_MEMBER_PRIORITY,
  STRATEGIES,
  type SkillGroupMemberRow,
  type SkillGroupRow,
} from './schema.js';

const memberSchema = z.object({
  userId: z.uuid(),
  priority: z.number().int().meta({ description: 'Member priority 1 (offered first) … 5 (last), ADM-07' }),
});

export const skillGroupViewSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
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
    members: z.array(memberSchema),
  })
  .meta({ id: 'SkillGroup' });

function view(g: SkillGroupRow, members: SkillGroupMemberRow[]) {
  return {
    id: g.id,
    name: g.name,
    strategy: g.strategy,
    ringTimeoutSeconds: g.ringTimeoutSeconds,
    ringTimeoutTransfer: g.ringTimeoutTransfer,
    maxRingSeconds: g.maxRingSeconds,
    members: members
      .filter((m) => m.skillGroupId === g.id)
      .map((m) => ({ userId: m.userId, priority: m.priority }))
      .sort((a, b) => a.priority - b.priority || a.userId.localeCompare(b.userId)),
  };
}

const groupParams = z.object({ id: z.uuid() });
const memberParams = z.object({ id: z.uuid(), userId: z.uuid() });
const admin = { roles: ['admin'], scopes: ['users:write'] } as const;

/** Skill groups as routing sees them: strategy, ring timeout and member priorities (ADM-07). */
export function registerSkillGroupRoutes(api: ApiRouter): void {
  api
    .route({
      method: 'get',
      path: '/skill-groups',
      summary: 'Skill groups with their routing strategy and members (API-03)',
      tags: ['skill-groups'],
      access: { roles: ['admin', 'supervisor'], scopes: ['users:read'] },
      response: z.object({ items: z.array(skillGroupViewSchema) }),
      handler: async ({ principal, deps }) => {
        const [groups, members] = await Promise.all([
          deps.skillGroupRepo.list(principal.tenantId),
          deps.skillGroupRepo.allMembers(principal.tenantId),
        ]);
        return { items: groups.map((g) => view(g, members)) };
      },
    })
    .route({
      method: 'patch',
      path: '/skill-groups/:id',
      summary:
        'Change how a skill group routes: strategy (RT-01…03), ring timeout re-offer on/off and ring times (RT-05)',
      tags: ['skill-groups'],
      access: admin,
      params: groupParams,
      body: z
        .object({
          strategy: z.enum(STRATEGIES).optional(),
          ringTimeoutSeconds: z.number().int().min(5).max(300).optional(),
          ringTimeoutTransfer: z.boolean().optional(),
          maxRingSeconds: z.number().int().min(5).max(600).optional(),
        })
        .strict()
        .refine(
          (b) => Object.values(b).some((v) => v !== undefined),
          'send strategy, ringTimeoutSeconds, ringTimeoutTransfer or maxRingSeconds',
        ),
      response: skillGroupViewSchema,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params, body }) => {
        const g = await deps.skillGroupRepo.update(principal.tenantId, params.id, body);
        if (!g) throw createError('not_found', 'No skill group with that id');
        return view(g, await deps.skillGroupRepo.members(principal.tenantId, g.id));
      },
    })
    .route({
      method: 'put',
      path: '/skill-groups/:id/members/:userId',
      summary: 'Add a member or change their priority, 1 (offered first) … 5 (ADM-07)',
      tags: ['skill-groups'],
      access: admin,
      params: memberParams,
      body: z.object({ priority: z.number().int().min(MIN_MEMBER_PRIORITY).max(MAX_MEMBER_PRIORITY) }).strict(),
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
        return view(g, await deps.skillGroupRepo.members(tenantId, g.id));
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
    });
}
