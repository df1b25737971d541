import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { servePglite } from './pglite-server.js';
import { sql } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { Logger } from 'pino';
import * as schema from './schema.js';

/** The typed Drizzle handle used by every repository. */
export type Db = NodePgDatabase<typeof schema>;

/** Where migrations live: `core/drizzle`, from both `src/db` and `dist/db`. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** An open database: a `pg` pool plus, in embedded mode, the PGlite instance behind it. */
export interface Database {
  db: Db;
  pool: pg.Pool;
  /** Connection string the pool uses (pg-boss and LISTEN clients open their own). */
  url: string;
  /** `embedded` = PGlite served on a local socket; `server` = a real PostgreSQL. */
  mode: 'embedded' | 'server';
  close(): Promise<void>;
}

/**
 * Serves a PGlite instance on a loopback port so that the whole app — Drizzle, pg-boss,
 * health checks — talks the ordinary `pg` wire protocol in both modes. One code path to test.
 */
export async function serveEmbedded(
  pglite: PGlite,
  opts: { port?: number; idleInTransactionMs?: number } = {},
): Promise<{ url: string; stop(): Promise<void> }> {
  return servePglite(pglite, opts);
}

/** Time limits of the pool, in ms (0 = not set). See {@link poolTimeouts}. */
export interface DatabaseTimeouts {
  connectMs: number;
  statementMs: number;
  lockMs: number;
  idleInTransactionMs: number;
}

/** The defaults of `database.timeouts` (config.ts holds the same numbers for the environment). */
export const DEFAULT_TIMEOUTS: DatabaseTimeouts = {
  connectMs: 10_000,
  statementMs: 30_000,
  lockMs: 10_000,
  idleInTransactionMs: 60_000,
};

/**
 * The `pg` pool options for the time limits. On a server they are sent in the start-up packet,
 * so every pooled session has them from its first statement (no `SET` to forget after a
 * reconnect). In embedded mode only the connection timeout is set here: PGlite is one WASM
 * backend running on this process's own thread, so no timer can interrupt a statement (it
 * accepts the settings and never enforces them), and the socket server hands the backend to one
 * transaction at a time, so there is no lock to wait for; the idle-in-transaction limit is
 * enforced by that socket server instead (`servePglite`).
 */
export function poolTimeouts(t: DatabaseTimeouts, mode: 'embedded' | 'server'): pg.PoolConfig {
  return {
    connectionTimeoutMillis: t.connectMs,
    ...(mode === 'server'
      ? {
          statement_timeout: t.statementMs,
          lock_timeout: t.lockMs,
          idle_in_transaction_session_timeout: t.idleInTransactionMs,
        }
      : {}),
  };
}

/**
 * Opens the database named by the configuration. With `url` unset, PGlite keeps its files
 * under `<dataDir>/pg`, so data survives restarts with no setup.
 */
export async function openDatabase(
  opts: { url?: string | undefined; dataDir: string; poolSize: number; pglite?: PGlite; timeouts?: DatabaseTimeouts },
  logger: Logger,
): Promise<Database> {
  let url = opts.url;
  let embedded: { pglite: PGlite; stop(): Promise<void>; owned: boolean; lock?: DataDirLock } | undefined;
  if (!url) {
    let pglite = opts.pglite;
    const owned = !pglite;
    let lock: DataDirLock | undefined;
    if (!pglite) {
      const dataDir = resolve(opts.dataDir);
      const dir = resolve(dataDir, 'pg');
      await mkdir(dir, { recursive: true });
      // Before PGlite touches the files: a second process stops here with a clear message.
      lock = await lockDataDir(dataDir);
      logger.info({ dir }, 'starting embedded PostgreSQL (PGlite)');
      try {
        pglite = await PGlite.create({ dataDir: dir });
      } catch (err) {
        await lock.release();
        throw err;
      }
    }
    let served: Awaited<ReturnType<typeof serveEmbedded>>;
    try {
      // The one limit PGlite gets, enforced by the socket server (see servePglite).
      served = await serveEmbedded(pglite, {
        idleInTransactionMs: (opts.timeouts ?? DEFAULT_TIMEOUTS).idleInTransactionMs,
      });
    } catch (err) {
      if (owned) await pglite.close();
      await lock?.release();
      throw err;
    }
    url = served.url;
    embedded = { pglite, stop: served.stop, owned, ...(lock ? { lock } : {}) };
  }
  // PGlite runs one statement at a time; a big pool would only queue on the socket server.
  const pool = new pg.Pool({
    connectionString: url,
    max: embedded ? Math.min(opts.poolSize, 8) : opts.poolSize,
    ...poolTimeouts(opts.timeouts ?? DEFAULT_TIMEOUTS, embedded ? 'embedded' : 'server'),
  });
  pool.on('error', (err) => logger.warn({ err }, 'idle database client error'));
  const db = drizzle(pool, { schema, casing: 'snake_case' });
  return {
    db,
    pool,
    url,
    mode: embedded ? 'embedded' : 'server',
    async close() {
      await pool.end();
      if (embedded) {
        await embedded.stop();
        if (embedded.owned) await embedded.pglite.close();
        await embedded.lock?.release();
      }
    },
  };
}

/** Applies pending migrations (idempotent; safe with several instances starting at once). */
export async function runMigrations(database: Database): Promise<void> {
  // An advisory lock so two instances starting together do not race on the same DDL.
  const client = await database.pool.connect();
  try {
    // No time limits here: this waits for another instance's migration, and DDL on a big table
    // may rightly run longer than any request's statement. RESET below restores the pool's own.
    await client.query('set statement_timeout = 0; set lock_timeout = 0');
    await client.query('select pg_advisory_lock(727274)');
    await migrate(drizzle(client, { casing: 'snake_case' }), { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    // Silent on purpose: the migration's own error (if any) is what matters; an unlock that fails
    // means the connection is gone, and with it the session's advisory lock.
    await client.query('select pg_advisory_unlock(727274)').catch(() => undefined);
    // Back to the start-up values, or the connection is dropped rather than pooled without limits.
    const reset = await client.query('reset statement_timeout; reset lock_timeout').then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    client.release(reset);
  }
}

/** Number of migrations in the journal shipped with this build. */
export async function expectedMigrationCount(): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const journal = JSON.parse(await readFile(resolve(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8')) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

/** Readiness: reachable, and every shipped migration applied. */
export async function checkReady(database: Database, expected: number): Promise<{ ok: boolean; reason?: string }> {
  try {
    const res = await database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    const applied = res.rows[0]?.n ?? 0;
    if (applied < expected) return { ok: false, reason: `migrations pending: ${applied}/${expected} applied` };
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: `database unreachable: ${(err as Error).message}` };
  }
}

/** A transaction handle, or the database itself: repository helpers accept either. */
export type DbTx = Db | Parameters<Parameters<Db['transaction']>[0]>[0];
