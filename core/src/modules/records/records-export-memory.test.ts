/**
 * The record export streams (REC-01): 200 000 records leave the server as CSV and as XLSX while
 * the server's memory stays flat. Server, database (PGlite) and the downloading client share
 * this process, so `process.memoryUsage()` sampled while the bytes flow sees all of them; the
 * client counts rows as they arrive and keeps nothing.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type SeededUser, type TestApp } from '../../../test/support/test-app.js';

const ROWS = 200_000;
const LIMIT_BYTES = 50 * 1024 * 1024;

let t: TestApp;
let admin: SeededUser;

/**
 * A full garbage collection, so a sample measures what is alive, not garbage V8 has not yet
 * bothered to collect (the test runs without `--expose-gc`; V8 lets it be switched on).
 */
const gc: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/** Bytes between memory samples (each after a full collection). */
const SAMPLE_EVERY = 1024 * 1024;

/** Downloads an export, sampling memory while it streams; returns the bytes and the peak growth. */
async function streamExport(query: string, onChunk?: (chunk: Uint8Array) => void) {
  gc();
  const before = process.memoryUsage();
  let peakRss = 0;
  let peakHeap = 0;
  let bytes = 0;
  let nextSample = SAMPLE_EVERY;
  const sample = () => {
    gc();
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss - before.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed - before.heapUsed);
  };
  const res = await fetch(`${t.url}/api/v1/records/export?${query}`, {
    headers: { authorization: `Bearer ${admin.token}` },
  });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    onChunk?.(value);
    if (bytes >= nextSample) {
      nextSample += SAMPLE_EVERY;
      sample();
    }
  }
  sample();
  return { bytes, peakRss, peakHeap };
}

beforeAll(async () => {
  t = await startTestApp();
  const seeded = await t.seedTenant({ slug: 'export-memory', roles: ['admin', 'agent'] });
  admin = seeded.users.admin!;
  // 200 000 records in one statement, with notes, an agent and a skill group name.
  await t.app.database.pool.query(
    `insert into cdrs (tenant_id, session_id, direction, caller, callee, started_at, ended_at, duration_seconds,
       ivr_duration_seconds, agent_id, serving_skill_group_name, end_status, end_status_string, hung_up_side, note)
     select $1, gen_random_uuid(), case when i % 3 = 0 then 'outbound' else 'inbound' end,
       '138' || lpad(i::text, 8, '0'), '4001000000',
       timestamptz '2026-11-01 00:00:00+00' + make_interval(secs => i * 7),
       timestamptz '2026-11-01 00:01:00+00' + make_interval(secs => i * 7),
       i % 600, 5, $2, '售后', case when i % 5 = 0 then 103 else 1 end,
       case when i % 5 = 0 then 'waitingGiveUp' else 'ok' end, 'user',
       case when i % 4 = 0 then '客户要求回电, 备注 ' || i else null end
     from generate_series(1, ${ROWS}) as i`,
    [seeded.tenantId, seeded.users.agent!.id],
  );
  // As autovacuum would after a day of calls: the planner knows the table's size.
  await t.app.database.pool.query('analyze cdrs');
  // Warm-up: the first export fills the database's caches and compiles the code paths, so what
  // is measured next is what streaming costs, not what starting to serve costs.
  await streamExport('format=csv&to=2026-11-01T01:00:00.000Z');
  await streamExport('format=xlsx&to=2026-11-01T01:00:00.000Z');
}, 600_000);
afterAll(async () => {
  await t?.stop();
});

describe('export of 200 000 records', () => {
  it('[REC-01] streams 200 000 records as CSV with memory growing by less than 50 MB', async () => {
    let lines = 0;
    let tail = '';
    const decoder = new TextDecoder();
    const r = await streamExport('format=csv', (chunk) => {
      const text = tail + decoder.decode(chunk, { stream: true });
      const parts = text.split('\r\n');
      tail = parts.pop()!;
      lines += parts.length;
    });
    expect(lines).toBe(ROWS + 1); // the header line and every record
    expect(r.bytes).toBeGreaterThan(ROWS * 100);
    console.info(
      `CSV export: ${(r.bytes / 1e6).toFixed(1)} MB, peak rss +${(r.peakRss / 1e6).toFixed(1)} MB, heap +${(r.peakHeap / 1e6).toFixed(1)} MB`,
    );
    expect(r.peakHeap).toBeLessThan(LIMIT_BYTES);
    expect(r.peakRss).toBeLessThan(LIMIT_BYTES);
  }, 600_000);

  it('[REC-01] streams 200 000 records as XLSX with memory growing by less than 50 MB', async () => {
    const r = await streamExport('format=xlsx');
    // A zip of one sheet holding every row; its size proves the rows went out.
    expect(r.bytes).toBeGreaterThan(ROWS * 20);
    console.info(
      `XLSX export: ${(r.bytes / 1e6).toFixed(1)} MB, peak rss +${(r.peakRss / 1e6).toFixed(1)} MB, heap +${(r.peakHeap / 1e6).toFixed(1)} MB`,
    );
    expect(r.peakHeap).toBeLessThan(LIMIT_BYTES);
    expect(r.peakRss).toBeLessThan(LIMIT_BYTES);
  }, 600_000);
});
