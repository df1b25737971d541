import { z } from 'zod';
import { createError } from '../../errors/registry.js';
import type { ApiRouter } from '../../http/api-router.js';
import { WS_PATH } from '../../realtime/gateway.js';
import { channelOf, type Audience } from '../../realtime/events.js';
import { ROLES } from '../users/schema.js';
import { multiLine } from '../../http/text.js';

const ticketResponseSchema = z
  .object({
    ticket: z.string().meta({ example: 'wst_3q2…' }),
    expiresInSeconds: z.number().int(),
    url: z
      .string()
      .meta({ example: '/ws?ticket=wst_3q2…', description: 'Path to open the WebSocket with (same host)' }),
  })
  .meta({ id: 'RealtimeTicket' });

const audienceSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('tenant') }),
    z.object({ kind: z.literal('role'), role: z.enum(ROLES) }),
    z.object({ kind: z.literal('user'), userId: z.uuid() }),
  ])
  .meta({
    id: 'NoticeAudience',
    description: 'Who receives it, always within the caller’s tenant (default: everyone)',
  });

const noticeBodySchema = z
  .object({
    message: multiLine(1000, { trim: false }),
    level: z.enum(['info', 'warning', 'error']).optional(),
    audience: audienceSchema.optional(),
  })
  .meta({ id: 'NoticeRequest' });

const noticeResponseSchema = z
  .object({ accepted: z.literal(true), channel: z.string().meta({ example: 'role:…:agent' }) })
  .meta({ id: 'NoticeAccepted' });

/**
 * REST side of realtime: tickets to open the WebSocket, and admin notices broadcast over it.
 */
export function registerRealtimeRoutes(api: ApiRouter): void {
  api.route({
    method: 'post',
    path: '/realtime/tickets',
    summary: 'Issue a one-time ticket to open the realtime WebSocket',
    tags: ['Realtime'],
    // Signed-in people only: a socket belongs to a user (its channels are the user's tenant,
    // role and id); API keys have no user, so they are not accepted here.
    access: { roles: ['admin', 'supervisor', 'agent'] },
    status: 201,
    response: ticketResponseSchema,
    handler: async ({ deps, principal }) => {
      if (principal.kind !== 'user')
        throw createError('forbidden', 'Only signed-in users can open the realtime socket');
      const { ticket, expiresInSeconds } = await deps.ticketService.issue(principal.tenantId, principal.userId);
      return { ticket, expiresInSeconds, url: `${WS_PATH}?ticket=${encodeURIComponent(ticket)}` };
    },
  });

  api.route({
    method: 'post',
    path: '/realtime/notices',
    summary: 'Broadcast a notice to the tenant, a role, or one user over the realtime socket',
    tags: ['Realtime'],
    access: { roles: ['admin'], scopes: ['tenant:write'] },
    body: noticeBodySchema,
    status: 202,
    response: noticeResponseSchema,
    handler: async ({ deps, principal, body }) => {
      // The tenant always comes from the caller, never the body: no cross-tenant broadcasts.
      const tenantId = principal.tenantId;
      const a = body.audience ?? { kind: 'tenant' as const };
      const audience: Audience =
        a.kind === 'tenant'
          ? { tenantId, kind: 'tenant' }
          : a.kind === 'role'
            ? { tenantId, kind: 'role', role: a.role }
            : { tenantId, kind: 'user', userId: a.userId };
      await deps.bus.publish(audience, 'system.notice', {
        message: body.message,
        ...(body.level ? { level: body.level } : {}),
      });
      return { accepted: true as const, channel: channelOf(audience) };
    },
  });
}
