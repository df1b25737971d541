import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { CallAction, CallFlow, LegContext, LegStatus } from '../../telephony/types.js';
import { numbers } from '../numbers/schema.js';
import { blacklist, type CdrRow } from '../records/schema.js';
import { tenants } from '../tenants/schema.js';
import { acceptRingingOffer, customerContext, hookBase, isFinal, say } from './call-steps.js';
import { END_STATUS } from './end-status.js';
import { identifyCustomer } from './customer-alias.js';
import { continuesAfterAgent, publishedVersion, type TenantSettings } from './ivr-context.js';
import { queueName, type IvrRunner } from './ivr-runner.js';
import { callOffers, callSessions, type CallSessionRow, type SessionState } from './schema.js';
import type { EndCause, ForcedEnd, SessionEndDeps, SessionEndService } from './session-end.js';
import { findSession, findSessionByCallSid, lockSession, touchSession } from './session-rows.js';
import { tenantVoice, withVoice } from './voice.js';

// Moved out of this file; other modules import them from here.
export { queueName } from './ivr-runner.js';
export { cdrPayload, type EndCause, type ForcedEnd } from './session-end.js';

/**
 * The cradle services the flow reads: those the end of a session needs (the same set), plus the
 * two parts it hands work to.
 */
interface Deps extends SessionEndDeps {
  /** The call's IVR flow: steps applied to a session, effects off the webhook path, replays. */
  ivrRunner: IvrRunner;
  /** The end of a session: outcome, CDR, wrap-up, the reaper. */
  sessionEnd: SessionEndService;
}

/**
 * The inbound call logic (vendor-neutral): number → IVR → skill-group queue → agent offer →
 * room → hang-up → wrap-up → CDR. All state lives in `call_sessions`, every step is a
 * conditional update on the expected state, so duplicate or out-of-order webhooks are harmless
 * and any instance can take any webhook.
 *
 * This is the {@link CallFlow} the telephony adapter calls; it answers each webhook and hands
 * the IVR's part to {@link IvrRunner} and the end of the session to {@link SessionEndService}.
 */
export class CallFlowService implements CallFlow {
  private readonly d: Deps;

  constructor(deps: Deps) {
    // The cradle proxy, kept whole: `telephony` is registered after the adapter is installed.
    this.d = deps;
  }

  private get log(): Logger {
    return this.d.logger;
  }

  // ───────────────────────────── inbound call ─────────────────────────────

