import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../errors/registry.js';
import { startTestApp, type TestApp } from '../../test/support/test-app.js';
import { LOCK_FILE, lockDataDir } from './data-dir-lock.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

describe('data-directory lock (embedded PGlite)', () => {
  let dataDir: string;
  let first: TestApp;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sb-lock-'));
    first = await startTestApp({ db: 'data-dir', env: { DATA_DIR: dataDir } });
  });
  afterAll(async () => {
    await first?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a second instance on the same data directory stops, naming the directory and the holder’s pid', async () => {
    const err = await startTestApp({ db: 'data-dir', env: { DATA_DIR: dataDir } }).then(
      (t) => t.stop().then(() => new Error('the second instance started')),
      (e: unknown) => e,
    );
    expect(isAppError(err, 'data_dir_locked')).toBe(true);
    expect((err as Error).message).toContain(resolve(dataDir));
    expect((err as Error).message).toContain(`pid ${process.pid}`);
    // The first instance is unharmed.
    expect((await first.request('GET', '/readyz')).status).toBe(200);
  });

  it('`npm start`’s entry point prints that message and exits 1, with no stack trace', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'core/src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: '0',
        HOST: '127.0.0.1',
        SWITCHBOARD_CONFIG: join(dataDir, 'no-such-config.js'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(1);
    expect(out).toMatch(/cannot start: The data directory .* is in use by another Switchboard process/);
    expect(out).toContain(resolve(dataDir));
    expect(out).toContain(`pid ${process.pid}`);
    expect(out).not.toMatch(/^\s+at /m);
  }, 120_000);

  it('the lock is released on stop, so a restart on the directory works', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sb-lock-restart-'));
    try {
      const lock = await lockDataDir(dir);
      expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
      await lock.release();
      expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
      await (await lockDataDir(dir)).release();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a stale lock (its process is gone) is taken over; a live one is not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sb-lock-stale-'));
    try {
      // A pid that certainly ran and exited.
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
      const stale = { pid: Number(dead), host: hostname(), startedAt: '2020-01-01T00:00:00.000Z' };
      await writeFile(join(dir, LOCK_FILE), JSON.stringify(stale));
      const lock = await lockDataDir(dir);
      expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
      await lock.release();

      // The parent of this test process lives: its lock holds.
      const live = { pid: process.ppid, host: hostname(), startedAt: '2020-01-01T00:00:00.000Z' };
      await writeFile(join(dir, LOCK_FILE), JSON.stringify(live));
      await expect(lockDataDir(dir)).rejects.toMatchObject({
        code: 'data_dir_locked',
        message: expect.stringContaining(`pid ${process.ppid}`),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
