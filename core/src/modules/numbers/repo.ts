import { eq } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { numbers, type NumberRow } from './schema.js';

/** Numbers the contact center answers. */
export class NumberRepo {
  private readonly db: Db;
  constructor({ db }: { db: Db }) {
    this.db = db;
  }

  async findByNumber(number: string): Promise<NumberRow | undefined> {
    const [row] = await this.db.select().from(numbers).where(eq(numbers.number, number));
    return row;
  }

  async create(
    tenantId: string,
    input: { number: string; label?: string; ivrFlowId?: string | null },
  ): Promise<NumberRow> {
    const [row] = await this.db
      .insert(numbers)
      .values({ tenantId, ...input })
      .returning();
    return row!;
  }
}