  async onInboundCall(call: { callSid: string; from: string; to: string; extras?: Record<string, unknown> }) {
    // A retried initial webhook is rare: it is found by the session insert's conflict on the call
    // sid below and answered from the stored state, so new calls skip a lookup.
    // The tenant's settings come along: the IVR's clock and the TTS voice need them, and the
    // first webhook of a call is the hot path (one round trip instead of three).
    const [found] = await this.d.db
      .select({ number: numbers, settings: tenants.settings, edition: tenants.edition })
      .from(numbers)
      .innerJoin(tenants, eq(tenants.id, numbers.tenantId))
      .where(eq(numbers.number, normalise(call.to)));
    const number = found?.number;
    if (!found || !number) {
      this.log.warn({ to: call.to, callSid: call.callSid }, 'call to an unknown number refused');
      return { actions: [{ type: 'reject', sipStatus: 404, reason: 'Number not in service' } as const] };
    }
    const tenantId = number.tenantId;
    const [blocked] = await this.d.db
      .select({ id: blacklist.id })
      .from(blacklist)
      .where(
        and(
          eq(blacklist.tenantId, tenantId),
          eq(blacklist.number, normalise(call.from)),
          // An entry with an expiry (set in the console) stops refusing once it has passed.
          or(isNull(blacklist.expiresAt), gt(blacklist.expiresAt, new Date())),
        ),
      );
    if (blocked) {
      // CTL-08: refused at the door, but still a session and a CDR (blackList).
      const session = await this.insertSession({
        tenantId,
        numberId: number.id,
        call,
        state: 'ivr',
        flowVersionId: null,
      });
      if (session) await this.endSession(session.id, { by: 'system' }, { code: END_STATUS.blackList, side: 'system' });
      return { actions: [{ type: 'reject', sipStatus: 603, reason: 'Declined' } as const] };
    }

    const version = number.ivrFlowId
      ? await publishedVersion(this.d.db, tenantId, number.ivrFlowId, number.ivrFlowVersion)
      : undefined;
    const session = await this.insertSession({
      tenantId,
      numberId: number.id,
      call,
      state: 'ivr',
      flowVersionId: version?.id ?? null,
    });
    if (!session) {
      const raced = await findSessionByCallSid(this.d.db, call.callSid);
      return {
        context: raced ? customerContext(raced) : undefined,
        actions: raced ? await this.replay(raced) : [{ type: 'hangup' } as const],
      };
    }
    const context = customerContext(session);

    // Plugins may enrich the call (customer id, CRM card) and name what agents see instead of
    // the number (RT-08), within the hooks' budgets; both before anyone is offered the call.
    const [{ annotations }, customerAlias] = await Promise.all([
      this.d.pluginHost.emit('call.incoming', { ...hookBase(session), idempotencyKey: `incoming:${session.id}` }),
      identifyCustomer(this.d.pluginHost, {
        tenantId,
        sessionId: session.id,
        direction: 'inbound',
        number: session.caller,
      }),
    ]);
    const enriched = {
      ...(annotations && Object.keys(annotations).length ? { annotations } : {}),
      ...(customerAlias !== null ? { customerAlias } : {}),
    };
    if (Object.keys(enriched).length) {
      // The host passes only plain JSON within 16 KB per plugin, so this write should not fail
      // because of a plugin; if it still does, the caller keeps the call without the annotations.
      try {
        await this.d.db.update(callSessions).set(enriched).where(eq(callSessions.id, session.id));
      } catch (err) {
        this.log.error({ err, sessionId: session.id, tenantId }, 'could not store plugin annotations; call goes on');
      }
    }

    // OUT-12/13: a customer an agent called lately goes to that agent, without the IVR.
    const remembered = await this.d.ivrRunner.routeByOutboundMemory(session, found.settings, found.edition);
    if (remembered) return { context, actions: await this.voiced(tenantId, remembered, found.settings) };

    if (!version) {
      this.log.warn({ numberId: number.id }, 'number has no published IVR flow');
      await this.d.db.update(callSessions).set({ ivrState: null }).where(eq(callSessions.id, session.id));
      return {
        context,
        actions: await this.voiced(
          tenantId,
          [say('This number is not configured yet. Goodbye.'), { type: 'hangup' } as const],
          found.settings,
        ),
      };
    }
    const actions = await this.d.ivrRunner.start(session, version.graph, found.settings);
    return { context, actions: await this.voiced(tenantId, actions, found.settings) };
  }

  async onDigits(ctx: LegContext, input: { step: string; digits: string; timedOut: boolean }): Promise<CallAction[]> {
    if (this.d.sessionControl.ownsStep(input.step)) return this.d.sessionControl.onDigits(ctx, input);
    const actions = await this.d.ivrRunner.digits(ctx.sessionId, input);
    return this.voiced(ctx.tenantId, actions);
  }

  // ───────────────────────────── queue ─────────────────────────────

  async onQueueWait(
    ctx: LegContext,
    wait: { position: number; size: number; waitedSeconds: number },
  ): Promise<CallAction[]> {
    const session = await this.sessionById(ctx.sessionId);
    // Over (or unknown): leave the queue, and the queue's action hook hangs the leg up.
    if (!session || session.state === 'ended') return [{ type: 'leaveQueue' }];
    // Moving on (e.g. into the room right now): nothing new to say; the adapter keeps the caller
    // waiting until the move lands.
    if (session.state !== 'queued' && session.state !== 'offering') return [];
    await touchSession(this.d.db, session.id);
    // The flow's own wait prompt and music (IVR-15), or its queue timeout (IVR-16).
    const fromFlow = await this.d.ivrRunner.queueWait(session, wait);
    if (fromFlow) return this.voiced(session.tenantId, fromFlow);
    const text = this.d.config.calls.queueAnnouncement.replaceAll('${WaitNo}', String(wait.position + 1));
    return this.voiced(session.tenantId, [say(text), { type: 'pause', seconds: 3 }]);
  }

