/**
 * The agent's state (MP-02): idle, not ready, rest with one of the tenant's reasons, offline;
 * and, while a call decides it, ringing, on a call or wrapping up. Read from `GET /agents/me`,
 * changed with `PUT /agents/me/state` and `POST /agents/me/login|logout`, kept current by
 * `agent.status` events (or by polling while the socket is closed).
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { ApiError } from '../core/api';
import { host } from '../core/host';

export type AgentState = 'offline' | 'idle' | 'notReady' | 'rest' | 'ringing' | 'busy' | 'afterCallWork';

/** `GET /agents/me`. */
export interface AgentView {
  userId: string;
  state: AgentState;
  reason: string | null;
  stateSince: string;
  currentSessionId: string | null;
  resumeState: 'idle' | 'notReady' | 'rest' | null;
}

/** States the agent picks; the others a call decides. */
export type ChosenState = 'idle' | 'notReady' | 'rest' | 'offline';

export const useAgentStore = defineStore('agent', () => {
  const me = ref<AgentView | null>(null);
  const restReasons = ref<string[]>([]);
  /** The user takes no calls (`GET /agents/me` is 404: an admin without an agent profile). */
  const notAgent = ref(false);
  const changing = ref(false);
  const error = ref<string | null>(null);

  const state = computed<AgentState>(() => me.value?.state ?? 'offline');
  /** The agent may pick a state now (not while ringing or on a call). */
  const canChoose = computed(() => !['ringing', 'busy'].includes(state.value));

  /** Reads the state (and, the first time, the tenant's rest reasons). */
  async function refresh(): Promise<void> {
    try {
      me.value = await host().api.call<AgentView>('GET', '/agents/me');
      notAgent.value = false;
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) notAgent.value = true;
      else throw err;
    }
    if (restReasons.value.length === 0 && !notAgent.value) {
      const s = await host().api.call<{ restReasons?: string[] }>('GET', '/settings/agent');
      restReasons.value = s.restReasons ?? [];
    }
  }

  /** Picks a state; `rest` needs a reason. Going online from offline signs in to take calls (AGT-02). */
  async function choose(next: ChosenState, reason?: string): Promise<boolean> {
    changing.value = true;
    error.value = null;
    try {
      const api = host().api;
      if (next === 'offline') me.value = await api.call<AgentView>('POST', '/agents/me/logout');
      else {
        if (state.value === 'offline') me.value = await api.call<AgentView>('POST', '/agents/me/login');
        if (me.value?.state !== next || (next === 'rest' && me.value.reason !== reason))
          me.value = await api.call<AgentView>('PUT', '/agents/me/state', {
            state: next,
            ...(next === 'rest' ? { reason } : {}),
          });
      }
      return true;
    } catch (err) {
      error.value = err instanceof ApiError ? err.message : String(err);
      return false;
    } finally {
      changing.value = false;
    }
  }

  return { me, restReasons, notAgent, changing, error, state, canChoose, refresh, choose };
});
