import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { BackgroundSteps } from '../../background.js';
import type { Db, DbTx } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import type { HookPayload, PluginHost } from '../../plugins/host.js';
import type { EventBus } from '../../realtime/bus.js';
import type { Audience, ServerEvents, ServerEventType } from '../../realtime/events.js';
import type { StateChange } from '../agents/service.js';
import type { Principal } from '../auth/principal.js';
import {
  agentNumberView,
  customerNumber,
  numberProtectionOn,
  PLAIN_VIEW,
  type NumberView,
} from '../calls/number-protection.js';
import { callOffers, callSessions, type CallOfferRow, type CallSessionRow } from '../calls/schema.js';
import type { AcdService } from '../routing/acd.js';
import type { TenantRepo } from '../tenants/repo.js';
import { agentVisibleVariables } from './legs.js';
import { callLegs, sessionControls, type CallLegRow, type SessionControlRow } from './schema.js';

/** What {@link ControlAccess} needs: the lazy cradle, passed whole. */
export interface ControlAccessDeps {
  db: Db;
  logger: Logger;
  background: BackgroundSteps;
  bus: EventBus;
  tenantRepo: TenantRepo;
  acdService: AcdService;
  pluginHost: PluginHost;
}

/**
 * What every part of live call control checks and tells the same way: who may control a
 * session, whether it is live, its `session_controls` row, number protection, and the events
 * and plugin hooks it sends. Shared by {@link SessionControlService} and the parts it delegates
 * to, so the rules live in one place.
 */
export class ControlAccess {
  // The lazy cradle, kept whole: reading a dependency here would resolve it too early.
  constructor(private readonly d: ControlAccessDeps) {}

  /** The session of the principal's tenant (404 otherwise); locked when inside `tx`. */
  async sessionOf(principal: Principal, sessionId: string, tx?: DbTx): Promise<CallSessionRow> {
    const q = (tx ?? this.d.db)
      .select()
      .from(callSessions)
      .where(and(eq(callSessions.tenantId, principal.tenantId), eq(callSessions.id, sessionId)));
    const [row] = tx ? await q.for('update') : await q;
    if (!row) throw createError('not_found', 'No such call');
    return row;
  }

  /** The offer of the agent serving the session, if one is. */
  async servingOffer(db: Db | DbTx, sessionId: string): Promise<CallOfferRow | undefined> {
    const [offer] = await db
      .select()
      .from(callOffers)
      .where(and(eq(callOffers.sessionId, sessionId), eq(callOffers.state, 'accepted')));
    return offer;
  }

  /** Whether the agent has an offer of the session that is `which` (accepted, answered…). */
  async hasOffer(db: Db | DbTx, sessionId: string, agentId: string, which: SQL): Promise<boolean> {
    const [row] = await db
      .select({ id: callOffers.id })
      .from(callOffers)
      .where(and(eq(callOffers.sessionId, sessionId), eq(callOffers.agentId, agentId), which))
      .limit(1);
    return !!row;
  }

  /** A supervisor or admin of the tenant: may control, see and listen to any of its calls. */
  isSupervisor(p: Principal): boolean {
    return p.kind === 'user' && (p.role === 'supervisor' || p.role === 'admin');
  }

  /**
   * Only the agent on the call, or a supervisor/admin of the tenant, controls it. A call an
   * agent places is theirs from the start (OUT-01: they may cancel it while their own device
   * still rings, before any offer exists).
   */
  assertController(p: Principal, offer: CallOfferRow | undefined, session?: CallSessionRow): void {
    if (this.isSupervisor(p)) return;
    if (p.kind === 'user' && offer && offer.agentId === p.userId) return;
    if (p.kind === 'user' && !offer && session?.direction === 'outbound' && session.agentId === p.userId) return;
    throw createError('not_your_call');
  }

  /** A live session with an agent on it, the customer in the room. */
  assertLive(session: CallSessionRow, offer: CallOfferRow | undefined, c: SessionControlRow | undefined) {
    if (session.state !== 'bridged') throw createError('session_not_live');
    if (c?.customerMode) throw createError('customer_away');
    return offer;
  }

  /** The session's `session_controls` row, if call control ever touched it. */
  async controls(db: Db | DbTx, sessionId: string): Promise<SessionControlRow | undefined> {
    const [row] = await db.select().from(sessionControls).where(eq(sessionControls.sessionId, sessionId));
    return row;
  }

  /** The session's `session_controls` row, created on first use. */
  async ensureControls(tx: DbTx, session: CallSessionRow): Promise<SessionControlRow> {
    await tx
      .insert(sessionControls)
      .values({ sessionId: session.id, tenantId: session.tenantId })
      .onConflictDoNothing({ target: sessionControls.sessionId });
    return (await this.controls(tx, session.id))!;
  }

