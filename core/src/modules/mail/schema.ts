import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/schema.js';

/**
 * The dev mail sink (demo mode without `SMTP_URL`): mail that would have been sent, kept so an
 * admin can read it at `GET /api/v1/dev/mail`. Never written outside demo mode, because these
 * messages hold fresh passwords in clear text.
 */
export const devMail = pgTable(
  'dev_mail',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The recipient's tenant; null for mail about no tenant. */
    tenantId: uuid('tenant_id').references(() => tenants.id, { onDelete: 'cascade' }),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('dev_mail_tenant_idx').on(t.tenantId, t.createdAt)],
);

export type DevMailRow = typeof devMail.$inferSelect;
