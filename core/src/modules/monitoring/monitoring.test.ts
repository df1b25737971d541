/**
 * Live monitors (MON-01/02 and the call list of MON-03) over the real HTTP API and `/ws`: the
 * agent and skill group figures (time per state today in the tenant's time zone, calls today,
 * queue and longest wait), the `monitor.*` feed to supervisors and admins only, the role guard
 * and tenant isolation. The call path itself (a real call through the simulator moving these
 * figures, listen-in) is proven in `jambonz-apps/test/monitor.test.ts`.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type SeededUser, type TestApp } from '../../../test/support/test-app.js';
import { WsClient, type WsFrame } from '../../../test/support/ws-client.js';

let t: TestApp;
let tenantId: string;
let admin: SeededUser;
let sup: SeededUser;
let ann: SeededUser;
let ben: SeededUser;
let otherSup: SeededUser;
let otherTenantId: string;
let groupId: string;
let emptyGroupId: string;
const sockets: WsClient[] = [];

async function open(user: SeededUser): Promise<WsClient> {
  const ws = await WsClient.open(t.url, `?access_token=${user.token}`);
  sockets.push(ws);
  await ws.next((f) => f.type === 'session.ready');
  return ws;
}

const get = (u: SeededUser, path: string) => t.request('GET', `/api/v1${path}`, { token: u.token });
const setState = (u: SeededUser, state: string, reason?: string) =>
  t.request('PUT', '/api/v1/agents/me/state', { token: u.token, body: { state, ...(reason ? { reason } : {}) } });
const sql = (text: string, params: unknown[] = []) => t.app.database.pool.query(text, params);

/**
 * An `Etc/GMT±N` zone where it is about noon now, so "today" has begun long enough ago for the
 * fixtures below whenever the test runs (and "today" is the tenant's day, not the server's).
 */
function noonZone(): string {
  const n = 12 - new Date().getUTCHours();
  return n === 0 ? 'UTC' : n > 0 ? `Etc/GMT-${n}` : `Etc/GMT+${-n}`;
}

beforeAll(async () => {
  // The sweeper offers waiting calls to idle agents every 2 s: the caller these tests leave
  // waiting in a queue (as a snapshot to monitor) would be offered to the idle agent whenever a
  // busy machine makes a test outlast a tick. Monitors are the subject here, not the ACD.
  t = await startTestApp({ config: { calls: { sweepIntervalMs: 3_600_000 } } });
  const seeded = await t.seedTenant({ slug: 'monitor', roles: ['admin', 'supervisor', 'agent', 'agent'] });
  tenantId = seeded.tenantId;
  admin = seeded.users.admin!;
  sup = seeded.users.supervisor!;
  ann = seeded.users.agent!;
  ben = seeded.users.agent3!;
  const c = t.app.container.cradle;
  await c.tenantRepo.update(tenantId, { settings: { timezone: noonZone() } });
  for (const u of [ann, ben]) await c.agentService.ensure(tenantId, u.id, `monitor-${u.id}`);
  groupId = (await c.skillGroupRepo.create(tenantId, { name: 'presales' })).id;
  emptyGroupId = (await c.skillGroupRepo.create(tenantId, { name: 'vip' })).id;
  await c.skillGroupRepo.addMember(tenantId, groupId, ann.id);
  await c.skillGroupRepo.addMember(tenantId, groupId, ben.id);
  const other = await t.seedTenant({ slug: 'monitor-other', roles: ['supervisor', 'agent'] });
  otherTenantId = other.tenantId;
  otherSup = other.users.supervisor!;
  await c.agentService.ensure(other.tenantId, other.users.agent!.id, 'monitor-outsider');
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});
afterAll(async () => {
  await t?.stop();
});

