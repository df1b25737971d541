/**
 * PostgreSQL time limits (issue 9, deadlines): on a real server every pooled session carries
 * the configured statement, lock and idle-in-transaction timeouts, while migrations and
 * pg-boss still work with limits far smaller than they need.
 */
import { once } from 'node:events';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/test-app.js';
import { createServerDatabase } from '../../test/support/test-database.js';
import { runMigrations } from './database.js';

let t: TestApp;
let drop: () => Promise<void>;

beforeAll(async () => {
  const server = await createServerDatabase();
  drop = server.drop;
  // Limits far below what the migrations and pg-boss's own schema set-up take on a busy machine.
  t = await startTestApp({
    db: { url: server.url },
    env: {
      DATABASE_STATEMENT_TIMEOUT_MS: '300',
      DATABASE_LOCK_TIMEOUT_MS: '200',
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '400',
      DATABASE_CONNECT_TIMEOUT_MS: '5000',
    },
  });
});
afterAll(async () => {
  await t?.stop();
  await drop?.();
});

describe('PostgreSQL timeouts on a server', () => {
  it('the app started: migrations and the job queue ran under the small limits', async () => {
    const ready = await t.request('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(t.app.config.database.timeouts).toEqual({
      connectMs: 5000,
      statementMs: 300,
      lockMs: 200,
      idleInTransactionMs: 400,
    });
  });

  it('migrations wait for another instance past every limit, then give their session its limits back', async () => {
    const other = new pg.Client({ connectionString: t.app.database.url });
    await other.connect();
    // Another instance migrating: it holds the migration lock for longer than any of the limits.
    await other.query('select pg_advisory_lock(727274)');
    const migrated = runMigrations(t.app.database).then(
      () => 'done',
      (e: unknown) => e as Error,
    );
    await new Promise((r) => setTimeout(r, 1500));
    await other.query('select pg_advisory_unlock(727274)');
    await other.end();
    expect(await migrated).toBe('done');
  });

  it('every pooled session has the configured limits', async () => {
    const { pool } = t.app.database;
    const clients = await Promise.all([pool.connect(), pool.connect()]);
    try {
      for (const c of clients) {
        const { rows } = await c.query<{ s: string; l: string; i: string }>(
          `select current_setting('statement_timeout') as s, current_setting('lock_timeout') as l,
                  current_setting('idle_in_transaction_session_timeout') as i`,
        );
        expect(rows[0]).toEqual({ s: '300ms', l: '200ms', i: '400ms' });
      }
    } finally {
      for (const c of clients) c.release();
    }
  });

  it('a statement longer than statement_timeout is cancelled with a clear error', async () => {
    const err = await t.app.database.pool.query('select pg_sleep(5)').then(
      () => undefined,
      (e: unknown) => e as { code?: string; message: string },
    );
    expect(err?.code).toBe('57014');
    expect(err?.message).toMatch(/statement timeout/);
    // The pool is fine afterwards.
    expect((await t.app.database.pool.query('select 1 as one')).rows[0]).toEqual({ one: 1 });
  });

  it('waiting for a lock longer than lock_timeout fails instead of queueing for ever', async () => {
    const holder = new pg.Client({ connectionString: t.app.database.url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('lock table tenants in access exclusive mode');
      const err = await t.app.database.pool.query('select count(*) from tenants').then(
        () => undefined,
        (e: unknown) => e as { code?: string; message: string },
      );
      expect(err?.code).toBe('55P03');
      expect(err?.message).toMatch(/lock timeout/);
    } finally {
      await holder.query('rollback');
      await holder.end();
    }
  });

  it('an API request that reaches a deadline answers 503 database_busy with Retry-After, not 500', async () => {
    const { tenantId, users } = await t.seedTenant({ slug: 'deadline', roles: ['admin'] });
    const holder = new pg.Client({ connectionString: t.app.database.url });
    await holder.connect();
    try {
      // Another session keeps the tenant's row: reading it is fine, changing it waits on the lock.
      await holder.query('begin');
      await holder.query('select 1 from tenants where id = $1 for update', [tenantId]);
      const res = await t.request('PATCH', '/api/v1/tenant', {
        token: users.admin!.token,
        body: { name: 'Renamed while locked' },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(503);
      expect(res.body.error.code).toBe('database_busy');
      expect(res.headers.get('retry-after')).toBe('2');
    } finally {
      await holder.query('rollback');
      await holder.end();
    }
  });

  it('a transaction left idle is ended by the server and its connection dropped from the pool', async () => {
    const client = await t.app.database.pool.connect();
    const gone = once(client, 'error');
    await client.query('begin');
    await client.query('select 1');
    // Nothing more is sent: the server's idle-in-transaction timer ends the session.
    const [err] = (await gone) as [{ code?: string; message: string }];
    expect(err.code).toBe('25P03');
    client.release(err as Error);
    expect((await t.app.database.pool.query('select 2 as two')).rows[0]).toEqual({ two: 2 });
  });
});
