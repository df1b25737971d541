import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { BackgroundSteps } from '../../background.js';
import type { ResolvedConfig } from '../../config/config.js';
import type { Db } from '../../db/database.js';
import type { Metrics } from '../../metrics.js';
import type { PluginHost } from '../../plugins/host.js';
import type { RecordingReadyPayload } from '../../plugins/types.js';
import type { EventBus } from '../../realtime/bus.js';
import type { AuthKeys } from '../auth/secrets.js';
import type { PushService } from '../push/service.js';
import type { RecordingSink, RecordingWriter } from '../../telephony/types.js';
import { Mp3StreamEncoder } from './mp3-encoder.js';
import { signPlayback } from './playback-link.js';
import { RecordingRepo } from './repo.js';
import type { RecordingKind, RecordingRow } from './schema.js';
import { recordingStorageKey, type StoragePort } from './storage.js';

/**
 * Encoded MP3 waiting for the disk, per recording, beyond which the recording is failed rather
 * than buffered further (at 32 kbit/s this is minutes of audio: only a stalled disk gets here).
 */
const MAX_PENDING_BYTES = 8 * 1024 * 1024;

/** Dependencies of {@link RecordingService} (from the container). */
export interface RecordingServiceDeps {
  db: Db;
  config: ResolvedConfig;
  logger: Logger;
  background: BackgroundSteps;
  pluginHost: PluginHost;
  bus: EventBus;
  recordingStorage: StoragePort;
  metrics: Metrics;
  /** Push subscriptions: a ready recording goes to them with a signed link (REC-08). */
  pushService: PushService;
  authKeys: AuthKeys;
}

/** How long the audio link in a pushed recording works: a day, for a receiver that fetches late. */
export const PUSH_RECORDING_LINK_TTL_SECONDS = 24 * 60 * 60;

/** A recording this recently ended is still being announced by its writer: the sweep leaves it. */
const REDELIVERY_GRACE_MS = 5_000;
/** Recordings re-queued per sweep, so one sweep after a long outage stays short. */
const REDELIVERY_BATCH = 100;

/**
 * Call recordings (REC-04): receives PCM from the telephony adapter's audio fork, encodes it
 * to MP3 as it arrives (into a temporary file, never the whole call in memory), and on
 * {@link RecordingWriter.finish} stores it through the storage port, marks it ready and
 * announces it — the durable `recording.ready` plugin hook, and a realtime event to the
 * tenant's supervisors and admins.
 */
export class RecordingService implements RecordingSink {
  readonly repo: RecordingRepo;
  private readonly logger: Logger;
  private readonly tempDir: string;
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<number> | undefined;

  constructor(private readonly deps: RecordingServiceDeps) {
    this.repo = new RecordingRepo({ db: deps.db });
    this.logger = deps.logger.child({ component: 'recordings' });
    this.tempDir = join(deps.config.database.dataDir, 'tmp', 'recordings');
  }

  /** Starts a recording: its row exists (status `recording`) once this resolves. */
  async start(req: {
    tenantId: string;
    sessionId: string;
    sampleRate: number;
    channels: 1 | 2;
    kind?: RecordingKind;
  }): Promise<RecordingWriter> {
    const encoder = new Mp3StreamEncoder({ sampleRate: req.sampleRate, channels: req.channels });
    await mkdir(this.tempDir, { recursive: true });
    const id = randomUUID();
    const startedAt = new Date();
    const row = await this.repo.create(req.tenantId, {
      id,
      sessionId: req.sessionId,
      storageKey: recordingStorageKey(req.tenantId, id, startedAt),
      sampleRate: req.sampleRate,
      channels: req.channels,
      startedAt,
      kind: req.kind ?? 'call',
    });
    this.logger.info({ recordingId: id, sessionId: req.sessionId, tenantId: req.tenantId }, 'recording started');
    return new EncodingWriter(row, encoder, join(this.tempDir, `${id}.mp3.part`), this);
  }

  /** A recording of the tenant, or undefined. */
  findById(tenantId: string, id: string): Promise<RecordingRow | undefined> {
    return this.repo.findById(tenantId, id);
  }

  /** The recordings of one session, oldest first. */
  listBySession(tenantId: string, sessionId: string): Promise<RecordingRow[]> {
    return this.repo.listBySession(tenantId, sessionId);
  }

