import { z } from 'zod';
import { createError } from '../../errors/registry.js';
import type { ApiRouter } from '../../http/api-router.js';
import { DevMailSink } from './port.js';

const devMailSchema = z
  .object({
    id: z.uuid(),
    to: z.string(),
    subject: z.string(),
    text: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'DevMail' });

/** The dev mail sink's reader: demo mode without SMTP only, admins, their own tenant's mail. */
export function registerMailRoutes(api: ApiRouter): void {
  api.route({
    method: 'get',
    path: '/dev/mail',
    summary:
      'Demo mode without SMTP_URL: mail the server would have sent to people of your tenant (new passwords), newest first',
    tags: ['dev'],
    access: { roles: ['admin'] },
    query: z.object({ to: z.email().max(254).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
    response: z.object({ items: z.array(devMailSchema) }),
    errors: { 404: 'not_found' },
    handler: async ({ principal, deps, query }) => {
      const sink = deps.mail;
      if (!(sink instanceof DevMailSink) || !deps.config.demo.enabled) {
        throw createError('not_found', 'The dev mail sink is on only in demo mode without SMTP_URL');
      }
      const rows = await sink.list(principal.tenantId, query);
      return {
        items: rows.map((r) => ({
          id: r.id,
          to: r.to,
          subject: r.subject,
          text: r.text,
          createdAt: r.createdAt.toISOString(),
        })),
      };
    },
  });
}
