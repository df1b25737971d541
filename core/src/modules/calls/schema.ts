import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/schema.js';
import { users } from '../users/schema.js';
import type { IvrEvent, IvrState } from '../ivr/interpreter.js';

/** Where a session is in its life. */
export const SESSION_STATES = ['ivr', 'queued', 'offering', 'bridged', 'ended'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

/** One key press in the IVR, as the CDR shows it (TCCC `IVRKeyPressedEx`). */
export interface IvrKeyPress {
  key: string;
  label: string;
  nodeLabel: string;
  /** Unix ms. */
  timestamp: number;
}

/**
 * An HTTP node's request in flight: if no result is stored by `deadline` (unix ms) — the
 * instance running it died — the attempt counts as failed.
 */
export interface PendingIvrWork {
  type: 'httpPending';
  nodeId: string;
  attempt: number;
  deadline: number;
}

/** A survey answer (IVR-23), as kept with the session and the CDR. */
export interface SurveyResult {
  nodeId: string;
  key: string;
  label: string;
  /** Unix ms. */
  timestamp: number;
}

/**
 * A call session: one customer interaction from ring to hang-up, across IVR, queue and agent
 * legs. Its id names the conference room and travels in the provider's tag. State lives here
 * (not in memory), so any instance can answer any webhook and a restart loses nothing.
 */
export const callSessions = pgTable(
  'call_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** `internal`: agent → agent (AGT-04); caller and callee are staff numbers. */
    direction: text('direction', { enum: ['inbound', 'outbound', 'internal'] }).notNull(),
    caller: text('caller').notNull(),
    callee: text('callee').notNull(),
    numberId: uuid('number_id'),
    /** The customer leg at the telephony provider. */
    customerCallSid: text('customer_call_sid').notNull(),
    state: text('state', { enum: SESSION_STATES }).notNull(),
    flowVersionId: uuid('flow_version_id'),
    ivrState: jsonb('ivr_state').$type<IvrState>(),
    ivrKeys: jsonb('ivr_keys')
      .$type<IvrKeyPress[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** Skill group the caller queued in (CDR `QueuedSkillGroupId`). */
    queuedSkillGroupId: uuid('queued_skill_group_id'),
    queuePriority: integer('queue_priority').notNull().default(100),
    /** IVR-20: idle agents of this group may take the call while the queued group has none idle. */
    overflowSkillGroupId: uuid('overflow_skill_group_id'),
    /** IVR-21: the preferred agent as the IVR flow named it (staff number or user id), unresolved. */
    preferredAgent: text('preferred_agent'),
    /** IVR-21: the resolved preferred agent (from the flow, the API, or a caller-number mark). */
    preferredAgentId: uuid('preferred_agent_id'),
    /** IVR-21: until then only the preferred agent is offered the call (if they may become free). */
    preferredUntil: timestamp('preferred_until', { withTimezone: true }),
    /** Agents already offered this call and missed it (re-offer goes elsewhere first). */
    offeredAgentIds: uuid('offered_agent_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    agentId: uuid('agent_id').references(() => users.id, { onDelete: 'set null' }),
    agentCallSid: text('agent_call_sid'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    queuedAt: timestamp('queued_at', { withTimezone: true }),
    ringAt: timestamp('ring_at', { withTimezone: true }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endStatus: integer('end_status'),
    hungUpSide: text('hung_up_side', { enum: ['user', 'seat', 'system'] }),
    /**
     * What agents see instead of the customer's number (RT-08, OUT-10): the company's user ID a
     * `number.identify` plugin gave, or the masked number it fell back to. Null: no mapping.
     */
    customerAlias: text('customer_alias'),
    /** Plugin annotations from `call.incoming` (customer id, CRM card…). */
    annotations: jsonb('annotations')
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    /** Custom IVR variables set so far (`setVariable`), for records and plugins. */
    variables: jsonb('variables')
      .$type<Record<string, string>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    /** The caller's answer to a satisfaction survey (IVR-23). */
    surveyResult: jsonb('survey_result').$type<SurveyResult>(),
    /**
     * An IVR event that arrived off the webhook path (an HTTP node's result), applied when the
     * customer leg is redirected to fetch its next instructions; or the request still running.
     */
    ivrEvent: jsonb('ivr_event').$type<IvrEvent | PendingIvrWork>(),
    /** Last webhook or action seen; the reaper looks for sessions that went quiet. */
    lastEventAt: timestamp('last_event_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('call_sessions_customer_call_uq').on(t.customerCallSid),
    index('call_sessions_queue_idx')
      .on(t.tenantId, t.queuedSkillGroupId, t.queuePriority, t.queuedAt)
      .where(sql`${t.state} = 'queued'`),
    // The ACD takes the tenant's longest-waiting caller across groups.
    index('call_sessions_waiting_idx')
      .on(t.tenantId, t.queuePriority, t.queuedAt)
      .where(sql`${t.state} = 'queued'`),
    index('call_sessions_live_idx')
      .on(t.lastEventAt)
      .where(sql`${t.state} <> 'ended'`),
  ],
);

/** Offers of a session to agents: one row per agent leg rung. */
export const callOffers = pgTable(
  'call_offers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => callSessions.id, { onDelete: 'cascade' }),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    skillGroupId: uuid('skill_group_id'),
    callSid: text('call_sid'),
    state: text('state', { enum: ['ringing', 'accepted', 'missed', 'cancelled', 'ended'] }).notNull(),
    // The wall clock at insert, not the transaction's start (`now()`): a dispatch that waited on
    // the agent's row lock would otherwise date its offer before the previous one ended.
    createdAt: timestamp('created_at', { withTimezone: true })
      .notNull()
      .default(sql`clock_timestamp()`),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endReason: text('end_reason'),
  },
  (t) => [
    // The database itself guarantees an agent is never rung for two calls at once.
    uniqueIndex('call_offers_one_ringing_per_agent_uq')
      .on(t.agentId)
      .where(sql`${t.state} = 'ringing'`),
    index('call_offers_session_idx').on(t.sessionId),
    index('call_offers_call_sid_idx').on(t.callSid),
  ],
);

export type CallSessionRow = typeof callSessions.$inferSelect;
export type CallOfferRow = typeof callOffers.$inferSelect;
