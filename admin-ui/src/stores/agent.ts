/**
 * The signed-in user's agent state (AGT-01/02): read from `GET /agents/me`, changed through
 * `PUT /agents/me/state`, `POST /agents/me/login|logout`, and kept current by `agent.status`
 * events; re-read after every reconnect. Rest reasons and the default login state come from
 * the tenant's agent settings.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, quiet, unwrap, type Schemas } from '@/api/request';
import { useAuthStore } from './auth';
import { useRealtimeStore } from './realtime';

export type Agent = Schemas['Agent'];
export type AgentState = Agent['state'];
export type AgentSettings = Schemas['AgentSettings'];

/** States an agent picks; the others (ringing, busy, wrap-up) are set by calls. */
export const SELF_STATES = ['idle', 'notReady', 'rest', 'offline'] as const;
export type SelfState = (typeof SELF_STATES)[number];

/**
 * The changes an agent may make from each state (the `self` rows of core's
 * `modules/agents/state-machine.ts`): the menu offers only these, so a click is never refused.
 */
const SELF_TRANSITIONS: Record<AgentState, readonly SelfState[]> = {
  offline: ['idle', 'notReady'],
  idle: ['notReady', 'rest', 'offline'],
  notReady: ['idle', 'rest', 'offline'],
  rest: ['idle', 'notReady', 'rest', 'offline'],
  ringing: [],
  busy: [],
  afterCallWork: ['idle', 'notReady', 'rest', 'offline'],
};

export const useAgentStore = defineStore('agent', () => {
  const auth = useAuthStore();
  const realtime = useRealtimeStore();

  const agent = ref<Agent | null>(null);
  const settings = ref<AgentSettings | null>(null);
  /** `GET /agents/me` answered 404: this user takes no calls (an admin without an agent profile). */
  const notAgent = ref(false);
  const loaded = ref(false);
  const changing = ref(false);

  const state = computed<AgentState>(() => agent.value?.state ?? 'offline');
  const reason = computed(() => agent.value?.reason ?? null);
  const stateSince = computed(() => (agent.value ? Date.parse(agent.value.stateSince) : Date.now()));
  const restReasons = computed(() => settings.value?.restReasons ?? []);
  /** The agent may choose a state now (not while a call decides it). */
  const canChoose = computed(() => SELF_TRANSITIONS[state.value].length > 0);
  /** Whether the agent may change to `next` from the current state. */
  function allows(next: SelfState): boolean {
    return SELF_TRANSITIONS[state.value].includes(next);
  }

  let loading: Promise<void> | undefined;
  /** Reads the agent and the tenant's agent settings (concurrent callers share one read). */
  function load(): Promise<void> {
    loading ??= read().finally(() => (loading = undefined));
    return loading;
  }

  async function read(): Promise<void> {
    if (!auth.signedIn) return;
    const [me, s] = await Promise.all([
      api.GET('/api/v1/agents/me', { ...quiet }),
      api.GET('/api/v1/settings/agent', { ...quiet }),
    ]);
    if (me.data) {
      agent.value = me.data;
      notAgent.value = false;
    } else if (me.response.status === 404) {
      agent.value = null;
      notAgent.value = true;
    }
    if (s.data) settings.value = s.data;
    loaded.value = true;
  }

  /** Runs a state change; the server's answer is the new state (errors are shown by the client). */
  async function change(run: () => Promise<Agent>): Promise<boolean> {
    changing.value = true;
    try {
      agent.value = await run();
      return true;
    } catch {
      return false;
    } finally {
      changing.value = false;
    }
  }

  /** Goes online into the tenant's default state (AGT-02). */
  const goOnline = () => change(async () => unwrap(await api.POST('/api/v1/agents/me/login')));
  const goOffline = () => change(async () => unwrap(await api.POST('/api/v1/agents/me/logout')));

  /** Sets idle, notReady, rest (with a reason) or offline. */
  function setState(next: SelfState, restReason?: string): Promise<boolean> {
    if (next === 'offline') return goOffline();
    return change(async () =>
      unwrap(
        await api.PUT('/api/v1/agents/me/state', {
          body: { state: next, ...(next === 'rest' && restReason ? { reason: restReason } : {}) },
        }),
      ),
    );
  }

  /** After a fresh sign-in an offline agent goes online; a reload keeps the chosen state. */
  async function enterWorkbench(): Promise<void> {
    await load();
    if (auth.freshSignIn && agent.value?.state === 'offline') {
      auth.freshSignIn = false;
      await goOnline();
    }
  }

  realtime.on('agent.status', (data) => {
    const me = auth.user?.id;
    if (!agent.value || data.agentId !== me) return;
    // Events may arrive out of order around a reconnect: never go back in time.
    if (Date.parse(data.at) < Date.parse(agent.value.stateSince)) return;
    agent.value = {
      ...agent.value,
      state: data.to as AgentState,
      reason: data.reason ?? null,
      stateSince: data.at,
    };
  });
  realtime.onResync('agent', () => (loaded.value ? load() : undefined));

  function $reset(): void {
    agent.value = null;
    settings.value = null;
    notAgent.value = false;
    loaded.value = false;
  }

  return {
    agent,
    settings,
    notAgent,
    loaded,
    changing,
    state,
    reason,
    stateSince,
    restReasons,
    canChoose,
    allows,
    load,
    enterWorkbench,
    goOnline,
    goOffline,
    setState,
    $reset,
  };
});
