import { randomUUID } from 'node:crypto';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { BackgroundSteps } from '../../background.js';
import type { ResolvedConfig } from '../../config/config.js';
import type { Db, DbTx } from '../../db/database.js';
import type { PluginHost } from '../../plugins/host.js';
import type { EventBus } from '../../realtime/bus.js';
import { isProviderUnavailable, type TelephonyPort } from '../../telephony/types.js';
import { agentSettingsOf, tenantTimeZone } from '../agents/settings.js';
import type { AgentService, StateChange } from '../agents/service.js';
import { NO_AGENT_MOBILE_NUMBER, NO_MOBILE, type DeviceService } from '../agents/device-service.js';
import type { AnswerMode } from '../agents/schema.js';
import type { Actor } from '../agents/state-machine.js';
import { callOffers, callSessions, type CallSessionRow } from '../calls/schema.js';
import {
  agentNumberView,
  customerNumber,
  hideNumbersDeep,
  numberProtectionOn,
  partiesAsSeen,
} from '../calls/number-protection.js';
import type { SessionEventService } from '../calls/session-events.js';
import { agentVisibleVariables } from '../sessions/legs.js';
import { sessionControls } from '../sessions/schema.js';
import { offerRingSeconds, skillGroups, type SkillGroupRow, type Strategy } from '../skill-groups/schema.js';
import { tenants } from '../tenants/schema.js';
import type { TenantRepo } from '../tenants/repo.js';
import type { CallerLocator } from '../caller-location/lookup.js';
import { companyNumberOf } from '../numbers/company-number.js';
import type { NumberRepo } from '../numbers/repo.js';
import { lastAgentOf } from './memory.js';

/** One pairing of a waiting caller with an agent, made by a claim and then rung. */
export interface Claim {
  session: CallSessionRow;
  group: SkillGroupRow;
  agent: {
    userId: string;
    sipUser: string | null;
    answerMode?: AnswerMode;
    autoAnswer?: boolean;
    mobile?: string | null;
  };
  offerId: string;
  change: StateChange | null;
}

/**
 * What made a dispatch worth trying; it runs while the reason holds:
 * - a skill group (a caller just queued there, or an offer of it ended): while it has an idle
 *   member;
 * - an agent who just became free: while they are idle;
 * - the whole tenant (the sweeper's safety net): while any caller can be served.
 * Whichever it is, each claim takes the tenant's longest-waiting caller that an idle agent can
 * serve, so a busy group cannot starve the others (Asterisk `force_longest_waiting_caller`).
 */
export type ClaimScope = { skillGroupId: string } | { agentId: string } | { tenant: true };

/** How the idle members of a group are ranked, for {@link AcdService.claim}. */
export interface RankInput {
  strategy: Strategy;
  /** Agents this call already rang (they go last). */
  offeredAgentIds: readonly string[];
  /** The agent who served this customer last, when RT-04 applies. */
  lastAgentId: string | null;
  /** IANA zone that defines "today" for RT-02. */
  timeZone: string;
  /** The caller's preferred agent (IVR-21): first among idle candidates. */
  preferredAgentId?: string | null;
}

/**
 * ORDER BY of idle members (alias `a` = agents, `m` = skill_group_members), best first:
 * 1. agents this call already rang go last (RT-05 re-offer goes elsewhere first);
 * 2. the agent who served this caller's last call (RT-04);
 * 3. the group's strategy — RT-01 longest idle; RT-02 fewest calls answered today (an answered
 *    offer is a `ringing → busy` change in the state log), then longest idle; RT-03 member
 *    priority 1–5, then longest idle.
 */
