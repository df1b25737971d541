import { boolean, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/schema.js';
import { ivrFlows } from '../ivr/schema.js';

/**
 * A phone number the contact center answers. Inbound routing looks numbers up by the called
 * digits alone, so a number belongs to exactly one tenant across the installation.
 */
export const numbers = pgTable(
  'numbers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** Digits as the carrier delivers them (E.164 without +, or a national 400/95 number). */
    number: text('number').notNull().unique(),
    label: text('label').notNull().default(''),
    /** The IVR flow that answers calls to this number. */
    ivrFlowId: uuid('ivr_flow_id').references(() => ivrFlows.id, { onDelete: 'set null' }),
    /**
     * A version of that flow the number is pinned to (IVR-35, advanced); null = the flow's
     * published version. Calls to the number run the pinned version whatever is published.
     */
    ivrFlowVersion: integer('ivr_flow_version'),
    /** ADM-05: caller id used when the system dials agents' mobiles (purpose `agentMobile`). */
    agentMobile: boolean('agent_mobile').notNull().default(false),
    /** Last time it was used as an agent-mobile caller id (round robin). */
    agentMobileUsedAt: timestamp('agent_mobile_used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('numbers_tenant_idx').on(t.tenantId)],
);

export type NumberRow = typeof numbers.$inferSelect;
