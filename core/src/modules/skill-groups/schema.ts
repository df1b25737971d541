import { integer, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/schema.js';
import { users } from '../users/schema.js';

/** Routing strategies (RT-*): which idle member gets the next call. */
export const STRATEGIES = ['longest-idle', 'fewest-calls', 'priority'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** A skill group (技能组): a queue plus the agents who serve it. */
export const skillGroups = pgTable(
  'skill_groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    strategy: text('strategy', { enum: STRATEGIES }).notNull().default('longest-idle'),
    /** Seconds an agent's device rings before the call is offered to someone else. */
    ringTimeoutSeconds: integer('ring_timeout_seconds').notNull().default(20),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('skill_groups_tenant_name_uq').on(t.tenantId, t.name)],
);

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
    /** Lower is preferred. */
    priority: integer('priority').notNull().default(100),
  },
  (t) => [primaryKey({ columns: [t.skillGroupId, t.userId] })],
);

export type SkillGroupRow = typeof skillGroups.$inferSelect;
