import { index, primaryKey, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/schema.js';
import { users } from '../users/schema.js';

/**
 * Routing memory: the agent who last served each customer number (RT-04 last agent first; the
 * outbound memory of OUT-12 reads it too). One row per (tenant, number), overwritten whenever an
 * agent takes a call with that customer, so the lookup at offer time is one primary-key read.
 */
export const routingMemory = pgTable(
  'routing_memory',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** The customer's number as sessions store it (digits only): caller inbound, callee outbound. */
    customerNumber: text('customer_number').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    sessionId: uuid('session_id').notNull(),
    servedAt: timestamp('served_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.customerNumber] })],
);

export type RoutingMemoryRow = typeof routingMemory.$inferSelect;

/**
 * IVR-21: "offer this caller's calls to that agent first", set through the API before (or
 * during) a transfer and keyed by the caller's number. A mark on one live session is stored on
 * the session itself (`call_sessions.preferred_agent_id`). The ACD reads marks when it resolves a
 * waiting caller's preference; expired marks are ignored (and pruned when a new one is set).
 */
export const preferredAgents = pgTable(
  'preferred_agents',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** Digits only, as sessions store the caller. */
    callerNumber: text('caller_number').notNull(),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.callerNumber] }), index('preferred_agents_expiry_idx').on(t.expiresAt)],
);
