import { and, eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { BackgroundSteps } from '../../background.js';
import type { Db, DbTx } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import type { HookPayload } from '../../plugins/host.js';
import type { ServerEvents } from '../../realtime/events.js';
import type { TelephonyPort } from '../../telephony/types.js';
import type { AgentService, StateChange } from '../agents/service.js';
import { agents } from '../agents/schema.js';
import type { Principal } from '../auth/principal.js';
import { customerContext, hookBase } from '../calls/call-steps.js';
import { callOffers, callSessions, type CallOfferRow, type CallSessionRow } from '../calls/schema.js';
import type { SessionEventService } from '../calls/session-events.js';
import type { AcdService, Claim } from '../routing/acd.js';
import { skillGroups } from '../skill-groups/schema.js';
import type { ControlAccess } from './control-access.js';
import { sessionControls, sessionTransfers, type SessionControlRow, type TransferTarget } from './schema.js';

/** Where a transfer goes, as the API asks for it. */
export type TransferRequest =
  | { type: 'skillGroup'; skillGroupId: string }
  | { type: 'agent'; agentId: string }
  | { type: 'external'; number: string };

/** What {@link Transfers} needs: the lazy cradle, passed whole. */
export interface TransfersDeps {
  db: Db;
  logger: Logger;
  background: BackgroundSteps;
  agentService: AgentService;
  acdService: AcdService;
  telephony: TelephonyPort;
  sessionEvents: SessionEventService;
}

/**
 * CTL-03/04/05: the serving agent hands the call on. Back to a queue or to a named agent here;
 * to an external number the steps are the same but run once the number answers (placed-legs.ts),
 * which is why they are public.
 */
export class Transfers {
  // The lazy cradle, kept whole: reading a dependency here would resolve it too early.
  constructor(
    private readonly d: TransfersDeps,
    private readonly access: ControlAccess,
  ) {}

  /**
   * Group or agent: the customer leaves the room for the queue and the ACD (or the named agent)
   * takes over, with the same session id and its data; the first agent goes to wrap-up.
   */
  async toQueue(
    p: Principal,
    sessionId: string,
    to: Exclude<TransferRequest, { type: 'external' }>,
  ): Promise<{ sessionId: string }> {
    if (to.type === 'skillGroup') {
      const [g] = await this.d.db
        .select({ id: skillGroups.id })
        .from(skillGroups)
        .where(and(eq(skillGroups.tenantId, p.tenantId), eq(skillGroups.id, to.skillGroupId)));
      if (!g) throw createError('not_found', 'No such skill group');
    } else {
      const [a] = await this.d.db
        .select({ id: agents.userId })
        .from(agents)
        .where(and(eq(agents.tenantId, p.tenantId), eq(agents.userId, to.agentId)));
      if (!a) throw createError('not_found', 'No such agent');
    }
    const result = await this.d.db.transaction(async (tx) => {
      const { session, offer, controls } = await this.access.lockForControl(tx, p, sessionId);
      this.access.assertLive(session, offer, controls);
      if (!offer) throw createError('session_not_live');
      if (to.type === 'agent' && to.agentId === offer.agentId) throw createError('agent_unavailable');
      const { change } = await this.releaseServingAgent(tx, session, offer, p, to);
      const [queued] = await tx
        .update(callSessions)
        .set({
          state: 'queued',
          queuedSkillGroupId: to.type === 'skillGroup' ? to.skillGroupId : session.queuedSkillGroupId,
          queuedAt: new Date(),
          agentId: null,
          agentCallSid: null,
          offeredAgentIds: sql`array_append(${callSessions.offeredAgentIds}, ${offer.agentId}::uuid)`,
          lastEventAt: new Date(),
        })
        .where(eq(callSessions.id, session.id))
        .returning();
      let claim: Claim | null = null;
      if (to.type === 'agent') {
        claim = await this.d.acdService.claimAgent(tx, queued!, to.agentId);
        if (!claim) throw createError('agent_unavailable');
      }
      return { session: queued!, offer, change, claim, controls };
    });
    const { session, offer, change, claim, controls } = result;
    // Before the ring of a named agent, whose `offering` follows. The customer leaves the room
    // (the first agent's leg goes with it) for the queue.
    await this.handedOn(session, offer, change, { state: 'queued', reason: 'transferred', to: 'the queue' });
    if (claim) await this.d.acdService.ringClaim(claim);
    else
      void this.d.acdService
        .dispatch(session.tenantId, session.queuedSkillGroupId!)
        .catch(this.d.background.failed('acd.dispatch', { tenantId: session.tenantId, sessionId: session.id }));
    this.access.dispatchIfIdle(change);
    await this.announceTransfer(session, offer.agentId, controls, {
      to,
      target: to.type === 'agent' ? { type: 'agent', id: to.agentId } : { type: 'skillGroup', id: to.skillGroupId },
      notify: to.type === 'agent' ? [to.agentId] : [],
      key: offer.id,
    });
    return { sessionId: session.id };
  }

  /**
   * The serving agent's part ends (transfer): the offer closes as transferred, the agent goes
   * to wrap-up, the transfer is recorded, hold/mute reset. Inside the session lock.
   */
  async releaseServingAgent(
    tx: DbTx,
    session: CallSessionRow,
    offer: CallOfferRow,
    p: Principal,
    target: TransferTarget,
  ): Promise<{ change: StateChange | null }> {
    await tx
      .update(callOffers)
      .set({ state: 'ended', endedAt: new Date(), endReason: 'transferred' })
      .where(and(eq(callOffers.id, offer.id), eq(callOffers.state, 'accepted')));
    const change = await this.d.agentService.transition(
      tx,
      session.tenantId,
      offer.agentId,
      ['busy'],
      'afterCallWork',
      {
        sessionId: session.id,
      },
    );
    await tx.insert(sessionTransfers).values({
      tenantId: session.tenantId,
      sessionId: session.id,
      fromAgentId: offer.agentId,
      fromOfferId: offer.id,
      target,
      byUserId: p.kind === 'user' ? p.userId : null,
    });
    await tx
      .update(sessionControls)
      .set({ customerHeld: false, agentMuted: false, room: null, customerMode: null, updatedAt: new Date() })
      .where(eq(sessionControls.sessionId, session.id));
    return { change };
  }

  /**
   * After {@link releaseServingAgent} committed: the agent's state change announced, the
   * session's new state published (to the agent who handed it on too), the customer moved on.
   */
  async handedOn(
    session: CallSessionRow,
    offer: CallOfferRow,
    change: StateChange | null,
    next: { state: 'queued' | 'bridged'; reason: 'transferred' | 'externalTransfer'; to: string },
  ): Promise<void> {
    this.d.agentService.announce([change]);
    this.d.sessionEvents.publishState({
      session,
      state: next.state,
      previous: 'bridged',
      reason: next.reason,
      agentId: null,
      notify: [offer.agentId],
    });
    await this.d.telephony
      .redirect(session.customerCallSid, customerContext(session))
      .catch((err) => this.d.logger.error({ err, sessionId: session.id }, `could not move the customer to ${next.to}`));
  }

  /**
   * Tells the agents concerned (`session.transferred`, with the call's data) and the plugins
   * (`call.transferred`, the real target) that the serving agent handed the call on.
   */
  async announceTransfer(
    session: CallSessionRow,
    fromAgentId: string,
    controls: SessionControlRow,
    t: {
      to: ServerEvents['session.transferred']['to'];
      target: HookPayload<'call.transferred'>['target'];
      notify: string[];
      key: string;
    },
  ): Promise<void> {
    this.access.publish(session, [fromAgentId, ...t.notify], 'session.transferred', {
      sessionId: session.id,
      fromAgentId,
      to: t.to,
      notes: controls.notes,
      variables: await this.access.agentVars(session, controls),
      ivrKeys: session.ivrKeys.map((k) => ({ key: k.key, label: k.label })),
    });
    this.access.emitHook('call.transferred', {
      ...hookBase(session),
      fromAgentId,
      target: t.target,
      idempotencyKey: `transferred:${session.id}:${t.key}`,
    });
  }
}
