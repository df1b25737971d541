import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { BackgroundSteps } from '../../background.js';
import type { Db, DbTx } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import type { PluginHost } from '../../plugins/host.js';
import type { EventBus } from '../../realtime/bus.js';
import type { CallAction, LegContext, LegStatus, TelephonyPort } from '../../telephony/types.js';
import type { DeviceService, Reach } from '../agents/device-service.js';
import { agents, type AgentState } from '../agents/schema.js';
import type { AgentService, StateChange } from '../agents/service.js';
import type { AcdService } from '../routing/acd.js';
import { writeCdr } from '../records/cdr-service.js';
import { users } from '../users/schema.js';
import { cdrPayload } from './call-flow.js';
import { acceptRingingOffer, closeOpenOffers, hookBase, isFinal, say } from './call-steps.js';
import { END_STATUS, endStatusString } from './end-status.js';
import type { SessionEventService } from './session-events.js';
import { callOffers, callSessions, type CallSessionRow } from './schema.js';

/** How long each side of an internal call rings. */
const RING_SECONDS = 30;

/** What an internal session keeps in its annotations (the parties and how to reach the callee). */
interface InternalInfo {
  callerId: string;
  calleeId: string;
  callerName: string;
  calleeName: string;
  /** State to give each party back after the call (AGT-01 table: busy → idle | notReady). */
  callerBefore: 'idle' | 'notReady';
  /** null: the callee is offline (reached on their mobile) and their state is left alone. */
  calleeBefore: 'idle' | 'notReady' | null;
  calleeDevice: Extract<Reach, { ok: true }>;
}

/** Result of starting an internal call. */
export interface InternalCallStarted {
  sessionId: string;
  callee: { agentId: string; staffNo: string };
  /** Where the callee will ring: their softphone, or their mobile when offline (AGT-04). */
  calleeDevice: 'webrtc' | 'mobile';
}

/**
 * Agent → agent calls (AGT-04). The calling agent's own device is rung first (their softphone
 * answers by itself: they just clicked "call"); once they answer, the colleague is rung — on
 * the softphone while their web workbench is online (registered), otherwise on their bound
 * mobile from an agent-mobile number (ADM-05). Both legs meet in the session's room.
 *
 * A session with direction `internal` (caller and callee are staff numbers), one offer per leg
 * (no skill group), and a CDR at the end. Both agents are `busy` for the call and get their
 * previous state (idle or notReady) back afterwards, without wrap-up. An offline callee stays
 * offline (the ACD must not route to them). A callee on a call, ringing, in wrap-up or resting
 * is refused with `409 agent_busy`; one offline without a mobile with `409 agent_unreachable`.
 */
export class InternalCallService {
  private readonly d: {
    db: Db;
    logger: Logger;
    background: BackgroundSteps;
    bus: EventBus;
    agentService: AgentService;
    deviceService: DeviceService;
    acdService: AcdService;
    telephony: TelephonyPort;
    pluginHost: PluginHost;
    sessionEvents: SessionEventService;
  };

  constructor(deps: InternalCallService['d']) {
    this.d = deps;
  }

