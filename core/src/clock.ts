/**
 * The wall clock, as a dependency. The call path reads the time through it (working hours,
 * `${SystemTime}`), so a test can pin a moment — a boundary minute in a flow's time zone, a
 * holiday — instead of waiting for it.
 */
export interface Clock {
  now(): Date;
}

/** The real clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that shows a chosen moment until told otherwise (tests, replays). */
export class FixedClock implements Clock {
  constructor(private at: Date) {}

  now(): Date {
    return new Date(this.at.getTime());
  }

  /** Moves the clock to `at`. */
  set(at: Date | string): void {
    this.at = new Date(at);
  }
}
