import { z } from 'zod';
import { createError } from '../../errors/registry.js';
import type { ApiRouter } from '../../http/api-router.js';
import { AGENT_STATES, type AgentRow } from './schema.js';
import { SELF_STATES } from './service.js';

export const agentViewSchema = z
  .object({
    userId: z.uuid(),
    state: z.enum(AGENT_STATES),
    reason: z.string().nullable(),
    stateSince: z.string(),
    sipUser: z.string().nullable(),
    currentSessionId: z.uuid().nullable(),
    wrapUpUntil: z.string().nullable(),
    callsTaken: z.number().int(),
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
    callsTaken: a.callsTaken,
  };
}

/** Agent state (AGT-01): agents set their own; supervisors see everyone's. */
export function registerAgentRoutes(api: ApiRouter): void {
  api
    .route({
      method: 'get',
      path: '/agents/me',
      summary: 'Your agent state',
      tags: ['agents'],
      access: { roles: ['admin', 'supervisor', 'agent'] },
      response: agentViewSchema,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps }) => {
        if (principal.kind !== 'user') throw createError('forbidden');
        const a = await deps.agentService.get(principal.tenantId, principal.userId);
        if (!a) throw createError('not_found', 'You are not set up as an agent');
        return view(a);
      },
    })
    .route({
      method: 'put',
      path: '/agents/me/state',
      summary: 'Set your state: idle, notReady, rest (with a reason) or offline',
      tags: ['agents'],
      access: { roles: ['admin', 'supervisor', 'agent'] },
      body: z.object({ state: z.enum(SELF_STATES), reason: z.string().trim().min(1).max(50).optional() }).strict(),
      response: agentViewSchema,
      errors: { 404: 'not_found', 409: 'invalid_state_transition' },
      handler: async ({ principal, deps, body }) => {
        if (principal.kind !== 'user') throw createError('forbidden');
        const a = await deps.agentService.setOwnState(principal.tenantId, principal.userId, body.state, body.reason);
        if (body.state === 'idle') {
          // Someone may be waiting for exactly this agent.
          void deps.acdService.dispatchForAgent(principal.tenantId, principal.userId).catch(() => undefined);
        }
        return view(a);
      },
    })
    .route({
      method: 'get',
      path: '/agents',
      summary: 'Every agent of your tenant with their state',
      tags: ['agents'],
      access: { roles: ['admin', 'supervisor'], scopes: ['users:read'] },
      response: z.object({ items: z.array(agentViewSchema) }),
      handler: async ({ principal, deps }) => ({ items: (await deps.agentService.list(principal.tenantId)).map(view) }),
    });
}
