import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** What {@link StoragePort.put} stores: a file on this machine, or a stream of bytes. */
export type StorageSource = { path: string } | { stream: Readable | AsyncIterable<Uint8Array> | Iterable<Uint8Array> };

/** An inclusive byte range, as in HTTP `Range: bytes=start-end`. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where recordings live. Local disk by default ({@link LocalDiskStorage}); a plugin may provide
 * object storage (COS) instead. Keys are `/`-separated relative paths of plain segments
 * (`[A-Za-z0-9._-]`, no `.` or `..`).
 */
export interface StoragePort {
  /** Stores an object atomically: readers see the old object or the whole new one. */
  put(key: string, source: StorageSource, meta?: { contentType?: string }): Promise<{ size: number }>;
  /** Size of an object, or null when there is none. */
  stat(key: string): Promise<{ size: number } | null>;
  /** Reads an object, or the inclusive byte `range` of it. Rejects when it does not exist. */
  read(key: string, range?: ByteRange): Promise<Readable>;
  /** Deletes an object; a missing one is not an error. */
  delete(key: string): Promise<void>;
}

const SEGMENT = /^[A-Za-z0-9._-]+$/;

/** Throws unless `key` is a safe relative key (no `..`, no absolute paths, no odd characters). */
export function assertStorageKey(key: string): string[] {
  const segments = key.split('/');
  const bad =
    key.length === 0 ||
    key.length > 512 ||
    key.includes('..') ||
    segments.some((s) => s === '' || s === '.' || !SEGMENT.test(s));
  if (bad) throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
  return segments;
}

/** The key of a recording: `<tenantId>/<yyyy>/<mm>/<dd>/<recordingId>.mp3` (UTC date). */
export function recordingStorageKey(tenantId: string, recordingId: string, at: Date): string {
  const yyyy = String(at.getUTCFullYear());
  const mm = String(at.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(at.getUTCDate()).padStart(2, '0');
  return `${tenantId}/${yyyy}/${mm}/${dd}/${recordingId}.mp3`;
}

/**
 * {@link StoragePort} on the local file system, under `<DATA_DIR>/recordings/`. Writes go to a
 * temporary file beside the target, are flushed to disk, then renamed into place.
 */
export class LocalDiskStorage implements StoragePort {
  readonly root: string;

  /** `folder`: the directory under the data dir (the audio library keeps its files in `audio`). */
  constructor({ config }: { config: { database: { dataDir: string } } }, folder = 'recordings') {
    this.root = resolve(config.database.dataDir, folder);
  }

  /** Absolute path of a key; refuses keys that would leave the root. */
  pathOf(key: string): string {
    const path = join(this.root, ...assertStorageKey(key));
    if (!path.startsWith(this.root + sep)) throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
    return path;
  }

  async put(key: string, source: StorageSource): Promise<{ size: number }> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${randomUUID()}.tmp`;
    try {
      if ('path' in source) await copyFile(source.path, temp);
      else await pipeline(source.stream, createWriteStream(temp, { flags: 'wx' }));
      const fh = await open(temp, 'r+');
      try {
        await fh.datasync();
      } finally {
        await fh.close();
      }
      await rename(temp, path);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    return { size: (await stat(path)).size };
  }

  async stat(key: string): Promise<{ size: number } | null> {
    try {
      const s = await stat(this.pathOf(key));
      return s.isFile() ? { size: s.size } : null;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const path = this.pathOf(key);
    // Open first so a missing object rejects here rather than as a stream error mid-response.
    const fh = await open(path, 'r');
    return fh.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}
