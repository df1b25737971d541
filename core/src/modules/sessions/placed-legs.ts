import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { BackgroundSteps } from '../../background.js';
import type { Db } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import type { CallAction, LegContext, LegStatus, TelephonyPort } from '../../telephony/types.js';
import type { AgentService, StateChange } from '../agents/service.js';
import { agents } from '../agents/schema.js';
import type { Principal } from '../auth/principal.js';
import type { CallFlowService } from '../calls/call-flow.js';
import { isFinal } from '../calls/call-steps.js';
import { callOffers, callSessions, type CallSessionRow } from '../calls/schema.js';
import type { SessionEventService } from '../calls/session-events.js';
import { userOf, type ControlAccess } from './control-access.js';
import type { DialOut } from './dial-out.js';
import { callLegs, isDialOut, sessionControls, type CallLegRow, type LegPurpose } from './schema.js';
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
 * transfer target (CTL-05), a supervisor listening in (MON-03) — each rung, answered, and ended
 * here — and the two legs of a call an agent places (redial CTL-07, outbound OUT-01), whose
 * answers and ends this hands to {@link DialOut}. A leg row is written before its ring, so every
 * status the provider sends finds it.
 */
export class PlacedLegs {
  // The lazy cradle, kept whole: reading a dependency here would resolve it too early.
  constructor(
    private readonly d: PlacedLegsDeps,
    private readonly access: ControlAccess,
    private readonly transfers: Transfers,
    private readonly dialOut: DialOut,
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
      const view = await this.access.view(session);
      const { callSid } = await this.d.telephony.placeCall({
        context: { sessionId: session.id, tenantId: session.tenantId, role: req.role, legId: leg.id },
        device: sipUser ? { type: 'webrtc', user: sipUser } : { type: 'phone', number: req.number! },
        // Internal parties see the customer (their ID, or masked when protected); external ones our number.
        callerId: req.role === 'external' ? session.callee : view(session.caller),
        timeoutSeconds: PLACED_RING_SECONDS,
      });
      await this.d.db
        .update(callLegs)
        .set({ callSid })
        .where(and(eq(callLegs.id, leg.id), sql`${callLegs.callSid} is null`));
    } catch (err) {
      await this.access.closeLeg(leg.id, 'failed', 'ring failed');
      // No leg, so no status will ever free the agent made busy for this ring: do it now
      // (as when a three-way agent's leg ends: wrap-up or idle).
      if (change) await this.freeAgent(session, change.userId);
      throw err;
    }
    this.access.publishParty(session, { ...leg, state: 'ringing' });
    if (req.purpose === 'listen') this.publishListen(session, req.agentId!, leg.id, true);
    return { legId: leg.id };
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
      const live = session.state === 'bridged' || (isDialOut(leg.purpose) && session.state === 'offering');
      if (!live) return null;
      if (fresh) {
        await tx.update(callLegs).set({ state: 'joined', answeredAt: new Date() }).where(eq(callLegs.id, leg.id));
      }
      const c = await this.access.ensureControls(tx, session);
      const room = c.room ?? session.id;
      if (isDialOut(leg.purpose)) return { session, leg, fresh, ...(await this.dialOut.answered(tx, session, leg)) };
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
    if (out.fresh) this.access.publishParty(session, { ...leg, state: 'joined' });
    // A call an agent places: their answer (the customer is dialled next), or the customer's.
    if (out.fresh && isDialOut(leg.purpose)) this.dialOut.afterAnswer(session, leg);
    // What a call an agent places does next (dial the customer), once committed and announced.
    if ('after' in out) out.after?.();
    if (out.transfer) {
      const { offer, change, controls } = out.transfer;
      // Still bridged, now with the external number instead of an agent (CTL-05).
      await this.transfers.handedOn(session, offer, change, {
        state: 'bridged',
        reason: 'externalTransfer',
        to: 'the new room',
      });
      this.access.dispatchIfIdle(change);
      const view = await this.access.view(session);
      const number = leg.number ?? '';
      await this.transfers.announceTransfer(session, offer.agentId, controls, {
        to: { type: 'external', number: view(number) },
        target: { type: 'external', id: number },
        notify: [],
        key: leg.id,
      });
    }
    return out.actions;
  }

  /**
   * The session ended: every party call control placed and still there is hung up (or its ring
   * cancelled); the dial pad of a call an agent placed hears the end.
   */
  async sessionEnded(session: CallSessionRow): Promise<void> {
    const { tenantId, id: sessionId } = session;
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
    if (session.direction === 'outbound')
      await this.dialOut.ended(session).catch(this.d.background.failed('dialOut.ended', { tenantId, sessionId }));
  }

  /** A status of a leg call control placed. */
  async onLegStatus(
    ctx: LegContext,
    leg: { callSid: string; status: LegStatus; hungUpBy?: 'caller' | 'system'; sipStatus?: number },
  ): Promise<void> {
    if (!ctx.legId) return;
    if (!isFinal(leg.status)) {
      await this.d.db.update(callSessions).set({ lastEventAt: new Date() }).where(eq(callSessions.id, ctx.sessionId));
      // Only the customer leg of a call an agent places has the customer role among placed legs.
      if (ctx.role === 'customer' && leg.status === 'ringing') await this.dialOut.customerRinging(ctx, leg.sipStatus);
      return;
    }
    const ended = await this.access.closeLeg(ctx.legId, leg.status === 'completed' ? 'left' : 'failed', leg.status);
    if (!ended) return;
    const session = await this.d.callFlow.sessionById(ctx.sessionId);
    if (!session) return;
    if (isDialOut(ended.purpose)) {
      const cdr = await this.dialOut.legEnded(session, ended, leg);
      if (!cdr && ended.role === 'agent') return;
    } else if (ended.role === 'agent' && ended.agentId) {
      await this.freeAgent(session, ended.agentId);
    }
    this.access.publishParty(session, ended);
    if (ended.purpose === 'listen' && ended.agentId) this.publishListen(session, ended.agentId, ended.id, false);
  }

  /** A three-way agent whose leg ended: busy → wrap-up or idle. */
  private async freeAgent(session: CallSessionRow, agentId: string | null): Promise<void> {
    if (!agentId) return;
    const change = await this.d.db.transaction(async (tx) => {
      await tx.select({ id: callSessions.id }).from(callSessions).where(eq(callSessions.id, session.id)).for('update');
      // Still serving this session through an offer: endSession does it.
      if (await this.access.hasOffer(tx, session.id, agentId, eq(callOffers.state, 'accepted'))) return null;
      return this.d.agentService.transition(tx, session.tenantId, agentId, ['busy'], 'idle', { sessionId: session.id });
    });
    this.d.agentService.announce([change]);
    this.access.dispatchIfIdle(change);
  }

  /** `session.listen`: a supervisor started or stopped listening in. */
  private publishListen(session: CallSessionRow, supervisorId: string, legId: string, listening: boolean): void {
    this.access.publish(session, [], 'session.listen', { sessionId: session.id, supervisorId, legId, listening });
  }
}
