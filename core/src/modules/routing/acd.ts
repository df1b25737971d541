import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { ResolvedConfig } from '../../config/config.js';
import type { Db } from '../../db/database.js';
import type { PluginHost } from '../../plugins/host.js';
import type { EventBus } from '../../realtime/bus.js';
import type { TelephonyPort } from '../../telephony/types.js';
import type { AgentService, StateChange } from '../agents/service.js';
import { callOffers, callSessions, type CallSessionRow } from '../calls/schema.js';
import { maskNumber, numberProtectionOn } from '../calls/number-protection.js';
import { skillGroups, type SkillGroupRow } from '../skill-groups/schema.js';
import type { TenantRepo } from '../tenants/repo.js';

interface Claim {
  session: CallSessionRow;
  group: SkillGroupRow;
  agent: { userId: string; sipUser: string | null };
  offerId: string;
  change: StateChange | null;
}

/** Upper bound of offers one dispatch makes, so one busy group cannot starve the loop. */
const MAX_OFFERS_PER_DISPATCH = 50;

/**
 * The ACD: pairs waiting callers with idle agents. Each pairing is one short transaction that
 * locks the oldest waiting session and the best idle member with `FOR UPDATE SKIP LOCKED`, so
 * any number of instances can dispatch at once without ever giving one agent two calls (the
 * partial unique index on ringing offers backs this up in the database itself).
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
    let made = 0;
    for (; made < MAX_OFFERS_PER_DISPATCH; made++) {
      const claim = await this.claim(tenantId, skillGroupId);
      if (!claim) break;
      await this.ring(claim);
    }
    return made;
  }

  /** An agent became available: serve the groups they belong to that have callers waiting. */
  async dispatchForAgent(tenantId: string, userId: string): Promise<void> {
    const groups = await this.d.db.execute<{ id: string }>(sql`
      select distinct s.queued_skill_group_id as id from call_sessions s
      join skill_group_members m on m.skill_group_id = s.queued_skill_group_id and m.user_id = ${userId}
      where s.tenant_id = ${tenantId} and s.state = 'queued'`);
    for (const g of groups.rows) await this.dispatch(tenantId, g.id);
  }

  /** Safety net run by the sweeper: every group with a caller waiting gets a dispatch. */
  async dispatchAllWaiting(): Promise<void> {
    const groups = await this.d.db.execute<{ tenant_id: string; id: string }>(sql`
      select distinct tenant_id, queued_skill_group_id as id from call_sessions where state = 'queued' limit 500`);
    for (const g of groups.rows) await this.dispatch(g.tenant_id, g.id);
  }

  private async claim(tenantId: string, skillGroupId: string): Promise<Claim | null> {
    return this.d.db.transaction(async (tx) => {
      const [group] = await tx
        .select()
        .from(skillGroups)
        .where(and(eq(skillGroups.tenantId, tenantId), eq(skillGroups.id, skillGroupId)));
      if (!group) return null;
      const waiting = await tx.execute<{ id: string }>(sql`
        select id from call_sessions
        where tenant_id = ${tenantId} and queued_skill_group_id = ${skillGroupId} and state = 'queued'
        order by queue_priority, queued_at
        limit 1 for update skip locked`);
      const sessionId = waiting.rows[0]?.id;
      if (!sessionId) return null;
      const [session] = await tx.select().from(callSessions).where(eq(callSessions.id, sessionId));
      if (!session) return null;
      // Agents this call already rang go last, so a missed offer moves on to someone else.
      const order =
        group.strategy === 'fewest-calls'
          ? sql`a.calls_taken asc, a.state_since asc`
          : group.strategy === 'priority'
            ? sql`m.priority asc, a.state_since asc`
            : sql`a.state_since asc`;
      // Passed as one array literal: the ids are uuids read back from our own column.
      const offered = sql`a.user_id = any(${`{${session.offeredAgentIds.join(',')}}`}::uuid[])`;
      const candidates = await tx.execute<{ user_id: string; sip_user: string | null }>(sql`
        select a.user_id, a.sip_user from agents a
        join skill_group_members m on m.user_id = a.user_id and m.skill_group_id = ${skillGroupId}
        where a.tenant_id = ${tenantId} and a.state = 'idle'
        order by ${offered} asc, ${order}
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
   * withdrawn. The caller goes back to the head of the queue and the agent back to idle; then
   * the group is dispatched again so the call moves on at once.
   */
  async offerEnded(offerId: string, state: 'missed' | 'cancelled', reason: string): Promise<boolean> {
    const result = await this.d.db.transaction(async (tx) => {
      const [offer] = await tx
        .update(callOffers)
        .set({ state, endedAt: new Date(), endReason: reason })
        .where(and(eq(callOffers.id, offerId), eq(callOffers.state, 'ringing')))
        .returning();
      if (!offer) return null;
      if (state === 'missed') {
        await tx
          .update(callSessions)
          .set({
            state: 'queued',
            offeredAgentIds: sql`array_append(${callSessions.offeredAgentIds}, ${offer.agentId}::uuid)`,
            lastEventAt: new Date(),
          })
          .where(and(eq(callSessions.id, offer.sessionId), eq(callSessions.state, 'offering')));
      }
      const change = await this.d.agentService.transition(tx, offer.tenantId, offer.agentId, ['ringing'], 'idle');
      return { offer, change };
    });
    if (!result) return false;
    const { offer, change } = result;
    this.d.agentService.announce([change]);
    void this.d.bus
      .publish({ tenantId: offer.tenantId, kind: 'user', userId: offer.agentId }, 'call.offer.withdrawn', {
        sessionId: offer.sessionId,
        offerId: offer.id,
        reason,
      })
      .catch(() => undefined);
    if (offer.skillGroupId) await this.dispatch(offer.tenantId, offer.skillGroupId);
    return true;
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
