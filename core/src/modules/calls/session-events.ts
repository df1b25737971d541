import type { Logger } from 'pino';
import type { EventBus } from '../../realtime/bus.js';
import type { ServerEvents } from '../../realtime/events.js';
import type { MonitorService } from '../monitoring/service.js';
import type { TenantRepo } from '../tenants/repo.js';
import { endStatusString } from './end-status.js';
import {
  agentNumberView,
  customerNumber,
  hideNumbersDeep,
  numberProtectionOn,
  partiesAsSeen,
  PLAIN_VIEW,
} from './number-protection.js';
import type { CallSessionRow, SessionState } from './schema.js';

/**
 * Why a session changed state, for monitors that want more than the state itself:
 * - `incoming`: a new inbound call entered the IVR;
 * - `transfer`: the IVR's transfer node queued the caller (IVR-13);
 * - `offered` / `missed` / `answered`: the ACD rang an agent, the ring ended unanswered (back to
 *   the queue, RT-05) or the agent answered;
 * - `queueTimeout` / `keepWaiting`: the caller left the queue for the queue-timeout question,
 *   and went back in (IVR-16/17);
 * - `survey`: the agent hung up first and the caller goes on to the survey (IVR-22);
 * - `transferred`: the agent handed the call to a group or an agent (CTL-03/04);
 * - `externalTransfer`: the caller now talks to an external number (CTL-05, IVR-25);
 * - `redial` / `outbound` / `internal`: an agent's callback (CTL-07), an outbound call an agent
 *   dialled (OUT-01/03) or an agent-to-agent call (AGT-04) started;
 * - `ended`: the session is over (the CDR is written).
 */
export type SessionStateReason =
  | 'incoming'
  | 'transfer'
  | 'offered'
  | 'missed'
  | 'answered'
  | 'queueTimeout'
  | 'keepWaiting'
  | 'survey'
  | 'transferred'
  | 'externalTransfer'
  | 'redial'
  | 'outbound'
  | 'internal'
  | 'ended';

/** One committed state change of a session, as the code that made it knows it. */
export interface SessionStateChange {
  session: Pick<
    CallSessionRow,
    'id' | 'tenantId' | 'direction' | 'caller' | 'callee' | 'customerAlias' | 'queuedSkillGroupId' | 'agentId'
  >;
  state: SessionState;
  /** Null: the session was just created. */
  previous: SessionState | null;
  reason: SessionStateReason;
  /** The group the call is queued in or served through (default: the session's queued group). */
  skillGroupId?: string | null;
  /** The agent offered or serving (default: the session's agent). */
  agentId?: string | null;
  /** Other agents concerned (e.g. the one who handed the call on); each gets the event too. */
  notify?: Array<string | null | undefined>;
}

/** One step of a call an agent places (`session.outbound`), as the code that took it knows it. */
export interface OutboundProgress {
  session: Pick<
    CallSessionRow,
    | 'id'
    | 'tenantId'
    | 'caller'
    | 'callee'
    | 'customerAlias'
    | 'queuedSkillGroupId'
    | 'agentId'
    | 'annotations'
    | 'endStatus'
    | 'hungUpSide'
  >;
  stage: ServerEvents['session.outbound']['stage'];
  kind: ServerEvents['session.outbound']['kind'];
  /** The agent placing the call (default: the session's agent). */
  agentId?: string;
}

/**
 * Publishes `session.state` (issue 5 item 7): every change of a session's state, to the
 * supervisors and admins of the tenant (the live-call monitors) and to the agent offered or
 * serving the call (the workbench, the SDK). Agents see the customer's number masked when the
 * tenant protects numbers (RT-07); supervisors see it whole, as in `GET /sessions/:id`.
 *
 * Call it once the change has committed. Events of one session go out in the order they were
 * published on this instance: the number-protection lookup is asynchronous, so each session's
 * events are chained rather than fired independently (a fast answer must not overtake its offer).
 */
export class SessionEventService {
  private readonly d: { bus: EventBus; tenantRepo: TenantRepo; logger: Logger; monitorService: MonitorService };
  private readonly chains = new Map<string, Promise<void>>();

  constructor(deps: SessionEventService['d']) {
    this.d = deps;
  }

  /** Queues the event of one committed change (never throws, never waits). */
  publishState(change: SessionStateChange): void {
    const id = change.session.id;
    // Queue length, waits and calls today of the groups concerned (MON-02).
    this.d.monitorService.sessionChanged(change.session.tenantId, [
      change.skillGroupId,
      change.session.queuedSkillGroupId,
    ]);
    const at = new Date().toISOString();
    const next = (this.chains.get(id) ?? Promise.resolve())
      .then(() => this.send(change, at))
      .catch((err) => this.d.logger.warn({ err, sessionId: id }, 'session.state publish failed'));
    this.chains.set(id, next);
    void next.then(() => {
      if (this.chains.get(id) === next) this.chains.delete(id);
    });
  }

