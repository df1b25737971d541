import type { Logger } from 'pino';
import type { WeComCallbackEvent } from './callback.js';

/** Event keys remembered for deduplication (WeCom retries an unanswered callback up to 3 times). */
const MAX_REMEMBERED = 5000;

/** Receives a tenant's callback events. */
export type WeComEventListener = (tenantId: string, event: WeComCallbackEvent) => void | Promise<void>;

/**
 * Where the callback route hands accepted events: listeners run after the route has answered
 * (WeCom wants its answer within 5 s, whatever the work), once per event even when WeCom
 * delivers it again. The task service (`tasks.ts`) listens here to mark a task
 * added.
 *
 * @example
 * deps.wecomAddFriendEvents.on(async (tenantId, ev) => { if (ev.type === 'change_external_contact') … })
 */
export class WeComCallbackEvents {
  private readonly listeners: WeComEventListener[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly logger: Logger) {}

  /** Adds a listener; returns a function that removes it. */
  on(listener: WeComEventListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /**
   * Queues `event` for the listeners unless it was seen before; `false` for a repeat. Listener
   * failures are logged, never thrown at the route.
   */
  deliver(tenantId: string, event: WeComCallbackEvent): boolean {
    const key = `${tenantId}|${event.dedupeKey}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    // A Set keeps insertion order: the first key is the oldest.
    if (this.seen.size > MAX_REMEMBERED) this.seen.delete(this.seen.values().next().value!);
    for (const listener of [...this.listeners]) {
      setImmediate(() => {
        Promise.resolve()
          .then(() => listener(tenantId, event))
          .catch((err: unknown) =>
            this.logger.error({ err, tenantId, event: event.type }, 'WeCom callback listener failed'),
          );
      });
    }
    return true;
  }
}
