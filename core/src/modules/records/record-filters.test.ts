/**
 * Filtering and paging call records on the server (REC-01, W8 "my calls"): by direction, by
 * whether the call connected, by start time; older pages with `before`, newer ones with `after`,
 * every page newest first, always inside what the caller may see.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type SeededUser, type TestApp } from '../../../test/support/test-app.js';

let t: TestApp;
let tenantId: string;
let amy: SeededUser;
let bo: SeededUser;
/** Amy's calls, oldest first; one call a minute from `BASE`. */
const amyCalls: Array<{ sessionId: string; startedAt: string; direction: string; connected: boolean }> = [];
const BASE = Date.parse('2026-11-20T08:00:00.000Z');

async function cdr(i: number, agentId: string, direction: 'inbound' | 'outbound', connected: boolean) {
  const sessionId = randomUUID();
  const at = new Date(BASE + i * 60_000);
  await t.app.database.pool.query(
    `insert into cdrs (tenant_id, session_id, direction, caller, callee, started_at, ended_at, duration_seconds,
       ivr_duration_seconds, agent_id, end_status, end_status_string, hung_up_side)
     values ($1, $2, $3, '13812345678', '4001234567', $4, $4, $5, 0, $6, $7, $8, 'user')`,
    [
      tenantId,
      sessionId,
      direction,
      at,
      connected ? 30 : 0,
      agentId,
      connected ? 1 : direction === 'outbound' ? 202 : 103,
      connected ? 'ok' : direction === 'outbound' ? 'notAnswer' : 'waitingGiveUp',
    ],
  );
  return { sessionId, startedAt: at.toISOString(), direction, connected };
}

async function list(user: SeededUser, query: string): Promise<Array<Record<string, unknown>>> {
  const res = await t.request('GET', `/api/v1/records?${query}`, { token: user.token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items as Array<Record<string, unknown>>;
}

const ids = (items: Array<Record<string, unknown>>) => items.map((i) => i.sessionId);

beforeAll(async () => {
  t = await startTestApp();
  const seeded = await t.seedTenant({ slug: 'record-filters', roles: ['agent', 'agent'] });
  tenantId = seeded.tenantId;
  amy = seeded.users.agent0!;
  bo = seeded.users.agent1!;
  for (let i = 0; i < 8; i++) {
    amyCalls.push(await cdr(i, amy.id, i % 2 === 0 ? 'outbound' : 'inbound', i % 3 !== 0));
  }
  // Bo's calls are never Amy's, whatever the filter.
  await cdr(3, bo.id, 'outbound', true);
  await cdr(20, bo.id, 'inbound', true);
});
afterAll(async () => {
  await t?.stop();
});

describe('GET /records filters and pages', () => {
  const newestFirst = () => [...amyCalls].reverse();

  it('[REC-01] filters by direction and by whether the call connected, on the server', async () => {
    expect(ids(await list(amy, 'direction=outbound'))).toEqual(
      ids(newestFirst().filter((c) => c.direction === 'outbound') as never),
    );
    expect(ids(await list(amy, 'connected=false'))).toEqual(ids(newestFirst().filter((c) => !c.connected) as never));
    expect(ids(await list(amy, 'direction=inbound&connected=true'))).toEqual(
      ids(newestFirst().filter((c) => c.direction === 'inbound' && c.connected) as never),
    );
  });

  it('[REC-01] filters by start time: from (inclusive) and to (exclusive)', async () => {
    const items = await list(amy, `from=${amyCalls[2]!.startedAt}&to=${amyCalls[5]!.startedAt}`);
    expect(ids(items)).toEqual([amyCalls[4], amyCalls[3], amyCalls[2]].map((c) => c!.sessionId));
  });

  it('[REC-01] pages older with `before` and newer with `after`, each page newest first, filters kept', async () => {
    const first = await list(amy, 'limit=3');
    expect(ids(first)).toEqual(
      newestFirst()
        .slice(0, 3)
        .map((c) => c.sessionId),
    );
    const older = await list(amy, `limit=3&before=${String(first.at(-1)!.startedAt)}`);
    expect(ids(older)).toEqual(
      newestFirst()
        .slice(3, 6)
        .map((c) => c.sessionId),
    );
    const back = await list(amy, `limit=3&after=${String(older[0]!.startedAt)}`);
    expect(ids(back)).toEqual(ids(first));
    // A newer page from the middle: the calls just after the cursor, not the newest ones.
    const between = await list(amy, `limit=2&after=${amyCalls[1]!.startedAt}`);
    expect(ids(between)).toEqual([amyCalls[3], amyCalls[2]].map((c) => c!.sessionId));
    const outboundOlder = await list(amy, `direction=outbound&limit=2&before=${amyCalls[6]!.startedAt}`);
    expect(ids(outboundOlder)).toEqual([amyCalls[4], amyCalls[2]].map((c) => c!.sessionId));
  });

  it('[REC-01] refuses `before` with `after`, and unknown filter values', async () => {
    const both = await t.request(
      'GET',
      `/api/v1/records?before=${amyCalls[3]!.startedAt}&after=${amyCalls[1]!.startedAt}`,
      {
        token: amy.token,
      },
    );
    expect(both.status).toBe(400);
    expect(both.body.error.code).toBe('validation_failed');
    const bad = await t.request('GET', '/api/v1/records?direction=sideways', { token: amy.token });
    expect(bad.status).toBe(400);
  });
});
