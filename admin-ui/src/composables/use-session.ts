/**
 * The signed-in session's lifetime, wired once in `app.vue`: the realtime socket is open while
 * someone is signed in, and a `session.revoked` frame (signed out elsewhere, disabled, forced
 * offline) signs this page out with the server's message.
 */
import { MessagePlugin } from 'tdesign-vue-next';
import { watch } from 'vue';
import { useRouter } from 'vue-router';
import { useAgentStore } from '@/stores/agent';
import { useAuthStore } from '@/stores/auth';
import { useRealtimeStore } from '@/stores/realtime';

export function useSession(): void {
  const auth = useAuthStore();
  const realtime = useRealtimeStore();
  const agent = useAgentStore();
  const router = useRouter();

  watch(
    () => auth.session?.user.id ?? null,
    (userId, before) => {
      if (userId !== before) realtime.stop();
      if (userId) realtime.start();
      else agent.$reset();
    },
    { immediate: true },
  );

  realtime.on('session.revoked', (data) => {
    auth.clear();
    void MessagePlugin.warning({ content: data.message, duration: 8000 });
    // The embedded workbench has no sign-in page: it tells the CRM instead (embed-view).
    if (router.currentRoute.value.name !== 'embed') void router.push({ name: 'login' });
  });
}
