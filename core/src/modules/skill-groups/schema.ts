import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { numbers } from '../numbers/schema.js';
import { tenants } from '../tenants/schema.js';
import { users } from '../users/schema.js';

/**
 * Routing strategies: which idle member gets the next call.
 * - `longest-idle` (RT-01): idle the longest;
 * - `fewest-calls` (RT-02): fewest calls answered today (tenant time zone), then longest idle;
 * - `priority` (RT-03): member priority 1 (first) … 5 (last), then longest idle.
 * Whatever the strategy, the agent who served the caller last goes first when idle (RT-04), and
 * agents who already missed this call go last (RT-05).
 */
export const STRATEGIES = ['longest-idle', 'fewest-calls', 'priority'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/**
 * What a skill group is for (TCCC 呼入/呼出技能组): `inbound` groups take queued callers;
 * `outbound` groups are what agents dial out through — their linked numbers are shown to the
 * customer first (OUT-07) and the group is the call's group in the record.
 */
export const SKILL_GROUP_TYPES = ['inbound', 'outbound'] as const;
export type SkillGroupType = (typeof SKILL_GROUP_TYPES)[number];

/** A skill group (技能组): a queue plus the agents who serve it. */
export const skillGroups = pgTable(
  'skill_groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    type: text('type', { enum: SKILL_GROUP_TYPES }).notNull().default('inbound'),
    strategy: text('strategy', { enum: STRATEGIES }).notNull().default('longest-idle'),
    /** Seconds an agent's device rings before the call is offered to someone else (RT-05 on). */
    ringTimeoutSeconds: integer('ring_timeout_seconds').notNull().default(20),
    /**
     * RT-05 switch (开启后, "when enabled"): on, an offer not answered within
     * `ringTimeoutSeconds` goes to another agent; off, the agent's device keeps ringing up to
     * `maxRingSeconds` before the call goes back to the queue.
     */
    ringTimeoutTransfer: boolean('ring_timeout_transfer').notNull().default(true),
    /** The group's maximum ring time for one offer, used while RT-05 is off. */
    maxRingSeconds: integer('max_ring_seconds').notNull().default(60),
    /**
     * IVR-20 at the group: where its callers overflow while every member is busy, when the IVR's
     * transfer node names no overflow group of its own (the node's choice wins). Deleting the
     * overflow group is refused while a group overflows to it; `set null` is only a safety net.
     */
    overflowSkillGroupId: uuid('overflow_skill_group_id').references((): AnyPgColumn => skillGroups.id, {
      onDelete: 'set null',
    }),
    /** RT-06 per group: wrap-up seconds after a call served through the group; null = the tenant's. */
    wrapUpSeconds: integer('wrap_up_seconds'),
    /** RT-06/CTL-06 per group: wrap-up ends by itself after `wrapUpSeconds`; null = the tenant's. */
    wrapUpAutoEnd: boolean('wrap_up_auto_end'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('skill_groups_tenant_name_uq').on(t.tenantId, t.name)],
);

/** Member priorities (ADM-07): 1 is offered first, 5 last. */
export const MIN_MEMBER_PRIORITY = 1;
export const MAX_MEMBER_PRIORITY = 5;
export const DEFAULT_MEMBER_PRIORITY = 3;

/** Membership of agents in skill groups, with a priority for the `priority` strategy. */
export const skillGroupMembers = pgTable(
  'skill_group_members',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    skillGroupId: uuid('skill_group_id')
      .notNull()
      .references(() => skillGroups.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** 1–5, lower is preferred (ADM-07, RT-03). */
    priority: integer('priority').notNull().default(DEFAULT_MEMBER_PRIORITY),
  },
  (t) => [
    primaryKey({ columns: [t.skillGroupId, t.userId] }),
    check(
      'skill_group_members_priority_range',
      sql.raw(`priority between ${MIN_MEMBER_PRIORITY} and ${MAX_MEMBER_PRIORITY}`),
    ),
  ],
);

/**
 * OUT-07: numbers linked to an outbound skill group (TCCC `BindNumberCallOutSkillGroup`). An
 * agent of the group dialling out shows one of them; a number may serve several groups.
 */
export const skillGroupNumbers = pgTable(
  'skill_group_numbers',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    skillGroupId: uuid('skill_group_id')
      .notNull()
      .references(() => skillGroups.id, { onDelete: 'cascade' }),
    numberId: uuid('number_id')
      .notNull()
      .references(() => numbers.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.skillGroupId, t.numberId] })],
);

export type SkillGroupRow = typeof skillGroups.$inferSelect;

/** How long one offer of the group rings: the re-offer timeout with RT-05 on, else the maximum. */
export function offerRingSeconds(
  g: Pick<SkillGroupRow, 'ringTimeoutTransfer' | 'ringTimeoutSeconds' | 'maxRingSeconds'>,
): number {
  return g.ringTimeoutTransfer ? g.ringTimeoutSeconds : g.maxRingSeconds;
}
export type SkillGroupMemberRow = typeof skillGroupMembers.$inferSelect;
