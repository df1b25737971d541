import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { BackgroundSteps } from '../../background.js';
import type { Db, DbTx } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import type { CallAction, LegContext, LegStatus, TelephonyPort } from '../../telephony/types.js';
import type { AgentService, StateChange } from '../agents/service.js';
import { agents } from '../agents/schema.js';
import type { Principal } from '../auth/principal.js';
import type { CallFlowService } from '../calls/call-flow.js';
import { isFinal } from '../calls/call-steps.js';
import { maskNumber } from '../calls/number-protection.js';
import { callOffers, callSessions, type CallOfferRow, type CallSessionRow } from '../calls/schema.js';
import type { SessionEventService } from '../calls/session-events.js';
import { userOf, type ControlAccess } from './control-access.js';
import { callLegs, sessionControls, type CallLegRow, type LegPurpose } from './schema.js';
import type { Transfers } from './transfers.js';

/** Who joins a three-way call (CTL-09). */
export type PartyRequest = { type: 'agent'; agentId: string } | { type: 'external'; number: string };

const PLACED_RING_SECONDS = 30;

/** What {@link PlacedLegs} needs: the lazy cradle, passed whole. */
export interface PlacedLegsDeps {
  db: Db;
  logger: Logger;
  background: BackgroundSteps;
  agentService: AgentService;
  telephony: TelephonyPort;
  callFlow: CallFlowService;
  sessionEvents: SessionEventService;
}

/**
 * The calls call control places itself (`call_legs`): a third party (CTL-09), an external
 * transfer target (CTL-05), a supervisor listening in (MON-03), and both legs of a redial
 * (CTL-07) — each rung, answered, and ended here. A leg row is written before its ring, so
 * every status the provider sends finds it.
 */
export class PlacedLegs {
  // The lazy cradle, kept whole: reading a dependency here would resolve it too early.
  constructor(
    private readonly d: PlacedLegsDeps,
    private readonly access: ControlAccess,
    private readonly transfers: Transfers,
  ) {}

  // ───────────────────────────── three-way, external transfer, listen-in ─────────────────────────────

  /** CTL-09: an external number or a second agent joins the call; all three hear each other. */
  async addParty(p: Principal, sessionId: string, who: PartyRequest): Promise<{ legId: string }> {
    return who.type === 'external'
      ? this.placeParty(p, sessionId, { role: 'external', purpose: 'threeWay', number: who.number })
      : this.placeParty(p, sessionId, { role: 'agent', purpose: 'threeWay', agentId: who.agentId });
  }

  /** Drops a party call control added (three-way, listen-in). */
  async dropParty(p: Principal, sessionId: string, legId: string): Promise<void> {
    const session = await this.access.sessionOf(p, sessionId);
    const offer = await this.access.servingOffer(this.d.db, session.id);
    const [leg] = await this.d.db
      .select()
      .from(callLegs)
      .where(and(eq(callLegs.tenantId, p.tenantId), eq(callLegs.sessionId, session.id), eq(callLegs.id, legId)));
    if (!leg) throw createError('not_found', 'No such party on this call');
    // The party's own agent or supervisor may leave too.
    if (!(p.kind === 'user' && leg.agentId === p.userId)) this.access.assertController(p, offer);
    if (leg.state !== 'ringing' && leg.state !== 'joined') throw createError('session_not_live', 'That party is gone');
    if (leg.callSid) await this.d.telephony.hangup(leg.callSid);
  }

  /** MON-03: rings the supervisor's device; answered, it joins the room muted. */
  async listen(p: Principal, sessionId: string): Promise<{ legId: string }> {
    if (!this.access.isSupervisor(p)) throw createError('forbidden');
    const userId = userOf(p);
    const open = await this.listenLegs(p.tenantId, sessionId, userId);
    if (open.length > 0) throw createError('conflict', 'You are already listening to this call');
    return this.placeParty(p, sessionId, { role: 'supervisor', purpose: 'listen', agentId: userId });
  }

