import { and, eq, isNull } from 'drizzle-orm';
import type { Db, DbTx } from '../../db/database.js';
import type { CallAction, LegContext } from '../../telephony/types.js';
import { say } from '../calls/call-steps.js';
import { callOffers, callSessions, type CallSessionRow } from '../calls/schema.js';
import type { SessionEndService } from '../calls/session-end.js';
import type { TenantRepo } from '../tenants/repo.js';
import { readSetting, type OutboundSurvey as SurveyTemplate } from '../tenants/settings-schema.js';

/** Steps of the survey's `collectDigits`: `ctl:survey:<try>` (the try travels with the step). */
const SURVEY_STEP = 'ctl:survey:';
/** `surveyResult.nodeId` of an outbound survey: there is no flow node, the tenant's template asks. */
const SURVEY_NODE = 'outboundSurvey';

/** What {@link OutboundSurveys} needs: the lazy cradle, passed whole. */
export interface OutboundSurveyDeps {
  db: Db;
  tenantRepo: TenantRepo;
  sessionEnd: SessionEndService;
}

/**
 * OUT-11 (advanced): when the agent hangs up first on a call they placed, the customer stays on
 * and is asked the tenant's outbound survey (`settings.outboundSurvey`); the key pressed goes
 * into the record (`surveyResult`, `satisfaction`), as an inbound flow's survey does (IVR-22).
 *
 * The agent joins such calls with `endRoomOnExit: false`, so the room outlives them; their
 * leaving hands the session over (see {@link SessionEndService.handOverToSurvey}: the agent to
 * wrap-up, the session to `ivr`, the customer redirected here). An outbound session in `ivr` is
 * one in its survey — nothing else puts a call the agent placed there — so whichever instance
 * the provider's next webhook reaches carries on without any other state.
 */
export class OutboundSurveys {
  // The lazy cradle, kept whole: reading a dependency here would resolve it too early.
  constructor(private readonly d: OutboundSurveyDeps) {}

  /**
   * The tenant's survey when it applies: an advanced tenant with a template set. `tx`: read
   * inside the caller's transaction (the call path answers a leg in one).
   */
  async templateOf(tenantId: string, tx?: DbTx): Promise<SurveyTemplate | null> {
    const tenant = await this.d.tenantRepo.findById(tenantId, tx);
    // A tenant moved down to standard keeps its template stored, unused.
    if (tenant?.edition !== 'advanced') return null;
    return readSetting(tenant.settings, 'outboundSurvey');
  }

  /** Whether the session is a call the agent placed, now in its survey. */
  inSurvey(session: CallSessionRow): boolean {
    return session.direction === 'outbound' && session.state === 'ivr';
  }

  /**
   * The agent's leg left a connected call they placed: with a survey, the customer is handed
   * over to it (true); otherwise the call ends as usual (false).
   */
  async agentLeft(session: CallSessionRow, offerId?: string): Promise<boolean> {
    if (session.direction !== 'outbound' || session.state !== 'bridged') return false;
    if (!(await this.templateOf(session.tenantId))) return false;
    const id = offerId ?? (await this.servingOfferId(session.id));
    if (!id) return false;
    return this.d.sessionEnd.handOverToSurvey(session, id);
  }

  /** Whether a `collectDigits` step is the survey's. */
  ownsStep(step: string): boolean {
    return step.startsWith(SURVEY_STEP);
  }

  /** The customer redirected after the agent left: the first question. Undefined: not ours. */
  async onRedirect(ctx: LegContext, session: CallSessionRow): Promise<CallAction[] | undefined> {
    if (ctx.role !== 'customer' || !this.inSurvey(session)) return undefined;
    const template = await this.templateOf(session.tenantId);
    // Taken away while the agent was leaving: nothing to ask.
    if (!template) return [{ type: 'hangup' }];
    return [ask(template, 1)];
  }

  /**
   * The key the customer pressed: a listed one is stored (once) and thanked; a wrong key or
   * silence asks again up to `maxRetries` times; then the call ends without an answer.
   */
  async onDigits(ctx: LegContext, input: { step: string; digits: string; timedOut: boolean }): Promise<CallAction[]> {
    const [session] = await this.d.db
      .select()
      .from(callSessions)
      .where(and(eq(callSessions.id, ctx.sessionId), eq(callSessions.tenantId, ctx.tenantId)));
    if (!session || !this.inSurvey(session)) return [{ type: 'hangup' }];
    const template = await this.templateOf(session.tenantId);
    if (!template) return [{ type: 'hangup' }];
    const option = template.options.find((o) => o.key === input.digits);
    if (option) {
      // A duplicate answer (the provider retried the webhook) keeps the first one.
      await this.d.db
        .update(callSessions)
        .set({
          surveyResult: { nodeId: SURVEY_NODE, key: option.key, label: option.label, timestamp: Date.now() },
          lastEventAt: new Date(),
        })
        .where(and(eq(callSessions.id, session.id), eq(callSessions.state, 'ivr'), isNull(callSessions.surveyResult)));
      return [...(template.thanksPrompt ? [say(template.thanksPrompt)] : []), { type: 'hangup' }];
    }
    const tries = Number(input.step.slice(SURVEY_STEP.length)) || 1;
    if (tries > template.maxRetries) return [{ type: 'hangup' }];
    return [ask(template, tries + 1, input.digits === '' ? 'timeout' : 'invalid')];
  }

  private async servingOfferId(sessionId: string): Promise<string | undefined> {
    const [offer] = await this.d.db
      .select({ id: callOffers.id })
      .from(callOffers)
      .where(and(eq(callOffers.sessionId, sessionId), eq(callOffers.state, 'accepted')))
      .limit(1);
    return offer?.id;
  }
}

/** The survey's question: after a wrong key or silence, the template's word for it first. */
function ask(t: SurveyTemplate, attempt: number, after?: 'invalid' | 'timeout'): CallAction {
  const lead = after === 'invalid' ? t.invalidPrompt : after === 'timeout' ? t.timeoutPrompt : undefined;
  return {
    type: 'collectDigits',
    prompts: [...(lead ? [{ kind: 'say' as const, text: lead }] : []), { kind: 'say', text: t.prompt }],
    numDigits: 1,
    timeoutSeconds: t.timeoutSeconds,
    step: `${SURVEY_STEP}${attempt}`,
  };
}
