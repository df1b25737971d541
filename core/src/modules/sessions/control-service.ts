import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db, DbTx } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import type { HookPayload, PluginHost } from '../../plugins/host.js';
import type { EventBus } from '../../realtime/bus.js';
import type { ServerEvents } from '../../realtime/events.js';
import type { CallAction, LegContext, LegStatus, Prompt, TelephonyPort } from '../../telephony/types.js';
import type { AgentService, StateChange } from '../agents/service.js';
import { agents } from '../agents/schema.js';
import type { Principal } from '../auth/principal.js';
import type { CallFlowService } from '../calls/call-flow.js';
import { customerContext, hookBase, isFinal, say } from '../calls/call-steps.js';
import { customerNumber, hideNumbersDeep, maskNumber } from '../calls/number-protection.js';
import { callOffers, callSessions, type CallOfferRow, type CallSessionRow } from '../calls/schema.js';
import type { SessionEventService } from '../calls/session-events.js';
import { resumeAt, startIvr, stepIvr, type IvrStep } from '../ivr/interpreter.js';
import type { IvrGraph } from '../ivr/flow-model.js';
import { ivrFlowVersions, ivrFlows } from '../ivr/schema.js';
import type { BlacklistRepo } from '../records/blacklist-repo.js';
import { cdrs } from '../records/schema.js';
import type { AcdService, Claim } from '../routing/acd.js';
import { skillGroups } from '../skill-groups/schema.js';
import type { TenantRepo } from '../tenants/repo.js';
import { ControlAccess, userOf } from './control-access.js';
import { agentVisibleVariables, maskDigits, sessionLegs, type SessionLeg } from './legs.js';
import {
  callLegs,
  collectTemplates,
  sessionControls,
  sessionTransfers,
  type CallLegRow,
  type CollectTemplateRow,
  type LegPurpose,
  type SessionControlRow,
  type TransferTarget,
} from './schema.js';

interface Deps {
  db: Db;
  logger: Logger;
  bus: EventBus;
  agentService: AgentService;
  acdService: AcdService;
  telephony: TelephonyPort;
  tenantRepo: TenantRepo;
  blacklistRepo: BlacklistRepo;
  callFlow: CallFlowService;
  sessionEvents: SessionEventService;
  pluginHost: PluginHost;
}

/** Where a transfer goes, as the API asks for it. */
export type TransferRequest =
  | { type: 'skillGroup'; skillGroupId: string }
  | { type: 'agent'; agentId: string }
  | { type: 'external'; number: string };

/** Who joins a three-way call (CTL-09). */
export type PartyRequest = { type: 'agent'; agentId: string } | { type: 'external'; number: string };

/** A session as the API shows it (`GET /sessions/:id`). */
export interface SessionView {
  id: string;
  state: CallSessionRow['state'];
  direction: CallSessionRow['direction'];
  caller: string;
  callee: string;
  startedAt: string;
  acceptedAt: string | null;
  endedAt: string | null;
  queuedSkillGroupId: string | null;
  agentId: string | null;
  held: boolean;
  agentMuted: boolean;
  customerAway: 'collect' | 'selfService' | null;
  ivrKeys: Array<{ key: string; label: string; nodeLabel: string; timestamp: number }>;
  variables: Record<string, string>;
  notes: string | null;
  annotations: Record<string, unknown>;
  legs: SessionLeg[];
}

/** Steps of `collectDigits` that belong to call control (not to the call's IVR). */
const STEP_PREFIX = 'ctl:';
const COLLECT_STEP = 'ctl:collect:';
const SELF_SERVICE_STEP = 'ctl:ivr:';
const PLACED_RING_SECONDS = 30;
const DEFAULT_HOLD_MUSIC: Prompt[] = [
  { kind: 'say', text: 'Please hold the line. Your agent will be back with you shortly.' },
];

/**
 * Live call control (issue 5): what the agent on a call, or a supervisor, does with it while it
 * runs — hold, mute, DTMF, hang-up, transfers, three-way, blacklist, digit collection,
 * self-service, listen-in, redial — and the legs it places for that. Everything acts per member
 * on the session's conference room; the state lives in `session_controls` and `call_legs`, so
 * any instance answers the same. Lock order as in the call path: session → offers → agents.
 */