export function rankOrder(r: RankInput): SQL {
  // Passed as one array literal: the ids are uuids read back from our own column.
  const offered = sql`(a.user_id = any(${`{${r.offeredAgentIds.join(',')}}`}::uuid[])) asc`;
  const last = r.lastAgentId ? sql`(a.user_id = ${r.lastAgentId}) desc, ` : sql``;
  const preferred = r.preferredAgentId ? sql`(a.user_id = ${r.preferredAgentId}) desc, ` : sql``;
  const strategy =
    r.strategy === 'fewest-calls'
      ? sql`(select count(*) from agent_state_log l
             where l.tenant_id = a.tenant_id and l.user_id = a.user_id
               and l.at >= date_trunc('day', now() at time zone ${r.timeZone}) at time zone ${r.timeZone}
               and l.from_state = 'ringing' and l.to_state = 'busy') asc, a.state_since asc`
      : r.strategy === 'priority'
        ? sql`m.priority asc, a.state_since asc`
        : sql`a.state_since asc`;
  return sql`${offered}, ${preferred}${last}${strategy}`;
}

/**
 * True while waiting session `s` is held for its preferred agent (IVR-21): a preferred agent is
 * set, the window (`preferred_until`) is open, they have not already missed this call, and they
 * can become free soon — idle, ringing, busy or in wrap-up. A preferred agent who is offline,
 * notReady or resting does not hold the call: it goes to the group at once.
 */
export function preferenceHolds(s: SQL): SQL {
  return sql`(${s}.preferred_agent_id is not null and ${s}.preferred_until > now()
    and not (${s}.preferred_agent_id = any(${s}.offered_agent_ids))
    and exists (select 1 from agents p where p.user_id = ${s}.preferred_agent_id
      and p.state in ('idle', 'ringing', 'busy', 'afterCallWork')))`;
}

/**
 * Whether idle agent `a` may be offered waiting session `s` — the routing inputs of a transfer:
 * - while the call is held for its preferred agent ({@link preferenceHolds}): only that agent,
 *   member of the group or not;
 * - otherwise members of the queued group, and (IVR-20 overflow) members of the session's
 *   overflow group as long as no member of the queued group is idle. "All busy" is judged at
 *   each offer, so overflow applies both when the caller queues and whenever an overflow agent
 *   frees up while the caller still waits; a queued-group agent who frees up first wins.
 */
export function eligible(a: SQL, s: SQL): SQL {
  return sql`(case when ${preferenceHolds(s)} then ${a}.user_id = ${s}.preferred_agent_id
    else (
      exists (select 1 from skill_group_members em
              where em.user_id = ${a}.user_id and em.skill_group_id = ${s}.queued_skill_group_id)
      or (${s}.overflow_skill_group_id is not null
          and exists (select 1 from skill_group_members eo
                      where eo.user_id = ${a}.user_id and eo.skill_group_id = ${s}.overflow_skill_group_id)
          and not exists (select 1 from skill_group_members eg join agents ea on ea.user_id = eg.user_id
                          where eg.skill_group_id = ${s}.queued_skill_group_id and ea.state = 'idle'))
    ) end)`;
}

/** End reason of an offer the provider could not ring (its capacity or its server failed). */
export const PROVIDER_UNAVAILABLE = 'provider unavailable';

/**
 * Misses after which the agent goes to notReady instead of idle: their device cannot be rung at
 * all (no device, unregistered, failed) or they declined (busy). Otherwise the caller would be
 * thrown straight back at them in a loop as fast as the device answers (Asterisk
 * `autopauseunavail` / `autopausebusy`). A plain ring timeout leaves the agent idle.
 */
export const NOT_READY_AFTER: ReadonlySet<string> = new Set([
  'agent has no device',
  'ring failed',
  'failed',
  'busy',
  // IN-02: answering on a mobile that is not set, or no number to dial it from (ADM-05).
  NO_MOBILE,
  NO_AGENT_MOBILE_NUMBER,
]);

/** Upper bound of offers one dispatch makes, so one busy group cannot starve the loop. */
const MAX_OFFERS_PER_DISPATCH = 50;

