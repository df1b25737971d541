import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { RecordingRepo } from './repo.js';

/** What an archive plugin reports about its copy of a recording (REC-09). */
export const archiveReportSchema = z
  .object({
    /** Key of the copy in the tenant's object store (`recordings/2026/12/<id>.mp3`). */
    objectKey: z.string().min(1).max(1024),
    /** Where the copy can be fetched: a (presigned) http(s) URL, the reference product's `CustomRecordURL`. */
    url: z.url({ protocol: /^https?$/ }).max(8192),
  })
  .strict();

/** What {@link RecordingArchivePort.markArchived} takes. */
export type ArchiveReport = z.input<typeof archiveReportSchema>;

/**
 * Makes a fresh link to an archived copy (an archive plugin presigns it with the tenant's
 * credentials): stored links expire, and the local file may be gone.
 */
export type ArchivedCopyLink = (tenantId: string, objectKey: string) => Promise<string>;

/**
 * The one write a plugin may make to a recording: where an archive plugin (e.g.
 * `@switchboard/cos-archive`) copied it. Plugins cannot reach the database, so core offers this
 * narrow port as the `recordingArchive` core service; it stores the object key and URL on the
 * recording, which the recordings API returns as `objectKey` / `archivedUrl`.
 */
export interface RecordingArchivePort {
  /**
   * Stores where `recordingId` of `tenantId` was archived (a repeat overwrites). Rejects when the
   * tenant has no such recording or the report is malformed, so a durable hook is retried.
   */
  markArchived(tenantId: string, recordingId: string, report: ArchiveReport): Promise<void>;
  /**
   * Registers how playback reaches an archived copy once the local file is gone (one archive
   * plugin per installation; a second registration replaces the first).
   */
  serveArchivedFrom(link: ArchivedCopyLink): void;
}

/** {@link RecordingArchivePort} on the recordings table, scoped by tenant. */
export class RecordingArchive implements RecordingArchivePort {
  private readonly repo: RecordingRepo;
  private readonly clock: Clock;
  private link: ArchivedCopyLink | undefined;

  constructor({ db, clock }: { db: Db; clock: Clock }) {
    this.repo = new RecordingRepo({ db });
    this.clock = clock;
  }

  serveArchivedFrom(link: ArchivedCopyLink): void {
    this.link = link;
  }

  /**
   * Where playback fetches an archived copy: a fresh link from the archive plugin, else the link
   * stored when it was archived (it may have expired). Null when the recording was never archived.
   */
  async archivedCopyUrl(row: { tenantId: string; archiveObjectKey: string | null; archivedUrl: string | null }) {
    if (!row.archiveObjectKey) return null;
    // A plugin that cannot make a link now (turned off for the tenant, settings gone) leaves the
    // stored one, which may still be valid.
    const fresh = this.link ? await this.link(row.tenantId, row.archiveObjectKey).catch(() => null) : null;
    return fresh ?? row.archivedUrl;
  }

  async markArchived(tenantId: string, recordingId: string, report: ArchiveReport): Promise<void> {
    const { objectKey, url } = archiveReportSchema.parse(report);
    if (!z.uuid().safeParse(tenantId).success || !z.uuid().safeParse(recordingId).success) {
      throw new Error(`recording ${recordingId} of tenant ${tenantId} not found`);
    }
    const found = await this.repo.markArchived(tenantId, recordingId, {
      objectKey,
      url,
      archivedAt: this.clock.now(),
    });
    if (!found) throw new Error(`recording ${recordingId} of tenant ${tenantId} not found`);
  }
}
