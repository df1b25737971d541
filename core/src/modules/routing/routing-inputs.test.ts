/**
 * The routing inputs of an IVR transfer, table-driven: the overflow group (IVR-20) and the
 * preferred agent (IVR-21). Each row sets agents' groups and states straight in the database,
 * queues one caller with its inputs, and asserts whom the ACD offers the call to and through
 * which group. Preferences are resolved the way a dispatch does (`resolvePreferences`).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.js';
import type { AgentState } from '../agents/schema.js';
import { callSessions } from '../calls/schema.js';

const N = 4;
const CALLER = '13900005555';

let t: TestApp;
let tenantId: string;
let agentIds: string[];
let staffNos: string[];
let sql: (text: string, params?: unknown[]) => Promise<{ rows: Array<Record<string, unknown>> }>;

interface AgentSetup {
  /** Default `target`. */
  group?: 'target' | 'overflow' | 'none';
  /** Default idle. */
  state?: AgentState;
  /** Seconds in the state (idle time). Default 1. */
  since?: number;
  /** Already missed this call. */
  missedThisCall?: boolean;
}

interface Case {
  name: string;
  agents: AgentSetup[];
  /** The session has the overflow group as its overflow. */
  overflow?: boolean;
  /** The preferred agent and how it was named. */
  preferred?: {
    agent: number;
    via: 'session' | 'ivrStaffNo' | 'ivrUserId' | 'callerMark' | 'expiredCallerMark';
    /** Waiting window (agent setting preferredAgentWaitSeconds); 0 = no waiting. Default 60. */
    waitSeconds?: number;
  };
  /** Index of the agent offered the call; null = the caller keeps waiting. */
  expect: number | null;
  /** Group recorded on the offer (default target). */
  through?: 'target' | 'overflow';
}