/**
 * The ACD: pairs waiting callers with idle agents. Each pairing is one short transaction that
 * locks the waiting session and the best idle member with `FOR UPDATE SKIP LOCKED`, so any
 * number of instances can dispatch at once without ever giving one agent two calls (the partial
 * unique index on ringing offers backs this up in the database itself).
 */
export class AcdService {
  private readonly d: {
    db: Db;
    logger: Logger;
    background: BackgroundSteps;
    config: ResolvedConfig;
    agentService: AgentService;
    bus: EventBus;
    tenantRepo: TenantRepo;
    pluginHost: PluginHost;
    telephony: TelephonyPort;
    deviceService: DeviceService;
    sessionEvents: SessionEventService;
    numberRepo: NumberRepo;
    callerLocator: CallerLocator;
  };

  constructor(deps: AcdService['d']) {
    // Kept as the lazy cradle: `telephony` is registered once the adapter is installed.
    this.d = deps;
  }

  /** Offers waiting calls of a skill group to idle members until one side runs out. */
  async dispatch(tenantId: string, skillGroupId: string): Promise<number> {
    return this.dispatchScope(tenantId, { skillGroupId });
  }

  /**
   * An agent became available: the longest-waiting caller across every group they serve is
   * offered first — not the oldest caller of whichever group comes first.
   */
  async dispatchForAgent(tenantId: string, userId: string): Promise<void> {
    await this.dispatchScope(tenantId, { agentId: userId });
  }

  /** Every caller of one tenant that can be served now (e.g. after a preferred-agent mark). */
  async dispatchAllOf(tenantId: string): Promise<void> {
    await this.dispatchScope(tenantId, { tenant: true });
  }

  /** Safety net run by the sweeper: every tenant with a caller waiting gets a dispatch. */
  async dispatchAllWaiting(): Promise<void> {
    const rows = await this.d.db.execute<{ tenant_id: string }>(sql`
      select distinct tenant_id from call_sessions where state = 'queued' limit 500`);
    for (const r of rows.rows) await this.dispatchScope(r.tenant_id, { tenant: true });
  }

  private async dispatchScope(tenantId: string, scope: ClaimScope): Promise<number> {
    await this.resolvePreferences(tenantId);
    let made = 0;
    for (; made < MAX_OFFERS_PER_DISPATCH; made++) {
      const claim = await this.claim(tenantId, scope);
      if (!claim) break;
      await this.ring(claim);
    }
    return made;
  }

  /**
   * IVR-21: gives waiting callers of the tenant without a preferred agent yet the one named for
   * them — by the IVR flow (`preferred_agent`: a staff number or user id) or by a caller-number
   * mark set through the API — and opens the waiting window (`preferredAgentWaitSeconds`) from
   * now. One autocommit statement; callers with nothing to resolve are not touched.
   */
  async resolvePreferences(tenantId: string): Promise<void> {
    const { preferredAgentWaitSeconds } = await this.d.agentService.settings(tenantId);
    await this.d.db.execute(sql`
      update call_sessions s set
        preferred_agent_id = r.agent_id,
        preferred_until = now() + make_interval(secs => ${preferredAgentWaitSeconds})
      from (
        select q.id, coalesce(
          (select u.id from users u where u.tenant_id = q.tenant_id
             and (u.staff_no = q.preferred_agent or u.id::text = q.preferred_agent) limit 1),
          (select p.agent_id from preferred_agents p where p.tenant_id = q.tenant_id
             and p.caller_number = q.caller and p.expires_at > now())) as agent_id
        from call_sessions q
        where q.tenant_id = ${tenantId} and q.state = 'queued' and q.preferred_agent_id is null
      ) r
      where s.id = r.id and r.agent_id is not null and s.preferred_agent_id is null`);
  }

