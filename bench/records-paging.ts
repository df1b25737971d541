/**
 * Pull API paging over a large call history (issue 14 item 3): `GET /api/v1/records` of a
 * tenant holding `total` records (1 000 000 by default), the newest page against the oldest one
 * reached with the cursor (`before`), and the numbered page of the same rows (OFFSET) for
 * comparison. The ratio oldest ÷ newest is what must stay near 1.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createApp } from '../core/src/app.js';
import { hashPassword } from '../core/src/modules/auth/passwords.js';

export interface PagingStats {
  p50: number;
  p99: number;
}

export interface RecordsPagingResult {
  records: number;
  insertSeconds: number;
  newest: PagingStats;
  oldestByCursor: PagingStats;
  oldestByOffset: PagingStats;
}

/** Rows written per INSERT … SELECT generate_series. */
const CHUNK = 100_000;
const PAGE = 50;

function stats(ms: number[]): PagingStats {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => Number(s[Math.min(s.length - 1, Math.floor(q * s.length))]!.toFixed(1));
  return { p50: at(0.5), p99: at(0.99) };
}

/** Runs the scenario on its own app (embedded PGlite, or `databaseUrl`), removing what it wrote. */
export async function recordsPaging(opts: {
  total: number;
  samples: number;
  databaseUrl?: string;
}): Promise<RecordsPagingResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sb-bench-records-'));
  const app = await createApp(
    { server: { port: 0, host: '127.0.0.1' } },
    {
      logger: pino({ level: 'silent' }),
      env: { DATA_DIR: dataDir, SEED_DEMO: '0', ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}) },
    },
  );
  const { tenantRepo, userRepo } = app.container.cradle;
  const tag = randomBytes(4).toString('hex');
  const tenant = await tenantRepo.create({ slug: `bench-records-${tag}`, name: 'Bench records', edition: 'standard' });
  try {
    const url = await app.listen();
    const password = randomBytes(12).toString('base64url');
    const email = `bench-${tag}@bench.local`;
    await userRepo.create(tenant.id, {
      email,
      name: 'Bench admin',
      staffNo: '9000',
      role: 'admin',
      mobile: `199${String(Date.now()).slice(-8)}`,
      passwordHash: await hashPassword(password),
    });

    // One second apart, the newest last: what years of a busy line look like to the index.
    const began = performance.now();
    for (let from = 1; from <= opts.total; from += CHUNK) {
      const to = Math.min(opts.total, from + CHUNK - 1);
      await app.database.pool.query(
        `insert into cdrs (tenant_id, session_id, direction, caller, callee, started_at, ended_at,
           duration_seconds, ivr_duration_seconds, end_status, end_status_string, hung_up_side)
         select $1, gen_random_uuid(), 'inbound', '139' || lpad(g::text, 8, '0'), '4001000000',
           timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second',
           timestamptz '2024-01-01 00:01:00+00' + g * interval '1 second', 60, 5, 1, 'ok', 'user'
         from generate_series($2::int, $3::int) g`,
        [tenant.id, from, to],
      );
    }
    await app.database.pool.query('analyze cdrs');
    const insertSeconds = (performance.now() - began) / 1000;

    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const time = async (path: string, n: number): Promise<PagingStats> => {
      const ms: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
        const body = (await res.json()) as { items?: unknown[] };
        if (res.status !== 200 || body.items?.length !== PAGE) {
          throw new Error(`${path}: HTTP ${res.status}, ${body.items?.length ?? 0} items`);
        }
        ms.push(performance.now() - t0);
      }
      return stats(ms);
    };
    // The oldest page by cursor: calls started before the (PAGE + 1)-th oldest.
    const cursor = new Date(Date.UTC(2024, 0, 1) + (PAGE + 1) * 1000).toISOString();
    const lastPage = Math.floor(opts.total / PAGE);
    return {
      records: opts.total,
      insertSeconds: Number(insertSeconds.toFixed(1)),
      newest: await time(`/api/v1/records?limit=${PAGE}`, opts.samples),
      oldestByCursor: await time(`/api/v1/records?limit=${PAGE}&before=${encodeURIComponent(cursor)}`, opts.samples),
      // OFFSET reads every row before the page: a few samples are enough to show it.
      oldestByOffset: await time(
        `/api/v1/records?page=${lastPage}&pageSize=${PAGE}&sort=startedAt&order=desc`,
        Math.min(5, opts.samples),
      ),
    };
  } finally {
    // Its records go with the tenant (on a real server the database outlives the run).
    await app.database.pool.query('delete from tenants where id = $1', [tenant.id]).catch(() => undefined);
    await app.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
