import { createError } from '../../errors/registry.js';
import type { IvrRepo } from '../ivr/repo.js';
import type { IvrService } from '../ivr/service.js';
import type { TenantRepo } from '../tenants/repo.js';
import type { NumberRepo } from './repo.js';
import type { NumberRow } from './schema.js';

/** A number as the API shows it. */
export interface NumberView {
  id: string;
  number: string;
  label: string;
  /** The flow that answers calls to the number (null = none: callers hear "not configured"). */
  ivrFlowId: string | null;
  /** The flow version the number is pinned to (IVR-35); null = the flow's published version. */
  ivrFlowVersion: number | null;
  createdAt: string;
}

function view(n: NumberRow): NumberView {
  return {
    id: n.id,
    number: n.number,
    label: n.label,
    ivrFlowId: n.ivrFlowId,
    ivrFlowVersion: n.ivrFlowVersion,
    createdAt: n.createdAt.toISOString(),
  };
}

/**
 * Number binding (ADM-03): which IVR flow answers a number, and — advanced edition (IVR-35) —
 * which version of it. Numbers themselves are provisioned by the operator, not through the API.
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

  async list(tenantId: string): Promise<NumberView[]> {
    return (await this.numbers.list(tenantId)).map(view);
  }

  /**
   * Changes a number's binding. A new flow without a version unpins; a version alone pins
   * within the current flow. Pinning is advanced-only; the pinned version is checked like a
   * published one (edition, audio library) and frozen from then on, because calls run on it.
   */
  async bind(
    tenantId: string,
    id: string,
    patch: { ivrFlowId?: string | null; ivrFlowVersion?: number | null },
  ): Promise<NumberView> {
    const number = await this.numbers.findById(tenantId, id);
    if (!number) throw createError('not_found', 'No number with that id');
    const flowId = patch.ivrFlowId === undefined ? number.ivrFlowId : patch.ivrFlowId;
    let version =
      patch.ivrFlowVersion !== undefined
        ? patch.ivrFlowVersion
        : patch.ivrFlowId !== undefined && patch.ivrFlowId !== number.ivrFlowId
          ? null
          : number.ivrFlowVersion;
    if (flowId === null) version = null;
    if (flowId !== null && !(await this.flows.findById(tenantId, flowId))) {
      throw createError('not_found', 'No IVR flow with that id');
    }
    if (version !== null && patch.ivrFlowVersion !== undefined) {
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
    const row = await this.numbers.bind(tenantId, id, { ivrFlowId: flowId, ivrFlowVersion: version });
    if (!row) throw createError('not_found', 'No number with that id');
    return view(row);
  }
}
