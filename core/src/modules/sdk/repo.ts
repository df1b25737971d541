import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { sdkLoginTokens, type SdkLoginTokenRow } from './schema.js';

/** SDK login tokens. */
export class SdkRepo {
  constructor(private readonly db: Db) {}

  async insert(row: typeof sdkLoginTokens.$inferInsert): Promise<SdkLoginTokenRow> {
    const [saved] = await this.db.insert(sdkLoginTokens).values(row).returning();
    return saved!;
  }

  /**
   * Marks the unexpired, unused token with this hash used and returns it. Conditional update: of
   * two requests racing with one token, only one gets the row.
   */
  async consume(tokenHash: string, now: Date): Promise<SdkLoginTokenRow | undefined> {
    const [row] = await this.db
      .update(sdkLoginTokens)
      .set({ consumedAt: now })
      .where(
        and(
          eq(sdkLoginTokens.tokenHash, tokenHash),
          isNull(sdkLoginTokens.consumedAt),
          gt(sdkLoginTokens.expiresAt, now),
        ),
      )
      .returning();
    return row;
  }

  /** Forgets tokens that expired before `before` (used or not): nothing reads them again. */
  async purgeExpired(before: Date): Promise<void> {
    await this.db.delete(sdkLoginTokens).where(lt(sdkLoginTokens.expiresAt, before));
  }
}