  /** The caller left the queue to answer the queue-timeout prompt (IVR-16/17). */
  async onQueueLeft(ctx: LegContext): Promise<CallAction[]> {
    const actions = await this.d.ivrRunner.queueLeft(ctx);
    if (actions) return actions;
    // A leave we did not ask for (or a duplicate): carry on from the stored state.
    const session = await this.sessionById(ctx.sessionId);
    return session ? this.replay(session) : [{ type: 'hangup' }];
  }

  // ───────────────────────────── IVR results ─────────────────────────────

  /** The external transfer's dial ended (IVR-25). */
  async onDialResult(
    ctx: LegContext,
    result: { step: string; answered: boolean; status: string; callerGone?: boolean },
  ): Promise<CallAction[]> {
    return this.d.ivrRunner.dialResult(ctx, result);
  }

  /** The voicemail recording ended (IVR-31): hand the flow the message's id and length. */
  async onVoicemailDone(ctx: LegContext, input: { step: string }): Promise<CallAction[]> {
    return this.d.ivrRunner.voicemailDone(ctx, input);
  }

  // ───────────────────────────── agent leg ─────────────────────────────

  async onAgentAnswered(ctx: LegContext, leg: { callSid: string }): Promise<CallAction[]> {
    if (!ctx.offerId) return [{ type: 'hangup' }];
    // Agent → agent calls (AGT-04) have legs of their own logic.
    if (await this.d.internalCallService.handles(ctx.sessionId)) {
      return this.d.internalCallService.onAnswered(ctx, leg);
    }
    const offerId = ctx.offerId;
    const result = await this.d.db.transaction(async (tx) => {
      // Lock order everywhere: session, then offers, then agents (endSession does the same),
      // so an answer racing a hang-up on a real server waits instead of deadlocking.
      await lockSession(tx, ctx.sessionId);
      const offer = await acceptRingingOffer(tx, offerId, leg.callSid);
      if (!offer) return null;
      const [session] = await tx
        .update(callSessions)
        .set({
          state: 'bridged',
          agentId: offer.agentId,
          agentCallSid: leg.callSid,
          // A transferred call keeps the time it was first answered (talk time of the session).
          acceptedAt: sql`coalesce(${callSessions.acceptedAt}, now())`,
          lastEventAt: new Date(),
        })
        .where(and(eq(callSessions.id, offer.sessionId), eq(callSessions.state, 'offering')))
        .returning();
      if (!session) {
        await tx
          .update(callOffers)
          .set({ state: 'cancelled', endedAt: new Date(), endReason: 'caller gone' })
          .where(eq(callOffers.id, offer.id));
        const change = await this.d.agentService.transition(tx, offer.tenantId, offer.agentId, ['ringing'], 'idle');
        return { session: null, offer, change };
      }
      const change = await this.d.agentService.transition(tx, offer.tenantId, offer.agentId, ['ringing'], 'busy', {
        sessionId: session.id,
      });
      return { session, offer, change };
    });
    if (!result) {
      // A late or duplicate answer for an offer that is over: release the agent's phone.
      return [say('This call is no longer available.'), { type: 'hangup' }];
    }
    this.d.agentService.announce([result.change]);
    const { session, offer } = result;
    if (!session) {
      if (offer.skillGroupId)
        void this.d.acdService
          .dispatchForAgent(offer.tenantId, offer.agentId)
          .catch(
            this.d.background.failed('acd.dispatchForAgent', { tenantId: offer.tenantId, agentId: offer.agentId }),
          );
      return [say('The caller has hung up.'), { type: 'hangup' }];
    }
    this.d.sessionEvents.publishState({
      session,
      state: 'bridged',
      previous: 'offering',
      reason: 'answered',
      skillGroupId: offer.skillGroupId,
    });
    // Move the customer out of the queue into the room; not awaited on the webhook path.
    const where = { tenantId: session.tenantId, sessionId: session.id };
    this.d.telephony.moveToRoom(session.customerCallSid, customerContext(session)).catch(async (err) => {
      this.d.background.report('flow.moveToRoom', where, err);
      await this.endSession(session.id, { by: 'system' }).catch(
        this.d.background.failed('flow.endAfterFailedMove', where),
      );
    });
    void this.d.bus
      .publish({ tenantId: session.tenantId, kind: 'user', userId: offer.agentId }, 'call.accepted', {
        sessionId: session.id,
        offerId: offer.id,
      })
      .catch(this.d.background.failed('flow.publishAccepted', where));
    void this.d.pluginHost
      .emit('call.answered', {
        ...hookBase(session),
        agentId: offer.agentId,
        idempotencyKey: `answered:${session.id}:${offer.id}`,
      })
      .catch(this.d.background.failed('flow.hookAnswered', where));
    // With a survey after the agent (IVR-22) the room must outlive the agent, so the caller
    // stays until redirected to it. askOnExit: the agent stays on while live call control has
    // the customer out of the room.
    const afterAgent = await continuesAfterAgent(this.d.db, session);
    return [{ type: 'joinRoom', room: session.id, role: 'agent', endRoomOnExit: !afterAgent, askOnExit: true }];
  }