  /** MON-03: the supervisor stops listening. */
  async leaveListen(p: Principal, sessionId: string): Promise<void> {
    const userId = userOf(p);
    const session = await this.access.sessionOf(p, sessionId);
    const legs = await this.listenLegs(session.tenantId, session.id, userId);
    if (legs.length === 0) throw createError('not_found', 'You are not listening to this call');
    for (const l of legs) if (l.callSid) await this.d.telephony.hangup(l.callSid);
  }

  /** A supervisor's listen-in legs on a session that still ring or listen. */
  private async listenLegs(tenantId: string, sessionId: string, userId: string): Promise<CallLegRow[]> {
    return this.d.db
      .select()
      .from(callLegs)
      .where(
        and(
          eq(callLegs.tenantId, tenantId),
          eq(callLegs.sessionId, sessionId),
          eq(callLegs.agentId, userId),
          eq(callLegs.purpose, 'listen'),
          inArray(callLegs.state, ['ringing', 'joined']),
        ),
      );
  }

  /** An agent's softphone user (undefined: no agent row). */
  private async agentDevice(tenantId: string, userId: string): Promise<{ sipUser: string | null } | undefined> {
    const [a] = await this.d.db
      .select({ sipUser: agents.sipUser })
      .from(agents)
      .where(and(eq(agents.tenantId, tenantId), eq(agents.userId, userId)));
    return a;
  }

  /** Rings a party for the session (the leg row first, so its statuses always find it). */
  async placeParty(
    p: Principal,
    sessionId: string,
    req: { role: 'agent' | 'external' | 'supervisor'; purpose: LegPurpose; number?: string; agentId?: string },
  ): Promise<{ legId: string }> {
    await this.access.sessionOf(p, sessionId); // 404 before anything else
    let sipUser: string | null = null;
    if (req.agentId) {
      const a = await this.agentDevice(p.tenantId, req.agentId);
      // A supervisor without an agent row simply has no device to ring.
      if (!a && req.role !== 'supervisor') throw createError('not_found', 'No such agent');
      if (!a?.sipUser) throw createError('no_device');
      sipUser = a.sipUser;
    }
    const { session, leg, change } = await this.d.db.transaction(async (tx) => {
      const session = await this.access.sessionOf(p, sessionId, tx);
      const offer = await this.access.servingOffer(tx, session.id);
      // Listening in is a supervisor's own business; everything else is the call's controller's.
      if (req.purpose !== 'listen') this.access.assertController(p, offer);
      const controls = await this.access.ensureControls(tx, session);
      this.access.assertLive(session, offer, controls);
      if (req.purpose === 'transfer' && !offer) throw createError('session_not_live');
      let change: StateChange | null = null;
      if (req.role === 'agent') {
        if (req.agentId === offer?.agentId) throw createError('agent_unavailable');
        // A second agent is busy from the first ring, so the ACD does not offer them a call too.
        change = await this.d.agentService.transition(
          tx,
          session.tenantId,
          req.agentId!,
          ['idle', 'notReady', 'rest'],
          'busy',
          {
            sessionId: session.id,
          },
        );
        if (!change) throw createError('agent_unavailable');
      }
      const [leg] = await tx
        .insert(callLegs)
        .values({
          tenantId: session.tenantId,
          sessionId: session.id,
          role: req.role,
          purpose: req.purpose,
          agentId: req.agentId ?? null,
          number: req.number ?? null,
          invitedBy: p.kind === 'user' ? p.userId : null,
        })
        .returning();
      return { session, leg: leg!, change };
    });
    this.d.agentService.announce([change]);
    try {
      const mask = await this.access.protect(session.tenantId);
      const { callSid } = await this.d.telephony.placeCall({
        context: { sessionId: session.id, tenantId: session.tenantId, role: req.role, legId: leg.id },
        device: sipUser ? { type: 'webrtc', user: sipUser } : { type: 'phone', number: req.number! },
        // Internal parties see the customer (masked when protected); external ones our number.
        callerId: req.role === 'external' ? session.callee : mask ? maskNumber(session.caller) : session.caller,
        timeoutSeconds: PLACED_RING_SECONDS,
      });
      await this.d.db
        .update(callLegs)
        .set({ callSid })
        .where(and(eq(callLegs.id, leg.id), sql`${callLegs.callSid} is null`));
    } catch (err) {
      await this.legEnded(leg.id, 'failed', 'ring failed');
      // No leg, so no status will ever free the agent made busy for this ring: do it now
      // (as when a three-way agent's leg ends: wrap-up or idle).
      if (change) await this.freeAgent(session, change.userId);
      throw err;
    }
    this.publishParty(session, { ...leg, state: 'ringing' });
    if (req.purpose === 'listen') this.publishListen(session, req.agentId!, leg.id, true);
    return { legId: leg.id };
  }