  /** Locks the session and reads what every action checks, in one transaction. */
  async lockForControl(tx: DbTx, p: Principal, sessionId: string) {
    const session = await this.sessionOf(p, sessionId, tx);
    const offer = await this.servingOffer(tx, session.id);
    this.assertController(p, offer, session);
    const controls = await this.ensureControls(tx, session);
    return { session, offer, controls };
  }

  /**
   * How the call's numbers appear to `p` (no principal: to agents, in events): whole for staff
   * and API keys; for agents the customer as their ID when the call has one (RT-08), numbers
   * masked under protection (RT-07).
   */
  async view(session: CallSessionRow, p?: Principal): Promise<NumberView> {
    if (p && (this.isSupervisor(p) || p.kind === 'apiKey')) return PLAIN_VIEW;
    const protect = numberProtectionOn(await this.d.tenantRepo.findById(session.tenantId));
    return agentNumberView({ customer: customerNumber(session), alias: session.customerAlias, protect });
  }

  /** A provider step once the controls changed: if it fails, `undo` puts them back and the error goes on. */
  async orUndo(
    sessionId: string,
    undo: Partial<typeof sessionControls.$inferInsert>,
    step: () => Promise<unknown>,
  ): Promise<void> {
    try {
      await step();
    } catch (err) {
      await this.d.db.update(sessionControls).set(undo).where(eq(sessionControls.sessionId, sessionId));
      throw err;
    }
  }

  /** The IVR's variables with the ones call control set on top. */
  variablesOf(session: CallSessionRow, c: SessionControlRow | undefined): Record<string, string> {
    return { ...(session.ivrState?.vars ?? {}), ...(c?.variables ?? {}) };
  }

  /** Variables for events agents receive: masked-template digits (and protected numbers) stay masked. */
  async agentVars(session: CallSessionRow, c: SessionControlRow | undefined): Promise<Record<string, string>> {
    const { hidden } = await this.view(session);
    return agentVisibleVariables(this.d.db, session.tenantId, this.variablesOf(session, c), hidden);
  }

  /** An agent call control made idle may take the next waiting call. */
  dispatchIfIdle(change: StateChange | null): void {
    if (change?.to === 'idle')
      void this.d.acdService
        .dispatchForAgent(change.tenantId, change.userId)
        .catch(this.d.background.failed('acd.dispatchForAgent', { tenantId: change.tenantId, agentId: change.userId }));
  }

  /** Closes a placed leg once (the first final status wins). */
  async closeLeg(legId: string, state: 'left' | 'failed', reason: string): Promise<CallLegRow | undefined> {
    const [row] = await this.d.db
      .update(callLegs)
      .set({
        state: sql`case when ${callLegs.state} = 'joined' then 'left' else ${state} end`,
        endedAt: new Date(),
        endReason: reason,
      })
      .where(and(eq(callLegs.id, legId), inArray(callLegs.state, ['ringing', 'joined'])))
      .returning();
    return row;
  }

  /** `session.party`: a placed leg rings, joined or ended (its number masked under protection). */
  publishParty(session: CallSessionRow, leg: CallLegRow, extra: Array<string | null | undefined> = []): void {
    void this.view(session)
      .then((view) =>
        this.publish(session, [leg.agentId, leg.invitedBy, ...extra], 'session.party', {
          sessionId: session.id,
          legId: leg.id,
          role: leg.role,
          purpose: leg.purpose,
          state: leg.state,
          agentId: leg.agentId,
          number: leg.number ? view(leg.number) : leg.number,
        }),
      )
      .catch(
        this.d.background.failed('control.publishParty', {
          tenantId: session.tenantId,
          sessionId: session.id,
          legId: leg.id,
        }),
      );
  }

  /** Plugin hooks are fire-and-log: a failing plugin never affects the call (DESIGN "Plugins"). */
  emitHook<K extends 'call.held' | 'call.transferred' | 'call.answered'>(name: K, payload: HookPayload<K>): void {
    void this.d.pluginHost
      .emit(name, payload)
      .catch(this.d.background.failed(`control.hook:${name}`, { tenantId: payload.tenantId, hook: name }));
  }

  /** To the given users (the agents concerned), the serving agent, and every supervisor. */
  publish<T extends ServerEventType>(
    session: CallSessionRow,
    userIds: Array<string | null | undefined>,
    type: T,
    data: ServerEvents[T],
  ): void {
    const tenantId = session.tenantId;
    const targets = new Set(userIds.filter((u): u is string => typeof u === 'string'));
    if (session.agentId) targets.add(session.agentId);
    const audiences: Audience[] = [...targets].map((userId) => ({ tenantId, kind: 'user', userId }));
    audiences.push({ tenantId, kind: 'role', role: 'supervisor' });
    void this.d.bus
      .publish(audiences, type, data)
      .catch(this.d.background.failed(`control.publish:${type}`, { tenantId, sessionId: session.id }));
  }
}

/** The user behind a principal; API keys act on no one's behalf here. */
export function userOf(p: Principal): string {
  if (p.kind !== 'user') throw createError('forbidden');
  return p.userId;
}
