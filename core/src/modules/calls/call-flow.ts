import { and, eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { ResolvedConfig } from '../../config/config.js';
import type { Db, DbTx } from '../../db/database.js';
import type { PluginHost } from '../../plugins/host.js';
import type { EventBus } from '../../realtime/bus.js';
import type { Audience } from '../../realtime/events.js';
import type { CallAction, CallFlow, LegContext, LegStatus, Prompt, TelephonyPort } from '../../telephony/types.js';
import type { AgentService, StateChange } from '../agents/service.js';
import { tenantTimeZone } from '../agents/settings.js';
import { clockVariables } from '../ivr/clock.js';
import {
  resumeAt,
  startIvr,
  stepIvr,
  type IvrContext,
  type IvrEffect,
  type IvrEvent,
  type IvrStep,
} from '../ivr/interpreter.js';
import { ivrHttpSecret, sendIvrHttp } from '../ivr/http-node.js';
import type { IvrGraph, Prompt as IvrPrompt } from '../ivr/flow-model.js';
import { ivrFlowVersions, ivrFlows } from '../ivr/schema.js';
import { numbers } from '../numbers/schema.js';
import { recordings } from '../recordings/schema.js';
import { writeCdr } from '../records/cdr-service.js';
import { blacklist, type CdrRow } from '../records/schema.js';
import type { AcdService } from '../routing/acd.js';
import type { SessionControlService } from '../sessions/control-service.js';
import { skillGroupMembers } from '../skill-groups/schema.js';
import { tenants } from '../tenants/schema.js';
import { users } from '../users/schema.js';
import { acceptRingingOffer, closeOpenOffers, customerContext, hookBase, isFinal, say } from './call-steps.js';
import { END_STATUS, endStatusString } from './end-status.js';
import { tenantVoice, withVoice } from './voice.js';
import type { InternalCallService } from './internal-calls.js';
import type { SessionEventService } from './session-events.js';
import { callOffers, callSessions, type CallSessionRow, type SessionState, type SurveyResult } from './schema.js';

/** A tenant's settings document as stored (`tenants.settings`). */
type TenantSettings = Record<string, unknown> | null;

/** Queue name at the provider for a skill group. */
export const queueName = (skillGroupId: string) => `sg-${skillGroupId}`;

/**
 * While an HTTP node's request runs, the caller waits in silence and the leg asks again this
 * often (a fallback: the leg is redirected as soon as the result is in).
 */
const HTTP_POLL_SECONDS = 5;
/** Budget of the `ivr.http` plugin hook (HOOK_POLICIES), before the HTTP request itself. */
const HTTP_PLUGIN_SECONDS = 3;
/**
 * Past the request's own budget, a result that never came is counted as a failed attempt (the
 * instance running it may have died), so a caller never waits in silence for ever.
 */
const HTTP_LOST_AFTER_SECONDS = 10;

/** How long a voicemail's actionHook waits for its recording to be stored (its duration is known then). */
const VOICEMAIL_SETTLE_MS = 3000;

/**
 * End reason of the serving offer when the agent hung up and the flow went on with the caller
 * (survey, IVR-22): that agent has been sent `call.ended` already.
 */
const AGENT_LEFT_BEFORE_CALLER = 'agent hung up';

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
  clock: Clock;
  audioLibrary: { playUrl(audioId: string): string };
  internalCallService: InternalCallService;
  /** Live call control: legs it placed, and the customer while it has them out of the room. */
  sessionControl: SessionControlService;
  /** `session.state` events (issue 5 item 7). */
  sessionEvents: SessionEventService;
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

  /** IVR prompt → telephony prompt. Audio-library prompts (IVR-03) play the file's signed URL;
   * resolved without a database read (the id was checked when the flow was saved, and a file
   * cannot be deleted while a runnable flow version plays it). */
  private prompt(p: IvrPrompt): Prompt | undefined {
    if (p.kind === 'say' || p.kind === 'play') return p;
    return { kind: 'play', url: this.d.audioLibrary.playUrl(p.audioId) };
  }

  // ───────────────────────────── inbound call ─────────────────────────────

  async onInboundCall(call: { callSid: string; from: string; to: string; extras?: Record<string, unknown> }) {
    // A retried initial webhook is rare: it is found by the session insert's conflict on the call
    // sid below and answered from the stored state, so new calls skip a lookup.
    // The tenant's settings come along: the IVR's clock and the TTS voice need them, and the
    // first webhook of a call is the hot path (one round trip instead of three).
    const [found] = await this.d.db
      .select({ number: numbers, settings: tenants.settings })
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

    const version = number.ivrFlowId
      ? await this.publishedVersion(tenantId, number.ivrFlowId, number.ivrFlowVersion)
      : undefined;
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
        context: raced ? customerContext(raced) : undefined,
        actions: raced ? await this.replay(raced) : [{ type: 'hangup' } as const],
      };
    }
    const context = customerContext(session);

    // Plugins may enrich the call (customer id, CRM card) within the host's budget.
    const { annotations } = await this.d.pluginHost.emit('call.incoming', {
      ...hookBase(session),
      idempotencyKey: `incoming:${session.id}`,
    });
    if (annotations && Object.keys(annotations).length) {
      await this.d.db.update(callSessions).set({ annotations }).where(eq(callSessions.id, session.id));
    }

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
    const step = startIvr(version.graph, await this.ivrContext(this.d.db, session, version.graph, found.settings));
    const actions = await this.d.db.transaction((tx) => this.applyIvr(tx, session, version.graph, step));
    return { context, actions: await this.voiced(tenantId, actions, found.settings) };
  }

  async onDigits(ctx: LegContext, input: { step: string; digits: string; timedOut: boolean }): Promise<CallAction[]> {
    if (this.d.sessionControl.ownsStep(input.step)) return this.d.sessionControl.onDigits(ctx, input);
    const actions = await this.d.db.transaction(async (tx): Promise<CallAction[]> => {
      const session = await this.lockSession(tx, ctx.sessionId);
      if (!session || session.state !== 'ivr' || !session.ivrState)
        return session?.state === 'ended' ? [{ type: 'hangup' }] : [];
      const graph = await this.graphOf(tx, session);
      if (!graph) return [{ type: 'hangup' }];
      const step = stepIvr(
        graph,
        session.ivrState,
        { type: 'digits', ...input },
        await this.ivrContext(tx, session, graph),
      );
      return this.applyIvr(tx, session, graph, step);
    });
    return this.voiced(ctx.tenantId, actions);
  }

  /** Turns interpreter effects into actions and stores the new IVR state (inside `tx`). */
  private async applyIvr(tx: DbTx, session: CallSessionRow, graph: IvrGraph, step: IvrStep): Promise<CallAction[]> {
    const actions: CallAction[] = [];
    const keys = [...session.ivrKeys];
    let transfer: Extract<IvrEffect, { type: 'transfer' }> | undefined;
    let outOfHours = false;
    const variables: Record<string, string> = { ...session.variables };
    let surveyResult: SurveyResult | undefined;
    let http: Extract<IvrEffect, { type: 'httpRequest' }> | undefined;
    let keep: Extract<IvrEffect, { type: 'keepQueue' }> | undefined;
    let leftQueue = false;
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
          keys.push({ key: e.key, label: e.label, nodeLabel: e.nodeLabel, timestamp: this.d.clock.now().getTime() });
          break;
        case 'hangup':
          actions.push({ type: 'hangup' });
          break;
        case 'transfer':
          transfer = e;
          break;
        case 'setVariable':
          // Kept with the session for the CDR and plugins (the IVR state holds them too).
          variables[e.name] = e.value;
          break;
        case 'surveyResult':
          surveyResult = { nodeId: e.nodeId, key: e.key, label: e.label, timestamp: this.d.clock.now().getTime() };
          break;
        case 'httpRequest':
          // Off the webhook path: a slow API (up to 30 s per attempt, several attempts) must not
          // hold jambonz's webhook, whose own timeout would drop the call. The caller waits in
          // silence; once the result is in, the leg is redirected (`onRedirect` applies it).
          http = e;
          actions.push({ type: 'awaitResult', seconds: HTTP_POLL_SECONDS });
          break;
        case 'externalTransfer': {
          const ringing = e.ringingPrompt ? this.prompt(e.ringingPrompt) : undefined;
          actions.push({
            type: 'dial',
            number: e.number,
            ...(e.callerId ? { callerId: e.callerId } : {}),
            ...(ringing ? { ringingPrompt: ringing } : {}),
            timeoutSeconds: e.timeoutSeconds,
            step: takeStep(e.nodeId, step.state),
            context: { sessionId: session.id, tenantId: session.tenantId, role: 'external' },
            // IVR-25: the conversation with the external number is recorded like an agent's.
            record: { sessionId: session.id, tenantId: session.tenantId },
          });
          break;
        }
        case 'voicemail': {
          const p = e.prompt ? this.prompt(e.prompt) : undefined;
          if (p) actions.push({ type: 'prompt', prompt: p });
          actions.push({
            type: 'recordMessage',
            maxLengthSeconds: e.maxLengthSeconds,
            finishOnKey: e.finishOnKey,
            beep: e.beep,
            step: takeStep(e.nodeId, step.state),
            record: { sessionId: session.id, tenantId: session.tenantId },
          });
          break;
        }
        case 'leaveQueue':
          leftQueue = true;
          break;
        case 'keepQueue':
          keep = e;
          break;
        case 'outOfHours':
          outOfHours = true;
          break;
      }
    }
    await tx
      .update(callSessions)
      .set({
        ivrState: step.state,
        ivrKeys: keys,
        lastEventAt: new Date(),
        // The record says the call came out of hours (IVR-01); queueing it later clears this.
        ...(outOfHours ? { endStatus: END_STATUS.notWorkTime } : {}),
        variables,
        ...(surveyResult ? { surveyResult } : {}),
        ...(http
          ? {
              ivrEvent: {
                type: 'httpPending' as const,
                nodeId: http.nodeId,
                attempt: http.attempt,
                deadline: Date.now() + (HTTP_PLUGIN_SECONDS + http.timeoutSeconds + HTTP_LOST_AFTER_SECONDS) * 1000,
              },
            }
          : {}),
        // `#` at the queue-timeout prompt: the caller gave up waiting (the hang-up follows).
        ...(leftQueue ? { endStatus: END_STATUS.waitingGiveUp, hungUpSide: 'user' as const } : {}),
      })
      .where(eq(callSessions.id, session.id));
    if (http) {
      const request = http;
      setImmediate(() => this.runHttpNode(session, request));
    }
    if (keep) return [...actions, ...(await this.requeue(tx, session))];
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
    let online = await this.d.agentService.countOnline(
      tx,
      session.tenantId,
      members.map((m) => m.userId),
    );
    // IVR-20: a group with nobody online is as "all busy" as it gets: the overflow group's
    // online agents can still serve the caller, so queue (the ACD offers them the call).
    if (online === 0 && transfer.overflowSkillGroupId) {
      const backup = await tx
        .select({ userId: skillGroupMembers.userId })
        .from(skillGroupMembers)
        .where(
          and(
            eq(skillGroupMembers.tenantId, session.tenantId),
            eq(skillGroupMembers.skillGroupId, transfer.overflowSkillGroupId),
          ),
        );
      online = await this.d.agentService.countOnline(
        tx,
        session.tenantId,
        backup.map((m) => m.userId),
      );
    }
    if (online === 0) {
      await tx
        .update(callSessions)
        .set({ endStatus: END_STATUS.noSeatOnline, queuedSkillGroupId: transfer.skillGroupId })
        .where(eq(callSessions.id, session.id));
      // The flow says what happens (its no-agent prompt, then its branch or hang-up, IVR-18);
      // the built-in sentence is only for a transfer node without a prompt of its own.
      const atTransfer = step.state ?? { node: transfer.nodeId, retries: 0 };
      const next = stepIvr(
        graph,
        atTransfer,
        { type: 'noAgent', nodeId: transfer.nodeId },
        await this.ivrContext(tx, session, graph),
      );
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
    const [queuedNow] = await tx
      .update(callSessions)
      .set({
        state: 'queued',
        queuedSkillGroupId: transfer.skillGroupId,
        queuePriority: transfer.priority,
        queuedAt: new Date(),
        endStatus: null,
        // Routing inputs of the ACD (IVR-20 overflow group, IVR-21 preferred agent).
        overflowSkillGroupId: transfer.overflowSkillGroupId ?? null,
        preferredAgent: transfer.preferredAgent ?? null,
      })
      .where(and(eq(callSessions.id, session.id), eq(callSessions.state, 'ivr')))
      .returning({ id: callSessions.id });
    // Dispatch once this transaction has committed (the queued row must be visible).
    const { tenantId, id } = session;
    setImmediate(() => {
      // Before the dispatch, so the supervisor sees `queued` before the `offering` it leads to.
      if (queuedNow)
        this.d.sessionEvents.publishState({
          session: { ...session, queuedSkillGroupId: transfer.skillGroupId },
          state: 'queued',
          previous: 'ivr',
          reason: 'transfer',
        });
      this.d.acdService
        .dispatch(tenantId, transfer.skillGroupId)
        .catch((err) => this.log.error({ err, sessionId: id }, 'dispatch after enqueue failed'));
      void this.d.pluginHost
        .emit('call.queued', {
          ...hookBase(session),
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
      // Queue timeout (IVR-16): jambonz's waitHook cannot gather, so the caller leaves the queue
      // to be asked (`onQueueLeft`). `waitedSeconds` restarts with every enqueue, which is the
      // "again after each keep-waiting" clock. Not while an agent is being rung (`offering`).
      const node = graph.nodes.find((n) => n.id === session.ivrState!.node);
      if (
        session.state === 'queued' &&
        node?.type === 'transfer' &&
        node.queueTimeoutSeconds &&
        (session.ivrState.wait ?? 'input') === 'queue' &&
        wait.waitedSeconds >= node.queueTimeoutSeconds
      ) {
        // Out of the ACD's reach while asking; a hang-up meanwhile is still a queue give-up.
        const [asking] = await this.d.db
          .update(callSessions)
          .set({ state: 'ivr', endStatus: END_STATUS.waitingGiveUp, lastEventAt: new Date() })
          .where(and(eq(callSessions.id, session.id), eq(callSessions.state, 'queued')))
          .returning({ id: callSessions.id });
        if (asking) {
          this.d.sessionEvents.publishState({ session, state: 'ivr', previous: 'queued', reason: 'queueTimeout' });
          return [{ type: 'leaveQueue' }];
        }
      }
      const round = stepIvr(
        graph,
        session.ivrState,
        { type: 'queueWait', nodeId: session.ivrState.node, waitNo: wait.position },
        await this.ivrContext(this.d.db, session, graph),
      );
      const actions = round.effects.flatMap((e): CallAction[] => {
        if (e.type !== 'prompt') return [];
        const p = this.prompt(e.prompt);
        return p ? [{ type: 'prompt', prompt: p }] : [];
      });
      if (actions.length) return this.voiced(session.tenantId, actions);
    }
    const text = this.d.config.calls.queueAnnouncement.replaceAll('${WaitNo}', String(wait.position + 1));
    return this.voiced(session.tenantId, [say(text), { type: 'pause', seconds: 3 }]);
  }

  /** The caller left the queue to answer the queue-timeout prompt (IVR-16/17). */
  async onQueueLeft(ctx: LegContext): Promise<CallAction[]> {
    const actions = await this.d.db.transaction(async (tx) => {
      const session = await this.lockSession(tx, ctx.sessionId);
      if (!session || session.tenantId !== ctx.tenantId) return [{ type: 'hangup' } as const];
      if (session.state !== 'ivr' || session.ivrState?.wait !== 'queue') return null;
      const graph = await this.graphOf(tx, session);
      if (!graph) return [{ type: 'hangup' } as const];
      const step = stepIvr(
        graph,
        session.ivrState,
        { type: 'queueTimeout', nodeId: session.ivrState.node },
        await this.ivrContext(tx, session, graph),
      );
      return this.applyIvr(tx, session, graph, step);
    });
    if (actions) return actions;
    // A leave we did not ask for (or a duplicate): carry on from the stored state.
    const session = await this.sessionById(ctx.sessionId);
    return session ? this.replay(session) : [{ type: 'hangup' }];
  }

  /** Back into the queue after "keep waiting" (IVR-17), keeping the caller's place (priority, queued time). */
  private async requeue(tx: DbTx, session: CallSessionRow): Promise<CallAction[]> {
    const groupId = session.queuedSkillGroupId;
    if (!groupId) return [{ type: 'hangup' }];
    const [back] = await tx
      .update(callSessions)
      .set({ state: 'queued', endStatus: null, lastEventAt: new Date() })
      .where(and(eq(callSessions.id, session.id), eq(callSessions.state, 'ivr')))
      .returning({ id: callSessions.id });
    const { tenantId, id } = session;
    setImmediate(() => {
      if (back) this.d.sessionEvents.publishState({ session, state: 'queued', previous: 'ivr', reason: 'keepWaiting' });
      this.d.acdService
        .dispatch(tenantId, groupId)
        .catch((err) => this.log.error({ err, sessionId: id }, 'dispatch after re-enqueue failed'));
    });
    return [{ type: 'enqueue', queue: queueName(groupId) }];
  }

  // ───────────────────────────── IVR effects off the webhook path ─────────────────────────────

  /**
   * Runs an HTTP node's request (IVR-29): the `ivr.http` plugin hook first (a plugin answering
   * supplies the output), else the signed HTTP call. The result is stored as the session's
   * pending IVR event and the customer leg redirected, so `onRedirect` continues the flow.
   */
  private runHttpNode(session: CallSessionRow, e: Extract<IvrEffect, { type: 'httpRequest' }>): void {
    void (async () => {
      const result = await this.httpResult(session, e);
      const stored = await this.d.db.transaction(async (tx) => {
        const s = await this.lockSession(tx, session.id);
        const st = s?.ivrState;
        // Only the answer to the attempt the flow still waits for (the caller may have gone).
        if (!s || s.state !== 'ivr' || st?.node !== e.nodeId || st.wait !== 'http' || st.retries !== e.attempt - 1)
          return false;
        const event: IvrEvent = {
          type: 'httpResult',
          nodeId: e.nodeId,
          ok: result.ok,
          ...(result.ok ? { output: result.output } : {}),
        };
        await tx
          .update(callSessions)
          .set({ ivrEvent: event, lastEventAt: new Date() })
          .where(eq(callSessions.id, s.id));
        return true;
      });
      if (stored) await this.d.telephony.redirect(session.customerCallSid, customerContext(session));
    })().catch((err) => this.log.error({ err, sessionId: session.id, nodeId: e.nodeId }, 'IVR HTTP node failed'));
  }

  private async httpResult(
    session: CallSessionRow,
    e: Extract<IvrEffect, { type: 'httpRequest' }>,
  ): Promise<{ ok: boolean; output?: unknown }> {
    const answer = await this.d.pluginHost.emit('ivr.http', {
      tenantId: session.tenantId,
      occurredAt: new Date().toISOString(),
      idempotencyKey: `ivr-http:${session.id}:${e.nodeId}:${e.attempt}`,
      sessionId: session.id,
      nodeId: e.nodeId,
      request: { url: e.url, method: e.method, body: e.body, attempt: e.attempt },
    });
    if (answer !== undefined) return { ok: true, output: answer };
    const res = await sendIvrHttp({
      url: e.url,
      method: e.method,
      body: e.body,
      timeoutSeconds: e.timeoutSeconds,
      secret: await ivrHttpSecret(this.d.db, session.tenantId),
      sessionId: session.id,
      nodeId: e.nodeId,
      attempt: e.attempt,
    });
    if (!res.ok)
      this.log.info({ sessionId: session.id, nodeId: e.nodeId, error: res.error }, 'IVR HTTP node attempt failed');
    return res;
  }

  /**
   * A customer leg redirected while in the IVR with something to continue: a pending event (an
   * HTTP node's result) or the agent having hung up (survey, IVR-22). Null: nothing of ours.
   */
  private async resumeIvr(sessionId: string): Promise<CallAction[] | null> {
    return this.d.db.transaction(async (tx) => {
      const session = await this.lockSession(tx, sessionId);
      const st = session?.ivrState;
      if (!session || session.state !== 'ivr' || !st) return null;
      let event: IvrEvent | undefined;
      if (st.wait === 'agent') event = { type: 'agentHungUp', nodeId: st.node };
      else if (st.wait === 'http') {
        const pending = session.ivrEvent;
        if (pending?.type === 'httpResult') event = pending;
        else if (pending?.type === 'httpPending' && Date.now() > pending.deadline)
          event = { type: 'httpResult', nodeId: st.node, ok: false };
        // Still running: keep waiting (the leg asks again, or is redirected when it is done).
        else return [{ type: 'awaitResult', seconds: HTTP_POLL_SECONDS } as const];
      }
      if (!event) return null;
      const graph = await this.graphOf(tx, session);
      if (!graph) return [{ type: 'hangup' } as const];
      if (session.ivrEvent)
        await tx.update(callSessions).set({ ivrEvent: null }).where(eq(callSessions.id, session.id));
      return this.applyIvr(
        tx,
        { ...session, ivrEvent: null },
        graph,
        stepIvr(graph, st, event, await this.ivrContext(tx, session, graph)),
      );
    });
  }

  /** The external transfer's dial ended (IVR-25). */
  async onDialResult(
    ctx: LegContext,
    result: { step: string; answered: boolean; status: string; callerGone?: boolean },
  ): Promise<CallAction[]> {
    return this.d.db.transaction(async (tx) => {
      const session = await this.lockSession(tx, ctx.sessionId);
      if (!session || session.tenantId !== ctx.tenantId || session.state === 'ended') return [{ type: 'hangup' }];
      const st = session.ivrState;
      // `step` names the take: the result of a dial a replay replaced is not this one's.
      if (session.state !== 'ivr' || !st || takeStep(st.node, st) !== result.step || st.wait !== 'external') return [];
      if (result.answered) {
        // The conversation with the external number is over. If the caller is still here, the
        // far end hung up first: the serving side (`seat`) ended the call.
        await tx
          .update(callSessions)
          .set({
            ivrState: null,
            endStatus: END_STATUS.ok,
            ...(result.callerGone ? {} : { hungUpSide: 'seat' as const }),
            lastEventAt: new Date(),
          })
          .where(eq(callSessions.id, session.id));
        return [{ type: 'hangup' }];
      }
      const graph = await this.graphOf(tx, session);
      if (!graph) return [{ type: 'hangup' }];
      return this.applyIvr(
        tx,
        session,
        graph,
        stepIvr(graph, st, { type: 'externalFailed', nodeId: st.node }, await this.ivrContext(tx, session, graph)),
      );
    });
  }

  /** A leg of an external transfer: once it answers, the call counts as served (`ok`). */
  private async onExternalLeg(sessionId: string, status: LegStatus): Promise<void> {
    if (status !== 'answered') {
      await this.touch(sessionId);
      return;
    }
    const [served] = await this.d.db
      .update(callSessions)
      .set({
        endStatus: END_STATUS.ok,
        acceptedAt: sql`coalesce(${callSessions.acceptedAt}, now())`,
        lastEventAt: new Date(),
      })
      .where(and(eq(callSessions.id, sessionId), eq(callSessions.state, 'ivr')))
      .returning();
    // Still `ivr` for the call path, but now a conversation with the external number (IVR-25).
    if (served)
      this.d.sessionEvents.publishState({ session: served, state: 'ivr', previous: 'ivr', reason: 'externalTransfer' });
  }

  /** The voicemail recording ended (IVR-31): hand the flow the message's id and length. */
  async onVoicemailDone(ctx: LegContext, input: { step: string }): Promise<CallAction[]> {
    const session = await this.sessionById(ctx.sessionId);
    if (!session || session.tenantId !== ctx.tenantId || session.state === 'ended') return [{ type: 'hangup' }];
    const waiting = session.ivrState;
    if (!waiting || waiting.wait !== 'voicemail' || takeStep(waiting.node, waiting) !== input.step) return [];
    // The fork closes just before this hook; its recording is stored moments later.
    const deadline = Date.now() + VOICEMAIL_SETTLE_MS;
    let message: { id: string; status: string; durationMs: number | null } | undefined;
    for (;;) {
      [message] = await this.d.db
        .select({ id: recordings.id, status: recordings.status, durationMs: recordings.durationMs })
        .from(recordings)
        .where(
          and(
            eq(recordings.tenantId, session.tenantId),
            eq(recordings.sessionId, session.id),
            eq(recordings.kind, 'voicemail'),
          ),
        )
        .orderBy(sql`${recordings.startedAt} desc`)
        .limit(1);
      if ((message && message.status !== 'recording') || Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.d.db.transaction(async (tx) => {
      const s = await this.lockSession(tx, ctx.sessionId);
      if (!s || s.state === 'ended') return [{ type: 'hangup' }];
      const st = s.ivrState;
      // `step` names the take: a recording a replay cut short is kept, but the flow waits for this one.
      if (s.state !== 'ivr' || !st || takeStep(st.node, st) !== input.step || st.wait !== 'voicemail') return [];
      const graph = await this.graphOf(tx, s);
      if (!graph) return [{ type: 'hangup' }];
      const stored = message && message.status !== 'failed' ? message : undefined;
      const step = stepIvr(
        graph,
        st,
        {
          type: 'voicemailDone',
          nodeId: st.node,
          ...(stored ? { recordingId: stored.id } : {}),
          ...(stored?.durationMs != null ? { durationSeconds: Math.round(stored.durationMs / 1000) } : {}),
        },
        await this.ivrContext(tx, s, graph),
      );
      return this.applyIvr(tx, s, graph, step);
    });
  }

  /** Whether the session's transfer node sends the caller on after the agent hangs up (survey). */
  private async continuesAfterAgent(session: CallSessionRow): Promise<boolean> {
    if (!session.ivrState) return false;
    const graph = await this.graphOf(this.d.db, session);
    const node = graph?.nodes.find((n) => n.id === session.ivrState!.node);
    return node?.type === 'transfer' && !!node.afterAgentNext;
  }

  /**
   * The agent hung up first and the flow has more for the caller (IVR-22): the agent goes to
   * wrap-up now, the session goes back to the IVR (already counted `ok`, ended by the seat),
   * and the customer leg is redirected to the survey. False when this does not apply.
   */
  private async agentLeftBeforeCaller(sessionId: string, offerId: string): Promise<boolean> {
    const current = await this.sessionById(sessionId);
    if (!current || current.state !== 'bridged' || current.ivrState?.wait !== 'agent') return false;
    if (!(await this.continuesAfterAgent(current))) return false;
    const wrapUpSeconds = this.d.agentService.wrapUpSeconds;
    const result = await this.d.db.transaction(async (tx) => {
      const session = await this.lockSession(tx, sessionId);
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
        const c =
          wrapUpSeconds > 0
            ? await this.d.agentService.transition(tx, offer.tenantId, offer.agentId, ['busy'], 'afterCallWork', {
                sessionId,
                wrapUpUntil: new Date(Date.now() + wrapUpSeconds * 1000),
              })
            : await this.d.agentService.transition(tx, offer.tenantId, offer.agentId, ['busy'], 'idle');
        if (c) changes.push(c);
      }
      return { session, changes, agentId: offer?.agentId };
    });
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
        .catch(() => undefined);
    for (const c of result.changes) {
      if (c.to === 'idle') void this.d.acdService.dispatchForAgent(c.tenantId, c.userId).catch(() => undefined);
    }
    this.d.telephony.redirect(current.customerCallSid, customerContext(current)).catch(async (err) => {
      this.log.error({ err, sessionId }, 'could not redirect the caller to the survey');
      await this.endSession(sessionId, { by: 'system' });
    });
    return true;
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
      await this.lockSession(tx, ctx.sessionId);
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
        void this.d.acdService.dispatchForAgent(offer.tenantId, offer.agentId).catch(() => undefined);
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
    this.d.telephony.moveToRoom(session.customerCallSid, customerContext(session)).catch(async (err) => {
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
        ...hookBase(session),
        agentId: offer.agentId,
        idempotencyKey: `answered:${session.id}:${offer.id}`,
      })
      .catch(() => undefined);
    // With a survey after the agent (IVR-22) the room must outlive the agent, so the caller
    // stays until redirected to it. askOnExit: the agent stays on while live call control has
    // the customer out of the room.
    const afterAgent = await this.continuesAfterAgent(session);
    return [{ type: 'joinRoom', room: session.id, role: 'agent', endRoomOnExit: !afterAgent, askOnExit: true }];
  }

  async onCustomerJoinRoom(ctx: LegContext): Promise<CallAction[]> {
    const session = await this.sessionById(ctx.sessionId);
    if (!session || session.state !== 'bridged') return [{ type: 'hangup' }];
    await this.touch(session.id);
    // The flow's connect prompt to the caller, `${StaffNo}` = the agent's staff number (IVR-19).
    const lead: CallAction[] = [];
    let afterAgent = false;
    const graph = session.ivrState ? await this.graphOf(this.d.db, session) : undefined;
    if (graph && session.ivrState && session.agentId) {
      const [agent] = await this.d.db
        .select({ staffNo: users.staffNo })
        .from(users)
        .where(eq(users.id, session.agentId));
      const connected = stepIvr(
        graph,
        session.ivrState,
        { type: 'agentConnected', nodeId: session.ivrState.node, staffNo: agent?.staffNo ?? '' },
        await this.ivrContext(this.d.db, session, graph),
      );
      for (const e of connected.effects) {
        const p = e.type === 'prompt' ? this.prompt(e.prompt) : undefined;
        if (p) lead.push({ type: 'prompt', prompt: p });
      }
      // The flow now waits for the agent to hang up (`wait: 'agent'`); a replayed join does
      // not repeat the connect prompt.
      if (connected.state !== session.ivrState) {
        await this.d.db
          .update(callSessions)
          .set({ ivrState: connected.state })
          .where(and(eq(callSessions.id, session.id), eq(callSessions.state, 'bridged')));
      }
      const node = graph.nodes.find((n) => n.id === session.ivrState!.node);
      afterAgent = node?.type === 'transfer' && !!node.afterAgentNext;
    }
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
    await this.touch(session.id);
    const controlled = await this.d.sessionControl.onRedirect(ctx, session);
    if (controlled) return controlled;
    if (ctx.role === 'customer') {
      // Our own pending IVR work first; otherwise replay from the state as it is *now* (a
      // concurrent redirect may just have moved the flow on).
      const resumed = await this.resumeIvr(session.id);
      return resumed ?? this.replay((await this.sessionById(session.id)) ?? session);
    }
    if (session.state !== 'bridged') return [{ type: 'hangup' }];
    // An agent leaving ends the room, unless the flow continues with the caller (survey).
    const endRoomOnExit = ctx.role === 'agent' && !(await this.continuesAfterAgent(session));
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
    if (await this.d.internalCallService.handles(sessionId)) {
      await this.d.internalCallService.onLegStatus(ctx, sessionId, leg);
      return;
    }
    if (role === 'external') {
      await this.onExternalLeg(sessionId, leg.status);
      return;
    }
    if (!isFinal(leg.status)) {
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
      if (await this.agentLeftBeforeCaller(offer.sessionId, offer.id)) return;
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
      const offers = await closeOpenOffers(tx, sessionId);
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
        agentTold,
      };
    });
    if (!result) return null;
    const { session, cdr, changes, hangups, agentTold } = result;
    this.d.agentService.announce(changes);
    // The agent serving it, and any still being rung, see the session end too.
    this.d.sessionEvents.publishState({
      session,
      state: 'ended',
      previous: result.previous,
      reason: 'ended',
      notify: result.offered,
    });
    for (const sid of hangups) {
      this.d.telephony.hangup(sid).catch((err) => this.log.warn({ err, callSid: sid }, 'hang-up of a leg failed'));
    }
    // Parties call control added (three-way, listen-in) go too, ringing ones included.
    void this.d.sessionControl.sessionEnded(session.tenantId, session.id).catch(() => undefined);
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
      const audiences: Audience[] = [{ tenantId: session.tenantId, kind: 'role', role: 'supervisor' }];
      if (cdr.agentId && !agentTold) audiences.push({ tenantId: session.tenantId, kind: 'user', userId: cdr.agentId });
      void this.d.bus.publish(audiences, 'call.ended', data).catch(() => undefined);
      void this.d.pluginHost
        .emit('call.ended', { ...hookBase(session), cdr: cdrPayload(cdr), idempotencyKey: `ended:${session.id}` })
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
        // Set on the way: no agent online, queue give-up (`#`), served then survey or external.
        if (session.endStatus) return { code: session.endStatus, side: session.hungUpSide ?? side };
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
      if (await this.d.internalCallService.handles(s.id)) {
        // An internal call (AGT-04) gives its agents back their own states.
        await this.d.internalCallService.end(s.id, END_STATUS.ok);
        reaped++;
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
      const resumed = graph ? await this.replayQueueQuestion(session, graph) : null;
      if (resumed) return this.voiced(session.tenantId, resumed);
      if (graph) {
        // Keep the caller's variables: a replayed webhook must not forget collected digits.
        // Voicemail and external transfer start their node again (README: replays): the first
        // message is kept as its own recording, a new dial replaces the one the redirect ended.
        let step = resumeAt(
          graph,
          session.ivrState.node,
          session.ivrState,
          await this.ivrContext(this.d.db, session, graph),
        );
        // A recording or dial started again is a new take: the hook of the one the replay
        // replaced (the provider still reports it) must not move the flow on.
        const was = session.ivrState;
        if (
          (was.wait === 'voicemail' || was.wait === 'external') &&
          step.state?.node === was.node &&
          step.state.wait === was.wait
        )
          step = { ...step, state: { ...step.state, retries: was.retries + 1 } };
        const taken = step;
        const actions = await this.d.db.transaction((tx) => this.applyIvr(tx, session, graph, taken));
        return this.voiced(session.tenantId, actions);
      }
    }
    if (session.state === 'queued' || session.state === 'offering') {
      return [{ type: 'enqueue', queue: queueName(session.queuedSkillGroupId!) }];
    }
    if (session.state === 'bridged') return this.onCustomerJoinRoom(customerContext(session));
    return [{ type: 'hangup' }];
  }

  /**
   * A replay while the caller is out of the queue for the queue-timeout question (IVR-16):
   * re-entering the transfer node would queue them as a new caller (new `queued_at`: their
   * place lost). Instead the question is asked again; if the node has none to ask (the flow
   * version changed nothing, but be safe), they go back to the queue where they were. Null: not
   * that situation.
   */
  private async replayQueueQuestion(session: CallSessionRow, graph: IvrGraph): Promise<CallAction[] | null> {
    const wait = session.ivrState?.wait;
    if (wait !== 'queueTimeout' && wait !== 'queue') return null;
    return this.d.db.transaction(async (tx) => {
      const s = await this.lockSession(tx, session.id);
      const st = s?.ivrState;
      if (!s || s.state !== 'ivr' || !st || (st.wait !== 'queueTimeout' && st.wait !== 'queue')) return null;
      const node = graph.nodes.find((n) => n.id === st.node);
      if (node?.type !== 'transfer') return null;
      const ask = stepIvr(
        graph,
        { ...st, wait: 'queue' },
        { type: 'queueTimeout', nodeId: st.node },
        await this.ivrContext(tx, s, graph),
      );
      if (ask.effects.length) return this.applyIvr(tx, s, graph, ask);
      return this.requeue(tx, s);
    });
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

  /**
   * The version a call to a number runs: the one the number pins (IVR-35 / ADM-03), else the
   * flow's published one (also when the pinned version is gone).
   */
  private async publishedVersion(tenantId: string, flowId: string, pinned?: number | null) {
    const lookup = async (version: number | null) => {
      const [row] = await this.d.db
        .select({ id: ivrFlowVersions.id, graph: ivrFlowVersions.graph })
        .from(ivrFlows)
        .innerJoin(
          ivrFlowVersions,
          and(
            eq(ivrFlowVersions.flowId, ivrFlows.id),
            version === null
              ? eq(ivrFlowVersions.version, ivrFlows.publishedVersion)
              : eq(ivrFlowVersions.version, version),
          ),
        )
        .where(and(eq(ivrFlows.tenantId, tenantId), eq(ivrFlows.id, flowId)));
      return row;
    };
    return (pinned ? await lookup(pinned) : undefined) ?? lookup(null);
  }

  /**
   * What the interpreter knows about this call (same on every step): the clock (working hours,
   * IVR-01) and the system variables (IVR-30). A flow without its own time zone reads
   * `${SystemTime}` and friends in the tenant's (`settings.timezone`).
   */
  private async ivrContext(
    tx: DbTx,
    session: CallSessionRow,
    graph: IvrGraph,
    /** The tenant's settings when the caller has them already (saves a query). */
    settings?: TenantSettings,
  ): Promise<IvrContext> {
    const now = this.d.clock.now();
    const system: NonNullable<IvrContext['system']> = {
      SystemCallerNumber: session.caller,
      SystemCalleeNumber: session.callee,
      SystemSessionId: session.id,
      ...(await this.callDurations(tx, session)),
    };
    if (!graph.timeZone) {
      if (settings === undefined) {
        const [tenant] = await tx
          .select({ settings: tenants.settings })
          .from(tenants)
          .where(eq(tenants.id, session.tenantId));
        settings = tenant?.settings;
      }
      Object.assign(system, clockVariables(now, tenantTimeZone(settings)));
    }
    return { now, system };
  }

  /**
   * `${SystemCallRingDuration}` and `${SystemCallAcceptDuration}` (IVR-30), in whole seconds, as
   * the reference product means them: how long the agent's phone rang before the call was
   * answered (first ring, else the time it was queued, → answer), and how long the caller talked
   * with the agent (answer → the agent's leg leaving, or now while they still talk). Both "0"
   * before an agent answered. Measured on the stored timestamps (database time), not the
   * injectable clock, so the two ends of each span come from the same source.
   */
  private async callDurations(
    tx: DbTx,
    session: CallSessionRow,
  ): Promise<{ SystemCallRingDuration: string; SystemCallAcceptDuration: string }> {
    const accepted = session.acceptedAt;
    if (!accepted) return { SystemCallRingDuration: '0', SystemCallAcceptDuration: '0' };
    const rangFrom = session.ringAt ?? session.queuedAt ?? accepted;
    let talkEnd = new Date();
    if (session.agentId && session.state !== 'bridged') {
      const [served] = await tx
        .select({ endedAt: sql<Date | null>`max(${callOffers.endedAt})`.mapWith(callOffers.endedAt) })
        .from(callOffers)
        .where(
          and(
            eq(callOffers.sessionId, session.id),
            eq(callOffers.agentId, session.agentId),
            sql`${callOffers.answeredAt} is not null`,
          ),
        );
      if (served?.endedAt) talkEnd = served.endedAt;
    }
    const secs = (from: Date, to: Date) => String(Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000)));
    return { SystemCallRingDuration: secs(rangFrom, accepted), SystemCallAcceptDuration: secs(accepted, talkEnd) };
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
}

/**
 * The step id of a recording or dial at `nodeId`: the node id for the first take, then
 * `<node>~<take>` once replays started it again (the take is kept in the state's `retries`,
 * which these nodes do not otherwise use).
 */
function takeStep(nodeId: string, state: { node: string; retries: number } | null | undefined): string {
  return state && state.node === nodeId && state.retries > 0 ? `${nodeId}~${state.retries}` : nodeId;
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
