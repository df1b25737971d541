/**
 * "My calls" (W8; REC-05 for agents): an agent's call records are the calls they took part in —
 * served, transferred to them, placed by them (redial) — with the customer's number masked under
 * protection, their notes, status and duration; and they play those calls' recordings, seekably
 * (Range), and no one else's. Supervisors read the tenant's, or their own with `mine=true`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type SeededUser, type TestApp } from '../../../test/support/test-app.js';
import { recordingStorageKey } from '../recordings/storage.js';

let t: TestApp;
let dataDir: string;
let tenantId: string;
let amy: SeededUser;
let bo: SeededUser;
let sup: SeededUser;
let outsider: SeededUser;
/** The calls of the test, by what happened in them. */
const calls = {} as Record<'amyServed' | 'boServed' | 'transferredToAmy' | 'amyRedial', string>;
/** Recording of each call, and its bytes. */
const recs = {} as Record<keyof typeof calls, string>;
const audio = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 251));

async function q(text: string, params: unknown[]) {
  return t.app.database.pool.query(text, params);
}

/** A finished call: session, CDR, and a ready recording whose file is in the storage. */
async function call(input: {
  direction: 'inbound' | 'outbound';
  caller: string;
  callee: string;
  agentId: string | null;
  note?: string;
}): Promise<{ sessionId: string; recordingId: string }> {
  const sessionId = randomUUID();
  const recordingId = randomUUID();
  const at = new Date(Date.now() - 60_000);
  await q(
    `insert into call_sessions (id, tenant_id, direction, caller, callee, customer_call_sid, state, agent_id, started_at, ended_at)
     values ($1, $2, $3, $4, $5, $6, 'ended', $7, $8, now())`,
    [sessionId, tenantId, input.direction, input.caller, input.callee, `sid-${sessionId}`, input.agentId, at],
  );
  const key = recordingStorageKey(tenantId, recordingId, at);
  await t.app.container.cradle.recordingStorage.put(key, { stream: [audio] });
  await q(
    `insert into recordings (id, tenant_id, session_id, storage_key, status, sample_rate, channels, duration_ms, size_bytes, started_at, ended_at)
     values ($1, $2, $3, $4, 'ready', 8000, 2, 30000, $5, $6, now())`,
    [recordingId, tenantId, sessionId, key, audio.length, at],
  );
  await q(
    `insert into cdrs (tenant_id, session_id, direction, caller, callee, started_at, accepted_at, ended_at, duration_seconds,
       ivr_duration_seconds, agent_id, end_status, end_status_string, hung_up_side, note, recording_id)
     values ($1, $2, $3, $4, $5, $6, $6, now(), 42, 3, $7, 1, 'ok', 'user', $8, $9)`,
    [
      tenantId,
      sessionId,
      input.direction,
      input.caller,
      input.callee,
      at,
      input.agentId,
      input.note ?? null,
      recordingId,
    ],
  );
  return { sessionId, recordingId };
}

async function answeredOffer(sessionId: string, agentId: string) {
  await q(
    `insert into call_offers (tenant_id, session_id, agent_id, state, answered_at, ended_at) values ($1, $2, $3, 'ended', now(), now())`,
    [tenantId, sessionId, agentId],
  );
}

const play = (user: SeededUser, recordingId: string, range?: string) =>
  fetch(`${t.url}/api/v1/recordings/${recordingId}`, {
    headers: { authorization: `Bearer ${user.token}`, ...(range ? { range } : {}) },
  });

