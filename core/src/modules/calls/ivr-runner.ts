import { and, asc, eq, sql } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { DbTx } from '../../db/database.js';
import type { CallAction, LegContext, LegStatus, Prompt } from '../../telephony/types.js';
import { agents } from '../agents/schema.js';
import type { AgentService } from '../agents/service.js';
import { agentSettingsOf } from '../agents/settings.js';
import type { IvrGraph, Prompt as IvrPrompt } from '../ivr/flow-model.js';
import {
  resumeAt,
  startIvr,
  stepIvr,
  type IvrContext,
  type IvrEffect,
  type IvrEvent,
  type IvrStep,
} from '../ivr/interpreter.js';
import { recordings } from '../recordings/schema.js';
import type { AcdService } from '../routing/acd.js';
import { outboundMemoryOf } from '../routing/memory.js';
import { skillGroupMembers, skillGroups } from '../skill-groups/schema.js';
import { users } from '../users/schema.js';
import { hookBase, say } from './call-steps.js';
import { END_STATUS } from './end-status.js';
import { graphOf, ivrContext, type TenantSettings } from './ivr-context.js';
import { HTTP_POLL_SECONDS, httpPending, runHttpNode, type HttpRequestEffect, type IvrHttpDeps } from './ivr-http.js';
import { callSessions, type CallSessionRow, type SurveyResult } from './schema.js';
import type { SessionEventService } from './session-events.js';
import { findSession, lockSession, touchSession } from './session-rows.js';

/** Queue name at the provider for a skill group. */
export const queueName = (skillGroupId: string) => `sg-${skillGroupId}`;

/** How long a voicemail's actionHook waits for its recording to be stored (its duration is known then). */
const VOICEMAIL_SETTLE_MS = 3000;

/** What the runner needs from the cradle (kept whole: `telephony` is registered late). */
export interface IvrRunnerDeps extends IvrHttpDeps {
  clock: Clock;
  agentService: AgentService;
  acdService: AcdService;
  audioLibrary: { playUrl(audioId: string): string };
  /** `session.state` events (issue 5 item 7). */
  sessionEvents: SessionEventService;
}

/**
 * Runs a call's IVR flow on its session: feeds the interpreter the call's events (start, digits,
 * queue waits and timeouts, an agent connecting or leaving, an HTTP result, a dial or voicemail
 * ending), applies the steps it returns — actions for the customer leg, the new IVR state stored
 * with the session, a transfer queueing the caller — and replays the flow from the stored state.
 * Every step runs on the session row locked or conditionally updated, like the rest of the call
 * path, so duplicate and out-of-order webhooks are harmless.
 *
 * Actions come back without the tenant's TTS voice: the call flow adds it to what it answers.
 */
export class IvrRunner {
  private readonly d: IvrRunnerDeps;

  constructor(deps: IvrRunnerDeps) {
    // The cradle proxy, kept whole: `telephony` is registered after the adapter is installed.
    this.d = deps;
  }

  /** The interpreter's view of the call now (clock and system variables). */
  private context(tx: DbTx, session: CallSessionRow, graph: IvrGraph, settings?: TenantSettings): Promise<IvrContext> {
    return ivrContext(tx, this.d.clock.now(), session, graph, settings);
  }

  /** IVR prompt → telephony prompt. Audio-library prompts (IVR-03) play the file's signed URL;
   * resolved without a database read (the id was checked when the flow was saved, and a file
   * cannot be deleted while a runnable flow version plays it). */
  private prompt(p: IvrPrompt): Prompt | undefined {
    if (p.kind === 'say' || p.kind === 'play') return p;
    return { kind: 'play', url: this.d.audioLibrary.playUrl(p.audioId) };
  }

  // ───────────────────────────── events of the flow ─────────────────────────────

  /** A new call enters its flow (the first webhook; the tenant's settings came with the number). */
  async start(session: CallSessionRow, graph: IvrGraph, settings: TenantSettings): Promise<CallAction[]> {
    const step = startIvr(graph, await this.context(this.d.db, session, graph, settings));
    return this.d.db.transaction((tx) => this.apply(tx, session, graph, step));
  }