  /**
   * Queues `session.outbound` (OUT-01/03, CTL-07): a step of a call an agent places, to that
   * agent (the customer's number masked under protection, OUT-09) and the supervisors and admins
   * (whole). Chained with the session's `session.state` events, so the two keep their order.
   */
  publishOutbound(progress: OutboundProgress): void {
    const id = progress.session.id;
    const at = new Date().toISOString();
    const next = (this.chains.get(id) ?? Promise.resolve())
      .then(() => this.sendOutbound(progress, at))
      .catch((err) => this.d.logger.warn({ err, sessionId: id }, 'session.outbound publish failed'));
    this.chains.set(id, next);
    void next.then(() => {
      if (this.chains.get(id) === next) this.chains.delete(id);
    });
  }

  /** Resolves once every event queued so far for the session has been handed to the bus. */
  async flushed(sessionId: string): Promise<void> {
    await this.chains.get(sessionId);
  }

  private async sendOutbound(p: OutboundProgress, at: string): Promise<void> {
    const { session } = p;
    const tenantId = session.tenantId;
    const agentId = p.agentId ?? session.agentId;
    const ended =
      p.stage === 'ended' && session.endStatus !== null
        ? {
            endStatus: session.endStatus,
            endStatusString: endStatusString(session.endStatus),
            ...(session.hungUpSide ? { hungUpSide: session.hungUpSide } : {}),
          }
        : {};
    const data: ServerEvents['session.outbound'] = {
      sessionId: session.id,
      stage: p.stage,
      kind: p.kind,
      agentId: agentId ?? '',
      callerId: session.caller,
      callee: session.callee,
      skillGroupId: session.queuedSkillGroupId,
      annotations: session.annotations,
      ...ended,
      at,
    };
    const staff = (['supervisor', 'admin'] as const).map((role) => ({ tenantId, kind: 'role' as const, role }));
    if (!agentId) {
      await this.d.bus.publish(staff, 'session.outbound', data);
      return;
    }
    const agent = { tenantId, kind: 'user' as const, userId: agentId };
    const view = agentNumberView({
      customer: session.callee,
      alias: session.customerAlias,
      protect: numberProtectionOn(await this.d.tenantRepo.findById(tenantId)),
    });
    if (!view.alters) {
      await this.d.bus.publish([...staff, agent], 'session.outbound', data);
      return;
    }
    // OUT-09/OUT-10: the agent never gets the customer's number, nor a plugin's card holding it.
    const forAgent = {
      ...data,
      callee: view(session.callee),
      annotations: hideNumbersDeep(session.annotations, view.hidden),
    };
    await Promise.all([
      this.d.bus.publish(staff, 'session.outbound', data),
      this.d.bus.publish(agent, 'session.outbound', forAgent),
    ]);
  }

  private async send(c: SessionStateChange, at: string): Promise<void> {
    const { session } = c;
    const tenantId = session.tenantId;
    const agentId = c.agentId === undefined ? session.agentId : c.agentId;
    const data: ServerEvents['session.state'] = {
      sessionId: session.id,
      state: c.state,
      previous: c.previous,
      reason: c.reason,
      direction: session.direction,
      caller: session.caller,
      callee: session.callee,
      skillGroupId: c.skillGroupId === undefined ? session.queuedSkillGroupId : c.skillGroupId,
      agentId,
      at,
    };
    const staff = (['supervisor', 'admin'] as const).map((role) => ({ tenantId, kind: 'role' as const, role }));
    const users = new Set([agentId, ...(c.notify ?? [])].filter((u): u is string => typeof u === 'string'));
    // Internal calls show staff numbers, not customers' numbers: nothing to protect there.
    const view =
      users.size > 0 && session.direction !== 'internal'
        ? agentNumberView({
            customer: customerNumber(session),
            alias: session.customerAlias,
            protect: numberProtectionOn(await this.d.tenantRepo.findById(tenantId)),
          })
        : PLAIN_VIEW;
    const agents = [...users].map((userId) => ({ tenantId, kind: 'user' as const, userId }));
    if (!view.alters) {
      // One message for every audience: one NOTIFY on a shared database.
      await this.d.bus.publish([...staff, ...agents], 'session.state', data);
      return;
    }
    const forAgents = { ...data, ...partiesAsSeen(session, view) };
    await Promise.all([
      this.d.bus.publish(staff, 'session.state', data),
      this.d.bus.publish(agents, 'session.state', forAgents),
    ]);
  }
}
