import { z } from 'zod';
import { createError } from '../../errors/registry.js';
import type { ApiRouter } from '../../http/api-router.js';
import { singleLine } from '../../http/text.js';

/** Agent → agent calls (AGT-04). */
export function registerInternalCallRoutes(api: ApiRouter): void {
  api.route({
    method: 'post',
    path: '/internal-calls',
    summary:
      'Call a colleague (AGT-04): your device rings (and answers by itself), then theirs — their softphone while their workbench is online, else their bound mobile',
    tags: ['calls'],
    access: { roles: ['admin', 'supervisor', 'agent'] },
    status: 201,
    body: z
      .object({ toAgentId: z.uuid().optional(), toStaffNo: singleLine(32).optional() })
      .strict()
      .refine((b) => (b.toAgentId === undefined) !== (b.toStaffNo === undefined), 'send toAgentId or toStaffNo'),
    response: z
      .object({
        sessionId: z.uuid(),
        callee: z.object({ agentId: z.uuid(), staffNo: z.string() }),
        calleeDevice: z.enum(['webrtc', 'mobile']),
      })
      .meta({ id: 'InternalCall' }),
    errors: { 404: 'not_found', 409: 'agent_busy, agent_unreachable, invalid_state_transition' },
    handler: async ({ principal, deps, body }) => {
      if (principal.kind !== 'user') throw createError('forbidden', 'Only a signed-in agent can call a colleague');
      return deps.internalCallService.start(principal.tenantId, principal.userId, body);
    },
  });
}