export class SessionControlService {
  private readonly d: Deps;
  private readonly access: ControlAccess;

  constructor(deps: Deps) {
    // The cradle proxy, kept whole: `telephony` is registered after the adapter is installed,
    // and `callFlow` depends on this service in turn.
    this.d = deps;
    this.access = new ControlAccess(deps);
  }

  private get log(): Logger {
    return this.d.logger;
  }

  // ───────────────────────────── view ─────────────────────────────

  /** `GET /sessions/:id`: agents see calls they are offered, serve or served; supervisors all. */
  async view(p: Principal, sessionId: string): Promise<SessionView> {
    const session = await this.access.sessionOf(p, sessionId);
    if (!this.access.isSupervisor(p)) {
      const userId = p.kind === 'user' ? p.userId : '';
      const mine = await this.d.db.execute(sql`
        select 1 from call_offers where session_id = ${session.id} and agent_id = ${userId}
          and (state in ('ringing', 'accepted') or answered_at is not null)
        union all
        select 1 from call_legs where session_id = ${session.id} and agent_id = ${userId}
        limit 1`);
      if (mine.rows.length === 0) throw createError('not_your_call');
    }
    const mask = await this.access.protect(session.tenantId, p);
    const c = await this.access.controls(this.d.db, session.id);
    return {
      id: session.id,
      state: session.state,
      direction: session.direction,
      caller: mask && session.direction === 'inbound' ? maskNumber(session.caller) : session.caller,
      callee: mask && session.direction === 'outbound' ? maskNumber(session.callee) : session.callee,
      startedAt: session.startedAt.toISOString(),
      acceptedAt: session.acceptedAt?.toISOString() ?? null,
      endedAt: session.endedAt?.toISOString() ?? null,
      queuedSkillGroupId: session.queuedSkillGroupId,
      agentId: session.agentId,
      held: c?.customerHeld ?? false,
      agentMuted: c?.agentMuted ?? false,
      customerAway: c?.customerMode === 'collect' || c?.customerMode === 'selfService' ? c.customerMode : null,
      ivrKeys: session.ivrKeys,
      variables: await this.visibleVariables(p, session, c),
      notes: c?.notes ?? null,
      // A plugin's CRM card may show the customer's phone (RT-07).
      annotations: hideNumbersDeep(session.annotations, mask ? [customerNumber(session)] : []),
      legs: await sessionLegs(this.d.db, session.tenantId, session.id, mask),
    };
  }

  /** Variables as a principal may see them: agents get masked-template digits masked (CTL-10). */
  private async visibleVariables(
    p: Principal,
    session: CallSessionRow,
    c: SessionControlRow | undefined,
  ): Promise<Record<string, string>> {
    const vars = this.access.variablesOf(session, c);
    if (this.access.isSupervisor(p)) return vars;
    // RT-07: a variable holding the customer's number is masked like the number itself.
    const hidden = (await this.access.protect(session.tenantId, p)) ? [customerNumber(session)] : [];
    return agentVisibleVariables(this.d.db, session.tenantId, vars, hidden);
  }

  // ───────────────────────────── hold / mute ─────────────────────────────

  /** CTL-01: the customer on hold (hears hold music, the agent cannot hear them) or back. */
  async hold(p: Principal, sessionId: string, held: boolean): Promise<{ held: boolean }> {
    const { session, offer } = await this.d.db.transaction(async (tx) => {
      const { session, offer, controls } = await this.access.lockForControl(tx, p, sessionId);
      this.access.assertLive(session, offer, controls);
      if (controls.customerHeld === held) throw createError(held ? 'already_held' : 'not_held');
      await tx
        .update(sessionControls)
        .set({ customerHeld: held, updatedAt: new Date() })
        .where(eq(sessionControls.sessionId, session.id));
      return { session, offer };
    });
    await this.access.orUndo(session.id, { customerHeld: !held }, async () =>
      this.d.telephony.memberAction(
        session.customerCallSid,
        held ? 'hold' : 'unhold',
        held ? { holdMusic: await this.holdMusic(session.tenantId) } : undefined,
      ),
    );
    this.access.publish(session, [offer?.agentId], 'session.hold', {
      sessionId: session.id,
      held,
      byUserId: userOf(p),
    });
    this.access.emitHook('call.held', {
      ...hookBase(session),
      held,
      ...(offer?.agentId ? { agentId: offer.agentId } : {}),
      idempotencyKey: `held:${session.id}:${held}:${Date.now()}`,
    });
    return { held };
  }

