/**
 * PostgreSQL time limits: configuration from the environment, and what embedded PGlite gets.
 * The limits themselves are proven on a real server in `timeouts.pg.test.ts`.
 */
import { once } from 'node:events';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { createPglite } from '../../test/support/test-database.js';
import { DEFAULT_TIMEOUTS, openDatabase, poolTimeouts, type Database } from './database.js';

describe('database timeouts: configuration', () => {
  it('defaults: connect 10 s, statement 30 s, lock 10 s, idle in transaction 60 s', () => {
    expect(resolveConfig({}, {}).database.timeouts).toEqual({
      connectMs: 10_000,
      statementMs: 30_000,
      lockMs: 10_000,
      idleInTransactionMs: 60_000,
    });
    expect(DEFAULT_TIMEOUTS).toEqual(resolveConfig({}, {}).database.timeouts);
  });

  it('each is set from its environment variable; 0 turns it off', () => {
    const config = resolveConfig(
      {},
      {
        DATABASE_CONNECT_TIMEOUT_MS: '2000',
        DATABASE_STATEMENT_TIMEOUT_MS: '0',
        DATABASE_LOCK_TIMEOUT_MS: '1500',
        DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '90000',
      },
    );
    expect(config.database.timeouts).toEqual({
      connectMs: 2000,
      statementMs: 0,
      lockMs: 1500,
      idleInTransactionMs: 90_000,
    });
  });

  it('a bad value stops start-up naming the key', () => {
    expect(() => resolveConfig({}, { DATABASE_STATEMENT_TIMEOUT_MS: '30s' })).toThrow(/DATABASE_STATEMENT_TIMEOUT_MS/);
    expect(() => resolveConfig({}, { DATABASE_LOCK_TIMEOUT_MS: '-1' })).toThrow(/database\.timeouts\.lockMs/);
    expect(() => resolveConfig({ database: { timeouts: { idleInTransactionMs: 1e12 } } }, {})).toThrow(
      /database\.timeouts\.idleInTransactionMs/,
    );
  });

  it('a server gets every limit in the start-up packet; embedded PGlite only the connection timeout', () => {
    const t = { connectMs: 1, statementMs: 2, lockMs: 3, idleInTransactionMs: 4 };
    expect(poolTimeouts(t, 'server')).toEqual({
      connectionTimeoutMillis: 1,
      statement_timeout: 2,
      lock_timeout: 3,
      idle_in_transaction_session_timeout: 4,
    });
    expect(poolTimeouts(t, 'embedded')).toEqual({ connectionTimeoutMillis: 1 });
  });
});

describe('database timeouts: embedded PGlite', () => {
  let database: Database | undefined;
  afterAll(async () => {
    await database?.close();
  });

  it('the pool has the connection timeout and sessions do not claim limits PGlite cannot enforce', async () => {
    const pglite = await createPglite();
    database = await openDatabase(
      { dataDir: '.', poolSize: 2, pglite, timeouts: { ...DEFAULT_TIMEOUTS, connectMs: 4321 } },
      pino({ level: 'silent' }),
    );
    expect(database.mode).toBe('embedded');
    expect((database.pool.options as { connectionTimeoutMillis?: number }).connectionTimeoutMillis).toBe(4321);
    const { rows } = await database.pool.query<{ s: string }>(`select current_setting('statement_timeout') as s`);
    expect(rows[0]?.s).toBe('0');
    await database.close();
    database = undefined;
    await pglite.close();
  });

  it('a transaction left idle is ended by the socket server, rolled back, and the backend handed on', async () => {
    const pglite = await createPglite();
    database = await openDatabase(
      { dataDir: '.', poolSize: 2, pglite, timeouts: { ...DEFAULT_TIMEOUTS, idleInTransactionMs: 300 } },
      pino({ level: 'silent' }),
    );
    const client = await database.pool.connect();
    const gone = once(client, 'error');
    await client.query('begin');
    await client.query('create table idle_probe (x int)');
    // Nothing more is sent. Without the limit, every other connection would now wait for ever.
    const [err] = (await gone) as [{ code?: string; message: string }];
    expect(err.code).toBe('25P03');
    expect(err.message).toMatch(/idle-in-transaction timeout/);
    client.release(err as Error);
    const { rows } = await database.pool.query<{ t: string | null }>(`select to_regclass('idle_probe')::text as t`);
    expect(rows[0]?.t).toBeNull();
    await database.close();
    database = undefined;
    await pglite.close();
  });
});