  // ───────────────────────────── redial ─────────────────────────────

  /**
   * CTL-07: after hang-up, the agent who served the call calls the customer back: a new
   * (outbound) session; the agent's device rings first, and once answered the customer is dialled
   * into the room.
   */
  async redial(p: Principal, sessionId: string): Promise<{ sessionId: string }> {
    const previous = await this.access.sessionOf(p, sessionId);
    if (previous.state !== 'ended') throw createError('session_still_live');
    const userId = userOf(p);
    if (!(await this.access.hasOffer(this.d.db, previous.id, userId, sql`${callOffers.answeredAt} is not null`)))
      throw createError('not_your_call', 'Only the agent who served the call may redial it');
    const me = await this.agentDevice(p.tenantId, userId);
    if (!me?.sipUser) throw createError('no_device');
    const customer = previous.direction === 'inbound' ? previous.caller : previous.callee;
    const ourNumber = previous.direction === 'inbound' ? previous.callee : previous.caller;
    const { session, leg, changes } = await this.d.db.transaction(async (tx) => {
      const [session] = await tx
        .insert(callSessions)
        .values({
          tenantId: p.tenantId,
          direction: 'outbound',
          caller: ourNumber,
          callee: customer,
          numberId: previous.numberId,
          // Not known until the customer is dialled; unique, so a placeholder per session.
          customerCallSid: `pending:${randomUUID()}`,
          state: 'offering',
          queuedSkillGroupId: previous.queuedSkillGroupId,
          agentId: userId,
          ringAt: new Date(),
          annotations: { redialOf: previous.id },
        })
        .returning();
      const changes: Array<StateChange | null> = [];
      // Wrap-up of the previous call ends: the agent is calling out now.
      changes.push(await this.d.agentService.transition(tx, p.tenantId, userId, ['afterCallWork'], 'idle'));
      const busy = await this.d.agentService.transition(tx, p.tenantId, userId, ['idle', 'notReady', 'rest'], 'busy', {
        sessionId: session!.id,
      });
      if (!busy) throw createError('agent_unavailable');
      changes.push(busy);
      const [leg] = await tx
        .insert(callLegs)
        .values({
          tenantId: p.tenantId,
          sessionId: session!.id,
          role: 'agent',
          purpose: 'redial',
          agentId: userId,
          invitedBy: userId,
        })
        .returning();
      return { session: session!, leg: leg!, changes };
    });
    this.d.agentService.announce(changes);
    this.d.sessionEvents.publishState({ session, state: 'offering', previous: null, reason: 'redial' });
    try {
      const mask = await this.access.protect(p.tenantId, p);
      const { callSid } = await this.d.telephony.placeCall({
        context: { sessionId: session.id, tenantId: session.tenantId, role: 'agent', legId: leg.id },
        device: { type: 'webrtc', user: me.sipUser },
        callerId: mask ? maskNumber(customer) : customer,
        timeoutSeconds: PLACED_RING_SECONDS,
      });
      await this.d.db.update(callLegs).set({ callSid }).where(eq(callLegs.id, leg.id));
    } catch (err) {
      await this.onLegStatus(
        { sessionId: session.id, tenantId: session.tenantId, role: 'agent', legId: leg.id },
        { callSid: '', status: 'failed' },
      );
      throw err;
    }
    return { sessionId: session.id };
  }

  // ───────────────────────────── call path hooks ─────────────────────────────

