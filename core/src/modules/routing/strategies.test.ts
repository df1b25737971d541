/**
 * Which idle agent gets the next call: table-driven over the strategies of RT-01…03, the last
 * agent preference of RT-04 and the re-offer order of RT-05. Each row sets agents' states, idle
 * times, priorities, answered calls and memory straight in the database, queues one caller and
 * asserts whom `AcdService.claim()` picks. On PGlite, and on a real PostgreSQL server when
 * TEST_DATABASE_URL is set.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { createTestDatabase, DB_KINDS, type TestDatabase } from '../../../test/support/test-database.js';
import type { AgentState } from '../agents/schema.js';
import { callSessions } from '../calls/schema.js';
import type { Strategy } from '../skill-groups/schema.js';

const N = 4;
const CALLER = '13900001111';

let t: TestApp;
let database: TestDatabase;
let tenantId: string;
let agentIds: string[];
let sql: (text: string, params?: unknown[]) => Promise<{ rows: Array<Record<string, unknown>> }>;

/** One agent in a row: absent fields mean "not a member" (member) or "idle for 1 s". */
interface AgentSetup {
  /** Default true. */
  member?: boolean;
  /** Default idle. */
  state?: AgentState;
  /** Seconds in the current state (for idle: idle time). Default 1. */
  since?: number;
  /** Member priority 1–5 (default 3). */
  priority?: number;
  /** Offers answered today (`ringing → busy` in the state log). */
  callsToday?: number;
  /** Offers answered before today: must not count. */
  callsBefore?: number;
  /** Outbound-style `idle → busy` changes today: not offers taken, must not count. */
  dialsToday?: number;
  /** This agent served the caller's last call (RT-04 memory). */
  lastServed?: boolean;
  /** This agent already missed this very call (RT-05). */
  missedThisCall?: boolean;
}

interface Case {
  name: string;
  strategy: Strategy;
  agents: AgentSetup[];
  /** Index of the agent expected to be offered the call; null = nobody. */
  expect: number | null;
  settings?: Record<string, unknown>;
  /** Before today in this zone (the tenant's `settings.timezone`), for "today" of RT-02. */
  callsBeforeInZone?: string;
}

