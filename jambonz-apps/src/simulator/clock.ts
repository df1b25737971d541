/**
 * Simulated time. Every duration inside the simulator (prompt lengths, pauses, hold music,
 * queue polling, audio fork length) is expressed in simulated milliseconds and runs `timeScale`
 * times as fast on the wall clock, so tests can hear a 10 s prompt in 200 ms.
 *
 * Timers that stand for a person's patience (a gather's no-input and inter-digit timeouts, a
 * device's ring timeout) are the exception: they run no faster than real time
 * ({@link SimClock.patience}) unless the scripted party says it will not act
 * ({@link PatienceTimer.hurry}). A test that reacts to a prompt or a ring therefore never races
 * a 200 ms deadline on a busy machine, and a test that wants the timeout still gets it at the
 * simulated speed, at the moment it chooses.
 *
 * The simulated clock is derived from the wall clock (`now() = elapsed wall ms / timeScale`)
 * rather than being a discrete-event clock: webhooks are real HTTP round trips, so simulated
 * time must keep flowing while we wait for them.
 *
 * Faster than real time (`timeScale < 1`), the clock only counts wall time while the process
 * keeps up: it advances in ticks of at most {@link MAX_STEP_MS} wall ms, so a stall (a busy
 * machine starving the process, a long synchronous task) does not jump simulated time ahead of
 * the test by seconds. Without this, a test slowed down by load would see prompts end and
 * timers fire in bulk while it was not running, and every open audio fork would have to render
 * and send (and the app record) `stall / timeScale` ms of audio at once: at 1/50 a recorded
 * call costs more CPU the slower the machine is, which slows it further.
 */

/** Nominal wall ms between two ticks of a faster-than-real clock. */
const TICK_MS = 10;
/** Wall ms a tick may count at most: a tick that comes later than this was a stall. */
const MAX_STEP_MS = 25;

/** A patience timer (see {@link SimClock.patience}). */
export interface PatienceTimer {
  /**
   * The person will not act: the timer fires as if it had run at the simulated speed from its
   * start (at once when that moment has passed). Idempotent; no-op once fired or cancelled.
   */
  hurry(): void;
  /** Cancels the timer. */
  cancel(): void;
}
export class SimClock {
  private readonly origin = performance.now();
  /** Simulated ms counted up to `lastTick` (faster-than-real clocks only). */
  private counted = 0;
  private lastTick = this.origin;
  private readonly ticker: NodeJS.Timeout | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sleepers = new Map<NodeJS.Timeout, (completed: boolean) => void>();
  private readonly intervals = new Set<NodeJS.Timeout>();
  /** Resolves pending patience sleeps `false` on stop. */
  private readonly patienceSleeps = new Set<() => void>();
  private stopped = false;

  constructor(
    /** Wall-clock milliseconds per simulated millisecond. */
    readonly timeScale: number,
  ) {
    if (!(timeScale > 0)) throw new Error(`timeScale must be > 0, got ${timeScale}`);
    if (timeScale < 1) {
      this.ticker = setInterval(() => this.tick(), TICK_MS);
      // The clock alone must not keep a process alive.
      this.ticker.unref();
    }
  }

  /** Simulated milliseconds since the simulator started. */
  now(): number {
    if (!this.ticker) return (performance.now() - this.origin) / this.timeScale;
    return this.counted + Math.min(performance.now() - this.lastTick, MAX_STEP_MS) / this.timeScale;
  }

  private tick(): void {
    const t = performance.now();
    this.counted += Math.min(t - this.lastTick, MAX_STEP_MS) / this.timeScale;
    this.lastTick = t;
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

  /**
   * Runs `fn` after `simMs` simulated ms of a person's patience: on the wall clock that is
   * `simMs × max(timeScale, 1)` (never faster than real time, so a test's reaction to the
   * event before it cannot lose a race against it), or `simMs × timeScale` from the start once
   * {@link PatienceTimer.hurry} is called.
   */
  patience(simMs: number, fn: () => void): PatienceTimer {
    let timer: NodeJS.Timeout | undefined;
    let cancelHurried: (() => void) | undefined;
    let done = this.stopped;
    const deadline = this.now() + simMs;
    const fire = (): void => {
      if (timer) this.timers.delete(timer);
      timer = undefined;
      if (done) return;
      done = true;
      fn();
    };
    const arm = (wallMs: number): void => {
      if (timer) {
        clearTimeout(timer);
        this.timers.delete(timer);
      }
      timer = setTimeout(fire, Math.max(0, wallMs));
      this.timers.add(timer);
    };
    if (!done) arm(simMs * Math.max(this.timeScale, 1));
    return {
      hurry: () => {
        if (done || this.stopped || cancelHurried) return;
        if (timer) clearTimeout(timer);
        if (timer) this.timers.delete(timer);
        timer = undefined;
        // From now on a simulated-time timer, due when `simMs` simulated ms have passed.
        cancelHurried = this.after(deadline - this.now(), fire);
      },
      cancel: () => {
        done = true;
        if (timer) clearTimeout(timer);
        if (timer) this.timers.delete(timer);
        timer = undefined;
        cancelHurried?.();
      },
    };
  }

  /**
   * {@link SimClock.patience} as a wait: `done` resolves `true` when the time ran out and
   * `false` when `signal` aborted first (never rejects).
   */
  patienceSleep(simMs: number, signal?: AbortSignal): { done: Promise<boolean>; hurry(): void } {
    if (signal?.aborted || this.stopped) return { done: Promise.resolve(false), hurry: () => undefined };
    let resolve!: (v: boolean) => void;
    const done = new Promise<boolean>((r) => (resolve = r));
    const onAbort = (): void => {
      timer.cancel();
      resolve(false);
    };
    const timer = this.patience(simMs, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    this.patienceSleeps.add(onAbort);
    void done.then(() => this.patienceSleeps.delete(onAbort));
    return { done, hurry: () => timer.hurry() };
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
    for (const abort of [...this.patienceSleeps]) abort();
    this.patienceSleeps.clear();
    for (const t of this.timers) clearTimeout(t);
    for (const t of this.intervals) clearInterval(t);
    if (this.ticker) clearInterval(this.ticker);
    this.timers.clear();
    this.intervals.clear();
  }
}
