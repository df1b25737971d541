/**
 * The agent state machine over the API: every self-service move of AGT-01 against the table,
 * rest reasons, login into the tenant's default state (AGT-02), logout, the agent settings, the
 * tenant's wrap-up (RT-06, CTL-06) and an admin forcing an agent offline (ADM-12) with the
 * agent's realtime sockets closed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestApp, type SeededUser, type TestApp } from '../../../test/support/test-app.js';
import { AGENT_STATES, type AgentState } from './schema.js';
import { SELF_STATES, type SelfState } from './service.js';
import { ACTORS, canTransition, statesFrom, TRANSITIONS } from './state-machine.js';

let t: TestApp;
let tenantId: string;
let users: Record<string, SeededUser>;
let agent: SeededUser;
let sql: (text: string, params?: unknown[]) => Promise<{ rows: Array<Record<string, unknown>> }>;

beforeAll(async () => {
  t = await startTestApp({ config: { calls: { sweepIntervalMs: 100, wrapUpSeconds: 15 } } });
  const seeded = await t.seedTenant({ slug: 'agents', roles: ['admin', 'supervisor', 'agent', 'agent'] });
  tenantId = seeded.tenantId;
  users = seeded.users;
  agent = users.agent2!;
  for (const u of [users.agent2!, users.agent3!, users.supervisor!]) {
    await t.app.container.cradle.agentService.ensure(tenantId, u.id, `agents-${u.id}`);
  }
  sql = (text, params) => t.app.database.pool.query(text, params);
});
afterAll(async () => {
  await t?.stop();
});
beforeEach(async () => {
  await sql(`update tenants set settings = '{}' where id = $1`, [tenantId]);
  await sql(`update agents set state = 'offline', reason = null, wrap_up_until = null where tenant_id = $1`, [
    tenantId,
  ]);
});

/** Puts the agent in a state directly (as if the call logic had). */
async function force(userId: string, state: AgentState, reason: string | null = null): Promise<void> {
  await sql(`update agents set state = $2, reason = $3, state_since = now() - interval '1 minute' where user_id = $1`, [
    userId,
    state,
    state === 'rest' ? (reason ?? 'Meal') : null,
  ]);
}

async function stateOf(userId: string): Promise<{ state: string; reason: string | null }> {
  const r = await sql(`select state, reason from agents where user_id = $1`, [userId]);
  return r.rows[0] as { state: string; reason: string | null };
}

/** A realtime socket that collects frames and reports its close code. */
async function socket(token: string) {
  const ws = new WebSocket(`${t.url.replace(/^http/, 'ws')}/ws?access_token=${token}`);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- frames are asserted on loosely
  const frames: Array<{ type: string; data: any }> = [];
  ws.on('message', (m) => frames.push(JSON.parse(m.toString())));
  const closed = new Promise<{ code: number; reason: string }>((r) =>
    ws.on('close', (code, reason) => r({ code, reason: reason.toString() })),
  );
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  return { ws, frames, closed };
}

async function until<T>(fn: () => Promise<T | undefined | null | false>, what: string, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the transition table', () => {
  it('[AGT-01] lists who may cause each move', () => {
    // Only the call logic offers, answers and ends calls.
    for (const from of AGENT_STATES) {
      expect(canTransition(from, 'ringing', 'self')).toBe(false);
      expect(canTransition(from, 'busy', 'self')).toBe(false);
      expect(canTransition(from, 'afterCallWork', 'self')).toBe(false);
      expect(canTransition(from, 'ringing', 'admin')).toBe(false);
    }
    expect(statesFrom('ringing', 'system')).toEqual(['idle']);
    expect(statesFrom('afterCallWork', 'system')).toEqual(['busy']);
    // An admin can only force offline — from anywhere but offline.
    for (const to of AGENT_STATES) {
      expect(statesFrom(to, 'admin')).toEqual(to === 'offline' ? AGENT_STATES.filter((s) => s !== 'offline') : []);
    }
    // Nobody brings an agent online but the agent.
    expect(Object.keys(TRANSITIONS.offline).sort()).toEqual(['idle', 'notReady']);
    for (const actor of ACTORS) {
      expect(canTransition('offline', 'idle', actor)).toBe(actor === 'self');
    }
  });

  it('[AGT-01] the call logic cannot make a move the table does not list', async () => {
    const { agentService, db } = t.app.container.cradle;
    await force(agent.id, 'offline');
    await expect(
      db.transaction((tx) => agentService.transition(tx, tenantId, agent.id, ['offline'], 'ringing')),
    ).rejects.toThrow(/may not move offline → ringing/);
    await expect(
      db.transaction((tx) =>
        agentService.transition(tx, tenantId, agent.id, ['ringing'], 'notReady', { actor: 'self' }),
      ),
    ).rejects.toThrow(/self may not move ringing → notReady/);
    expect((await stateOf(agent.id)).state).toBe('offline');
  });
});