const CASES: Case[] = [
  // RT-01 longest idle
  {
    name: '[RT-01] the agent idle the longest',
    strategy: 'longest-idle',
    agents: [{ since: 10 }, { since: 30 }, { since: 20 }],
    expect: 1,
  },
  {
    name: '[RT-01] [AGT-01] only idle agents: notReady, rest and wrap-up are passed over',
    strategy: 'longest-idle',
    agents: [
      { state: 'notReady', since: 900 },
      { state: 'rest', since: 800 },
      { state: 'afterCallWork', since: 700 },
      { since: 5 },
    ],
    expect: 3,
  },
  {
    name: '[RT-01] ringing, busy and offline agents get nothing',
    strategy: 'longest-idle',
    agents: [{ state: 'ringing' }, { state: 'busy' }, { state: 'offline' }],
    expect: null,
  },
  {
    name: '[RT-01] agents outside the group get nothing, however long idle',
    strategy: 'longest-idle',
    agents: [{ member: false, since: 999 }, { since: 2 }],
    expect: 1,
  },
  // RT-02 fewest calls today
  {
    name: '[RT-02] the agent with the fewest calls answered today',
    strategy: 'fewest-calls',
    agents: [
      { callsToday: 3, since: 50 },
      { callsToday: 1, since: 10 },
      { callsToday: 2, since: 30 },
    ],
    expect: 1,
  },
  {
    name: '[RT-02] calls of earlier days do not count',
    strategy: 'fewest-calls',
    agents: [
      { callsToday: 1, since: 60 },
      { callsToday: 0, callsBefore: 9, since: 5 },
    ],
    expect: 1,
  },
  {
    name: '[RT-02] only answered offers count, not dialling out',
    strategy: 'fewest-calls',
    agents: [
      { dialsToday: 5, since: 5 },
      { callsToday: 1, since: 60 },
    ],
    expect: 0,
  },
  {
    name: '[RT-02] a tie goes to the longest idle',
    strategy: 'fewest-calls',
    agents: [
      { callsToday: 2, since: 10 },
      { callsToday: 2, since: 40 },
      { callsToday: 4, since: 90 },
    ],
    expect: 1,
  },
  {
    name: "[RT-02] today is the tenant's day (settings.timezone)",
    strategy: 'fewest-calls',
    settings: { timezone: 'Asia/Shanghai' },
    callsBeforeInZone: 'Asia/Shanghai',
    agents: [
      { callsBefore: 3, since: 5 },
      { callsToday: 1, since: 60 },
    ],
    expect: 0,
  },
  // RT-03 member priority
  {
    name: '[RT-03] [ADM-07] member priority 1 before 2 before 3',
    strategy: 'priority',
    agents: [
      { priority: 3, since: 100 },
      { priority: 1, since: 1 },
      { priority: 2, since: 50 },
    ],
    expect: 1,
  },
  {
    name: '[RT-03] equal priority goes to the longest idle',
    strategy: 'priority',
    agents: [
      { priority: 2, since: 10 },
      { priority: 2, since: 30 },
      { priority: 5, since: 100 },
    ],
    expect: 1,
  },
  {
    name: '[RT-03] a better priority that is not idle is passed over',
    strategy: 'priority',
    agents: [
      { priority: 1, state: 'busy' },
      { priority: 4, since: 3 },
      { priority: 5, since: 30 },
    ],
    expect: 1,
  },
  {
    name: '[RT-01] priorities do not matter to longest idle',
    strategy: 'longest-idle',
    agents: [
      { priority: 5, since: 100 },
      { priority: 1, since: 1 },
    ],
    expect: 0,
  },
  // RT-04 last agent first
  {
    name: '[RT-04] the agent who served the caller last goes first when idle',
    strategy: 'longest-idle',
    agents: [{ since: 100 }, { since: 5, lastServed: true }],
    expect: 1,
  },
  {
    name: '[RT-04] … over fewest calls too',
    strategy: 'fewest-calls',
    agents: [{ callsToday: 0 }, { callsToday: 7, lastServed: true }],
    expect: 1,
  },
  {
    name: '[RT-04] … and over member priority',
    strategy: 'priority',
    agents: [{ priority: 1 }, { priority: 5, lastServed: true }],
    expect: 1,
  },
  {
    name: '[RT-04] the last agent is not waited for when not idle',
    strategy: 'longest-idle',
    agents: [{ since: 10 }, { state: 'busy', lastServed: true }],
    expect: 0,
  },
  {
    name: '[RT-04] the last agent outside the group does not get it',
    strategy: 'longest-idle',
    agents: [{ since: 10 }, { member: false, since: 100, lastServed: true }],
    expect: 0,
  },
  {
    name: '[RT-04] off when the tenant turns lastAgentFirst off',
    strategy: 'longest-idle',
    settings: { agent: { lastAgentFirst: false } },
    agents: [{ since: 100 }, { since: 5, lastServed: true }],
    expect: 0,
  },
  // RT-05 re-offer
  {
    name: '[RT-05] an agent who already missed this call goes last',
    strategy: 'longest-idle',
    agents: [{ since: 100, missedThisCall: true }, { since: 5 }],
    expect: 1,
  },
  {
    name: '[RT-05] … even when they served the caller last',
    strategy: 'longest-idle',
    agents: [{ since: 100, missedThisCall: true, lastServed: true }, { since: 5 }],
    expect: 1,
  },
  {
    name: '[RT-05] … but still gets it when nobody else is idle',
    strategy: 'priority',
    agents: [{ priority: 1, missedThisCall: true }, { state: 'notReady' }],
    expect: 0,
  },
];

