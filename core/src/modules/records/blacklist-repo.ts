import type { Db } from '../../db/database.js';
import { normalise } from '../calls/call-flow.js';
import { blacklist } from './schema.js';

/** Numbers refused at the door (CTL-08). */
export class BlacklistRepo {
  private readonly db: Db;
  constructor({ db }: { db: Db }) {
    this.db = db;
  }

  async add(tenantId: string, number: string, reason?: string): Promise<void> {
    await this.db
      .insert(blacklist)
      .values({ tenantId, number: normalise(number), reason: reason ?? null })
      .onConflictDoNothing();
  }
}
