/**
 * One shared clock for timers on screen (time in state, call duration): a ref of the server's
 * "now" that ticks every second while any component uses it.
 */
import { onScopeDispose, ref, type Ref } from 'vue';

/**
 * Server clock minus this browser's clock, learnt from the realtime socket's `session.ready`:
 * times the server stamps (state since…) are compared with the server's "now", so a browser
 * clock that is off does not show a negative or inflated timer.
 */
let serverOffsetMs = 0;
const serverNow = () => Date.now() + serverOffsetMs;

/** Records the server's time as of a frame just received. */
export function learnServerTime(serverIso: string): void {
  const at = Date.parse(serverIso);
  if (Number.isFinite(at)) serverOffsetMs = at - Date.now();
}

const now = ref(serverNow());
let users = 0;
let timer: ReturnType<typeof setInterval> | undefined;

export function useNow(): Readonly<Ref<number>> {
  users++;
  if (!timer) {
    now.value = serverNow();
    timer = setInterval(() => (now.value = serverNow()), 1000);
  }
  onScopeDispose(() => {
    if (--users === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  });
  return now;
}

/** `mm:ss`, or `h:mm:ss` past an hour; never negative (clocks of client and server differ). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}
