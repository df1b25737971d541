import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/schema.js';
import type { IvrKeyPress, SurveyResult } from '../calls/schema.js';

/** One serving leg of a call (TCCC `ServeParticipants[]`). */
export interface ServeParticipant {
  /** `outboundSeat`: the agent placed the call (OUT-01, CTL-07). */
  type: 'staffSeat' | 'outboundSeat' | 'staffPhoneSeat';
  agentId: string;
  email: string;
  staffNo: string;
  sequence: number;
  skillGroupId: string | null;
  skillGroupName: string | null;
  /** Unix seconds. */
  ringTimestamp: number | null;
  acceptTimestamp: number | null;
  endedTimestamp: number | null;
  endStatusString: string;
  recordingId: string | null;
}

/**
 * Call detail records: one per session, written once when the session ends (the unique
 * session id makes a second write a no-op). Shaped after TCCC `TelCdrInfo`.
 */
export const cdrs = pgTable(
  'cdrs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    sessionId: uuid('session_id').notNull(),
    direction: text('direction', { enum: ['inbound', 'outbound', 'internal'] }).notNull(),
    caller: text('caller').notNull(),
    callee: text('callee').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    queuedAt: timestamp('queued_at', { withTimezone: true }),
    ringAt: timestamp('ring_at', { withTimezone: true }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }).notNull(),
    /** Talk seconds: ended − accepted (0 if never answered). */
    durationSeconds: integer('duration_seconds').notNull(),
    /** Seconds in the IVR: queued (or ended) − started. */
    ivrDurationSeconds: integer('ivr_duration_seconds').notNull(),
    ivrKeys: jsonb('ivr_keys')
      .$type<IvrKeyPress[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    queuedSkillGroupId: uuid('queued_skill_group_id'),
    queuedSkillGroupName: text('queued_skill_group_name'),
    servingSkillGroupId: uuid('serving_skill_group_id'),
    servingSkillGroupName: text('serving_skill_group_name'),
    agentId: uuid('agent_id'),
    endStatus: integer('end_status').notNull(),
    endStatusString: text('end_status_string').notNull(),
    hungUpSide: text('hung_up_side', { enum: ['user', 'seat', 'system'] }).notNull(),
    satisfaction: jsonb('satisfaction').$type<Array<{ key: string; label: string; timestamp: number }>>(),
    note: text('note'),
    recordingId: uuid('recording_id'),
    serveParticipants: jsonb('serve_participants')
      .$type<ServeParticipant[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** What agents saw instead of the customer's number (RT-08), as on the session. */
    customerAlias: text('customer_alias'),
    annotations: jsonb('annotations')
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    /** Custom IVR variables at the end of the call (`setVariable`, HTTP outputs, survey…). */
    variables: jsonb('variables')
      .$type<Record<string, string>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    /** The satisfaction survey answer (IVR-23); also in `satisfaction` (TCCC shape). */
    surveyResult: jsonb('survey_result').$type<SurveyResult>(),
    /** Recording id of the voicemail the caller left (IVR-31). */
    voicemailId: uuid('voicemail_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('cdrs_session_uq').on(t.sessionId), index('cdrs_tenant_time_idx').on(t.tenantId, t.startedAt)],
);

/** Numbers refused at the door (CTL-08). */
export const blacklist = pgTable(
  'blacklist',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    number: text('number').notNull(),
    reason: text('reason'),
    /** When the entry stops refusing calls; null = never (CTL-08 entries from calls). */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('blacklist_tenant_number_uq').on(t.tenantId, t.number)],
);

export type CdrRow = typeof cdrs.$inferSelect;
export type BlacklistRow = typeof blacklist.$inferSelect;
