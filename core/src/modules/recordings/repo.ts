import { and, asc, eq, lte } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { recordings, type RecordingKind, type RecordingRow } from './schema.js';

/** Recording rows. Every method takes the tenant id: no recording is reachable by id alone. */
export class RecordingRepo {
  private readonly db: Db;
  constructor({ db }: { db: Db }) {
    this.db = db;
  }

  async create(
    tenantId: string,
    input: {
      id: string;
      sessionId: string;
      storageKey: string;
      sampleRate: number;
      channels: number;
      startedAt: Date;
      kind?: RecordingKind;
    },
  ): Promise<RecordingRow> {
    const [row] = await this.db
      .insert(recordings)
      .values({ ...input, tenantId, status: 'recording', contentType: 'audio/mpeg' })
      .returning();
    return row!;
  }

  async findById(tenantId: string, id: string): Promise<RecordingRow | undefined> {
    const [row] = await this.db
      .select()
      .from(recordings)
      .where(and(eq(recordings.tenantId, tenantId), eq(recordings.id, id)));
    return row;
  }

  async listBySession(tenantId: string, sessionId: string): Promise<RecordingRow[]> {
    return this.db
      .select()
      .from(recordings)
      .where(and(eq(recordings.tenantId, tenantId), eq(recordings.sessionId, sessionId)))
      .orderBy(asc(recordings.startedAt), asc(recordings.id));
  }

  /** Moves a recording out of `recording`; returns undefined if it already left that state. */
  async complete(
    tenantId: string,
    id: string,
    outcome:
      | { status: 'ready'; durationMs: number; sizeBytes: number; endedAt: Date }
      | { status: 'failed'; error: string; endedAt: Date; durationMs?: number },
  ): Promise<RecordingRow | undefined> {
    const [row] = await this.db
      .update(recordings)
      // A ready recording owes plugins a `recording.ready`: marked in the same write (outbox).
      .set({ ...outcome, announcePending: outcome.status === 'ready' })
      .where(and(eq(recordings.tenantId, tenantId), eq(recordings.id, id), eq(recordings.status, 'recording')))
      .returning();
    return row;
  }

  /**
   * Records where an archive plugin copied the recording (REC-09); a later call overwrites (a
   * re-archive refreshes the URL). Returns false when the tenant has no such recording.
   */
  async markArchived(
    tenantId: string,
    id: string,
    archive: { objectKey: string; url: string; archivedAt: Date },
  ): Promise<boolean> {
    const rows = await this.db
      .update(recordings)
      .set({ archiveObjectKey: archive.objectKey, archivedUrl: archive.url, archivedAt: archive.archivedAt })
      .where(and(eq(recordings.tenantId, tenantId), eq(recordings.id, id)))
      .returning({ id: recordings.id });
    return rows.length > 0;
  }

  /** `recording.ready` is queued for every plugin: the outbox marker is cleared. */
  async markAnnounced(tenantId: string, id: string): Promise<void> {
    await this.db
      .update(recordings)
      .set({ announcePending: false })
      .where(and(eq(recordings.tenantId, tenantId), eq(recordings.id, id)));
  }

  /**
   * Ready recordings whose `recording.ready` is not queued yet and that ended at or before
   * `endedBefore`, oldest first, across tenants (the system's redelivery sweep).
   */
  async pendingAnnouncements(endedBefore: Date, limit: number): Promise<RecordingRow[]> {
    return this.db
      .select()
      .from(recordings)
      .where(
        and(eq(recordings.announcePending, true), eq(recordings.status, 'ready'), lte(recordings.endedAt, endedBefore)),
      )
      .orderBy(asc(recordings.endedAt))
      .limit(limit);
  }
}
