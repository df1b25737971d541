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
 * tab.claim(userId, () => phone.stop(), () => calls.current !== null); // this tab is the agent's workbench now
 * if (tab.owner.value) …                 // holds the phone: may register it
 * if (tab.superseded.value) …            // another tab took over
 */
import { readonly, ref } from 'vue';

/**
 * A message between tabs of one agent: a newer tab claims the workbench; the owner answers
 * `busy` (to that tab) instead of standing down while a call is in progress there.
 */
type TabMessage =
  | {
      type: 'claim';
      /** The tab that takes over. */
      tab: string;
    }
  | {
      type: 'busy';
      /** The tab that keeps the workbench. */
      tab: string;
      /** The tab whose claim is refused. */
      to: string;
    };

const TAB_ID = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : String(Math.random());
/** Another tab of the agent took the workbench over. */
const superseded = ref(false);
/** This tab holds the agent's phone lock: its phone may run. */
const owner = ref(false);
/** This tab's claim was refused: another tab of the agent is on a call. */
const busyElsewhere = ref(false);
/** Whether this tab is on a call (its claim keeps the workbench then). */
let onCall: () => boolean = () => false;
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
    const msg = ev.data;
    // Another tab of this agent takes over (a tab never hears its own messages) — unless this
    // one is on a call: stopping its phone would hang the customer up. It says so instead.
    if (msg?.type === 'claim' && msg.tab !== TAB_ID) {
      if (owner.value && onCall()) {
        channel?.postMessage({ type: 'busy', tab: TAB_ID, to: msg.tab } satisfies TabMessage);
      } else void yieldTo();
    }
    if (msg?.type === 'busy' && msg.to === TAB_ID) refused();
  };
  return channel;
}

/**
 * The owning tab is on a call and keeps the workbench: this tab stands back (its pending lock
 * request, once granted, is handed straight on) and may try again once that call has ended.
 */
function refused(): void {
  claimSeq++;
  busyElsewhere.value = true;
  superseded.value = true;
  owner.value = false;
}

/** Another tab took over: stop the phone, then let the lock go so that tab's phone may start. */
async function yieldTo(): Promise<void> {
  busyElsewhere.value = false;
  superseded.value = true;
  claimSeq++;
  await standDown().catch(() => undefined);
  owner.value = false;
  releaseLock?.();
  releaseLock = null;
}

/**
 * Makes this tab the agent's workbench: older tabs of the agent stand down, except one on a call
 * (this tab then shows it is busy elsewhere). `stop` stops this tab's phone when a newer tab
 * takes over later; `busy` says whether this tab is on a call (then it keeps the workbench).
 */
function claim(userId: string, stop: () => Promise<void>, busy: () => boolean = () => false): void {
  standDown = stop;
  onCall = busy;
  superseded.value = false;
  busyElsewhere.value = false;
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
  busyElsewhere.value = false;
}

/** The workbench tab's ownership; see the module docs. */
export function useWorkbenchTab() {
  return {
    superseded: readonly(superseded),
    owner: readonly(owner),
    busyElsewhere: readonly(busyElsewhere),
    claim,
    release,
    tabId: TAB_ID,
  };
}
