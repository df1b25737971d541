import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { callSessions } from '../calls/schema.js';
import type { IvrState } from '../ivr/interpreter.js';
import { tenants } from '../tenants/schema.js';
import { users } from '../users/schema.js';

/**
 * Where the customer leg is while live call control has it out of the room:
 * - `collect`: entering digits for a collection template (CTL-10);
 * - `selfService`: in an IVR flow, back to the agent at its end (CTL-11);
 * - `rejoin`: on its way into a new room (transfer to an external number, CTL-05).
 */
export const CUSTOMER_MODES = ['collect', 'selfService', 'rejoin'] as const;
export type CustomerMode = (typeof CUSTOMER_MODES)[number];

/** The self-service run of a customer (CTL-11): which flow version, where in it. */
export interface SelfServiceState {
  flowId: string;
  flowVersionId: string;
  ivr: IvrState | null;
}

/** A digit collection in progress (CTL-10). */
export interface CollectState {
  templateId: string;
  /** The agent who asked; the digits go to them. */
  requestedBy: string;
  /** Tries that failed so far (timeout or wrong length); absent = none. */
  failures?: number;
}

/**
 * Live call control state of a session, one row per session that was ever controlled. Kept in
 * the database (not in memory) so that any instance answers "is it on hold?" the same way.
 */
export const sessionControls = pgTable('session_controls', {
  sessionId: uuid('session_id')
    .primaryKey()
    .references(() => callSessions.id, { onDelete: 'cascade' }),
  tenantId: uuid('tenant_id')
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' }),
  /** The customer is on hold (CTL-01). */
  customerHeld: boolean('customer_held').notNull().default(false),
  /** The serving agent's microphone is muted (CTL-02). */
  agentMuted: boolean('agent_muted').notNull().default(false),
  /** The agent's notes; they travel with a transfer and end up in the CDR. */
  notes: text('notes'),
  /** Variables set during the call (collected digits, self-service results). */
  variables: jsonb('variables')
    .$type<Record<string, string>>()
    .notNull()
    .default(sql`'{}'::jsonb`),
  customerMode: text('customer_mode', { enum: CUSTOMER_MODES }),
  collect: jsonb('collect').$type<CollectState>(),
  selfService: jsonb('self_service').$type<SelfServiceState>(),
  /** Room the session lives in when it is not the session id (after an external transfer). */
  room: text('room'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const LEG_ROLES = ['agent', 'external', 'supervisor', 'customer'] as const;
/**
 * Why call control placed a leg: a third party (CTL-09), an external transfer target (CTL-05),
 * a listening supervisor (MON-03), or one of the two legs of a call an agent places — a
 * callback of an ended call (`redial`, CTL-07) or a new outbound call (`outbound`, OUT-01).
 */
export const LEG_PURPOSES = ['threeWay', 'transfer', 'listen', 'redial', 'outbound'] as const;
export type LegPurpose = (typeof LEG_PURPOSES)[number];
/** The purposes of the two legs of a call an agent places: their device first, then the customer. */
export type DialOutPurpose = Extract<LegPurpose, 'redial' | 'outbound'>;

/** Whether a leg belongs to a call an agent places (redial, outbound). */
export function isDialOut(purpose: LegPurpose): purpose is DialOutPurpose {
  return purpose === 'redial' || purpose === 'outbound';
}
export const LEG_STATES = ['ringing', 'joined', 'left', 'failed'] as const;
export type LegState = (typeof LEG_STATES)[number];

/**
 * Legs placed by live call control: an external party or a second agent added to the call
 * (CTL-09), an external number the call is transferred to (CTL-05), a supervisor listening in
 * (MON-03), the two legs of a call an agent places (redial CTL-07, outbound OUT-01). Offered
 * agent legs stay in `call_offers`.
 */
export const callLegs = pgTable(
  'call_legs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => callSessions.id, { onDelete: 'cascade' }),
    role: text('role', { enum: LEG_ROLES }).notNull(),
    purpose: text('purpose', { enum: LEG_PURPOSES }).notNull(),
    /** The agent or supervisor on this leg, if it is one. */
    agentId: uuid('agent_id').references(() => users.id, { onDelete: 'set null' }),
    /** The external number dialled, if any. */
    number: text('number'),
    callSid: text('call_sid'),
    state: text('state', { enum: LEG_STATES }).notNull().default('ringing'),
    /** Who placed it (agent or supervisor). */
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endReason: text('end_reason'),
  },
  (t) => [index('call_legs_session_idx').on(t.sessionId), index('call_legs_call_sid_idx').on(t.callSid)],
);

/** Where a transfer went. */
export type TransferTarget =
  | { type: 'skillGroup'; skillGroupId: string }
  | { type: 'agent'; agentId: string }
  | { type: 'external'; number: string; legId: string };

/** Transfers of a session (CTL-03…05): who handed it on, to what, when. */
export const sessionTransfers = pgTable(
  'session_transfers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => callSessions.id, { onDelete: 'cascade' }),
    fromAgentId: uuid('from_agent_id'),
    fromOfferId: uuid('from_offer_id'),
    target: jsonb('target').$type<TransferTarget>().notNull(),
    /** Who asked (the agent, or a supervisor). */
    byUserId: uuid('by_user_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('session_transfers_session_idx').on(t.sessionId)],
);

/** Admin-defined digit collection templates (CTL-10): what the customer is asked to key in. */
export const collectTemplates = pgTable(
  'collect_templates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Said to the customer before the digits. */
    prompt: text('prompt').notNull(),
    minDigits: integer('min_digits').notNull().default(1),
    maxDigits: integer('max_digits').notNull(),
    finishOnKey: text('finish_on_key'),
    timeoutSeconds: integer('timeout_seconds').notNull().default(10),
    /** Said before the prompt again after a timeout or digits of the wrong length. */
    failurePrompt: text('failure_prompt'),
    /** Tries in all (the first included); after the last failed one the agent gets a failure. */
    maxTries: integer('max_tries').notNull().default(3),
    /** Session variable the digits are stored in. */
    variable: text('variable').notNull(),
    /** Show only the last digits to the agent (card numbers, PINs). */
    mask: boolean('mask').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('collect_templates_tenant_name_uq').on(t.tenantId, t.name)],
);

export type SessionControlRow = typeof sessionControls.$inferSelect;
export type CallLegRow = typeof callLegs.$inferSelect;
export type CollectTemplateRow = typeof collectTemplates.$inferSelect;
