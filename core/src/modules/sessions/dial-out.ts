import { randomUUID } from 'node:crypto';
import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { BackgroundSteps } from '../../background.js';
import type { Db, DbTx } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import type { PluginHost } from '../../plugins/host.js';
import type { CallAction, LegContext, LegStatus, TelephonyPort } from '../../telephony/types.js';
import { isProviderUnavailable } from '../../telephony/types.js';
import type { DeviceService } from '../agents/device-service.js';
import { agents, type AgentState } from '../agents/schema.js';
import type { AgentService, StateChange } from '../agents/service.js';
import type { Principal } from '../auth/principal.js';
import type { CallFlowService, EndCause, ForcedEnd } from '../calls/call-flow.js';
import { hookBase, say } from '../calls/call-steps.js';
import { customerUnreached, END_STATUS } from '../calls/end-status.js';
import { identifyCustomer } from '../calls/customer-alias.js';
import { callOffers, callSessions, type CallOfferRow, type CallSessionRow } from '../calls/schema.js';
import type { SessionEventService } from '../calls/session-events.js';
import type { CdrRow } from '../records/schema.js';
import { userOf, type ControlAccess } from './control-access.js';
import type { OutboundSurveys } from './outbound-survey.js';
import { callLegs, type CallLegRow, type DialOutPurpose } from './schema.js';

/** How long the agent's own device rings for a call they place. */
const AGENT_RING_SECONDS = 30;
/** How long the customer's phone rings (carriers give up around a minute). */
const CUSTOMER_RING_SECONDS = 60;
/** What the agent hears once they answered their own ring, while the customer is dialled. */
const DIALLING_PROMPT = 'Dialling the customer. Please hold.';

/** What {@link DialOut} needs: the lazy cradle, passed whole. */
export interface DialOutDeps {
  db: Db;
  logger: Logger;
  background: BackgroundSteps;
  agentService: AgentService;
  deviceService: DeviceService;
  telephony: TelephonyPort;
  callFlow: CallFlowService;
  sessionEvents: SessionEventService;
  pluginHost: PluginHost;
}

/** A call an agent places: whom, showing which of the tenant's numbers, through which group. */
export interface DialOutRequest {
  /** A new call from the workbench (OUT-01/03) or a callback of an ended call (CTL-07). */
  kind: DialOutPurpose;
  /** The customer's number as stored and dialled (digits). */
  customer: string;
  /** The company number the customer sees (OUT-07). */
  callerId: string;
  /** That number's row, when it is one of the tenant's numbers. */
  numberId: string | null;
  /** The (outbound) skill group the call goes through; the record's group. */
  skillGroupId: string | null;
  /** The ended call a callback calls back. */
  redialOf?: string;
  /**
   * What the agent sees instead of the customer's number (RT-08, OUT-10): the ID they dialled,
   * or the called-back call's. Undefined: the `number.identify` plugins are asked.
   */
  customerAlias?: string | null;
  /**
   * Which of the agent's devices rings first: `auto` (default) per their answer mode (IN-02);
   * `mobile` their bound mobile whatever the mode — the mini-program has no softphone, so its
   * calls go through the agent's mobile (OUT-04/OUT-05).
   */
  device?: AgentDevice;
}

/** Which device of the agent's a call they place rings: per answer mode, or the bound mobile. */
export type AgentDevice = 'auto' | 'mobile';

/** States an agent may dial out from (OUT-01): not on a call, not being rung, not offline. */
const MAY_DIAL: readonly AgentState[] = ['idle', 'notReady', 'rest'];

/**
 * The calls an agent places — a new outbound call (OUT-01/03) and a callback (CTL-07) — on the
 * session model of every other call: one `outbound` session whose room the legs meet in.
 *
 * The agent's own device rings first (softphone or bound mobile, per their answer mode); once
 * they answer they wait in the room and the customer is dialled from the chosen company number;
 * the customer answering bridges the call. Both legs are `call_legs` rows (written before their
 * ring, so every status finds them); the agent's answer also makes an accepted offer, so the rest
 * of the call path (wrap-up, CDR, call control) sees them as on any call.
 *
 * The agent is busy from the dial and gets back the state they dialled from afterwards (after
 * the wrap-up, or at once when their own device never answered). A call that never connects ends
 * with the reference product's outbound end status (research A7): the customer's `notAnswer`,
 * `busy`, `userReject`…, the agent's `callerCancel` / `callerCancelWhileRing`, or `clientError`
 * when the agent's own device did not answer. Each step is published as `session.outbound`.
 */
