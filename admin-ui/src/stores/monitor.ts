/**
 * Live monitors (MON-01/02/03) for supervisors and admins: the agents, skill groups and calls
 * of the tenant from `GET /monitor/…`, kept current by `/ws` events without reading again —
 * `monitor.agent` and `monitor.skillGroup` replace a row's live part, `session.state`,
 * `session.hold` and `session.listen` move the call list (a call not yet listed is read once,
 * for its names) — and read again after a reconnect (events are hints, ADR 0007).
 *
 * Listening in (MON-03, advanced tenants): the supervisor's own softphone (the workbench's phone
 * store: provisioned on first use, registered here if it is not running) rings for the listen
 * leg and is answered at once, since the supervisor asked for it; leaving hangs it up.
 */
import { defineStore } from 'pinia';
import { computed, nextTick, ref, watch } from 'vue';
import { api, quiet, unwrap, type Schemas } from '@/api/request';
import type { ServerEvents } from '@/api/realtime-events';
import { useAgentStore } from './agent';
import { useAuthStore } from './auth';
import { usePhoneStore } from './phone';
import { useRealtimeStore } from './realtime';

export type MonitorAgent = Schemas['MonitorAgent'];
export type MonitorSkillGroup = Schemas['MonitorSkillGroup'];
export type MonitorSession = Schemas['MonitorSession'];

/** Why listening in cannot start. */
export type ListenBlock = 'standard' | 'noPhone' | 'busy';

/** How long session events are gathered before a call not yet listed is read (ms). */
const REFRESH_DELAY_MS = 300;

