import { bigint, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/schema.js';

/** Audio formats the library accepts (sniffed from the bytes, never taken from a header). */
export const AUDIO_FORMATS = ['wav', 'mp3'] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];

/**
 * One file of a tenant's audio library (ADM-01), played by IVR prompts `{ kind: 'audio', audioId }`
 * (IVR-03). Like recordings, the bytes live in a storage port under `storage_key` and the row
 * holds what the API lists; the bytes never change after upload (a rename touches the row only),
 * so the play URL of an id can be cached by the telephony provider.
 */
export const audioFiles = pgTable(
  'audio_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** Unique within the tenant; what admins pick in the flow editor. */
    name: text('name').notNull(),
    format: text('format', { enum: AUDIO_FORMATS }).notNull(),
    /** `audio/wav` or `audio/mpeg`, from the sniffed format. */
    contentType: text('content_type').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    durationMs: integer('duration_ms').notNull(),
    /** Hex SHA-256 of the bytes: the ETag, and lets an admin see two uploads are the same file. */
    sha256: text('sha256').notNull(),
    /** Key within the audio storage port: `<tenantId>/<id>.<format>`. */
    storageKey: text('storage_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('audio_files_tenant_name_uq').on(t.tenantId, t.name),
    index('audio_files_tenant_created_idx').on(t.tenantId, t.createdAt),
  ],
);

export type AudioFileRow = typeof audioFiles.$inferSelect;