  /** A leg call control placed answered: it joins the room as what it is, or finishes a transfer. */
  async answered(ctx: LegContext, legId: string): Promise<CallAction[]> {
    const out = await this.d.db.transaction(async (tx) => {
      const [session] = await tx.select().from(callSessions).where(eq(callSessions.id, ctx.sessionId)).for('update');
      const [leg] = await tx
        .select()
        .from(callLegs)
        .where(and(eq(callLegs.id, legId), eq(callLegs.sessionId, ctx.sessionId)));
      if (!session || !leg || session.tenantId !== ctx.tenantId) return null;
      if (leg.state !== 'ringing' && leg.state !== 'joined') return null;
      const fresh = leg.state === 'ringing';
      const live = session.state === 'bridged' || (leg.purpose === 'redial' && session.state === 'offering');
      if (!live) return null;
      if (fresh) {
        await tx.update(callLegs).set({ state: 'joined', answeredAt: new Date() }).where(eq(callLegs.id, leg.id));
      }
      const c = await this.access.ensureControls(tx, session);
      const room = c.room ?? session.id;
      if (leg.purpose === 'redial')
        return { session, leg, fresh, actions: await this.redialAnswered(tx, session, leg) };
      if (leg.purpose === 'listen') {
        return {
          session,
          leg,
          fresh,
          actions: [
            { type: 'joinRoom', room, role: 'supervisor', endRoomOnExit: false, joinMuted: true } as CallAction,
          ],
        };
      }
      if (leg.purpose === 'threeWay') {
        return {
          session,
          leg,
          fresh,
          actions: [{ type: 'joinRoom', room, role: leg.role, endRoomOnExit: false } as CallAction],
        };
      }
      // Transfer to an external number: the agent hands over, the customer follows into a new
      // room (the old one ends with the agent's leg in it).
      const newRoom = `${session.id}.${leg.id.slice(0, 8)}`;
      const actions: CallAction[] = [{ type: 'joinRoom', room: newRoom, role: 'external', endRoomOnExit: true }];
      if (fresh) {
        const offer = await this.access.servingOffer(tx, session.id);
        if (!offer) return null;
        const change = (
          await this.transfers.releaseServingAgent(
            tx,
            session,
            offer,
            { kind: 'user', tenantId: session.tenantId, userId: leg.invitedBy ?? offer.agentId, role: 'agent' },
            { type: 'external', number: leg.number ?? '', legId: leg.id },
          )
        ).change;
        await tx
          .update(sessionControls)
          .set({ room: newRoom, customerMode: 'rejoin', updatedAt: new Date() })
          .where(eq(sessionControls.sessionId, session.id));
        await tx
          .update(callSessions)
          .set({ agentId: null, agentCallSid: null, lastEventAt: new Date() })
          .where(eq(callSessions.id, session.id));
        return { session, leg, fresh, transfer: { offer, change, controls: c }, actions };
      }
      return { session, leg, fresh, actions };
    });
    if (!out) return [{ type: 'hangup' }];
    const { session, leg } = out;
    if (out.fresh) this.publishParty(session, { ...leg, state: 'joined' });
    // Redial: the customer answered, the call is on.
    if (out.fresh && leg.purpose === 'redial' && leg.role === 'customer')
      this.d.sessionEvents.publishState({ session, state: 'bridged', previous: 'offering', reason: 'answered' });
    if (out.transfer) {
      const { offer, change, controls } = out.transfer;
      // Still bridged, now with the external number instead of an agent (CTL-05).
      await this.transfers.handedOn(session, offer, change, {
        state: 'bridged',
        reason: 'externalTransfer',
        to: 'the new room',
      });
      this.access.dispatchIfIdle(change);
      const mask = await this.access.protect(session.tenantId);
      const number = leg.number ?? '';
      await this.transfers.announceTransfer(session, offer.agentId, controls, {
        to: { type: 'external', number: mask ? maskNumber(number) : number },
        target: { type: 'external', id: number },
        notify: [],
        key: leg.id,
      });
    }
    return out.actions;
  }