export const useMonitorStore = defineStore('monitor', () => {
  const auth = useAuthStore();
  const realtime = useRealtimeStore();
  const phone = usePhoneStore();
  const agentStore = useAgentStore();

  const agents = ref<MonitorAgent[]>([]);
  const groups = ref<MonitorSkillGroup[]>([]);
  const sessions = ref<MonitorSession[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  /** When the lists were last read or an event last changed them (the "last updated" line). */
  const updatedAt = ref<number | null>(null);
  const edition = ref<'standard' | 'advanced' | null>(null);
  /** The session I listen to (or whose listen leg rings my phone), and the action under way. */
  const listeningTo = ref<string | null>(null);
  const listenBusy = ref(false);
  const listenProblem = ref<string | null>(null);
  let watching = false;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;

  const me = computed(() => auth.user?.id ?? null);
  const canListen = computed(
    () => edition.value === 'advanced' && (auth.role === 'supervisor' || auth.role === 'admin'),
  );
  const groupNames = computed(() => new Map(groups.value.map((g) => [g.skillGroupId, g.name])));
  const agentById = computed(() => new Map(agents.value.map((a) => [a.agentId, a])));

  function touch(): void {
    updatedAt.value = Date.now();
  }

  async function loadAgents(): Promise<void> {
    const r = await api.GET('/api/v1/monitor/agents', { ...quiet });
    if (r.data) agents.value = r.data.items;
  }
  async function loadGroups(): Promise<void> {
    const r = await api.GET('/api/v1/monitor/skill-groups', { ...quiet });
    if (r.data) groups.value = r.data.items;
  }
  async function loadSessions(): Promise<void> {
    const r = await api.GET('/api/v1/monitor/sessions', { ...quiet });
    if (r.data) sessions.value = r.data.items;
  }

  /** Reads every list (first visit, reconnect). */
  async function load(): Promise<void> {
    if (!auth.signedIn || loading.value) return;
    loading.value = true;
    try {
      const [, , , t] = await Promise.all([
        loadAgents(),
        loadGroups(),
        loadSessions(),
        api.GET('/api/v1/tenant', { ...quiet }),
      ]);
      if (t.data) edition.value = t.data.edition;
      loaded.value = true;
      touch();
    } finally {
      loading.value = false;
    }
  }

  function scheduleSessions(): void {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      void loadSessions().then(touch);
    }, REFRESH_DELAY_MS);
  }

  function applyAgent(d: ServerEvents['monitor.agent']): void {
    const i = agents.value.findIndex((a) => a.agentId === d.agentId);
    if (i < 0) {
      // Someone new (an agent added meanwhile): the list brings their name and groups.
      void loadAgents().then(touch);
      return;
    }
    const cur = agents.value[i]!;
    // Out-of-order delivery: never go back in time.
    if (Date.parse(d.at) < Date.parse(cur.at)) return;
    agents.value.splice(i, 1, { ...cur, ...d });
    touch();
  }

  function applyGroup(d: ServerEvents['monitor.skillGroup']): void {
    const i = groups.value.findIndex((g) => g.skillGroupId === d.skillGroupId);
    if (i < 0) {
      void loadGroups().then(touch);
      return;
    }
    const cur = groups.value[i]!;
    if (Date.parse(d.at) < Date.parse(cur.at)) return;
    groups.value.splice(i, 1, { ...cur, ...d });
    touch();
  }

  function applySession(d: ServerEvents['session.state']): void {
    const i = sessions.value.findIndex((s) => s.sessionId === d.sessionId);
    if (d.state === 'ended') {
      if (i >= 0) sessions.value.splice(i, 1);
      if (listeningTo.value === d.sessionId) listeningTo.value = null;
      touch();
      return;
    }
    if (i < 0) {
      scheduleSessions();
      return;
    }
    const cur = sessions.value[i]!;
    const agent = d.agentId ? agentById.value.get(d.agentId) : null;
    const groupName = d.skillGroupId ? groupNames.value.get(d.skillGroupId) : null;
    sessions.value.splice(i, 1, {
      ...cur,
      state: d.state,
      skillGroup: d.skillGroupId ? { id: d.skillGroupId, name: groupName ?? cur.skillGroup?.name ?? '' } : null,
      agent: d.agentId
        ? cur.agent?.id === d.agentId
          ? cur.agent
          : agent
            ? { id: agent.agentId, name: agent.name, staffNo: agent.staffNo, email: '' }
            : { id: d.agentId, name: '', staffNo: '', email: '' }
        : null,
      queuedAt: d.state === 'queued' && cur.state !== 'queued' ? d.at : cur.queuedAt,
      acceptedAt: d.state === 'bridged' && !cur.acceptedAt ? d.at : cur.acceptedAt,
    });
    // An agent new to this call (their email, or a name the monitor does not know): read the list once.
    if (d.agentId && cur.agent?.id !== d.agentId) scheduleSessions();
    touch();
  }

  function applyListen(d: ServerEvents['session.listen']): void {
    const i = sessions.value.findIndex((s) => s.sessionId === d.sessionId);
    if (d.supervisorId === me.value && !d.listening && listeningTo.value === d.sessionId) listeningTo.value = null;
    if (i < 0) return;
    const cur = sessions.value[i]!;
    const others = cur.listeners.filter((l) => l.legId !== d.legId);
    sessions.value.splice(i, 1, {
      ...cur,
      listeners: d.listening ? [...others, { supervisorId: d.supervisorId, legId: d.legId, state: 'ringing' }] : others,
    });
    touch();
  }

  function applyParty(d: ServerEvents['session.party']): void {
    if (d.purpose !== 'listen') return;
    const i = sessions.value.findIndex((s) => s.sessionId === d.sessionId);
    if (i < 0) return;
    const cur = sessions.value[i]!;
    const others = cur.listeners.filter((l) => l.legId !== d.legId);
    const gone = d.state === 'left' || d.state === 'failed';
    const state = d.state === 'joined' ? 'joined' : 'ringing';
    sessions.value.splice(i, 1, {
      ...cur,
      listeners: gone || !d.agentId ? others : [...others, { supervisorId: d.agentId, legId: d.legId, state }],
    });
    touch();
  }

  function applyHold(d: ServerEvents['session.hold']): void {
    const i = sessions.value.findIndex((s) => s.sessionId === d.sessionId);
    if (i < 0) return;
    sessions.value.splice(i, 1, { ...sessions.value[i]!, held: d.held });
    touch();
  }

  /** Starts following the events (once) and reads the lists. */
  function start(): Promise<void> {
    if (!watching) {
      watching = true;
      realtime.on('monitor.agent', applyAgent);
      realtime.on('monitor.skillGroup', applyGroup);
      realtime.on('session.state', applySession);
      realtime.on('session.listen', applyListen);
      realtime.on('session.party', applyParty);
      realtime.on('session.hold', applyHold);
      realtime.onResync('monitor', () => (loaded.value ? load() : undefined));
    }
    return load();
  }

  // ───────────────────────────── listen-in (MON-03) ─────────────────────────────

  /** Whether I listen to (or am being rung for) this call. */
  function listening(sessionId: string): boolean {
    return (
      listeningTo.value === sessionId ||
      sessions.value.some((s) => s.sessionId === sessionId && s.listeners.some((l) => l.supervisorId === me.value))
    );
  }

  /** Why I cannot listen to a call now, or null. */
  function listenBlock(): ListenBlock | null {
    if (!canListen.value) return 'standard';
    if (phone.unavailable) return 'noPhone';
    if (listeningTo.value || listenBusy.value) return 'busy';
    return null;
  }

  // Listening keeps my phone up even while I am offline as an agent (the call dock would stop it).
  watch(
    () => listenBusy.value || listeningTo.value !== null,
    (on) => (on ? phone.hold('listen') : phone.release('listen')),
    { immediate: true },
  );

  // The listen leg rings my phone: I asked for it, so it is answered at once.
  watch(
    () => (phone.ringing && phone.ringing.sessionId === listeningTo.value ? phone.ringing.id : null),
    (id) => {
      if (id) void phone.answer();
    },
  );

  /**
   * Listens in: makes sure my softphone runs (provisioned on first use), then asks the server
   * to ring it into the call muted. False when refused (the reason in `listenProblem`).
   */
  async function listen(sessionId: string): Promise<boolean> {
    if (listenBusy.value || listeningTo.value) return false;
    listenBusy.value = true;
    listenProblem.value = null;
    try {
      const p = await phone.ensure();
      if (!p) {
        listenProblem.value = phone.problem ?? 'noPhone';
        return false;
      }
      // A supervisor who takes no calls has an agent profile now (made with the device): load it
      // before the phone starts, so the workbench's dock sees the profile and the listen hold.
      if (agentStore.notAgent) {
        await agentStore.load();
        await nextTick();
      }
      await phone.start();
      if (!phone.registered) {
        listenProblem.value = phone.problem ?? 'noPhone';
        return false;
      }
      listeningTo.value = sessionId;
      try {
        unwrap(await api.POST('/api/v1/sessions/{id}/listen', { params: { path: { id: sessionId } } }));
      } catch {
        listeningTo.value = null;
        return false;
      }
      return true;
    } finally {
      listenBusy.value = false;
    }
  }

  /** Stops listening: the server hangs my listen leg up. */
  async function leave(sessionId: string): Promise<boolean> {
    if (listenBusy.value) return false;
    listenBusy.value = true;
    try {
      unwrap(await api.POST('/api/v1/sessions/{id}/listen/leave', { params: { path: { id: sessionId } } }));
      if (listeningTo.value === sessionId) listeningTo.value = null;
      return true;
    } catch {
      return false;
    } finally {
      listenBusy.value = false;
    }
  }

  function $reset(): void {
    agents.value = [];
    groups.value = [];
    sessions.value = [];
    loaded.value = false;
    updatedAt.value = null;
    edition.value = null;
    listeningTo.value = null;
    listenProblem.value = null;
    clearTimeout(refreshTimer);
  }

  return {
    agents,
    groups,
    sessions,
    loaded,
    loading,
    updatedAt,
    edition,
    canListen,
    listeningTo,
    listenBusy,
    listenProblem,
    agentById,
    start,
    load,
    listening,
    listenBlock,
    listen,
    leave,
    applyAgent,
    applyGroup,
    applySession,
    $reset,
  };
});
