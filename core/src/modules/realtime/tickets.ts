import { randomBytes } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { ResolvedConfig } from '../../config/config.js';
import type { Db } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import { sha256 } from '../auth/tokens.js';
import { wsTickets } from './schema.js';

/** One-time, short-lived tickets for opening a WebSocket (stored hashed, single use). */
export class TicketService {
  private readonly db: Db;
  private readonly config: ResolvedConfig;
  constructor({ db, config }: { db: Db; config: ResolvedConfig }) {
    this.db = db;
    this.config = config;
  }

  async issue(tenantId: string, userId: string): Promise<{ ticket: string; expiresInSeconds: number }> {
    const ticket = `wst_${randomBytes(24).toString('base64url')}`;
    const ttl = this.config.realtime.ticketTtlSeconds;
    await this.db.insert(wsTickets).values({
      tenantId,
      userId,
      ticketHash: sha256(ticket),
      expiresAt: new Date(Date.now() + ttl * 1000),
    });
    return { ticket, expiresInSeconds: ttl };
  }

  /**
   * Consumes a ticket; a second use, or a late one, is refused. `issuedAtMs` (from the expiry
   * and the configured lifetime) lets the gateway refuse tickets minted before a sign-out.
   */
  async redeem(ticket: string): Promise<{ tenantId: string; userId: string; issuedAtMs: number }> {
    const [row] = await this.db
      .update(wsTickets)
      .set({ usedAt: new Date() })
      .where(
        and(eq(wsTickets.ticketHash, sha256(ticket)), isNull(wsTickets.usedAt), gt(wsTickets.expiresAt, new Date())),
      )
      .returning();
    if (!row) throw createError('invalid_token', 'The ticket is unknown, used or expired');
    const issuedAtMs = row.expiresAt.getTime() - this.config.realtime.ticketTtlSeconds * 1000;
    return { tenantId: row.tenantId, userId: row.userId, issuedAtMs };
  }
}