async function arrange(c: Case): Promise<{ groupId: string; sessionId: string }> {
  const { skillGroupRepo } = t.app.container.cradle;
  const group = await skillGroupRepo.create(tenantId, { name: `g-${randomUUID()}`, strategy: c.strategy });
  if (c.settings) await sql(`update tenants set settings = $2 where id = $1`, [tenantId, JSON.stringify(c.settings)]);
  const offered: string[] = [];
  for (const [i, a] of c.agents.entries()) {
    const id = agentIds[i]!;
    if (a.member !== false) await skillGroupRepo.addMember(tenantId, group.id, id, a.priority);
    await sql(`update agents set state = $2, state_since = now() - make_interval(secs => $3) where user_id = $1`, [
      id,
      a.state ?? 'idle',
      a.since ?? 1,
    ]);
    const log = async (n: number, from: string, at: string) => {
      for (let k = 0; k < n; k++) {
        await sql(
          `insert into agent_state_log (tenant_id, user_id, from_state, to_state, at) values ($1, $2, $3, 'busy', ${at})`,
          [tenantId, id, from],
        );
      }
    };
    await log(a.callsToday ?? 0, 'ringing', 'now()');
    await log(a.dialsToday ?? 0, 'idle', 'now()');
    const zone = c.callsBeforeInZone ?? 'UTC';
    await log(
      a.callsBefore ?? 0,
      'ringing',
      `date_trunc('day', now() at time zone '${zone}') at time zone '${zone}' - interval '1 minute'`,
    );
    if (a.lastServed) {
      await sql(
        `insert into routing_memory (tenant_id, customer_number, user_id, session_id) values ($1, $2, $3, $4)`,
        [tenantId, CALLER, id, randomUUID()],
      );
    }
    if (a.missedThisCall) offered.push(id);
  }
  const [session] = await t.app.container.cradle.db
    .insert(callSessions)
    .values({
      tenantId,
      direction: 'inbound',
      caller: CALLER,
      callee: '4000000000',
      customerCallSid: randomUUID(),
      state: 'queued',
      queuedSkillGroupId: group.id,
      queuedAt: new Date(),
      offeredAgentIds: offered,
    })
    .returning();
  return { groupId: group.id, sessionId: session!.id };
}

async function setUp(kind: (typeof DB_KINDS)[number]): Promise<void> {
  database = await createTestDatabase(kind);
  // No sweeper passes during the test: claim() is called by hand.
  t = await startTestApp({ db: database, config: { calls: { sweepIntervalMs: 3_600_000, wrapUpSeconds: 0 } } });
  const seeded = await t.seedTenant({
    slug: 'strategies',
    roles: ['admin', ...Array.from({ length: N }, () => 'agent' as const)],
  });
  tenantId = seeded.tenantId;
  agentIds = Array.from({ length: N }, (_, i) => seeded.users[`agent${i + 1}`]!.id);
  for (const id of agentIds) await t.app.container.cradle.agentService.ensure(tenantId, id, `strat-${id}`);
  sql = (text, params) => t.app.database.pool.query(text, params);
}

async function reset(): Promise<void> {
  await sql(`update call_sessions set state = 'ended' where tenant_id = $1`, [tenantId]);
  await sql(`delete from call_offers where tenant_id = $1`, [tenantId]);
  await sql(`delete from agent_state_log where tenant_id = $1`, [tenantId]);
  await sql(`delete from routing_memory where tenant_id = $1`, [tenantId]);
  await sql(`update agents set state = 'offline', state_since = now(), missed_offers = 0 where tenant_id = $1`, [
    tenantId,
  ]);
  await sql(`update tenants set settings = '{}' where id = $1`, [tenantId]);
}

