import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createServerDatabase, DB_KINDS, type DbKind } from '../../test/support/test-database.js';
import { startTestApp, type TestApp } from '../../test/support/test-app.js';
import { expectedMigrationCount } from './database.js';

/**
 * Both storage modes, from an empty database: embedded PGlite in a data directory, and a real
 * PostgreSQL server (when TEST_DATABASE_URL is set, as in CI).
 */
/**
 * An embedded database here starts from an empty data directory (no prepared template), so its
 * migrations run in full in the WASM backend: well over a minute on a busy machine.
 */
const SLOW_START_MS = 240_000;

describe.each(DB_KINDS)('storage on %s', (kind: DbKind) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  /** Starts the app on the same storage each time (a data dir, or a server database). */
  async function storage(): Promise<() => Promise<TestApp>> {
    if (kind === 'pglite') {
      const dir = await mkdtemp(join(tmpdir(), 'sb-data-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      return () => startTestApp({ db: 'data-dir', env: { DATA_DIR: dir } });
    }
    const db = await createServerDatabase();
    cleanups.push(db.drop);
    return () => startTestApp({ db: { url: db.url } });
  }

  it(
    'migrates an empty database and reports ready',
    async () => {
      const start = await storage();
      const t = await start();
      try {
        expect(t.app.database.mode).toBe(kind === 'pglite' ? 'embedded' : 'server');
        const ready = await t.request('GET', '/readyz');
        expect(ready.status).toBe(200);
        const applied = await t.app.database.pool.query('select count(*)::int as n from drizzle.__drizzle_migrations');
        expect(applied.rows[0].n).toBe(await expectedMigrationCount());
        const tables = await t.app.database.pool.query(
          `select table_name from information_schema.tables where table_schema = 'public' order by 1`,
        );
        expect(tables.rows.map((r) => r.table_name)).toEqual(
          expect.arrayContaining(['tenants', 'users', 'refresh_tokens', 'sms_codes', 'api_keys', 'rate_limits']),
        );
        // pg-boss keeps its own schema on the same database.
        const boss = await t.app.database.pool.query(
          `select 1 from information_schema.schemata where schema_name = 'pgboss'`,
        );
        expect(boss.rowCount).toBe(1);
      } finally {
        await t.stop();
      }
    },
    SLOW_START_MS,
  );

  it(
    'keeps data across a restart and applies no migration twice',
    async () => {
      const start = await storage();
      const first = await start();
      const { users } = await first.seedTenant({ slug: `restart-${kind}`, roles: ['admin'] });
      const created = await first.request('POST', '/api/v1/users', {
        token: users.admin!.token,
        body: { email: 'kept@restart.test', name: 'Kept', staffNo: '77', role: 'agent', password: 'a-long-password' },
      });
      expect(created.status).toBe(201);
      await first.stop();

      const second = await start();
      try {
        const login = await second.login('kept@restart.test', 'a-long-password');
        expect(login.status).toBe(200);
        expect(login.body.user.id).toBe(created.body.id);
        // The refresh token issued before the restart still works: secrets persist too.
        const refreshed = await second.request('POST', '/api/v1/auth/refresh', {
          body: { refreshToken: users.admin!.refreshToken },
        });
        expect(refreshed.status).toBe(200);
        const applied = await second.app.database.pool.query(
          'select count(*)::int as n from drizzle.__drizzle_migrations',
        );
        expect(applied.rows[0].n).toBe(await expectedMigrationCount());
      } finally {
        await second.stop();
      }
    },
    SLOW_START_MS,
  );
});
