import { randomUUID } from 'node:crypto';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { ResolvedConfig } from '../../config/config.js';
import type { Db, DbTx } from '../../db/database.js';
import type { PluginHost } from '../../plugins/host.js';
import type { EventBus } from '../../realtime/bus.js';
import type { TelephonyPort } from '../../telephony/types.js';
import { agentSettingsOf, tenantTimeZone } from '../agents/settings.js';
import type { AgentService, StateChange } from '../agents/service.js';
import type { Actor } from '../agents/state-machine.js';
import { callOffers, callSessions, type CallSessionRow } from '../calls/schema.js';
import { maskNumber, numberProtectionOn } from '../calls/number-protection.js';
import { skillGroups, type SkillGroupRow, type Strategy } from '../skill-groups/schema.js';
import { tenants } from '../tenants/schema.js';
import type { TenantRepo } from '../tenants/repo.js';
import { lastAgentOf } from './memory.js';

interface Claim {
  session: CallSessionRow;
  group: SkillGroupRow;
  agent: { userId: string; sipUser: string | null };
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
  const strategy =
    r.strategy === 'fewest-calls'
      ? sql`(select count(*) from agent_state_log l
             where l.tenant_id = a.tenant_id and l.user_id = a.user_id
               and l.at >= date_trunc('day', now() at time zone ${r.timeZone}) at time zone ${r.timeZone}
               and l.from_state = 'ringing' and l.to_state = 'busy') asc, a.state_since asc`
      : r.strategy === 'priority'
        ? sql`m.priority asc, a.state_since asc`
        : sql`a.state_since asc`;
  return sql`${offered}, ${last}${strategy}`;
}

/**
 * Misses after which the agent goes to notReady instead of idle: their device cannot be rung at
 * all (no device, unregistered, failed) or they declined (busy). Otherwise the caller would be
 * thrown straight back at them in a loop as fast as the device answers (Asterisk
 * `autopauseunavail` / `autopausebusy`). A plain ring timeout leaves the agent idle.
 */