  /**
   * One pairing, in one transaction: the longest-waiting caller in `scope` (by queue priority,
   * then time queued) and the best idle member of that caller's group ({@link rankOrder}); the
   * agent goes `idle → ringing` and an offer row is written. Null when either side is missing.
   */
  async claim(tenantId: string, scope: ClaimScope): Promise<Claim | null> {
    return this.d.db.transaction(async (tx) => {
      const sessionId = await this.lockWaiting(tx, tenantId, scope);
      if (!sessionId) return null;
      const [session] = await tx.select().from(callSessions).where(eq(callSessions.id, sessionId));
      if (!session?.queuedSkillGroupId) return null;
      const skillGroupId = session.queuedSkillGroupId;
      const [group] = await tx
        .select()
        .from(skillGroups)
        .where(and(eq(skillGroups.tenantId, tenantId), eq(skillGroups.id, skillGroupId)));
      if (!group) return null;
      const [tenant] = await tx.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, tenantId));
      const settings = agentSettingsOf(tenant?.settings, { wrapUpSeconds: this.d.config.calls.wrapUpSeconds });
      const customer = session.direction === 'inbound' ? session.caller : session.callee;
      const lastAgentId = settings.lastAgentFirst ? await lastAgentOf(tx, tenantId, customer) : null;
      const order = rankOrder({
        strategy: group.strategy,
        offeredAgentIds: session.offeredAgentIds,
        lastAgentId,
        timeZone: tenantTimeZone(tenant?.settings),
        preferredAgentId: session.preferredAgentId,
      });
      // Members of the queued group first; overflow agents (IVR-20) and a preferred agent from
      // outside the group (IVR-21) join through {@link eligible}.
      const candidates = await tx.execute<{
        user_id: string;
        sip_user: string | null;
        answer_mode: AnswerMode;
        auto_answer: boolean;
        mobile: string | null;
        member: boolean;
      }>(sql`
        select a.user_id, a.sip_user, a.answer_mode, a.auto_answer, u.mobile, (m.user_id is not null) as member
        from agents a
        join call_sessions s on s.id = ${sessionId}
        join users u on u.id = a.user_id
        left join skill_group_members m on m.user_id = a.user_id and m.skill_group_id = ${skillGroupId}
        where a.tenant_id = ${tenantId} and a.state = 'idle' and ${eligible(sql`a`, sql`s`)}
        order by (m.user_id is null) asc, ${order}
        limit 1 for update of a skip locked`);
      const agent = candidates.rows[0];
      if (!agent) return null;
      // An overflow agent serves through the overflow group: its offer, ring timeout and CDR.
      let serving = group;
      if (!agent.member && session.overflowSkillGroupId && agent.user_id !== session.preferredAgentId) {
        const [overflow] = await tx
          .select()
          .from(skillGroups)
          .where(and(eq(skillGroups.tenantId, tenantId), eq(skillGroups.id, session.overflowSkillGroupId)));
        if (overflow) serving = overflow;
      }
      const change = await this.d.agentService.transition(tx, tenantId, agent.user_id, ['idle'], 'ringing', {
        sessionId,
      });
      if (!change) return null;
      const [offer] = await tx
        .insert(callOffers)
        .values({ tenantId, sessionId, agentId: agent.user_id, skillGroupId: serving.id, state: 'ringing' })
        .returning({ id: callOffers.id });
      await tx
        .update(callSessions)
        .set({ state: 'offering', ringAt: sql`coalesce(${callSessions.ringAt}, now())`, lastEventAt: new Date() })
        .where(eq(callSessions.id, sessionId));
      return {
        session,
        group: serving,
        agent: {
          userId: agent.user_id,
          sipUser: agent.sip_user,
          answerMode: agent.answer_mode,
          autoAnswer: agent.auto_answer,
          mobile: agent.mobile,
        },
        offerId: offer!.id,
        change,
      };
    });
  }

  /**
   * Offers `session` to one named agent (CTL-04 transfer to an agent), inside the caller's
   * transaction, which must already hold the session lock (lock order: session → offers →
   * agents). The agent must be idle; null otherwise. The session goes to `offering`; the caller
   * rings the claim with {@link ringClaim} once its transaction has committed.
   */
  async claimAgent(tx: DbTx, session: CallSessionRow, agentId: string): Promise<Claim | null> {
    if (!session.queuedSkillGroupId) return null;
    const [group] = await tx
      .select()
      .from(skillGroups)
      .where(and(eq(skillGroups.tenantId, session.tenantId), eq(skillGroups.id, session.queuedSkillGroupId)));
    if (!group) return null;
    const rows = await tx.execute<{ user_id: string; sip_user: string | null }>(sql`
      select user_id, sip_user from agents
      where tenant_id = ${session.tenantId} and user_id = ${agentId} and state = 'idle'
      for update`);
    const agent = rows.rows[0];
    if (!agent) return null;
    const change = await this.d.agentService.transition(tx, session.tenantId, agentId, ['idle'], 'ringing', {
      sessionId: session.id,
    });
    if (!change) return null;
    const [offer] = await tx
      .insert(callOffers)
      .values({ tenantId: session.tenantId, sessionId: session.id, agentId, skillGroupId: group.id, state: 'ringing' })
      .returning({ id: callOffers.id });
    await tx
      .update(callSessions)
      .set({ state: 'offering', ringAt: sql`coalesce(${callSessions.ringAt}, now())`, lastEventAt: new Date() })
      .where(eq(callSessions.id, session.id));
    return { session, group, agent: { userId: agentId, sipUser: agent.sip_user }, offerId: offer!.id, change };
  }

  /** Rings the agent of a committed {@link claimAgent} claim. */
  async ringClaim(claim: Claim): Promise<void> {
    await this.ring(claim);
  }

  /**
   * Locks the longest-waiting caller of the tenant that an idle agent could take, if any. The
   * scope only says whether to look at all: a group with an idle member, an agent who is idle.
   * The search itself is always tenant-wide and oldest first, so whatever event triggers a
   * dispatch, an idle agent is never given a younger caller while an older one they could take
   * waits in another of their groups.
   */
  private async lockWaiting(tx: DbTx, tenantId: string, scope: ClaimScope): Promise<string | undefined> {
    if ('skillGroupId' in scope || 'agentId' in scope) {
      // A group's callers may also be served by overflow or preferred agents from outside it.
      const gate =
        'skillGroupId' in scope
          ? sql`select 1 from skill_group_members m join agents a on a.user_id = m.user_id
                where m.skill_group_id = ${scope.skillGroupId} and a.state = 'idle'
                union all
                (select 1 from call_sessions s join agents a on a.tenant_id = s.tenant_id and a.state = 'idle'
                 where s.tenant_id = ${tenantId} and s.state = 'queued'
                   and s.queued_skill_group_id = ${scope.skillGroupId}
                   and (s.overflow_skill_group_id is not null or s.preferred_agent_id is not null)
                   and ${eligible(sql`a`, sql`s`)})
                limit 1`
          : sql`select 1 from agents where user_id = ${scope.agentId} and tenant_id = ${tenantId} and state = 'idle'`;
      if ((await tx.execute(gate)).rows.length === 0) return undefined;
    }
    const rows = await tx.execute<{ id: string }>(sql`
      select s.id from call_sessions s
      where s.tenant_id = ${tenantId} and s.state = 'queued' and exists (
        select 1 from agents a
        where a.tenant_id = s.tenant_id and a.state = 'idle' and ${eligible(sql`a`, sql`s`)})
      order by s.queue_priority, s.queued_at
      limit 1 for update of s skip locked`);
    return rows.rows[0]?.id;
  }

  private async ring(claim: Claim): Promise<void> {
    const { session, group, agent, offerId } = claim;
    this.d.agentService.announce([claim.change]);
    // Both kinds of claim take a caller waiting in the queue (a named-agent transfer queues first).
    this.d.sessionEvents.publishState({
      session,
      state: 'offering',
      previous: 'queued',
      reason: 'offered',
      skillGroupId: group.id,
      agentId: agent.userId,
    });
    const tenant = await this.d.tenantRepo.findById(session.tenantId);
    // RT-07 masked, RT-08 the customer's ID: the offer is the first thing an agent sees of the call.
    const view = agentNumberView({
      customer: customerNumber(session),
      alias: session.customerAlias,
      protect: numberProtectionOn(tenant),
    });
    const { caller, callee } = partiesAsSeen(session, view);
    // A transferred call brings the first agent's notes and the variables along (CTL-03/04).
    const [[controls], companyNumber] = await Promise.all([
      this.d.db
        .select({ notes: sessionControls.notes, variables: sessionControls.variables })
        .from(sessionControls)
        .where(eq(sessionControls.sessionId, session.id)),
      companyNumberOf(this.d.numberRepo, session),
    ]);
    // The IVR's variables come along too (masked templates, and the customer's number under
    // protection, RT-07: a flow may have copied it into a variable).
    const ivrVars = session.ivrState?.vars ?? {};
    const offerVars = (vars: Record<string, string>) =>
      agentVisibleVariables(this.d.db, session.tenantId, vars, view.hidden);
    void this.d.bus
      .publish({ tenantId: session.tenantId, kind: 'user', userId: agent.userId }, 'call.offer', {
        sessionId: session.id,
        offerId,
        caller,
        // IN-05: on an inbound call our number, in clear; on a redial handed on, the customer's.
        callee,
        // IN-06: from the real number (the place is not protected, the number is); cached, µs.
        callerLocation: session.direction === 'internal' ? null : this.d.callerLocator.lookup(customerNumber(session)),
        companyNumber,
        skillGroupId: group.id,
        skillGroupName: group.name,
        ringTimeoutSeconds: offerRingSeconds(group),
        ivrKeys: session.ivrKeys.map((k) => ({ key: k.key, label: k.label })),
        // A plugin's CRM card may show the customer's phone (RT-07).
        annotations: hideNumbersDeep(session.annotations, view.hidden),
        ...(controls
          ? {
              notes: controls.notes,
              variables: await offerVars({ ...ivrVars, ...controls.variables }),
            }
          : Object.keys(ivrVars).length
            ? { variables: await offerVars(ivrVars) }
            : {}),
      })
      .catch(
        this.d.background.failed('acd.publishOffer', { tenantId: session.tenantId, sessionId: session.id, offerId }),
      );
    void this.d.pluginHost
      .emit('call.offered', {
        tenantId: session.tenantId,
        sessionId: session.id,
        callSid: session.customerCallSid,
        direction: session.direction,
        from: session.caller,
        to: session.callee,
        agentId: agent.userId,
        skillGroupId: group.id,
        occurredAt: new Date().toISOString(),
        idempotencyKey: `offer:${offerId}`,
      })
      .catch(
        this.d.background.failed('acd.hookOffered', { tenantId: session.tenantId, sessionId: session.id, offerId }),
      );
    // IN-02: the softphone or the agent's mobile; a mobile sees an agent-mobile number (ADM-05),
    // never the customer's.
    const reach = await this.d.deviceService.reach(session.tenantId, {
      userId: agent.userId,
      sipUser: agent.sipUser,
      answerMode: agent.answerMode ?? 'webrtc',
      autoAnswer: agent.autoAnswer ?? false,
      mobile: agent.mobile ?? null,
    });
    if (!reach.ok) {
      await this.offerEnded(offerId, 'missed', reach.reason);
      return;
    }
    try {
      const { callSid } = await this.d.telephony.ringAgent({
        context: { sessionId: session.id, tenantId: session.tenantId, role: 'agent', offerId },
        device: reach.device,
        callerId: reach.callerId ?? caller,
        ringTimeoutSeconds: offerRingSeconds(group),
        ...(reach.autoAnswer ? { autoAnswer: true } : {}),
      });
      await this.d.db
        .update(callOffers)
        .set({ callSid })
        .where(and(eq(callOffers.id, offerId), sql`${callOffers.callSid} is null`));
    } catch (err) {
      this.d.logger.warn({ err, offerId, agentId: agent.userId }, 'could not ring agent');
      // The provider's own trouble (no capacity, server error) is not the agent's miss: the agent
      // stays idle and the caller waits for the sweeper's next round, instead of every agent
      // going notReady in turn and the queue hammering a provider that is already struggling.
      if (isProviderUnavailable(err))
        await this.offerEnded(offerId, 'missed', PROVIDER_UNAVAILABLE, { providerFault: true });
      else await this.offerEnded(offerId, 'missed', 'ring failed');
    }
  }

  /**
   * An offer ended without being answered (no answer, busy, device failed, timed out) or was
   * withdrawn. A missed offer counts against the agent (RT-05), sends the caller back to the head
   * of the queue and tells the agent and supervisors (`call.autoTransfer`, EV-05); the agent goes
   * back to idle (notReady when the device cannot be rung or declined, offline when forced by an
   * admin). Then the caller's group is dispatched again, so the call moves on to another agent
   * at once, and the agent's groups after it.
   */
  async offerEnded(
    offerId: string,
    state: 'missed' | 'cancelled',
    reason: string,
    opts: {
      agentTo?: 'idle' | 'offline';
      actor?: Actor;
      actorId?: string | null;
      /** The provider failed to ring: no miss counted, no immediate re-dispatch (the sweeper retries). */
      providerFault?: boolean;
    } = {},
  ): Promise<boolean> {
    const agentTo = opts.agentTo ?? (state === 'missed' && NOT_READY_AFTER.has(reason) ? 'notReady' : 'idle');
    const result = await this.d.db.transaction(async (tx) => {
      // Session first, then offer, then agent: the order ending a session takes, so the two
      // cannot deadlock on a real server.
      const [pre] = await tx
        .select({ sessionId: callOffers.sessionId })
        .from(callOffers)
        .where(eq(callOffers.id, offerId));
      if (!pre) return null;
      await tx
        .select({ id: callSessions.id })
        .from(callSessions)
        .where(eq(callSessions.id, pre.sessionId))
        .for('update');
      const [offer] = await tx
        .update(callOffers)
        .set({ state, endedAt: new Date(), endReason: reason })
        .where(and(eq(callOffers.id, offerId), eq(callOffers.state, 'ringing')))
        .returning();
      if (!offer) return null;
      let requeued = false;
      let waiting: CallSessionRow | undefined;
      let missedOffers = 0;
      if (state === 'missed') {
        const back = await tx
          .update(callSessions)
          .set({
            state: 'queued',
            offeredAgentIds: sql`array_append(${callSessions.offeredAgentIds}, ${offer.agentId}::uuid)`,
            lastEventAt: new Date(),
          })
          .where(and(eq(callSessions.id, offer.sessionId), eq(callSessions.state, 'offering')))
          .returning();
        requeued = back.length > 0;
        waiting = back[0];
        // A withdrawal by an admin, or the provider's failure, is not the agent's miss.
        if (opts.actor !== 'admin' && !opts.providerFault) {
          const counted = await tx.execute<{ missed_offers: number }>(sql`
            update agents set missed_offers = missed_offers + 1 where user_id = ${offer.agentId}
            returning missed_offers`);
          missedOffers = counted.rows[0]?.missed_offers ?? 0;
        }
      }
      const change = await this.d.agentService.transition(tx, offer.tenantId, offer.agentId, ['ringing'], agentTo, {
        actor: opts.actor ?? 'system',
        actorId: opts.actorId ?? null,
      });
      return { offer, change, requeued, missedOffers, waiting };
    });
    if (!result) return false;
    const { offer, change, requeued, missedOffers } = result;
    this.d.agentService.announce([change]);
    if (result.waiting)
      this.d.sessionEvents.publishState({
        session: result.waiting,
        state: 'queued',
        previous: 'offering',
        reason: 'missed',
        agentId: null,
        notify: [offer.agentId],
      });
    const tenantId = offer.tenantId;
    void this.d.bus
      .publish({ tenantId, kind: 'user', userId: offer.agentId }, 'call.offer.withdrawn', {
        sessionId: offer.sessionId,
        offerId: offer.id,
        reason,
      })
      .catch(
        this.d.background.failed('acd.publishWithdrawn', { tenantId, sessionId: offer.sessionId, offerId: offer.id }),
      );
    if (requeued) {
      const data = {
        sessionId: offer.sessionId,
        offerId: offer.id,
        agentId: offer.agentId,
        skillGroupId: offer.skillGroupId,
        reason,
        missedOffers,
      };
      const audiences = [
        { tenantId, kind: 'user', userId: offer.agentId },
        { tenantId, kind: 'role', role: 'supervisor' },
        { tenantId, kind: 'role', role: 'admin' },
      ] as const;
      void this.d.bus
        .publish(audiences, 'call.autoTransfer', data)
        .catch(this.d.background.failed('acd.publishAutoTransfer', { tenantId, sessionId: offer.sessionId }));
    }
    if (opts.providerFault) return true;
    if (offer.skillGroupId) await this.dispatch(tenantId, offer.skillGroupId);
    if (change?.to === 'idle') await this.dispatchForAgent(tenantId, offer.agentId);
    return true;
  }

  /**
   * Withdraws the offer ringing for an agent (ADM-12 force offline): the caller goes back to the
   * queue for someone else and the agent's ringing leg is hung up. False when nothing was ringing.
   */
  async withdrawOffersOf(
    tenantId: string,
    userId: string,
    opts: { agentTo: 'idle' | 'offline'; actor: Actor; actorId: string | null; reason: string },
  ): Promise<boolean> {
    const ringing = await this.d.db
      .select()
      .from(callOffers)
      .where(and(eq(callOffers.tenantId, tenantId), eq(callOffers.agentId, userId), eq(callOffers.state, 'ringing')));
    let any = false;
    for (const o of ringing) {
      const ended = await this.offerEnded(o.id, 'missed', opts.reason, opts);
      if (!ended) continue;
      any = true;
      if (o.callSid)
        await this.d.telephony
          .hangup(o.callSid)
          .catch(
            this.d.background.failed('acd.hangupWithdrawn', { tenantId, sessionId: o.sessionId, callSid: o.callSid }),
          );
    }
    return any;
  }

  /**
   * Offers still ringing past their group's ring time ({@link offerRingSeconds}, plus grace):
   * the provider never told us.
   */
  async expireStuckOffers(): Promise<void> {
    const stuck = await this.d.db.execute<{ id: string }>(sql`
      select o.id from call_offers o join skill_groups g on g.id = o.skill_group_id
      where o.state = 'ringing'
        and o.created_at < now() - make_interval(secs =>
          (case when g.ring_timeout_transfer then g.ring_timeout_seconds else g.max_ring_seconds end)
          + ${this.d.config.calls.offerGraceSeconds})
      limit 200`);
    for (const o of stuck.rows) {
      const offer = await this.d.db.select().from(callOffers).where(eq(callOffers.id, o.id));
      if (offer[0]?.callSid)
        await this.d.telephony.hangup(offer[0].callSid).catch(
          this.d.background.failed('acd.hangupStuckOffer', {
            tenantId: offer[0].tenantId,
            sessionId: offer[0].sessionId,
            callSid: offer[0].callSid,
          }),
        );
      await this.offerEnded(o.id, 'missed', 'ring timeout');
    }
  }

  /** Unique id helper for idempotency keys of hook events. */
  static eventKey(prefix: string): string {
    return `${prefix}:${randomUUID()}`;
  }
}