  /** @internal Stores a finished recording and announces it. */
  async store(row: RecordingRow, encoder: Mp3StreamEncoder, tempPath: string | undefined): Promise<void> {
    const endedAt = new Date();
    if (encoder.samplesPerChannel === 0 || !tempPath) {
      await this.fail(row, 'no audio');
      return;
    }
    const info = encoder.infoFrame();
    const source = Readable.from(
      (async function* () {
        if (info) yield info;
        yield* createReadStream(tempPath);
      })(),
    );
    const { size } = await this.deps.recordingStorage.put(
      row.storageKey,
      { stream: source },
      {
        contentType: row.contentType,
      },
    );
    const ready = await this.repo.complete(row.tenantId, row.id, {
      status: 'ready',
      durationMs: encoder.durationMs,
      sizeBytes: size,
      endedAt,
    });
    if (!ready) {
      // Someone else settled it (cannot happen through one writer); keep what they decided.
      this.logger.warn({ recordingId: row.id }, 'recording was no longer in progress when stored');
      return;
    }
    this.logger.info(
      { recordingId: row.id, sessionId: row.sessionId, durationMs: ready.durationMs, sizeBytes: size },
      'recording ready',
    );
    await this.announce(ready);
  }

  /** @internal The owner of steps nobody awaits (a recording's end runs after its socket closed). */
  get background(): BackgroundSteps {
    return this.deps.background;
  }

  /** @internal Marks a recording failed. */
  async fail(row: RecordingRow, reason: string): Promise<void> {
    await this.repo.complete(row.tenantId, row.id, {
      status: 'failed',
      error: reason.slice(0, 500),
      endedAt: new Date(),
    });
    this.logger.warn({ recordingId: row.id, sessionId: row.sessionId, reason }, 'recording failed');
  }

  /**
   * Queues `recording.ready` again for ready recordings whose first queueing failed (the job
   * queue or database was down, or the process stopped in between). De-duplicated per plugin
   * by the event's idempotency key, so a recording already queued is not run twice.
   *
   * @param graceMs recordings that ended more recently are left to their writer, which is
   *   queueing them right now (a duplicate would be dropped by the dedupe anyway).
   * @returns how many recordings were queued.
   */
  redeliverPending(graceMs = REDELIVERY_GRACE_MS): Promise<number> {
    // One sweep at a time per instance; another instance doing the same is harmless (dedupe).
    this.sweeping ??= this.sweep(graceMs).finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  /** Runs {@link redeliverPending} now (recovery after a restart) and then every `intervalMs`. */
  startRedelivery(intervalMs: number): void {
    if (this.sweepTimer) return;
    const run = (): void => {
      this.redeliverPending().catch((err: unknown) =>
        this.logger.error({ err }, 'recording.ready redelivery sweep failed; next sweep retries'),
      );
    };
    run();
    this.sweepTimer = setInterval(run, intervalMs);
    this.sweepTimer.unref();
  }

  /** Stops the sweep and waits for a running one. */
  async stopRedelivery(): Promise<void> {
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    await this.sweeping?.catch(() => undefined); // already logged by startRedelivery's run()
  }

  private async sweep(graceMs: number): Promise<number> {
    const due = await this.repo.pendingAnnouncements(new Date(Date.now() - graceMs), REDELIVERY_BATCH);
    let queued = 0;
    for (const row of due) if (await this.queueReady(row)) queued += 1;
    if (due.length) this.logger.info({ due: due.length, queued }, 'recording.ready redelivery sweep');
    return queued;
  }

  /**
   * Puts `recording.ready` on the job queue (one durable job per plugin) and clears the
   * recording's outbox marker. On failure the marker stays, so the sweep queues it later.
   */
  private async queueReady(row: RecordingRow): Promise<boolean> {
    try {
      await this.deps.pluginHost.emit('recording.ready', readyPayload(row));
      await this.repo.markAnnounced(row.tenantId, row.id);
      return true;
    } catch (err) {
      this.deps.metrics.recordingReadyQueueFailures.inc();
      this.logger.error(
        { err, recordingId: row.id, sessionId: row.sessionId, tenantId: row.tenantId },
        'could not queue recording.ready for plugins; it stays pending and is retried',
      );
      return false;
    }
  }

  private async announce(row: RecordingRow): Promise<void> {
    // Durable first: plugins' jobs are queued (or the row stays marked for the sweep) before
    // anyone is told the recording exists.
    await this.queueReady(row);
    const payload = readyPayload(row);
    const event = { recordingId: row.id, sessionId: row.sessionId, durationMs: payload.durationMs };
    const staff = (['supervisor', 'admin'] as const).map((role) => ({
      tenantId: row.tenantId,
      kind: 'role' as const,
      role,
    }));
    await this.deps.bus
      .publish(staff, 'recording.ready', event)
      .catch((err: unknown) => this.logger.warn({ err, recordingId: row.id }, 'could not publish recording.ready'));
    if (row.kind === 'call') await this.push(row);
  }

  /**
   * REC-08: the recording to the tenant's push subscriptions, with a signed link to its audio
   * that works for {@link PUSH_RECORDING_LINK_TTL_SECONDS} without our auth.
   */
  private async push(row: RecordingRow): Promise<void> {
    const exp = Math.floor(Date.now() / 1000) + PUSH_RECORDING_LINK_TTL_SECONDS;
    const q = new URLSearchParams({
      t: row.tenantId,
      exp: String(exp),
      sig: signPlayback(this.deps.authKeys.media, { tenantId: row.tenantId, recordingId: row.id, exp }),
    });
    await this.deps.pushService.publish(row.tenantId, {
      type: 'recording.ready',
      key: row.id,
      sessionId: row.sessionId,
      occurredAt: row.endedAt ?? new Date(),
      data: {
        recordingId: row.id,
        sessionId: row.sessionId,
        contentType: row.contentType,
        durationMs: row.durationMs,
        sizeBytes: row.sizeBytes,
        startedAt: row.startedAt.toISOString(),
        endedAt: row.endedAt?.toISOString() ?? null,
        audioUrl: `${this.deps.pushService.baseUrl}/api/v1/recordings/${row.id}/media?${q.toString()}`,
        audioUrlExpiresAt: new Date(exp * 1000).toISOString(),
      },
    });
  }
}

function readyPayload(row: RecordingRow): RecordingReadyPayload {
  return {
    tenantId: row.tenantId,
    occurredAt: (row.endedAt ?? new Date()).toISOString(),
    idempotencyKey: `recording:${row.id}`,
    recordingId: row.id,
    sessionId: row.sessionId,
    storageKey: row.storageKey,
    contentType: row.contentType,
    durationMs: row.durationMs ?? 0,
    sizeBytes: row.sizeBytes ?? 0,
  };
}

/** One recording in progress: PCM in, MP3 appended to a temporary file. */
class EncodingWriter implements RecordingWriter {
  readonly recordingId: string;
  private out: WriteStream | undefined;
  private failure: Error | undefined;
  private settled: Promise<void> | undefined;

