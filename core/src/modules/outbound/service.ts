import { createError } from '../../errors/registry.js';
import type { Principal } from '../auth/principal.js';
import type { PluginHost } from '../../plugins/host.js';
import { resolveCustomer } from '../calls/customer-alias.js';
import { agentNumberView, numberProtectionOn, PLAIN_VIEW } from '../calls/number-protection.js';
import type { NumberRepo } from '../numbers/repo.js';
import type { AgentDevice, SessionControlService } from '../sessions/control-service.js';
import type { TenantRepo } from '../tenants/repo.js';
import type { UserRepo } from '../users/repo.js';
import type { CallerLocator } from '../caller-location/lookup.js';
import { storedNumber } from './phone.js';
import type { CallerIdRow, OutboundRepo } from './repo.js';

/** What the dial pad sends (`POST /calls/outbound`), the number already stripped of separators. */
export interface OutboundRequest {
  /** The number; or, instead, `customerId`. */
  to?: string | undefined;
  /** The customer's ID as agents see it under number mapping (OUT-10): the number is looked up. */
  customerId?: string | undefined;
  callerNumberId?: string | undefined;
  skillGroupId?: string | undefined;
  /** Which device of the agent's rings first (default `auto`: per answer mode). */
  device?: AgentDevice | undefined;
}

/** The answer to a dial: the call to follow (`session.outbound`), whom it shows and whom it calls. */
export interface OutboundStarted {
  sessionId: string;
  /** The company number the customer sees (OUT-07). */
  callerId: string;
  /** The customer as the agent sees them: their ID (OUT-10), else the number, masked under protection (OUT-09). */
  callee: string;
}

/** A number an agent may show (`GET /calls/outbound/caller-ids`). */
export interface CallerIdView extends CallerIdRow {
  /** Linked to one of the agent's outbound skill groups: shown first when none is chosen. */
  preferred: boolean;
}

/** A refusal of one field of the body, shaped as the route guard's own (`details[].path`). */
function badField(field: string, message: string) {
  return createError('validation_failed', message, {
    details: [{ path: `body.${field}`, message, code: 'invalid_value' }],
  });
}

/**
 * Outbound calls from the workbench (OUT-01 web dial, OUT-03 dial pad): which of the tenant's
 * numbers the customer sees (OUT-07) and through which outbound skill group; the call itself is
 * live call control's ({@link SessionControlService.dialOutCall}: the agent's device first, then
 * the customer, on the session model of every call).
 */
export class OutboundService {
  private readonly d: {
    outboundRepo: OutboundRepo;
    numberRepo: NumberRepo;
    tenantRepo: TenantRepo;
    sessionControl: SessionControlService;
    pluginHost: PluginHost;
    userRepo: UserRepo;
    callerLocator: CallerLocator;
  };

  constructor(deps: OutboundService['d']) {
    // The lazy cradle, kept whole: `sessionControl` resolves the call path on first use.
    this.d = deps;
  }

  /**
   * Dials a customer for the signed-in agent. The caller ID (OUT-07): the number chosen
   * (`callerNumberId`, one of the tenant's), else one linked to the outbound skill group
   * (`skillGroupId`, or the agent's outbound groups), else any of the tenant's numbers.
   */
  async dial(p: Principal, req: OutboundRequest, answerFor: Principal = p): Promise<OutboundStarted> {
    if (p.kind !== 'user') throw createError('forbidden', 'Only a signed-in agent dials out');
    const { tenantId, userId } = p;
    let groups: string[];
    if (req.skillGroupId) {
      const g = await this.d.outboundRepo.groupFor(tenantId, req.skillGroupId, userId);
      if (!g || g.type !== 'outbound') throw badField('skillGroupId', 'No outbound skill group with that id');
      if (!g.member) throw badField('skillGroupId', 'You are not a member of that outbound skill group');
      groups = [g.id];
    } else {
      groups = (await this.d.outboundRepo.outboundGroupsOf(tenantId, userId)).map((g) => g.id);
    }
    // The group of the record when the number does not say: the one asked for, or the agent's only one.
    const only = groups.length === 1 ? groups[0]! : null;
    let customer: string;
    let customerAlias: string | undefined;
    if (req.customerId !== undefined) {
      // OUT-10: the agent knows the customer by the ID they were shown; the number stays here.
      const found = await resolveCustomer(this.d.pluginHost, tenantId, req.customerId);
      if (!found)
        throw createError('not_found', 'No customer with that ID', { details: { customerId: req.customerId } });
      customer = storedNumber(found);
      customerAlias = req.customerId;
    } else {
      customer = storedNumber(req.to ?? '');
    }
    let caller: { id: string; number: string };
    let skillGroupId: string | null;
    if (req.callerNumberId) {
      const n = await this.d.numberRepo.findById(tenantId, req.callerNumberId);
      if (!n) throw badField('callerNumberId', 'No number of yours with that id');
      caller = n;
      skillGroupId = (await this.d.outboundRepo.groupOfNumber(tenantId, n.id, groups)) ?? only;
    } else {
      // OUT-07: the group's numbers, else any (agent-mobile lines last); OUT-08 (advanced): of
      // those, one in the callee's city, else their province, else at random.
      const linked = await this.d.outboundRepo.groupNumbers(tenantId, groups);
      if (linked.length > 0) {
        const pick = await this.sameArea(tenantId, linked, customer);
        caller = pick;
        skillGroupId = pick.skillGroupId;
      } else {
        const any = await this.d.outboundRepo.anyNumbers(tenantId);
        if (any.length === 0) throw createError('no_caller_id');
        const forCustomers = any.filter((n) => !n.agentMobile);
        caller = await this.sameArea(tenantId, forCustomers.length ? forCustomers : any, customer);
        skillGroupId = only;
      }
    }
    const session = await this.d.sessionControl.dialOutCall(p, {
      kind: 'outbound',
      customer,
      callerId: caller.number,
      numberId: caller.id,
      skillGroupId,
      ...(customerAlias !== undefined ? { customerAlias } : {}),
      ...(req.device ? { device: req.device } : {}),
    });
    const view =
      answerFor.kind === 'user' && answerFor.role === 'agent'
        ? agentNumberView({
            customer,
            alias: session.customerAlias,
            protect: numberProtectionOn(await this.d.tenantRepo.findById(tenantId)),
          })
        : PLAIN_VIEW;
    return { sessionId: session.id, callerId: caller.number, callee: view(customer) };
  }