  /** Starts an internal call from `callerId` to a colleague. */
  async start(
    tenantId: string,
    callerId: string,
    to: { toAgentId?: string | undefined; toStaffNo?: string | undefined },
  ): Promise<InternalCallStarted> {
    const party = async (where: ReturnType<typeof eq>) => {
      const [row] = await this.d.db
        .select({ id: users.id, staffNo: users.staffNo, name: users.name, state: agents.state })
        .from(users)
        .innerJoin(agents, eq(agents.userId, users.id))
        .where(and(eq(users.tenantId, tenantId), where));
      return row;
    };
    const caller = await party(eq(users.id, callerId));
    if (!caller) throw createError('not_found', 'You are not set up as an agent');
    const callee = await party(to.toAgentId ? eq(users.id, to.toAgentId) : eq(users.staffNo, to.toStaffNo ?? ''));
    if (!callee) throw createError('not_found', 'No agent with that id or staff number');
    if (callee.id === caller.id) throw createError('validation_failed', 'You cannot call yourself');
    if (!['idle', 'notReady', 'offline'].includes(callee.state)) {
      throw createError('agent_busy', `${callee.name} is ${callee.state} and cannot take a call now`, {
        details: { agentId: callee.id, state: callee.state },
      });
    }
    if (caller.state !== 'idle' && caller.state !== 'notReady') {
      throw createError('invalid_state_transition', `You cannot start a call while ${caller.state}`, {
        details: { from: caller.state, to: 'busy' },
      });
    }
    const calleeOffline = callee.state === 'offline';
    const calleeReach = await this.d.deviceService.reach(
      tenantId,
      (await this.d.deviceService.reachInput(tenantId, callee.id))!,
      { offlineToMobile: true, offline: calleeOffline },
    );
    if (!calleeReach.ok) {
      throw createError('agent_unreachable', `${callee.name} cannot be reached: ${calleeReach.reason}`, {
        details: { agentId: callee.id, reason: calleeReach.reason, state: callee.state },
      });
    }
    const callerReach = await this.d.deviceService.reach(
      tenantId,
      (await this.d.deviceService.reachInput(tenantId, caller.id))!,
    );
    if (!callerReach.ok) {
      throw createError('agent_unreachable', `Your device cannot be rung: ${callerReach.reason}`, {
        details: { agentId: caller.id, reason: callerReach.reason },
      });
    }

    const sessionId = randomUUID();
    const info: InternalInfo = {
      callerId: caller.id,
      calleeId: callee.id,
      callerName: caller.name,
      calleeName: callee.name,
      callerBefore: caller.state as 'idle' | 'notReady',
      calleeBefore: calleeOffline ? null : (callee.state as 'idle' | 'notReady'),
      calleeDevice: calleeReach,
    };
    const started = await this.d.db.transaction(async (tx) => {
      await tx.insert(callSessions).values({
        id: sessionId,
        tenantId,
        direction: 'internal',
        caller: caller.staffNo,
        callee: callee.staffNo,
        // Replaced by the caller's leg once the provider accepted it (the reaper watches it).
        customerCallSid: `internal:${sessionId}`,
        state: 'offering',
        ringAt: new Date(),
        annotations: { internal: info },
      });
      const change = await this.d.agentService.transition(tx, tenantId, caller.id, [info.callerBefore], 'busy', {
        sessionId,
      });
      if (!change) return null;
      const [offer] = await tx
        .insert(callOffers)
        .values({ tenantId, sessionId, agentId: caller.id, skillGroupId: null, state: 'ringing' })
        .returning({ id: callOffers.id });
      return { change, offerId: offer!.id };
    });
    if (!started) {
      throw createError('invalid_state_transition', 'Your state changed meanwhile; try again', {
        details: { to: 'busy' },
      });
    }
    this.d.agentService.announce([started.change]);
    // The caller's own device rings first: they are the agent offered the session for now.
    this.d.sessionEvents.publishState({
      session: {
        id: sessionId,
        tenantId,
        direction: 'internal',
        caller: caller.staffNo,
        callee: callee.staffNo,
        customerAlias: null,
        queuedSkillGroupId: null,
        agentId: caller.id,
      },
      state: 'offering',
      previous: null,
      reason: 'internal',
    });
    try {
      const { callSid } = await this.d.telephony.ringAgent({
        context: { sessionId, tenantId, role: 'agent', offerId: started.offerId },
        device: callerReach.device,
        // The caller sees whom they are calling.
        callerId: callerReach.callerId ?? callee.staffNo,
        ringTimeoutSeconds: RING_SECONDS,
        // Click to call: the caller's softphone picks up by itself.
        autoAnswer: true,
      });
      const live = await this.d.db.transaction(async (tx) => {
        await tx
          .update(callSessions)
          .set({ customerCallSid: callSid, lastEventAt: new Date() })
          .where(eq(callSessions.id, sessionId));
        const [offer] = await tx
          .update(callOffers)
          .set({ callSid })
          .where(eq(callOffers.id, started.offerId))
          .returning({ state: callOffers.state });
        return offer?.state === 'ringing' || offer?.state === 'accepted';
      });
      // Ended meanwhile (e.g. the leg failed at once): make sure the device stops ringing.
      if (!live) await this.d.telephony.hangup(callSid);
    } catch (err) {
      this.d.logger.warn({ err, sessionId }, 'could not ring the calling agent');
      await this.end(sessionId, END_STATUS.clientError);
      throw createError('agent_unreachable', 'Your device could not be rung', { details: { agentId: caller.id } });
    }
    return {
      sessionId,
      callee: { agentId: callee.id, staffNo: callee.staffNo },
      calleeDevice: calleeReach.device.type === 'phone' ? 'mobile' : 'webrtc',
    };
  }

