import type { SimLeg } from './call-leg.js';
import { deferred, type Deferred } from './util.js';

/** Two legs whose media is connected (dial, or enqueue/dequeue). */
export class Bridge {
  private readonly done: Deferred<SimLeg> = deferred<SimLeg>();

  constructor(
    readonly a: SimLeg,
    readonly b: SimLeg,
  ) {
    a.bridge = this;
    b.bridge = this;
  }

  /** Resolves with the leg that left first. */
  get ended(): Promise<SimLeg> {
    return this.done.promise;
  }

  /** True once one side left. */
  get isEnded(): boolean {
    return this.done.settled;
  }

  /** The other side of `leg`. */
  other(leg: SimLeg): SimLeg {
    return leg === this.a ? this.b : this.a;
  }

  /** Tears the bridge down because `leaver` left it. */
  end(leaver: SimLeg): void {
    if (this.done.settled) return;
    if (this.a.bridge === this) this.a.bridge = undefined;
    if (this.b.bridge === this) this.b.bridge = undefined;
    this.done.resolve(leaver);
  }
}