  /**
   * OUT-08: of the candidates (in random order), the first in the callee's city, else in their
   * province — for advanced tenants, when the callee's place is known (offline attribution data,
   * IN-06); otherwise the first. Company numbers are fixed lines, located by their area code.
   */
  private async sameArea<T extends { number: string }>(
    tenantId: string,
    candidates: readonly T[],
    callee: string,
  ): Promise<T> {
    const first = candidates[0]!;
    if (candidates.length < 2) return first;
    const tenant = await this.d.tenantRepo.findById(tenantId);
    if (tenant?.edition !== 'advanced') return first;
    const want = this.d.callerLocator.lookup(callee);
    if (!want?.province) return first;
    const places = candidates.map((c) => ({ c, at: this.d.callerLocator.lookup(c.number) }));
    return (
      places.find((p) => want.city && p.at?.city === want.city)?.c ??
      places.find((p) => p.at?.province === want.province)?.c ??
      first
    );
  }

  /**
   * Click-to-dial for a business system (OUT-02, like TCCC's outbound API): a CRM's server, with
   * an API key of scope `calls:dial` (or an admin or supervisor), starts an outbound call for the
   * agent it names — their email or user id. Everything else is the agent's own dial: their
   * device rings first (per answer mode, or their mobile with `device: 'mobile'`), their state
   * decides whether they may, the record is theirs, and their workbench follows the call
   * (`session.outbound`). The answer holds the customer's number whole: the caller knows it.
   */
  async clickToDial(p: Principal, seatUserId: string, req: OutboundRequest): Promise<OutboundStarted> {
    const byEmail = seatUserId.includes('@');
    const user = byEmail
      ? await this.d.userRepo.findByEmailForLogin(seatUserId)
      : /^[0-9a-f-]{36}$/i.test(seatUserId)
        ? await this.d.userRepo.findById(p.tenantId, seatUserId)
        : undefined;
    // Emails are unique across tenants: one of another tenant is "not found" here.
    if (!user || user.tenantId !== p.tenantId) throw createError('not_found', 'No agent with that email or id');
    if (user.status !== 'active') throw createError('account_disabled');
    return this.dial({ kind: 'user', tenantId: p.tenantId, userId: user.id, role: user.role }, req, p);
  }

  /**
   * The numbers an agent may show when dialling out: every number of the tenant, those linked to
   * the agent's outbound skill groups first (`preferred`); and those groups.
   */
  async callerIds(p: Principal): Promise<{ items: CallerIdView[]; skillGroups: Array<{ id: string; name: string }> }> {
    if (p.kind !== 'user') throw createError('forbidden', 'Only a signed-in agent dials out');
    const skillGroups = await this.d.outboundRepo.outboundGroupsOf(p.tenantId, p.userId);
    const rows = await this.d.outboundRepo.callerIds(
      p.tenantId,
      skillGroups.map((g) => g.id),
    );
    const items = rows.map((r) => ({ ...r, preferred: r.skillGroupIds.length > 0 }));
    items.sort((a, b) => Number(b.preferred) - Number(a.preferred) || a.number.localeCompare(b.number));
    return { items, skillGroups };
  }
}
