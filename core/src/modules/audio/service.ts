import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { ResolvedConfig } from '../../config/config.js';
import type { Db, DbTx } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import type { AuthKeys } from '../auth/secrets.js';
import { nodePrompts } from '../ivr/flow-model.js';
import type { AudioCatalog } from '../ivr/service.js';
import type { ByteRange, StoragePort } from '../recordings/storage.js';
import { AudioProbeError, inspectAudio } from './probe.js';
import { AudioFileRepo } from './repo.js';
import type { AudioFileRow, AudioFormat } from './schema.js';

/** Dependencies of {@link AudioLibrary} (from the container). */
export interface AudioLibraryDeps {
  db: Db;
  config: ResolvedConfig;
  logger: Logger;
  authKeys: AuthKeys;
  /** Where library files are kept (local disk under `<DATA_DIR>/audio` by default). */
  audioStorage: StoragePort;
}

/** An audio file as the API shows it. */
export interface AudioFileView {
  id: string;
  name: string;
  format: AudioFileRow['format'];
  contentType: string;
  sizeBytes: number;
  durationMs: number;
  sha256: string;
  /** The signed URL the file plays from (what jambonz fetches; a browser `<audio>` can use it too). */
  url: string;
  createdAt: string;
  updatedAt: string;
}

/** A flow that plays an audio file, as `audio_in_use` names it. */
export interface AudioUse {
  flowId: string;
  flowName: string;
  versions: number[];
  nodeIds: string[];
}

/** Postgres unique violation on the (tenant, name) index → 409 naming the field. */
function conflictOnDuplicateName(err: unknown): never {
  const e = err as { code?: string; cause?: { code?: string } };
  if ((e.code ?? e.cause?.code) === '23505') {
    throw createError('conflict', 'An audio file with this name already exists', { details: { field: 'name' } });
  }
  throw err;
}

/**
 * The tenant audio library (ADM-01): uploads are sniffed and measured (WAV/MP3 only, size and
 * duration limits), stored through the storage port, listed, renamed, and deleted unless a
 * runnable IVR flow version plays them. Files are served to the telephony provider, which
 * fetches without our auth, over URLs signed with an HMAC of the id ({@link AudioLibrary.playUrl}).
 *
 * It is also the IVR module's {@link AudioCatalog}: a flow naming an id that is not in the
 * tenant's library fails validation.
 */
export class AudioLibrary implements AudioCatalog {
  readonly repo: AudioFileRepo;
  private readonly logger: Logger;
  private baseUrl: () => string;
  /**
   * id → format of files this instance knows (warmed at start, kept by uploads, deletes and
   * catalog lookups), so {@link AudioLibrary.playUrl} can end the URL in `.wav` / `.mp3`
   * without a database read.
   */
  private readonly formats = new Map<string, AudioFormat>();

  constructor(private readonly deps: AudioLibraryDeps) {
    this.repo = new AudioFileRepo({ db: deps.db });
    this.logger = deps.logger.child({ component: 'audio-library' });
    const configured = deps.config.server.publicUrl;
    this.baseUrl = () => configured ?? '';
  }

  /**
   * Where the server is reachable from telephony. The app sets this once it knows (the
   * configured `PUBLIC_URL`, or the address it listens on).
   */
  usePublicUrl(get: () => string): void {
    this.baseUrl = get;
  }

  // ── signed media URLs ──

  /** The signature of an id: HMAC-SHA256 with the installation's media key, base64url. */
  signature(audioId: string): string {
    return createHmac('sha256', this.deps.authKeys.media).update(`audio-file:${audioId}`).digest('base64url');
  }

  /** True when `sig` is the signature of `audioId` (constant-time). */
  verify(audioId: string, sig: string | undefined): boolean {
    if (!sig) return false;
    const want = Buffer.from(this.signature(audioId));
    const got = Buffer.from(sig);
    return got.length === want.length && timingSafeEqual(got, want);
  }

  /** Loads the id → format index (start-up): play URLs then carry the file's extension. */
  async warm(): Promise<void> {
    for (const { id, format } of await this.repo.allFormats()) this.formats.set(id, format);
  }

  private lastRefresh = 0;
  /** An id missed the index (uploaded on another instance): reload it in the background, at most every 10 s. */
  private refreshSoon(): void {
    const now = Date.now();
    if (now - this.lastRefresh < 10_000) return;
    this.lastRefresh = now;
    this.warm().catch((err: unknown) => this.logger.warn({ err }, 'could not reload the audio format index'));
  }

