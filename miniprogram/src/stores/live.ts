/**
 * The link to the server's live events for the signed-in agent (`core/realtime.ts`): events go
 * to the agent and call stores; while the socket is closed the state is polled instead, so an
 * incoming call still shows on its card (MP-05).
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { host } from '../core/host';
import { RealtimeLink, type LinkStatus, type ServerFrame } from '../core/realtime';
import { useAgentStore } from './agent';
import { useAuthStore } from './auth';
import { useCallStore } from './call';

export const useLiveStore = defineStore('live', () => {
  const status = ref<LinkStatus>('stopped');
  let link: RealtimeLink | undefined;

  async function resync(): Promise<void> {
    const agent = useAgentStore();
    await agent.refresh();
    await useCallStore().syncFrom(agent.me);
  }

  function onEvent(f: ServerFrame): void {
    const call = useCallStore();
    const d = f.data as never;
    switch (f.type) {
      case 'agent.status':
        void useAgentStore()
          .refresh()
          .catch(() => undefined);
        break;
      case 'call.offer':
        call.onOffer(d);
        break;
      case 'call.offer.withdrawn':
        call.onWithdrawn(d);
        break;
      case 'call.accepted':
        call.onAccepted(d);
        break;
      case 'call.ended':
        call.onEnded(d);
        break;
      case 'session.outbound':
        call.onOutbound(d);
        break;
      case 'call.annotated':
        call.onAnnotated(d);
        break;
      case 'session.revoked':
        useAuthStore().signedOut();
        stop();
        break;
    }
  }

  /** Starts following the agent (after sign-in). */
  function start(): void {
    if (link) return;
    const h = host();
    link = new RealtimeLink({
      api: h.api,
      open: h.open,
      onEvent,
      onStatus: (s) => (status.value = s),
      resync,
      ...(h.pollMs !== undefined ? { pollMs: h.pollMs } : {}),
    });
    link.start();
  }

  function stop(): void {
    link?.stop();
    link = undefined;
    status.value = 'stopped';
  }

  /** The app is in the foreground again. */
  function wake(): void {
    link?.wake();
  }

  return { status, start, stop, wake, resync };
});