describe.each(DB_KINDS)('on %s', (kind) => {
  beforeAll(() => setUp(kind));
  afterAll(async () => {
    await t?.stop();
    await database?.close();
  });
  beforeEach(reset);

  describe('routing strategies', () => {
    it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const { groupId, sessionId } = await arrange(c);
      const claim = await t.app.container.cradle.acdService.claim(tenantId, { skillGroupId: groupId });
      if (c.expect === null) {
        expect(claim).toBeNull();
        const s = await sql(`select state from call_sessions where id = $1`, [sessionId]);
        expect(s.rows[0]!.state).toBe('queued');
        return;
      }
      expect(claim?.agent.userId, `expected agent ${c.expect}`).toBe(agentIds[c.expect]);
      expect(claim!.session.id).toBe(sessionId);
      // The claim is one transaction: agent ringing, one ringing offer, session offering.
      const agent = await sql(`select state, current_session_id from agents where user_id = $1`, [claim!.agent.userId]);
      expect(agent.rows[0]).toEqual({ state: 'ringing', current_session_id: sessionId });
      const offers = await sql(`select agent_id, state, skill_group_id from call_offers where session_id = $1`, [
        sessionId,
      ]);
      expect(offers.rows).toEqual([{ agent_id: claim!.agent.userId, state: 'ringing', skill_group_id: groupId }]);
      const s = await sql(`select state from call_sessions where id = $1`, [sessionId]);
      expect(s.rows[0]!.state).toBe('offering');
    });

    it('[RT-05] a device that cannot be rung puts its agent on notReady; the caller waits, counted as a miss', async () => {
      // No telephony adapter in this app: every ring fails.
      const c: Case = { name: 'unreachable', strategy: 'longest-idle', agents: [{ since: 50 }, {}], expect: 0 };
      const { groupId, sessionId } = await arrange(c);
      await t.app.container.cradle.acdService.dispatch(tenantId, groupId);
      // Agent 0 (longest idle) was tried and parked; agent 1 next, parked too; no loop.
      const agents = await sql(
        `select user_id, state, missed_offers from agents where user_id = any($1) order by user_id`,
        [agentIds.slice(0, 2)],
      );
      expect(agents.rows.map((r) => [r.state, r.missed_offers])).toEqual([
        ['notReady', 1],
        ['notReady', 1],
      ]);
      const offers = await sql(
        `select agent_id, state, end_reason from call_offers where session_id = $1 order by created_at`,
        [sessionId],
      );
      expect(offers.rows).toEqual([
        { agent_id: agentIds[0], state: 'missed', end_reason: 'ring failed' },
        { agent_id: agentIds[1], state: 'missed', end_reason: 'ring failed' },
      ]);
      const s = await sql(`select state, offered_agent_ids from call_sessions where id = $1`, [sessionId]);
      expect(s.rows[0]).toEqual({ state: 'queued', offered_agent_ids: [agentIds[0], agentIds[1]] });
    });

    it('[RT-04] the agent who answers a caller becomes their last agent', async () => {
      const { agentService, db } = t.app.container.cradle;
      const c: Case = { name: 'memory', strategy: 'longest-idle', agents: [{ since: 50 }, { since: 5 }], expect: 0 };
      const first = await arrange(c);
      const claim = await t.app.container.cradle.acdService.claim(tenantId, { skillGroupId: first.groupId });
      expect(claim?.agent.userId).toBe(agentIds[0]);
      // Answer it (ringing → busy in the call logic's transaction), then the call ends.
      await db.transaction((tx) =>
        agentService.transition(tx, tenantId, agentIds[0]!, ['ringing'], 'busy', { sessionId: first.sessionId }),
      );
      const memory = await sql(`select user_id, session_id from routing_memory where customer_number = $1`, [CALLER]);
      expect(memory.rows).toEqual([{ user_id: agentIds[0], session_id: first.sessionId }]);
      await db.transaction((tx) => agentService.transition(tx, tenantId, agentIds[0]!, ['busy'], 'idle'));
      // The same caller again: agent 0 was idle for a moment only, agent 1 for longer; agent 0 wins.
      await sql(`update agents set state_since = now() - interval '100 seconds' where user_id = $1`, [agentIds[1]]);
      await sql(`update call_sessions set state = 'ended' where id = $1`, [first.sessionId]);
      await sql(`update call_offers set state = 'ended' where session_id = $1`, [first.sessionId]);
      const [again] = await db
        .insert(callSessions)
        .values({
          tenantId,
          direction: 'inbound',
          caller: CALLER,
          callee: '4000000000',
          customerCallSid: randomUUID(),
          state: 'queued',
          queuedSkillGroupId: first.groupId,
          queuedAt: new Date(),
        })
        .returning();
      const second = await t.app.container.cradle.acdService.claim(tenantId, { skillGroupId: first.groupId });
      expect(second?.session.id).toBe(again!.id);
      expect(second?.agent.userId).toBe(agentIds[0]);
    });

    it('[ADM-07] member priority is 1–5 (default 3), in the repository and in the database', async () => {
      const { skillGroupRepo } = t.app.container.cradle;
      const g = await skillGroupRepo.create(tenantId, { name: `p-${randomUUID()}` });
      await skillGroupRepo.addMember(tenantId, g.id, agentIds[0]!);
      expect((await skillGroupRepo.members(tenantId, g.id))[0]?.priority).toBe(3);
      for (const bad of [0, 6, 100, 2.5]) {
        await expect(skillGroupRepo.addMember(tenantId, g.id, agentIds[1]!, bad)).rejects.toMatchObject({
          code: 'validation_failed',
        });
      }
      await expect(
        sql(`update skill_group_members set priority = 100 where skill_group_id = $1`, [g.id]),
      ).rejects.toThrow(/priority_range/);
    });
  });

  describe('skill group routing over the API', () => {
    it('[ADM-07] [RT-03] an admin sets member priorities 1–5 and the priority strategy follows them', async () => {
      const admin = (await t.login('admin0@strategies.test')).body.accessToken as string;
      const { skillGroupRepo } = t.app.container.cradle;
      const g = await skillGroupRepo.create(tenantId, { name: `api-${randomUUID()}` });
      const patch = await t.request('PATCH', `/api/v1/skill-groups/${g.id}`, {
        token: admin,
        body: { strategy: 'priority', ringTimeoutSeconds: 15 },
      });
      expect(patch.status).toBe(200);
      expect(patch.body).toMatchObject({ strategy: 'priority', ringTimeoutSeconds: 15, members: [] });
      // Agent 0 idle longest but priority 4; agent 1 priority 1.
      for (const [i, priority] of [4, 1].entries()) {
        const res = await t.request('PUT', `/api/v1/skill-groups/${g.id}/members/${agentIds[i]}`, {
          token: admin,
          body: { priority },
        });
        expect(res.status).toBe(200);
      }
      for (const priority of [0, 6]) {
        const res = await t.request('PUT', `/api/v1/skill-groups/${g.id}/members/${agentIds[2]}`, {
          token: admin,
          body: { priority },
        });
        expect(res.status).toBe(400);
      }
      const list = await t.request('GET', '/api/v1/skill-groups', { token: admin });
      const listed = list.body.items.find((x: { id: string }) => x.id === g.id);
      expect(
        listed.members.map(({ userId, priority }: { userId: string; priority: number }) => ({ userId, priority })),
      ).toEqual([
        { userId: agentIds[1], priority: 1 },
        { userId: agentIds[0], priority: 4 },
      ]);
      await sql(`update agents set state = 'idle', state_since = now() - interval '60 seconds' where user_id = $1`, [
        agentIds[0],
      ]);
      await sql(`update agents set state = 'idle', state_since = now() where user_id = $1`, [agentIds[1]]);
      await t.app.container.cradle.db.insert(callSessions).values({
        tenantId,
        direction: 'inbound',
        caller: '13900002222',
        callee: '4000000000',
        customerCallSid: randomUUID(),
        state: 'queued',
        queuedSkillGroupId: g.id,
        queuedAt: new Date(),
      });
      const claim = await t.app.container.cradle.acdService.claim(tenantId, { skillGroupId: g.id });
      expect(claim?.agent.userId).toBe(agentIds[1]);
      // Removing a member takes them out of routing.
      const del = await t.request('DELETE', `/api/v1/skill-groups/${g.id}/members/${agentIds[0]}`, { token: admin });
      expect(del.status).toBe(204);
      const again = await t.request('DELETE', `/api/v1/skill-groups/${g.id}/members/${agentIds[0]}`, { token: admin });
      expect(again.status).toBe(404);
    });
  });
});
