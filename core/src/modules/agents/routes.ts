import { z } from 'zod';
import { createError } from '../../errors/registry.js';
import type { ApiRouter } from '../../http/api-router.js';
import type { Principal } from '../auth/principal.js';
import { AGENT_STATES, type AgentRow } from './schema.js';
import { SELF_STATES } from './service.js';
import { agentSettingsPatchSchema, agentSettingsSchema } from './settings.js';
import { singleLine } from '../../http/text.js';

export const agentViewSchema = z
  .object({
    userId: z.uuid(),
    state: z.enum(AGENT_STATES),
    reason: z.string().nullable(),
    stateSince: z.string(),
    sipUser: z.string().nullable(),
    currentSessionId: z.uuid().nullable(),
    wrapUpUntil: z.string().nullable(),
    resumeState: z.enum(['idle', 'notReady', 'rest']).nullable().meta({
      description:
        'The state the agent returns to after the call they placed and its wrap-up (OUT-01): the one they dialled out from',
    }),
    callsTaken: z.number().int(),
    missedOffers: z.number().int().meta({ description: 'Offers this agent missed (RT-05)' }),
  })
  .meta({ id: 'Agent' });

function view(a: AgentRow) {
  return {
    userId: a.userId,
    state: a.state,
    reason: a.reason,
    stateSince: a.stateSince.toISOString(),
    sipUser: a.sipUser,
    currentSessionId: a.currentSessionId,
    wrapUpUntil: a.wrapUpUntil?.toISOString() ?? null,
    resumeState: a.resumeState,
    callsTaken: a.callsTaken,
    missedOffers: a.missedOffers,
  };
}

function userOf(principal: Principal): { tenantId: string; userId: string } {
  if (principal.kind !== 'user') throw createError('forbidden', 'Only a signed-in agent has an agent state');
  return principal;
}

const self = { roles: ['admin', 'supervisor', 'agent'] } as const;

/**
 * Agent state (AGT-01): agents set their own, log in (AGT-02) and out; admins force an agent
 * offline (ADM-12) and set the agent settings. The list of agents is in `admin-routes.ts`.
 */
export function registerAgentRoutes(api: ApiRouter): void {
  api
    .route({
      method: 'get',
      path: '/agents/me',
      summary: 'Your agent state',
      tags: ['agents'],
      access: self,
      response: agentViewSchema,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps }) => {
        const { tenantId, userId } = userOf(principal);
        const a = await deps.agentService.get(tenantId, userId);
        if (!a) throw createError('not_found', 'You are not set up as an agent');
        return view(a);
      },
    })
    .route({
      method: 'put',
      path: '/agents/me/state',
      summary: 'Set your state: idle, notReady, rest (with one of the tenant’s reasons) or offline',
      tags: ['agents'],
      access: self,
      body: z.object({ state: z.enum(SELF_STATES), reason: singleLine(50).optional() }).strict(),
      response: agentViewSchema,
      errors: { 404: 'not_found', 409: 'invalid_state_transition' },
      handler: async ({ principal, deps, body }) => {
        const { tenantId, userId } = userOf(principal);
        return view(await deps.agentService.setOwnState(tenantId, userId, body.state, body.reason));
      },
    })
    .route({
      method: 'post',
      path: '/agents/me/login',
      summary: 'Go online: an offline agent enters the tenant’s default login state (AGT-02)',
      tags: ['agents'],
      access: self,
      response: agentViewSchema,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps }) => {
        const { tenantId, userId } = userOf(principal);
        return view(await deps.agentService.login(tenantId, userId));
      },
    })
    .route({
      method: 'post',
      path: '/agents/me/logout',
      summary: 'Go offline (refused while ringing or on a call)',
      tags: ['agents'],
      access: self,
      response: agentViewSchema,
      errors: { 404: 'not_found', 409: 'invalid_state_transition' },
      handler: async ({ principal, deps }) => {
        const { tenantId, userId } = userOf(principal);
        return view(await deps.agentService.logout(tenantId, userId));
      },
    })
    .route({
      method: 'post',
      path: '/agents/:userId/force-offline',
      summary:
        'Force an agent offline (ADM-12): a ringing offer goes to another agent, a call in progress is not cut, and the agent’s realtime sockets are closed (code 4003)',
      tags: ['agents'],
      access: { roles: ['admin'], scopes: ['users:write'] },
      params: z.object({ userId: z.uuid() }),
      response: agentViewSchema,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params }) => {
        const actorId = principal.kind === 'user' ? principal.userId : null;
        return view(await deps.agentService.forceOffline(principal.tenantId, params.userId, actorId));
      },
    })
    .route({
      method: 'get',
      path: '/settings/agent',
      summary: 'Agent settings: rest reasons, default login state, wrap-up, last agent first',
      tags: ['settings'],
      access: { roles: ['admin', 'supervisor', 'agent'], scopes: ['tenant:read'] },
      response: agentSettingsSchema,
      handler: async ({ principal, deps }) => deps.agentService.settings(principal.tenantId),
    })
    .route({
      method: 'put',
      path: '/settings/agent',
      summary: 'Change agent settings (fields left out keep their value; wrapUpSeconds null = server default)',
      tags: ['settings'],
      access: { roles: ['admin'], scopes: ['tenant:write'] },
      body: agentSettingsPatchSchema,
      response: agentSettingsSchema,
      errors: { 403: 'edition_required (outboundMemoryFallback `ivr` is of the advanced edition)' },
      handler: async ({ principal, deps, body }) => deps.agentService.updateSettings(principal.tenantId, body),
    });
}