  async onCustomerJoinRoom(ctx: LegContext): Promise<CallAction[]> {
    const session = await this.sessionById(ctx.sessionId);
    if (!session || session.state !== 'bridged') return [{ type: 'hangup' }];
    await touchSession(this.d.db, session.id);
    // The flow's connect prompt to the caller (IVR-19).
    const { lead, afterAgent } = await this.d.ivrRunner.agentConnected(session);
    return [
      ...(await this.voiced(session.tenantId, lead)),
      {
        type: 'joinRoom',
        room: session.id,
        role: 'customer',
        // A survey after the agent (IVR-22): the caller must stay when the agent leaves.
        endRoomOnExit: !afterAgent,
        record: { sessionId: session.id, tenantId: session.tenantId },
      },
    ];
  }

  /** A leg core redirected: carry on from the session's stored state. */
  async onRedirect(ctx: LegContext): Promise<CallAction[]> {
    const session = await this.sessionById(ctx.sessionId);
    if (!session || session.tenantId !== ctx.tenantId) return [{ type: 'hangup' }];
    await touchSession(this.d.db, session.id);
    const controlled = await this.d.sessionControl.onRedirect(ctx, session);
    if (controlled) return controlled;
    if (ctx.role === 'customer') {
      // Our own pending IVR work first; otherwise replay from the state as it is *now* (a
      // concurrent redirect may just have moved the flow on).
      const resumed = await this.d.ivrRunner.resume(session.id);
      return resumed ?? this.replay((await this.sessionById(session.id)) ?? session);
    }
    if (session.state !== 'bridged') return [{ type: 'hangup' }];
    // An agent leaving ends the room, unless the flow continues with the caller (survey).
    const endRoomOnExit = ctx.role === 'agent' && !(await continuesAfterAgent(this.d.db, session));
    return [{ type: 'joinRoom', room: session.id, role: ctx.role, endRoomOnExit }];
  }

  /** The room ended under a leg that asked (see {@link CallFlow.onRoomExit}). */
  async onRoomExit(ctx: LegContext): Promise<CallAction[]> {
    return this.d.sessionControl.onRoomExit(ctx);
  }

  // ───────────────────────────── statuses ─────────────────────────────

