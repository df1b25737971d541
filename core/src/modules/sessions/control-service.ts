import { and, eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { BackgroundSteps } from '../../background.js';
import type { Db } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import type { PluginHost } from '../../plugins/host.js';
import type { EventBus } from '../../realtime/bus.js';
import type { CallAction, LegContext, LegStatus, Prompt, TelephonyPort } from '../../telephony/types.js';
import type { DeviceService } from '../agents/device-service.js';
import type { AgentService } from '../agents/service.js';
import type { Principal } from '../auth/principal.js';
import type { CallFlowService } from '../calls/call-flow.js';
import type { SessionEndService } from '../calls/session-end.js';
import { hookBase } from '../calls/call-steps.js';
import { customerNumber, hideNumbersDeep, partiesAsSeen } from '../calls/number-protection.js';
import { callOffers, type CallSessionRow } from '../calls/schema.js';
import type { SessionEventService } from '../calls/session-events.js';
import type { BlacklistRepo } from '../records/blacklist-repo.js';
import { cdrs } from '../records/schema.js';
import type { AcdService } from '../routing/acd.js';
import type { TenantRepo } from '../tenants/repo.js';
import { readSetting, type StoredSettings } from '../tenants/settings-schema.js';
import { ControlAccess, userOf } from './control-access.js';
import { CustomerAway } from './customer-away.js';
import { DialOut, type AgentDevice, type DialOutRequest } from './dial-out.js';
import { OutboundSurveys } from './outbound-survey.js';
import { agentVisibleVariables, sessionLegs, type SessionLeg } from './legs.js';
import { PlacedLegs, type PartyRequest } from './placed-legs.js';
import { sessionControls, type SessionControlRow } from './schema.js';
import { Transfers, type TransferRequest } from './transfers.js';
import type { CallerLocation, CallerLocator } from '../caller-location/lookup.js';
import { companyNumberOf, type CompanyNumber } from '../numbers/company-number.js';
import type { NumberRepo } from '../numbers/repo.js';

export type { AgentDevice, DialOutRequest } from './dial-out.js';
export type { PartyRequest } from './placed-legs.js';
export type { TransferRequest } from './transfers.js';

interface Deps {
  db: Db;
  logger: Logger;
  background: BackgroundSteps;
  bus: EventBus;
  agentService: AgentService;
  deviceService: DeviceService;
  acdService: AcdService;
  telephony: TelephonyPort;
  tenantRepo: TenantRepo;
  blacklistRepo: BlacklistRepo;
  callFlow: CallFlowService;
  sessionEnd: SessionEndService;
  sessionEvents: SessionEventService;
  pluginHost: PluginHost;
  numberRepo: NumberRepo;
  callerLocator: CallerLocator;
}

/** A session as the API shows it (`GET /sessions/:id`). */
export interface SessionView {
  id: string;
  state: CallSessionRow['state'];
  direction: CallSessionRow['direction'];
  caller: string;
  callee: string;
  /** IN-06: where the customer's number is from, looked up from the real number; null when unknown. */
  callerLocation: CallerLocation | null;
  /** IN-05: the company number of the call (dialled by the customer, or shown to them) and its label. */
  companyNumber: CompanyNumber | null;
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

/** What a customer on hold hears when the tenant has no `holdMusicUrl`. */
export const DEFAULT_HOLD_MUSIC: Prompt[] = [
  { kind: 'say', text: 'Please hold the line. Your agent will be back with you shortly.' },
];

/**
 * CTL-01: what a customer on hold hears, from a tenant's stored settings through the typed
 * getter (ADR 0011): the `holdMusicUrl` audio, or {@link DEFAULT_HOLD_MUSIC} when unset or not a
 * valid http(s) URL.
 */
export function holdMusicOf(settings: StoredSettings): Prompt[] {
  const url = readSetting(settings, 'holdMusicUrl');
  return url ? [{ kind: 'play', url }] : DEFAULT_HOLD_MUSIC;
}

/**
 * Live call control (issue 5): what the agent on a call, or a supervisor, does with it while it
 * runs — hold, mute, DTMF, hang-up, transfers, three-way, blacklist, digit collection,
 * self-service, listen-in, redial, outbound calls — and the legs it places for that. Everything acts per member
 * on the session's conference room; the state lives in `session_controls` and `call_legs`, so
 * any instance answers the same. Lock order as in the call path: session → offers → agents.
 *
 * The routes and the call path (call-flow.ts) talk to this class only. The controls on the
 * call itself live here; the rest is delegated to its parts: {@link Transfers},
 * {@link PlacedLegs} (three-way, listen-in), {@link DialOut} (the calls agents place: redial,
 * outbound) and {@link CustomerAway} (digits, self-service), which share the checks of
 * {@link ControlAccess}.
 */
export class SessionControlService {
  private readonly d: Deps;
  private readonly access: ControlAccess;
  private readonly transfers: Transfers;
  private readonly placedLegs: PlacedLegs;
  private readonly dialOut: DialOut;
  private readonly customerAway: CustomerAway;
  private readonly surveys: OutboundSurveys;

  constructor(deps: Deps) {
    // The cradle proxy, kept whole (the parts get it whole too): `telephony` is registered after
    // the adapter is installed, and `callFlow` depends on this service in turn.
    this.d = deps;
    this.access = new ControlAccess(deps);
    this.transfers = new Transfers(deps, this.access);
    this.surveys = new OutboundSurveys(deps);
    this.dialOut = new DialOut(deps, this.access, this.surveys);
    this.placedLegs = new PlacedLegs(deps, this.access, this.transfers, this.dialOut);
    this.customerAway = new CustomerAway(deps, this.access);
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
    const view = await this.access.view(session, p);
    const c = await this.access.controls(this.d.db, session.id);
    return {
      id: session.id,
      state: session.state,
      direction: session.direction,
      ...partiesAsSeen(session, view),
      callerLocation: session.direction === 'internal' ? null : this.d.callerLocator.lookup(customerNumber(session)),
      companyNumber: await companyNumberOf(this.d.numberRepo, session),
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
      // A plugin's CRM card may show the customer's phone (RT-07, RT-08).
      annotations: hideNumbersDeep(session.annotations, view.hidden),
      legs: await sessionLegs(this.d.db, session.tenantId, session.id, view),
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
    // RT-07/08: a variable holding the customer's number is shown as the number itself is.
    const { hidden } = await this.access.view(session, p);
    return agentVisibleVariables(this.d.db, session.tenantId, vars, hidden);
  }

  /** Variables for events agents receive: masked-template digits (and protected numbers) stay masked. */
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

  /** A provider step once the controls changed: if it fails, `undo` puts them back and the error goes on. */

  /** CTL-01: the tenant's hold music (typed setting `holdMusicUrl`, ADR 0011), else the built-in one. */
  private async holdMusic(tenantId: string): Promise<Prompt[]> {
    return holdMusicOf((await this.d.tenantRepo.findById(tenantId))?.settings);
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

  /**
   * Hangs the call up from the agent's side (seat), whoever of the two asks. A call the agent
   * places that has not connected yet is cancelled (OUT-01).
   */
  async hangup(p: Principal, sessionId: string): Promise<void> {
    const { session, offer } = await this.d.db.transaction(async (tx) => {
      const { session, offer } = await this.access.lockForControl(tx, p, sessionId);
      if (session.state === 'ended') throw createError('session_not_live');
      return { session, offer };
    });
    if (session.direction === 'outbound' && session.state === 'offering') return this.dialOut.cancel(session, offer);
    // The agent hangs up first: with a survey after them (the flow's, IVR-22; the tenant's on a
    // call they placed, OUT-11) only their own leg goes and the customer is asked.
    if (session.state === 'bridged' && offer?.state === 'accepted' && offer.callSid) {
      const surveyed =
        session.direction === 'outbound'
          ? await this.surveys.agentLeft(session, offer.id)
          : await this.d.sessionEnd.agentLeftBeforeCaller(session.id, offer.id);
      if (surveyed) {
        await this.d.telephony
          .hangup(offer.callSid)
          .catch(
            this.d.background.failed('control.hangupAgent', { tenantId: session.tenantId, sessionId: session.id }),
          );
        return;
      }
    }
    await this.d.callFlow.endSession(session.id, { by: 'agent', hungUpBy: 'caller' });
    // endSession leaves the agent's own leg to the agent; here the API is the agent's hand.
    if (offer?.callSid)
      await this.d.telephony
        .hangup(offer.callSid)
        .catch(this.d.background.failed('control.hangupAgent', { tenantId: session.tenantId, sessionId: session.id }));
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

  /**
   * CTL-08: the caller's number goes on the tenant's blacklist; optionally the call ends. During
   * the call, by whoever controls it; after it (in wrap-up, where a harassing call is usually
   * judged), by the agent who served it or a supervisor — there is nothing left to hang up then.
   */
  async blacklist(p: Principal, sessionId: string, opts: { hangup: boolean; reason?: string }): Promise<void> {
    let session = await this.access.sessionOf(p, sessionId);
    const live = session.state !== 'ended';
    if (live) {
      ({ session } = await this.d.db.transaction((tx) => this.access.lockForControl(tx, p, sessionId)));
    } else if (!this.access.isSupervisor(p)) {
      const served = sql`${callOffers.answeredAt} is not null`;
      if (!(await this.access.hasOffer(this.d.db, session.id, userOf(p), served))) throw createError('not_your_call');
    }
    const number = session.direction === 'inbound' ? session.caller : session.callee;
    await this.d.blacklistRepo.add(session.tenantId, number, opts.reason ?? `added from call ${session.id}`);
    if (opts.hangup && live) await this.hangup(p, sessionId);
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
      await this.placedLegs.placeParty(p, sessionId, { role: 'external', purpose: 'transfer', number: to.number });
      return { sessionId };
    }
    return this.transfers.toQueue(p, sessionId, to);
  }

  // ───────────────────────────── placed legs (placed-legs.ts) ─────────────────────────────

  /** CTL-09: an external number or a second agent joins the call; all three hear each other. */
  addParty(p: Principal, sessionId: string, who: PartyRequest): Promise<{ legId: string }> {
    return this.placedLegs.addParty(p, sessionId, who);
  }

  /** Drops a party call control added (three-way, listen-in). */
  dropParty(p: Principal, sessionId: string, legId: string): Promise<void> {
    return this.placedLegs.dropParty(p, sessionId, legId);
  }

  /** MON-03: rings the supervisor's device; answered, it joins the room muted. */
  listen(p: Principal, sessionId: string): Promise<{ legId: string }> {
    return this.placedLegs.listen(p, sessionId);
  }

  /** MON-03: the supervisor stops listening. */
  leaveListen(p: Principal, sessionId: string): Promise<void> {
    return this.placedLegs.leaveListen(p, sessionId);
  }

  /** CTL-07: the agent who served an ended call calls the customer back (a new session). */
  redial(p: Principal, sessionId: string, device?: AgentDevice): Promise<{ sessionId: string }> {
    return this.dialOut.redial(p, sessionId, device);
  }

  /**
   * OUT-01/03: the signed-in agent calls a customer — their own device first, then the customer
   * into the same room (see {@link DialOut}). The new session as stored.
   */
  dialOutCall(p: Principal, req: DialOutRequest): Promise<CallSessionRow> {
    return this.dialOut.start(p, req);
  }

  // ───────────────────────────── customer away (customer-away.ts) ─────────────────────────────

  /** CTL-10: the customer leaves the room to key in digits for a template, then comes back. */
  collect(p: Principal, sessionId: string, templateId: string): Promise<void> {
    return this.customerAway.collect(p, sessionId, templateId);
  }

  /** CTL-11: the customer goes through an IVR flow and comes back to the agent at its end. */
  selfService(p: Principal, sessionId: string, flowId: string): Promise<void> {
    return this.customerAway.selfService(p, sessionId, flowId);
  }

  // ───────────────────────────── call path hooks (call-flow.ts) ─────────────────────────────

  /** Whether a `collectDigits` step is one of call control's (not the call's IVR). */
  ownsStep(step: string): boolean {
    return this.customerAway.ownsStep(step);
  }

  /** Digits for a step of call control: a template's digits, a self-service IVR step, a survey key. */
  onDigits(ctx: LegContext, input: { step: string; digits: string; timedOut: boolean }): Promise<CallAction[]> {
    if (this.surveys.ownsStep(input.step)) return this.surveys.onDigits(ctx, input);
    return this.customerAway.onDigits(ctx, input);
  }

  /**
   * A redirected or newly answered leg: legs call control placed, and the customer while call
   * control has them out of the room. Undefined = not ours, the call path decides.
   */
  async onRedirect(ctx: LegContext, session: CallSessionRow): Promise<CallAction[] | undefined> {
    // The customer of a call the agent placed is a placed leg too: the survey comes first.
    const survey = await this.surveys.onRedirect(ctx, session);
    if (survey) return survey;
    if (ctx.legId) return this.placedLegs.answered(ctx, ctx.legId);
    return this.customerAway.onRedirect(ctx, session);
  }

  /**
   * The room ended under the serving agent: they wait for a customer who is away or on the way
   * back; otherwise their leg ends.
   */
  onRoomExit(ctx: LegContext): Promise<CallAction[]> {
    return this.customerAway.onRoomExit(ctx);
  }

  /** A status of a leg call control placed. */
  onLegStatus(
    ctx: LegContext,
    leg: { callSid: string; status: LegStatus; hungUpBy?: 'caller' | 'system'; sipStatus?: number },
  ): Promise<void> {
    return this.placedLegs.onLegStatus(ctx, leg);
  }

  /**
   * The session ended: every party call control placed and still there is hung up (or its ring
   * cancelled); a call an agent placed tells its dial pad.
   */
  sessionEnded(session: CallSessionRow): Promise<void> {
    return this.placedLegs.sessionEnded(session);
  }
}
