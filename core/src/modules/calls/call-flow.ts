import { and, eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { ResolvedConfig } from '../../config/config.js';
import type { Db, DbTx } from '../../db/database.js';
import type { PluginHost } from '../../plugins/host.js';
import type { EventBus } from '../../realtime/bus.js';
import type { CallAction, CallFlow, LegContext, LegStatus, Prompt, TelephonyPort } from '../../telephony/types.js';
import type { AgentService, StateChange } from '../agents/service.js';
import { resumeAt, startIvr, stepIvr, type IvrEffect, type IvrStep } from '../ivr/interpreter.js';
import type { IvrGraph, Prompt as IvrPrompt } from '../ivr/flow-model.js';
import { ivrFlowVersions, ivrFlows } from '../ivr/schema.js';
import { numbers } from '../numbers/schema.js';
import { writeCdr } from '../records/cdr-service.js';
import { blacklist, type CdrRow } from '../records/schema.js';
import type { AcdService } from '../routing/acd.js';
import { skillGroupMembers } from '../skill-groups/schema.js';
import { users } from '../users/schema.js';
import { END_STATUS, endStatusString } from './end-status.js';
import { callOffers, callSessions, type CallSessionRow, type SessionState } from './schema.js';

/** Queue name at the provider for a skill group. */
export const queueName = (skillGroupId: string) => `sg-${skillGroupId}`;

/** How a session ended, as far as the caller of {@link CallFlowService.endSession} knows. */
interface EndCause {
  /** Which leg ended it. */
  by: 'customer' | 'agent' | 'system';
  /** The provider's view of who hung up that leg. */
  hungUpBy?: 'caller' | 'system';
}

interface Deps {
  db: Db;
  logger: Logger;
  config: ResolvedConfig;
  pluginHost: PluginHost;
  bus: EventBus;
  agentService: AgentService;
  acdService: AcdService;
  telephony: TelephonyPort;
}

/**
 * The inbound call logic (vendor-neutral): number → IVR → skill-group queue → agent offer →
 * room → hang-up → wrap-up → CDR. All state lives in `call_sessions`, every step is a
 * conditional update on the expected state, so duplicate or out-of-order webhooks are harmless
 * and any instance can take any webhook.
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

  /** IVR prompt → telephony prompt. Audio-library prompts need the library (issue 4); until
   * then they are skipped with a warning rather than failing the call. */
  private prompt(p: IvrPrompt): Prompt | undefined {
    if (p.kind === 'say' || p.kind === 'play') return p;
    this.log.warn({ prompt: p }, 'audio-library prompts are not playable yet');
    return undefined;
  }

  // ───────────────────────────── inbound call ─────────────────────────────

  async onInboundCall(call: { callSid: string; from: string; to: string; extras?: Record<string, unknown> }) {
    const existing = await this.sessionByCallSid(call.callSid);
    if (existing) {
      // A retried initial webhook: answer from the stored state instead of starting over.
      return { context: this.customerContext(existing), actions: await this.replay(existing) };
    }
    const [number] = await this.d.db
      .select()
      .from(numbers)
      .where(eq(numbers.number, normalise(call.to)));
    if (!number) {
      this.log.warn({ to: call.to, callSid: call.callSid }, 'call to an unknown number refused');
      return { actions: [{ type: 'reject', sipStatus: 404, reason: 'Number not in service' } as const] };
    }
    const tenantId = number.tenantId;
    const [blocked] = await this.d.db
      .select({ id: blacklist.id })
      .from(blacklist)
      .where(and(eq(blacklist.tenantId, tenantId), eq(blacklist.number, normalise(call.from))));
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

    const version = number.ivrFlowId ? await this.publishedVersion(tenantId, number.ivrFlowId) : undefined;
    const session = await this.insertSession({
      tenantId,
      numberId: number.id,
      call,
      state: 'ivr',
      flowVersionId: version?.id ?? null,
    });
    if (!session) {
      const raced = await this.sessionByCallSid(call.callSid);
      return {
        context: raced ? this.customerContext(raced) : undefined,
        actions: raced ? await this.replay(raced) : [{ type: 'hangup' } as const],
      };
    }
    const context = this.customerContext(session);

    // Plugins may enrich the call (customer id, CRM card) within the host's budget.
    const { annotations } = await this.d.pluginHost.emit('call.incoming', {
      ...this.hookBase(session),
      idempotencyKey: `incoming:${session.id}`,
    });
    if (annotations && Object.keys(annotations).length) {
      await this.d.db.update(callSessions).set({ annotations }).where(eq(callSessions.id, session.id));
    }

    if (!version) {
      this.log.warn({ numberId: number.id }, 'number has no published IVR flow');
      await this.d.db.update(callSessions).set({ ivrState: null }).where(eq(callSessions.id, session.id));
      return { context, actions: [say('This number is not configured yet. Goodbye.'), { type: 'hangup' } as const] };
    }
    const step = startIvr(version.graph);
    const actions = await this.d.db.transaction((tx) => this.applyIvr(tx, session, version.graph, step));
    return { context, actions };
  }

  async onDigits(ctx: LegContext, input: { step: string; digits: string; timedOut: boolean }): Promise<CallAction[]> {
    return this.d.db.transaction(async (tx) => {
      const session = await this.lockSession(tx, ctx.sessionId);
      if (!session || session.state !== 'ivr' || !session.ivrState)
        return session?.state === 'ended' ? [{ type: 'hangup' }] : [];
      const graph = await this.graphOf(tx, session);
      if (!graph) return [{ type: 'hangup' }];
      const step = stepIvr(graph, session.ivrState, { type: 'digits', ...input });
      return this.applyIvr(tx, session, graph, step);
    });
  }

  /** Turns interpreter effects into actions and stores the new IVR state (inside `tx`). */
  private async applyIvr(tx: DbTx, session: CallSessionRow, graph: IvrGraph, step: IvrStep): Promise<CallAction[]> {
    const actions: CallAction[] = [];
    const keys = [...session.ivrKeys];
    let transfer: Extract<IvrEffect, { type: 'transfer' }> | undefined;
    for (const e of step.effects) {
      switch (e.type) {
        case 'prompt': {
          const p = this.prompt(e.prompt);
          if (p) actions.push({ type: 'prompt', prompt: p });
          break;
        }
        case 'collect':
          actions.push({
            type: 'collectDigits',
            prompts: e.prompts.flatMap((x) => this.prompt(x) ?? []),
            ...(e.numDigits ? { numDigits: e.numDigits } : {}),
            ...(e.maxDigits ? { maxDigits: e.maxDigits } : {}),
            ...(e.finishOnKey ? { finishOnKey: e.finishOnKey } : {}),
            timeoutSeconds: e.timeoutSeconds,
            step: e.step,
          });
          break;
        case 'keyPressed':
          keys.push({ key: e.key, label: e.label, nodeLabel: e.nodeLabel, timestamp: Date.now() });
          break;
        case 'hangup':
          actions.push({ type: 'hangup' });
          break;
        case 'transfer':
          transfer = e;
          break;
        case 'setVariable':
          // Variables live in the IVR state; nothing else to do yet.
          break;
        default:
          // TODO(#4): wire HTTP, external transfer, voicemail and survey effects into the call path.
          this.log.warn(
            { sessionId: session.id, effect: e.type },
            'IVR effect not supported by the call path yet; ending the call',
          );
          actions.push(say('Sorry, this service is not available at the moment. Goodbye.'), { type: 'hangup' });
      }
    }
    await tx
      .update(callSessions)
      .set({ ivrState: step.state, ivrKeys: keys, lastEventAt: new Date() })
      .where(eq(callSessions.id, session.id));
    if (!transfer) return actions;

    // Transfer to a skill group: queue the caller, unless nobody in the group is online.
    const members = await tx
      .select({ userId: skillGroupMembers.userId })
      .from(skillGroupMembers)
      .where(
        and(
          eq(skillGroupMembers.tenantId, session.tenantId),
          eq(skillGroupMembers.skillGroupId, transfer.skillGroupId),
        ),
      );
    const online = await this.d.agentService.countOnline(
      tx,
      session.tenantId,
      members.map((m) => m.userId),
    );
    if (online === 0) {
      await tx
        .update(callSessions)
        .set({ endStatus: END_STATUS.noSeatOnline, queuedSkillGroupId: transfer.skillGroupId })
        .where(eq(callSessions.id, session.id));
      // The flow says what happens (its no-agent prompt, then its branch or hang-up, IVR-18);
      // the built-in sentence is only for a transfer node without a prompt of its own.
      const atTransfer = step.state ?? { node: transfer.nodeId, retries: 0 };
      const next = stepIvr(graph, atTransfer, { type: 'noAgent', nodeId: transfer.nodeId });
      const flowActions = await this.applyIvr(tx, { ...session, ivrKeys: keys }, graph, next);
      const hasPrompt = next.effects.some((e) => e.type === 'prompt' || e.type === 'collect');
      if (!hasPrompt && !transfer.noAgentNext) {
        return [
          ...actions,
          say('All our agents are offline at the moment. Please call again later.'),
          { type: 'hangup' },
        ];
      }
      return [...actions, ...flowActions];
    }
    await tx
      .update(callSessions)
      .set({
        state: 'queued',
        queuedSkillGroupId: transfer.skillGroupId,
        queuePriority: transfer.priority,
        queuedAt: new Date(),
        endStatus: null,
      })
      .where(and(eq(callSessions.id, session.id), eq(callSessions.state, 'ivr')));
    // Dispatch once this transaction has committed (the queued row must be visible).
    const { tenantId, id } = session;
    setImmediate(() => {
      this.d.acdService
        .dispatch(tenantId, transfer.skillGroupId)
        .catch((err) => this.log.error({ err, sessionId: id }, 'dispatch after enqueue failed'));
      void this.d.pluginHost
        .emit('call.queued', {
          ...this.hookBase(session),
          skillGroupId: transfer.skillGroupId,
          idempotencyKey: `queued:${id}:${transfer.skillGroupId}`,
        })
        .catch(() => undefined);
    });
    return [...actions, { type: 'enqueue', queue: queueName(transfer.skillGroupId) }];
  }

  // ───────────────────────────── queue ─────────────────────────────

  async onQueueWait(
    ctx: LegContext,
    wait: { position: number; size: number; waitedSeconds: number },
  ): Promise<CallAction[]> {
    const session = await this.sessionById(ctx.sessionId);
    if (!session || (session.state !== 'queued' && session.state !== 'offering')) return [];
    await this.touch(session.id);
    // The flow's own wait prompt and music (IVR-15), `${WaitNo}` = callers ahead.
    const graph = session.ivrState ? await this.graphOf(this.d.db, session) : undefined;
    if (graph && session.ivrState) {
      const round = stepIvr(graph, session.ivrState, {
        type: 'queueWait',
        nodeId: session.ivrState.node,
        waitNo: wait.position,
      });
      const actions = round.effects.flatMap((e): CallAction[] => {
        if (e.type !== 'prompt') return [];
        const p = this.prompt(e.prompt);
        return p ? [{ type: 'prompt', prompt: p }] : [];
      });
      if (actions.length) return actions;
    }
    const text = this.d.config.calls.queueAnnouncement.replaceAll('${WaitNo}', String(wait.position + 1));
    return [say(text), { type: 'pause', seconds: 3 }];
  }

  // ───────────────────────────── agent leg ─────────────────────────────

  async onAgentAnswered(ctx: LegContext, leg: { callSid: string }): Promise<CallAction[]> {
    if (!ctx.offerId) return [{ type: 'hangup' }];
    const offerId = ctx.offerId;
    const result = await this.d.db.transaction(async (tx) => {
      // Lock order everywhere: session, then offers, then agents (endSession does the same),
      // so an answer racing a hang-up on a real server waits instead of deadlocking.
      await this.lockSession(tx, ctx.sessionId);
      const [offer] = await tx
        .update(callOffers)
        .set({
          state: 'accepted',
          answeredAt: new Date(),
          callSid: sql`coalesce(${callOffers.callSid}, ${leg.callSid})`,
        })
        .where(and(eq(callOffers.id, offerId), eq(callOffers.state, 'ringing')))
        .returning();
      if (!offer) return null;
      const [session] = await tx
        .update(callSessions)
        .set({
          state: 'bridged',
          agentId: offer.agentId,
          agentCallSid: leg.callSid,
          acceptedAt: new Date(),
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
        void this.d.acdService.dispatchForAgent(offer.tenantId, offer.agentId).catch(() => undefined);
      return [say('The caller has hung up.'), { type: 'hangup' }];
    }
    // Move the customer out of the queue into the room; not awaited on the webhook path.
    this.d.telephony.moveToRoom(session.customerCallSid, this.customerContext(session)).catch(async (err) => {
      this.log.error({ err, sessionId: session.id }, 'could not move the customer into the room');
      await this.endSession(session.id, { by: 'system' });
    });
    void this.d.bus
      .publish({ tenantId: session.tenantId, kind: 'user', userId: offer.agentId }, 'call.accepted', {
        sessionId: session.id,
        offerId: offer.id,
      })
      .catch(() => undefined);
    void this.d.pluginHost
      .emit('call.answered', {
        ...this.hookBase(session),
        agentId: offer.agentId,
        idempotencyKey: `answered:${session.id}:${offer.id}`,
      })
      .catch(() => undefined);
    return [{ type: 'joinRoom', room: session.id, role: 'agent', endRoomOnExit: true }];
  }

  async onCustomerJoinRoom(ctx: LegContext): Promise<CallAction[]> {
    const session = await this.sessionById(ctx.sessionId);
    if (!session || session.state !== 'bridged') return [{ type: 'hangup' }];
    await this.touch(session.id);
    // The flow's connect prompt to the caller, `${StaffNo}` = the agent's staff number (IVR-19).
    const lead: CallAction[] = [];
    const graph = session.ivrState ? await this.graphOf(this.d.db, session) : undefined;
    if (graph && session.ivrState && session.agentId) {
      const [agent] = await this.d.db
        .select({ staffNo: users.staffNo })
        .from(users)
        .where(eq(users.id, session.agentId));
      const connected = stepIvr(graph, session.ivrState, {
        type: 'agentConnected',
        nodeId: session.ivrState.node,
        staffNo: agent?.staffNo ?? '',
      });
      for (const e of connected.effects) {
        const p = e.type === 'prompt' ? this.prompt(e.prompt) : undefined;
        if (p) lead.push({ type: 'prompt', prompt: p });
      }
    }
    return [
      ...lead,
      {
        type: 'joinRoom',
        room: session.id,
        role: 'customer',
        endRoomOnExit: true,
        record: { sessionId: session.id, tenantId: session.tenantId },
      },
    ];
  }

  // ───────────────────────────── statuses ─────────────────────────────

  async onLegStatus(
    ctx: LegContext | undefined,
    leg: { callSid: string; status: LegStatus; hungUpBy?: 'caller' | 'system'; sipStatus?: number },
  ): Promise<void> {
    const final =
      leg.status === 'completed' || leg.status === 'no-answer' || leg.status === 'busy' || leg.status === 'failed';
    // Which leg is it? The tag says; without one (statuses before our first answer), look it up.
    let role = ctx?.role;
    let sessionId = ctx?.sessionId;
    let offerId = ctx?.offerId;
    if (!role) {
      const session = await this.sessionByCallSid(leg.callSid);
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
    if (!final) {
      await this.touch(sessionId);
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
      await this.endSession(offer.sessionId, { by: 'agent', ...(leg.hungUpBy ? { hungUpBy: leg.hungUpBy } : {}) });
    }
  }

  /**
   * Ends a session exactly once: the conditional update on `state <> 'ended'` lets only one
   * caller through, and the CDR is written in the same transaction. Then the other legs are hung
   * up, the agent enters wrap-up, and `call.ended` fires with the CDR.
   */
  async endSession(
    sessionId: string,
    cause: EndCause,
    forced?: { code: number; side: 'user' | 'seat' | 'system' },
  ): Promise<CdrRow | null> {
    const wrapUpSeconds = this.d.agentService.wrapUpSeconds;
    const result = await this.d.db.transaction(async (tx) => {
      const session = await this.lockSession(tx, sessionId);
      if (!session || session.state === 'ended') return null;
      const { code, side } = forced ?? this.outcome(session, cause);
      const [ended] = await tx
        .update(callSessions)
        .set({ state: 'ended', endedAt: new Date(), endStatus: code, hungUpSide: side, lastEventAt: new Date() })
        .where(eq(callSessions.id, sessionId))
        .returning();
      const changes: StateChange[] = [];
      const hangups: string[] = [];
      // Offers: ringing ones are withdrawn (their phones stop ringing), the served one closes.
      const offers = await tx
        .update(callOffers)
        .set({
          state: sql`case when ${callOffers.state} = 'ringing' then 'cancelled' else 'ended' end`,
          endedAt: new Date(),
          endReason: 'session ended',
        })
        .where(and(eq(callOffers.sessionId, sessionId), sql`${callOffers.state} in ('ringing', 'accepted')`))
        .returning();
      for (const o of offers) {
        if (o.state === 'cancelled') {
          const c = await this.d.agentService.transition(tx, o.tenantId, o.agentId, ['ringing'], 'idle');
          if (c) changes.push(c);
          if (o.callSid) hangups.push(o.callSid);
        } else {
          const c =
            wrapUpSeconds > 0
              ? await this.d.agentService.transition(tx, o.tenantId, o.agentId, ['busy'], 'afterCallWork', {
                  sessionId,
                  wrapUpUntil: new Date(Date.now() + wrapUpSeconds * 1000),
                })
              : await this.d.agentService.transition(tx, o.tenantId, o.agentId, ['busy'], 'idle');
          if (c) changes.push(c);
          if (cause.by !== 'agent' && o.callSid) hangups.push(o.callSid);
        }
      }
      if (cause.by !== 'customer') hangups.push(session.customerCallSid);
      const cdr = await writeCdr(tx, ended!);
      return { session: ended!, cdr, changes, hangups };
    });
    if (!result) return null;
    const { session, cdr, changes, hangups } = result;
    this.d.agentService.announce(changes);
    for (const sid of hangups) {
      this.d.telephony.hangup(sid).catch((err) => this.log.warn({ err, callSid: sid }, 'hang-up of a leg failed'));
    }
    for (const c of changes) {
      if (c.to === 'idle') void this.d.acdService.dispatchForAgent(c.tenantId, c.userId).catch(() => undefined);
    }
    if (cdr) {
      const data = {
        sessionId: session.id,
        endStatus: cdr.endStatus,
        endStatusString: cdr.endStatusString,
        hungUpSide: cdr.hungUpSide,
      };
      if (cdr.agentId)
        void this.d.bus
          .publish({ tenantId: session.tenantId, kind: 'user', userId: cdr.agentId }, 'call.ended', data)
          .catch(() => undefined);
      void this.d.bus
        .publish({ tenantId: session.tenantId, kind: 'role', role: 'supervisor' }, 'call.ended', data)
        .catch(() => undefined);
      void this.d.pluginHost
        .emit('call.ended', { ...this.hookBase(session), cdr: cdrPayload(cdr), idempotencyKey: `ended:${session.id}` })
        .catch((err) => this.log.warn({ err }, 'call.ended hook failed'));
    }
    return cdr;
  }

  /** End status and hang-up side from where the session was when it ended (research A7). */
  private outcome(session: CallSessionRow, cause: EndCause): { code: number; side: 'user' | 'seat' | 'system' } {
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
        if (session.endStatus) return { code: session.endStatus, side };
        // The flow itself ended the call (a hang-up node) vs the caller leaving mid-menu.
        return { code: byCaller && session.ivrState ? END_STATUS.ivrGiveUp : END_STATUS.ivrEnd, side };
      case 'queued':
        return { code: END_STATUS.waitingGiveUp, side };
      case 'offering':
        return { code: END_STATUS.ringingGiveUp, side };
      case 'bridged':
      case 'ended':
        return { code: END_STATUS.ok, side };
    }
  }

  // ───────────────────────────── reaper ─────────────────────────────

  /**
   * Sessions that went quiet: the provider may never send `completed` on some paths. Ask it
   * whether the customer leg still exists; if not, end the session as the system.
   */
  async reapQuietSessions(): Promise<number> {
    const quiet = await this.d.db.execute<{ id: string; customer_call_sid: string }>(sql`
      select id, customer_call_sid from call_sessions
      where state <> 'ended' and last_event_at < now() - make_interval(secs => ${this.d.config.calls.quietSeconds})
      limit 100`);
    let reaped = 0;
    for (const s of quiet.rows) {
      const alive = await this.d.telephony.isAlive(s.customer_call_sid).catch(() => true);
      if (alive) {
        await this.touch(s.id);
        continue;
      }
      if (await this.endSession(s.id, { by: 'system' })) reaped++;
    }
    return reaped;
  }

  // ───────────────────────────── helpers ─────────────────────────────

  private async replay(session: CallSessionRow): Promise<CallAction[]> {
    if (session.state === 'ended') return [{ type: 'hangup' }];
    if (session.state === 'ivr' && session.ivrState) {
      const graph = await this.graphOf(this.d.db, session);
      if (graph)
        return this.d.db.transaction((tx) =>
          this.applyIvr(tx, session, graph, resumeAt(graph, session.ivrState!.node)),
        );
    }
    if (session.state === 'queued' || session.state === 'offering') {
      return [{ type: 'enqueue', queue: queueName(session.queuedSkillGroupId!) }];
    }
    if (session.state === 'bridged') return this.onCustomerJoinRoom(this.customerContext(session));
    return [{ type: 'hangup' }];
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
    return row;
  }

  private async publishedVersion(tenantId: string, flowId: string) {
    const [row] = await this.d.db
      .select({ id: ivrFlowVersions.id, graph: ivrFlowVersions.graph })
      .from(ivrFlows)
      .innerJoin(
        ivrFlowVersions,
        and(eq(ivrFlowVersions.flowId, ivrFlows.id), eq(ivrFlowVersions.version, ivrFlows.publishedVersion)),
      )
      .where(and(eq(ivrFlows.tenantId, tenantId), eq(ivrFlows.id, flowId)));
    return row;
  }

  /** The graph of the version the call started with (IVR-34: edits do not affect live calls). */
  private async graphOf(tx: DbTx, session: CallSessionRow): Promise<IvrGraph | undefined> {
    if (!session.flowVersionId) return undefined;
    const [row] = await tx
      .select({ graph: ivrFlowVersions.graph })
      .from(ivrFlowVersions)
      .where(and(eq(ivrFlowVersions.tenantId, session.tenantId), eq(ivrFlowVersions.id, session.flowVersionId)));
    return row?.graph;
  }

  async sessionById(id: string): Promise<CallSessionRow | undefined> {
    const [row] = await this.d.db.select().from(callSessions).where(eq(callSessions.id, id));
    return row;
  }

  private async sessionByCallSid(callSid: string): Promise<CallSessionRow | undefined> {
    const [row] = await this.d.db.select().from(callSessions).where(eq(callSessions.customerCallSid, callSid));
    return row;
  }

  private async lockSession(tx: DbTx, id: string): Promise<CallSessionRow | undefined> {
    const [row] = await tx.select().from(callSessions).where(eq(callSessions.id, id)).for('update');
    return row;
  }

  private async touch(id: string): Promise<void> {
    await this.d.db.update(callSessions).set({ lastEventAt: new Date() }).where(eq(callSessions.id, id));
  }

  private customerContext(s: CallSessionRow): LegContext {
    return { sessionId: s.id, tenantId: s.tenantId, role: 'customer' };
  }

  private hookBase(s: CallSessionRow) {
    return {
      tenantId: s.tenantId,
      sessionId: s.id,
      callSid: s.customerCallSid,
      direction: s.direction,
      from: s.caller,
      to: s.callee,
      occurredAt: new Date().toISOString(),
    };
  }
}

function say(text: string): CallAction {
  return { type: 'prompt', prompt: { kind: 'say', text } };
}

/** Numbers as stored: digits only, without a leading + (carriers differ in sending it). */
export function normalise(n: string): string {
  return n.replace(/[^0-9*#]/g, '');
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
