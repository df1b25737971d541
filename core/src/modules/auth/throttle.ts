import { inArray, sql } from 'drizzle-orm';
import type { ResolvedConfig } from '../../config/config.js';
import type { Db } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import { signInThrottle } from './schema.js';

type Scope = 'pair' | 'address' | 'account';

/** The account key of an email sign-in (lower-cased, as emails are stored). */
export const emailAccount = (email: string): string => `email:${email.toLowerCase()}`;
/** The account key of an SMS-code sign-in. */
export const mobileAccount = (mobile: string): string => `mobile:${mobile}`;

/** Failures between two sweeps of forgotten rows on one instance. */
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
  private failuresSinceSweep = 0;

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

  /** Throws `too_many_attempts` (with `Retry-After`) while any of the attempt's budgets is blocked. */
  async check(account: string, address: string): Promise<void> {
    const tuples = sql.join(
      this.keys(account, address).map(([s, a, ip]) => sql`(${s}, ${a}, ${ip})`),
      sql`, `,
    );
    const res = await this.db.execute<{ wait_ms: number | string | null }>(sql`
      select extract(epoch from max(blocked_until) - now()) * 1000 as wait_ms
      from sign_in_throttle
      where (scope, account, address) in (${tuples}) and blocked_until > now()`);
    const waitMs = Number(res.rows[0]?.wait_ms ?? 0);
    if (waitMs > 0) {
      const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw createError('too_many_attempts', `Too many failed sign-ins; try again in ${retryAfterSeconds} s`, {
        headers: { 'Retry-After': String(retryAfterSeconds) },
        details: { retryAfterSeconds },
      });
    }
  }

  /** Counts a failed attempt in all three budgets. */
  async fail(account: string, address: string): Promise<void> {
    const login = this.config.auth.login;
    const budgets = {
      pair: login.perAccountAddress,
      address: login.perAddress,
      account: login.perAccount,
    } as const;
    const forget = login.forgetAfterSeconds;
    for (const [scope, acct, addr] of this.keys(account, address)) {
      const { failuresBeforeDelay: free, maxDelaySeconds: cap } = budgets[scope];
      // `n` is the failure count after this one: restarted when the last failure is forgotten.
      const n = sql`(case when sign_in_throttle.last_failure_at < now() - make_interval(secs => ${forget})
                          then 1 else sign_in_throttle.failures + 1 end)`;
      const blockFor = (count: ReturnType<typeof sql>) => sql`case when ${count} >= ${free}
        then now() + make_interval(secs => least(${cap}::float8,
               ${login.baseDelaySeconds}::float8 * power(2, least(${count} - ${free}, 40))))
        else null end`;
      await this.db.execute(sql`
        insert into sign_in_throttle (scope, account, address, failures, last_failure_at, blocked_until)
        values (${scope}, ${acct}, ${addr}, 1, now(), ${blockFor(sql`1`)})
        on conflict (scope, account, address) do update set
          failures = ${n}, last_failure_at = now(), blocked_until = ${blockFor(n)}`);
    }
    if (++this.failuresSinceSweep >= SWEEP_EVERY) {
      this.failuresSinceSweep = 0;
      // Forgotten rows are worth nothing; guessing random emails must not grow the table forever.
      await this.db.execute(sql`
        delete from sign_in_throttle
        where last_failure_at < now() - make_interval(secs => ${forget})
          and (blocked_until is null or blocked_until < now())`);
    }
  }

  /** A correct sign-in clears its (account, address) budget; the wider two only decay. */
  async succeed(account: string, address: string): Promise<void> {
    await this.db.execute(
      sql`delete from sign_in_throttle where scope = 'pair' and account = ${account} and address = ${address}`,
    );
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