const CASES: Case[] = [
  // IVR-20 overflow
  {
    name: '[IVR-20] all of the group busy: an idle agent of the overflow group takes the call',
    overflow: true,
    agents: [{ state: 'busy' }, { state: 'busy' }, { group: 'overflow', since: 5 }, { group: 'overflow', since: 50 }],
    expect: 3,
    through: 'overflow',
  },
  {
    name: '[IVR-20] an idle agent of the group goes first, however long the overflow agent idled',
    overflow: true,
    agents: [{ state: 'busy' }, { since: 1 }, { group: 'overflow', since: 500 }],
    expect: 1,
  },
  {
    name: '[IVR-20] nobody of the group free (busy, notReady, wrap-up) counts as all busy',
    overflow: true,
    agents: [{ state: 'notReady' }, { state: 'afterCallWork' }, { state: 'ringing' }, { group: 'overflow' }],
    expect: 3,
    through: 'overflow',
  },
  {
    name: '[IVR-20] without an overflow group, agents of other groups never get the call',
    agents: [{ state: 'busy' }, { group: 'overflow', since: 50 }, { group: 'none', since: 90 }],
    expect: null,
  },
  {
    name: '[IVR-20] an overflow group with nobody idle: the caller waits',
    overflow: true,
    agents: [{ state: 'busy' }, { group: 'overflow', state: 'busy' }, { group: 'overflow', state: 'notReady' }],
    expect: null,
  },
  {
    name: '[IVR-20] agents of neither group are never offered the call',
    overflow: true,
    agents: [{ state: 'busy' }, { group: 'none', since: 90 }],
    expect: null,
  },
  // IVR-21 preferred agent
  {
    name: '[IVR-21] an idle preferred agent is offered the call before longer-idle colleagues',
    preferred: { agent: 2, via: 'session' },
    agents: [{ since: 90 }, { since: 60 }, { since: 1 }],
    expect: 2,
  },
  {
    name: '[IVR-21] the preferred agent need not be a member of the group',
    preferred: { agent: 1, via: 'session' },
    agents: [{ since: 90 }, { group: 'none', since: 1 }],
    expect: 1,
  },
  {
    name: '[IVR-21] a busy preferred agent holds the call during the window: idle colleagues wait',
    preferred: { agent: 0, via: 'session' },
    agents: [{ state: 'busy' }, { since: 90 }],
    expect: null,
  },
  {
    name: '[IVR-21] preferred agent ringing elsewhere or in wrap-up also holds the call',
    preferred: { agent: 0, via: 'session' },
    agents: [{ state: 'afterCallWork' }, { since: 90 }],
    expect: null,
  },
  {
    name: '[IVR-21] after the window the group takes the call',
    preferred: { agent: 0, via: 'session', waitSeconds: 0 },
    agents: [{ state: 'busy' }, { since: 90 }],
    expect: 1,
  },
  {
    name: '[IVR-21] an offline preferred agent does not hold the call',
    preferred: { agent: 0, via: 'session' },
    agents: [{ state: 'offline' }, { since: 90 }],
    expect: 1,
  },
  {
    name: '[IVR-21] a notReady or resting preferred agent does not hold the call',
    preferred: { agent: 0, via: 'session' },
    agents: [{ state: 'rest' }, { since: 90 }],
    expect: 1,
  },
  {
    name: '[IVR-21] a preferred agent who missed the call no longer holds it',
    preferred: { agent: 0, via: 'session' },
    agents: [{ missedThisCall: true, since: 100 }, { since: 5 }],
    expect: 1,
  },
  {
    name: '[IVR-21] the IVR names the agent by staff number',
    preferred: { agent: 1, via: 'ivrStaffNo' },
    agents: [{ since: 90 }, { since: 1 }],
    expect: 1,
  },
  {
    name: '[IVR-21] the IVR names the agent by user id',
    preferred: { agent: 1, via: 'ivrUserId' },
    agents: [{ since: 90 }, { since: 1 }],
    expect: 1,
  },
  {
    name: '[IVR-21] a caller-number mark set before the call',
    preferred: { agent: 1, via: 'callerMark' },
    agents: [{ since: 90 }, { since: 1 }],
    expect: 1,
  },
  {
    name: '[IVR-21] an expired caller-number mark is ignored',
    preferred: { agent: 1, via: 'expiredCallerMark' },
    agents: [{ since: 90 }, { since: 1 }],
    expect: 0,
  },
  {
    name: '[IVR-20] [IVR-21] a busy preferred agent holds the call even from idle overflow agents',
    overflow: true,
    preferred: { agent: 0, via: 'session' },
    agents: [{ state: 'busy' }, { group: 'overflow', since: 90 }],
    expect: null,
  },
];

async function arrange(c: Case): Promise<{ target: string; overflow: string; sessionId: string }> {
  const { skillGroupRepo, db } = t.app.container.cradle;
  const target = await skillGroupRepo.create(tenantId, { name: `t-${randomUUID()}` });
  const overflow = await skillGroupRepo.create(tenantId, { name: `o-${randomUUID()}` });
  const wait = c.preferred?.waitSeconds ?? 60;
  await sql(`update tenants set settings = $2 where id = $1`, [
    tenantId,
    JSON.stringify({ agent: { preferredAgentWaitSeconds: wait } }),
  ]);
  const offered: string[] = [];
  for (const [i, a] of c.agents.entries()) {
    const id = agentIds[i]!;
    const group = a.group ?? 'target';
    if (group !== 'none') await skillGroupRepo.addMember(tenantId, group === 'target' ? target.id : overflow.id, id);
    await sql(`update agents set state = $2, state_since = now() - make_interval(secs => $3) where user_id = $1`, [
      id,
      a.state ?? 'idle',
      a.since ?? 1,
    ]);
    if (a.missedThisCall) offered.push(id);
  }
  const p = c.preferred;
  if (p?.via === 'callerMark' || p?.via === 'expiredCallerMark') {
    await sql(
      `insert into preferred_agents (tenant_id, caller_number, agent_id, expires_at)
       values ($1, $2, $3, now() + make_interval(secs => $4))`,
      [tenantId, CALLER, agentIds[p.agent], p.via === 'callerMark' ? 600 : -5],
    );
  }
  const [session] = await db
    .insert(callSessions)
    .values({
      tenantId,
      direction: 'inbound',
      caller: CALLER,
      callee: '4000000000',
      customerCallSid: randomUUID(),
      state: 'queued',
      queuedSkillGroupId: target.id,
      queuedAt: new Date(),
      offeredAgentIds: offered,
      overflowSkillGroupId: c.overflow ? overflow.id : null,
      preferredAgent: p?.via === 'ivrStaffNo' ? staffNos[p.agent]! : p?.via === 'ivrUserId' ? agentIds[p.agent]! : null,
    })
    .returning();
  if (p?.via === 'session') {
    // What `POST /routing/preferred-agents {sessionId}` does.
    await sql(
      `update call_sessions set preferred_agent_id = $2, preferred_until = now() + make_interval(secs => $3) where id = $1`,
      [session!.id, agentIds[p.agent], wait],
    );
  }
  return { target: target.id, overflow: overflow.id, sessionId: session!.id };
}