export const NOT_READY_AFTER: ReadonlySet<string> = new Set(['agent has no device', 'ring failed', 'failed', 'busy']);

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
    config: ResolvedConfig;
    agentService: AgentService;
    bus: EventBus;
    tenantRepo: TenantRepo;
    pluginHost: PluginHost;
    telephony: TelephonyPort;
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

  /** Safety net run by the sweeper: every tenant with a caller waiting gets a dispatch. */
  async dispatchAllWaiting(): Promise<void> {
    const rows = await this.d.db.execute<{ tenant_id: string }>(sql`
      select distinct tenant_id from call_sessions where state = 'queued' limit 500`);
    for (const r of rows.rows) await this.dispatchScope(r.tenant_id, { tenant: true });
  }

  private async dispatchScope(tenantId: string, scope: ClaimScope): Promise<number> {
    let made = 0;
    for (; made < MAX_OFFERS_PER_DISPATCH; made++) {
      const claim = await this.claim(tenantId, scope);
      if (!claim) break;
      await this.ring(claim);
    }
    return made;
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
      });
      const candidates = await tx.execute<{ user_id: string; sip_user: string | null }>(sql`
        select a.user_id, a.sip_user from agents a
        join skill_group_members m on m.user_id = a.user_id and m.skill_group_id = ${skillGroupId}
        where a.tenant_id = ${tenantId} and a.state = 'idle'
        order by ${order}
        limit 1 for update of a skip locked`);
      const agent = candidates.rows[0];
      if (!agent) return null;
      const change = await this.d.agentService.transition(tx, tenantId, agent.user_id, ['idle'], 'ringing', {
        sessionId,
      });
      if (!change) return null;
      const [offer] = await tx
        .insert(callOffers)
        .values({ tenantId, sessionId, agentId: agent.user_id, skillGroupId, state: 'ringing' })
        .returning({ id: callOffers.id });
      await tx
        .update(callSessions)
        .set({ state: 'offering', ringAt: sql`coalesce(${callSessions.ringAt}, now())`, lastEventAt: new Date() })
        .where(eq(callSessions.id, sessionId));
      return { session, group, agent: { userId: agent.user_id, sipUser: agent.sip_user }, offerId: offer!.id, change };
    });
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
      const gate =
        'skillGroupId' in scope
          ? sql`select 1 from skill_group_members m join agents a on a.user_id = m.user_id
                where m.skill_group_id = ${scope.skillGroupId} and a.state = 'idle' limit 1`
          : sql`select 1 from agents where user_id = ${scope.agentId} and tenant_id = ${tenantId} and state = 'idle'`;
      if ((await tx.execute(gate)).rows.length === 0) return undefined;
    }
    const rows = await tx.execute<{ id: string }>(sql`
      select s.id from call_sessions s
      where s.tenant_id = ${tenantId} and s.state = 'queued' and exists (
        select 1 from skill_group_members m join agents a on a.user_id = m.user_id
        where m.skill_group_id = s.queued_skill_group_id and a.state = 'idle')
      order by s.queue_priority, s.queued_at
      limit 1 for update of s skip locked`);
    return rows.rows[0]?.id;
  }

  private async ring(claim: Claim): Promise<void> {
    const { session, group, agent, offerId } = claim;
    this.d.agentService.announce([claim.change]);
    const tenant = await this.d.tenantRepo.findById(session.tenantId);
    const protectedNumbers = numberProtectionOn(tenant);
    const caller = protectedNumbers ? maskNumber(session.caller) : session.caller;
    void this.d.bus
      .publish({ tenantId: session.tenantId, kind: 'user', userId: agent.userId }, 'call.offer', {
        sessionId: session.id,
        offerId,
        caller,
        callee: session.callee,
        skillGroupId: group.id,
        skillGroupName: group.name,
        ringTimeoutSeconds: group.ringTimeoutSeconds,
        ivrKeys: session.ivrKeys.map((k) => ({ key: k.key, label: k.label })),
        annotations: session.annotations,
      })
      .catch((err) => this.d.logger.warn({ err }, 'call.offer publish failed'));
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
      .catch(() => undefined);
    if (!agent.sipUser) {
      await this.offerEnded(offerId, 'missed', 'agent has no device');
      return;
    }
    try {
      const { callSid } = await this.d.telephony.ringAgent({
        context: { sessionId: session.id, tenantId: session.tenantId, role: 'agent', offerId },
        device: { type: 'webrtc', user: agent.sipUser },
        callerId: caller,
        ringTimeoutSeconds: group.ringTimeoutSeconds,
      });
      await this.d.db
        .update(callOffers)
        .set({ callSid })
        .where(and(eq(callOffers.id, offerId), sql`${callOffers.callSid} is null`));
    } catch (err) {
      this.d.logger.warn({ err, offerId, agentId: agent.userId }, 'could not ring agent');
      await this.offerEnded(offerId, 'missed', 'ring failed');
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
    opts: { agentTo?: 'idle' | 'offline'; actor?: Actor; actorId?: string | null } = {},
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
          .returning({ id: callSessions.id });
        requeued = back.length > 0;
        // A withdrawal by an admin is not the agent's miss.
        if (opts.actor !== 'admin') {
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
      return { offer, change, requeued, missedOffers };
    });
    if (!result) return false;
    const { offer, change, requeued, missedOffers } = result;
    this.d.agentService.announce([change]);
    const tenantId = offer.tenantId;
    void this.d.bus
      .publish({ tenantId, kind: 'user', userId: offer.agentId }, 'call.offer.withdrawn', {
        sessionId: offer.sessionId,
        offerId: offer.id,
        reason,
      })
      .catch(() => undefined);
    if (requeued) {
      const data = {
        sessionId: offer.sessionId,
        offerId: offer.id,
        agentId: offer.agentId,
        skillGroupId: offer.skillGroupId,
        reason,
        missedOffers,
      };
      void this.d.bus
        .publish({ tenantId, kind: 'user', userId: offer.agentId }, 'call.autoTransfer', data)
        .catch(() => undefined);
      for (const role of ['supervisor', 'admin'] as const) {
        void this.d.bus.publish({ tenantId, kind: 'role', role }, 'call.autoTransfer', data).catch(() => undefined);
      }
    }
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
      if (o.callSid) await this.d.telephony.hangup(o.callSid).catch(() => undefined);
    }
    return any;
  }

  /** Offers still ringing past their group's timeout (plus grace): the provider never told us. */
  async expireStuckOffers(): Promise<void> {
    const stuck = await this.d.db.execute<{ id: string }>(sql`
      select o.id from call_offers o join skill_groups g on g.id = o.skill_group_id
      where o.state = 'ringing'
        and o.created_at < now() - make_interval(secs => g.ring_timeout_seconds + ${this.d.config.calls.offerGraceSeconds})
      limit 200`);
    for (const o of stuck.rows) {
      const offer = await this.d.db.select().from(callOffers).where(eq(callOffers.id, o.id));
      if (offer[0]?.callSid) await this.d.telephony.hangup(offer[0].callSid).catch(() => undefined);
      await this.offerEnded(o.id, 'missed', 'ring timeout');
    }
  }

  /** Unique id helper for idempotency keys of hook events. */
  static eventKey(prefix: string): string {
    return `${prefix}:${randomUUID()}`;
  }
}