  /** Digits (or a timeout) for the flow's `collect`. */
  async digits(sessionId: string, input: { step: string; digits: string; timedOut: boolean }): Promise<CallAction[]> {
    return this.d.db.transaction(async (tx): Promise<CallAction[]> => {
      const session = await lockSession(tx, sessionId);
      if (!session || session.state !== 'ivr' || !session.ivrState)
        return session?.state === 'ended' ? [{ type: 'hangup' }] : [];
      const graph = await graphOf(tx, session);
      if (!graph) return [{ type: 'hangup' }];
      const step = stepIvr(
        graph,
        session.ivrState,
        { type: 'digits', ...input },
        await this.context(tx, session, graph),
      );
      return this.apply(tx, session, graph, step);
    });
  }

  /**
   * A queue-wait round of a queued caller: `[leaveQueue]` when the queue timeout (IVR-16) is
   * reached, else the flow's wait prompts (IVR-15). Null: the flow has nothing to say (the
   * built-in announcement plays).
   */
  async queueWait(
    session: CallSessionRow,
    wait: { position: number; size: number; waitedSeconds: number },
  ): Promise<CallAction[] | null> {
    const graph = session.ivrState ? await graphOf(this.d.db, session) : undefined;
    if (!graph || !session.ivrState) return null;
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
    // `${WaitNo}` = callers ahead.
    const round = stepIvr(
      graph,
      session.ivrState,
      { type: 'queueWait', nodeId: session.ivrState.node, waitNo: wait.position },
      await this.context(this.d.db, session, graph),
    );
    const actions = round.effects.flatMap((e): CallAction[] => {
      if (e.type !== 'prompt') return [];
      const p = this.prompt(e.prompt);
      return p ? [{ type: 'prompt', prompt: p }] : [];
    });
    return actions.length ? actions : null;
  }

  /**
   * The caller left the queue to answer the queue-timeout prompt (IVR-16/17). Null: a leave the
   * flow did not ask for (or a duplicate) — the caller replays from the stored state.
   */
  async queueLeft(ctx: LegContext): Promise<CallAction[] | null> {
    return this.d.db.transaction(async (tx) => {
      const session = await lockSession(tx, ctx.sessionId);
      if (!session || session.tenantId !== ctx.tenantId) return [{ type: 'hangup' } as const];
      if (session.state !== 'ivr' || session.ivrState?.wait !== 'queue') return null;
      const graph = await graphOf(tx, session);
      if (!graph) return [{ type: 'hangup' } as const];
      const step = stepIvr(
        graph,
        session.ivrState,
        { type: 'queueTimeout', nodeId: session.ivrState.node },
        await this.context(tx, session, graph),
      );
      return this.apply(tx, session, graph, step);
    });
  }

