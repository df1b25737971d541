/**
 * What the number screens pick from (ADM-02…05): the tenant's number groups, IVR flows,
 * outbound skill groups and edition (pinning a flow version is advanced, IVR-35). Loaded once
 * per screen and again after a change to groups; each list is empty when the role may not
 * read it (the screen still works, without that picker).
 */
import { computed, ref } from 'vue';
import { api, quiet, type Schemas } from '@/api/request';

export type NumberItem = Schemas['Number'];
export type NumberGroup = Schemas['NumberGroup'];
export type NumberApplication = Schemas['NumberApplication'];
export type FlowSummary = Schemas['IvrFlowSummary'];
export type FlowVersion = Schemas['IvrFlowVersionSummary'];

/** A skill group as the outbound picker needs it. */
export interface OutboundGroup {
  id: string;
  name: string;
}

export function useNumberRefs() {
  const groups = ref<NumberGroup[]>([]);
  const flows = ref<FlowSummary[]>([]);
  const outboundGroups = ref<OutboundGroup[]>([]);
  const edition = ref<'standard' | 'advanced' | null>(null);

  async function loadGroups(): Promise<void> {
    const r = await api.GET('/api/v1/number-groups', { ...quiet });
    groups.value = r.data?.items ?? [];
  }

  async function load(): Promise<void> {
    const [, f, s, tenant] = await Promise.all([
      loadGroups(),
      api.GET('/api/v1/ivr-flows', { ...quiet }),
      api.GET('/api/v1/skill-groups', { ...quiet }),
      api.GET('/api/v1/tenant', { ...quiet }),
    ]);
    flows.value = f.data?.items ?? [];
    outboundGroups.value = (s.data?.items ?? [])
      .filter((g) => g.type === 'outbound')
      .map((g) => ({ id: g.id, name: g.name }))
      .sort((a, b) => a.name.localeCompare(b.name));
    edition.value = tenant.data?.edition ?? null;
  }

  /** Versions of a flow for the version picker (advanced tenants only; empty otherwise). */
  async function versionsOf(flowId: string): Promise<FlowVersion[]> {
    if (edition.value !== 'advanced') return [];
    const r = await api.GET('/api/v1/ivr-flows/{id}/versions', { params: { path: { id: flowId } }, ...quiet });
    return r.data?.items ?? [];
  }

  return {
    groups,
    flows,
    outboundGroups,
    edition,
    advanced: computed(() => edition.value === 'advanced'),
    load,
    loadGroups,
    versionsOf,
  };
}
