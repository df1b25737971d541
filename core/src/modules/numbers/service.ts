import { createError } from '../../errors/registry.js';
import type { IvrRepo } from '../ivr/repo.js';
import type { IvrService } from '../ivr/service.js';
import type { TenantRepo } from '../tenants/repo.js';
import type { NumberApplicationListRow, NumberGroupListRow, NumberListRow, NumberQuery, NumberRepo } from './repo.js';
import type {
  NumberApplicationRow,
  NumberApplicationStatus,
  NumberApplicationType,
  NumberGroupRow,
  NumberRow,
} from './schema.js';

/** What kind of number it is, read from its digits: a 400 or 95 service number, else E.164. */
export type NumberKind = '400' | '95' | 'e164';

/** A number as the API shows it. */
export interface NumberView {
  id: string;
  number: string;
  label: string;
  kind: NumberKind;
  /** The number group it belongs to (ADM-02); null = none. */
  numberGroupId: string | null;
  /** The flow that answers calls to the number (null = none: callers hear "not configured"). */
  ivrFlowId: string | null;
  /** The flow version the number is pinned to (IVR-35); null = the flow's published version. */
  ivrFlowVersion: number | null;
  /** Used as a caller id to ring agents' mobiles (ADM-05). */
  agentMobile: boolean;
  createdAt: string;
}

/** A number with the names the admin list shows (ADM-02…05). */
export interface NumberListView extends NumberView {
  group: { id: string; name: string } | null;
  ivrFlow: { id: string; name: string; publishedVersion: number | null } | null;
  outboundSkillGroups: Array<{ id: string; name: string }>;
}

/** A number group as the API shows it (ADM-02). */
export interface NumberGroupView {
  id: string;
  name: string;
  description: string;
  numberCount: number;
  createdAt: string;
}

/** A number application as the API shows it (LINE-02). */
export interface NumberApplicationView {
  id: string;
  type: NumberApplicationType;
  area: string;
  quantity: number;
  purpose: string;
  status: NumberApplicationStatus;
  note: string;
  requestedBy: { id: string; name: string } | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * The moves an application may make (LINE-02): someone takes it up (`processing`) or answers at
 * once; a taken-up request ends fulfilled or rejected; the two ends are final. A new request
 * is filed for a second try, so the history of each stays as it was.
 */
export const APPLICATION_MOVES: Record<NumberApplicationStatus, readonly NumberApplicationStatus[]> = {
  requested: ['processing', 'fulfilled', 'rejected'],
  processing: ['fulfilled', 'rejected'],
  fulfilled: [],
  rejected: [],
};

/** E.164 without the `+` (country code first, 7…15 digits) or a 95 service number (5…8 digits). */
const E164 = /^[1-9]\d{6,14}$/;
const SERVICE_95 = /^95\d{3,6}$/;

/**
 * The digits of a number as an admin types it (`+86 10 8888-6666`, `400-100-0000`): spaces,
 * dashes, dots, brackets and a leading `+` dropped. Null when what is left is not E.164 (a
 * 400 number is E.164-shaped: ten digits from 4) or a 95 service number. Stored as the carrier
 * delivers them, because inbound routing matches the called digits exactly.
 */
export function normaliseNumber(raw: string): string | null {
  const digits = raw.replace(/[\s().-]/g, '').replace(/^\+/, '');
  return E164.test(digits) || SERVICE_95.test(digits) ? digits : null;
}

/** The kind of a stored number (shown as a tag in the list). */
export function numberKind(number: string): NumberKind {
  if (/^400\d{7}$/.test(number)) return '400';
  if (SERVICE_95.test(number)) return '95';
  return 'e164';
}

function view(n: NumberRow): NumberView {
  return {
    id: n.id,
    number: n.number,
    label: n.label,
    kind: numberKind(n.number),
    numberGroupId: n.numberGroupId,
    ivrFlowId: n.ivrFlowId,
    ivrFlowVersion: n.ivrFlowVersion,
    agentMobile: n.agentMobile,
    createdAt: n.createdAt.toISOString(),
  };
}

function listView(r: NumberListRow): NumberListView {
  return { ...view(r.number), group: r.group, ivrFlow: r.flow, outboundSkillGroups: r.outboundSkillGroups };
}

function groupView(g: NumberGroupRow & { numberCount?: number }): NumberGroupView {
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    numberCount: g.numberCount ?? 0,
    createdAt: g.createdAt.toISOString(),
  };
}