export class DialOut {
  // The lazy cradle, kept whole: reading a dependency here would resolve it too early.
  constructor(
    private readonly d: DialOutDeps,
    private readonly access: ControlAccess,
    private readonly surveys: OutboundSurveys,
  ) {}

  // ───────────────────────────── placing the call ─────────────────────────────

  /**
   * CTL-07: after hang-up, the agent who served the call calls the customer back from the number
   * they called (or were called from), ending their wrap-up.
   */
  async redial(p: Principal, sessionId: string, device: AgentDevice = 'auto'): Promise<{ sessionId: string }> {
    const previous = await this.access.sessionOf(p, sessionId);
    if (previous.state !== 'ended') throw createError('session_still_live');
    const userId = userOf(p);
    if (!(await this.access.hasOffer(this.d.db, previous.id, userId, sql`${callOffers.answeredAt} is not null`)))
      throw createError('not_your_call', 'Only the agent who served the call may redial it');
    const inbound = previous.direction === 'inbound';
    const session = await this.start(p, {
      kind: 'redial',
      customer: inbound ? previous.caller : previous.callee,
      callerId: inbound ? previous.callee : previous.caller,
      numberId: previous.numberId,
      skillGroupId: previous.queuedSkillGroupId,
      redialOf: previous.id,
      customerAlias: previous.customerAlias,
      device,
    });
    return { sessionId: session.id };
  }

