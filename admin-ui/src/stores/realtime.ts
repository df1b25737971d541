/**
 * The app's one realtime connection (`api/realtime.ts`) as a store: its status for the network
 * banner, typed event subscriptions, and re-sync after a reconnect.
 *
 * Events are hints (ADR 0007): whatever the socket may have missed while it was down is read
 * again over REST. Any store that mirrors server state registers a re-sync callback:
 *
 * @example
 * const realtime = useRealtimeStore();
 * realtime.on('agent.status', (data) => apply(data));
 * realtime.onResync('agent', () => load());
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, quiet, unwrap } from '@/api/request';
import { learnServerTime } from '@/composables/use-now';
import { RealtimeClient, type Backoff, type ConnectionStatus } from '@/api/realtime';
import type { ServerEventType, ServerEvents, ServerFrame } from '@/api/realtime-events';

/** What the network banner shows. */
export type BannerState = 'none' | 'offline' | 'reconnecting' | 'reconnected';

/** How long "reconnected" stays up (Chatwoot's RECONNECTED_BANNER_TIMEOUT). */
export const RECONNECTED_BANNER_MS = 2000;

type Handler<T extends ServerEventType> = (data: ServerEvents[T], frame: ServerFrame<T>) => void;

/** Options the e2e harness may set before the app starts (`window.__SWITCHBOARD_REALTIME__`). */
declare global {
  interface Window {
    __SWITCHBOARD_REALTIME__?: { backoff?: Backoff };
  }
}

export const useRealtimeStore = defineStore('realtime', () => {
  const status = ref<ConnectionStatus>('idle');
  const banner = ref<BannerState>('none');
  /** Frames received since the page loaded (a cheap health signal for the UI and tests). */
  const received = ref(0);
  const handlers = new Map<ServerEventType, Set<Handler<never>>>();
  const resyncs = new Map<string, () => unknown>();
  const seen = new Set<string>();
  let bannerTimer: ReturnType<typeof setTimeout> | undefined;

  function setBanner(b: BannerState): void {
    clearTimeout(bannerTimer);
    banner.value = b;
    if (b === 'reconnected') bannerTimer = setTimeout(() => (banner.value = 'none'), RECONNECTED_BANNER_MS);
  }

  function dispatch(frame: ServerFrame): void {
    // The same event may arrive twice around a reconnect; its id says so.
    if (frame.id) {
      if (seen.has(frame.id)) return;
      seen.add(frame.id);
      if (seen.size > 500) seen.delete(seen.values().next().value as string);
    }
    received.value++;
    if (frame.type === 'session.ready') learnServerTime(frame.at);
    for (const h of handlers.get(frame.type) ?? []) {
      try {
        (h as Handler<ServerEventType>)(frame.data, frame);
      } catch (err) {
        console.error(`realtime handler for ${frame.type} failed`, err);
      }
    }
  }

  /** Runs every registered re-sync (after a reconnect). */
  async function resync(): Promise<void> {
    await Promise.all(
      [...resyncs.entries()].map(async ([name, fn]) => {
        try {
          await fn();
        } catch (err) {
          console.error(`re-sync ${name} failed`, err);
        }
      }),
    );
  }

  const client = new RealtimeClient({
    async ticket() {
      const r = unwrap(await api.POST('/api/v1/realtime/tickets', { ...quiet }));
      return r.url;
    },
    onFrame: dispatch,
    onStatus(next, { reconnected }) {
      const before = status.value;
      status.value = next;
      if (next === 'offline') setBanner('offline');
      else if (next === 'reconnecting') setBanner('reconnecting');
      else if (next === 'open') {
        // A renewed ticket after token expiry is silent; a connection that was lost is not.
        if (reconnected && (before === 'reconnecting' || before === 'offline')) setBanner('reconnected');
        else if (banner.value !== 'reconnected') setBanner('none');
        void resync();
      } else if (next === 'idle' || next === 'revoked') setBanner('none');
    },
    ...(typeof window !== 'undefined' && window.__SWITCHBOARD_REALTIME__?.backoff
      ? { backoff: window.__SWITCHBOARD_REALTIME__.backoff }
      : {}),
  });

  /** Subscribes to one event type; returns the unsubscribe function. */
  function on<T extends ServerEventType>(type: T, handler: Handler<T>): () => void {
    let set = handlers.get(type);
    if (!set) handlers.set(type, (set = new Set()));
    set.add(handler as Handler<never>);
    return () => set.delete(handler as Handler<never>);
  }

  /** Registers (or replaces) a named re-sync run whenever the socket (re)opens. */
  function onResync(name: string, fn: () => unknown): () => void {
    resyncs.set(name, fn);
    return () => {
      if (resyncs.get(name) === fn) resyncs.delete(name);
    };
  }

  return {
    status,
    banner,
    received,
    connected: computed(() => status.value === 'open'),
    start: () => client.start(),
    stop: () => client.stop(),
    retryNow: () => client.retryNow(),
    on,
    onResync,
    resync,
    /** For tests: feed a frame as if the server sent it. */
    dispatch,
  };
});