describe('monitors', () => {
  it('[MON-01] agents with groups, state, time per state today (tenant time zone) and calls answered today', async () => {
    // Ben's day, written as the state machine logs it: resting since yesterday evening, then
    // notReady for 10 minutes, idle for the last 20.
    await sql(`update agents set state = 'idle', state_since = now() - interval '20 minutes' where user_id = $1`, [
      ben.id,
    ]);
    const log = `insert into agent_state_log (tenant_id, user_id, from_state, to_state, reason, actor, at)
      values ($1, $2, $3, $4, $5, 'self', now() - $6::interval)`;
    await sql(log, [tenantId, ben.id, 'offline', 'idle', null, '14 hours 5 minutes']);
    await sql(log, [tenantId, ben.id, 'idle', 'rest', 'Meal', '14 hours']);
    await sql(log, [tenantId, ben.id, 'rest', 'notReady', null, '30 minutes']);
    await sql(log, [tenantId, ben.id, 'notReady', 'idle', null, '20 minutes']);
    // One call answered today, one two days ago.
    for (const ago of ['5 minutes', '2 days']) {
      const s = randomUUID();
      await sql(
        `insert into call_sessions (id, tenant_id, direction, caller, callee, customer_call_sid, state, started_at)
         values ($1, $2, 'inbound', '13900000001', '4001', $3, 'ended', now() - $4::interval)`,
        [s, tenantId, `sid-${s}`, ago],
      );
      await sql(
        `insert into call_offers (tenant_id, session_id, agent_id, state, created_at, answered_at)
         values ($1, $2, $3, 'ended', now() - $4::interval, now() - $4::interval)`,
        [tenantId, s, ben.id, ago],
      );
    }

    for (const who of [sup, admin]) {
      const res = await get(who, '/monitor/agents');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.items.map((a: { staffNo: string }) => a.staffNo)).toEqual(['3', '4']);
    }
    const res = await get(sup, '/monitor/agents');
    const b = res.body.items.find((a: { agentId: string }) => a.agentId === ben.id);
    expect(b).toMatchObject({
      name: 'agent 3',
      staffNo: '4',
      role: 'agent',
      skillGroups: [{ id: groupId, name: 'presales' }],
      state: 'idle',
      reason: null,
      callsToday: 1,
      currentCall: null,
    });
    // Local time is about noon: rest from midnight until 30 minutes ago (10 to 13 hours).
    expect(b.today.rest).toBeGreaterThan(10 * 3600);
    expect(b.today.rest).toBeLessThan(13 * 3600);
    expect(b.today.notReady).toBeGreaterThanOrEqual(590);
    expect(b.today.notReady).toBeLessThanOrEqual(610);
    expect(b.today.idle).toBeGreaterThanOrEqual(1190);
    expect(b.today.idle).toBeLessThan(1300);
    expect(b.today.online).toBe(b.today.rest + b.today.notReady + b.today.idle + b.today.busy + b.today.afterCallWork);
    expect(Date.parse(b.stateSince)).toBeLessThan(Date.now() - 19 * 60_000);

    // Filters: state, skill group (a group without members: nobody).
    const resting = await get(sup, `/monitor/agents?state=rest`);
    expect(resting.body.items).toEqual([]);
    const members = await get(sup, `/monitor/agents?skillGroupId=${groupId}`);
    expect(members.body.items).toHaveLength(2);
    expect((await get(sup, `/monitor/agents?skillGroupId=${emptyGroupId}`)).body.items).toEqual([]);
    const bad = await get(sup, '/monitor/agents?state=sleeping');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
  });

  it('[MON-01] [MON-02] a state change reaches supervisors and admins live as monitor.agent and monitor.skillGroup; agents get neither', async () => {
    const supWs = await open(sup);
    const adminWs = await open(admin);
    const annWs = await open(ann);
    expect((await setState(ann, 'idle')).status).toBe(200);
    expect((await setState(ann, 'rest', 'Meal')).status).toBe(200);
    const isAnnResting = (f: WsFrame) =>
      f.type === 'monitor.agent' && f.data?.agentId === ann.id && f.data?.state === 'rest';
    for (const ws of [supWs, adminWs]) {
      const f = await ws.next(isAnnResting);
      expect(f.data).toMatchObject({
        agentId: ann.id,
        state: 'rest',
        reason: 'Meal',
        callsToday: 0,
        currentCall: null,
        today: expect.objectContaining({ online: expect.any(Number), rest: expect.any(Number) }),
      });
      const g = await ws.next((x) => x.type === 'monitor.skillGroup' && x.data?.skillGroupId === groupId);
      expect(g.data).toMatchObject({ skillGroupId: groupId, queueLength: 0, longestWaitSince: null });
      expect(g.data!.agents).toEqual(
        expect.objectContaining({ offline: expect.any(Number), rest: expect.any(Number) }),
      );
    }
    // The agent saw their own agent.status, and never a monitor row.
    await annWs.next((f) => f.type === 'agent.status' && f.data?.to === 'rest');
    await t.app.container.cradle.monitorService.flushed();
    expect(annWs.frames.filter((f) => f.type.startsWith('monitor.'))).toEqual([]);
    // The REST list agrees with the event.
    const groups = await get(sup, '/monitor/skill-groups');
    expect(groups.body.items.find((g: { skillGroupId: string }) => g.skillGroupId === groupId).agents.rest).toBe(1);
    expect((await setState(ann, 'idle')).status).toBe(200);
  });

  it('[MON-02] skill groups: agents by state, queue length and longest wait, calls today; live calls listed with their group', async () => {
    expect((await setState(ann, 'notReady')).status).toBe(200);
    const supWs = await open(sup);
    // A caller waiting in presales for 3 minutes, as the call path leaves one.
    const s = randomUUID();
    await sql(
      `insert into call_sessions (id, tenant_id, direction, caller, callee, customer_call_sid, state,
         queued_skill_group_id, started_at, queued_at)
       values ($1, $2, 'inbound', '13900000042', '4001', $3, 'queued', $4, now() - interval '4 minutes', now() - interval '3 minutes')`,
      [s, tenantId, `sid-${s}`, groupId],
    );
    const { sessionEvents } = t.app.container.cradle;
    sessionEvents.publishState({
      session: {
        id: s,
        tenantId,
        direction: 'inbound',
        caller: '13900000042',
        callee: '4001',
        customerAlias: null,
        queuedSkillGroupId: groupId,
        agentId: null,
      },
      state: 'queued',
      previous: 'ivr',
      reason: 'transfer',
    });
    const live = await supWs.next(
      (f) => f.type === 'monitor.skillGroup' && f.data?.skillGroupId === groupId && f.data?.queueLength === 1,
    );
    expect(Date.parse(live.data!.longestWaitSince as string)).toBeLessThan(Date.now() - 170_000);

    const res = await get(sup, '/monitor/skill-groups');
    expect(res.status).toBe(200);
    expect(res.body.items.map((g: { name: string }) => g.name)).toEqual(['presales', 'vip']);
    const g = res.body.items[0];
    expect(g).toMatchObject({
      skillGroupId: groupId,
      type: 'inbound',
      agents: { online: 2, idle: 1, notReady: 1, rest: 0, busy: 0, ringing: 0, afterCallWork: 0, offline: 0 },
      queueLength: 1,
      callsToday: 1,
      answeredToday: 0,
    });
    expect(res.body.items[1]).toMatchObject({ name: 'vip', queueLength: 0, callsToday: 0, agents: { online: 0 } });

    const sessions = await get(sup, '/monitor/sessions');
    expect(sessions.status).toBe(200);
    expect(sessions.body.items).toEqual([
      expect.objectContaining({
        sessionId: s,
        state: 'queued',
        direction: 'inbound',
        caller: '13900000042',
        skillGroup: { id: groupId, name: 'presales' },
        agent: null,
        held: false,
        listeners: [],
      }),
    ]);
    expect((await get(sup, `/monitor/sessions?state=bridged`)).body.items).toEqual([]);
    expect((await get(sup, `/monitor/sessions?skillGroupId=${emptyGroupId}`)).body.items).toEqual([]);
    await sql(`update call_sessions set state = 'ended', ended_at = now() where id = $1`, [s]);
    expect((await get(sup, '/monitor/sessions')).body.items).toEqual([]);
  });

  it('[MON-01] [MON-02] agents get 403; API keys and signed-out callers are refused', async () => {
    for (const path of ['/monitor/agents', '/monitor/skill-groups', '/monitor/sessions']) {
      const res = await get(ann, path);
      expect(res.status, path).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect((await t.request('GET', `/api/v1${path}`)).status, path).toBe(401);
    }
  });

  it("[MON-01] [MON-02] tenant isolation: another tenant's supervisor sees only their own agents, groups and calls, and none of these events", async () => {
    const otherWs = await open(otherSup);
    const agents = await get(otherSup, '/monitor/agents');
    expect(agents.status).toBe(200);
    expect(agents.body.items).toHaveLength(1);
    expect(agents.body.items[0].agentId).not.toBe(ann.id);
    expect((await get(otherSup, `/monitor/agents?skillGroupId=${groupId}`)).body.items).toEqual([]);
    expect((await get(otherSup, '/monitor/skill-groups')).body.items).toEqual([]);
    expect((await get(otherSup, '/monitor/sessions')).body.items).toEqual([]);
    const supWs = await open(sup);
    // Ann is notReady since the last test.
    expect((await setState(ann, 'idle')).status).toBe(200);
    await supWs.next((f) => f.type === 'monitor.agent' && f.data?.agentId === ann.id && f.data?.state === 'idle');
    await t.app.container.cradle.monitorService.flushed();
    expect(otherWs.frames.filter((f) => f.type.startsWith('monitor.'))).toEqual([]);
    expect(otherTenantId).not.toBe(tenantId);
  });
});
