import { randomUUID } from 'node:crypto';
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { BackgroundSteps } from '../../background.js';
import type { ResolvedConfig } from '../../config/config.js';
import type { Db, DbTx } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import type { PluginHost } from '../../plugins/host.js';
import type { EventBus } from '../../realtime/bus.js';
import type { AcdService } from '../routing/acd.js';
import { rememberServingAgent } from '../routing/memory.js';
import { presenceOf } from '../colleagues/presence.js';
import type { MonitorService } from '../monitoring/service.js';
import type { SkillGroupRepo } from '../skill-groups/repo.js';
import { tenants } from '../tenants/schema.js';
import { agentStateLog, agents, type AgentRow, type AgentState } from './schema.js';
import {
  AGENT_SETTINGS_KEY,
  agentSettingsOf,
  assertAgentSettingsEdition,
  type AgentSettings,
  type AgentSettingsPatch,
} from './settings.js';
import { canTransition, statesFrom, type Actor } from './state-machine.js';

/** States an agent may choose; the others are set by the call logic. */
export const SELF_STATES = ['idle', 'notReady', 'rest', 'offline'] as const;
export type SelfState = (typeof SELF_STATES)[number];

/** A state change to announce once its transaction has committed. */
export interface StateChange {
  tenantId: string;
  userId: string;
  from: AgentState;
  to: AgentState;
  reason: string | null;
  at: Date;
  actor: Actor;
}

/** Options of {@link AgentService.transition}. */
export interface TransitionOptions {
  reason?: string | null;
  sessionId?: string | null;
  wrapUpUntil?: Date | null;
  /** Who causes the change (default `system`): checked against the transition table. */
  actor?: Actor;
  /** The admin behind an `admin` change, for the state log. */
  actorId?: string | null;
  /**
   * A call the agent places (OUT-01, CTL-07): remember the state they leave for `busy` (idle,
   * notReady or rest with its reason), to give it back after the call and its wrap-up.
   */
  remember?: boolean;
  /**
   * The end of a call that never reached the agent (their own device did not answer a call
   * they placed): straight back, without wrap-up.
   */
  noWrapUp?: boolean;
}

/**
 * Agent states and their log. Every change is a conditional UPDATE on the expected current
 * state, so two instances (or a webhook and an API call) can never both move an agent, and every
 * change is checked against the transition table ({@link TRANSITIONS}).
 */
export class AgentService {
  private readonly db: Db;
  private readonly logger: Logger;
  private readonly bus: EventBus;
  private readonly config: ResolvedConfig;
  private readonly cradle: {
    pluginHost: PluginHost;
    acdService: AcdService;
    background: BackgroundSteps;
    monitorService: MonitorService;
    skillGroupRepo: SkillGroupRepo;
  };

  constructor(deps: {
    db: Db;
    logger: Logger;
    background: BackgroundSteps;
    bus: EventBus;
    config: ResolvedConfig;
    pluginHost: PluginHost;
    acdService: AcdService;
    monitorService: MonitorService;
    skillGroupRepo: SkillGroupRepo;
  }) {
    this.db = deps.db;
    this.logger = deps.logger;
    this.bus = deps.bus;
    this.config = deps.config;
    // Resolved lazily: the plugin host is registered after the services, and the ACD needs us.
    this.cradle = deps;
  }

  /** Makes sure a user has an agent row (idempotent). */
  async ensure(tenantId: string, userId: string, sipUser: string | null): Promise<AgentRow> {
    await this.db
      .insert(agents)
      .values({ tenantId, userId, sipUser })
      .onConflictDoUpdate({
        target: agents.userId,
        set: { sipUser: sql`coalesce(excluded.sip_user, ${agents.sipUser})` },
      });
    return (await this.get(tenantId, userId))!;
  }

  async get(tenantId: string, userId: string): Promise<AgentRow | undefined> {
    const [row] = await this.db
      .select()
      .from(agents)
      .where(and(eq(agents.tenantId, tenantId), eq(agents.userId, userId)));
    return row;
  }

  async list(tenantId: string): Promise<AgentRow[]> {
    return this.db.select().from(agents).where(eq(agents.tenantId, tenantId));
  }

  // ───────────────────────────── settings ─────────────────────────────