  /**
   * The path of the signed media URL of an id, relative to the server: `…/<id>.<wav|mp3>?sig=…`.
   * The extension is what FreeSWITCH picks its file module by; the signature covers the id only.
   */
  playPath(audioId: string): string {
    const format = this.formats.get(audioId);
    if (!format) this.refreshSoon();
    const ext = format ? `.${format}` : '';
    return `/api/v1/media/audio/${encodeURIComponent(audioId)}${ext}?sig=${this.signature(audioId)}`;
  }

  /**
   * The absolute, stable URL jambonz `play`s for an audio-library id. Synchronous on purpose:
   * the call path resolves prompts without a database read (the id was checked when the flow
   * was saved, and a file cannot be deleted while a runnable flow version plays it). A file
   * this instance has never seen (uploaded on another instance since it started) gets a URL
   * without extension (and reloads the index in the background); the media route's Content-Type
   * then tells FreeSWITCH the format.
   */
  playUrl(audioId: string): string {
    const base = this.baseUrl().replace(/\/+$/, '');
    if (!base) throw new Error('The public URL is not known yet (set PUBLIC_URL or start listening first)');
    return base + this.playPath(audioId);
  }

  // ── catalog for IVR validation ──

  /** {@link AudioCatalog}: the ids of the tenant's library. */
  async knownIds(tenantId: string): Promise<ReadonlySet<string>> {
    const rows = await this.repo.ids(tenantId);
    // A flow is validated before it can run: this is where another instance's uploads are learnt.
    for (const { id, format } of rows) this.formats.set(id, format);
    return new Set(rows.map((r) => r.id));
  }

  /** {@link AudioCatalog.hold}: the ids still in the library, held until `tx` commits. */
  hold(tx: DbTx, tenantId: string, ids: string[]): Promise<ReadonlySet<string>> {
    return this.repo.holdIds(tx, tenantId, ids);
  }

  // ── library ──

