/**
 * Simulated time. Every duration inside the simulator (prompt lengths, ring and gather
 * timeouts, queue polling, audio fork length) is expressed in simulated milliseconds and runs
 * `timeScale` times as fast on the wall clock, so tests can hear a 10 s prompt in 200 ms.
 *
 * The simulated clock is derived from the wall clock (`now() = elapsed wall ms / timeScale`)
 * rather than being a discrete-event clock: webhooks are real HTTP round trips, so simulated
 * time must keep flowing while we wait for them.
 */
export class SimClock {
  private readonly origin = performance.now();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sleepers = new Map<NodeJS.Timeout, (completed: boolean) => void>();
  private readonly intervals = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    /** Wall-clock milliseconds per simulated millisecond. */
    readonly timeScale: number,
  ) {
    if (!(timeScale > 0)) throw new Error(`timeScale must be > 0, got ${timeScale}`);
  }

  /** Simulated milliseconds since the simulator started. */
  now(): number {
    return (performance.now() - this.origin) / this.timeScale;
  }

  /** Converts simulated milliseconds to wall-clock milliseconds. */
  toWall(simMs: number): number {
    return simMs * this.timeScale;
  }

  /**
   * Waits `simMs` simulated milliseconds. Resolves `true` when the time elapsed and `false`
   * when `signal` aborted first (never rejects, so an abandoned wait cannot leak a rejection).
   */
  sleep(simMs: number, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted || this.stopped) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = (): void => {
        clearTimeout(timer);
        if (timer) this.sleepers.delete(timer);
        resolve(false);
      };
      this.at(this.now() + simMs, (t) => {
        if (timer) this.sleepers.delete(timer);
        if (t) {
          timer = t;
          this.sleepers.set(timer, resolve);
          return;
        }
        signal?.removeEventListener('abort', onAbort);
        resolve(true);
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Runs `fn` after `simMs` simulated ms; returns a cancel function. */
  after(simMs: number, fn: () => void): () => void {
    if (this.stopped) return () => undefined;
    let timer: NodeJS.Timeout | undefined;
    this.at(this.now() + simMs, (t) => {
      if (timer) this.timers.delete(timer);
      timer = t;
      if (t) this.timers.add(t);
      else fn();
    });
    return () => {
      if (timer) clearTimeout(timer);
      if (timer) this.timers.delete(timer);
    };
  }

  /**
   * Calls `step(timer)` each time it arms a timer, then `step(undefined)` once the simulated
   * deadline is reached. Node may fire a timer up to a millisecond before `performance.now()`
   * says it is due, and one wall millisecond is many simulated ones at small time scales: a
   * timer that comes early is re-armed for the rest, as a real media server's would not fire
   * early at all.
   */
  private at(deadline: number, step: (timer: NodeJS.Timeout | undefined) => void): void {
    const arm = (): void => {
      const left = deadline - this.now();
      if (left <= 0) return step(undefined);
      step(setTimeout(arm, Math.max(1, Math.ceil(this.toWall(left)))));
    };
    const first = this.toWall(deadline - this.now());
    step(setTimeout(arm, Math.max(0, first)));
  }

  /** Runs `fn` every `wallMs` wall-clock milliseconds; returns a cancel function. */
  everyWall(wallMs: number, fn: () => void): () => void {
    if (this.stopped) return () => undefined;
    const interval = setInterval(fn, wallMs);
    this.intervals.add(interval);
    return () => {
      clearInterval(interval);
      this.intervals.delete(interval);
    };
  }

  /** Cancels every pending timer (pending sleeps resolve `false`); later calls become no-ops. */
  stop(): void {
    this.stopped = true;
    for (const [t, resolve] of this.sleepers) {
      clearTimeout(t);
      resolve(false);
    }
    this.sleepers.clear();
    for (const t of this.timers) clearTimeout(t);
    for (const t of this.intervals) clearInterval(t);
    this.timers.clear();
    this.intervals.clear();
  }
}
