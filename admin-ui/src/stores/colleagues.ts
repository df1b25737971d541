/**
 * Colleagues with live presence (AGT-04): every agent of the tenant from `GET /colleagues`, kept
 * current by `presence` events (sent to the whole tenant) and read again after a reconnect.
 * Used by the colleagues panel (internal calls), the IM screen (names, new conversations) and
 * any screen that hands a call to a colleague.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, quiet, unwrap, type Schemas } from '@/api/request';
import type { PresenceState } from '@/api/realtime-events';
import { useAuthStore } from './auth';
import { useRealtimeStore } from './realtime';

export type Colleague = Schemas['Colleague'];

/** Presence states in the order a caller looks for someone: free first, gone last. */
export const PRESENCE_ORDER: readonly PresenceState[] = [
  'idle',
  'notReady',
  'wrapUp',
  'ringing',
  'onCall',
  'rest',
  'offline',
];

/** Presences an internal call is refused in (core: busy, ringing, wrap-up, resting → 409 agent_busy). */
const UNCALLABLE: readonly PresenceState[] = ['ringing', 'onCall', 'wrapUp', 'rest'];

/** Whether a colleague in `state` can be called now (offline ones ring on their mobile, AGT-04). */
export function callable(state: PresenceState): boolean {
  return !UNCALLABLE.includes(state);
}

export const useColleaguesStore = defineStore('colleagues', () => {
  const auth = useAuthStore();
  const realtime = useRealtimeStore();

  const items = ref<Colleague[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  /** The internal call being started (colleague id). */
  const calling = ref<string | null>(null);
  /** Presence events that came in while the list was being read (applied after it). */
  let pending: Array<{ agentId: string; state: PresenceState; reason: string | null; since: string }> = [];

  const byId = computed(() => new Map(items.value.map((c) => [c.id, c])));
  /** Everyone but me. */
  const others = computed(() => items.value.filter((c) => c.id !== auth.user?.id));

  function applyPresence(p: { agentId: string; state: PresenceState; reason: string | null; since: string }): void {
    const i = items.value.findIndex((c) => c.id === p.agentId);
    if (i < 0) return;
    const c = items.value[i]!;
    // Out-of-order delivery around a reconnect: never go back in time.
    if (Date.parse(p.since) < Date.parse(c.since)) return;
    items.value.splice(i, 1, { ...c, state: p.state, reason: p.reason, since: p.since });
  }

  async function load(): Promise<void> {
    if (!auth.signedIn || loading.value) return;
    loading.value = true;
    pending = [];
    try {
      const r = await api.GET('/api/v1/colleagues', { ...quiet });
      if (r.data) {
        items.value = r.data.items;
        loaded.value = true;
        for (const p of pending) applyPresence(p);
      }
    } finally {
      pending = [];
      loading.value = false;
    }
  }

  /** Loads once (screens call it on mount; events and re-syncs keep it current after). */
  function ensure(): Promise<void> {
    return loaded.value ? Promise.resolve() : load();
  }

  /** Starts an internal call to a colleague (AGT-04); the server's refusal is shown as it comes. */
  async function callColleague(id: string): Promise<Schemas['InternalCall'] | null> {
    if (calling.value) return null;
    calling.value = id;
    try {
      return unwrap(await api.POST('/api/v1/internal-calls', { body: { toAgentId: id } }));
    } catch {
      return null;
    } finally {
      calling.value = null;
    }
  }

  realtime.on('presence', (data) => {
    if (loading.value) pending.push(data);
    applyPresence(data);
  });
  realtime.onResync('colleagues', () => (loaded.value ? load() : undefined));

  function $reset(): void {
    items.value = [];
    loaded.value = false;
    calling.value = null;
  }

  return { items, loaded, loading, calling, byId, others, load, ensure, callColleague, applyPresence, $reset };
});
