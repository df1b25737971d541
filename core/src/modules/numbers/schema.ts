import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
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
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('numbers_tenant_idx').on(t.tenantId)],
);

export type NumberRow = typeof numbers.$inferSelect;