beforeAll(async () => {
  t = await startTestApp({ config: { calls: { sweepIntervalMs: 3_600_000, wrapUpSeconds: 0 } } });
  const seeded = await t.seedTenant({
    slug: 'inputs',
    edition: 'advanced',
    roles: ['admin', ...Array.from({ length: N }, () => 'agent' as const)],
  });
  tenantId = seeded.tenantId;
  agentIds = Array.from({ length: N }, (_, i) => seeded.users[`agent${i + 1}`]!.id);
  for (const id of agentIds) await t.app.container.cradle.agentService.ensure(tenantId, id, `inputs-${id}`);
  sql = (text, params) => t.app.database.pool.query(text, params);
  staffNos = (
    await sql(`select staff_no from users where id = any($1) order by array_position($1, id)`, [agentIds])
  ).rows.map((r) => r.staff_no as string);
});

afterAll(async () => {
  await t?.stop();
});

beforeEach(async () => {
  await sql(`update call_sessions set state = 'ended' where tenant_id = $1`, [tenantId]);
  await sql(`delete from call_offers where tenant_id = $1`, [tenantId]);
  await sql(`delete from preferred_agents where tenant_id = $1`, [tenantId]);
  await sql(`delete from skill_group_members where tenant_id = $1`, [tenantId]);
  await sql(`update agents set state = 'offline', state_since = now() where tenant_id = $1`, [tenantId]);
});

