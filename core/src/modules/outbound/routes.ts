import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { singleLine } from '../../http/text.js';
import { dialledNumber } from './phone.js';

/** Everyone who takes calls dials out; the service needs an agent row (their device). */
const agents = { roles: ['agent', 'supervisor', 'admin'] } as const;

const dialBody = z
  .object({
    to: dialledNumber.optional(),
    customerId: singleLine(64).optional().meta({
      description:
        'Instead of `to`: the customer’s ID as agents see it under number mapping (OUT-10); the server dials the number behind it',
      example: 'U10023',
    }),
    callerNumberId: z
      .uuid()
      .optional()
      .meta({ description: 'One of the tenant’s numbers to show; default: the outbound skill group’s, else any' }),
    skillGroupId: z
      .uuid()
      .optional()
      .meta({ description: 'An outbound skill group of yours to dial through; default: your outbound groups' }),
  })
  .strict()
  .refine((b) => (b.to === undefined) !== (b.customerId === undefined), {
    message: 'Give the number (`to`) or the customer’s ID (`customerId`), one of the two',
    path: ['to'],
  });

const dialAnswer = z
  .object({
    sessionId: z
      .uuid()
      .meta({ description: 'Follow it on /ws (`session.outbound`, `session.state`), control it under /sessions/:id' }),
    callerId: z.string().meta({ description: 'The company number the customer sees (OUT-07)' }),
    callee: z.string().meta({
      description:
        'The customer as you see them: their ID under number mapping (OUT-10), else the number, masked for agents under number protection (OUT-09)',
    }),
  })
  .meta({ id: 'OutboundCall' });

const callerIdsAnswer = z
  .object({
    items: z.array(
      z.object({
        id: z.uuid(),
        number: z.string(),
        label: z.string(),
        skillGroupIds: z.array(z.uuid()).meta({ description: 'Your outbound skill groups the number is linked to' }),
        preferred: z.boolean().meta({ description: 'Shown first when no number is chosen (OUT-07)' }),
      }),
    ),
    skillGroups: z
      .array(z.object({ id: z.uuid(), name: z.string() }))
      .meta({ description: 'Your outbound skill groups' }),
  })
  .meta({ id: 'OutboundCallerIds' });

/** Outbound calls from the workbench (OUT-01, OUT-03) and the numbers they show (OUT-07). */
export function registerOutboundRoutes(api: ApiRouter): void {
  api
    .route({
      method: 'post',
      path: '/calls/outbound',
      summary:
        'Dial a customer (OUT-01/03): your device rings first (softphone, or your mobile per answer mode), then the customer, into one call. Allowed while idle, not ready or resting',
      tags: ['calls'],
      access: agents,
      body: dialBody,
      status: 202,
      response: dialAnswer,
      errors: {
        404: 'not_found (also: no customer with that `customerId`)',
        409: 'agent_offline, agent_busy, no_device, no_caller_id',
        503: 'telephony_busy',
      },
      handler: ({ principal, deps, body }) => deps.outboundService.dial(principal, body),
    })
    .route({
      method: 'get',
      path: '/calls/outbound/caller-ids',
      summary:
        'The numbers you may show when dialling out (OUT-07): every number of the tenant, those of your outbound skill groups first',
      tags: ['calls'],
      access: agents,
      response: callerIdsAnswer,
      handler: ({ principal, deps }) => deps.outboundService.callerIds(principal),
    });
}
