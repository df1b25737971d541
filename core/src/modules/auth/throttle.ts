import { inArray, sql, type SQL } from 'drizzle-orm';
import type { ResolvedConfig } from '../../config/config.js';
import type { Db } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import { signInThrottle } from './schema.js';

type Scope = 'pair' | 'address' | 'account';

/** The account key of an email sign-in (lower-cased, as emails are stored). */
export const emailAccount = (email: string): string => `email:${email.toLowerCase()}`;
/** The account key of an SMS-code sign-in. */
export const mobileAccount = (mobile: string): string => `mobile:${mobile}`;

/** A counted sign-in attempt (see {@link SignInThrottle.begin}). */
export interface SignInAttempt {
  /** The secret was right: take this attempt back out of the failure counts. */
  succeeded(): Promise<void>;
}

/** Attempts between two sweeps of forgotten rows on one instance. */
const SWEEP_EVERY = 200;

/**
 * Sign-in throttling with growing delays instead of a lockout (shared in PostgreSQL, so every
 * instance sees the same state). Three budgets are kept per attempt:
 *
 * - **pair** (account + client address): a guesser at one address soon waits long;
 * - **address**: one address trying many accounts; generous, because an office shares a NAT;
 * - **account**: one account tried from everywhere; generous with a small cap, so anyone who
 *   knows an email can cost its owner at most a short wait, never a lockout.
 *
 * Once a budget has seen `failuresBeforeDelay` failures, each further failure blocks that budget
 * for `baseDelaySeconds · 2^(failures − failuresBeforeDelay)`, capped at `maxDelaySeconds`. A
 * blocked attempt is refused with `429 too_many_attempts` and `Retry-After` before the password
 * is looked at, so blocked guesses teach nothing. Times come from the database's clock, so
 * instances with skewed clocks agree.
 */
export class SignInThrottle {
  private readonly db: Db;
  private readonly config: ResolvedConfig;
  private attemptsSinceSweep = 0;

  constructor({ db, config }: { db: Db; config: ResolvedConfig }) {
    this.db = db;
    this.config = config;
  }

  private keys(account: string, address: string): Array<[Scope, string, string]> {
    return [
      ['pair', account, address],
      ['address', '', address],
      ['account', account, ''],
    ];
  }

  /**
   * Starts a sign-in attempt: refuses it with `too_many_attempts` (and `Retry-After`) while any
   * of its budgets is blocked, and otherwise counts it as a failure in all three *before* the
   * secret is checked, in one transaction. Counting first is what holds under concurrency: a
   * burst of parallel guesses cannot all slip through before the first of them is counted. The
   * caller calls {@link SignInAttempt.succeeded} when the secret was right, which refunds it.
   */
  async begin(account: string, address: string): Promise<SignInAttempt> {
    const login = this.config.auth.login;
    const keys = this.keys(account, address);
    await this.db.transaction(async (tx) => {
      let waitMs = 0;
      // Always pair → address → account: one lock order, so concurrent attempts cannot deadlock.
      for (const [scope, acct, addr] of keys) {
        const { failuresBeforeDelay: free, maxDelaySeconds: cap } = this.budget(scope);
        const blocked = sql`(sign_in_throttle.blocked_until is not null and sign_in_throttle.blocked_until > now())`;
        // `n`: the count with this attempt; restarted when the last failure is forgotten.
        const n = sql`(case when sign_in_throttle.last_failure_at < now() - make_interval(secs => ${login.forgetAfterSeconds})
                            then 1 else sign_in_throttle.failures + 1 end)`;
        const res = await tx.execute<{ counted: boolean; wait_ms: number | string | null }>(sql`
          insert into sign_in_throttle (scope, account, address, failures, last_failure_at, blocked_until)
          values (${scope}, ${acct}, ${addr}, 1, now(), ${this.blockFor(sql`1`, free, cap)})
          on conflict (scope, account, address) do update set
            failures = case when ${blocked} then sign_in_throttle.failures else ${n} end,
            last_failure_at = case when ${blocked} then sign_in_throttle.last_failure_at else now() end,
            blocked_until = case when ${blocked} then sign_in_throttle.blocked_until
                                 else ${this.blockFor(n, free, cap)} end
          returning last_failure_at = now() as counted,
                    extract(epoch from blocked_until - now()) * 1000 as wait_ms`);
        const row = res.rows[0]!;
        if (!row.counted) waitMs = Math.max(waitMs, Number(row.wait_ms ?? 0));
      }
      if (waitMs > 0) {
        // Rolls back the counts of this attempt: a refused attempt costs nothing more.
        const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
        throw createError('too_many_attempts', `Too many failed sign-ins; try again in ${retryAfterSeconds} s`, {
          headers: { 'Retry-After': String(retryAfterSeconds) },
          details: { retryAfterSeconds },
        });
      }
    });
    await this.maybeSweep();
    return { succeeded: () => this.refund(account, address) };
  }

  private budget(scope: Scope): { failuresBeforeDelay: number; maxDelaySeconds: number } {
    const login = this.config.auth.login;
    return { pair: login.perAccountAddress, address: login.perAddress, account: login.perAccount }[scope];
  }

  /** `blocked_until` for a budget at `count` failures: null below the threshold. */
  private blockFor(count: SQL, free: number, cap: number): SQL {
    return sql`case when ${count} >= ${free}
      then now() + make_interval(secs => least(${cap}::float8,
             ${this.config.auth.login.baseDelaySeconds}::float8 * power(2, least(${count} - ${free}, 40))))
      else null end`;
  }

  private async maybeSweep(): Promise<void> {
    if (++this.attemptsSinceSweep < SWEEP_EVERY) return;
    this.attemptsSinceSweep = 0;
    // Forgotten rows are worth nothing; guessing random emails must not grow the table forever.
    await this.db.execute(sql`
      delete from sign_in_throttle
      where last_failure_at < now() - make_interval(secs => ${this.config.auth.login.forgetAfterSeconds})
        and (blocked_until is null or blocked_until < now())`);
  }

  /**
   * A correct secret: the (account, address) budget is cleared; the address and account budgets
   * only get this attempt back (an attacker's own valid account must not reset an address's or a
   * victim's count), with the delay it may have added shortened to the one before it.
   */
  private async refund(account: string, address: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.execute(
        sql`delete from sign_in_throttle where scope = 'pair' and account = ${account} and address = ${address}`,
      );
      for (const [scope, acct, addr] of this.keys(account, address).slice(1)) {
        const { failuresBeforeDelay: free, maxDelaySeconds: cap } = this.budget(scope);
        const before = sql`(sign_in_throttle.failures - 1)`;
        await tx.execute(sql`
          update sign_in_throttle set
            failures = greatest(0, ${before}),
            blocked_until = case when ${before} >= ${free}
                                 then least(blocked_until, ${this.blockFor(before, free, cap)}) else null end
          where scope = ${scope} and account = ${acct} and address = ${addr}`);
      }
      // A budget back at zero is no state at all.
      await tx.execute(sql`
        delete from sign_in_throttle where failures <= 0
          and ((scope = 'address' and account = '' and address = ${address})
            or (scope = 'account' and account = ${account} and address = ''))`);
    });
  }

  /** Clears every budget naming one of these accounts (admin unlock). Returns the rows removed. */
  async unlock(accounts: string[]): Promise<number> {
    if (accounts.length === 0) return 0;
    const rows = await this.db
      .delete(signInThrottle)
      .where(inArray(signInThrottle.account, accounts))
      .returning({ scope: signInThrottle.scope });
    return rows.length;
  }
}