  /** Whether a session is an internal call (CallFlow hands such legs over). */
  async handles(sessionId: string): Promise<boolean> {
    const [s] = await this.d.db
      .select({ direction: callSessions.direction })
      .from(callSessions)
      .where(eq(callSessions.id, sessionId));
    return s?.direction === 'internal';
  }

  /** A leg of an internal call answered: the caller's (ring the callee) or the callee's (bridge). */
  async onAnswered(ctx: LegContext, leg: { callSid: string }): Promise<CallAction[]> {
    if (!ctx.offerId) return [{ type: 'hangup' }];
    const offerId = ctx.offerId;
    const result = await this.d.db.transaction(async (tx) => {
      const session = await this.lock(tx, ctx.sessionId);
      if (!session || session.state === 'ended') return null;
      const offer = await acceptRingingOffer(tx, offerId, leg.callSid);
      if (!offer) return null;
      const info = infoOf(session);
      if (offer.agentId === info.callerId) {
        // The caller picked up: now the colleague rings (busy unless they were offline).
        let change: StateChange | null = null;
        if (info.calleeBefore) {
          change = await this.d.agentService.transition(
            tx,
            session.tenantId,
            info.calleeId,
            [info.calleeBefore],
            'busy',
            {
              sessionId: session.id,
            },
          );
          if (!change) return { session, info, calleeOfferId: null, change: null, caller: true };
        }
        const [calleeOffer] = await tx
          .insert(callOffers)
          .values({ tenantId: session.tenantId, sessionId: session.id, agentId: info.calleeId, state: 'ringing' })
          .returning({ id: callOffers.id });
        await tx.update(callSessions).set({ lastEventAt: new Date() }).where(eq(callSessions.id, session.id));
        return { session, info, calleeOfferId: calleeOffer!.id, change, caller: true };
      }
      const [bridged] = await tx
        .update(callSessions)
        .set({
          state: 'bridged',
          agentId: info.calleeId,
          agentCallSid: leg.callSid,
          acceptedAt: new Date(),
          lastEventAt: new Date(),
        })
        .where(eq(callSessions.id, session.id))
        .returning();
      return { session: bridged ?? session, info, calleeOfferId: null, change: null, caller: false, offerId: offer.id };
    });
    if (!result) return [{ type: 'hangup' }];
    const { session, info } = result;
    const room: CallAction = { type: 'joinRoom', room: session.id, role: 'agent', endRoomOnExit: true };
    const where = { tenantId: session.tenantId, sessionId: session.id };
    if (!result.caller) {
      // The colleague picked up: the call is on, for both of them and the monitors.
      this.d.sessionEvents.publishState({
        session,
        state: 'bridged',
        previous: 'offering',
        reason: 'answered',
        notify: [info.callerId],
      });
      if (result.offerId)
        void this.d.bus
          .publish({ tenantId: session.tenantId, kind: 'user', userId: info.calleeId }, 'call.accepted', {
            sessionId: session.id,
            offerId: result.offerId,
          })
          .catch(this.d.background.failed('internal.publishAccepted', where));
      void this.d.pluginHost
        .emit('call.answered', {
          ...hookBase(session, leg.callSid),
          agentId: info.calleeId,
          idempotencyKey: `answered:${session.id}:${result.offerId ?? ''}`,
        })
        .catch(this.d.background.failed('internal.hookAnswered', where));
      return [room];
    }
    if (!result.calleeOfferId) {
      // The colleague took another call meanwhile.
      this.d.background.later('internal.endCalleeBusy', where, () => this.end(session.id, END_STATUS.ringingGiveUp));
      return [say(`${info.calleeName} is busy now. Please try again later.`), { type: 'hangup' }];
    }
    this.d.agentService.announce([result.change]);
    const calleeOfferId = result.calleeOfferId;
    // Rung once this webhook has answered: the caller's room verbs are not held up by REST.
    this.d.background.later('internal.ringCallee', where, () => this.ringCallee(session, info, calleeOfferId));
    return [say(`Calling ${info.calleeName}.`), room];
  }

