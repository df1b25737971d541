import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/schema.js';

/** Life of a recording: audio arriving → stored and playable, or given up. */
export const RECORDING_STATUSES = ['recording', 'ready', 'failed'] as const;
export type RecordingStatus = (typeof RECORDING_STATUSES)[number];

/** What was recorded. */
export const RECORDING_KINDS = ['call', 'voicemail'] as const;
export type RecordingKind = (typeof RECORDING_KINDS)[number];

/**
 * One call recording (REC-04): the audio fork of a session, encoded to MP3 and kept in the
 * storage port under `storage_key`. The row exists from the first second of the call
 * (`recording`), so an interrupted recording is visible as `failed` rather than missing.
 */
export const recordings = pgTable(
  'recordings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    // Deliberately not a foreign key: recordings outlive nothing but their tenant, and the
    // sessions table belongs to another module.
    sessionId: uuid('session_id').notNull(),
    /** `call`: a conversation (REC-04); `voicemail`: a message the caller left (IVR-31). */
    kind: text('kind', { enum: RECORDING_KINDS }).notNull().default('call'),
    /** Key within the storage port, e.g. `<tenant>/<yyyy>/<mm>/<dd>/<id>.mp3`. */
    storageKey: text('storage_key').notNull(),
    contentType: text('content_type').notNull().default('audio/mpeg'),
    status: text('status', { enum: RECORDING_STATUSES }).notNull().default('recording'),
    /** Of the PCM received (the MP3 may be resampled by the encoder). */
    sampleRate: integer('sample_rate').notNull(),
    channels: integer('channels').notNull(),
    /** Exact, from the PCM samples received; null until ready. */
    durationMs: integer('duration_ms'),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    /** Why a recording failed. */
    error: text('error'),
    /**
     * Set with `status = 'ready'` in the same write and cleared once `recording.ready` is on the
     * job queue for every plugin: the durable marker that the event still has to be queued
     * (an outbox), so a queue hiccup or a crash in between never loses it.
     */
    announcePending: boolean('announce_pending').notNull().default(false),
    /**
     * Key of the copy an archive plugin put in the tenant's object store (REC-09, e.g. COS),
     * null until archived.
     */
    archiveObjectKey: text('archive_object_key'),
    /** A (presigned) URL of that copy: the reference product's `CustomRecordURL`. */
    archivedUrl: text('archived_url'),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('recordings_tenant_session_idx').on(t.tenantId, t.sessionId),
    index('recordings_tenant_kind_time_idx').on(t.tenantId, t.kind, t.startedAt),
    index('recordings_announce_pending_idx')
      .on(t.endedAt)
      .where(sql`${t.announcePending}`),
  ],
);

export type RecordingRow = typeof recordings.$inferSelect;
