import { randomBytes, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, isNull, ne } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import type { Principal, Scope } from '../auth/principal.js';
import { apiKeys } from '../auth/schema.js';
import { sha256 } from '../auth/tokens.js';
import { tenants } from '../tenants/schema.js';

/** An API key as listed (never the secret). */
export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

function view(row: typeof apiKeys.$inferSelect): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

const KEY_RE = /^sk_([a-z0-9]{10})_([A-Za-z0-9_-]{40,})$/;

/**
 * API keys for server-to-server calls: `sk_<prefix>_<secret>`. The whole key is shown once at
 * creation; only its SHA-256 is stored. Keys are tenant-bound, scoped and revocable.
 */
export class ApiKeyService {
  private readonly db: Db;
  constructor({ db }: { db: Db }) {
    this.db = db;
  }

  async create(
    tenantId: string,
    input: { name: string; scopes: Scope[]; expiresAt?: Date | undefined; createdBy?: string | undefined },
  ): Promise<{ key: string; apiKey: ApiKeyView }> {
    const prefix = randomBytes(8).toString('hex').slice(0, 10);
    const key = `sk_${prefix}_${randomBytes(32).toString('base64url')}`;
    const [row] = await this.db
      .insert(apiKeys)
      .values({
        tenantId,
        name: input.name,
        prefix,
        keyHash: sha256(key),
        scopes: input.scopes,
        createdBy: input.createdBy ?? null,
        expiresAt: input.expiresAt ?? null,
      })
      .returning();
    return { key, apiKey: view(row!) };
  }

  /**
   * Installs a key generated elsewhere (the demo CRM's, made by `plugins.config.ts`), retiring
   * the earlier keys of the same name: each start of the demo brings a fresh key, and the old
   * ones must stop working. Idempotent for the same key.
   */
  async install(tenantId: string, input: { name: string; key: string; scopes: Scope[] }): Promise<void> {
    const m = KEY_RE.exec(input.key);
    if (!m) throw createError('validation_failed', 'An API key looks like sk_<10 letters or digits>_<40+ characters>');
    const hash = sha256(input.key);
    await this.db.transaction(async (tx) => {
      await tx
        .update(apiKeys)
        .set({ revokedAt: new Date() })
        .where(
          and(
            eq(apiKeys.tenantId, tenantId),
            eq(apiKeys.name, input.name),
            isNull(apiKeys.revokedAt),
            ne(apiKeys.keyHash, hash),
          ),
        );
      await tx
        .insert(apiKeys)
        .values({ tenantId, name: input.name, prefix: m[1]!, keyHash: hash, scopes: input.scopes })
        .onConflictDoNothing({ target: apiKeys.keyHash });
    });
  }

  async list(tenantId: string): Promise<ApiKeyView[]> {
    const rows = await this.db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.tenantId, tenantId))
      .orderBy(desc(apiKeys.createdAt));
    return rows.map(view);
  }

  async revoke(tenantId: string, id: string): Promise<ApiKeyView> {
    const [row] = await this.db
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .returning();
    if (row) return view(row);
    const [existing] = await this.db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id)));
    if (!existing) throw createError('not_found', 'No API key with that id');
    return view(existing);
  }

  /** Resolves a presented key to its principal; throws `invalid_token` if unusable. */
  async verify(key: string): Promise<Principal & { kind: 'apiKey' }> {
    const m = KEY_RE.exec(key);
    if (!m) throw createError('invalid_token', 'Malformed API key');
    const [found] = await this.db
      .select({ key: apiKeys, tenantStatus: tenants.status })
      .from(apiKeys)
      .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
      .where(eq(apiKeys.prefix, m[1]!));
    const row = found?.key;
    const presented = Buffer.from(sha256(key));
    if (!row || !timingSafeEqual(presented, Buffer.from(row.keyHash)))
      throw createError('invalid_token', 'Unknown API key');
    if (row.revokedAt) throw createError('invalid_token', 'This API key has been revoked');
    if (found.tenantStatus !== 'active') throw createError('invalid_token', 'The tenant of this API key is disabled');
    if (row.expiresAt && row.expiresAt.getTime() < Date.now())
      throw createError('invalid_token', 'This API key has expired');
    // Touch last-used at most once a minute: a busy integration must not write on every call.
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
      await this.db.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, row.id));
    }
    return { kind: 'apiKey', tenantId: row.tenantId, keyId: row.id, scopes: row.scopes as Scope[] };
  }
}
