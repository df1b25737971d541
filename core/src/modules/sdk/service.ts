import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import type { LoginResult } from '../auth/service.js';
import type { RateLimiter } from '../auth/rate-limiter.js';
import { sha256, type TokenService } from '../auth/tokens.js';
import { readSetting } from '../tenants/settings-schema.js';
import type { TenantRepo } from '../tenants/repo.js';
import type { UserRepo } from '../users/repo.js';
import { toUserView } from '../users/view.js';
import { SdkRepo } from './repo.js';

/** A login token lives 10 minutes and is good for one sign-in (as TCCC's SdkURL). */
export const SDK_LOGIN_TOKEN_TTL_SECONDS = 600;
/** Token trades per client address and minute: a guessing client is stopped long before a hit. */
const LOGIN_PER_IP_PER_MINUTE = 30;

interface Deps {
  db: Db;
  clock: Clock;
  logger: Logger;
  userRepo: UserRepo;
  tenantRepo: TenantRepo;
  tokenService: TokenService;
  rateLimiter: RateLimiter;
}

/** What a CRM's server gets for one agent's SDK sign-in. */
export interface SdkLoginToken {
  token: string;
  expiresAt: Date;
  /** The page the SDK frames: the workbench in embedded mode for this tenant. */
  sdkUrl: string;
}

/**
 * The browser SDK's server side (issue 14, SDK-01…19): one-time login tokens a CRM's server
 * asks for with an API key, their trade for a token pair by the embedded workbench, and the
 * origins each tenant lets embed the workbench (`sdkOrigins`).
 */
export class SdkService {
  private readonly repo: SdkRepo;
  private publicBase: () => string = () => '';

  constructor(private readonly d: Deps) {
    this.repo = new SdkRepo(d.db);
  }

  /** Where this server is reachable (the absolute `sdkUrl`); set by the app once listening. */
  usePublicUrl(get: () => string): void {
    this.publicBase = get;
  }

  /**
   * A token for `seatUserId` (the user's email, as TCCC's `SeatUserId`, or their id) of this
   * tenant. The user must be active; tokens already issued stay valid until used or expired.
   */
  async createLoginToken(tenantId: string, seatUserId: string): Promise<SdkLoginToken> {
    const byEmail = seatUserId.includes('@');
    const user = byEmail
      ? await this.d.userRepo.findByEmailForLogin(seatUserId)
      : /^[0-9a-f-]{36}$/i.test(seatUserId)
        ? await this.d.userRepo.findById(tenantId, seatUserId)
        : undefined;
    // Emails are unique across tenants: one of another tenant is "not found" here.
    if (!user || user.tenantId !== tenantId) throw createError('not_found', 'No user with that email or id');
    if (user.status !== 'active') throw createError('account_disabled');
    const now = this.d.clock.now();
    // Expired rows are of no use to anyone: each issue sweeps them (an index on expires_at).
    await this.repo.purgeExpired(new Date(now.getTime() - 3600_000));
    const token = `sdk_${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(now.getTime() + SDK_LOGIN_TOKEN_TTL_SECONDS * 1000);
    await this.repo.insert({ tenantId, userId: user.id, tokenHash: sha256(token), expiresAt });
    return { token, expiresAt, sdkUrl: this.embedUrl(tenantId) };
  }

  /** The embedded workbench's address for a tenant. */
  embedUrl(tenantId: string): string {
    return `${this.publicBase()}/embed/${tenantId}`;
  }

  /** Trades a login token for a token pair, once. */
  async login(token: string, ip: string): Promise<LoginResult> {
    const limit = await this.d.rateLimiter.hit(`sdk-login:ip:${ip}`, LOGIN_PER_IP_PER_MINUTE, 60);
    if (!limit.allowed) {
      throw createError('too_many_attempts', `Too many attempts; try again in ${limit.retryAfterSeconds} s`, {
        headers: { 'Retry-After': String(limit.retryAfterSeconds) },
        details: { retryAfterSeconds: limit.retryAfterSeconds },
      });
    }
    const row = await this.repo.consume(sha256(token), this.d.clock.now());
    if (!row) throw createError('invalid_sdk_token');
    const user = await this.d.userRepo.findById(row.tenantId, row.userId);
    if (!user || user.status !== 'active') throw createError('account_disabled');
    if (!(await this.d.tenantRepo.isActive(row.tenantId))) throw createError('tenant_disabled');
    this.d.logger.info({ tenantId: row.tenantId, userId: row.userId }, 'SDK sign-in');
    return { ...(await this.d.tokenService.issuePair(user)), user: toUserView(user) };
  }

  /**
   * The origins that may embed a tenant's workbench; empty for an unknown or disabled tenant, so
   * the answer says nothing about which tenants exist.
   */
  async allowedOrigins(tenantId: string): Promise<string[]> {
    if (!/^[0-9a-f-]{36}$/i.test(tenantId)) return [];
    const tenant = await this.d.tenantRepo.findById(tenantId);
    if (!tenant || tenant.status !== 'active') return [];
    return readSetting(tenant.settings, 'sdkOrigins');
  }
}