  private async ringCallee(session: CallSessionRow, info: InternalInfo, offerId: string): Promise<void> {
    const reach = info.calleeDevice;
    const where = { tenantId: session.tenantId, sessionId: session.id, offerId };
    // The colleague's workbench shows who is calling, as for a customer's call (no customer
    // number here: staff numbers on both sides).
    void this.d.bus
      .publish({ tenantId: session.tenantId, kind: 'user', userId: info.calleeId }, 'call.offer', {
        sessionId: session.id,
        offerId,
        caller: session.caller,
        callee: session.callee,
        // Staff numbers on both sides: no place to look up, no company number (IN-05/06).
        callerLocation: null,
        companyNumber: null,
        skillGroupId: null,
        skillGroupName: null,
        ringTimeoutSeconds: RING_SECONDS,
        ivrKeys: [],
        annotations: {},
        internalFrom: { agentId: info.callerId, name: info.callerName, staffNo: session.caller },
      })
      .catch(this.d.background.failed('internal.publishOffer', where));
    void this.d.pluginHost
      .emit('call.offered', {
        ...hookBase(session),
        agentId: info.calleeId,
        idempotencyKey: `offer:${offerId}`,
      })
      .catch(this.d.background.failed('internal.hookOffered', where));
    try {
      const { callSid } = await this.d.telephony.ringAgent({
        context: { sessionId: session.id, tenantId: session.tenantId, role: 'agent', offerId },
        device: reach.device,
        // A softphone sees the colleague's staff number; a mobile an agent-mobile number.
        callerId: reach.callerId ?? session.caller,
        ringTimeoutSeconds: RING_SECONDS,
        ...(reach.autoAnswer ? { autoAnswer: true } : {}),
      });
      const [offer] = await this.d.db
        .update(callOffers)
        .set({ callSid })
        .where(and(eq(callOffers.id, offerId), sql`${callOffers.callSid} is null`))
        .returning({ state: callOffers.state });
      // The call ended while the ring was being placed: stop it ringing.
      if (offer && offer.state !== 'ringing' && offer.state !== 'accepted') await this.d.telephony.hangup(callSid);
    } catch (err) {
      // The caller waits in the room for nobody: end the call. If that fails too, the step's
      // owner logs and counts it, and the caller's hang-up ends the call.
      this.d.background.report('internal.ringCallee', where, err);
      await this.end(session.id, END_STATUS.ringingGiveUp);
    }
  }

  /** A leg of an internal call changed status; any final status ends the call. */
  async onLegStatus(
    ctx: LegContext | undefined,
    sessionId: string,
    leg: { callSid: string; status: LegStatus; hungUpBy?: 'caller' | 'system' },
  ): Promise<void> {
    if (!isFinal(leg.status)) {
      await this.d.db.update(callSessions).set({ lastEventAt: new Date() }).where(eq(callSessions.id, sessionId));
      return;
    }
    const [offer] = ctx?.offerId
      ? await this.d.db.select().from(callOffers).where(eq(callOffers.id, ctx.offerId))
      : await this.d.db.select().from(callOffers).where(eq(callOffers.callSid, leg.callSid));
    const [session] = await this.d.db.select().from(callSessions).where(eq(callSessions.id, sessionId));
    const bridged = session?.state === 'bridged';
    // Someone who never answered (no answer, declined, unreachable) vs a hang-up after talking.
    const code = bridged ? END_STATUS.ok : offer?.state === 'ringing' ? END_STATUS.ringingGiveUp : END_STATUS.ok;
    await this.end(sessionId, code);
  }

