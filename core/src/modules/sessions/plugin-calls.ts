import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import { checkAnnotations } from '../../plugins/annotations.js';
import { pluginKeyPrefix } from '../../plugins/define-plugin.js';
import type { EventBus } from '../../realtime/bus.js';
import type { TenantRepo } from '../tenants/repo.js';
import {
  agentNumberView,
  customerNumber,
  hideNumbersDeep,
  numberProtectionOn,
  type NumberView,
} from '../calls/number-protection.js';
import type { CallSessionRow } from '../calls/schema.js';
import type { PluginScoped } from '../plugin-records/store.js';
import { PluginCallRepo } from './plugin-calls-repo.js';

/** A customer call as a plugin's agent action sees it. */
export interface PluginCall {
  sessionId: string;
  tenantId: string;
  direction: 'inbound' | 'outbound';
  /** Not ended yet (ringing, in the IVR, queued or talking). */
  live: boolean;
  /**
   * The customer's real number, for the plugin's own work (hand it to a WeCom member, look it up
   * in a CRM). Never send it to an agent: show {@link customerAsSeen} instead.
   */
  customerNumber: string;
  /** The customer as agents see this call: masked under number protection, the user ID under number mapping. */
  customerAsSeen: string;
  /** The agent serving (or who last served) the call. */
  agentId: string | null;
  startedAt: Date;
  endedAt: Date | null;
}

/** Who asks: the signed-in user of a plugin route (`ctx.state.user`). */
export interface PluginCallUser {
  tenantId: string;
  userId: string;
  role: 'admin' | 'supervisor' | 'agent';
}

/**
 * What a plugin may know of a call and the one write it may make to it (the `pluginCalls` core
 * service, bound to the plugin): an agent action (UI contributions) learns the call it was
 * pressed on — only when the user took part in it — and a plugin shows its progress as a card
 * under its own annotation key, which the agents of the call see at once and the record keeps.
 */
export interface PluginCallsPort {
  /**
   * The customer call `sessionId` of the user's tenant, when they may act on it: an agent who
   * served it (live or ended), or a supervisor/admin. Rejects with core's `not_found` or
   * `not_your_call`, which a plugin route may let through (the API answers them in words).
   */
  forUser(user: PluginCallUser, sessionId: string): Promise<PluginCall>;
  /**
   * Sets the plugin's annotation on the call (key: the plugin's camel-case name, e.g.
   * `wecomAddFriend`) — usually a {@link UiCard} — on the session and on its record, and sends it
   * to the call's agents (`call.annotated`, numbers hidden as they see them). A plain JSON object
   * of at most 16 KB. Resolves `false` when the tenant has no such call.
   */
  annotate(tenantId: string, sessionId: string, value: Record<string, unknown>): Promise<boolean>;
}

const uuid = z.uuid();

/** {@link PluginCallsPort} for every plugin; the host hands each plugin `forPlugin(name)`. */
export class PluginCalls implements PluginScoped<PluginCallsPort> {
  private readonly repo: PluginCallRepo;
  private readonly tenantRepo: TenantRepo;
  private readonly bus: EventBus;

  constructor({ db, tenantRepo, bus }: { db: Db; tenantRepo: TenantRepo; bus: EventBus }) {
    this.repo = new PluginCallRepo(db);
    this.tenantRepo = tenantRepo;
    this.bus = bus;
  }

  forPlugin(plugin: string): PluginCallsPort {
    const key = pluginKeyPrefix(plugin);
    return {
      forUser: (user, sessionId) => this.forUser(user, sessionId),
      annotate: (tenantId, sessionId, value) => this.annotate(plugin, key, tenantId, sessionId, value),
    };
  }

  private async forUser(user: PluginCallUser, sessionId: string): Promise<PluginCall> {
    const session = uuid.safeParse(sessionId).success ? await this.repo.session(user.tenantId, sessionId) : undefined;
    // An internal call has no customer: nothing a plugin's customer action could act on.
    if (!session || session.direction === 'internal') throw createError('not_found', 'No such call');
    if (user.role === 'agent' && !(await this.repo.agentsOf(session)).includes(user.userId)) {
      throw createError('not_your_call');
    }
    const view = await this.agentView(session);
    return {
      sessionId: session.id,
      tenantId: session.tenantId,
      direction: session.direction,
      live: session.state !== 'ended',
      customerNumber: customerNumber(session),
      customerAsSeen: view(customerNumber(session)),
      agentId: session.agentId,
      startedAt: session.startedAt,
      endedAt: session.endedAt,
    };
  }

  private async annotate(
    plugin: string,
    key: string,
    tenantId: string,
    sessionId: string,
    value: Record<string, unknown>,
  ): Promise<boolean> {
    const checked = checkAnnotations(value);
    if (!checked.ok) {
      throw createError('plugin_record_invalid', `plugin "${plugin}": ${checked.detail}`, { details: { plugin } });
    }
    if (!uuid.safeParse(tenantId).success || !uuid.safeParse(sessionId).success) return false;
    const session = await this.repo.session(tenantId, sessionId);
    if (!session || !(await this.repo.annotate(tenantId, sessionId, key, value))) return false;
    const agents = await this.repo.agentsOf(session);
    if (agents.length > 0) {
      const view = await this.agentView(session);
      await this.bus.publish(
        agents.map((userId) => ({ tenantId, kind: 'user' as const, userId })),
        'call.annotated',
        { sessionId, key, value: hideNumbersDeep(value, view.hidden) },
      );
    }
    return true;
  }

  private async agentView(session: CallSessionRow): Promise<NumberView> {
    const protect = numberProtectionOn(await this.tenantRepo.findById(session.tenantId));
    return agentNumberView({ customer: customerNumber(session), alias: session.customerAlias, protect });
  }
}
