/**
 * Whom a call can be handed to (CTL-03/04/09, ui-anchors W5): colleagues with their live
 * presence and the skill groups they belong to. Read from `GET /colleagues` (any agent) and
 * kept current by `presence` events; where that route is missing, a supervisor or admin gets
 * the same from `GET /agents`, `/users` and `/skill-groups`.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, quiet } from '@/api/request';
import type { PresenceState, ServerEvents } from '@/api/realtime-events';
import { useAuthStore } from './auth';
import { useRealtimeStore } from './realtime';

/** A colleague's presence, in the workbench's words (core `colleagues/presence.ts`). */
export type Presence = PresenceState;

export interface Colleague {
  id: string;
  name: string;
  staffNo: string;
  skillGroups: Array<{ id: string; name: string }>;
  state: Presence;
  reason: string | null;
  since: string;
}

export interface SkillGroupRef {
  id: string;
  name: string;
}

type PresenceEvent = ServerEvents['presence'];

const AGENT_TO_PRESENCE: Record<string, Presence> = {
  idle: 'idle',
  ringing: 'ringing',
  busy: 'onCall',
  afterCallWork: 'wrapUp',
  notReady: 'notReady',
  rest: 'rest',
  offline: 'offline',
};

/** Order in the list: who can take a call now first. */
const PRESENCE_ORDER: Record<Presence, number> = {
  idle: 0,
  wrapUp: 1,
  ringing: 2,
  onCall: 3,
  notReady: 4,
  rest: 5,
  offline: 6,
};

export const useDirectoryStore = defineStore('directory', () => {
  const auth = useAuthStore();
  const realtime = useRealtimeStore();
  const colleagues = ref<Colleague[]>([]);
  const groups = ref<SkillGroupRef[]>([]);
  const loading = ref(false);
  const loaded = ref(false);

  /** Everyone but the signed-in user, the available first. */
  const others = computed(() =>
    colleagues.value
      .filter((c) => c.id !== auth.user?.id)
      .sort((a, b) => PRESENCE_ORDER[a.state] - PRESENCE_ORDER[b.state] || a.staffNo.localeCompare(b.staffNo)),
  );

  async function fromColleagues(): Promise<boolean> {
    const r = await api.GET('/api/v1/colleagues', { ...quiet });
    if (!r.data) return false;
    colleagues.value = r.data.items;
    const byId = new Map<string, SkillGroupRef>();
    for (const c of r.data.items) for (const g of c.skillGroups) byId.set(g.id, g);
    groups.value = [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
    return true;
  }

  async function fromAdminRoutes(): Promise<void> {
    const [agents, users, sg] = await Promise.all([
      api.GET('/api/v1/agents', { ...quiet }),
      api.GET('/api/v1/users', { ...quiet }),
      api.GET('/api/v1/skill-groups', { ...quiet }),
    ]);
    const names = new Map((users.data?.items ?? []).map((u) => [u.id, u]));
    const groupsOf = new Map<string, SkillGroupRef[]>();
    for (const g of sg.data?.items ?? [])
      for (const m of g.members)
        groupsOf.set(m.userId, [...(groupsOf.get(m.userId) ?? []), { id: g.id, name: g.name }]);
    colleagues.value = (agents.data?.items ?? []).map((a) => ({
      id: a.userId,
      name: names.get(a.userId)?.name ?? a.userId,
      staffNo: names.get(a.userId)?.staffNo ?? '',
      skillGroups: groupsOf.get(a.userId) ?? [],
      state: AGENT_TO_PRESENCE[a.state] ?? 'offline',
      reason: a.reason,
      since: a.stateSince,
    }));
    groups.value = (sg.data?.items ?? []).map((g) => ({ id: g.id, name: g.name }));
  }

  /** Reads the directory (each time a transfer dialog opens: presence may have moved on). */
  async function load(): Promise<void> {
    loading.value = true;
    try {
      if (!(await fromColleagues()) && auth.role !== 'agent') await fromAdminRoutes();
      loaded.value = true;
    } finally {
      loading.value = false;
    }
  }

  function apply(e: PresenceEvent): void {
    const i = colleagues.value.findIndex((c) => c.id === e.agentId);
    if (i < 0) return;
    const next = [...colleagues.value];
    next[i] = { ...next[i]!, state: e.state, reason: e.reason, since: e.since };
    colleagues.value = next;
  }

  realtime.on('presence', apply);
  realtime.on('agent.status', (d) => {
    // Supervisors and admins hear every agent's state; agents hear only their own.
    const state = AGENT_TO_PRESENCE[d.to];
    if (state) apply({ agentId: d.agentId, state, reason: d.reason ?? null, since: d.at });
  });
  realtime.onResync('directory', () => (loaded.value ? load() : undefined));

  function $reset(): void {
    colleagues.value = [];
    groups.value = [];
    loaded.value = false;
  }

  return { colleagues, groups, others, loading, loaded, load, $reset };
});
