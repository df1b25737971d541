/**
 * One workbench per agent per browser (issue 10): a second tab of the same agent must not ring
 * too or run a second softphone. The newest tab takes the workbench over: it announces itself
 * on a `BroadcastChannel` of the agent's and asks for the agent's phone lock (`navigator.locks`);
 * an older tab hears the announcement, stops its phone, says so, and only then lets the lock go.
 * So the new tab's phone starts after the old one stopped, never beside it (both would register
 * the same SIP user, and the old one's unregistering would take the new one's registration away).
 * The older tab's "use it here" takes the workbench back the same way.
 *
 * Tabs of other agents use other channels and locks and never interfere. Where the browser has
 * neither API, every tab works alone, as before.
 *
 * @example
 * const tab = useWorkbenchTab();
 * tab.claim(userId, () => phone.stop()); // this tab is the agent's workbench now
 * if (tab.owner.value) …                 // holds the phone: may register it
 * if (tab.superseded.value) …            // another tab took over
 */
import { readonly, ref } from 'vue';

/** A message between tabs of one agent. */
interface TabMessage {
  type: 'claim';
  /** The tab that takes over. */
  tab: string;
}

const TAB_ID = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : String(Math.random());
/** Another tab of the agent took the workbench over. */
const superseded = ref(false);
/** This tab holds the agent's phone lock: its phone may run. */
const owner = ref(false);
let channel: BroadcastChannel | null = null;
let channelUser: string | null = null;
/** Lets the held lock go (resolves the lock's callback). */
let releaseLock: (() => void) | null = null;
/** Counts claims, so a lock granted for an older claim of this tab is let go at once. */
let claimSeq = 0;
let standDown: () => Promise<void> = async () => undefined;

function lockName(userId: string): string {
  return `switchboard.workbench-phone.${userId}`;
}

function open(userId: string): BroadcastChannel | null {
  if (typeof BroadcastChannel === 'undefined') return null;
  if (channel && channelUser === userId) return channel;
  channel?.close();
  channelUser = userId;
  channel = new BroadcastChannel(`switchboard.workbench.${userId}`);
  channel.onmessage = (ev: MessageEvent<TabMessage>) => {
    // Another tab of this agent takes over (a tab never hears its own messages).
    if (ev.data?.type === 'claim' && ev.data.tab !== TAB_ID) void yieldTo();
  };
  return channel;
}

/** Another tab took over: stop the phone, then let the lock go so that tab's phone may start. */
async function yieldTo(): Promise<void> {
  superseded.value = true;
  claimSeq++;
  await standDown().catch(() => undefined);
  owner.value = false;
  releaseLock?.();
  releaseLock = null;
}

/**
 * Makes this tab the agent's workbench: older tabs of the agent stand down. `stop` stops this
 * tab's phone when a newer tab takes over later.
 */
function claim(userId: string, stop: () => Promise<void>): void {
  standDown = stop;
  superseded.value = false;
  open(userId)?.postMessage({ type: 'claim', tab: TAB_ID } satisfies TabMessage);
  if (releaseLock) {
    owner.value = true;
    return;
  }
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks) {
    owner.value = true;
    return;
  }
  const seq = ++claimSeq;
  void locks.request(
    lockName(userId),
    () =>
      new Promise<void>((resolve) => {
        // Superseded (or signed out) while waiting for the lock: hand it straight on.
        if (seq !== claimSeq || superseded.value) return resolve();
        releaseLock = resolve;
        owner.value = true;
      }),
  );
}

/** Leaves the channel and the lock (sign-out): this tab no longer takes part. */
function release(): void {
  claimSeq++;
  channel?.close();
  channel = null;
  channelUser = null;
  releaseLock?.();
  releaseLock = null;
  owner.value = false;
  superseded.value = false;
}

/** The workbench tab's ownership; see the module docs. */
export function useWorkbenchTab() {
  return { superseded: readonly(superseded), owner: readonly(owner), claim, release, tabId: TAB_ID };
}