function applicationView(a: NumberApplicationRow, requestedByName: string | null): NumberApplicationView {
  return {
    id: a.id,
    type: a.type,
    area: a.area,
    quantity: a.quantity,
    purpose: a.purpose,
    status: a.status,
    note: a.note,
    requestedBy: a.requestedBy ? { id: a.requestedBy, name: requestedByName ?? '' } : null,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

function badField(field: string, message: string) {
  return createError('validation_failed', message, {
    details: [{ path: `body.${field}`, message, code: 'invalid_value' }],
  });
}

/** What an admin sends to add or change a number. */
export interface NumberInput {
  label?: string | undefined;
  numberGroupId?: string | null | undefined;
  ivrFlowId?: string | null | undefined;
  ivrFlowVersion?: number | null | undefined;
  agentMobile?: boolean | undefined;
  outboundSkillGroupIds?: string[] | undefined;
}

/**
 * The tenant's numbers (ADM-02…05, LINE-01/02).
 *
 * LINE-01, bring your own number: the carrier's SIP trunk (landline, 400, 95) is configured in
 * jambonz (a carrier plus a phone number routed to our application); the number is registered
 * here so inbound calls find their tenant and flow. The two must match digit for digit: jambonz
 * sends the called number as the carrier delivers it, and we compare digits only.
 *
 * What an admin sets on a number: its label and group (ADM-02), the IVR flow answering it and,
 * advanced edition, the flow version it is pinned to (ADM-03, IVR-35), the outbound skill
 * groups that show it when dialling out (ADM-04), and whether it rings agents' mobiles (ADM-05).
 */
export class NumberService {
  private readonly numbers: NumberRepo;
  private readonly flows: IvrRepo;
  private readonly ivr: IvrService;
  private readonly tenants: TenantRepo;

  constructor(deps: { numberRepo: NumberRepo; ivrRepo: IvrRepo; ivrService: IvrService; tenantRepo: TenantRepo }) {
    this.numbers = deps.numberRepo;
    this.flows = deps.ivrRepo;
    this.ivr = deps.ivrService;
    this.tenants = deps.tenantRepo;
  }

  async page(tenantId: string, q: NumberQuery): Promise<{ items: NumberListView[]; total: number }> {
    const { rows, total } = await this.numbers.page(tenantId, q);
    return { items: rows.map(listView), total };
  }

  async get(tenantId: string, id: string): Promise<NumberListView> {
    const row = await this.numbers.listRow(tenantId, id);
    if (!row) throw createError('not_found', 'No number with that id');
    return listView(row);
  }

  /** Registers a number (LINE-01); 409 `conflict` when the digits are registered already. */
  async add(tenantId: string, raw: string, input: NumberInput): Promise<NumberListView> {
    const number = normaliseNumber(raw);
    if (!number) {
      throw badField(
        'number',
        'Enter an E.164 number (country code first, e.g. 861088886666), a 400 number or a 95 service number',
      );
    }
    const binding = await this.binding(tenantId, { ivrFlowId: null, ivrFlowVersion: null }, input);
    await this.checkRefs(tenantId, input);
    const row = await this.numbers.add(tenantId, number, { ...input, ...binding });
    // Numbers are unique across the installation (inbound calls find their tenant by digits).
    if (!row) throw createError('conflict', `${number} is already registered`, { details: { field: 'number' } });
    return this.get(tenantId, row.id);
  }

  /**
   * Changes a number: label, group, flow binding, outbound groups, agent-mobile use. Every
   * reference is checked before anything is written, and it is written in one transaction.
   */
  async change(tenantId: string, id: string, input: NumberInput): Promise<NumberListView> {
    const number = await this.numbers.findById(tenantId, id);
    if (!number) throw createError('not_found', 'No number with that id');
    const touchesBinding = input.ivrFlowId !== undefined || input.ivrFlowVersion !== undefined;
    const binding = touchesBinding ? await this.binding(tenantId, number, input) : {};
    await this.checkRefs(tenantId, input);
    if (input.agentMobile === false && number.agentMobile) await this.checkAgentMobileNotLast(tenantId, id);
    const row = await this.numbers.change(tenantId, id, { ...input, ...binding });
    if (!row) throw createError('not_found', 'No number with that id');
    return this.get(tenantId, id);
  }

  /** Kept for callers of the ADM-03 binding alone. */
  async bind(
    tenantId: string,
    id: string,
    patch: { ivrFlowId?: string | null; ivrFlowVersion?: number | null },
  ): Promise<NumberListView> {
    return this.change(tenantId, id, patch);
  }

  /**
   * Removes a number. New calls to it are refused as "not in service"; a call in progress on it
   * goes on (it runs on the flow version it started with, and its session and record keep the
   * digits — the record shows the number without a label). Its outbound links go with it.
   * Refused while it is the tenant's last agent-mobile number and agents answer on their
   * mobiles: every such ring would fail until another number is designated.
   */
  async remove(tenantId: string, id: string): Promise<void> {
    const number = await this.numbers.findById(tenantId, id);
    if (!number) throw createError('not_found', 'No number with that id');
    if (number.agentMobile) await this.checkAgentMobileNotLast(tenantId, id);
    if (!(await this.numbers.remove(tenantId, id))) throw createError('not_found', 'No number with that id');
  }

  private async checkAgentMobileNotLast(tenantId: string, id: string): Promise<void> {
    if ((await this.numbers.countOtherAgentMobile(tenantId, id)) > 0) return;
    const agents = await this.numbers.countMobileAnsweringAgents(tenantId);
    if (agents > 0) {
      throw createError(
        'number_in_use',
        'This is the only number that rings agents’ mobiles and agents answer on their mobiles: designate another number first',
        { details: { reason: 'lastAgentMobileNumber', mobileAnsweringAgents: agents } },
      );
    }
  }

  /** Group and outbound skill groups exist in the tenant (and the latter are outbound). */
  private async checkRefs(tenantId: string, input: NumberInput): Promise<void> {
    if (input.numberGroupId && !(await this.numbers.findGroup(tenantId, input.numberGroupId))) {
      throw badField('numberGroupId', 'No number group with that id');
    }
    const ids = input.outboundSkillGroupIds;
    if (ids && ids.length > 0) {
      const found = await this.numbers.outboundGroups(tenantId, ids);
      for (const id of ids) {
        const g = found.find((f) => f.id === id);
        if (!g) throw badField('outboundSkillGroupIds', `No skill group with id ${id}`);
        if (g.type !== 'outbound') {
          throw badField('outboundSkillGroupIds', 'Only outbound skill groups show numbers when dialling out');
        }
      }
    }
  }

  /**
   * The flow binding after a change (ADM-03). A new flow without a version unpins; a version
   * alone pins within the current flow. Pinning is advanced-only; the pinned version is checked
   * like a published one (edition, audio library) and frozen from then on, because calls run
   * on it. A flow or version that does not exist is refused (404 `not_found`).
   */
  private async binding(
    tenantId: string,
    current: { ivrFlowId: string | null; ivrFlowVersion: number | null },
    patch: { ivrFlowId?: string | null | undefined; ivrFlowVersion?: number | null | undefined },
  ): Promise<{ ivrFlowId: string | null; ivrFlowVersion: number | null }> {
    const flowId = patch.ivrFlowId === undefined ? current.ivrFlowId : patch.ivrFlowId;
    let version =
      patch.ivrFlowVersion !== undefined
        ? patch.ivrFlowVersion
        : patch.ivrFlowId !== undefined && patch.ivrFlowId !== current.ivrFlowId
          ? null
          : current.ivrFlowVersion;
    if (flowId === null) version = null;
    if (flowId !== null && !(await this.flows.findById(tenantId, flowId))) {
      throw createError('not_found', 'No IVR flow with that id');
    }
    if (version !== null && patch.ivrFlowVersion !== undefined && patch.ivrFlowVersion !== null) {
      const tenant = await this.tenants.findById(tenantId);
      if (tenant?.edition !== 'advanced') {
        throw createError('edition_required', 'Binding a number to a flow version is part of the advanced edition', {
          details: { required: 'advanced', current: tenant?.edition ?? null },
        });
      }
      if (flowId === null) throw createError('validation_failed', 'Choose a flow for the version');
      const v = await this.flows.findVersion(tenantId, flowId, version);
      if (!v) throw createError('not_found', `Flow has no version ${version}`);
      await this.ivr.check(tenantId, v.graph);
      await this.flows.freezeVersion(tenantId, flowId, version);
    }
    return { ivrFlowId: flowId, ivrFlowVersion: version };
  }

  // Number groups (ADM-02)

  async listGroups(tenantId: string): Promise<NumberGroupView[]> {
    return (await this.numbers.listGroups(tenantId)).map((g: NumberGroupListRow) => groupView(g));
  }

  async addGroup(
    tenantId: string,
    input: { name: string; description?: string | undefined },
  ): Promise<NumberGroupView> {
    const g = await this.numbers.createGroup(tenantId, { name: input.name, description: input.description ?? '' });
    if (!g) throw createError('conflict', 'A number group with that name exists', { details: { field: 'name' } });
    return groupView(g);
  }

  async changeGroup(
    tenantId: string,
    id: string,
    patch: { name?: string | undefined; description?: string | undefined },
  ): Promise<NumberGroupView> {
    if (patch.name !== undefined && (await this.numbers.groupNameTaken(tenantId, patch.name, id))) {
      throw createError('conflict', 'A number group with that name exists', { details: { field: 'name' } });
    }
    const g = await this.numbers.updateGroup(tenantId, id, patch);
    if (!g) throw createError('not_found', 'No number group with that id');
    const counted = (await this.numbers.listGroups(tenantId)).find((x) => x.id === id);
    return groupView(counted ?? g);
  }

  /** Deletes a group; its numbers stay and answer as before, in no group. */
  async removeGroup(tenantId: string, id: string): Promise<void> {
    if (!(await this.numbers.deleteGroup(tenantId, id))) throw createError('not_found', 'No number group with that id');
  }

  // Number applications (LINE-02)

  async pageApplications(
    tenantId: string,
    q: { status?: NumberApplicationStatus | undefined; limit: number; offset: number },
  ): Promise<{ items: NumberApplicationView[]; total: number }> {
    const { rows, total } = await this.numbers.pageApplications(tenantId, q);
    return { items: rows.map((r: NumberApplicationListRow) => applicationView(r, r.requestedByName)), total };
  }

  /** Files an application; it starts `requested`. */
  async apply(
    tenantId: string,
    requestedBy: string | null,
    input: { type: NumberApplicationType; area: string; quantity: number; purpose: string },
  ): Promise<NumberApplicationView> {
    const row = await this.numbers.createApplication(tenantId, { ...input, requestedBy });
    const found = await this.numbers.findApplication(tenantId, row.id);
    return applicationView(row, found?.requestedByName ?? null);
  }

  /**
   * Moves an application along {@link APPLICATION_MOVES}, with an optional note (the numbers
   * given, the reason for a rejection). 409 `invalid_state_transition` for any other move.
   */
  async moveApplication(
    tenantId: string,
    id: string,
    to: NumberApplicationStatus,
    note: string | undefined,
  ): Promise<NumberApplicationView> {
    const app = await this.numbers.findApplication(tenantId, id);
    if (!app) throw createError('not_found', 'No number application with that id');
    const refuse = () =>
      createError('invalid_state_transition', `A ${app.status} application cannot become ${to}`, {
        details: { from: app.status, to, allowed: APPLICATION_MOVES[app.status] },
      });
    if (!APPLICATION_MOVES[app.status].includes(to)) throw refuse();
    const moved = await this.numbers.moveApplication(tenantId, id, app.status, to, note);
    if (!moved) throw refuse();
    return applicationView(moved, app.requestedByName);
  }
}
