import type { Logger } from 'pino';
import type { EventBus } from '../../realtime/bus.js';
import type { MonitorAgentLive, MonitorSkillGroupLive } from '../../realtime/events.js';
import { tenantTimeZone } from '../agents/settings.js';
import type { AgentState } from '../agents/schema.js';
import type { SessionState } from '../calls/schema.js';
import type { TenantRepo } from '../tenants/repo.js';
import type { MonitorAgentRow, MonitorRepo, MonitorSessionRow, MonitorSkillGroupRow } from './repo.js';

/**
 * How long changes of one tenant are gathered before the monitors hear of them: a call's
 * answer moves a session and an agent (and its groups) within a few milliseconds, and a
 * supervisor needs one row per agent and group, not one per step.
 */
export const MONITOR_COALESCE_MS = 150;

interface Dirty {
  agents: Set<string>;
  groups: Set<string>;
  timer: NodeJS.Timeout;
}

/** The live part of an agent row (what `monitor.agent` carries). */
export function agentLive(r: MonitorAgentRow): MonitorAgentLive {
  return {
    agentId: r.agentId,
    state: r.state,
    reason: r.reason,
    stateSince: r.stateSince,
    today: r.today,
    callsToday: r.callsToday,
    currentCall: r.currentCall,
    at: r.at,
  };
}

/** The live part of a skill group row (what `monitor.skillGroup` carries). */
export function skillGroupLive(r: MonitorSkillGroupRow): MonitorSkillGroupLive {
  return {
    skillGroupId: r.skillGroupId,
    agents: r.agents,
    queueLength: r.queueLength,
    longestWaitSince: r.longestWaitSince,
    callsToday: r.callsToday,
    answeredToday: r.answeredToday,
    at: r.at,
  };
}

/**
 * Live monitors (MON-01/02, the list of MON-03): the reads behind `GET /monitor/…` and the feed
 * of `monitor.agent` / `monitor.skillGroup` events to the tenant's supervisors and admins.
 *
 * The feed is told of changes by the code that makes them, once committed — agent state
 * changes ({@link AgentService.announce}) and session state changes
 * ({@link SessionEventService.publishState}) — so with several instances each change is
 * recomputed once, by the instance that made it. Changes are gathered per tenant for
 * {@link MONITOR_COALESCE_MS}, then the touched agents and groups are read again and published.
 * Events are hints (ADR 0007): a monitor reads the lists again after a reconnect.
 */
export class MonitorService {
  private readonly repo: MonitorRepo;
  private readonly dirty = new Map<string, Dirty>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly d: { bus: EventBus; tenantRepo: TenantRepo; logger: Logger; monitorRepo: MonitorRepo }) {
    this.repo = d.monitorRepo;
  }

  private async timeZone(tenantId: string): Promise<string> {
    return tenantTimeZone((await this.d.tenantRepo.findById(tenantId))?.settings);
  }

  /** MON-01: the tenant's agents with their live figures. */
  async agents(tenantId: string, f: { skillGroupId?: string; state?: AgentState } = {}): Promise<MonitorAgentRow[]> {
    return this.repo.agents(tenantId, await this.timeZone(tenantId), f);
  }

  /** MON-02: the tenant's skill groups with their live counts. */
  async skillGroups(tenantId: string): Promise<MonitorSkillGroupRow[]> {
    return this.repo.skillGroups(tenantId, await this.timeZone(tenantId));
  }

  /** The tenant's calls in progress. */
  async sessions(
    tenantId: string,
    f: { skillGroupId?: string; state?: Exclude<SessionState, 'ended'> } = {},
  ): Promise<MonitorSessionRow[]> {
    return this.repo.sessions(tenantId, f);
  }

  // ───────────────────────────── the feed ─────────────────────────────

  /** Agents' states changed (committed): their rows and their groups' counts go out. */
  agentsChanged(tenantId: string, agentIds: readonly string[]): void {
    const d = this.mark(tenantId);
    if (d) for (const id of agentIds) d.agents.add(id);
  }

  /** A session changed state in these groups (committed): the groups' counts go out. */
  sessionChanged(tenantId: string, skillGroupIds: ReadonlyArray<string | null | undefined>): void {
    const d = this.mark(tenantId);
    if (d) for (const id of skillGroupIds) if (id) d.groups.add(id);
  }

  /** Resolves once every change marked so far has been published (tests, shutdown). */
  async flushed(): Promise<void> {
    for (const tenantId of [...this.dirty.keys()]) this.flush(tenantId);
    await Promise.all([...this.running]);
  }

  /** Publishes what is pending and stops gathering. */
  async stop(): Promise<void> {
    await this.flushed();
    this.stopped = true;
  }

  private mark(tenantId: string): Dirty | null {
    if (this.stopped) return null;
    let d = this.dirty.get(tenantId);
    if (!d) {
      const timer = setTimeout(() => this.flush(tenantId), MONITOR_COALESCE_MS);
      timer.unref();
      this.dirty.set(tenantId, (d = { agents: new Set(), groups: new Set(), timer }));
    }
    return d;
  }

  private flush(tenantId: string): void {
    const d = this.dirty.get(tenantId);
    if (!d) return;
    this.dirty.delete(tenantId);
    clearTimeout(d.timer);
    const run = this.publish(tenantId, [...d.agents], d.groups)
      .catch((err: unknown) => this.d.logger.warn({ err, tenantId }, 'monitor feed failed'))
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  private async publish(tenantId: string, agentIds: string[], groups: Set<string>): Promise<void> {
    const staff = (['supervisor', 'admin'] as const).map((role) => ({ tenantId, kind: 'role' as const, role }));
    const tz = await this.timeZone(tenantId);
    if (agentIds.length > 0) {
      for (const g of await this.repo.groupsOf(tenantId, agentIds)) groups.add(g);
      for (const row of await this.repo.agents(tenantId, tz, { agentIds })) {
        await this.d.bus.publish(staff, 'monitor.agent', agentLive(row));
      }
    }
    if (groups.size > 0) {
      for (const row of await this.repo.skillGroups(tenantId, tz, [...groups])) {
        await this.d.bus.publish(staff, 'monitor.skillGroup', skillGroupLive(row));
      }
    }
  }
}
