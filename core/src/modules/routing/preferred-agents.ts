import { and, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { BackgroundSteps } from '../../background.js';
import type { Db } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import type { AgentService } from '../agents/service.js';
import { callSessions } from '../calls/schema.js';
import { users } from '../users/schema.js';
import type { AcdService } from './acd.js';
import { preferredAgents } from './schema.js';

/** Marks a caller or a session with an agent (IVR-21). */
export interface PreferredAgentInput {
  callerNumber?: string | undefined;
  sessionId?: string | undefined;
  agentId?: string | undefined;
  staffNo?: string | undefined;
  /** How long a caller-number mark lasts (default one hour). */
  expiresInSeconds?: number | undefined;
}

/** A mark as the API returns it. */
export interface PreferredAgentMark {
  agentId: string;
  staffNo: string;
  callerNumber: string | null;
  sessionId: string | null;
  expiresAt: string | null;
}

const DEFAULT_MARK_SECONDS = 3600;

/**
 * IVR-21 through the API: "offer this caller (or this live call) to that agent first".
 *
 * The rule, applied by the ACD ({@link AcdService}): once a caller with a preferred agent queues
 * (or the mark arrives while they wait), the call is offered to that agent alone for
 * `preferredAgentWaitSeconds` (agent settings, default 20) — at once if they are idle, or as soon
 * as they become idle within the window. The call is not held when the preferred agent is
 * offline, notReady or resting, or after they missed it once: it goes to the group straight
 * away. After the window the group takes it as usual, the preferred agent still ranked first.
 */
export class PreferredAgentService {
  private readonly d: {
    db: Db;
    logger: Logger;
    background: BackgroundSteps;
    agentService: AgentService;
    acdService: AcdService;
  };

  constructor(deps: PreferredAgentService['d']) {
    this.d = deps;
  }

  async mark(tenantId: string, input: PreferredAgentInput): Promise<PreferredAgentMark> {
    const [agent] = await this.d.db
      .select({ id: users.id, staffNo: users.staffNo })
      .from(users)
      .where(
        and(
          eq(users.tenantId, tenantId),
          input.agentId ? eq(users.id, input.agentId) : eq(users.staffNo, input.staffNo ?? ''),
        ),
      );
    if (!agent) throw createError('not_found', 'No agent with that id or staff number');
    const { preferredAgentWaitSeconds } = await this.d.agentService.settings(tenantId);
    const hold = sql`now() + make_interval(secs => ${preferredAgentWaitSeconds})`;

    if (input.sessionId) {
      // A mark on one live call: it applies now (or at the next re-queue while an offer rings).
      const [s] = await this.d.db
        .update(callSessions)
        .set({ preferredAgentId: agent.id, preferredUntil: hold })
        .where(
          and(
            eq(callSessions.tenantId, tenantId),
            eq(callSessions.id, input.sessionId),
            inArray(callSessions.state, ['ivr', 'queued', 'offering']),
          ),
        )
        .returning({ id: callSessions.id });
      if (!s) throw createError('not_found', 'No live call with that session id');
      this.dispatch(tenantId);
      return { agentId: agent.id, staffNo: agent.staffNo, callerNumber: null, sessionId: s.id, expiresAt: null };
    }

    const callerNumber = (input.callerNumber ?? '').replace(/[^0-9*#]/g, '');
    const seconds = input.expiresInSeconds ?? DEFAULT_MARK_SECONDS;
    const expiresAt = new Date(Date.now() + seconds * 1000);
    await this.d.db.transaction(async (tx) => {
      await tx
        .delete(preferredAgents)
        .where(and(eq(preferredAgents.tenantId, tenantId), lt(preferredAgents.expiresAt, new Date())));
      await tx
        .insert(preferredAgents)
        .values({ tenantId, callerNumber, agentId: agent.id, expiresAt })
        .onConflictDoUpdate({
          target: [preferredAgents.tenantId, preferredAgents.callerNumber],
          set: { agentId: agent.id, expiresAt, createdAt: new Date() },
        });
      // The caller may already be waiting ("during the transfer"): the mark applies to them now.
      await tx
        .update(callSessions)
        .set({ preferredAgentId: agent.id, preferredUntil: hold })
        .where(
          and(
            eq(callSessions.tenantId, tenantId),
            eq(callSessions.caller, callerNumber),
            or(eq(callSessions.state, 'queued'), eq(callSessions.state, 'offering')),
          ),
        );
    });
    this.dispatch(tenantId);
    return {
      agentId: agent.id,
      staffNo: agent.staffNo,
      callerNumber,
      sessionId: null,
      expiresAt: expiresAt.toISOString(),
    };
  }

  /** A waiting caller may now go to the preferred agent (not awaited: the API answers at once). */
  private dispatch(tenantId: string): void {
    void this.d.acdService.dispatchAllOf(tenantId).catch(this.d.background.failed('acd.dispatchAllOf', { tenantId }));
  }
}
