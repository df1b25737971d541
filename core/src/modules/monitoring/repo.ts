import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import type { MonitorAgentLive, MonitorSkillGroupLive } from '../../realtime/events.js';
import type { AgentState } from '../agents/schema.js';
import type { SessionState } from '../calls/schema.js';
import type { Role } from '../users/schema.js';

/** One agent monitor row (MON-01): who, in which groups, and the live part. */
export interface MonitorAgentRow extends MonitorAgentLive {
  name: string;
  staffNo: string;
  role: Role;
  skillGroups: Array<{ id: string; name: string }>;
}

/** One skill group monitor row (MON-02). */
export interface MonitorSkillGroupRow extends MonitorSkillGroupLive {
  name: string;
  type: 'inbound' | 'outbound';
}

/** One live call (MON-03's list): every session of the tenant that has not ended. */
export interface MonitorSessionRow {
  sessionId: string;
  state: Exclude<SessionState, 'ended'>;
  direction: 'inbound' | 'outbound' | 'internal';
  caller: string;
  callee: string;
  skillGroup: { id: string; name: string } | null;
  agent: { id: string; name: string; staffNo: string; email: string } | null;
  /** The conference room the call's parties meet in (API-04). */
  roomId: string;
  /** The company number the call uses: dialled by the customer, or shown to them (API-04). */
  accessNumber: string | null;
  startedAt: string;
  queuedAt: string | null;
  acceptedAt: string | null;
  held: boolean;
  /** Supervisors listening in (their leg rings or is in the room). */
  listeners: Array<{ supervisorId: string; legId: string; state: 'ringing' | 'joined' }>;
}

/** Filters of the agent monitor. */
export interface AgentFilter {
  skillGroupId?: string;
  state?: AgentState;
  agentIds?: readonly string[];
}

/** The tenant's midnight today in its time zone, as SQL (the same "today" as RT-02). */
function dayStart(timeZone: string): SQL {
  return sql`(date_trunc('day', now() at time zone ${timeZone}) at time zone ${timeZone})`;
}

const uuidArray = (ids: readonly string[]): string => `{${ids.join(',')}}`;

const ONLINE: readonly AgentState[] = ['idle', 'notReady', 'rest', 'ringing', 'busy', 'afterCallWork'];

/**
 * The monitors' reads (MON-01/02/03). Every query is scoped by tenant; the figures of "today"
 * come from the agent state log and the call tables, from the tenant's midnight.
 */
export class MonitorRepo {
  private readonly db: Db;
  constructor({ db }: { db: Db }) {
    this.db = db;
  }