  /** The tenant's agent settings (AGT-02 login state, rest reasons, wrap-up, RT-04). */
  async settings(tenantId: string, tx: DbTx = this.db): Promise<AgentSettings> {
    const [row] = await tx.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, tenantId));
    return agentSettingsOf(row?.settings, { wrapUpSeconds: this.config.calls.wrapUpSeconds });
  }

  /**
   * Changes some agent settings. One statement merges the patch into `settings.agent`, so two
   * admins changing different keys (or other parts of the tenant settings) do not clash.
   */
  async updateSettings(tenantId: string, patch: AgentSettingsPatch): Promise<AgentSettings> {
    if (patch.outboundMemoryFallback === 'ivr') {
      // OUT-13 (优先分配) is of the advanced edition; standard tenants wait for the agent (OUT-12).
      const [t] = await this.db.select({ edition: tenants.edition }).from(tenants).where(eq(tenants.id, tenantId));
      assertAgentSettingsEdition(t?.edition, patch);
    }
    const set: Record<string, unknown> = {};
    const unset: string[] = [];
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) continue;
      if (v === null) unset.push(k);
      else set[k] = v;
    }
    await this.db.execute(sql`
      update tenants set
        settings = settings || jsonb_build_object(${AGENT_SETTINGS_KEY}::text,
          (coalesce(settings -> ${AGENT_SETTINGS_KEY}::text, '{}'::jsonb) || ${JSON.stringify(set)}::jsonb)
            - ${`{${unset.join(',')}}`}::text[]),
        updated_at = now()
      where id = ${tenantId}`);
    return this.settings(tenantId);
  }

  // ───────────────────────────── transitions ─────────────────────────────

  /**
   * Moves an agent from one of `from` to `to` inside `tx`. Returns the change, or null when the
   * agent was not in an expected state (someone else moved it first). Throws when the table does
   * not allow `actor` one of the moves asked for: that is a bug in the caller, not a race.
   *
   * The end of a call (`busy → afterCallWork | idle`) follows the tenant's wrap-up settings,
   * whichever of the two the call logic asked for: wrap-up of the tenant's length (with or
   * without the auto-recovery timer), or straight back to idle when it is 0.
   *
   * "Back to idle" by the system after a call (its end, or the wrap-up timer) is back to the
   * state the agent dialled out from instead, when they did ({@link TransitionOptions.remember}):
   * an agent who placed a call while notReady is notReady again afterwards (OUT-01).
   */
  async transition(
    tx: DbTx,
    tenantId: string,
    userId: string,
    from: readonly AgentState[],
    to: AgentState,
    opts: TransitionOptions = {},
  ): Promise<StateChange | null> {
    const actor = opts.actor ?? 'system';
    let target = to;
    let wrapUpUntil = opts.wrapUpUntil ?? null;
    let reason = opts.reason ?? null;
    if (from.length === 1 && from[0] === 'busy' && (to === 'afterCallWork' || to === 'idle') && !opts.noWrapUp) {
      const s = await this.settings(tenantId, tx);
      // RT-06 per group: the group the call was served through may set its own wrap-up.
      const group = opts.sessionId
        ? await this.cradle.skillGroupRepo.wrapUpOfServedCall(tx, tenantId, opts.sessionId, userId)
        : null;
      const seconds = group?.wrapUpSeconds ?? s.wrapUpSeconds;
      const autoEnd = group?.wrapUpAutoEnd ?? s.wrapUpAutoEnd;
      target = seconds > 0 ? 'afterCallWork' : 'idle';
      wrapUpUntil = target === 'afterCallWork' && autoEnd ? new Date(Date.now() + seconds * 1000) : null;
    }
    if (actor === 'system' && target === 'idle' && from.every((f) => f === 'busy' || f === 'afterCallWork')) {
      // After a call the agent placed: the state they dialled out from (OUT-01).
      const [resume] = await tx
        .select({ state: agents.resumeState, reason: agents.resumeReason })
        .from(agents)
        .where(and(eq(agents.tenantId, tenantId), eq(agents.userId, userId)));
      if (resume?.state) {
        target = resume.state;
        reason = resume.reason;
      }
    }
    const illegal = from.filter((f) => !canTransition(f, target, actor));
    if (illegal.length > 0) {
      throw new Error(`agent state machine: ${actor} may not move ${illegal.join('|')} → ${target} (see TRANSITIONS)`);
    }
    const sessionId = opts.sessionId ?? null;
    if (target !== 'rest') reason = null;
    // The state to come back to lives from the dial to the end of the call's wrap-up only.
    const keep = target === 'afterCallWork';
    const resumeState = opts.remember ? sql`old.prev` : keep ? sql`a.resume_state` : sql`null`;
    const resumeReason = opts.remember ? sql`old.prev_reason` : keep ? sql`a.resume_reason` : sql`null`;
    const rows = await tx.execute<{ prev: AgentState; at: Date }>(sql`
      update agents a set
        state = ${target},
        reason = ${reason},
        state_since = now(),
        current_session_id = ${sessionId},
        wrap_up_until = ${wrapUpUntil},
        resume_state = ${resumeState},
        resume_reason = ${resumeReason},
        calls_taken = a.calls_taken + ${target === 'busy' ? 1 : 0},
        updated_at = now()
      from (select user_id, state as prev, reason as prev_reason from agents
            where user_id = ${userId} and tenant_id = ${tenantId} for update) old
      where a.user_id = old.user_id and old.prev in (${sql.join(
        from.map((f) => sql`${f}`),
        sql`, `,
      )})
      returning old.prev as prev, a.state_since as at`);
    const row = rows.rows[0];
    if (!row) return null;
    await tx.insert(agentStateLog).values({
      tenantId,
      userId,
      fromState: row.prev,
      toState: target,
      reason: opts.reason ?? null,
      sessionId,
      actor,
      actorId: opts.actorId ?? null,
    });
    if (target === 'busy' && sessionId) await rememberServingAgent(tx, tenantId, sessionId, userId);
    return { tenantId, userId, from: row.prev, to: target, reason, at: new Date(row.at), actor };
  }

  /** Announces committed changes: the agent's own sockets, supervisors, and plugins. */
  announce(changes: Array<StateChange | null>): void {
    for (const c of changes) {
      // Staying put is not news, except a rest whose reason changed.
      if (!c || (c.from === c.to && c.to !== 'rest')) continue;
      const data = {
        agentId: c.userId,
        from: c.from,
        to: c.to,
        at: c.at.toISOString(),
        by: c.actor,
        ...(c.reason ? { reason: c.reason } : {}),
      };
      void this.bus
        .publish(
          [
            { tenantId: c.tenantId, kind: 'user', userId: c.userId },
            { tenantId: c.tenantId, kind: 'role', role: 'supervisor' },
            { tenantId: c.tenantId, kind: 'role', role: 'admin' },
          ],
          'agent.status',
          data,
        )
        .catch(this.cradle.background.failed('agents.publishStatus', { tenantId: c.tenantId, agentId: c.userId }));
      // Supervisors' live monitors (MON-01/02): the agent's row and their groups' counts.
      this.cradle.monitorService.agentsChanged(c.tenantId, [c.userId]);
      // Colleagues (AGT-04: whom to call or hand a call to) learn the presence, nothing more.
      void this.bus
        .publish({ tenantId: c.tenantId, kind: 'tenant' }, 'presence', {
          agentId: c.userId,
          state: presenceOf(c.to),
          reason: c.to === 'rest' ? c.reason : null,
          since: c.at.toISOString(),
        })
        .catch(this.cradle.background.failed('agents.publishPresence', { tenantId: c.tenantId, agentId: c.userId }));
      void this.cradle.pluginHost
        .emit('agent.status.changed', {
          tenantId: c.tenantId,
          agentId: c.userId,
          from: c.from,
          to: c.to,
          ...(c.reason ? { reason: c.reason } : {}),
          occurredAt: c.at.toISOString(),
          idempotencyKey: `agent:${c.userId}:${c.at.getTime()}:${randomUUID()}`,
        })
        .catch(this.cradle.background.failed('agents.hookStatusChanged', { tenantId: c.tenantId, agentId: c.userId }));
    }
  }

  // ───────────────────────────── the agent's own changes ─────────────────────────────

  /**
   * An agent chooses a state (AGT-01). Ringing and busy belong to the call logic; from those an
   * agent cannot walk away by API (hang up first). Ending wrap-up early is allowed (CTL-06).
   * Rest needs one of the tenant's reasons. Asking for the state one is in changes nothing.
   */
  async setOwnState(tenantId: string, userId: string, to: SelfState, reason?: string): Promise<AgentRow> {
    const current = await this.get(tenantId, userId);
    if (!current) throw createError('not_found', 'You are not set up as an agent');
    if (to === 'rest') {
      const { restReasons } = await this.settings(tenantId);
      if (!reason) {
        throw createError('validation_failed', 'A rest state needs a reason', { details: { allowed: restReasons } });
      }
      if (!restReasons.includes(reason)) {
        throw createError('validation_failed', `"${reason}" is not one of the rest reasons`, {
          details: { allowed: restReasons },
        });
      }
    }
    if (current.state === to && (to !== 'rest' || current.reason === reason)) return current;
    const change = await this.db.transaction((tx) =>
      this.transition(tx, tenantId, userId, statesFrom(to, 'self'), to, { reason: reason ?? null, actor: 'self' }),
    );
    if (!change) {
      const now = (await this.get(tenantId, userId))?.state ?? current.state;
      if (now === to && to !== 'rest') return (await this.get(tenantId, userId))!;
      throw createError('invalid_state_transition', `You cannot change to ${to} while ${now}`, {
        details: { from: now, to },
      });
    }
    this.announce([change]);
    if (change.to === 'idle') this.dispatchFor(tenantId, userId);
    return (await this.get(tenantId, userId))!;
  }

  /**
   * Login (AGT-02, SDK `Agent.online`): an offline agent enters the tenant's default state. An
   * agent already online keeps their state (a workbench reloading logs in again).
   */
  async login(tenantId: string, userId: string): Promise<AgentRow> {
    const current = await this.get(tenantId, userId);
    if (!current) throw createError('not_found', 'You are not set up as an agent');
    if (current.state !== 'offline') return current;
    const { defaultLoginState } = await this.settings(tenantId);
    const change = await this.db.transaction((tx) =>
      this.transition(tx, tenantId, userId, ['offline'], defaultLoginState, { actor: 'self' }),
    );
    this.announce([change]);
    if (change?.to === 'idle') this.dispatchFor(tenantId, userId);
    return (await this.get(tenantId, userId))!;
  }

  /** Logout (SDK `Agent.offline`): refused while ringing or on a call. */
  async logout(tenantId: string, userId: string): Promise<AgentRow> {
    return this.setOwnState(tenantId, userId, 'offline');
  }

  /**
   * ADM-12: an admin forces an agent offline from any state. A ringing offer is withdrawn (the
   * caller goes to another agent); a call in progress is not cut, but the agent gets no more
   * calls. Then the agent's realtime sockets are closed on every instance.
   */
  async forceOffline(tenantId: string, userId: string, adminId: string | null): Promise<AgentRow> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const a = await this.get(tenantId, userId);
      if (!a) throw createError('not_found', 'No agent with that id');
      if (a.state === 'offline') break;
      if (a.state === 'ringing') {
        const withdrawn = await this.cradle.acdService.withdrawOffersOf(tenantId, userId, {
          agentTo: 'offline',
          actor: 'admin',
          actorId: adminId,
          reason: 'agent forced offline',
        });
        if (withdrawn) break;
      }
      const change = await this.db.transaction((tx) =>
        this.transition(tx, tenantId, userId, [a.state], 'offline', { actor: 'admin', actorId: adminId }),
      );
      if (change) {
        this.announce([change]);
        break;
      }
      // Moved meanwhile (answered, hung up…): look again.
    }
    await this.bus.publish({ tenantId, kind: 'user', userId }, 'session.revoked', {
      reason: 'forced-offline',
      message: 'An administrator set you offline',
    });
    return (await this.get(tenantId, userId))!;
  }

  /** Ends wrap-up for agents whose time is up; returns the changes (tenant, user) made. */
  async endDueWrapUps(): Promise<StateChange[]> {
    const due = await this.db
      .select({ tenantId: agents.tenantId, userId: agents.userId })
      .from(agents)
      .where(and(eq(agents.state, 'afterCallWork'), lt(agents.wrapUpUntil, new Date())))
      .limit(200);
    const changes: StateChange[] = [];
    for (const a of due) {
      const c = await this.db.transaction((tx) =>
        this.transition(tx, a.tenantId, a.userId, ['afterCallWork'], 'idle', { reason: 'wrap-up timer' }),
      );
      if (c) changes.push(c);
    }
    this.announce(changes);
    return changes;
  }

  /**
   * Server default wrap-up length. The call logic reads it to pick `afterCallWork` or `idle` at
   * hang-up; {@link transition} then applies the tenant's own setting either way.
   */
  get wrapUpSeconds(): number {
    return this.config.calls.wrapUpSeconds;
  }

  /**
   * Agents among `userIds` that are online (any state but offline). Takes the caller's
   * transaction: embedded PGlite runs one transaction at a time, so a query on another
   * connection from inside a transaction would wait for it forever.
   */
  async countOnline(tx: DbTx, tenantId: string, userIds: string[]): Promise<number> {
    if (userIds.length === 0) return 0;
    const rows = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(agents)
      .where(and(eq(agents.tenantId, tenantId), inArray(agents.userId, userIds), sql`${agents.state} <> 'offline'`));
    return rows[0]?.n ?? 0;
  }

  /** Someone may be waiting for exactly this agent (not awaited: the API answers at once). */
  private dispatchFor(tenantId: string, userId: string): void {
    void this.cradle.acdService
      .dispatchForAgent(tenantId, userId)
      .catch(this.cradle.background.failed('acd.dispatchForAgent', { tenantId, agentId: userId }));
  }
}