  /**
   * Places a call for the signed-in agent: the session, the agent busy, the `call.outbound`
   * hook (its annotations kept on the session; at most the hook's budget), then the agent's own
   * device rings. Refused while the agent is offline (`agent_offline`), on a call, ringing or in
   * wrap-up (`agent_busy`; a callback may end the wrap-up), or without a device (`no_device`).
   */
  async start(p: Principal, req: DialOutRequest): Promise<CallSessionRow> {
    const userId = userOf(p);
    const agent = await this.d.agentService.get(p.tenantId, userId);
    if (!agent) throw createError('not_found', 'You are not set up as an agent');
    assertMayDial(agent.state, req.kind === 'redial');
    const found = await this.d.deviceService.reachInput(p.tenantId, userId);
    const input = found && req.device === 'mobile' ? { ...found, answerMode: 'mobileAlways' as const } : found;
    const reach = input ? await this.d.deviceService.reach(p.tenantId, input) : undefined;
    if (!reach?.ok) {
      const reason = reach?.reason ?? 'agent has no device';
      throw createError('no_device', `Your device cannot be rung: ${reason}`, { details: { reason } });
    }
    // Before the session exists anywhere an agent can see it: its first event shows the alias.
    const sessionId = randomUUID();
    const customerAlias =
      req.customerAlias !== undefined
        ? req.customerAlias
        : await identifyCustomer(this.d.pluginHost, {
            tenantId: p.tenantId,
            sessionId,
            direction: 'outbound',
            number: req.customer,
          });
    const { session, leg, changes } = await this.d.db.transaction(async (tx) => {
      const [session] = await tx
        .insert(callSessions)
        .values({
          id: sessionId,
          tenantId: p.tenantId,
          customerAlias,
          direction: 'outbound',
          caller: req.callerId,
          callee: req.customer,
          numberId: req.numberId,
          // Not known until the customer is dialled; unique, so a placeholder per session.
          customerCallSid: `pending:${randomUUID()}`,
          state: 'offering',
          queuedSkillGroupId: req.skillGroupId,
          agentId: userId,
          annotations: req.redialOf ? { redialOf: req.redialOf } : {},
        })
        .returning();
      const changes: Array<StateChange | null> = [];
      // A callback ends the wrap-up of the call it calls back: the agent is calling out now.
      if (req.kind === 'redial')
        changes.push(await this.d.agentService.transition(tx, p.tenantId, userId, ['afterCallWork'], 'idle'));
      const busy = await this.d.agentService.transition(tx, p.tenantId, userId, MAY_DIAL, 'busy', {
        sessionId: session!.id,
        remember: true,
      });
      if (!busy) {
        // Moved meanwhile (an offer rang them, they went offline): the transaction rolls back.
        const [now] = await tx
          .select({ state: agents.state })
          .from(agents)
          .where(and(eq(agents.tenantId, p.tenantId), eq(agents.userId, userId)));
        assertMayDial(now?.state ?? 'offline', false);
        throw createError('agent_busy', 'Your state changed meanwhile; try again', { details: { state: now?.state } });
      }
      changes.push(busy);
      const [leg] = await tx
        .insert(callLegs)
        .values({
          tenantId: p.tenantId,
          sessionId: session!.id,
          role: 'agent',
          purpose: req.kind,
          agentId: userId,
          invitedBy: userId,
        })
        .returning();
      return { session: session!, leg: leg!, changes };
    });
    this.d.agentService.announce(changes);
    this.d.sessionEvents.publishState({ session, state: 'offering', previous: null, reason: req.kind });

    // Plugins (a CRM screen pop) see the call before anything rings, within the hook's budget.
    const annotated = await this.annotate(session, req, userId);
    // Cancelled while the plugins ran: nothing to ring (the end was announced).
    const now = await this.d.callFlow.sessionById(session.id);
    if (!now || now.state === 'ended') {
      await this.access.closeLeg(leg.id, 'failed', 'cancelled');
      return annotated;
    }
    this.d.sessionEvents.publishOutbound({ session: annotated, stage: 'dialingAgent', kind: req.kind });
    try {
      const view = await this.access.view(annotated, p);
      const { callSid } = await this.d.telephony.placeCall({
        context: { sessionId: session.id, tenantId: session.tenantId, role: 'agent', legId: leg.id },
        device: reach.device,
        // A softphone shows whom the agent calls (masked under protection, OUT-09); a mobile
        // must see one of our agent-mobile numbers (ADM-05).
        callerId: reach.callerId ?? view(req.customer),
        timeoutSeconds: AGENT_RING_SECONDS,
      });
      await this.d.db
        .update(callLegs)
        .set({ callSid })
        .where(and(eq(callLegs.id, leg.id), sql`${callLegs.callSid} is null`));
      // Cancelled while the ring was being placed: the end could not hang up a leg it did not know.
      const after = await this.d.callFlow.sessionById(session.id);
      if (!after || after.state === 'ended')
        await this.d.telephony
          .hangup(callSid)
          .catch(
            this.d.background.failed('dialOut.hangupAgent', { tenantId: session.tenantId, sessionId: session.id }),
          );
    } catch (err) {
      await this.access.closeLeg(leg.id, 'failed', 'ring failed');
      // The provider could not place the ring (an operator fault), or the device refused it.
      const code = isProviderUnavailable(err) ? END_STATUS.operatorError : END_STATUS.clientError;
      await this.d.callFlow.endSession(session.id, { by: 'system', ifUnconnected: { code, side: 'system' } });
      await this.freeAgent(session, userId);
      throw err;
    }
    return annotated;
  }

  /** `call.outbound`: plugins may annotate the call; what they return is kept on the session. */
  private async annotate(session: CallSessionRow, req: DialOutRequest, agentId: string): Promise<CallSessionRow> {
    const { annotations } = await this.d.pluginHost.emit('call.outbound', {
      ...hookBase(session, ''),
      direction: 'outbound',
      agentId,
      ...(req.skillGroupId ? { skillGroupId: req.skillGroupId } : {}),
      ...(req.redialOf ? { redialOf: req.redialOf } : {}),
      idempotencyKey: `outbound:${session.id}`,
    });
    if (Object.keys(annotations).length === 0) return session;
    // The host passes only plain JSON within 16 KB per plugin, so this write should not fail
    // because of a plugin; if it still does, the call goes on without the annotations.
    try {
      const [row] = await this.d.db
        .update(callSessions)
        .set({ annotations: sql`${callSessions.annotations} || ${JSON.stringify(annotations)}::jsonb` })
        .where(eq(callSessions.id, session.id))
        .returning();
      return row ?? session;
    } catch (err) {
      this.d.logger.error(
        { err, sessionId: session.id, tenantId: session.tenantId },
        'could not store plugin annotations; call goes on',
      );
      return session;
    }
  }

