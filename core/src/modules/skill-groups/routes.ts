import { z } from 'zod';
import { createError } from '../../errors/registry.js';
import type { ApiRouter } from '../../http/api-router.js';
import type { SkillGroupRepo } from './repo.js';
import {
  MAX_MEMBER_PRIORITY,
  MIN_MEMBER_PRIORITY,
  SKILL_GROUP_TYPES,
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
    members: z.array(memberSchema),
  })
  .meta({ id: 'SkillGroup' });

type NumberLink = { skillGroupId: string; numberId: string };

function view(g: SkillGroupRow, members: SkillGroupMemberRow[], links: NumberLink[]) {
  return {
    id: g.id,
    name: g.name,
    type: g.type,
    numberIds: links
      .filter((l) => l.skillGroupId === g.id)
      .map((l) => l.numberId)
      .sort(),
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
const numberParams = z.object({ id: z.uuid(), numberId: z.uuid() });
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
        const [groups, members, links] = await Promise.all([
          deps.skillGroupRepo.list(principal.tenantId),
          deps.skillGroupRepo.allMembers(principal.tenantId),
          deps.skillGroupRepo.allNumberLinks(principal.tenantId),
        ]);
        return { items: groups.map((g) => view(g, members, links)) };
      },
    })
    .route({
      method: 'patch',
      path: '/skill-groups/:id',
      summary:
        'Change how a skill group routes: strategy (RT-01…03), ring timeout re-offer on/off and ring times (RT-05), inbound or outbound (OUT-07)',
      tags: ['skill-groups'],
      access: admin,
      params: groupParams,
      body: z
        .object({
          type: z.enum(SKILL_GROUP_TYPES).optional(),
          strategy: z.enum(STRATEGIES).optional(),
          ringTimeoutSeconds: z.number().int().min(5).max(300).optional(),
          ringTimeoutTransfer: z.boolean().optional(),
          maxRingSeconds: z.number().int().min(5).max(600).optional(),
        })
        .strict()
        .refine(
          (b) => Object.values(b).some((v) => v !== undefined),
          'send type, strategy, ringTimeoutSeconds, ringTimeoutTransfer or maxRingSeconds',
        ),
      response: skillGroupViewSchema,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params, body }) => {
        const g = await deps.skillGroupRepo.update(principal.tenantId, params.id, body);
        if (!g) throw createError('not_found', 'No skill group with that id');
        return viewOf(deps.skillGroupRepo, principal.tenantId, g);
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
        return viewOf(deps.skillGroupRepo, tenantId, g);
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
        return viewOf(deps.skillGroupRepo, tenantId, g);
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

/** One group as the API shows it, with its members and linked numbers. */
async function viewOf(repo: SkillGroupRepo, tenantId: string, g: SkillGroupRow) {
  const [members, links] = await Promise.all([repo.members(tenantId, g.id), repo.allNumberLinks(tenantId)]);
  return view(g, members, links);
}
