import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/schema.js';
import { users } from '../users/schema.js';
import { ACTORS } from './state-machine.js';

/**
 * Agent states (DESIGN.md "Agent state machine"; TCCC vocabulary in brackets):
 * offline, idle [free], notReady [示忙], rest [小休, with a reason], ringing (offered a call),
 * busy [忙碌, on a call], afterCallWork [话后整理].
 */
export const AGENT_STATES = ['offline', 'idle', 'notReady', 'rest', 'ringing', 'busy', 'afterCallWork'] as const;
export type AgentState = (typeof AGENT_STATES)[number];

/**
 * Where an agent answers offers (IN-01, IN-02): the browser softphone, always their bound
 * mobile, or the mobile only while the web softphone is not registered at the provider.
 */
export const ANSWER_MODES = ['webrtc', 'mobileAlways', 'mobileWhenOffline'] as const;
export type AnswerMode = (typeof ANSWER_MODES)[number];

/** The live state of each agent: one row per user who takes calls. */
export const agents = pgTable(
  'agents',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    state: text('state', { enum: AGENT_STATES }).notNull().default('offline'),
    /** Reason for `rest` (用餐, 会议…). */
    reason: text('reason'),
    /** When the current state began; for idle agents this is "idle since" (longest-idle). */
    stateSince: timestamp('state_since', { withTimezone: true }).notNull().defaultNow(),
    /** WebRTC user name at the telephony provider (jambonz client user). */
    sipUser: text('sip_user'),
    /** Session the agent is ringing for or serving. */
    currentSessionId: uuid('current_session_id'),
    /**
     * The state to give the agent back after the call they are on and its wrap-up, instead of
     * idle: set when they dial out (OUT-01, CTL-07) from notReady or rest; null otherwise.
     */
    resumeState: text('resume_state', { enum: ['idle', 'notReady', 'rest'] }),
    /** The rest reason that goes with `resumeState`. */
    resumeReason: text('resume_reason'),
    /** Wrap-up ends at this time; then the agent is idle again. */
    wrapUpUntil: timestamp('wrap_up_until', { withTimezone: true }),
    /** Calls answered since the counter was reset (fewest-calls strategy). */
    callsTaken: integer('calls_taken').notNull().default(0),
    /** Offers this agent let ring out, rejected or could not take (RT-05: counted per agent). */
    missedOffers: integer('missed_offers').notNull().default(0),
    /** Where offers ring (IN-02). */
    answerMode: text('answer_mode', { enum: ANSWER_MODES }).notNull().default('webrtc'),
    /** Ask the softphone to answer offers by itself (IN-03). */
    autoAnswer: boolean('auto_answer').notNull().default(false),
    /** SIP digest password of `sipUser`, AES-256-GCM encrypted (docs/adr/0006-agent-devices.md). */
    sipPasswordEnc: text('sip_password_enc'),
    /** The provider's id of the client credentials (jambonz `client_sid`). */
    sipClientSid: text('sip_client_sid'),
    /** When the credentials were last provisioned or rotated. */
    sipProvisionedAt: timestamp('sip_provisioned_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('agents_tenant_state_idx').on(t.tenantId, t.state, t.stateSince),
    // A WebRTC user identifies one agent's device.
    index('agents_sip_user_idx')
      .on(t.sipUser)
      .where(sql`${t.sipUser} is not null`),
  ],
);

/** Every state change, for reports (ANA-07/08) and monitors (MON-01). */
export const agentStateLog = pgTable(
  'agent_state_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    fromState: text('from_state').notNull(),
    toState: text('to_state').notNull(),
    reason: text('reason'),
    sessionId: uuid('session_id'),
    /** Who caused it: the agent (`self`), the call logic (`system`) or an admin (ADM-12). */
    actor: text('actor', { enum: ACTORS }).notNull().default('system'),
    /** The admin who forced the change, when `actor` is `admin`. */
    actorId: uuid('actor_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('agent_state_log_user_idx').on(t.tenantId, t.userId, t.at)],
);

export type AgentRow = typeof agents.$inferSelect;