  // ───────────────────────────── answers (in the caller's transaction) ─────────────────────────────

  /**
   * A leg of the call answered, inside the transaction that locked the session and marked the
   * leg joined. The agent: an accepted offer makes the rest of the call path (wrap-up, CDR, call
   * control) see them; they wait in the room while the customer is dialled. The customer: the
   * call is on.
   */
  async answered(
    tx: DbTx,
    session: CallSessionRow,
    leg: CallLegRow,
  ): Promise<{ actions: CallAction[]; after?: () => void }> {
    if (leg.role === 'customer') {
      await tx
        .update(callSessions)
        .set({
          state: 'bridged',
          acceptedAt: new Date(),
          // Its ringing status may come after the answer (statuses are posted independently).
          ringAt: sql`coalesce(${callSessions.ringAt}, now())`,
          lastEventAt: new Date(),
        })
        .where(eq(callSessions.id, session.id));
      await tx
        .update(callOffers)
        .set({ answeredAt: sql`coalesce(${callOffers.answeredAt}, now())` })
        .where(and(eq(callOffers.sessionId, session.id), eq(callOffers.state, 'accepted')));
      return {
        actions: [
          {
            type: 'joinRoom',
            room: session.id,
            role: 'customer',
            endRoomOnExit: true,
            record: { sessionId: session.id, tenantId: session.tenantId },
          },
        ],
      };
    }
    // With an outbound survey (OUT-11) the room outlives the agent: the customer stays to be asked.
    const survey = await this.surveys.templateOf(session.tenantId, tx);
    const room: CallAction = { type: 'joinRoom', room: session.id, role: 'agent', endRoomOnExit: !survey };
    const [existing] = await tx.select().from(callOffers).where(eq(callOffers.sessionId, session.id));
    if (existing) return { actions: [room] };
    const [offer] = await tx
      .insert(callOffers)
      .values({
        tenantId: session.tenantId,
        sessionId: session.id,
        agentId: leg.agentId!,
        skillGroupId: session.queuedSkillGroupId,
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
        purpose: leg.purpose,
        number: session.callee,
        invitedBy: leg.agentId,
      })
      .returning();
    // Dialled once this transaction has committed (its statuses must find the rows) and the
    // agent's answer is announced (the dial pad shows the steps in order).
    const kind = leg.purpose as DialOutPurpose;
    const after = () =>
      this.d.background.later(`${kind}.dialCustomer`, { tenantId: session.tenantId, sessionId: session.id }, () =>
        this.dialCustomer(session, customerLeg!, offer!, kind),
      );
    return { actions: [say(DIALLING_PROMPT), room], after };
  }

  /** After the answer committed: the workbench, the monitors and plugins are told. */
  afterAnswer(session: CallSessionRow, leg: CallLegRow): void {
    const kind = leg.purpose as DialOutPurpose;
    if (leg.role !== 'customer') {
      this.d.sessionEvents.publishOutbound({ session, stage: 'agentAnswered', kind });
      return;
    }
    const bridged = { ...session, state: 'bridged' as const };
    // Answered before its ringing status was heard: the ring is news still, and comes first.
    if (!session.ringAt) this.d.sessionEvents.publishOutbound({ session, stage: 'customerRinging', kind });
    this.d.sessionEvents.publishState({ session: bridged, state: 'bridged', previous: 'offering', reason: 'answered' });
    this.d.sessionEvents.publishOutbound({ session: bridged, stage: 'connected', kind });
    if (session.agentId)
      this.access.emitHook('call.answered', {
        ...hookBase(session, leg.callSid ?? session.customerCallSid),
        agentId: session.agentId,
        idempotencyKey: `answered:${session.id}:${leg.id}`,
      });
  }