  /** Redial: the agent answered → dial the customer; the customer answered → the call is on. */
  private async redialAnswered(tx: DbTx, session: CallSessionRow, leg: CallLegRow): Promise<CallAction[]> {
    if (leg.role === 'customer') {
      await tx
        .update(callSessions)
        .set({ state: 'bridged', acceptedAt: new Date(), lastEventAt: new Date() })
        .where(eq(callSessions.id, session.id));
      await tx
        .update(callOffers)
        .set({ answeredAt: sql`coalesce(${callOffers.answeredAt}, now())` })
        .where(and(eq(callOffers.sessionId, session.id), eq(callOffers.state, 'accepted')));
      return [
        {
          type: 'joinRoom',
          room: session.id,
          role: 'customer',
          endRoomOnExit: true,
          record: { sessionId: session.id, tenantId: session.tenantId },
        },
      ];
    }
    // The agent's leg: an accepted offer makes the rest of the call path (wrap-up, CDR) see them.
    const [existing] = await tx.select().from(callOffers).where(eq(callOffers.sessionId, session.id));
    if (!existing) {
      const [offer] = await tx
        .insert(callOffers)
        .values({
          tenantId: session.tenantId,
          sessionId: session.id,
          agentId: leg.agentId!,
          skillGroupId: null,
          callSid: leg.callSid,
          state: 'accepted',
        })
        .returning();
      await tx
        .update(callSessions)
        .set({ agentCallSid: leg.callSid, lastEventAt: new Date() })
        .where(eq(callSessions.id, session.id));
      const [customerLeg] = await tx
        .insert(callLegs)
        .values({
          tenantId: session.tenantId,
          sessionId: session.id,
          role: 'customer',
          purpose: 'redial',
          number: session.callee,
          invitedBy: leg.agentId,
        })
        .returning();
      // Dialled once this transaction has committed (its statuses must find the rows).
      this.d.background.later('redial.dialCustomer', { tenantId: session.tenantId, sessionId: session.id }, () =>
        this.dialRedialCustomer(session, customerLeg!, offer!),
      );
    }
    return [{ type: 'joinRoom', room: session.id, role: 'agent', endRoomOnExit: true }];
  }

  private async dialRedialCustomer(session: CallSessionRow, leg: CallLegRow, offer: CallOfferRow): Promise<void> {
    try {
      const { callSid } = await this.d.telephony.placeCall({
        context: { sessionId: session.id, tenantId: session.tenantId, role: 'customer', legId: leg.id },
        device: { type: 'phone', number: session.callee },
        callerId: session.caller,
        timeoutSeconds: PLACED_RING_SECONDS,
      });
      await this.d.db.update(callLegs).set({ callSid }).where(eq(callLegs.id, leg.id));
      await this.d.db
        .update(callSessions)
        .set({ customerCallSid: callSid })
        .where(and(eq(callSessions.id, session.id), sql`${callSessions.customerCallSid} like 'pending:%'`));
      this.publishParty(session, { ...leg, state: 'ringing' }, [offer.agentId]);
    } catch (err) {
      // The agent waits in the room for nobody: end the call. If that fails too, the step's
      // owner logs and counts it, and the agent's hang-up ends the call.
      this.d.background.report('redial.dialCustomer', { tenantId: session.tenantId, sessionId: session.id }, err);
      await this.legEnded(leg.id, 'failed', 'ring failed');
      await this.d.callFlow.endSession(session.id, { by: 'system' });
    }
  }

  /** The session ended: every party call control placed and still there is hung up (or its ring cancelled). */
  async sessionEnded(tenantId: string, sessionId: string): Promise<void> {
    const open = await this.d.db
      .select({ callSid: callLegs.callSid })
      .from(callLegs)
      .where(
        and(
          eq(callLegs.tenantId, tenantId),
          eq(callLegs.sessionId, sessionId),
          inArray(callLegs.state, ['ringing', 'joined']),
        ),
      );
    for (const l of open)
      if (l.callSid)
        await this.d.telephony
          .hangup(l.callSid)
          .catch(this.d.background.failed('control.hangupParty', { tenantId, sessionId, callSid: l.callSid }));
  }