  /** Agents (users with an agent row, active) with their live figures, by staff number. */
  async agents(tenantId: string, timeZone: string, f: AgentFilter = {}): Promise<MonitorAgentRow[]> {
    if (f.agentIds && f.agentIds.length === 0) return [];
    const conds: SQL[] = [sql`a.tenant_id = ${tenantId}`, sql`u.status = 'active'`];
    if (f.state) conds.push(sql`a.state = ${f.state}`);
    if (f.agentIds) conds.push(sql`a.user_id = any(${uuidArray(f.agentIds)}::uuid[])`);
    if (f.skillGroupId) {
      conds.push(sql`exists (select 1 from skill_group_members m
        where m.tenant_id = a.tenant_id and m.user_id = a.user_id and m.skill_group_id = ${f.skillGroupId})`);
    }
    const where = sql.join(conds, sql` and `);
    const start = dayStart(timeZone);
    const base = await this.db.execute<{
      id: string;
      name: string;
      staff_no: string;
      role: Role;
      state: AgentState;
      reason: string | null;
      state_since: Date | string;
      session_id: string | null;
      direction: 'inbound' | 'outbound' | 'internal' | null;
      caller: string | null;
      callee: string | null;
      session_state: SessionState | null;
      calls_today: number;
      now: Date | string;
    }>(sql`
      select u.id, u.name, u.staff_no, u.role, a.state, a.reason, a.state_since,
        s.id as session_id, s.direction, s.caller, s.callee, s.state as session_state,
        (select count(*)::int from call_offers o
          where o.tenant_id = a.tenant_id and o.agent_id = a.user_id and o.answered_at >= ${start}) as calls_today,
        now() as now
      from agents a
      join users u on u.id = a.user_id and u.tenant_id = a.tenant_id
      left join call_sessions s on s.id = a.current_session_id and s.tenant_id = a.tenant_id
        and s.state <> 'ended' and a.state in ('ringing', 'busy', 'afterCallWork')
      where ${where}
      order by u.staff_no, u.id`);
    const rows = base.rows;
    if (rows.length === 0) return [];
    const ids = uuidArray(rows.map((r) => r.id));
    // Time per state today: each log entry lasts until the next one (or now); the state the
    // agent was in at midnight counts from midnight.
    const times = await this.db.execute<{ user_id: string; state: AgentState; seconds: number }>(sql`
      with day as (select ${start} as start),
      log as (
        select l.user_id, l.to_state as state, l.at from agent_state_log l, day
        where l.tenant_id = ${tenantId} and l.user_id = any(${ids}::uuid[]) and l.at >= day.start
        union all
        select p.user_id, p.to_state, day.start from day cross join unnest(${ids}::uuid[]) as x(id)
        cross join lateral (select l.user_id, l.to_state from agent_state_log l
          where l.tenant_id = ${tenantId} and l.user_id = x.id and l.at < day.start
          order by l.at desc limit 1) p
      ),
      seg as (
        select user_id, state, at, lead(at) over (partition by user_id order by at) as next from log
      )
      select user_id, state, sum(extract(epoch from coalesce(next, now()) - at))::float8 as seconds
      from seg group by user_id, state`);
    const byUser = new Map<string, Partial<Record<AgentState, number>>>();
    for (const t of times.rows) {
      let m = byUser.get(t.user_id);
      if (!m) byUser.set(t.user_id, (m = {}));
      m[t.state] = Math.max(0, Math.floor(Number(t.seconds)));
    }
    const groups = await this.db.execute<{ user_id: string; id: string; name: string }>(sql`
      select m.user_id, g.id, g.name from skill_group_members m
      join skill_groups g on g.id = m.skill_group_id and g.tenant_id = m.tenant_id
      where m.tenant_id = ${tenantId} and m.user_id = any(${ids}::uuid[])
      order by g.name`);
    const groupsOf = new Map<string, Array<{ id: string; name: string }>>();
    for (const g of groups.rows) {
      let list = groupsOf.get(g.user_id);
      if (!list) groupsOf.set(g.user_id, (list = []));
      list.push({ id: g.id, name: g.name });
    }
    return rows.map((r) => {
      const t = byUser.get(r.id) ?? {};
      const online = ONLINE.reduce((sum, s) => sum + (t[s] ?? 0), 0);
      return {
        agentId: r.id,
        name: r.name,
        staffNo: r.staff_no,
        role: r.role,
        skillGroups: groupsOf.get(r.id) ?? [],
        state: r.state,
        reason: r.state === 'rest' ? r.reason : null,
        stateSince: new Date(r.state_since).toISOString(),
        today: {
          online,
          idle: t.idle ?? 0,
          notReady: t.notReady ?? 0,
          rest: t.rest ?? 0,
          busy: (t.busy ?? 0) + (t.ringing ?? 0),
          afterCallWork: t.afterCallWork ?? 0,
        },
        callsToday: r.calls_today,
        currentCall:
          r.session_id && r.direction && r.session_state
            ? {
                sessionId: r.session_id,
                direction: r.direction,
                // The customer: who called in, or whom the agent dialled.
                customer: (r.direction === 'outbound' ? r.callee : r.caller) ?? '',
                state: r.session_state,
              }
            : null,
        at: new Date(r.now).toISOString(),
      };
    });
  }

  /** Skill groups with agents by state, queue and today's calls, by name. */
  async skillGroups(tenantId: string, timeZone: string, ids?: readonly string[]): Promise<MonitorSkillGroupRow[]> {
    if (ids && ids.length === 0) return [];
    const only = ids ? sql`and g.id = any(${uuidArray(ids)}::uuid[])` : sql``;
    const start = dayStart(timeZone);
    const res = await this.db.execute<{
      id: string;
      name: string;
      type: 'inbound' | 'outbound';
      idle: number;
      ringing: number;
      busy: number;
      after_call_work: number;
      not_ready: number;
      rest: number;
      offline: number;
      queue_length: number;
      longest_wait_since: Date | string | null;
      calls_today: number;
      answered_today: number;
      now: Date | string;
    }>(sql`
      select g.id, g.name, g.type,
        coalesce(m.idle, 0) as idle, coalesce(m.ringing, 0) as ringing, coalesce(m.busy, 0) as busy,
        coalesce(m.after_call_work, 0) as after_call_work, coalesce(m.not_ready, 0) as not_ready,
        coalesce(m.rest, 0) as rest, coalesce(m.offline, 0) as offline,
        coalesce(q.n, 0) as queue_length, q.oldest as longest_wait_since,
        coalesce(d.n, 0) as calls_today, coalesce(d.answered, 0) as answered_today,
        now() as now
      from skill_groups g
      left join lateral (
        select
          count(*) filter (where a.state = 'idle')::int as idle,
          count(*) filter (where a.state = 'ringing')::int as ringing,
          count(*) filter (where a.state = 'busy')::int as busy,
          count(*) filter (where a.state = 'afterCallWork')::int as after_call_work,
          count(*) filter (where a.state = 'notReady')::int as not_ready,
          count(*) filter (where a.state = 'rest')::int as rest,
          count(*) filter (where a.state = 'offline')::int as offline
        from skill_group_members sm
        join agents a on a.user_id = sm.user_id and a.tenant_id = sm.tenant_id
        join users u on u.id = sm.user_id and u.status = 'active'
        where sm.tenant_id = g.tenant_id and sm.skill_group_id = g.id
      ) m on true
      left join lateral (
        select count(*)::int as n, min(s.queued_at) as oldest from call_sessions s
        where s.tenant_id = g.tenant_id and s.state = 'queued' and s.queued_skill_group_id = g.id
      ) q on true
      left join lateral (
        select count(*)::int as n, count(*) filter (where s.accepted_at is not null)::int as answered
        from call_sessions s
        where s.tenant_id = g.tenant_id and s.queued_skill_group_id = g.id and s.started_at >= ${start}
      ) d on true
      where g.tenant_id = ${tenantId} ${only}
      order by g.name, g.id`);
    return res.rows.map((r) => ({
      skillGroupId: r.id,
      name: r.name,
      type: r.type,
      agents: {
        online: r.idle + r.ringing + r.busy + r.after_call_work + r.not_ready + r.rest,
        idle: r.idle,
        ringing: r.ringing,
        busy: r.busy,
        afterCallWork: r.after_call_work,
        notReady: r.not_ready,
        rest: r.rest,
        offline: r.offline,
      },
      queueLength: r.queue_length,
      longestWaitSince: r.longest_wait_since ? new Date(r.longest_wait_since).toISOString() : null,
      callsToday: r.calls_today,
      answeredToday: r.answered_today,
      at: new Date(r.now).toISOString(),
    }));
  }

