import { and, eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { BackgroundSteps } from '../../background.js';
import type { ResolvedConfig } from '../../config/config.js';
import type { Db, DbTx } from '../../db/database.js';
import type { PluginHost } from '../../plugins/host.js';
import type { EventBus } from '../../realtime/bus.js';
import type { Audience } from '../../realtime/events.js';
import type { TelephonyPort } from '../../telephony/types.js';
import type { PushService } from '../push/service.js';
import type { AgentService, StateChange } from '../agents/service.js';
import { writeCdr } from '../records/cdr-service.js';
import type { CdrRow } from '../records/schema.js';
import type { AcdService } from '../routing/acd.js';
import type { SessionControlService } from '../sessions/control-service.js';
import { closeOpenOffers, customerContext, hookBase } from './call-steps.js';
import { END_STATUS, endStatusString } from './end-status.js';
import type { InternalCallService } from './internal-calls.js';
import { continuesAfterAgent } from './ivr-context.js';
import { callOffers, callSessions, type CallSessionRow, type SessionState } from './schema.js';
import type { SessionEventService } from './session-events.js';
import { findSession, lockSession, touchSession } from './session-rows.js';

/**
 * End reason of the serving offer when the agent hung up and the flow went on with the caller
 * (survey, IVR-22): that agent has been sent `call.ended` already.
 */
const AGENT_LEFT_BEFORE_CALLER = 'agent hung up';

/** How a session ended, as far as the caller of {@link SessionEndService.end} knows. */
export interface EndCause {
  /** Which leg ended it. */
  by: 'customer' | 'agent' | 'system';
  /** The provider's view of who hung up that leg. */
  hungUpBy?: 'caller' | 'system';
  /**
   * A call an agent places (OUT-01, CTL-07): the end status if the customer had not answered
   * yet when the session ends (busy, no answer, cancelled…). Decided under the session's lock,
   * so a customer answering at the same moment still makes the call `ok`.
   */
  ifUnconnected?: ForcedEnd;
}

/** An end status forced by the caller (e.g. a refused blacklisted number), not derived. */
export interface ForcedEnd {
  code: number;
  side: 'user' | 'seat' | 'system';
}

/** What ending a session needs from the cradle (kept whole: `telephony` is registered late). */
export interface SessionEndDeps {
  db: Db;
  logger: Logger;
  background: BackgroundSteps;
  config: ResolvedConfig;
  pluginHost: PluginHost;
  bus: EventBus;
  agentService: AgentService;
  acdService: AcdService;
  telephony: TelephonyPort;
  internalCallService: InternalCallService;
  /** Live call control: parties it added leave with the session. */
  sessionControl: SessionControlService;
  /** `session.state` events (issue 5 item 7). */
  sessionEvents: SessionEventService;
  /** Push subscriptions: a call record goes to them (REC-03). */
  pushService: PushService;
}

/**
 * The end of a customer's call: the session ends exactly once with its outcome and CDR, the
 * agents go to wrap-up, the remaining legs are hung up and everyone concerned is told. Also the
 * agent who leaves before a survey (IVR-22, the call goes on without them) and the reaper of
 * sessions the provider forgot to end.
 */
export class SessionEndService {
  private readonly d: SessionEndDeps;

  constructor(deps: SessionEndDeps) {
    // The cradle proxy, kept whole: `telephony` is registered after the adapter is installed,
    // and `sessionControl` depends on the call flow in turn.
    this.d = deps;
  }

  private get log(): Logger {
    return this.d.logger;
  }

  /**
   * Ends a session exactly once: the conditional update on `state <> 'ended'` lets only one
   * caller through, and the CDR is written in the same transaction. Then the other legs are hung
   * up, the agent enters wrap-up, and `call.ended` fires with the CDR. Null: already ended.
   */
  async end(sessionId: string, cause: EndCause, forced?: ForcedEnd): Promise<CdrRow | null> {
    const wrapUpSeconds = this.d.agentService.wrapUpSeconds;
    const result = await this.d.db.transaction(async (tx) => {
      const session = await lockSession(tx, sessionId);
      if (!session || session.state === 'ended') return null;
      const { code, side } = forced ?? outcome(session, cause);
      const [ended] = await tx
        .update(callSessions)
        .set({ state: 'ended', endedAt: new Date(), endStatus: code, hungUpSide: side, lastEventAt: new Date() })
        .where(eq(callSessions.id, sessionId))
        .returning();
      const changes: StateChange[] = [];
      const hangups: string[] = [];
      // Offers: ringing ones are withdrawn (their phones stop ringing), the served one closes.
      const offers = await closeOpenOffers(tx, sessionId);
      for (const o of offers) {
        if (o.state === 'cancelled') {
          const c = await this.d.agentService.transition(tx, o.tenantId, o.agentId, ['ringing'], 'idle');
          if (c) changes.push(c);
          if (o.callSid) hangups.push(o.callSid);
        } else {
          const c = await this.leaveCall(tx, o.tenantId, o.agentId, sessionId, wrapUpSeconds);
          if (c) changes.push(c);
          if (cause.by !== 'agent' && o.callSid) hangups.push(o.callSid);
        }
      }
      if (cause.by !== 'customer') hangups.push(session.customerCallSid);
      const cdr = await writeCdr(tx, ended!);
      // REC-03: the record's push deliveries commit with it (the outbox); sent after the commit.
      const pushed = cdr ? await this.d.pushService.recordCdr(tx, cdr) : [];
      // IVR-22: an agent who left before a survey was told `call.ended` then (their call was
      // over, with this same outcome); the CDR does not tell them a second time.
      let agentTold = false;
      if (cdr?.agentId && !offers.some((o) => o.agentId === cdr.agentId)) {
        const [left] = await tx
          .select({ id: callOffers.id })
          .from(callOffers)
          .where(
            and(
              eq(callOffers.sessionId, sessionId),
              eq(callOffers.agentId, cdr.agentId),
              eq(callOffers.endReason, AGENT_LEFT_BEFORE_CALLER),
            ),
          )
          .limit(1);
        agentTold = !!left;
      }
      return {
        session: ended!,
        cdr,
        changes,
        hangups,
        previous: session.state,
        offered: offers.map((o) => o.agentId),
        // Who was talking to the customer at the end: after a transfer (CTL-03/04) not the
        // CDR's first agent, and they need `call.ended` as much (who hung up, for wrap-up).
        serving: offers.filter((o) => o.state !== 'cancelled').map((o) => o.agentId),
        agentTold,
        pushed,
      };
    });
    if (!result) return null;
    const { session, cdr, changes, hangups, agentTold, serving } = result;
    void this.d.pushService.dispatch(result.pushed);
    this.d.agentService.announce(changes);
    // The agent serving it, and any still being rung, see the session end too.
    this.d.sessionEvents.publishState({
      session,
      state: 'ended',
      previous: result.previous,
      reason: 'ended',
      notify: result.offered,
    });
    const ctx = { tenantId: session.tenantId, sessionId: session.id };
    for (const sid of hangups) {
      this.d.telephony.hangup(sid).catch(this.d.background.failed('end.hangupLeg', { ...ctx, callSid: sid }));
    }
    // Parties call control added (three-way, listen-in) go too, ringing ones included.
    void this.d.sessionControl.sessionEnded(session).catch(this.d.background.failed('end.hangupParties', ctx));
    for (const c of changes) {
      if (c.to === 'idle')
        void this.d.acdService
          .dispatchForAgent(c.tenantId, c.userId)
          .catch(this.d.background.failed('acd.dispatchForAgent', { ...ctx, agentId: c.userId }));
    }
    if (cdr) {
      const data = {
        sessionId: session.id,
        endStatus: cdr.endStatus,
        endStatusString: cdr.endStatusString,
        hungUpSide: cdr.hungUpSide,
      };
      const audiences: Audience[] = [{ tenantId: session.tenantId, kind: 'role', role: 'supervisor' }];
      const told = new Set<string>();
      if (cdr.agentId && !agentTold) told.add(cdr.agentId);
      for (const agentId of serving) told.add(agentId);
      for (const userId of told) audiences.push({ tenantId: session.tenantId, kind: 'user', userId });
      void this.d.bus.publish(audiences, 'call.ended', data).catch(this.d.background.failed('end.publishEnded', ctx));
      void this.d.pluginHost
        .emit('call.ended', { ...hookBase(session), cdr: cdrPayload(cdr), idempotencyKey: `ended:${session.id}` })
        .catch(this.d.background.failed('end.hookEnded', ctx));
    }
    return cdr;
  }

  /**
   * The agent hung up first and the flow has more for the caller (IVR-22): the agent goes to
   * wrap-up now, the session goes back to the IVR (already counted `ok`, ended by the seat),
   * and the customer leg is redirected to the survey. False when this does not apply (the
   * agent's hang-up ends the session as usual).
   */
  async agentLeftBeforeCaller(sessionId: string, offerId: string): Promise<boolean> {
    const current = await findSession(this.d.db, sessionId);
    if (!current || current.state !== 'bridged' || current.ivrState?.wait !== 'agent') return false;
    if (!(await continuesAfterAgent(this.d.db, current))) return false;
    return this.handOverToSurvey(current, offerId);
  }

  /**
   * The agent's part of a call is over but the customer's is not (a survey after the agent:
   * IVR-22, OUT-11): the agent goes to wrap-up and is told the call ended, the session goes to
   * `ivr` (counted `ok`, ended by the seat) and the customer's leg is redirected, so the call
   * path (the flow's survey, or the tenant's outbound survey) carries on with them. The CDR is
   * written when the customer's leg ends. Always true: nothing is left for the caller to end.
   */
  async handOverToSurvey(current: CallSessionRow, offerId: string): Promise<boolean> {
    const sessionId = current.id;
    const wrapUpSeconds = this.d.agentService.wrapUpSeconds;
    const result = await this.d.db.transaction(async (tx) => {
      const session = await lockSession(tx, sessionId);
      if (!session || session.state !== 'bridged') return null;
      await tx
        .update(callSessions)
        .set({ state: 'ivr', endStatus: END_STATUS.ok, hungUpSide: 'seat', lastEventAt: new Date() })
        .where(eq(callSessions.id, sessionId));
      const [offer] = await tx
        .update(callOffers)
        .set({ state: 'ended', endedAt: new Date(), endReason: AGENT_LEFT_BEFORE_CALLER })
        .where(and(eq(callOffers.id, offerId), eq(callOffers.state, 'accepted')))
        .returning();
      const changes: StateChange[] = [];
      if (offer) {
        const c = await this.leaveCall(tx, offer.tenantId, offer.agentId, sessionId, wrapUpSeconds);
        if (c) changes.push(c);
      }
      return { session, changes, agentId: offer?.agentId };
    });
    // Not bridged any more: ended meanwhile, or handed over by a duplicate status — done either way.
    if (!result) return true;
    this.d.agentService.announce(result.changes);
    this.d.sessionEvents.publishState({
      session: result.session,
      state: 'ivr',
      previous: 'bridged',
      reason: 'survey',
      agentId: null,
      notify: [result.agentId],
    });
    // The call is over for the agent (their workbench closes it); the CDR follows when the
    // caller's leg ends, with the same outcome.
    if (result.agentId)
      void this.d.bus
        .publish({ tenantId: current.tenantId, kind: 'user', userId: result.agentId }, 'call.ended', {
          sessionId,
          endStatus: END_STATUS.ok,
          endStatusString: endStatusString(END_STATUS.ok),
          hungUpSide: 'seat',
        })
        .catch(this.d.background.failed('end.publishEnded', { tenantId: current.tenantId, sessionId }));
    for (const c of result.changes) {
      if (c.to === 'idle')
        void this.d.acdService
          .dispatchForAgent(c.tenantId, c.userId)
          .catch(this.d.background.failed('acd.dispatchForAgent', { tenantId: c.tenantId, agentId: c.userId }));
    }
    this.d.telephony.redirect(current.customerCallSid, customerContext(current)).catch(async (err) => {
      const ctx = { tenantId: current.tenantId, sessionId };
      this.d.background.report('end.redirectToSurvey', ctx, err);
      await this.end(sessionId, { by: 'system' }).catch(this.d.background.failed('end.afterFailedRedirect', ctx));
    });
    return true;
  }

  /**
   * The serving agent's call is over: wrap-up for the tenant's wrap-up time, else straight back
   * to idle. `wrapUpSeconds` is read once, before the transaction, by the caller.
   */
  private leaveCall(
    tx: DbTx,
    tenantId: string,
    agentId: string,
    sessionId: string,
    wrapUpSeconds: number,
  ): Promise<StateChange | null> {
    return wrapUpSeconds > 0
      ? this.d.agentService.transition(tx, tenantId, agentId, ['busy'], 'afterCallWork', {
          sessionId,
          wrapUpUntil: new Date(Date.now() + wrapUpSeconds * 1000),
        })
      : this.d.agentService.transition(tx, tenantId, agentId, ['busy'], 'idle', { sessionId });
  }

  /**
   * Sessions that went quiet: the provider may never send `completed` on some paths. Ask it
   * whether the customer leg still exists; if not, end the session as the system.
   */
  async reapQuietSessions(): Promise<number> {
    const quiet = await this.d.db.execute<{ id: string; customer_call_sid: string; started_at: string | Date }>(sql`
      select id, customer_call_sid, started_at from call_sessions
      where state <> 'ended' and last_event_at < now() - make_interval(secs => ${this.d.config.calls.quietSeconds})
      limit 100`);
    let reaped = 0;
    for (const s of quiet.rows) {
      // The room and start time let the provider tell an expired call record (jambonz forgets a
      // live leg an hour after its last status change) from a call that really ended.
      const alive = await this.d.telephony
        .isAlive(s.customer_call_sid, { room: s.id, startedAt: new Date(s.started_at) })
        .catch((err: unknown) => {
          // Unknown is alive: reaping a live call frees its agent mid-conversation; the next
          // round asks again.
          this.d.background.report('sweeper.isAlive', { sessionId: s.id }, err);
          return true;
        });
      if (alive) {
        await touchSession(this.d.db, s.id);
        continue;
      }
      if (await this.d.internalCallService.handles(s.id)) {
        // An internal call (AGT-04) gives its agents back their own states.
        await this.d.internalCallService.end(s.id, END_STATUS.ok);
        reaped++;
        continue;
      }
      if (await this.end(s.id, { by: 'system' })) reaped++;
    }
    return reaped;
  }
}

/** End status and hang-up side from where the session was when it ended (research A7). */
function outcome(session: CallSessionRow, cause: EndCause): ForcedEnd {
  const byCaller = cause.by === 'customer' && cause.hungUpBy !== 'system';
  let side: 'user' | 'seat' | 'system' = cause.by === 'agent' ? 'seat' : byCaller ? 'user' : 'system';
  // In a room, a leg ended by the provider (not by its own party) means the room ended because
  // the *other* side left — and the two legs' statuses arrive in either order.
  if (session.state === 'bridged' && cause.hungUpBy === 'system') {
    if (cause.by === 'customer') side = 'seat';
    if (cause.by === 'agent') side = 'user';
  }
  const state: SessionState = session.state;
  switch (state) {
    case 'ivr':
      // Set on the way: no agent online, queue give-up (`#`), served then survey or external.
      if (session.endStatus) return { code: session.endStatus, side: session.hungUpSide ?? side };
      // The flow itself ended the call (a hang-up node) vs the caller leaving mid-menu.
      return { code: byCaller && session.ivrState ? END_STATUS.ivrGiveUp : END_STATUS.ivrEnd, side };
    case 'queued':
      return { code: END_STATUS.waitingGiveUp, side };
    case 'offering':
      if (session.direction !== 'outbound') return { code: END_STATUS.ringingGiveUp, side };
      // An outbound call that never connected (research A7): why, if the caller knows.
      if (cause.ifUnconnected) return cause.ifUnconnected;
      if (cause.by === 'agent') return { code: END_STATUS.callerCancel, side: 'seat' };
      if (cause.by === 'customer') return { code: END_STATUS.notAnswer, side };
      return { code: END_STATUS.operatorError, side: 'system' };
    case 'bridged':
    case 'ended':
      return { code: END_STATUS.ok, side };
  }
}

/** The CDR as plugins and pushes see it: camelCase, ISO times, end status string. */
export function cdrPayload(c: CdrRow): Record<string, unknown> {
  return {
    ...c,
    startedAt: c.startedAt.toISOString(),
    queuedAt: c.queuedAt?.toISOString() ?? null,
    ringAt: c.ringAt?.toISOString() ?? null,
    acceptedAt: c.acceptedAt?.toISOString() ?? null,
    endedAt: c.endedAt.toISOString(),
    createdAt: c.createdAt.toISOString(),
    endStatusString: endStatusString(c.endStatus),
  };
}