  /** A status of a leg call control placed. */
  async onLegStatus(
    ctx: LegContext,
    leg: { callSid: string; status: LegStatus; hungUpBy?: 'caller' | 'system'; sipStatus?: number },
  ): Promise<void> {
    if (!ctx.legId) return;
    if (!isFinal(leg.status)) {
      await this.d.db.update(callSessions).set({ lastEventAt: new Date() }).where(eq(callSessions.id, ctx.sessionId));
      return;
    }
    const ended = await this.legEnded(ctx.legId, leg.status === 'completed' ? 'left' : 'failed', leg.status);
    if (!ended) return;
    const session = await this.d.callFlow.sessionById(ctx.sessionId);
    if (!session) return;
    if (ended.purpose === 'redial') {
      const by = ended.role === 'customer' ? 'customer' : ended.role === 'agent' ? 'agent' : 'system';
      const cdr = await this.d.callFlow.endSession(session.id, {
        by,
        ...(leg.hungUpBy ? { hungUpBy: leg.hungUpBy } : {}),
      });
      // The agent's leg failed before any offer existed: they were busy for nothing.
      if (ended.role === 'agent' && !ended.answeredAt) await this.freeAgent(session, ended.agentId);
      if (!cdr && ended.role === 'agent') return;
    } else if (ended.role === 'agent' && ended.agentId) {
      await this.freeAgent(session, ended.agentId);
    }
    this.publishParty(session, ended);
    if (ended.purpose === 'listen' && ended.agentId) this.publishListen(session, ended.agentId, ended.id, false);
  }

  /** A three-way (or redial) agent whose leg ended: busy → wrap-up or idle. */
  private async freeAgent(session: CallSessionRow, agentId: string | null): Promise<void> {
    if (!agentId) return;
    const change = await this.d.db.transaction(async (tx) => {
      await tx.select({ id: callSessions.id }).from(callSessions).where(eq(callSessions.id, session.id)).for('update');
      // Still serving this session through an offer (redial): endSession does it.
      if (await this.access.hasOffer(tx, session.id, agentId, eq(callOffers.state, 'accepted'))) return null;
      return this.d.agentService.transition(tx, session.tenantId, agentId, ['busy'], 'idle', { sessionId: session.id });
    });
    this.d.agentService.announce([change]);
    this.access.dispatchIfIdle(change);
  }

  /** Closes a placed leg once (the first final status wins). */
  private async legEnded(legId: string, state: 'left' | 'failed', reason: string): Promise<CallLegRow | undefined> {
    const [row] = await this.d.db
      .update(callLegs)
      .set({
        state: sql`case when ${callLegs.state} = 'joined' then 'left' else ${state} end`,
        endedAt: new Date(),
        endReason: reason,
      })
      .where(and(eq(callLegs.id, legId), inArray(callLegs.state, ['ringing', 'joined'])))
      .returning();
    return row;
  }

  /** `session.party`: a placed leg rings, joined or ended (its number masked under protection). */
  private publishParty(session: CallSessionRow, leg: CallLegRow, extra: Array<string | null | undefined> = []): void {
    void this.access
      .protect(session.tenantId)
      .then((mask) =>
        this.access.publish(session, [leg.agentId, leg.invitedBy, ...extra], 'session.party', {
          sessionId: session.id,
          legId: leg.id,
          role: leg.role,
          purpose: leg.purpose,
          state: leg.state,
          agentId: leg.agentId,
          number: leg.number && mask ? maskNumber(leg.number) : leg.number,
        }),
      )
      .catch(
        this.d.background.failed('control.publishParty', {
          tenantId: session.tenantId,
          sessionId: session.id,
          legId: leg.id,
        }),
      );
  }

  /** `session.listen`: a supervisor started or stopped listening in. */
  private publishListen(session: CallSessionRow, supervisorId: string, legId: string, listening: boolean): void {
    this.access.publish(session, [], 'session.listen', { sessionId: session.id, supervisorId, legId, listening });
  }
}