const mine = async (user: SeededUser, query = '') => {
  const res = await t.request('GET', `/api/v1/records${query}`, { token: user.token });
  expect(res.status).toBe(200);
  return res.body.items as Array<Record<string, unknown>>;
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sb-mycalls-'));
  t = await startTestApp({ config: { database: { dataDir } } });
  const seeded = await t.seedTenant({ slug: 'mycalls', roles: ['supervisor', 'agent', 'agent'] });
  tenantId = seeded.tenantId;
  sup = seeded.users.supervisor!;
  amy = seeded.users.agent1!;
  bo = seeded.users.agent2!;
  outsider = (await t.seedTenant({ slug: 'mycalls-other', roles: ['agent'] })).users.agent!;
  await t.app.container.cradle.tenantRepo.update(tenantId, { settings: { numberProtection: true } });

  let c = await call({
    direction: 'inbound',
    caller: '13812345678',
    callee: '4001234567',
    agentId: amy.id,
    note: 'Call back 13812345678 after 5pm',
  });
  await answeredOffer(c.sessionId, amy.id);
  calls.amyServed = c.sessionId;
  recs.amyServed = c.recordingId;

  c = await call({ direction: 'inbound', caller: '13900001111', callee: '4001234567', agentId: bo.id });
  await answeredOffer(c.sessionId, bo.id);
  calls.boServed = c.sessionId;
  recs.boServed = c.recordingId;

  // Bo answered first and transferred the call to Amy (CTL-04): the record names Bo.
  c = await call({ direction: 'inbound', caller: '13700002222', callee: '4001234567', agentId: bo.id });
  await answeredOffer(c.sessionId, bo.id);
  await answeredOffer(c.sessionId, amy.id);
  calls.transferredToAmy = c.sessionId;
  recs.transferredToAmy = c.recordingId;

  // Amy called a customer back (CTL-07): no offer, a leg she placed; the record names no agent.
  c = await call({ direction: 'outbound', caller: '4001234567', callee: '13600003333', agentId: null });
  await q(
    `insert into call_legs (tenant_id, session_id, role, purpose, agent_id, invited_by, state, answered_at)
     values ($1, $2, 'agent', 'redial', $3, $3, 'left', now())`,
    [tenantId, c.sessionId, amy.id],
  );
  calls.amyRedial = c.sessionId;
  recs.amyRedial = c.recordingId;
});
afterAll(async () => {
  await t?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('my calls', () => {
  it('[REC-05] an agent lists exactly the calls they took part in: served, transferred to them, placed', async () => {
    const items = await mine(amy);
    expect(items.map((r) => r.sessionId).sort()).toEqual(
      [calls.amyServed, calls.transferredToAmy, calls.amyRedial].sort(),
    );
    expect((await mine(bo)).map((r) => r.sessionId).sort()).toEqual([calls.boServed, calls.transferredToAmy].sort());
    // `mine` changes nothing for an agent.
    expect((await mine(amy, '?mine=true')).length).toBe(3);
    // Nor can another agent's record be read by id.
    const other = await t.request('GET', `/api/v1/records/${calls.boServed}`, { token: amy.token });
    expect(other.status).toBe(404);
  });

  it('[REC-05] [RT-07] with masked numbers, the notes, status and duration', async () => {
    const items = await mine(amy);
    const served = items.find((r) => r.sessionId === calls.amyServed)!;
    expect(served).toMatchObject({
      caller: '138****5678',
      callee: '4001234567',
      note: 'Call back 138****5678 after 5pm',
      endStatusString: 'ok',
      durationSeconds: 42,
      recordingId: recs.amyServed,
    });
    const redial = items.find((r) => r.sessionId === calls.amyRedial)!;
    expect(redial).toMatchObject({ direction: 'outbound', caller: '4001234567', callee: '136****3333' });
    expect(JSON.stringify(items)).not.toMatch(/12345678|00002222|00003333/);
    // The supervisor reads them in clear.
    const forSup = (await mine(sup)).find((r) => r.sessionId === calls.amyServed)!;
    expect(forSup).toMatchObject({ caller: '13812345678', note: 'Call back 13812345678 after 5pm' });
  });

  it('[REC-05] an agent plays the recordings of their calls, seekable with Range', async () => {
    for (const k of ['amyServed', 'transferredToAmy', 'amyRedial'] as const) {
      const full = await play(amy, recs[k]);
      expect(full.status, k).toBe(200);
      expect(Buffer.from(await full.arrayBuffer()).equals(audio)).toBe(true);
    }
    const part = await play(amy, recs.amyServed, 'bytes=1000-1999');
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${audio.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(audio.subarray(1000, 2000))).toBe(true);
    const list = await t.request('GET', `/api/v1/recordings?sessionId=${calls.amyRedial}`, { token: amy.token });
    expect(list.status).toBe(200);
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([recs.amyRedial]);
  });

  it('[REC-05] an agent may not play a colleague’s call (403), another tenant’s (404), or list it', async () => {
    const other = await play(amy, recs.boServed);
    expect(other.status).toBe(403);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    expect((await play(bo, recs.amyRedial)).status).toBe(403);
    const list = await t.request('GET', `/api/v1/recordings?sessionId=${calls.boServed}`, { token: amy.token });
    expect(list.status).toBe(403);
    expect((await play(outsider, recs.amyServed)).status).toBe(404);
    // Supervisors play every call of the tenant.
    expect((await play(sup, recs.boServed)).status).toBe(200);
  });

  it('[REC-05] supervisors read the tenant’s records, or with mine=true the calls they took part in', async () => {
    expect((await mine(sup)).length).toBe(4);
    expect(await mine(sup, '?mine=true')).toEqual([]);
    // A supervisor who listened in to a call took part in it.
    await q(
      `insert into call_legs (tenant_id, session_id, role, purpose, agent_id, invited_by, state, answered_at)
       values ($1, $2, 'supervisor', 'listen', $3, $3, 'left', now())`,
      [tenantId, calls.boServed, sup.id],
    );
    expect((await mine(sup, '?mine=true')).map((r) => r.sessionId)).toEqual([calls.boServed]);
  });
});
