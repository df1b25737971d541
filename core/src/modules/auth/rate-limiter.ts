import { sql } from 'drizzle-orm';
import type { Db } from '../../db/database.js';

/** Result of counting one attempt. */
export interface RateResult {
  allowed: boolean;
  count: number;
  /** Seconds until the window resets (for `Retry-After`). */
  retryAfterSeconds: number;
}

/**
 * Fixed-window counters in PostgreSQL. One upsert per hit, atomic under concurrency, shared by
 * all instances. Fixed windows are coarse, but for capping SMS sends the bound is what matters.
 * (Failed sign-ins are throttled with growing delays instead, in `throttle.ts`.)
 */
export class RateLimiter {
  private readonly db: Db;
  constructor({ db }: { db: Db }) {
    this.db = db;
  }

  /** Counts one event for `key` and says whether it is within `limit` per `windowSeconds`. */
  async hit(key: string, limit: number, windowSeconds: number): Promise<RateResult> {
    const res = await this.db.execute<{ count: number; window_started_at: Date | string }>(sql`
      insert into rate_limits (key, count, window_started_at) values (${key}, 1, now())
      on conflict (key) do update set
        count = case when rate_limits.window_started_at < now() - make_interval(secs => ${windowSeconds})
                     then 1 else rate_limits.count + 1 end,
        window_started_at = case when rate_limits.window_started_at < now() - make_interval(secs => ${windowSeconds})
                     then now() else rate_limits.window_started_at end
      returning count, window_started_at`);
    const row = res.rows[0]!;
    const started = new Date(row.window_started_at).getTime();
    const retryAfterSeconds = Math.max(1, Math.ceil((started + windowSeconds * 1000 - Date.now()) / 1000));
    return { allowed: row.count <= limit, count: row.count, retryAfterSeconds };
  }
}
