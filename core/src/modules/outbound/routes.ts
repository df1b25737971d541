import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { singleLine } from '../../http/text.js';
import { agentDeviceSchema } from '../sessions/routes.js';
import { dialledNumber } from './phone.js';

/** Everyone who takes calls dials out; the service needs an agent row (their device). */
const agents = { roles: ['agent', 'supervisor', 'admin'] } as const;

const dialFields = {
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
    .meta({ description: 'An outbound skill group of the agent’s to dial through; default: their outbound groups' }),
  device: agentDeviceSchema.optional(),
};

/** The number, or the customer's ID: one of the two. */
const oneCustomer = (b: { to?: string | undefined; customerId?: string | undefined }) =>
  (b.to === undefined) !== (b.customerId === undefined);
const oneCustomerMessage = {
  message: 'Give the number (`to`) or the customer’s ID (`customerId`), one of the two',
  path: ['to'],
};

const dialBody = z.object(dialFields).strict().refine(oneCustomer, oneCustomerMessage);

const clickToDialBody = z
  .object({
    seatUserId: z.string().min(1).max(254).meta({
      description: 'The agent who takes the call: their email (as TCCC `SeatUserId`) or user id',
      example: 'agent1@demo.local',
    }),
    ...dialFields,
  })
  .strict()
  .refine(oneCustomer, oneCustomerMessage);

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
      method: 'post',
      path: '/calls/click-to-dial',
      summary:
        'Click-to-dial from a business system (OUT-02): start an outbound call for the agent named — their device rings first, then the customer. For a CRM’s server with an API key of scope `calls:dial`',
      tags: ['calls'],
      access: { roles: ['admin', 'supervisor'], scopes: ['calls:dial'] },
      body: clickToDialBody,
      status: 202,
      response: dialAnswer,
      errors: {
        403: 'account_disabled',
        404: 'not_found (no agent with that email or id; no customer with that `customerId`)',
        409: 'agent_offline, agent_busy, no_device, no_caller_id',
        503: 'telephony_busy',
      },
      handler: ({ principal, deps, body: { seatUserId, ...req } }) =>
        deps.outboundService.clickToDial(principal, seatUserId, req),
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
