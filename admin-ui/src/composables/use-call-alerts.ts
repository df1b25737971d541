/**
 * What tells an agent about an offer while the workbench tab is hidden (ui-anchors W3, R3;
 * Flex notifications, Chatwoot's favicon/title helpers): a browser notification (when the agent
 * allowed them) and a flashing document title, both gone when the offer ends or the tab is
 * shown again.
 *
 * @example
 * const alerts = useCallAlerts();
 * alerts.offer({ tag: offerId, title: '来电', body: '138****5678' });
 * alerts.clear();
 */
import { onScopeDispose, ref } from 'vue';

export type NotificationPermissionState = 'granted' | 'denied' | 'default' | 'unsupported';

/** Title flashes every this many ms. */
const FLASH_MS = 1000;

function notificationApi(): typeof Notification | undefined {
  return (globalThis as { Notification?: typeof Notification }).Notification;
}

export interface OfferAlert {
  /** One notification per offer (the same tag replaces, never stacks). */
  tag: string;
  title: string;
  body: string;
  /** The short text the title flashes with. */
  flash: string;
}

export function useCallAlerts() {
  const permission = ref<NotificationPermissionState>(notificationApi()?.permission ?? 'unsupported');
  let notification: Notification | undefined;
  let flashTimer: ReturnType<typeof setInterval> | undefined;
  let savedTitle: string | null = null;
  let pending: OfferAlert | null = null;

  function stopFlash(): void {
    clearInterval(flashTimer);
    flashTimer = undefined;
    if (savedTitle !== null) document.title = savedTitle;
    savedTitle = null;
  }

  function show(a: OfferAlert): void {
    const N = notificationApi();
    if (N && N.permission === 'granted' && !notification) {
      try {
        notification = new N(a.title, { body: a.body, tag: a.tag, requireInteraction: true });
        notification.onclick = () => {
          window.focus();
          notification?.close();
        };
      } catch {
        // Some browsers allow notifications only from a service worker: the title still flashes.
      }
    }
    if (!flashTimer) {
      savedTitle = document.title;
      let on = false;
      flashTimer = setInterval(() => {
        on = !on;
        document.title = on ? a.flash : (savedTitle ?? '');
      }, FLASH_MS);
      document.title = a.flash;
    }
  }

  function onVisibility(): void {
    if (document.hidden) {
      if (pending) show(pending);
    } else {
      stopFlash();
      notification?.close();
      notification = undefined;
    }
  }
  document.addEventListener('visibilitychange', onVisibility);

  /** An offer rings: alert now if the tab is hidden, or when it gets hidden while it rings. */
  function offer(a: OfferAlert): void {
    pending = a;
    if (document.hidden) show(a);
  }

  /** The offer ended (answered, declined, gone). */
  function clear(): void {
    pending = null;
    stopFlash();
    notification?.close();
    notification = undefined;
  }

  /** Asks for permission (needs a click: browsers refuse it otherwise). */
  async function requestPermission(): Promise<void> {
    const N = notificationApi();
    if (!N) return;
    permission.value = await N.requestPermission();
  }

  onScopeDispose(() => {
    clear();
    document.removeEventListener('visibilitychange', onVisibility);
  });

  return { permission, offer, clear, requestPermission };
}
