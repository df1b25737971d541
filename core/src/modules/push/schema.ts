import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/schema.js';

/** What a push subscription may receive (REC-03/PUSH-02 records, REC-08/PUSH-01 recordings). */
export const PUSH_EVENT_TYPES = ['record.created', 'recording.ready'] as const;
export type PushEventType = (typeof PUSH_EVENT_TYPES)[number];

/** How the receiver wants us to authenticate (besides the signature every delivery carries). */
export type PushAuth =
  | { type: 'none' }
  | { type: 'basic'; username: string }
  | { type: 'oauth2'; tokenUrl: string; clientId: string; scope?: string };

/**
 * A tenant's push subscription (REC-03, REC-08): where its records and recordings are sent. The
 * signing secret and the auth secret (Basic password, OAuth2 client secret) are sealed with a
 * key derived from the installation secret, bound to the subscription.
 */
export const pushSubscriptions = pgTable(
  'push_subscriptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    url: text('url').notNull(),
    eventTypes: text('event_types').array().$type<PushEventType[]>().notNull(),
    auth: jsonb('auth').$type<PushAuth>().notNull(),
    /** `{ signingSecret, password?, clientSecret? }` sealed (AES-256-GCM). */
    secrets: text('secrets').notNull(),
    /** `paused`: by the admin, or after a day of failed deliveries (`pausedReason`). */
    state: text('state', { enum: ['active', 'paused'] })
      .notNull()
      .default('active'),
    pausedReason: text('paused_reason', { enum: ['admin', 'failing'] }),
    /** When deliveries started failing without a success since; null while healthy. */
    failingSince: timestamp('failing_since', { withTimezone: true }),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('push_subscriptions_tenant_idx').on(t.tenantId)],
);

/** States of one delivery. */
export const DELIVERY_STATES = ['pending', 'delivered', 'failed', 'held'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/**
 * One event for one subscription (the delivery log): its id is the `X-Switchboard-Delivery`
 * header, the same on every retry so the receiver can drop duplicates. `pending` until an
 * attempt gets a 2xx (`delivered`); `failed` after the last retry; `held` while the
 * subscription is paused. Deliveries of one session go out in the order they were made.
 */
export const pushDeliveries = pgTable(
  'push_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The order deliveries were made in (a session's go out in this order). */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => pushSubscriptions.id, { onDelete: 'cascade' }),
    eventType: text('event_type').$type<PushEventType>().notNull(),
    /** What the event is about (record or recording id): one delivery per subscription and event. */
    eventKey: text('event_key').notNull(),
    /** Deliveries of one session keep their order. */
    sessionId: uuid('session_id'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    state: text('state', { enum: DELIVERY_STATES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [
    index('push_deliveries_log_idx').on(t.tenantId, t.subscriptionId, t.createdAt),
    index('push_deliveries_session_idx')
      .on(t.subscriptionId, t.sessionId, t.seq)
      .where(sql`${t.state} in ('pending', 'held')`),
    uniqueIndex('push_deliveries_event_uq').on(t.subscriptionId, t.eventType, t.eventKey),
  ],
);

export type PushSubscriptionRow = typeof pushSubscriptions.$inferSelect;
export type PushDeliveryRow = typeof pushDeliveries.$inferSelect;