  /**
   * The caller joins the agent's room: the flow's connect prompt, `${StaffNo}` = the agent's
   * staff number (IVR-19), and whether the caller must outlive the agent there (a survey after
   * the agent, IVR-22).
   */
  async agentConnected(session: CallSessionRow): Promise<{ lead: CallAction[]; afterAgent: boolean }> {
    const lead: CallAction[] = [];
    let afterAgent = false;
    const graph = session.ivrState ? await graphOf(this.d.db, session) : undefined;
    if (graph && session.ivrState && session.agentId) {
      const [agent] = await this.d.db
        .select({ staffNo: users.staffNo })
        .from(users)
        .where(eq(users.id, session.agentId));
      const connected = stepIvr(
        graph,
        session.ivrState,
        { type: 'agentConnected', nodeId: session.ivrState.node, staffNo: agent?.staffNo ?? '' },
        await this.context(this.d.db, session, graph),
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
    return { lead, afterAgent };
  }

  /**
   * A customer leg redirected while in the IVR with something to continue: a pending event (an
   * HTTP node's result) or the agent having hung up (survey, IVR-22). Null: nothing of ours.
   */
  async resume(sessionId: string): Promise<CallAction[] | null> {
    return this.d.db.transaction(async (tx) => {
      const session = await lockSession(tx, sessionId);
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
      const graph = await graphOf(tx, session);
      if (!graph) return [{ type: 'hangup' } as const];
      if (session.ivrEvent)
        await tx.update(callSessions).set({ ivrEvent: null }).where(eq(callSessions.id, session.id));
      return this.apply(
        tx,
        { ...session, ivrEvent: null },
        graph,
        stepIvr(graph, st, event, await this.context(tx, session, graph)),
      );
    });
  }

  /** The external transfer's dial ended (IVR-25). */
  async dialResult(
    ctx: LegContext,
    result: { step: string; answered: boolean; status: string; callerGone?: boolean },
  ): Promise<CallAction[]> {
    return this.d.db.transaction(async (tx) => {
      const session = await lockSession(tx, ctx.sessionId);
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
      const graph = await graphOf(tx, session);
      if (!graph) return [{ type: 'hangup' }];
      return this.apply(
        tx,
        session,
        graph,
        stepIvr(graph, st, { type: 'externalFailed', nodeId: st.node }, await this.context(tx, session, graph)),
      );
    });
  }

  /** A leg of an external transfer: once it answers, the call counts as served (`ok`). */
  async externalLegStatus(sessionId: string, status: LegStatus): Promise<void> {
    if (status !== 'answered') {
      await touchSession(this.d.db, sessionId);
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
  async voicemailDone(ctx: LegContext, input: { step: string }): Promise<CallAction[]> {
    const session = await findSession(this.d.db, ctx.sessionId);
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
      const s = await lockSession(tx, ctx.sessionId);
      if (!s || s.state === 'ended') return [{ type: 'hangup' }];
      const st = s.ivrState;
      // `step` names the take: a recording a replay cut short is kept, but the flow waits for this one.
      if (s.state !== 'ivr' || !st || takeStep(st.node, st) !== input.step || st.wait !== 'voicemail') return [];
      const graph = await graphOf(tx, s);
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
        await this.context(tx, s, graph),
      );
      return this.apply(tx, s, graph, step);
    });
  }

  // ───────────────────────────── replays ─────────────────────────────

  /**
   * The flow again from the session's stored IVR state (a retried or redirected webhook). Null:
   * the session is not in the IVR, or its flow version is gone.
   */
  async replay(session: CallSessionRow): Promise<CallAction[] | null> {
    if (session.state !== 'ivr' || !session.ivrState) return null;
    const graph = await graphOf(this.d.db, session);
    if (!graph) return null;
    const resumed = await this.replayQueueQuestion(session, graph);
    if (resumed) return resumed;
    // Keep the caller's variables: a replayed webhook must not forget collected digits.
    // Voicemail and external transfer start their node again (README: replays): the first
    // message is kept as its own recording, a new dial replaces the one the redirect ended.
    let step = resumeAt(graph, session.ivrState.node, session.ivrState, await this.context(this.d.db, session, graph));
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
    return this.d.db.transaction((tx) => this.apply(tx, session, graph, taken));
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
      const s = await lockSession(tx, session.id);
      const st = s?.ivrState;
      if (!s || s.state !== 'ivr' || !st || (st.wait !== 'queueTimeout' && st.wait !== 'queue')) return null;
      const node = graph.nodes.find((n) => n.id === st.node);
      if (node?.type !== 'transfer') return null;
      const ask = stepIvr(
        graph,
        { ...st, wait: 'queue' },
        { type: 'queueTimeout', nodeId: st.node },
        await this.context(tx, s, graph),
      );
      if (ask.effects.length) return this.apply(tx, s, graph, ask);
      return this.requeue(tx, s);
    });
  }

  // ───────────────────────────── applying a step ─────────────────────────────

  /** Turns interpreter effects into actions and stores the new IVR state (inside `tx`). */
  private async apply(tx: DbTx, session: CallSessionRow, graph: IvrGraph, step: IvrStep): Promise<CallAction[]> {
    const actions: CallAction[] = [];
    const keys = [...session.ivrKeys];
    let transfer: Extract<IvrEffect, { type: 'transfer' }> | undefined;
    let outOfHours = false;
    const variables: Record<string, string> = { ...session.variables };
    let surveyResult: SurveyResult | undefined;
    let http: HttpRequestEffect | undefined;
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
          // Off the webhook path (ivr-http.ts): the caller waits in silence; once the result is
          // in, the leg is redirected (`resume` applies it).
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
        ...(http ? { ivrEvent: httpPending(http) } : {}),
        // `#` at the queue-timeout prompt: the caller gave up waiting (the hang-up follows).
        ...(leftQueue ? { endStatus: END_STATUS.waitingGiveUp, hungUpSide: 'user' as const } : {}),
      })
      .where(eq(callSessions.id, session.id));
    if (http) {
      const request = http;
      setImmediate(() => runHttpNode(this.d, session, request));
    }
    if (keep) return [...actions, ...(await this.requeue(tx, session))];
    if (!transfer) return actions;
    return [...actions, ...(await this.transfer(tx, session, keys, graph, step, transfer))];
  }

  /**
   * A transfer to a skill group (the tail of {@link apply}): queue the caller, unless nobody in
   * the group (or its overflow group) is online — then the flow's no-agent branch.
   */
  private async transfer(
    tx: DbTx,
    session: CallSessionRow,
    /** The keys pressed up to this step (the no-agent branch stores them again). */
    keys: CallSessionRow['ivrKeys'],
    graph: IvrGraph,
    step: IvrStep,
    transfer: Extract<IvrEffect, { type: 'transfer' }>,
  ): Promise<CallAction[]> {
    // IVR-20: the transfer node's overflow group, else the one the group itself names.
    const overflowSkillGroupId =
      transfer.overflowSkillGroupId ?? (await this.groupOverflow(tx, session.tenantId, transfer.skillGroupId));
    let online = await this.onlineIn(tx, session.tenantId, transfer.skillGroupId);
    // A group with nobody online is as "all busy" as it gets: the overflow group's online
    // agents can still serve the caller, so queue (the ACD offers them the call).
    if (online === 0 && overflowSkillGroupId) online = await this.onlineIn(tx, session.tenantId, overflowSkillGroupId);
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
        await this.context(tx, session, graph),
      );
      const flowActions = await this.apply(tx, { ...session, ivrKeys: keys }, graph, next);
      const hasPrompt = next.effects.some((e) => e.type === 'prompt' || e.type === 'collect');
      if (!hasPrompt && !transfer.noAgentNext) {
        return [say('All our agents are offline at the moment. Please call again later.'), { type: 'hangup' }];
      }
      return flowActions;
    }
    return this.enqueue(tx, session, {
      skillGroupId: transfer.skillGroupId,
      priority: transfer.priority,
      overflowSkillGroupId: overflowSkillGroupId ?? null,
      preferredAgent: transfer.preferredAgent ?? null,
    });
  }

  /**
   * Puts a caller still in the IVR into a skill group's queue, with the ACD's routing inputs
   * (IVR-20 overflow group, IVR-21 preferred agent), and dispatches once the transaction has
   * committed (the queued row must be visible).
   */
  private async enqueue(
    tx: DbTx,
    session: CallSessionRow,
    q: { skillGroupId: string; priority: number; overflowSkillGroupId: string | null; preferredAgent: string | null },
  ): Promise<CallAction[]> {
    const [queuedNow] = await tx
      .update(callSessions)
      .set({
        state: 'queued',
        queuedSkillGroupId: q.skillGroupId,
        queuePriority: q.priority,
        queuedAt: new Date(),
        endStatus: null,
        overflowSkillGroupId: q.overflowSkillGroupId,
        preferredAgent: q.preferredAgent,
      })
      .where(and(eq(callSessions.id, session.id), eq(callSessions.state, 'ivr')))
      .returning({ id: callSessions.id });
    const { tenantId, id } = session;
    setImmediate(() => {
      // Before the dispatch, so the supervisor sees `queued` before the `offering` it leads to.
      if (queuedNow)
        this.d.sessionEvents.publishState({
          session: { ...session, queuedSkillGroupId: q.skillGroupId },
          state: 'queued',
          previous: 'ivr',
          reason: 'transfer',
        });
      this.d.acdService
        .dispatch(tenantId, q.skillGroupId)
        .catch(this.d.background.failed('acd.dispatch', { tenantId, sessionId: id }));
      void this.d.pluginHost
        .emit('call.queued', {
          ...hookBase(session),
          skillGroupId: q.skillGroupId,
          idempotencyKey: `queued:${id}:${q.skillGroupId}`,
        })
        .catch(this.d.background.failed('ivr.hookQueued', { tenantId, sessionId: id }));
    });
    return [{ type: 'enqueue', queue: queueName(q.skillGroupId) }];
  }

  /**
   * OUT-12/13 (外呼记忆): a customer who calls back within the tenant's window of an agent calling
   * them skips the IVR and is queued for that agent — as the preferred agent (IVR-21) of the group
   * the outbound call went through (else one of the agent's groups), so an idle agent is rung at
   * once and a busy one is waited for (the tenant's preferred-agent wait), then their group.
   * Advanced tenants may send the caller to the IVR instead when the agent is not idle (OUT-13).
   * Returns undefined when the call goes through the IVR as usual: memory off, nobody called this
   * customer lately, or nobody could take the call.
   */
  async routeByOutboundMemory(
    session: CallSessionRow,
    tenantSettings: TenantSettings,
    edition: 'standard' | 'advanced',
  ): Promise<CallAction[] | undefined> {
    const s = agentSettingsOf(tenantSettings, { wrapUpSeconds: 0 });
    if (s.outboundMemoryDays === 0 || session.direction !== 'inbound') return undefined;
    return this.d.db.transaction(async (tx) => {
      const memory = await outboundMemoryOf(tx, session.tenantId, session.caller, s.outboundMemoryDays);
      if (!memory) return undefined;
      const [agent] = await tx
        .select({ state: agents.state })
        .from(agents)
        .where(and(eq(agents.tenantId, session.tenantId), eq(agents.userId, memory.userId)));
      if (!agent) return undefined;
      if (s.outboundMemoryFallback === 'ivr' && edition === 'advanced' && agent.state !== 'idle') return undefined;
      // The group the outbound call went through, if the agent is still in it; else one of theirs.
      const [member] = await tx
        .select({ skillGroupId: skillGroupMembers.skillGroupId })
        .from(skillGroupMembers)
        .where(and(eq(skillGroupMembers.tenantId, session.tenantId), eq(skillGroupMembers.userId, memory.userId)))
        .orderBy(
          sql`(${skillGroupMembers.skillGroupId} = ${memory.skillGroupId}) desc`,
          asc(skillGroupMembers.skillGroupId),
        )
        .limit(1);
      if (!member) return undefined;
      // An offline agent with nobody online in their group: the IVR says what to do.
      if (agent.state === 'offline' && (await this.onlineIn(tx, session.tenantId, member.skillGroupId)) === 0)
        return undefined;
      this.d.logger.info(
        { sessionId: session.id, agentId: memory.userId, skillGroupId: member.skillGroupId },
        'outbound memory: the caller goes to the agent who called them (OUT-12)',
      );
      return this.enqueue(tx, session, {
        skillGroupId: member.skillGroupId,
        // The IVR's default: a remembered caller waits in line like any other.
        priority: 100,
        overflowSkillGroupId: null,
        preferredAgent: memory.userId,
      });
    });
  }

  /** How many of a skill group's members are online (any state but offline). */
  /** The overflow group a skill group names for itself (IVR-20), if any. */
  private async groupOverflow(tx: DbTx, tenantId: string, skillGroupId: string): Promise<string | null> {
    const [row] = await tx
      .select({ overflow: skillGroups.overflowSkillGroupId })
      .from(skillGroups)
      .where(and(eq(skillGroups.tenantId, tenantId), eq(skillGroups.id, skillGroupId)));
    return row?.overflow ?? null;
  }

  private async onlineIn(tx: DbTx, tenantId: string, skillGroupId: string): Promise<number> {
    const members = await tx
      .select({ userId: skillGroupMembers.userId })
      .from(skillGroupMembers)
      .where(and(eq(skillGroupMembers.tenantId, tenantId), eq(skillGroupMembers.skillGroupId, skillGroupId)));
    return this.d.agentService.countOnline(
      tx,
      tenantId,
      members.map((m) => m.userId),
    );
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
        .catch(this.d.background.failed('acd.dispatch', { tenantId, sessionId: id }));
    });
    return [{ type: 'enqueue', queue: queueName(groupId) }];
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
