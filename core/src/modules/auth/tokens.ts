import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { ResolvedConfig } from '../../config/config.js';
import type { Db } from '../../db/database.js';
import { createError, isAppError } from '../../errors/registry.js';
import { ROLES, type Role } from '../users/schema.js';
import type { Principal } from './principal.js';
import { refreshTokens } from './schema.js';
import type { TokenRevocation } from './revocation.js';
import type { AuthKeys } from './secrets.js';

const ISSUER = 'switchboard';
const AUDIENCE = 'switchboard-api';

/** SHA-256 hex of a high-entropy secret (refresh tokens, API keys, tickets). */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** A fresh access/refresh pair. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  /** Seconds until the access token expires. */
  expiresIn: number;
}

/**
 * Access tokens are short-lived JWTs (HS256, ≤ 15 min), checked against the user's revocation
 * state (a cached read, see {@link TokenRevocation}) so sign-out and disabling end them; refresh tokens are opaque, stored hashed and rotated on every use. Reusing a rotated
 * refresh token revokes its whole family — the sign of a stolen token.
 */
export class TokenService {
  private readonly db: Db;
  private readonly config: ResolvedConfig;
  private readonly keys: AuthKeys;
  private readonly revocation: TokenRevocation;

  constructor({
    db,
    config,
    authKeys,
    tokenRevocation,
  }: {
    db: Db;
    config: ResolvedConfig;
    authKeys: AuthKeys;
    tokenRevocation: TokenRevocation;
  }) {
    this.db = db;
    this.config = config;
    this.keys = authKeys;
    this.revocation = tokenRevocation;
  }

  async signAccessToken(user: { id: string; tenantId: string; role: Role }): Promise<string> {
    // `iat_ms`: `iat` has whole seconds, too coarse to tell a token issued just before a
    // sign-out from one issued just after it (a new sign-in in the same second).
    return new SignJWT({ tid: user.tenantId, role: user.role, iat_ms: Date.now() })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setJti(randomUUID())
      .setExpirationTime(`${this.config.auth.accessTokenTtlSeconds}s`)
      .sign(this.keys.jwt);
  }

  /**
   * Verifies an access token, and that its user is active and has not signed out since it was
   * issued; throws `invalid_token` for anything wrong with it.
   */
  async verifyAccessToken(token: string): Promise<Principal & { kind: 'user' }> {
    const principal = await this.verifySignature(token);
    await this.revocation.assertValid(principal.tenantId, principal.userId, principal.issuedAtMs);
    return { kind: 'user', userId: principal.userId, tenantId: principal.tenantId, role: principal.role };
  }

  private async verifySignature(token: string): Promise<Principal & { kind: 'user'; issuedAtMs: number }> {
    try {
      const { payload } = await jwtVerify(token, this.keys.jwt, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
      });
      const role = payload.role as Role;
      if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string' || !ROLES.includes(role)) {
        throw createError('invalid_token', 'The token has an unexpected shape');
      }
      // Tokens from before `iat_ms` existed fall back to `iat` (whole seconds).
      const issuedAtMs = typeof payload.iat_ms === 'number' ? payload.iat_ms : (payload.iat ?? 0) * 1000;
      return { kind: 'user', userId: payload.sub, tenantId: payload.tid, role, issuedAtMs };
    } catch (err) {
      if (isAppError(err)) throw err;
      if (err instanceof joseErrors.JWTExpired) throw createError('invalid_token', 'The access token has expired');
      throw createError('invalid_token', undefined, { cause: err });
    }
  }

  /** Issues an access token and a new refresh token (a new family unless one is given). */
  async issuePair(
    user: { id: string; tenantId: string; role: Role },
    familyId: string = randomUUID(),
  ): Promise<TokenPair> {
    const refreshToken = `rt_${randomBytes(32).toString('base64url')}`;
    await this.db.insert(refreshTokens).values({
      tenantId: user.tenantId,
      userId: user.id,
      familyId,
      tokenHash: sha256(refreshToken),
      expiresAt: new Date(Date.now() + this.config.auth.refreshTokenTtlSeconds * 1000),
    });
    return {
      accessToken: await this.signAccessToken(user),
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.config.auth.accessTokenTtlSeconds,
    };
  }

  /**
   * Consumes a refresh token and returns the user id it belongs to, with its family.
   * Single use: the conditional update means two concurrent refreshes cannot both succeed.
   */
  async consumeRefreshToken(token: string): Promise<{ userId: string; tenantId: string; familyId: string }> {
    const hash = sha256(token);
    const [used] = await this.db
      .update(refreshTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(refreshTokens.tokenHash, hash), isNull(refreshTokens.revokedAt)))
      .returning();
    if (!used) {
      const [known] = await this.db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hash));
      if (known) {
        // A rotated (or logged-out) token came back: treat the family as compromised.
        await this.revokeFamily(known.familyId);
      }
      throw createError('invalid_refresh_token');
    }
    if (used.expiresAt.getTime() < Date.now())
      throw createError('invalid_refresh_token', 'The refresh token has expired');
    return { userId: used.userId, tenantId: used.tenantId, familyId: used.familyId };
  }

  /**
   * Revokes one refresh token's family (logout ends the session on this device). Returns whose
   * token it was, or undefined for an unknown token.
   */
  async revoke(token: string): Promise<{ tenantId: string; userId: string } | undefined> {
    const [row] = await this.db
      .select()
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, sha256(token)));
    if (!row) return undefined;
    await this.revokeFamily(row.familyId);
    return { tenantId: row.tenantId, userId: row.userId };
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.db
      .update(refreshTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
  }
}