/** What the agent may do to themself: 200 (moved or already there) or 409. Written out by hand. */
const SELF_MOVES: Record<AgentState, Record<SelfState, 200 | 409>> = {
  offline: { idle: 200, notReady: 200, rest: 409, offline: 200 },
  idle: { idle: 200, notReady: 200, rest: 200, offline: 200 },
  notReady: { idle: 200, notReady: 200, rest: 200, offline: 200 },
  rest: { idle: 200, notReady: 200, rest: 200, offline: 200 },
  ringing: { idle: 409, notReady: 409, rest: 409, offline: 409 },
  busy: { idle: 409, notReady: 409, rest: 409, offline: 409 },
  afterCallWork: { idle: 200, notReady: 200, rest: 200, offline: 200 },
};

describe('agent state API', () => {
  const cases = AGENT_STATES.flatMap((from) => SELF_STATES.map((to) => [from, to, SELF_MOVES[from][to]] as const));

  it.each(cases)('[AGT-01] %s → %s answers %i', async (from, to, status) => {
    await force(agent.id, from);
    const res = await t.request('PUT', '/api/v1/agents/me/state', {
      token: agent.token,
      body: { state: to, ...(to === 'rest' ? { reason: 'Meeting' } : {}) },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    if (status === 409) {
      expect(res.body.error).toMatchObject({ code: 'invalid_state_transition', details: { from, to } });
      expect((await stateOf(agent.id)).state).toBe(from);
    } else {
      expect(res.body.state).toBe(to);
      expect(await stateOf(agent.id)).toEqual({ state: to, reason: to === 'rest' ? 'Meeting' : null });
    }
  });

  it('[AGT-01] rest needs one of the reasons the admin configured', async () => {
    await force(agent.id, 'idle');
    const none = await t.request('PUT', '/api/v1/agents/me/state', { token: agent.token, body: { state: 'rest' } });
    expect(none.status).toBe(400);
    expect(none.body.error.details.allowed).toEqual(['Meal', 'Meeting', 'Training']);
    const put = await t.request('PUT', '/api/v1/settings/agent', {
      token: users.admin!.token,
      body: { restReasons: ['用餐', '培训'] },
    });
    expect(put.status).toBe(200);
    const wrong = await t.request('PUT', '/api/v1/agents/me/state', {
      token: agent.token,
      body: { state: 'rest', reason: 'Meal' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'validation_failed', details: { allowed: ['用餐', '培训'] } });
    const ok = await t.request('PUT', '/api/v1/agents/me/state', {
      token: agent.token,
      body: { state: 'rest', reason: '用餐' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ state: 'rest', reason: '用餐' });
    // Another reason while resting is a change of reason.
    const other = await t.request('PUT', '/api/v1/agents/me/state', {
      token: agent.token,
      body: { state: 'rest', reason: '培训' },
    });
    expect(other.body).toMatchObject({ state: 'rest', reason: '培训' });
    const back = await t.request('PUT', '/api/v1/agents/me/state', { token: agent.token, body: { state: 'idle' } });
    expect(back.body).toMatchObject({ state: 'idle', reason: null });
  });

  it('[AGT-01] every change is logged with who caused it and published on /ws as agent.status', async () => {
    await force(agent.id, 'offline');
    const sup = await socket(users.supervisor!.token);
    const own = await socket(agent.token);
    for (const state of ['idle', 'notReady', 'idle'] as const) {
      const r = await t.request('PUT', '/api/v1/agents/me/state', { token: agent.token, body: { state } });
      expect(r.status).toBe(200);
    }
    const mine = (f: { type: string; data: { agentId: string } }) =>
      f.type === 'agent.status' && f.data.agentId === agent.id;
    for (const s of [sup, own]) {
      await until(async () => s.frames.filter(mine).length >= 3, 'three agent.status frames');
      expect(s.frames.filter(mine).map((f) => [f.data.from, f.data.to, f.data.by])).toEqual([
        ['offline', 'idle', 'self'],
        ['idle', 'notReady', 'self'],
        ['notReady', 'idle', 'self'],
      ]);
    }
    const log = await sql(
      `select from_state, to_state, actor from agent_state_log where user_id = $1 order by at desc limit 3`,
      [agent.id],
    );
    expect(log.rows.reverse()).toEqual([
      { from_state: 'offline', to_state: 'idle', actor: 'self' },
      { from_state: 'idle', to_state: 'notReady', actor: 'self' },
      { from_state: 'notReady', to_state: 'idle', actor: 'self' },
    ]);
    sup.ws.close();
    own.ws.close();
  });

  it('[AGT-01] [RT-01] asking for the state one is in changes nothing (idle time is kept)', async () => {
    await force(agent.id, 'idle');
    const before = await sql(`select state_since from agents where user_id = $1`, [agent.id]);
    const logBefore = await sql(`select count(*)::int as n from agent_state_log where user_id = $1`, [agent.id]);
    const res = await t.request('PUT', '/api/v1/agents/me/state', { token: agent.token, body: { state: 'idle' } });
    expect(res.status).toBe(200);
    const after = await sql(`select state_since from agents where user_id = $1`, [agent.id]);
    expect(after.rows[0]).toEqual(before.rows[0]);
    expect((await sql(`select count(*)::int as n from agent_state_log where user_id = $1`, [agent.id])).rows).toEqual(
      logBefore.rows,
    );
  });

  it('[AGT-01] [SDK-13] logout goes offline, but not while ringing or on a call', async () => {
    for (const from of ['ringing', 'busy'] as const) {
      await force(agent.id, from);
      const res = await t.request('POST', '/api/v1/agents/me/logout', { token: agent.token });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'invalid_state_transition', details: { from, to: 'offline' } });
    }
    await force(agent.id, 'afterCallWork');
    const res = await t.request('POST', '/api/v1/agents/me/logout', { token: agent.token });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('offline');
  });
});

describe('login', () => {
  it('[AGT-02] [SDK-12] login puts an offline agent into the default state the admin set', async () => {
    const admin = users.admin!.token;
    // Default: idle.
    let res = await t.request('POST', '/api/v1/agents/me/login', { token: agent.token });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('idle');
    await t.request('POST', '/api/v1/agents/me/logout', { token: agent.token });

    const put = await t.request('PUT', '/api/v1/settings/agent', {
      token: admin,
      body: { defaultLoginState: 'notReady' },
    });
    expect(put.body.defaultLoginState).toBe('notReady');
    res = await t.request('POST', '/api/v1/agents/me/login', { token: agent.token });
    expect(res.body.state).toBe('notReady');
    // Logging in again (a reloaded workbench) keeps the state one is in.
    await t.request('PUT', '/api/v1/agents/me/state', { token: agent.token, body: { state: 'idle' } });
    res = await t.request('POST', '/api/v1/agents/me/login', { token: agent.token });
    expect(res.body.state).toBe('idle');
    const log = await sql(`select to_state, actor from agent_state_log where user_id = $1 order by at`, [agent.id]);
    expect(log.rows.map((r) => r.to_state)).toEqual(expect.arrayContaining(['notReady']));
  });

  it('[AGT-02] only an admin sets the default; a bad value is refused', async () => {
    const res = await t.request('PUT', '/api/v1/settings/agent', {
      token: users.supervisor!.token,
      body: { defaultLoginState: 'notReady' },
    });
    expect(res.status).toBe(403);
    const bad = await t.request('PUT', '/api/v1/settings/agent', {
      token: users.admin!.token,
      body: { defaultLoginState: 'rest' },
    });
    expect(bad.status).toBe(400);
  });
});

describe('agent settings', () => {
  it('[AGT-01] [AGT-02] [RT-06] GET shows the effective settings; PUT changes only what it sends', async () => {
    const admin = users.admin!.token;
    const initial = await t.request('GET', '/api/v1/settings/agent', { token: agent.token });
    expect(initial.status).toBe(200);
    expect(initial.body).toEqual({
      restReasons: ['Meal', 'Meeting', 'Training'],
      defaultLoginState: 'idle',
      wrapUpSeconds: 15, // the server default
      wrapUpAutoEnd: true,
      lastAgentFirst: true,
      preferredAgentWaitSeconds: 20,
      outboundMemoryDays: 0,
      outboundMemoryFallback: 'wait',
    });
    // Other tenant settings are left alone.
    await t.request('PATCH', '/api/v1/tenant', { token: admin, body: { settings: { numberProtection: true } } });
    const put = await t.request('PUT', '/api/v1/settings/agent', {
      token: admin,
      body: { restReasons: ['Lunch'], wrapUpSeconds: 30 },
    });
    expect(put.body).toMatchObject({ restReasons: ['Lunch'], wrapUpSeconds: 30, defaultLoginState: 'idle' });
    const put2 = await t.request('PUT', '/api/v1/settings/agent', { token: admin, body: { lastAgentFirst: false } });
    expect(put2.body).toMatchObject({ restReasons: ['Lunch'], wrapUpSeconds: 30, lastAgentFirst: false });
    const tenant = await t.request('GET', '/api/v1/tenant', { token: admin });
    expect(tenant.body.settings.numberProtection).toBe(true);
    // null goes back to the server default.
    const reset = await t.request('PUT', '/api/v1/settings/agent', { token: admin, body: { wrapUpSeconds: null } });
    expect(reset.body.wrapUpSeconds).toBe(15);
    for (const body of [
      { restReasons: ['a', 'a'] },
      { restReasons: [''] },
      { wrapUpSeconds: -1 },
      { wrapUpSeconds: 3601 },
      { unknown: 1 },
    ]) {
      const r = await t.request('PUT', '/api/v1/settings/agent', { token: admin, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe('wrap-up', () => {
  async function endCall(): Promise<void> {
    const { agentService, db } = t.app.container.cradle;
    await force(agent.id, 'busy');
    // As the call logic does at hang-up with the server default of 15 s.
    const change = await db.transaction((tx) =>
      agentService.transition(tx, tenantId, agent.id, ['busy'], 'afterCallWork', {
        wrapUpUntil: new Date(Date.now() + 15_000),
      }),
    );
    agentService.announce([change]);
  }

  it("[RT-06] [CTL-06] wrap-up lasts the tenant's wrapUpSeconds, then the agent is idle again by itself", async () => {
    await t.request('PUT', '/api/v1/settings/agent', { token: users.admin!.token, body: { wrapUpSeconds: 1 } });
    const started = Date.now();
    await endCall();
    const row = await sql(`select state, wrap_up_until from agents where user_id = $1`, [agent.id]);
    expect(row.rows[0]!.state).toBe('afterCallWork');
    const until_ = (row.rows[0]!.wrap_up_until as Date).getTime() - started;
    expect(until_).toBeGreaterThan(500);
    expect(until_).toBeLessThan(2000);
    await until(async () => (await stateOf(agent.id)).state === 'idle', 'idle after wrap-up', 5000);
    const log = await sql(
      `select from_state, to_state, actor from agent_state_log where user_id = $1 order by at desc limit 2`,
      [agent.id],
    );
    expect(log.rows.reverse()).toEqual([
      { from_state: 'busy', to_state: 'afterCallWork', actor: 'system' },
      { from_state: 'afterCallWork', to_state: 'idle', actor: 'system' },
    ]);
  });

  it('[CTL-06] without auto-recovery the agent stays in wrap-up until they end it', async () => {
    await t.request('PUT', '/api/v1/settings/agent', {
      token: users.admin!.token,
      body: { wrapUpSeconds: 1, wrapUpAutoEnd: false },
    });
    await endCall();
    const row = await sql(`select state, wrap_up_until from agents where user_id = $1`, [agent.id]);
    expect(row.rows[0]).toEqual({ state: 'afterCallWork', wrap_up_until: null });
    await new Promise((r) => setTimeout(r, 1300)); // past the 1 s, several sweeps later
    expect((await stateOf(agent.id)).state).toBe('afterCallWork');
    const res = await t.request('PUT', '/api/v1/agents/me/state', { token: agent.token, body: { state: 'idle' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'idle', wrapUpUntil: null });
  });

  it('[RT-06] wrapUpSeconds 0: straight back to idle at hang-up', async () => {
    await t.request('PUT', '/api/v1/settings/agent', { token: users.admin!.token, body: { wrapUpSeconds: 0 } });
    await endCall();
    expect((await stateOf(agent.id)).state).toBe('idle');
  });
});

describe('force offline', () => {
  it('[ADM-12] an admin forces an agent offline: every socket of the agent is closed (4003), others stay', async () => {
    const a = users.agent3!;
    await force(a.id, 'idle');
    const s1 = await socket(a.token);
    const ticket = await t.request('POST', '/api/v1/realtime/tickets', { token: a.token });
    const s2ws = new WebSocket(`${t.url.replace(/^http/, 'ws')}${ticket.body.url}`);
    const s2closed = new Promise<number>((r) => s2ws.on('close', (code) => r(code)));
    await new Promise((r) => s2ws.once('open', r));
    const sup = await socket(users.supervisor!.token);
    const other = await socket(users.agent2!.token);

    const res = await t.request('POST', `/api/v1/agents/${a.id}/force-offline`, { token: users.admin!.token });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('offline');

    expect(await s1.closed).toEqual({ code: 4003, reason: 'session revoked' });
    expect(await s2closed).toBe(4003);
    // (`presence` goes to the whole tenant, the agent included: colleagues' view, AGT-04.)
    expect(s1.frames.map((f) => f.type).filter((t) => t !== 'presence')).toEqual([
      'session.ready',
      'agent.status',
      'session.revoked',
    ]);
    expect(s1.frames.at(-1)!.data).toMatchObject({ reason: 'forced-offline' });
    // The supervisor sees who did it; the supervisor's and another agent's sockets stay open.
    const seen = await until(
      async () => sup.frames.find((f) => f.type === 'agent.status' && f.data.agentId === a.id),
      'agent.status to supervisors',
    );
    expect(seen.data).toMatchObject({ from: 'idle', to: 'offline', by: 'admin' });
    await new Promise((r) => setTimeout(r, 50));
    expect(sup.ws.readyState).toBe(WebSocket.OPEN);
    expect(other.ws.readyState).toBe(WebSocket.OPEN);
    const log = await sql(
      `select from_state, to_state, actor, actor_id from agent_state_log where user_id = $1 order by at desc limit 1`,
      [a.id],
    );
    expect(log.rows[0]).toEqual({ from_state: 'idle', to_state: 'offline', actor: 'admin', actor_id: users.admin!.id });
    // The agent can sign in again later.
    const again = await t.request('POST', '/api/v1/agents/me/login', { token: a.token });
    expect(again.body.state).toBe('idle');
    sup.ws.close();
    other.ws.close();
  });

  it('[ADM-12] works from any state (notReady, rest, busy, wrap-up, offline): the agent ends up offline', async () => {
    const a = users.agent3!;
    for (const from of ['notReady', 'rest', 'busy', 'afterCallWork', 'offline'] as const) {
      await force(a.id, from);
      const res = await t.request('POST', `/api/v1/agents/${a.id}/force-offline`, { token: users.admin!.token });
      expect(res.status, from).toBe(200);
      expect(res.body.state).toBe('offline');
    }
  });

  it('[ADM-12] only admins; unknown agents are 404', async () => {
    for (const who of [users.supervisor!, users.agent2!]) {
      const res = await t.request('POST', `/api/v1/agents/${users.agent3!.id}/force-offline`, { token: who.token });
      expect(res.status).toBe(403);
    }
    const other = await t.seedTenant({ slug: 'agents-other', roles: ['agent'] });
    await t.app.container.cradle.agentService.ensure(other.tenantId, other.users.agent!.id, null);
    const res = await t.request('POST', `/api/v1/agents/${other.users.agent!.id}/force-offline`, {
      token: users.admin!.token,
    });
    expect(res.status).toBe(404);
  });
});