  private async holdMusic(tenantId: string): Promise<Prompt[]> {
    const url = (await this.d.tenantRepo.findById(tenantId))?.settings?.holdMusicUrl;
    return typeof url === 'string' && /^https?:\/\//.test(url) ? [{ kind: 'play', url }] : DEFAULT_HOLD_MUSIC;
  }

  /** CTL-02: the serving agent's microphone off (the customer stops hearing them) or on. */
  async mute(p: Principal, sessionId: string, muted: boolean): Promise<{ muted: boolean }> {
    const { session, offer } = await this.d.db.transaction(async (tx) => {
      const { session, offer, controls } = await this.access.lockForControl(tx, p, sessionId);
      this.access.assertLive(session, offer, controls);
      if (!offer?.callSid) throw createError('session_not_live');
      if (controls.agentMuted === muted) throw createError(muted ? 'already_muted' : 'not_muted');
      await tx
        .update(sessionControls)
        .set({ agentMuted: muted, updatedAt: new Date() })
        .where(eq(sessionControls.sessionId, session.id));
      return { session, offer };
    });
    await this.access.orUndo(session.id, { agentMuted: !muted }, () =>
      this.d.telephony.memberAction(offer.callSid!, muted ? 'mute' : 'unmute'),
    );
    this.access.publish(session, [offer.agentId], 'session.mute', {
      sessionId: session.id,
      muted,
      byUserId: userOf(p),
    });
    return { muted };
  }

  // ───────────────────────────── hang-up, DTMF, notes, blacklist ─────────────────────────────

  /** Hangs the call up from the agent's side (seat), whoever of the two asks. */
  async hangup(p: Principal, sessionId: string): Promise<void> {
    const { session, offer } = await this.d.db.transaction(async (tx) => {
      const { session, offer } = await this.access.lockForControl(tx, p, sessionId);
      if (session.state === 'ended') throw createError('session_not_live');
      return { session, offer };
    });
    await this.d.callFlow.endSession(session.id, { by: 'agent', hungUpBy: 'caller' });
    // endSession leaves the agent's own leg to the agent; here the API is the agent's hand.
    if (offer?.callSid) await this.d.telephony.hangup(offer.callSid).catch(() => undefined);
  }

  /** Sends DTMF to the customer (e.g. into a far-end IVR). */
  async dtmf(p: Principal, sessionId: string, digits: string): Promise<void> {
    const session = await this.d.db.transaction(async (tx) => {
      const { session, offer, controls } = await this.access.lockForControl(tx, p, sessionId);
      this.access.assertLive(session, offer, controls);
      return session;
    });
    await this.d.telephony.sendDtmf(session.customerCallSid, digits);
  }

  /** The agent's notes; they travel with transfers and end up in the CDR. */
  async setNotes(p: Principal, sessionId: string, notes: string): Promise<{ notes: string }> {
    const session = await this.access.sessionOf(p, sessionId);
    if (!this.access.isSupervisor(p)) {
      const served = sql`(${callOffers.state} = 'accepted' or ${callOffers.answeredAt} is not null)`;
      if (!(await this.access.hasOffer(this.d.db, session.id, userOf(p), served))) throw createError('not_your_call');
    }
    await this.d.db
      .insert(sessionControls)
      .values({ sessionId: session.id, tenantId: session.tenantId, notes })
      .onConflictDoUpdate({ target: sessionControls.sessionId, set: { notes, updatedAt: new Date() } });
    // Wrap-up notes after the call: the CDR is already written.
    await this.d.db
      .update(cdrs)
      .set({ note: notes })
      .where(and(eq(cdrs.tenantId, session.tenantId), eq(cdrs.sessionId, session.id)));
    return { notes };
  }

