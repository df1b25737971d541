import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/schema.js';
import { users } from '../users/schema.js';

/**
 * One-time SDK login tokens (like TCCC `CreateSDKLoginToken`): a CRM's server asks for one with
 * an API key, its page hands it to the browser SDK, the embedded workbench trades it once for a
 * token pair. Only a SHA-256 of the token is kept.
 */
export const sdkLoginTokens = pgTable(
  'sdk_login_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    consumedAt: timestamp('consumed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sdk_login_tokens_expiry_idx').on(t.expiresAt)],
);

export type SdkLoginTokenRow = typeof sdkLoginTokens.$inferSelect;
