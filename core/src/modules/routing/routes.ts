import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { singleLine } from '../../http/text.js';

const markBody = z
  .object({
    callerNumber: z
      .string()
      .trim()
      .regex(/^\+?[0-9]{3,20}$/, 'must be 3–20 digits, optionally starting with +')
      .optional(),
    sessionId: z.uuid().optional(),
    agentId: z.uuid().optional(),
    staffNo: singleLine(32).optional(),
    expiresInSeconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 3600)
      .optional(),
  })
  .strict()
  .refine((b) => (b.callerNumber === undefined) !== (b.sessionId === undefined), 'send callerNumber or sessionId')
  .refine((b) => (b.agentId === undefined) !== (b.staffNo === undefined), 'send agentId or staffNo');

const markView = z
  .object({
    agentId: z.uuid(),
    staffNo: z.string(),
    callerNumber: z.string().nullable(),
    sessionId: z.uuid().nullable(),
    expiresAt: z.string().nullable().meta({ description: 'End of a caller-number mark; null for a session mark' }),
  })
  .meta({ id: 'PreferredAgentMark' });

/** Routing inputs set from outside: the preferred agent of a caller or a live call (IVR-21). */
export function registerRoutingRoutes(api: ApiRouter): void {
  api.route({
    method: 'post',
    path: '/routing/preferred-agents',
    summary:
      'Offer a caller (by number, before or during the transfer) or a live call (by session) to an agent first (IVR-21); the call waits preferredAgentWaitSeconds for that agent if they are busy',
    tags: ['routing'],
    access: { roles: ['admin', 'supervisor'], scopes: ['routing:write'], edition: 'advanced' },
    status: 201,
    body: markBody,
    response: markView,
    errors: { 404: 'not_found' },
    handler: async ({ principal, deps, body }) => deps.preferredAgentService.mark(principal.tenantId, body),
  });
}