describe('routing inputs of a transfer', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { target, overflow, sessionId } = await arrange(c);
    const { acdService } = t.app.container.cradle;
    await acdService.resolvePreferences(tenantId);
    const claim = await acdService.claim(tenantId, { tenant: true });
    if (c.expect === null) {
      expect(claim).toBeNull();
      const s = await sql(`select state from call_sessions where id = $1`, [sessionId]);
      expect(s.rows[0]!.state).toBe('queued');
      return;
    }
    expect(claim?.agent.userId, `expected agent ${c.expect}`).toBe(agentIds[c.expect]);
    const offers = await sql(`select agent_id, skill_group_id from call_offers where session_id = $1`, [sessionId]);
    expect(offers.rows).toEqual([
      { agent_id: agentIds[c.expect], skill_group_id: c.through === 'overflow' ? overflow : target },
    ]);
  });

  it('[IVR-20] overflow also applies when an overflow agent frees up while the caller waits', async () => {
    const c: Case = {
      name: 'later',
      overflow: true,
      agents: [{ state: 'busy' }, { group: 'overflow', state: 'busy' }],
      expect: null,
    };
    const { overflow, sessionId } = await arrange(c);
    const { acdService } = t.app.container.cradle;
    expect(await acdService.claim(tenantId, { skillGroupId: overflow })).toBeNull();
    await sql(`update agents set state = 'idle' where user_id = $1`, [agentIds[1]]);
    // The overflow agent's own dispatch finds the caller of the other group.
    const claim = await acdService.claim(tenantId, { agentId: agentIds[1]! });
    expect(claim?.session.id).toBe(sessionId);
    expect(claim?.group.id).toBe(overflow);
  });

  it('[IVR-21] a held call goes to the preferred agent the moment they are free', async () => {
    const c: Case = {
      name: 'freed',
      preferred: { agent: 0, via: 'session' },
      agents: [{ state: 'busy' }, { since: 90 }],
      expect: null,
    };
    const { sessionId } = await arrange(c);
    const { acdService } = t.app.container.cradle;
    expect(await acdService.claim(tenantId, { agentId: agentIds[1]! })).toBeNull();
    await sql(`update agents set state = 'idle' where user_id = $1`, [agentIds[0]]);
    const claim = await acdService.claim(tenantId, { agentId: agentIds[0]! });
    expect(claim?.session.id).toBe(sessionId);
    expect(claim?.agent.userId).toBe(agentIds[0]);
  });

  it('[IVR-21] the API marks a caller number or a live call (supervisor or API key with routing:write)', async () => {
    const c: Case = { name: 'api', agents: [{ since: 90 }, { state: 'busy' }], expect: null };
    const { sessionId } = await arrange(c);
    const admin = (await t.login('admin0@inputs.test')).body.accessToken as string;
    const bySession = await t.request('POST', '/api/v1/routing/preferred-agents', {
      token: admin,
      body: { sessionId, staffNo: staffNos[1] },
    });
    expect(bySession.status, JSON.stringify(bySession.body)).toBe(201);
    expect(bySession.body).toMatchObject({ agentId: agentIds[1], sessionId, callerNumber: null, expiresAt: null });
    const row = await sql(
      `select preferred_agent_id, preferred_until > now() as open from call_sessions where id = $1`,
      [sessionId],
    );
    expect(row.rows[0]).toEqual({ preferred_agent_id: agentIds[1], open: true });
    // Held for agent 1 (busy): idle agent 0 does not get it.
    expect(await t.app.container.cradle.acdService.claim(tenantId, { tenant: true })).toBeNull();

    const key = await t.request('POST', '/api/v1/api-keys', {
      token: admin,
      body: { name: 'crm', scopes: ['routing:write'] },
    });
    const byNumber = await t.request('POST', '/api/v1/routing/preferred-agents', {
      token: key.body.key,
      body: { callerNumber: '+86 139 0000 7777'.replace(/ /g, ''), agentId: agentIds[0], expiresInSeconds: 120 },
    });
    expect(byNumber.status, JSON.stringify(byNumber.body)).toBe(201);
    expect(byNumber.body).toMatchObject({ agentId: agentIds[0], callerNumber: '8613900007777', sessionId: null });
    const mark = await sql(
      `select agent_id, expires_at > now() + interval '100 seconds' as long from preferred_agents where caller_number = $1`,
      ['8613900007777'],
    );
    expect(mark.rows).toEqual([{ agent_id: agentIds[0], long: true }]);

    for (const body of [
      { sessionId, callerNumber: '123456', agentId: agentIds[0] },
      { sessionId },
      { callerNumber: '12', agentId: agentIds[0] },
      { sessionId, agentId: agentIds[0], staffNo: '1' },
    ]) {
      const bad = await t.request('POST', '/api/v1/routing/preferred-agents', { token: admin, body });
      expect(bad.status, JSON.stringify(body)).toBe(400);
    }
    const unknown = await t.request('POST', '/api/v1/routing/preferred-agents', {
      token: admin,
      body: { sessionId: randomUUID(), agentId: agentIds[0] },
    });
    expect(unknown.status).toBe(404);
    // Another tenant's agent or live call is as good as unknown.
    const other = await t.seedTenant({ slug: 'inputs-other', edition: 'advanced' });
    const theirs = await t.request('POST', '/api/v1/routing/preferred-agents', {
      token: admin,
      body: { callerNumber: '13900008888', agentId: other.users.agent!.id },
    });
    expect(theirs.status).toBe(404);
    const theirSession = await t.request('POST', '/api/v1/routing/preferred-agents', {
      token: other.users.admin!.token,
      body: { sessionId, agentId: other.users.agent!.id },
    });
    expect(theirSession.status).toBe(404);
    expect((await sql(`select preferred_agent_id from call_sessions where id = $1`, [sessionId])).rows[0]).toEqual({
      preferred_agent_id: agentIds[1],
    });
  });
});