  constructor(
    private readonly row: RecordingRow,
    private readonly encoder: Mp3StreamEncoder,
    private readonly tempPath: string,
    private readonly service: RecordingService,
  ) {
    this.recordingId = row.id;
  }

  write(pcm: Buffer): void {
    if (this.settled || this.failure) return;
    this.append(this.encoder.encode(pcm));
  }

  finish(): Promise<void> {
    this.settled ??= this.complete();
    return this.settled;
  }

  abort(reason: string): Promise<void> {
    this.settled ??= this.discard(reason);
    return this.settled;
  }

  private append(mp3: Buffer): void {
    if (mp3.length === 0) return;
    if (!this.out) {
      this.out = createWriteStream(this.tempPath);
      this.out.on('error', (err) => {
        this.failure ??= err;
      });
    }
    if (this.out.writableLength > MAX_PENDING_BYTES) {
      this.failure ??= new Error('the disk is not keeping up with the recording');
      return;
    }
    this.out.write(mp3);
  }

  /** Ends (or, when aborting, destroys) the temporary file's stream and waits until it is closed. */
  private async closeOut(destroy = false): Promise<void> {
    const out = this.out;
    if (!out || out.closed) return;
    await new Promise<void>((resolve) => {
      out.once('close', resolve);
      if (destroy) out.destroy();
      else out.end();
    });
  }

  private async complete(): Promise<void> {
    try {
      this.append(this.encoder.flush());
      await this.closeOut();
      if (this.failure) throw this.failure;
      await this.service.store(this.row, this.encoder, this.out ? this.tempPath : undefined);
    } catch (err) {
      await this.service.fail(this.row, (err as Error).message).catch(
        this.service.background.failed('recording.markFailed', {
          tenantId: this.row.tenantId,
          sessionId: this.row.sessionId,
          recordingId: this.row.id,
        }),
      );
      throw err;
    } finally {
      await rm(this.tempPath, { force: true });
    }
  }

  private async discard(reason: string): Promise<void> {
    await this.closeOut(true);
    try {
      await this.service.fail(this.row, reason);
    } finally {
      await rm(this.tempPath, { force: true });
    }
  }
}
