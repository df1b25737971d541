/**
 * Recent calls (MP-04): the agent's own records, newest first, the customer masked or shown by
 * ID exactly as the server sends it to agents (OUT-09/10); notes editable; redial from a row.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { ApiError } from '../core/api';
import { host } from '../core/host';

/** One record (`GET /records`), the part the list shows. */
export interface RecentCall {
  sessionId: string;
  direction: 'inbound' | 'outbound' | 'internal';
  caller: string;
  callee: string;
  endStatusString: string;
  durationSeconds: number;
  startedAt: string;
  note: string | null;
}

/** The customer's side of a record: the caller of an inbound call, the callee of an outbound one. */
export function customerOf(r: Pick<RecentCall, 'direction' | 'caller' | 'callee'>): string {
  return r.direction === 'outbound' ? r.callee : r.caller;
}

const PAGE = 20;

export const useRecentStore = defineStore('recent', () => {
  const items = ref<RecentCall[]>([]);
  const loading = ref(false);
  /** More records are older than the last one shown. */
  const more = ref(false);
  const error = ref<string | null>(null);

  /** The newest page (pull to refresh, after a call). */
  async function load(): Promise<void> {
    await read(undefined);
  }

  /** The next older page (reaching the bottom). */
  async function loadMore(): Promise<void> {
    const last = items.value.at(-1);
    if (!last || !more.value || loading.value) return;
    await read(last.startedAt);
  }

  async function read(before: string | undefined): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      // No URLSearchParams in the WeChat runtime.
      const q = `limit=${PAGE}${before ? `&before=${encodeURIComponent(before)}` : ''}`;
      const r = await host().api.call<{ items: RecentCall[]; nextCursor?: string | null }>('GET', `/records?${q}`);
      items.value = before ? [...items.value, ...r.items] : r.items;
      more.value = r.items.length === PAGE;
    } catch (err) {
      error.value = err instanceof ApiError ? err.message : String(err);
    } finally {
      loading.value = false;
    }
  }

  /** Saves the agent's note on a call (`PUT /sessions/:id/notes`); false with `error` set when refused. */
  async function saveNote(sessionId: string, note: string): Promise<boolean> {
    error.value = null;
    try {
      const r = await host().api.call<{ notes: string }>('PUT', `/sessions/${sessionId}/notes`, { notes: note });
      items.value = items.value.map((i) => (i.sessionId === sessionId ? { ...i, note: r.notes } : i));
      return true;
    } catch (err) {
      error.value = err instanceof ApiError ? err.message : String(err);
      return false;
    }
  }

  return { items, loading, more, error, load, loadMore, saveNote };
});