  private async dialCustomer(
    session: CallSessionRow,
    leg: CallLegRow,
    offer: CallOfferRow,
    kind: DialOutPurpose,
  ): Promise<void> {
    const where = { tenantId: session.tenantId, sessionId: session.id };
    this.d.sessionEvents.publishOutbound({ session, stage: 'dialingCustomer', kind });
    try {
      const { callSid } = await this.d.telephony.placeCall({
        context: { sessionId: session.id, tenantId: session.tenantId, role: 'customer', legId: leg.id },
        device: { type: 'phone', number: session.callee },
        // OUT-07: the company number chosen for the call.
        callerId: session.caller,
        timeoutSeconds: CUSTOMER_RING_SECONDS,
      });
      await this.d.db.update(callLegs).set({ callSid }).where(eq(callLegs.id, leg.id));
      await this.d.db
        .update(callSessions)
        .set({ customerCallSid: callSid })
        .where(and(eq(callSessions.id, session.id), sql`${callSessions.customerCallSid} like 'pending:%'`));
      this.access.publishParty(session, { ...leg, state: 'ringing' }, [offer.agentId]);
      // The agent hung up while the dial was being placed: the end did not know this leg.
      const after = await this.d.callFlow.sessionById(session.id);
      if (!after || after.state === 'ended')
        await this.d.telephony.hangup(callSid).catch(this.d.background.failed(`${kind}.hangupCustomer`, where));
    } catch (err) {
      // The agent waits in the room for nobody: end the call. If that fails too, the step's
      // owner logs and counts it, and the agent's hang-up ends the call.
      this.d.background.report(`${kind}.dialCustomer`, where, err);
      await this.access.closeLeg(leg.id, 'failed', 'ring failed');
      await this.d.callFlow.endSession(session.id, {
        by: 'system',
        ifUnconnected: { code: END_STATUS.operatorError, side: 'system' },
      });
    }
  }

  // ───────────────────────────── statuses, cancel, end ─────────────────────────────

  /** A status before the end of the customer's leg: its first ring (not `trying`) is news. */
  async customerRinging(ctx: LegContext, sipStatus?: number): Promise<void> {
    if (sipStatus !== undefined && sipStatus < 180) return;
    // The record's ring time of an outbound call is the customer's (research A6); once (the
    // customer's answer sets it too when it overtook this status).
    const [row] = await this.d.db
      .update(callSessions)
      .set({ ringAt: new Date(), lastEventAt: new Date() })
      .where(
        and(
          eq(callSessions.id, ctx.sessionId),
          eq(callSessions.tenantId, ctx.tenantId),
          eq(callSessions.state, 'offering'),
          sql`${callSessions.ringAt} is null`,
        ),
      )
      .returning({
        ...getTableColumns(callSessions),
        kind: sql<DialOutPurpose | null>`(select ${callLegs.purpose} from ${callLegs} where ${callLegs.id} = ${ctx.legId ?? null})`,
      });
    if (!row?.kind) return;
    const { kind, ...session } = row;
    this.d.sessionEvents.publishOutbound({ session, stage: 'customerRinging', kind });
  }

  /**
   * A leg of the call ended (its row closed by the caller). Before the customer answered, the
   * call ends with why (research A7); after, as any call. An agent whose own device never
   * answered gets their state back at once (no wrap-up: there was no call). Null: it had ended,
   * or the agent left and the customer stays for the outbound survey (OUT-11).
   */
  async legEnded(
    session: CallSessionRow,
    ended: CallLegRow,
    status: { status: LegStatus; hungUpBy?: 'caller' | 'system'; sipStatus?: number },
  ): Promise<CdrRow | null> {
    const customer = ended.role === 'customer';
    if (!customer && ended.answeredAt) {
      if (this.surveys.inSurvey(session)) return null;
      // The agent left a connected call first: the customer stays for the survey (OUT-11). A leg
      // ended by jambonz itself left because the room ended — the customer had gone, and their
      // own status may simply come second.
      if (status.hungUpBy !== 'system' && (await this.surveys.agentLeft(session))) return null;
    }
    let ifUnconnected: ForcedEnd;
    if (customer) ifUnconnected = customerUnreached(status.status, status.sipStatus);
    else if (ended.answeredAt) ifUnconnected = await this.cancelEnd(session.id);
    else ifUnconnected = { code: END_STATUS.clientError, side: 'seat' };
    const cause: EndCause = {
      by: customer ? 'customer' : 'agent',
      ...(status.hungUpBy ? { hungUpBy: status.hungUpBy } : {}),
      ifUnconnected,
    };
    const cdr = await this.d.callFlow.endSession(session.id, cause);
    if (!customer && !ended.answeredAt) await this.freeAgent(session, ended.agentId);
    return cdr;
  }