  /**
   * Ends an internal call exactly once: session, offers, both agents' states and the CDR in one
   * transaction; then the other legs are hung up.
   */
  async end(sessionId: string, code: number): Promise<void> {
    const result = await this.d.db.transaction(async (tx) => {
      const session = await this.lock(tx, sessionId);
      if (!session || session.state === 'ended') return null;
      const info = infoOf(session);
      const [ended] = await tx
        .update(callSessions)
        .set({ state: 'ended', endedAt: new Date(), endStatus: code, hungUpSide: 'seat', lastEventAt: new Date() })
        .where(eq(callSessions.id, sessionId))
        .returning();
      const offers = await closeOpenOffers(tx, sessionId);
      const changes: Array<StateChange | null> = [];
      const back = async (userId: string, to: AgentState | null) => {
        if (!to) return;
        changes.push(await this.d.agentService.transition(tx, session.tenantId, userId, ['busy'], to));
      };
      await back(info.callerId, info.callerBefore);
      // The callee was made busy only once the caller answered (an offer of theirs exists).
      if (offers.some((o) => o.agentId === info.calleeId)) await back(info.calleeId, info.calleeBefore);
      const cdr = await writeCdr(tx, ended!);
      return {
        changes,
        hangups: offers.flatMap((o) => (o.callSid ? [o.callSid] : [])),
        tenantId: session.tenantId,
        session: ended!,
        previous: session.state,
        info,
        offers,
        cdr,
      };
    });
    if (!result) return;
    this.d.agentService.announce(result.changes);
    const { info, offers } = result;
    const where = { tenantId: result.tenantId, sessionId };
    // Both agents see the end; the colleague only if they were ever rung (an offer of theirs).
    const calleeRung = offers.some((o) => o.agentId === info.calleeId);
    this.d.sessionEvents.publishState({
      session: result.session,
      state: 'ended',
      previous: result.previous,
      reason: 'ended',
      agentId: calleeRung ? info.calleeId : null,
      notify: [info.callerId],
    });
    for (const o of offers) {
      // A colleague whose phone stops ringing: the offer is withdrawn, like a customer's call.
      if (o.state === 'cancelled' && o.agentId === info.calleeId)
        void this.d.bus
          .publish({ tenantId: result.tenantId, kind: 'user', userId: o.agentId }, 'call.offer.withdrawn', {
            sessionId,
            offerId: o.id,
            reason: 'call ended',
          })
          .catch(this.d.background.failed('internal.publishWithdrawn', where));
    }
    const ended = { sessionId, endStatus: code, endStatusString: endStatusString(code), hungUpSide: 'seat' };
    for (const userId of new Set([info.callerId, ...(calleeRung ? [info.calleeId] : [])]))
      void this.d.bus
        .publish({ tenantId: result.tenantId, kind: 'user', userId }, 'call.ended', ended)
        .catch(this.d.background.failed('internal.publishEnded', where));
    if (result.cdr)
      void this.d.pluginHost
        .emit('call.ended', {
          ...hookBase(result.session),
          cdr: cdrPayload(result.cdr),
          idempotencyKey: `ended:${sessionId}`,
        })
        .catch(this.d.background.failed('internal.hookEnded', where));
    for (const sid of result.hangups) {
      this.d.telephony.hangup(sid).catch(this.d.background.failed('internal.hangupLeg', { ...where, callSid: sid }));
    }
    for (const c of result.changes) {
      if (c?.to === 'idle')
        void this.d.acdService
          .dispatchForAgent(c.tenantId, c.userId)
          .catch(this.d.background.failed('acd.dispatchForAgent', { ...where, agentId: c.userId }));
    }
    void this.d.bus
      .publish({ tenantId: result.tenantId, kind: 'role', role: 'supervisor' }, 'call.ended', ended)
      .catch(this.d.background.failed('internal.publishEnded', where));
  }

  private async lock(tx: DbTx, id: string): Promise<CallSessionRow | undefined> {
    const [row] = await tx.select().from(callSessions).where(eq(callSessions.id, id)).for('update');
    return row;
  }
}

function infoOf(session: CallSessionRow): InternalInfo {
  return session.annotations.internal as InternalInfo;
}