  async onLegStatus(
    ctx: LegContext | undefined,
    leg: { callSid: string; status: LegStatus; hungUpBy?: 'caller' | 'system'; sipStatus?: number },
  ): Promise<void> {
    // Legs placed by live call control are its own business.
    if (ctx?.legId) return this.d.sessionControl.onLegStatus(ctx, leg);
    // Which leg is it? The tag says; without one (statuses before our first answer), look it up.
    let role = ctx?.role;
    let sessionId = ctx?.sessionId;
    let offerId = ctx?.offerId;
    if (!role) {
      const session = await findSessionByCallSid(this.d.db, leg.callSid);
      if (session) {
        role = 'customer';
        sessionId = session.id;
      } else {
        const [offer] = await this.d.db.select().from(callOffers).where(eq(callOffers.callSid, leg.callSid));
        if (!offer) return;
        role = 'agent';
        sessionId = offer.sessionId;
        offerId = offer.id;
      }
    }
    if (!sessionId) return;
    if (await this.d.internalCallService.handles(sessionId)) {
      await this.d.internalCallService.onLegStatus(ctx, sessionId, leg);
      return;
    }
    if (role === 'external') {
      await this.d.ivrRunner.externalLegStatus(sessionId, leg.status);
      return;
    }
    if (!isFinal(leg.status)) {
      await touchSession(this.d.db, sessionId);
      return;
    }
    if (role === 'customer') {
      await this.endSession(sessionId, { by: 'customer', ...(leg.hungUpBy ? { hungUpBy: leg.hungUpBy } : {}) });
      return;
    }
    // Agent leg ended.
    if (!offerId) return;
    const [offer] = await this.d.db.select().from(callOffers).where(eq(callOffers.id, offerId));
    if (!offer) return;
    if (offer.state === 'ringing') {
      await this.d.acdService.offerEnded(
        offer.id,
        'missed',
        leg.status === 'completed' ? 'hung up while ringing' : leg.status,
      );
    } else if (offer.state === 'accepted') {
      if (await this.d.sessionEnd.agentLeftBeforeCaller(offer.sessionId, offer.id)) return;
      await this.endSession(offer.sessionId, { by: 'agent', ...(leg.hungUpBy ? { hungUpBy: leg.hungUpBy } : {}) });
    }
  }

  // ───────────────────────────── end of a session ─────────────────────────────

  /**
   * Ends a session exactly once, with its CDR (see {@link SessionEndService.end}); also what
   * live call control calls. Null: it had ended already.
   */
  async endSession(sessionId: string, cause: EndCause, forced?: ForcedEnd): Promise<CdrRow | null> {
    return this.d.sessionEnd.end(sessionId, cause, forced);
  }

  /** Ends the sessions whose calls the provider forgot (the sweeper calls this). */
  async reapQuietSessions(): Promise<number> {
    return this.d.sessionEnd.reapQuietSessions();
  }

  // ───────────────────────────── helpers ─────────────────────────────

  /** The answer to a webhook for a leg that already has a session: from its stored state. */
  private async replay(session: CallSessionRow): Promise<CallAction[]> {
    if (session.state === 'ended') return [{ type: 'hangup' }];
    const fromFlow = await this.d.ivrRunner.replay(session);
    if (fromFlow) return this.voiced(session.tenantId, fromFlow);
    if (session.state === 'queued' || session.state === 'offering') {
      return [{ type: 'enqueue', queue: queueName(session.queuedSkillGroupId!) }];
    }
    if (session.state === 'bridged') return this.onCustomerJoinRoom(customerContext(session));
    return [{ type: 'hangup' }];
  }

  /** The tenant's TTS voice on every spoken prompt (IVR-02). */
  private async voiced(tenantId: string, actions: CallAction[], settings?: TenantSettings): Promise<CallAction[]> {
    if (!actions.some((a) => a.type === 'prompt' || a.type === 'collectDigits')) return actions;
    if (settings === undefined) {
      const [tenant] = await this.d.db
        .select({ settings: tenants.settings })
        .from(tenants)
        .where(eq(tenants.id, tenantId));
      settings = tenant?.settings;
    }
    return withVoice(actions, tenantVoice(settings));
  }

  private async insertSession(input: {
    tenantId: string;
    numberId: string;
    call: { callSid: string; from: string; to: string };
    state: SessionState;
    flowVersionId: string | null;
  }): Promise<CallSessionRow | undefined> {
    const [row] = await this.d.db
      .insert(callSessions)
      .values({
        tenantId: input.tenantId,
        direction: 'inbound',
        caller: normalise(input.call.from),
        callee: normalise(input.call.to),
        numberId: input.numberId,
        customerCallSid: input.call.callSid,
        state: input.state,
        flowVersionId: input.flowVersionId,
      })
      .onConflictDoNothing({ target: callSessions.customerCallSid })
      .returning();
    if (row) this.d.sessionEvents.publishState({ session: row, state: row.state, previous: null, reason: 'incoming' });
    return row;
  }

  /** The session by id (live call control and the app read it through the flow). */
  async sessionById(id: string): Promise<CallSessionRow | undefined> {
    return findSession(this.d.db, id);
  }
}

/** Numbers as stored: digits only, without a leading + (carriers differ in sending it). */
export function normalise(n: string): string {
  return n.replace(/[^0-9*#]/g, '');
}
