/**
 * A minimal typed event emitter for browser code: `on` returns its own unsubscribe, and a
 * throwing listener is reported instead of breaking the others. (Node's `events` is not in the
 * browser and a UI store needs nothing more than this.)
 */
export class TypedEmitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  /** Calls `listener` on every `type` event until the returned function is called. */
  on<K extends keyof Events>(type: K, listener: (payload: Events[K]) => void): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => this.off(type, listener);
  }

  /** Calls `listener` on the next `type` event only. */
  once<K extends keyof Events>(type: K, listener: (payload: Events[K]) => void): () => void {
    const off = this.on(type, (payload) => {
      off();
      listener(payload);
    });
    return off;
  }

  off<K extends keyof Events>(type: K, listener: (payload: Events[K]) => void): void {
    this.listeners.get(type)?.delete(listener as (payload: never) => void);
  }

  /** Removes every listener (when the owner is disposed). */
  clear(): void {
    this.listeners.clear();
  }

  protected emit<K extends keyof Events>(type: K, payload: Events[K]): void {
    for (const l of [...(this.listeners.get(type) ?? [])]) {
      try {
        (l as (payload: Events[K]) => void)(payload);
      } catch (err) {
        // One broken listener (a UI component) must not stop the phone from telling the others.
        console.error(`softphone: a "${String(type)}" listener threw`, err);
      }
    }
  }
}
