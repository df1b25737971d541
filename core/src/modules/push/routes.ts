import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { singleLine } from '../../http/text.js';
import { DELIVERY_STATES, PUSH_EVENT_TYPES } from './schema.js';

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2000)
  .meta({ example: 'https://crm.example.com/hooks/switchboard' });

const authInput = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('none') }).strict(),
    z
      .object({
        type: z.literal('basic'),
        username: singleLine(200),
        password: singleLine(500).optional().meta({ description: 'Write-only; left out keeps the stored one' }),
      })
      .strict(),
    z
      .object({
        type: z.literal('oauth2'),
        tokenUrl: httpUrl,
        clientId: singleLine(200),
        clientSecret: singleLine(500).optional().meta({ description: 'Write-only; left out keeps the stored one' }),
        scope: singleLine(500).optional(),
      })
      .strict(),
  ])
  .meta({
    id: 'PushAuthInput',
    description: 'How we authenticate to the receiver, besides the signature every delivery carries',
  });

const authView = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('none') }),
    z.object({ type: z.literal('basic'), username: z.string() }),
    z.object({ type: z.literal('oauth2'), tokenUrl: z.string(), clientId: z.string(), scope: z.string().optional() }),
  ])
  .meta({ id: 'PushAuth' });

const eventTypes = z
  .array(z.enum(PUSH_EVENT_TYPES))
  .min(1)
  .meta({ description: '`record.created` (a call record, REC-03) and/or `recording.ready` (REC-08)' });

const subscriptionSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    url: z.string(),
    eventTypes: z.array(z.enum(PUSH_EVENT_TYPES)),
    auth: authView,
    state: z.enum(['active', 'paused']),
    pausedReason: z
      .enum(['admin', 'failing'])
      .nullable()
      .meta({ description: '`failing`: paused after a day of failed deliveries' }),
    failingSince: z.string().nullable(),
    lastSuccessAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'PushSubscription' });

const deliverySchema = z
  .object({
    id: z.uuid().meta({ description: 'The `X-Switchboard-Delivery` header: the same on every retry and re-send' }),
    subscriptionId: z.uuid(),
    eventType: z.enum(PUSH_EVENT_TYPES),
    eventKey: z.string(),
    sessionId: z.uuid().nullable(),
    state: z.enum(DELIVERY_STATES),
    attempts: z.number().int(),
    lastStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    lastAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    payload: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'PushDelivery' });

const id = z.object({ id: z.uuid() });
const admin = { roles: ['admin'] } as const;

/**
 * Push subscriptions and their delivery log (REC-03, REC-08, PUSH-01/02). Admins only: a
 * subscription sends every call record of the tenant to its URL.
 */
export function registerPushRoutes(api: ApiRouter): void {
  api
    .route({
      method: 'get',
      path: '/push/subscriptions',
      summary: 'The tenant’s push subscriptions (never their secrets)',
      tags: ['push'],
      access: admin,
      response: z.object({ items: z.array(subscriptionSchema) }),
      handler: async ({ principal, deps }) => ({ items: await deps.pushService.list(principal.tenantId) }),
    })
    .route({
      method: 'post',
      path: '/push/subscriptions',
      summary:
        'Subscribe a URL to call records and/or recordings; the signing secret is shown only in this answer (docs/push.md)',
      tags: ['push'],
      access: admin,
      status: 201,
      body: z.object({ name: singleLine(100), url: httpUrl, eventTypes, auth: authInput }).strict(),
      response: z.object({ subscription: subscriptionSchema, signingSecret: z.string() }),
      errors: { 400: 'validation_failed' },
      handler: ({ principal, deps, body }) => deps.pushService.create(principal.tenantId, body),
    })
    .route({
      method: 'get',
      path: '/push/subscriptions/:id',
      summary: 'One push subscription',
      tags: ['push'],
      access: admin,
      params: id,
      response: subscriptionSchema,
      errors: { 404: 'not_found' },
      handler: ({ principal, deps, params }) => deps.pushService.get(principal.tenantId, params.id),
    })
    .route({
      method: 'patch',
      path: '/push/subscriptions/:id',
      summary: 'Change a subscription; `state: active` resumes a paused one and sends what it held, in order',
      tags: ['push'],
      access: admin,
      params: id,
      body: z
        .object({
          name: singleLine(100).optional(),
          url: httpUrl.optional(),
          eventTypes: eventTypes.optional(),
          auth: authInput.optional(),
          state: z.enum(['active', 'paused']).optional(),
        })
        .strict()
        .refine((b) => Object.values(b).some((v) => v !== undefined), 'send at least one field'),
      response: subscriptionSchema,
      errors: { 400: 'validation_failed', 404: 'not_found' },
      handler: ({ principal, deps, params, body }) => deps.pushService.update(principal.tenantId, params.id, body),
    })
    .route({
      method: 'delete',
      path: '/push/subscriptions/:id',
      summary: 'Delete a subscription and its delivery log',
      tags: ['push'],
      access: admin,
      params: id,
      status: 204,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params }) => {
        await deps.pushService.remove(principal.tenantId, params.id);
      },
    })
    .route({
      method: 'get',
      path: '/push/deliveries',
      summary: 'The delivery log, newest first (cursor paging)',
      tags: ['push'],
      access: admin,
      query: z
        .object({
          subscriptionId: z.uuid().optional(),
          state: z.enum(DELIVERY_STATES).optional(),
          cursor: z.string().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20),
        })
        .strict(),
      response: z.object({ items: z.array(deliverySchema), nextCursor: z.string().nullable() }),
      errors: { 400: 'validation_failed' },
      handler: ({ principal, deps, query }) => deps.pushService.deliveries(principal.tenantId, query),
    })
    .route({
      method: 'post',
      path: '/push/deliveries/:id/resend',
      summary: 'Send a delivery again, with the same delivery id',
      tags: ['push'],
      access: admin,
      params: id,
      status: 202,
      response: deliverySchema,
      errors: { 404: 'not_found' },
      handler: ({ principal, deps, params }) => deps.pushService.resend(principal.tenantId, params.id),
    });
}
