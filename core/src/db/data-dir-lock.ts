import { readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createError } from '../errors/registry.js';

/** Name of the lock file inside the data directory. */
export const LOCK_FILE = 'switchboard.lock';

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
}

/** Whether a process with this id runs on this machine (EPERM: it does, under another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLock(path: string): Promise<LockInfo | undefined> {
  try {
    const info = JSON.parse(await readFile(path, 'utf8')) as Partial<LockInfo>;
    return typeof info.pid === 'number' ? (info as LockInfo) : undefined;
  } catch {
    // Unreadable or half-written (a crash mid-write): treated as stale below.
    return undefined;
  }
}

/** A held data-directory lock. */
export interface DataDirLock {
  path: string;
  release(): Promise<void>;
}

/**
 * Takes `<dir>/switchboard.lock` for this process. Embedded PGlite is one process's database: a
 * second process opening the same files would corrupt them or die with a raw stack trace, so
 * the second `npm start` stops instead with a message naming the directory and the holder's
 * pid. A lock left by a dead process (same host, pid gone) is taken over.
 */
export async function lockDataDir(dir: string): Promise<DataDirLock> {
  const path = join(dir, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  const text = JSON.stringify(mine);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(path, text, { flag: 'wx' }); // atomic create-if-absent
      return {
        path,
        async release() {
          // Only our own lock: a taken-over file belongs to someone else now.
          // A missing file (removed by hand) is already released: nothing to report.
          if ((await readFile(path, 'utf8').catch(() => '')) === text) await unlink(path).catch(() => undefined);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await readLock(path);
    const stale = !holder || (holder.host === mine.host && holder.pid !== process.pid && !alive(holder.pid));
    if (!stale) {
      throw createError(
        'data_dir_locked',
        `The data directory ${dir} is in use by another Switchboard process (pid ${holder.pid}` +
          `${holder.host !== mine.host ? ` on ${holder.host}` : ''}, started ${holder.startedAt}). ` +
          `Stop that process first, or give this one its own DATA_DIR. ` +
          `If no such process runs, delete ${path}.`,
        { details: { dataDir: dir, pid: holder.pid, host: holder.host } },
      );
    }
    // Stale: remove it unless someone else replaced it meanwhile, then try again.
    const again = await readFile(path, 'utf8').catch(() => undefined);
    // ENOENT: another starter removed it first; the next round's create decides who wins.
    if (again !== undefined && (await readLock(path))?.pid === holder?.pid) await unlink(path).catch(() => undefined);
  }
  throw createError('data_dir_locked', `Could not take the lock ${path}; another process keeps replacing it`);
}