  view(row: AudioFileRow): AudioFileView {
    this.formats.set(row.id, row.format);
    return {
      id: row.id,
      name: row.name,
      format: row.format,
      contentType: row.contentType,
      sizeBytes: row.sizeBytes,
      durationMs: row.durationMs,
      sha256: row.sha256,
      url: this.baseUrl() ? this.playUrl(row.id) : this.playPath(row.id),
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  async list(tenantId: string): Promise<AudioFileView[]> {
    return (await this.repo.list(tenantId)).map((r) => this.view(r));
  }

  /** One page of the library, filtered by name (ADM-01). */
  async page(
    tenantId: string,
    opts: { q?: string; sort: 'name' | 'createdAt'; order: 'asc' | 'desc'; page: number; pageSize: number },
  ): Promise<{ items: AudioFileView[]; total: number; page: number; pageSize: number }> {
    const { rows, total } = await this.repo.page(tenantId, opts);
    return { items: rows.map((r) => this.view(r)), total, page: opts.page, pageSize: opts.pageSize };
  }

  async get(tenantId: string, id: string): Promise<AudioFileView> {
    return this.view(await this.row(tenantId, id));
  }

  /**
   * Adds a file. `bytes` is the whole upload (already capped at `audio.maxBytes` by the route).
   * 415 `audio_unsupported_type` unless the bytes are WAV or MP3; 422 `audio_invalid` when they
   * are corrupt, 422 `audio_too_long` past `audio.maxDurationSeconds`, 409 `conflict` on a
   * name the tenant already uses.
   */
  async upload(tenantId: string, name: string, bytes: Buffer): Promise<AudioFileView> {
    const limits = this.deps.config.audio;
    if (bytes.length > limits.maxBytes) throw this.tooLarge();
    if (bytes.length === 0) throw createError('audio_invalid', 'The upload is empty');
    let info: Awaited<ReturnType<typeof inspectAudio>>;
    try {
      info = await inspectAudio(bytes);
    } catch (err) {
      if (err instanceof AudioProbeError) {
        throw createError(err.reason === 'unsupported' ? 'audio_unsupported_type' : 'audio_invalid', err.message);
      }
      throw err;
    }
    if (info.durationMs > limits.maxDurationSeconds * 1000) {
      throw createError(
        'audio_too_long',
        `The audio lasts ${(info.durationMs / 1000).toFixed(1)} s; at most ${limits.maxDurationSeconds} s are accepted`,
        { details: { durationMs: info.durationMs, maxDurationSeconds: limits.maxDurationSeconds } },
      );
    }
    if (await this.repo.findByName(tenantId, name)) {
      throw createError('conflict', 'An audio file with this name already exists', { details: { field: 'name' } });
    }
    const id = randomUUID();
    const storageKey = `${tenantId}/${id}.${info.format}`;
    // Bytes first, then the row: a row always has its file. A failed insert removes the file.
    await this.deps.audioStorage.put(storageKey, { stream: [bytes] }, { contentType: info.contentType });
    try {
      const row = await this.repo
        .create(tenantId, {
          id,
          name,
          format: info.format,
          contentType: info.contentType,
          sizeBytes: bytes.length,
          durationMs: info.durationMs,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          storageKey,
        })
        .catch(conflictOnDuplicateName);
      this.formats.set(id, info.format);
      this.logger.info(
        { tenantId, audioId: id, format: info.format, sizeBytes: bytes.length, durationMs: info.durationMs },
        'audio file uploaded',
      );
      return this.view(row);
    } catch (err) {
      // On the upload's request path: its own error answers the request; a file left behind is logged.
      await this.deps.audioStorage
        .delete(storageKey)
        .catch((e: unknown) =>
          this.logger.warn({ err: e, tenantId, storageKey }, 'could not delete an unsaved upload'),
        );
      throw err;
    }
  }

  async rename(tenantId: string, id: string, name: string): Promise<AudioFileView> {
    await this.row(tenantId, id);
    const row = await this.repo.rename(tenantId, id, name).catch(conflictOnDuplicateName);
    if (!row) throw createError('not_found', 'No audio file with that id');
    return this.view(row);
  }

  /** The runnable flows (published versions, versions live calls are on) that play a file. */
  async uses(tenantId: string, audioId: string, db: Db | DbTx = this.deps.db): Promise<AudioUse[]> {
    const byFlow = new Map<string, AudioUse>();
    for (const v of await this.repo.runnableVersions(tenantId, db)) {
      const nodeIds = v.graph.nodes
        .filter((n) => nodePrompts(n).some(({ prompt }) => prompt.kind === 'audio' && prompt.audioId === audioId))
        .map((n) => n.id);
      if (!nodeIds.length) continue;
      const use = byFlow.get(v.flowId) ?? { flowId: v.flowId, flowName: v.flowName, versions: [], nodeIds: [] };
      use.versions.push(v.version);
      for (const id of nodeIds) if (!use.nodeIds.includes(id)) use.nodeIds.push(id);
      byFlow.set(v.flowId, use);
    }
    return [...byFlow.values()];
  }

  /**
   * Deletes a file unless a runnable flow version plays it: 409 `audio_in_use` naming the flows
   * (`details.flows`). Drafts may still name it; publishing such a draft is refused later.
   */
  async remove(tenantId: string, id: string): Promise<void> {
    // One transaction, the row locked first: a flow being published with this file holds it
    // `for share` until it commits (IvrRepo), so the usage check below sees that flow, or the
    // publish waits and then finds the file gone (`flow_invalid`).
    const row = await this.deps.db.transaction(async (tx) => {
      if (!(await this.repo.lockForDelete(tx, tenantId, id)))
        throw createError('not_found', 'No audio file with that id');
      const flows = await this.uses(tenantId, id, tx);
      if (flows.length) {
        const names = flows.map((f) => `"${f.flowName}" (version ${f.versions.join(', ')})`).join(', ');
        throw createError('audio_in_use', `IVR flows play this audio file: ${names}. Change those flows first`, {
          details: { flows },
        });
      }
      return this.repo.remove(tenantId, id, tx);
    });
    if (!row) throw createError('not_found', 'No audio file with that id');
    this.formats.delete(id);
    // The row is gone, so nothing can reach the file any more; a failure here only leaves garbage.
    await this.deps.audioStorage
      .delete(row.storageKey)
      .catch((err: unknown) => this.logger.warn({ err, audioId: id }, 'could not delete the audio file bytes'));
    this.logger.info({ tenantId, audioId: id }, 'audio file deleted');
  }

  // ── serving ──

  /** A file for the signed media route (no tenant: the signature authorises), with its size. */
  async media(id: string): Promise<{ row: AudioFileRow; size: number } | undefined> {
    const row = await this.repo.findForMedia(id);
    if (!row) return undefined;
    const stat = await this.deps.audioStorage.stat(row.storageKey);
    if (!stat) {
      this.logger.error({ audioId: id, storageKey: row.storageKey }, 'audio file bytes are missing');
      return undefined;
    }
    return { row, size: stat.size };
  }

  read(row: AudioFileRow, range?: ByteRange): Promise<Readable> {
    return this.deps.audioStorage.read(row.storageKey, range);
  }

  tooLarge() {
    return createError('audio_too_large', `Audio files may be at most ${this.deps.config.audio.maxBytes} bytes`, {
      details: { maxBytes: this.deps.config.audio.maxBytes },
    });
  }

  private async row(tenantId: string, id: string): Promise<AudioFileRow> {
    const row = await this.repo.findById(tenantId, id);
    if (!row) throw createError('not_found', 'No audio file with that id');
    return row;
  }
}
