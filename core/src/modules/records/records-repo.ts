import { and, asc, count, desc, eq, gt, gte, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { END_STATUS } from '../calls/end-status.js';
import { sessionControls } from '../sessions/schema.js';
import { users } from '../users/schema.js';
import { cdrs, type CdrRow } from './schema.js';

/** The filters of the record list and its export (REC-01), already validated. */
export interface RecordFilters {
  tenantId: string;
  /** Who may see which calls (agents: only theirs), from the route. */
  scope?: SQL | undefined;
  direction?: 'inbound' | 'outbound' | 'internal' | undefined;
  /** `true`: end status `ok`; `false`: every other. */
  connected?: boolean | undefined;
  /** One end status by name (`waitingGiveUp`…): the "access status" of the reference product. */
  status?: string | undefined;
  /** The agent who served (or placed) the call. */
  agentId?: string | undefined;
  /** The skill group that served the call, or the one it queued for. */
  skillGroupId?: string | undefined;
  /** Digits (and `+`) found in the caller's or the callee's number. */
  number?: string | undefined;
  /**
   * The viewer sees masked customer numbers (RT-07): a number search then matches only the
   * digits they can see (the last four), so searching cannot reveal hidden digits.
   */
  maskedSearch?: boolean | undefined;
  /**
   * The viewer is an agent: a record whose customer has an alias (RT-08) is found by the alias
   * they see (`customerId`), never by the number behind it.
   */
  aliasSearch?: boolean | undefined;
  /** Text found in the customer's ID (RT-08), as agents see it. */
  customerId?: string | undefined;
  from?: Date | undefined;
  /** Exclusive. */
  to?: Date | undefined;
}

/** A record with what the list shows beside it. */
export interface RecordListRow {
  cdr: CdrRow;
  /** The notes taken during the call (kept with the live session until the CDR has its own). */
  notes: string | null;
  agentName: string | null;
  agentStaffNo: string | null;
}

export const RECORD_SORTS = ['startedAt', 'durationSeconds'] as const;
export type RecordSort = (typeof RECORD_SORTS)[number];

const customerSide = sql`(case when ${cdrs.direction} = 'outbound' then ${cdrs.callee} else ${cdrs.caller} end)`;

/** The SQL condition of a set of filters (always inside the tenant). */
export function recordConditions(f: RecordFilters): SQL {
  const number = f.number?.replace(/[^0-9+]/g, '');
  let numberCond: SQL | undefined;
  if (number) {
    numberCond = f.maskedSearch
      ? number.length <= 4
        ? sql`${customerSide} like ${'%' + number}`
        : sql`false`
      : or(sql`${cdrs.caller} like ${'%' + number + '%'}`, sql`${cdrs.callee} like ${'%' + number + '%'}`);
  }
  // A customer the agent knows by ID is never found by the number behind it (RT-08).
  if (numberCond && f.aliasSearch) numberCond = and(isNull(cdrs.customerAlias), numberCond);
  const id = f.customerId?.trim().toLowerCase();
  return and(
    eq(cdrs.tenantId, f.tenantId),
    f.scope,
    f.direction ? eq(cdrs.direction, f.direction) : undefined,
    f.connected === undefined
      ? undefined
      : f.connected
        ? eq(cdrs.endStatus, END_STATUS.ok)
        : ne(cdrs.endStatus, END_STATUS.ok),
    f.status ? eq(cdrs.endStatusString, f.status) : undefined,
    f.agentId ? eq(cdrs.agentId, f.agentId) : undefined,
    f.skillGroupId
      ? or(eq(cdrs.servingSkillGroupId, f.skillGroupId), eq(cdrs.queuedSkillGroupId, f.skillGroupId))
      : undefined,
    numberCond,
    id ? sql`strpos(lower(${cdrs.customerAlias}), ${id}) > 0` : undefined,
    f.from ? gte(cdrs.startedAt, f.from) : undefined,
    f.to ? lt(cdrs.startedAt, f.to) : undefined,
  )!;
}

function selectRows(db: Db) {
  return db
    .select({ cdr: cdrs, notes: sessionControls.notes, agentName: users.name, agentStaffNo: users.staffNo })
    .from(cdrs)
    .leftJoin(
      sessionControls,
      and(eq(sessionControls.sessionId, cdrs.sessionId), eq(sessionControls.tenantId, cdrs.tenantId)),
    )
    .leftJoin(users, and(eq(users.id, cdrs.agentId), eq(users.tenantId, cdrs.tenantId)));
}

/**
 * A page by cursor on the start time (the workbench's "my calls"): `before` the next older
 * page, `after` the next newer one; newest first either way.
 */
export async function recordsByCursor(
  db: Db,
  f: RecordFilters,
  page: { limit: number; before?: Date | undefined; after?: Date | undefined },
): Promise<RecordListRow[]> {
  const newer = page.after !== undefined;
  const rows = await selectRows(db)
    .where(
      and(
        recordConditions(f),
        page.before ? lt(cdrs.startedAt, page.before) : undefined,
        page.after ? gt(cdrs.startedAt, page.after) : undefined,
      ),
    )
    .orderBy(newer ? asc(cdrs.startedAt) : desc(cdrs.startedAt), newer ? asc(cdrs.id) : desc(cdrs.id))
    .limit(page.limit);
  // A newer page is the oldest `limit` calls after the cursor, shown newest first like every page.
  if (newer) rows.reverse();
  return rows;
}

/** A numbered page with the total (the admin list, R9), sorted on the server. */
export async function recordsByPage(
  db: Db,
  f: RecordFilters,
  page: { page: number; pageSize: number; sort: RecordSort; order: 'asc' | 'desc' },
): Promise<{ rows: RecordListRow[]; total: number }> {
  const where = recordConditions(f);
  const dir = page.order === 'asc' ? asc : desc;
  const [rows, [totalRow]] = await Promise.all([
    selectRows(db)
      .where(where)
      .orderBy(dir(cdrs[page.sort]), dir(cdrs.startedAt), dir(cdrs.id))
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize),
    db.select({ n: count() }).from(cdrs).where(where),
  ]);
  return { rows, total: totalRow?.n ?? 0 };
}

/**
 * Every matching record, newest first, in batches of `batchSize` read one after the other by
 * keyset (start time, id): the export holds one batch at a time whatever the total, and the
 * next batch is read only when the consumer asks for it (backpressure from the HTTP response).
 */
export async function* recordBatches(db: Db, f: RecordFilters, batchSize = 1000): AsyncGenerator<RecordListRow[]> {
  const where = recordConditions(f);
  // The last row's id only: its start time is compared as the database stores it (microseconds),
  // which a JavaScript Date would round.
  let lastId: string | undefined;
  for (;;) {
    const rows = await selectRows(db)
      .where(
        and(
          where,
          // Spelled out (not a row comparison) so the (tenant, start time) index bounds the scan.
          lastId
            ? sql`${cdrs.startedAt} <= (select c.started_at from cdrs c where c.id = ${lastId})
                and (${cdrs.startedAt} < (select c.started_at from cdrs c where c.id = ${lastId}) or ${cdrs.id} < ${lastId})`
            : undefined,
        ),
      )
      .orderBy(desc(cdrs.startedAt), desc(cdrs.id))
      .limit(batchSize);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batchSize) return;
    lastId = rows[rows.length - 1]!.cdr.id;
  }
}
