import type { Logger } from 'pino';
import type { ResolvedConfig } from '../../config/config.js';
import { createError } from '../../errors/registry.js';
import type { EventBus } from '../../realtime/bus.js';
import type { UserRepo } from '../users/repo.js';

/** Why a user's tokens were ended. */
export type RevocationReason = 'signed-out' | 'disabled' | 'password-reset' | 'tenant-disabled';

const MESSAGES: Record<RevocationReason, string> = {
  'signed-out': 'You signed out',
  disabled: 'Your account was disabled',
  'password-reset': 'Your password was reset; sign in again',
  'tenant-disabled': 'Your organisation was disabled',
};

interface Known {
  active: boolean;
  validAfterMs: number | null;
  /** When this entry was read (epoch ms): trusted for `revocationCacheSeconds`. */
  readAt: number;
}

/**
 * Ends access tokens before they expire. Access tokens are stateless JWTs (ADR 0003), so each
 * request also asks: is the user still active, and was the token issued after the user's
 * `tokens_valid_after` (set on sign-out and on disabling)? The answer is cached per user for at
 * most `auth.revocationCacheSeconds` (≤ 30 s) so a request costs no extra query in the common
 * case, and every instance drops its entry at once when a `session.revoked` event for the user
 * crosses the event bus (LISTEN/NOTIFY with a shared PostgreSQL). The cache bound holds even if
 * that notice is lost: a revoked token works for at most the cache lifetime on any instance.
 */
export class TokenRevocation {
  private readonly userRepo: UserRepo;
  private readonly config: ResolvedConfig;
  private readonly bus: EventBus;
  private readonly logger: Logger;
  private readonly known = new Map<string, Known>();
  private subscribed = false;

  constructor(deps: { userRepo: UserRepo; config: ResolvedConfig; bus: EventBus; logger: Logger }) {
    this.userRepo = deps.userRepo;
    this.config = deps.config;
    this.bus = deps.bus;
    this.logger = deps.logger;
  }

  private listen(): void {
    if (this.subscribed) return;
    this.subscribed = true;
    this.bus.subscribe((msg) => {
      if (msg.frame.type !== 'session.revoked') return;
      for (const channel of msg.channels) {
        // `user:<tenantId>:<userId>` (see channelOf): the only audience a revocation targets.
        const m = /^user:[^:]+:(.+)$/.exec(channel);
        if (m) this.known.delete(m[1]!);
      }
    });
  }

  private async read(tenantId: string, userId: string): Promise<Known | undefined> {
    this.listen();
    const ttlMs = this.config.auth.revocationCacheSeconds * 1000;
    const cached = this.known.get(userId);
    if (cached && Date.now() - cached.readAt < ttlMs) return cached;
    const state = await this.userRepo.authState(tenantId, userId);
    if (!state) {
      this.known.delete(userId);
      return undefined;
    }
    const entry: Known = {
      active: state.status === 'active',
      validAfterMs: state.tokensValidAfter?.getTime() ?? null,
      readAt: Date.now(),
    };
    if (ttlMs > 0) this.known.set(userId, entry);
    return entry;
  }

  /** Whether a credential of this user issued at `issuedAtMs` is still good. */
  async isValid(tenantId: string, userId: string, issuedAtMs: number): Promise<boolean> {
    const k = await this.read(tenantId, userId);
    return !!k && k.active && (k.validAfterMs === null || issuedAtMs >= k.validAfterMs);
  }

  /** Throws `invalid_token` unless {@link isValid}. */
  async assertValid(tenantId: string, userId: string, issuedAtMs: number): Promise<void> {
    if (!(await this.isValid(tenantId, userId, issuedAtMs))) {
      throw createError('invalid_token', 'The session has ended (signed out or disabled)');
    }
  }

  /**
   * Ends every access token of the user issued until now, on every instance, and closes the
   * user's realtime sockets (the gateway closes them on `session.revoked`).
   */
  async revokeAll(tenantId: string, userId: string, reason: RevocationReason): Promise<void> {
    await this.userRepo.setTokensValidAfter(tenantId, userId, new Date());
    await this.announce(tenantId, [userId], reason);
  }

  /**
   * Ends every access token of every user of a tenant (the tenant was disabled) and closes their
   * sockets. Also tokens issued later are refused while the tenant is disabled (see `authState`).
   */
  async revokeTenant(tenantId: string): Promise<void> {
    const userIds = await this.userRepo.setTokensValidAfterForTenant(tenantId, new Date());
    await this.announce(tenantId, userIds, 'tenant-disabled');
  }

  /**
   * Drops what this instance remembers about some users (all when none are named), after they
   * were enabled again: their new tokens work here at once, and on other instances once their
   * entries expire (≤ `auth.revocationCacheSeconds`).
   */
  forget(userIds?: readonly string[]): void {
    if (!userIds) this.known.clear();
    else for (const id of userIds) this.known.delete(id);
  }

  private async announce(tenantId: string, userIds: readonly string[], reason: RevocationReason): Promise<void> {
    for (const userId of userIds) this.known.delete(userId);
    try {
      for (const userId of userIds) {
        await this.bus.publish({ tenantId, kind: 'user', userId }, 'session.revoked', {
          reason,
          message: MESSAGES[reason],
        });
      }
    } catch (err) {
      // The tokens are already refused once caches expire (≤ revocationCacheSeconds); sockets
      // are re-checked on the heartbeat. Losing the notice delays, it does not undo.
      this.logger.warn({ err, tenantId, users: userIds.length }, 'could not announce a session revocation');
    }
  }
}
