import { randomUUID } from 'node:crypto';
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { ResolvedConfig } from '../../config/config.js';
import type { Db, DbTx } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import type { PluginHost } from '../../plugins/host.js';
import type { EventBus } from '../../realtime/bus.js';
import { agentStateLog, agents, type AgentRow, type AgentState } from './schema.js';

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
}

/**
 * Agent states and their log. Every change is a conditional UPDATE on the expected current
 * state, so two instances (or a webhook and an API call) can never both move an agent.
 */
export class AgentService {
  private readonly db: Db;
  private readonly logger: Logger;
  private readonly bus: EventBus;
  private readonly config: ResolvedConfig;
  private readonly cradle: { pluginHost: PluginHost };

  constructor(deps: { db: Db; logger: Logger; bus: EventBus; config: ResolvedConfig; pluginHost: PluginHost }) {
    this.db = deps.db;
    this.logger = deps.logger;
    this.bus = deps.bus;
    this.config = deps.config;
    // Resolved lazily: the plugin host is registered after the services that it may call.
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

  /**
   * Moves an agent from one of `from` to `to` inside `tx`. Returns the change, or null when the
   * agent was not in an expected state (someone else moved it first).
   */
  async transition(
    tx: DbTx,
    tenantId: string,
    userId: string,
    from: readonly AgentState[],
    to: AgentState,
    opts: { reason?: string | null; sessionId?: string | null; wrapUpUntil?: Date | null } = {},
  ): Promise<StateChange | null> {
    const rows = await tx.execute<{ prev: AgentState; at: Date }>(sql`
      update agents a set
        state = ${to},
        reason = ${opts.reason ?? null},
        state_since = now(),
        current_session_id = ${opts.sessionId ?? null},
        wrap_up_until = ${opts.wrapUpUntil ?? null},
        calls_taken = a.calls_taken + ${to === 'busy' ? 1 : 0},
        updated_at = now()
      from (select user_id, state as prev from agents where user_id = ${userId} and tenant_id = ${tenantId} for update) old
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
      toState: to,
      reason: opts.reason ?? null,
      sessionId: opts.sessionId ?? null,
    });
    return { tenantId, userId, from: row.prev, to, reason: opts.reason ?? null, at: new Date(row.at) };
  }

  /** Announces committed changes: the agent's own sockets, supervisors, and plugins. */
  announce(changes: Array<StateChange | null>): void {
    for (const c of changes) {
      if (!c || c.from === c.to) continue;
      const data = {
        agentId: c.userId,
        from: c.from,
        to: c.to,
        at: c.at.toISOString(),
        ...(c.reason ? { reason: c.reason } : {}),
      };
      void this.bus
        .publish({ tenantId: c.tenantId, kind: 'user', userId: c.userId }, 'agent.status', data)
        .catch((err) => this.logger.warn({ err }, 'agent.status publish failed'));
      for (const role of ['supervisor', 'admin'] as const) {
        void this.bus
          .publish({ tenantId: c.tenantId, kind: 'role', role }, 'agent.status', data)
          .catch(() => undefined);
      }
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
        .catch((err) => this.logger.warn({ err }, 'agent.status.changed hook failed'));
    }
  }

  /**
   * An agent chooses a state (AGT-01). Ringing and busy belong to the call logic; from those an
   * agent cannot walk away by API (hang up first). Ending wrap-up early is allowed.
   */
  async setOwnState(tenantId: string, userId: string, to: SelfState, reason?: string): Promise<AgentRow> {
    const current = await this.get(tenantId, userId);
    if (!current) throw createError('not_found', 'You are not set up as an agent');
    if (to === 'rest' && !reason) throw createError('validation_failed', 'A rest state needs a reason');
    const change = await this.db.transaction((tx) =>
      this.transition(tx, tenantId, userId, ['offline', 'idle', 'notReady', 'rest', 'afterCallWork'], to, {
        reason: to === 'rest' ? (reason ?? null) : null,
      }),
    );
    if (!change) {
      throw createError('invalid_state_transition', `You cannot change to ${to} while ${current.state}`, {
        details: { from: current.state, to },
      });
    }
    this.announce([change]);
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
      const c = await this.db.transaction((tx) => this.transition(tx, a.tenantId, a.userId, ['afterCallWork'], 'idle'));
      if (c) changes.push(c);
    }
    this.announce(changes);
    return changes;
  }

  /** Wrap-up length after a call, from config (tenant settings may override later). */
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
}
