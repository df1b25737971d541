import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { ResolvedConfig } from '../../config/config.js';
import type { Db } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import type { ApiKeyService } from '../api-keys/service.js';
import type { TenantRepo } from '../tenants/repo.js';
import type { UserRepo } from '../users/repo.js';
import type { UserRow } from '../users/schema.js';
import { toUserView, type UserView } from '../users/view.js';
import { dummyHash, verifyPassword } from './passwords.js';
import type { Principal } from './principal.js';
import type { RateLimiter } from './rate-limiter.js';
import { smsCodes } from './schema.js';
import type { AuthKeys } from './secrets.js';
import type { SmsSender } from './sms-sender.js';
import type { TokenRevocation } from './revocation.js';
import { emailAccount, mobileAccount, type SignInThrottle } from './throttle.js';
import type { TokenPair, TokenService } from './tokens.js';

/** A successful sign-in. */
export interface LoginResult extends TokenPair {
  user: UserView;
}

interface Deps {
  db: Db;
  config: ResolvedConfig;
  logger: Logger;
  userRepo: UserRepo;
  tenantRepo: TenantRepo;
  tokenService: TokenService;
  apiKeyService: ApiKeyService;
  rateLimiter: RateLimiter;
  signInThrottle: SignInThrottle;
  tokenRevocation: TokenRevocation;
  smsSender: SmsSender;
  authKeys: AuthKeys;
}

/** Sign-in by email + password (LOGIN-01) or mobile + SMS code (LOGIN-02), and token upkeep. */
export class AuthService {
  private readonly d: Deps;
  constructor(deps: Deps) {
    this.d = deps;
  }

  private tooMany(retryAfterSeconds: number): never {
    throw createError('too_many_attempts', `Too many attempts; try again in ${retryAfterSeconds} s`, {
      headers: { 'Retry-After': String(retryAfterSeconds) },
      details: { retryAfterSeconds },
    });
  }

  /** The user and their tenant may sign in (a platform operator may have disabled the tenant). */
  private async assertActive(user: UserRow): Promise<void> {
    if (user.status !== 'active') throw createError('account_disabled');
    if (!(await this.d.tenantRepo.isActive(user.tenantId))) throw createError('tenant_disabled');
  }

  /**
   * Email + password. Failures are throttled per (email, address), per address and per email
   * with growing delays ({@link SignInThrottle}); a blocked attempt answers 429 before the
   * password is checked.
   */
  async login(email: string, password: string, ip: string): Promise<LoginResult> {
    // Counted as a failure until the password proves right (see SignInThrottle.begin).
    const attempt = await this.d.signInThrottle.begin(emailAccount(email), ip);
    const user = await this.d.userRepo.findByEmailForLogin(email);
    const ok = user?.passwordHash
      ? await verifyPassword(user.passwordHash, password)
      : await verifyPassword(await dummyHash(), password).then(() => false);
    if (!user || !ok) {
      this.d.logger.info({ email, ip }, 'failed sign-in');
      throw createError('invalid_credentials');
    }
    await this.assertActive(user);
    await attempt.succeeded();
    return { ...(await this.d.tokenService.issuePair(user)), user: toUserView(user) };
  }

  private hashCode(mobile: string, code: string): string {
    // HMAC keyed by a server secret: 6 digits are trivially brute-forced from a bare hash.
    return createHmac('sha256', this.d.authKeys.codes).update(`${mobile}:${code}`).digest('hex');
  }

  /**
   * Sends a 6-digit code. The answer is the same whether or not the mobile belongs to a user,
   * so the endpoint cannot be used to find out who has an account.
   */
  async requestSmsCode(
    mobile: string,
    ip: string,
  ): Promise<{ sent: true; expiresInSeconds: number; resendAfterSeconds: number }> {
    const sms = this.d.config.auth.sms;
    const ipState = await this.d.rateLimiter.hit(`sms:ip:${ip}`, sms.maxPerIpPerHour, 3600);
    if (!ipState.allowed) this.tooMany(ipState.retryAfterSeconds);
    const [last] = await this.d.db
      .select()
      .from(smsCodes)
      .where(eq(smsCodes.mobile, mobile))
      .orderBy(desc(smsCodes.createdAt))
      .limit(1);
    if (last && Date.now() - last.createdAt.getTime() < sms.resendIntervalSeconds * 1000) {
      this.tooMany(Math.ceil((last.createdAt.getTime() + sms.resendIntervalSeconds * 1000 - Date.now()) / 1000));
    }
    const mobileState = await this.d.rateLimiter.hit(`sms:mobile:${mobile}`, sms.maxPerMobilePerHour, 3600);
    if (!mobileState.allowed) this.tooMany(mobileState.retryAfterSeconds);

    const user = await this.d.userRepo.findByMobileForLogin(mobile);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    // A row is written even for unknown mobiles so the resend interval applies alike.
    await this.d.db.transaction(async (tx) => {
      // Only the newest code is valid: issuing one retires the earlier ones.
      await tx
        .update(smsCodes)
        .set({ consumedAt: new Date() })
        .where(and(eq(smsCodes.mobile, mobile), isNull(smsCodes.consumedAt)));
      await tx.insert(smsCodes).values({
        mobile,
        codeHash: this.hashCode(mobile, code),
        expiresAt: new Date(Date.now() + sms.codeTtlSeconds * 1000),
      });
    });
    if (user && user.status === 'active') await this.d.smsSender.sendLoginCode(mobile, code);
    return { sent: true, expiresInSeconds: sms.codeTtlSeconds, resendAfterSeconds: sms.resendIntervalSeconds };
  }

