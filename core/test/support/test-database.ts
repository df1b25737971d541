import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** Which PostgreSQL a test runs on. */
export type DbKind = 'pglite' | 'postgres';

/** Every kind available in this run: PGlite always, the real server when CI provides it. */
export const DB_KINDS: DbKind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** A private, empty-or-migrated database for one test file. */
export interface TestDatabase {
  kind: DbKind;
  /** Set for `pglite`: hand it to the app as its embedded database. */
  pglite?: PGlite;
  /** Set for `postgres`: a fresh database on the real server (not yet migrated). */
  url?: string;
  close(): Promise<void>;
}

/** A fresh PGlite database, already migrated (copied from the global setup's snapshot). */
export async function createPglite(): Promise<PGlite> {
  // Imported here, not at the top: the call-load bench uses the test app outside vitest.
  const { inject } = await import('vitest');
  const tar = await readFile(inject('pgliteSnapshot'));
  return PGlite.create({ loadDataDir: new Blob([tar]) });
}

/** Creates a uniquely named database on the real server named by `TEST_DATABASE_URL`. */
export async function createServerDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const name = `sb_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** A database of the given kind for one test file. */
export async function createTestDatabase(kind: DbKind = 'pglite'): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const pglite = await createPglite();
    return { kind, pglite, close: () => pglite.close() };
  }
  const server = await createServerDatabase();
  return { kind, url: server.url, close: server.drop };
}