  /** CTL-08: the caller's number goes on the tenant's blacklist; optionally the call ends. */
  async blacklist(p: Principal, sessionId: string, opts: { hangup: boolean; reason?: string }): Promise<void> {
    const { session } = await this.d.db.transaction(async (tx) => {
      const locked = await this.access.lockForControl(tx, p, sessionId);
      if (locked.session.state === 'ended') throw createError('session_not_live');
      return locked;
    });
    const number = session.direction === 'inbound' ? session.caller : session.callee;
    await this.d.blacklistRepo.add(session.tenantId, number, opts.reason ?? `added from call ${session.id}`);
    if (opts.hangup) await this.hangup(p, sessionId);
  }

  // ───────────────────────────── transfers ─────────────────────────────

  /**
   * CTL-03/04/05: hands the call on with the same session id, its data travelling with it.
   * Group or agent: the customer leaves the room for the queue and the ACD (or the named agent)
   * takes over; external: the number is rung, and once it answers the customer joins it in a
   * new room. Either way the first agent goes to wrap-up.
   */
  async transfer(p: Principal, sessionId: string, to: TransferRequest): Promise<{ sessionId: string }> {
    if (to.type === 'external') {
      await this.placeParty(p, sessionId, { role: 'external', purpose: 'transfer', number: to.number });
      return { sessionId };
    }
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
    else void this.d.acdService.dispatch(session.tenantId, session.queuedSkillGroupId!).catch(() => undefined);
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
  private async releaseServingAgent(
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
  private async handedOn(
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
      .catch((err) => this.log.error({ err, sessionId: session.id }, `could not move the customer to ${next.to}`));
  }

  // ───────────────────────────── placed legs: three-way, external, listen ─────────────────────────────

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
  private async placeParty(
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
      throw err;
    }
    this.publishParty(session, { ...leg, state: 'ringing' });
    if (req.purpose === 'listen') this.publishListen(session, req.agentId!, leg.id, true);
    return { legId: leg.id };
  }

  // ───────────────────────────── digit collection, self-service ─────────────────────────────

  /** CTL-10: the customer leaves the room to key in digits for a template, then comes back. */
  async collect(p: Principal, sessionId: string, templateId: string): Promise<void> {
    const [template] = await this.d.db
      .select()
      .from(collectTemplates)
      .where(and(eq(collectTemplates.tenantId, p.tenantId), eq(collectTemplates.id, templateId)));
    if (!template) throw createError('not_found', 'No such collection template');
    await this.sendCustomerAway(p, sessionId, {
      customerMode: 'collect',
      collect: { templateId: template.id, requestedBy: userOf(p) },
    });
  }

  /** CTL-11: the customer goes through an IVR flow and comes back to the agent at its end. */
  async selfService(p: Principal, sessionId: string, flowId: string): Promise<void> {
    const [flow] = await this.d.db
      .select({ versionId: ivrFlowVersions.id })
      .from(ivrFlows)
      .innerJoin(
        ivrFlowVersions,
        and(eq(ivrFlowVersions.flowId, ivrFlows.id), eq(ivrFlowVersions.version, ivrFlows.publishedVersion)),
      )
      .where(and(eq(ivrFlows.tenantId, p.tenantId), eq(ivrFlows.id, flowId)));
    if (!flow) throw createError('not_found', 'No such IVR flow with a published version');
    await this.sendCustomerAway(p, sessionId, {
      customerMode: 'selfService',
      selfService: { flowId, flowVersionId: flow.versionId, ivr: null },
    });
  }

  private async sendCustomerAway(
    p: Principal,
    sessionId: string,
    set: Partial<Pick<SessionControlRow, 'customerMode' | 'collect' | 'selfService'>>,
  ): Promise<void> {
    const { session, offer, controls } = await this.d.db.transaction(async (tx) => {
      const locked = await this.access.lockForControl(tx, p, sessionId);
      this.access.assertLive(locked.session, locked.offer, locked.controls);
      await tx
        .update(sessionControls)
        .set({ ...set, customerHeld: false, updatedAt: new Date() })
        .where(eq(sessionControls.sessionId, locked.session.id));
      return locked;
    });
    await this.access.orUndo(session.id, { customerMode: null, collect: null, selfService: null }, () =>
      this.d.telephony.redirect(session.customerCallSid, customerContext(session)),
    );
    await this.publishCustomer(
      session,
      offer?.agentId,
      set.customerMode === 'collect' ? 'collect' : 'selfService',
      controls,
    );
  }

  /** `session.customer`: the customer went away (digits, self-service) or came back. */
  private async publishCustomer(
    session: CallSessionRow,
    agentId: string | undefined,
    away: 'collect' | 'selfService' | null,
    c: SessionControlRow,
  ): Promise<void> {
    this.access.publish(session, [agentId], 'session.customer', {
      sessionId: session.id,
      away,
      variables: await this.access.agentVars(session, c),
    });
  }

  /** Whether a `collectDigits` step is one of call control's (not the call's IVR). */
  ownsStep(step: string): boolean {
    return step.startsWith(STEP_PREFIX);
  }

  /** Digits for a step of call control: a template's digits, or a self-service IVR step. */
  async onDigits(ctx: LegContext, input: { step: string; digits: string; timedOut: boolean }): Promise<CallAction[]> {
    const out = await this.d.db.transaction(async (tx) => {
      const [session] = await tx.select().from(callSessions).where(eq(callSessions.id, ctx.sessionId)).for('update');
      if (!session || session.tenantId !== ctx.tenantId || session.state === 'ended') return null;
      const c = await this.access.ensureControls(tx, session);
      if (input.step.startsWith(COLLECT_STEP) && c.customerMode === 'collect' && c.collect) {
        const [template] = await tx
          .select()
          .from(collectTemplates)
          .where(and(eq(collectTemplates.tenantId, session.tenantId), eq(collectTemplates.id, c.collect.templateId)));
        const variables = template ? { ...c.variables, [template.variable]: input.digits } : c.variables;
        await tx
          .update(sessionControls)
          .set({ variables, customerMode: null, collect: null, updatedAt: new Date() })
          .where(eq(sessionControls.sessionId, session.id));
        return {
          session,
          c: { ...c, variables },
          actions: [say('Thank you.'), this.customerRoom(session, c)],
          digits: template ? { template, requestedBy: c.collect.requestedBy } : undefined,
        };
      }
      if (input.step.startsWith(SELF_SERVICE_STEP) && c.customerMode === 'selfService' && c.selfService?.ivr) {
        const graph = await this.graphOf(tx, session.tenantId, c.selfService.flowVersionId);
        if (!graph) return { session, c, actions: await this.finishSelfService(tx, session, c, {}) };
        const ivr = c.selfService.ivr;
        let step = stepIvr(graph, ivr, {
          type: 'digits',
          step: input.step.slice(SELF_SERVICE_STEP.length),
          digits: input.digits,
          timedOut: input.timedOut,
        });
        // A late or duplicate answer changes nothing: ask the current node again.
        if (step.effects.length === 0 && step.state === ivr) step = resumeAt(graph, ivr.node, ivr);
        return { session, c, actions: await this.applySelfService(tx, session, c, step) };
      }
      // Anything else (a stale step): the customer is best off back in the room.
      return { session, c, actions: [this.customerRoom(session, c)] };
    });
    if (!out) return [{ type: 'hangup' }];
    if (out.digits) {
      const { template, requestedBy } = out.digits;
      this.access.publish(out.session, [requestedBy], 'session.digits', {
        sessionId: out.session.id,
        templateId: template.id,
        variable: template.variable,
        digits: template.mask ? maskDigits(input.digits) : input.digits,
        timedOut: input.timedOut,
      });
      this.publishCustomerBack(out.session, out.c);
    }
    return out.actions;
  }

  /** The self-service flow's effects → actions; its end (or anything we cannot run) → back. */
  private async applySelfService(
    tx: DbTx,
    session: CallSessionRow,
    c: SessionControlRow,
    step: IvrStep,
  ): Promise<CallAction[]> {
    const actions: CallAction[] = [];
    const vars: Record<string, string> = { ...(step.state?.vars ?? {}) };
    let waits = false;
    let over = step.state === null;
    for (const e of step.effects) {
      if (e.type === 'prompt') {
        if (e.prompt.kind !== 'audio') actions.push({ type: 'prompt', prompt: e.prompt });
      } else if (e.type === 'collect') {
        actions.push({
          type: 'collectDigits',
          prompts: e.prompts.flatMap((x): Prompt[] => (x.kind === 'audio' ? [] : [x])),
          ...(e.numDigits ? { numDigits: e.numDigits } : {}),
          ...(e.maxDigits ? { maxDigits: e.maxDigits } : {}),
          ...(e.finishOnKey ? { finishOnKey: e.finishOnKey } : {}),
          timeoutSeconds: e.timeoutSeconds,
          step: `${SELF_SERVICE_STEP}${e.step}`,
        });
        waits = true;
      } else if (e.type === 'setVariable') {
        vars[e.name] = e.value;
      } else if (e.type !== 'keyPressed') {
        // A hang-up, transfer or anything else that ends the flow's part: back to the agent.
        over = true;
        break;
      }
    }
    if (over || !waits) return [...actions, ...(await this.finishSelfService(tx, session, c, vars))];
    await tx
      .update(sessionControls)
      .set({ selfService: { ...c.selfService!, ivr: step.state }, updatedAt: new Date() })
      .where(eq(sessionControls.sessionId, session.id));
    return actions;
  }

  private async finishSelfService(
    tx: DbTx,
    session: CallSessionRow,
    c: SessionControlRow,
    vars: Record<string, string>,
  ): Promise<CallAction[]> {
    const variables = { ...c.variables, ...vars };
    await tx
      .update(sessionControls)
      .set({ variables, customerMode: null, selfService: null, updatedAt: new Date() })
      .where(eq(sessionControls.sessionId, session.id));
    // Published once the transaction has committed.
    setImmediate(() => this.publishCustomerBack(session, { ...c, variables }));
    return [this.customerRoom(session, c)];
  }

  private publishCustomerBack(session: CallSessionRow, c: SessionControlRow): void {
    void (async () => {
      const offer = await this.access.servingOffer(this.d.db, session.id);
      await this.publishCustomer(session, offer?.agentId, null, c);
    })().catch(() => undefined);
  }

  private async graphOf(db: Db | DbTx, tenantId: string, versionId: string): Promise<IvrGraph | undefined> {
    const [row] = await db
      .select({ graph: ivrFlowVersions.graph })
      .from(ivrFlowVersions)
      .where(and(eq(ivrFlowVersions.tenantId, tenantId), eq(ivrFlowVersions.id, versionId)));
    return row?.graph;
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

  /**
   * A redirected or newly answered leg: legs call control placed, and the customer while call
   * control has them out of the room. Undefined = not ours, the call path decides.
   */
  async onRedirect(ctx: LegContext, session: CallSessionRow): Promise<CallAction[] | undefined> {
    if (ctx.legId) return this.placedLegAnswered(ctx, ctx.legId);
    if (ctx.role !== 'customer' || session.state !== 'bridged') return undefined;
    return this.d.db.transaction(async (tx) => {
      const c = await this.access.controls(tx, session.id);
      if (!c?.customerMode) return undefined;
      if (c.customerMode === 'rejoin') {
        await tx
          .update(sessionControls)
          .set({ customerMode: null, updatedAt: new Date() })
          .where(eq(sessionControls.sessionId, session.id));
        return [this.customerRoom(session, c)];
      }
      if (c.customerMode === 'collect' && c.collect) {
        const [t] = await tx
          .select()
          .from(collectTemplates)
          .where(and(eq(collectTemplates.tenantId, session.tenantId), eq(collectTemplates.id, c.collect.templateId)));
        if (!t) return [this.customerRoom(session, c)];
        return [collectAction(t)];
      }
      if (c.customerMode === 'selfService' && c.selfService) {
        const graph = await this.graphOf(tx, session.tenantId, c.selfService.flowVersionId);
        if (!graph) return this.finishSelfService(tx, session, c, {});
        const step = startIvr(graph, {
          system: {
            SystemCallerNumber: session.caller,
            SystemCalleeNumber: session.callee,
            SystemSessionId: session.id,
          },
          variables: this.access.variablesOf(session, c),
        });
        return this.applySelfService(tx, session, c, step);
      }
      return undefined;
    });
  }

  /**
   * The room ended under the serving agent. While the customer is away for digits or
   * self-service, or already on the way back, the agent waits in the room for them; otherwise
   * (customer gone, call handed on) the agent's leg ends, as it would have without asking.
   */
  async onRoomExit(ctx: LegContext): Promise<CallAction[]> {
    const session = await this.d.callFlow.sessionById(ctx.sessionId);
    if (!session || session.tenantId !== ctx.tenantId || session.state !== 'bridged' || ctx.role !== 'agent')
      return [{ type: 'hangup' }];
    const c = await this.access.controls(this.d.db, session.id);
    const offer = await this.access.servingOffer(this.d.db, session.id);
    if (!c || !offer || offer.id !== ctx.offerId) return [{ type: 'hangup' }];
    const away = c.customerMode === 'collect' || c.customerMode === 'selfService';
    const rejoin: CallAction = {
      type: 'joinRoom',
      room: c.room ?? session.id,
      role: 'agent',
      endRoomOnExit: true,
      askOnExit: true,
    };
    if (away) return [say('The customer is away for a moment. Please stay on the line.'), rejoin];
    // Back already (the hook raced the customer's return), or gone: the provider knows which.
    const back = await this.d.telephony.isAlive(session.customerCallSid).catch(() => false);
    return back ? [rejoin] : [{ type: 'hangup' }];
  }

  /** A leg call control placed answered: it joins the room as what it is, or finishes a transfer. */
  private async placedLegAnswered(ctx: LegContext, legId: string): Promise<CallAction[]> {
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
          await this.releaseServingAgent(
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
      await this.handedOn(session, offer, change, { state: 'bridged', reason: 'externalTransfer', to: 'the new room' });
      this.access.dispatchIfIdle(change);
      const mask = await this.access.protect(session.tenantId);
      const number = leg.number ?? '';
      await this.announceTransfer(session, offer.agentId, controls, {
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
      setImmediate(() => void this.dialRedialCustomer(session, customerLeg!, offer!));
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
      this.log.warn({ err, sessionId: session.id }, 'redial: could not dial the customer');
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
    for (const l of open) if (l.callSid) await this.d.telephony.hangup(l.callSid).catch(() => undefined);
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

  // ───────────────────────────── helpers ─────────────────────────────

  private customerRoom(session: CallSessionRow, c: SessionControlRow | undefined): CallAction {
    return { type: 'joinRoom', room: c?.room ?? session.id, role: 'customer', endRoomOnExit: true };
  }

  private publishParty(session: CallSessionRow, leg: CallLegRow, extra: Array<string | null | undefined> = []): void {
    void this.access.protect(session.tenantId).then((mask) =>
      this.access.publish(session, [leg.agentId, leg.invitedBy, ...extra], 'session.party', {
        sessionId: session.id,
        legId: leg.id,
        role: leg.role,
        purpose: leg.purpose,
        state: leg.state,
        agentId: leg.agentId,
        number: leg.number && mask ? maskNumber(leg.number) : leg.number,
      }),
    );
  }

  private publishListen(session: CallSessionRow, supervisorId: string, legId: string, listening: boolean): void {
    this.access.publish(session, [], 'session.listen', { sessionId: session.id, supervisorId, legId, listening });
  }

  /**
   * Tells the agents concerned (`session.transferred`, with the call's data) and the plugins
   * (`call.transferred`, the real target) that the serving agent handed the call on.
   */
  private async announceTransfer(
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

function collectAction(t: CollectTemplateRow): CallAction {
  return {
    type: 'collectDigits',
    prompts: [{ kind: 'say', text: t.prompt }],
    ...(t.minDigits === t.maxDigits ? { numDigits: t.maxDigits } : { maxDigits: t.maxDigits }),
    ...(t.finishOnKey ? { finishOnKey: t.finishOnKey } : {}),
    timeoutSeconds: t.timeoutSeconds,
    step: `${COLLECT_STEP}${t.id}`,
  };
}