  /**
   * The agent (or a supervisor) hangs up before the customer answered: cancelled — while the
   * customer's phone rang, or before it was dialled (research A7 220 / 209).
   */
  async cancel(session: CallSessionRow, offer: CallOfferRow | undefined): Promise<void> {
    await this.d.callFlow.endSession(session.id, {
      by: 'agent',
      hungUpBy: 'caller',
      ifUnconnected: await this.cancelEnd(session.id),
    });
    // Their own leg: in the room (answered) it is hung up; still ringing, the end cancels it.
    if (offer?.callSid)
      await this.d.telephony
        .hangup(offer.callSid)
        .catch(this.d.background.failed('control.hangupAgent', { tenantId: session.tenantId, sessionId: session.id }));
    if (!offer && session.agentId) await this.freeAgent(session, session.agentId);
  }

  /** The session ended (any way): the dial pad hears the end, with the record's status. */
  async ended(session: CallSessionRow): Promise<void> {
    const [leg] = await this.d.db
      .select({ purpose: callLegs.purpose, agentId: callLegs.agentId })
      .from(callLegs)
      .where(
        and(
          eq(callLegs.tenantId, session.tenantId),
          eq(callLegs.sessionId, session.id),
          eq(callLegs.role, 'agent'),
          sql`${callLegs.purpose} in ('redial', 'outbound')`,
        ),
      )
      .limit(1);
    if (!leg) return;
    this.d.sessionEvents.publishOutbound({
      session,
      stage: 'ended',
      kind: leg.purpose as DialOutPurpose,
      ...(leg.agentId ? { agentId: leg.agentId } : {}),
    });
  }

  /**
   * How a cancel ends the call: while the customer's phone rang (it said so, or its leg was
   * placed), or before.
   */
  private async cancelEnd(sessionId: string): Promise<ForcedEnd> {
    const [row] = await this.d.db
      .select({
        ringing: sql<boolean>`${callSessions.ringAt} is not null or exists (select 1 from ${callLegs}
          where ${callLegs.sessionId} = ${callSessions.id} and ${callLegs.role} = 'customer'
            and ${callLegs.callSid} is not null)`,
      })
      .from(callSessions)
      .where(eq(callSessions.id, sessionId));
    return { code: row?.ringing ? END_STATUS.callerCancelWhileRing : END_STATUS.callerCancel, side: 'seat' };
  }

  /**
   * The agent placing the call never answered their own device: no offer exists, so the end of
   * the session does not touch them; they get back the state they dialled from, without wrap-up.
   * Only while still busy for this session (a later call of theirs is left alone).
   */
  private async freeAgent(session: CallSessionRow, agentId: string | null): Promise<void> {
    if (!agentId) return;
    const change = await this.d.db.transaction(async (tx) => {
      await tx.select({ id: callSessions.id }).from(callSessions).where(eq(callSessions.id, session.id)).for('update');
      if (await this.access.hasOffer(tx, session.id, agentId, eq(callOffers.state, 'accepted'))) return null;
      const [a] = await tx
        .select({ sessionId: agents.currentSessionId })
        .from(agents)
        .where(and(eq(agents.tenantId, session.tenantId), eq(agents.userId, agentId)));
      if (a?.sessionId !== session.id) return null;
      return this.d.agentService.transition(tx, session.tenantId, agentId, ['busy'], 'idle', {
        sessionId: null,
        noWrapUp: true,
      });
    });
    this.d.agentService.announce([change]);
    this.access.dispatchIfIdle(change);
  }
}

/** OUT-01: only an agent who is online and free of calls may dial out. */
function assertMayDial(state: AgentState, wrapUpEnds: boolean): void {
  if (MAY_DIAL.includes(state) || (wrapUpEnds && state === 'afterCallWork')) return;
  if (state === 'offline')
    throw createError('agent_offline', 'You are offline: go online (idle or not ready) to dial out', {
      details: { state },
    });
  throw createError('agent_busy', `You cannot dial out while ${state}: finish the call or wrap-up first`, {
    details: { state },
  });
}