  /** The groups an agent is a member of (whose counts change with the agent's state). */
  async groupsOf(tenantId: string, agentIds: readonly string[]): Promise<string[]> {
    if (agentIds.length === 0) return [];
    const res = await this.db.execute<{ id: string }>(sql`
      select distinct skill_group_id as id from skill_group_members
      where tenant_id = ${tenantId} and user_id = any(${uuidArray(agentIds)}::uuid[])`);
    return res.rows.map((r) => r.id);
  }

  /** Calls of the tenant that have not ended, oldest first. */
  async sessions(
    tenantId: string,
    f: { skillGroupId?: string; state?: Exclude<SessionState, 'ended'> } = {},
  ): Promise<MonitorSessionRow[]> {
    const conds: SQL[] = [sql`s.tenant_id = ${tenantId}`, sql`s.state <> 'ended'`];
    if (f.skillGroupId) conds.push(sql`s.queued_skill_group_id = ${f.skillGroupId}`);
    if (f.state) conds.push(sql`s.state = ${f.state}`);
    const res = await this.db.execute<{
      id: string;
      state: Exclude<SessionState, 'ended'>;
      direction: 'inbound' | 'outbound' | 'internal';
      caller: string;
      callee: string;
      group_id: string | null;
      group_name: string | null;
      agent_id: string | null;
      agent_name: string | null;
      agent_staff_no: string | null;
      agent_email: string | null;
      room: string;
      started_at: Date | string;
      queued_at: Date | string | null;
      accepted_at: Date | string | null;
      held: boolean | null;
    }>(sql`
      select s.id, s.state, s.direction, s.caller, s.callee,
        g.id as group_id, g.name as group_name,
        u.id as agent_id, u.name as agent_name, u.staff_no as agent_staff_no, u.email as agent_email,
        coalesce(c.room, s.id::text) as room,
        s.started_at, s.queued_at, s.accepted_at, c.customer_held as held
      from call_sessions s
      left join skill_groups g on g.id = s.queued_skill_group_id and g.tenant_id = s.tenant_id
      left join users u on u.id = s.agent_id and u.tenant_id = s.tenant_id
      left join session_controls c on c.session_id = s.id
      where ${sql.join(conds, sql` and `)}
      order by s.started_at, s.id
      limit 1000`);
    if (res.rows.length === 0) return [];
    const legs = await this.db.execute<{
      session_id: string;
      agent_id: string;
      id: string;
      state: 'ringing' | 'joined';
    }>(
      sql`select session_id, agent_id, id, state from call_legs
        where tenant_id = ${tenantId} and purpose = 'listen' and state in ('ringing', 'joined')
          and agent_id is not null and session_id = any(${uuidArray(res.rows.map((r) => r.id))}::uuid[])`,
    );
    const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
    return res.rows.map((r) => ({
      sessionId: r.id,
      state: r.state,
      direction: r.direction,
      caller: r.caller,
      callee: r.callee,
      skillGroup: r.group_id ? { id: r.group_id, name: r.group_name ?? '' } : null,
      agent: r.agent_id
        ? { id: r.agent_id, name: r.agent_name ?? '', staffNo: r.agent_staff_no ?? '', email: r.agent_email ?? '' }
        : null,
      roomId: r.room,
      accessNumber: r.direction === 'inbound' ? r.callee : r.direction === 'outbound' ? r.caller : null,
      startedAt: iso(r.started_at)!,
      queuedAt: iso(r.queued_at),
      acceptedAt: iso(r.accepted_at),
      held: r.held === true,
      listeners: legs.rows
        .filter((l) => l.session_id === r.id)
        .map((l) => ({ supervisorId: l.agent_id, legId: l.id, state: l.state })),
    }));
  }
}
