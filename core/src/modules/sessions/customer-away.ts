import { and, eq } from 'drizzle-orm';
import type { BackgroundSteps } from '../../background.js';
import type { Db, DbTx } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import type { CallAction, LegContext, Prompt, TelephonyPort } from '../../telephony/types.js';
import type { Principal } from '../auth/principal.js';
import type { CallFlowService } from '../calls/call-flow.js';
import { customerContext, say } from '../calls/call-steps.js';
import { callSessions, type CallSessionRow } from '../calls/schema.js';
import { resumeAt, startIvr, stepIvr, type IvrStep } from '../ivr/interpreter.js';
import type { IvrGraph } from '../ivr/flow-model.js';
import { ivrFlowVersions, ivrFlows } from '../ivr/schema.js';
import { userOf, type ControlAccess } from './control-access.js';
import { maskDigits } from './legs.js';
import { collectTemplates, sessionControls, type CollectTemplateRow, type SessionControlRow } from './schema.js';

/** Steps of `collectDigits` that belong to call control (not to the call's IVR). */
const STEP_PREFIX = 'ctl:';
const COLLECT_STEP = 'ctl:collect:';
const SELF_SERVICE_STEP = 'ctl:ivr:';

/** What {@link CustomerAway} needs: the lazy cradle, passed whole. */
export interface CustomerAwayDeps {
  db: Db;
  background: BackgroundSteps;
  telephony: TelephonyPort;
  callFlow: CallFlowService;
}

/**
 * The customer sent out of the room and back while the agent waits: to key in digits for a
 * template (CTL-10) or through a self-service IVR flow (CTL-11). `session_controls.customer_mode`
 * says where they are, so whichever instance the provider's next webhook reaches carries on.
 */
export class CustomerAway {
  // The lazy cradle, kept whole: reading a dependency here would resolve it too early.
  constructor(
    private readonly d: CustomerAwayDeps,
    private readonly access: ControlAccess,
  ) {}

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
        // The template went away meanwhile: nothing to check the digits against, back to the room.
        if (!template) {
          await tx
            .update(sessionControls)
            .set({ customerMode: null, collect: null, updatedAt: new Date() })
            .where(eq(sessionControls.sessionId, session.id));
          return { session, c, actions: [this.customerRoom(session, c)] };
        }
        const tries = (c.collect.failures ?? 0) + 1;
        const failure = collectFailure(template, input);
        if (failure && tries < template.maxTries) {
          // Another try: the failure prompt, then the template's prompt again.
          await tx
            .update(sessionControls)
            .set({ collect: { ...c.collect, failures: tries }, updatedAt: new Date() })
            .where(eq(sessionControls.sessionId, session.id));
          return { session, c, actions: [collectAction(template, { retry: true })] };
        }
        const variables = failure ? c.variables : { ...c.variables, [template.variable]: input.digits };
        await tx
          .update(sessionControls)
          .set({ variables, customerMode: null, collect: null, updatedAt: new Date() })
          .where(eq(sessionControls.sessionId, session.id));
        // Out of tries: the failure prompt (if any) and back to the agent, who is told it failed.
        const parting = failure ? (template.failurePrompt ? [say(template.failurePrompt)] : []) : [say('Thank you.')];
        return {
          session,
          c: { ...c, variables },
          actions: [...parting, this.customerRoom(session, c)],
          digits: { template, requestedBy: c.collect.requestedBy, tries, failure },
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
      const { template, requestedBy, tries, failure } = out.digits;
      const digits = failure ? '' : input.digits;
      this.access.publish(out.session, [requestedBy], 'session.digits', {
        sessionId: out.session.id,
        templateId: template.id,
        variable: template.variable,
        digits: template.mask ? maskDigits(digits) : digits,
        timedOut: input.timedOut,
        failed: failure !== null,
        ...(failure ? { reason: failure } : {}),
        tries,
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
    })().catch(
      this.d.background.failed('control.publishCustomerBack', { tenantId: session.tenantId, sessionId: session.id }),
    );
  }

  private async graphOf(db: Db | DbTx, tenantId: string, versionId: string): Promise<IvrGraph | undefined> {
    const [row] = await db
      .select({ graph: ivrFlowVersions.graph })
      .from(ivrFlowVersions)
      .where(and(eq(ivrFlowVersions.tenantId, tenantId), eq(ivrFlowVersions.id, versionId)));
    return row?.graph;
  }

  // ───────────────────────────── call path hooks ─────────────────────────────

  /**
   * The customer redirected while call control has them out of the room: into the digits, the
   * self-service flow, or back (`rejoin`, after an external transfer). Undefined = not ours.
   */
  async onRedirect(ctx: LegContext, session: CallSessionRow): Promise<CallAction[] | undefined> {
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
    const back = await this.d.telephony.isAlive(session.customerCallSid).catch((err: unknown) => {
      // Unknown is gone: the agent's leg hangs up rather than waiting in an empty room.
      this.d.background.report('control.customerAlive', { tenantId: session.tenantId, sessionId: session.id }, err);
      return false;
    });
    return back ? [rejoin] : [{ type: 'hangup' }];
  }

  /** The customer back in the room (a new one after an external transfer). */
  private customerRoom(session: CallSessionRow, c: SessionControlRow | undefined): CallAction {
    return { type: 'joinRoom', room: c?.room ?? session.id, role: 'customer', endRoomOnExit: true };
  }
}

/**
 * A template's `collectDigits` step: its prompt (after the failure prompt on a retry), its
 * digit rules, our step id. A fixed length is `numDigits`; a range is `minDigits`/`maxDigits`,
 * so jambonz returns what was typed at the timeout once the minimum is there, and stops at the
 * maximum. Lengths are checked again on the answer ({@link collectFailure}): the finish key
 * can end a gather below the minimum.
 */
function collectAction(t: CollectTemplateRow, opts: { retry?: boolean } = {}): CallAction {
  return {
    type: 'collectDigits',
    prompts: [
      ...(opts.retry && t.failurePrompt ? [{ kind: 'say' as const, text: t.failurePrompt }] : []),
      { kind: 'say', text: t.prompt },
    ],
    ...(t.minDigits === t.maxDigits ? { numDigits: t.maxDigits } : { minDigits: t.minDigits, maxDigits: t.maxDigits }),
    ...(t.finishOnKey ? { finishOnKey: t.finishOnKey } : {}),
    timeoutSeconds: t.timeoutSeconds,
    step: `${COLLECT_STEP}${t.id}`,
  };
}

/** Why a try of a template failed, or null when the digits are good. */
function collectFailure(
  t: Pick<CollectTemplateRow, 'minDigits' | 'maxDigits'>,
  input: { digits: string; timedOut: boolean },
): 'timeout' | 'invalid' | null {
  if (input.timedOut && input.digits.length === 0) return 'timeout';
  if (!/^[0-9*#]*$/.test(input.digits)) return 'invalid';
  if (input.digits.length < t.minDigits || input.digits.length > t.maxDigits) return 'invalid';
  return null;
}