  /** Mobile + code: single use, 5-minute life, a few tries per code, throttled as {@link login}. */
  async loginSms(mobile: string, code: string, ip: string): Promise<LoginResult> {
    const sms = this.d.config.auth.sms;
    const attempt = await this.d.signInThrottle.begin(mobileAccount(mobile), ip);
    const [current] = await this.d.db
      .select()
      .from(smsCodes)
      .where(and(eq(smsCodes.mobile, mobile), isNull(smsCodes.consumedAt), gt(smsCodes.expiresAt, new Date())))
      .orderBy(desc(smsCodes.createdAt))
      .limit(1);
    // Already counted by begin(): a miss only has to say so.
    const fail = (): never => {
      throw createError('invalid_sms_code');
    };
    if (!current) return fail();
    const presented = Buffer.from(this.hashCode(mobile, code));
    if (!timingSafeEqual(presented, Buffer.from(current.codeHash))) {
      // Count the miss; the last allowed miss burns the code.
      await this.d.db
        .update(smsCodes)
        .set({
          attempts: sql`${smsCodes.attempts} + 1`,
          consumedAt: sql`case when ${smsCodes.attempts} + 1 >= ${sms.maxVerifyAttempts} then now() else null end`,
        })
        .where(eq(smsCodes.id, current.id));
      return fail();
    }
    // Conditional update: of two requests racing with the same code, only one wins.
    const [won] = await this.d.db
      .update(smsCodes)
      .set({ consumedAt: new Date() })
      .where(and(eq(smsCodes.id, current.id), isNull(smsCodes.consumedAt)))
      .returning({ id: smsCodes.id });
    if (!won) return fail();
    const user = await this.d.userRepo.findByMobileForLogin(mobile);
    if (!user) return fail();
    await this.assertActive(user);
    await attempt.succeeded();
    return { ...(await this.d.tokenService.issuePair(user)), user: toUserView(user) };
  }

  /** Rotates a refresh token into a new pair. */
  async refresh(refreshToken: string): Promise<LoginResult> {
    const { userId, tenantId, familyId } = await this.d.tokenService.consumeRefreshToken(refreshToken);
    const user = await this.d.userRepo.findById(tenantId, userId);
    if (!user) throw createError('invalid_refresh_token');
    await this.assertActive(user);
    return { ...(await this.d.tokenService.issuePair(user, familyId)), user: toUserView(user) };
  }

  /**
   * Revokes the refresh token (and its family) and ends the user's access tokens issued so far,
   * on every instance within `auth.revocationCacheSeconds`, with their realtime sockets. Other
   * devices keep their refresh tokens and trade them for new access tokens. Idempotent.
   */
  async logout(refreshToken: string): Promise<void> {
    const owner = await this.d.tokenService.revoke(refreshToken);
    if (owner) await this.d.tokenRevocation.revokeAll(owner.tenantId, owner.userId, 'signed-out');
  }

  /**
   * Admin unlock: clears every sign-in throttle naming this user's email or mobile. Tenant-scoped:
   * a user of another tenant is `not_found`. Returns how many throttle entries were cleared.
   */
  async unlockSignIn(tenantId: string, userId: string): Promise<{ cleared: number }> {
    const user = await this.d.userRepo.findById(tenantId, userId);
    if (!user) throw createError('not_found', 'No user with that id');
    const accounts = [emailAccount(user.email), ...(user.mobile ? [mobileAccount(user.mobile)] : [])];
    const cleared = await this.d.signInThrottle.unlock(accounts);
    this.d.logger.info({ tenantId, userId, cleared }, 'sign-in throttle cleared by an admin');
    return { cleared };
  }

  /**
   * Resolves an `Authorization` header. No header → undefined (the route decides whether that
   * is fine); a header that is present but bad → `invalid_token`, never silently anonymous.
   */
  async authenticate(header: string | undefined): Promise<Principal | undefined> {
    if (!header) return undefined;
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw createError('invalid_token', 'Use "Authorization: Bearer <token>"');
    const token = m[1]!;
    if (token.startsWith('sk_')) return this.d.apiKeyService.verify(token);
    return this.d.tokenService.verifyAccessToken(token);
  }
}
