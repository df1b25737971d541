import { and, asc, desc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import {
  pushDeliveries,
  pushSubscriptions,
  type DeliveryState,
  type PushDeliveryRow,
  type PushEventType,
  type PushSubscriptionRow,
} from './schema.js';

/** Push subscriptions and their delivery log. Every query is scoped by tenant. */
export class PushRepo {
  constructor(private readonly db: Db) {}

  async createSubscription(row: typeof pushSubscriptions.$inferInsert): Promise<PushSubscriptionRow> {
    const [saved] = await this.db.insert(pushSubscriptions).values(row).returning();
    return saved!;
  }

  async subscriptions(tenantId: string): Promise<PushSubscriptionRow[]> {
    return this.db
      .select()
      .from(pushSubscriptions)
      .where(eq(pushSubscriptions.tenantId, tenantId))
      .orderBy(asc(pushSubscriptions.createdAt));
  }

  async subscription(tenantId: string, id: string): Promise<PushSubscriptionRow | undefined> {
    const [row] = await this.db
      .select()
      .from(pushSubscriptions)
      .where(and(eq(pushSubscriptions.tenantId, tenantId), eq(pushSubscriptions.id, id)));
    return row;
  }

  async updateSubscription(
    tenantId: string,
    id: string,
    set: Partial<typeof pushSubscriptions.$inferInsert>,
  ): Promise<PushSubscriptionRow | undefined> {
    const [row] = await this.db
      .update(pushSubscriptions)
      .set({ ...set, updatedAt: new Date() })
      .where(and(eq(pushSubscriptions.tenantId, tenantId), eq(pushSubscriptions.id, id)))
      .returning();
    return row;
  }

  async deleteSubscription(tenantId: string, id: string): Promise<boolean> {
    const rows = await this.db
      .delete(pushSubscriptions)
      .where(and(eq(pushSubscriptions.tenantId, tenantId), eq(pushSubscriptions.id, id)))
      .returning({ id: pushSubscriptions.id });
    return rows.length > 0;
  }

  /** The tenant's subscriptions (active or paused) that take `type`. */
  async subscribersOf(tenantId: string, type: PushEventType): Promise<PushSubscriptionRow[]> {
    return this.db
      .select()
      .from(pushSubscriptions)
      .where(and(eq(pushSubscriptions.tenantId, tenantId), sql`${type} = any(${pushSubscriptions.eventTypes})`));
  }

  /** One delivery per subscription and event: a repeat of the event adds nothing (`undefined`). */
  async addDelivery(row: typeof pushDeliveries.$inferInsert): Promise<PushDeliveryRow | undefined> {
    const [saved] = await this.db.insert(pushDeliveries).values(row).onConflictDoNothing().returning();
    return saved;
  }

  async delivery(tenantId: string, id: string): Promise<PushDeliveryRow | undefined> {
    const [row] = await this.db
      .select()
      .from(pushDeliveries)
      .where(and(eq(pushDeliveries.tenantId, tenantId), eq(pushDeliveries.id, id)));
    return row;
  }

  /** A delivery by id alone: the worker's read (the job names only the delivery). */
  async deliveryById(id: string): Promise<PushDeliveryRow | undefined> {
    const [row] = await this.db.select().from(pushDeliveries).where(eq(pushDeliveries.id, id));
    return row;
  }

  async updateDelivery(id: string, set: Partial<typeof pushDeliveries.$inferInsert>): Promise<void> {
    await this.db.update(pushDeliveries).set(set).where(eq(pushDeliveries.id, id));
  }

  /**
   * The oldest delivery of the subscription's session still waiting (`pending` or `held`):
   * the one that goes next. Deliveries without a session each stand alone.
   */
  async headOf(subscriptionId: string, sessionId: string): Promise<PushDeliveryRow | undefined> {
    const [row] = await this.db
      .select()
      .from(pushDeliveries)
      .where(
        and(
          eq(pushDeliveries.subscriptionId, subscriptionId),
          eq(pushDeliveries.sessionId, sessionId),
          inArray(pushDeliveries.state, ['pending', 'held']),
        ),
      )
      .orderBy(asc(pushDeliveries.seq))
      .limit(1);
    return row;
  }

  /** Deliveries `held` while the subscription was paused, and the heads to send once resumed. */
  async releaseHeld(subscriptionId: string): Promise<PushDeliveryRow[]> {
    return this.db
      .update(pushDeliveries)
      .set({ state: 'pending' })
      .where(and(eq(pushDeliveries.subscriptionId, subscriptionId), eq(pushDeliveries.state, 'held')))
      .returning();
  }

  /** The delivery log of a tenant, newest first, by subscription and state, keyset-paged. */
  async log(
    tenantId: string,
    opts: { subscriptionId?: string; state?: DeliveryState; before?: { createdAt: Date; id: string }; limit: number },
  ): Promise<PushDeliveryRow[]> {
    const where: Array<SQL | undefined> = [
      eq(pushDeliveries.tenantId, tenantId),
      opts.subscriptionId ? eq(pushDeliveries.subscriptionId, opts.subscriptionId) : undefined,
      opts.state ? eq(pushDeliveries.state, opts.state) : undefined,
      opts.before
        ? or(
            lt(pushDeliveries.createdAt, opts.before.createdAt),
            and(eq(pushDeliveries.createdAt, opts.before.createdAt), lt(pushDeliveries.id, opts.before.id)),
          )
        : undefined,
    ];
    return this.db
      .select()
      .from(pushDeliveries)
      .where(and(...where))
      .orderBy(desc(pushDeliveries.createdAt), desc(pushDeliveries.id))
      .limit(opts.limit);
  }

  /** Pending deliveries never attempted, made before `before`, oldest first. */
  async neverAttempted(before: Date, limit: number): Promise<PushDeliveryRow[]> {
    return this.db
      .select()
      .from(pushDeliveries)
      .where(
        and(eq(pushDeliveries.state, 'pending'), eq(pushDeliveries.attempts, 0), lt(pushDeliveries.createdAt, before)),
      )
      .orderBy(asc(pushDeliveries.seq))
      .limit(limit);
  }

  /** A subscription's first failure since its last success (set once; cleared by a success). */
  async markFailing(subscriptionId: string, at: Date): Promise<PushSubscriptionRow | undefined> {
    await this.db
      .update(pushSubscriptions)
      .set({ failingSince: at })
      .where(and(eq(pushSubscriptions.id, subscriptionId), isNull(pushSubscriptions.failingSince)));
    const [row] = await this.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.id, subscriptionId));
    return row;
  }

  async markHealthy(subscriptionId: string, at: Date): Promise<void> {
    await this.db
      .update(pushSubscriptions)
      .set({ failingSince: null, lastSuccessAt: at })
      .where(eq(pushSubscriptions.id, subscriptionId));
  }

  /** Pauses a subscription that has failed since before `cutoff`; the row when this call paused it. */
  async pauseIfFailingSince(subscriptionId: string, cutoff: Date): Promise<PushSubscriptionRow | undefined> {
    const [row] = await this.db
      .update(pushSubscriptions)
      .set({ state: 'paused', pausedReason: 'failing', updatedAt: new Date() })
      .where(
        and(
          eq(pushSubscriptions.id, subscriptionId),
          eq(pushSubscriptions.state, 'active'),
          lt(pushSubscriptions.failingSince, cutoff),
        ),
      )
      .returning();
    return row;
  }
}
