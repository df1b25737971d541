/**
 * The "my calls" list state as it lives in the URL (ui-anchors R10: reload, back and a shared
 * link keep the filters and the page): direction, connected or not, a date range, the page
 * size and the page cursor. Parsing is forgiving (an unknown value falls back to its default,
 * never an error page); writing leaves defaults out, so the plain list has a plain URL.
 *
 * The server pages by cursor on the start time (`before` = older page, `after` = newer page);
 * one more row than shown is asked for, to know whether another page exists.
 */
import type { LocationQuery, LocationQueryRaw } from 'vue-router';

export const DIRECTIONS = ['inbound', 'outbound', 'internal'] as const;
export type Direction = (typeof DIRECTIONS)[number];
export const PAGE_SIZES = [25, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];
export const DEFAULT_PAGE_SIZE: PageSize = 25;

export interface MyCallsQuery {
  direction: Direction | null;
  /** true: connected calls only; false: the others; null: all. */
  connected: boolean | null;
  /** First day shown (`YYYY-MM-DD`, the agent's local day). */
  from: string | null;
  /** Last day shown, inclusive (`YYYY-MM-DD`). */
  to: string | null;
  /** Cursor of an older page: calls started before this instant. */
  before: string | null;
  /** Cursor of a newer page: calls started after this instant. */
  after: string | null;
  size: PageSize;
}

export const EMPTY_QUERY: MyCallsQuery = {
  direction: null,
  connected: null,
  from: null,
  to: null,
  before: null,
  after: null,
  size: DEFAULT_PAGE_SIZE,
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

function one(v: LocationQuery[string] | undefined): string | null {
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s !== '' ? s : null;
}

function validDay(s: string | null): string | null {
  if (!s || !DAY.test(s)) return null;
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const date = new Date(y, m - 1, d);
  return date.getFullYear() === y && date.getMonth() === m - 1 && date.getDate() === d ? s : null;
}

function validInstant(s: string | null): string | null {
  return s && INSTANT.test(s) && !Number.isNaN(Date.parse(s)) ? s : null;
}

/** The list state from the route's query (anything invalid is dropped). */
export function parseQuery(q: LocationQuery): MyCallsQuery {
  const direction = one(q.direction);
  const connected = one(q.connected);
  const size = Number(one(q.size));
  let from = validDay(one(q.from));
  let to = validDay(one(q.to));
  if (from && to && from > to) [from, to] = [to, from];
  const before = validInstant(one(q.before));
  // Both cursors make no sense together: the older-page one wins.
  const after = before ? null : validInstant(one(q.after));
  return {
    direction: (DIRECTIONS as readonly string[]).includes(direction ?? '') ? (direction as Direction) : null,
    connected: connected === 'yes' ? true : connected === 'no' ? false : null,
    from,
    to,
    before,
    after,
    size: (PAGE_SIZES as readonly number[]).includes(size) ? (size as PageSize) : DEFAULT_PAGE_SIZE,
  };
}

/** The route query for a list state (defaults left out). */
export function toRouteQuery(s: MyCallsQuery): LocationQueryRaw {
  const out: Record<string, string> = {};
  if (s.direction) out.direction = s.direction;
  if (s.connected !== null) out.connected = s.connected ? 'yes' : 'no';
  if (s.from) out.from = s.from;
  if (s.to) out.to = s.to;
  if (s.size !== DEFAULT_PAGE_SIZE) out.size = String(s.size);
  if (s.before) out.before = s.before;
  else if (s.after) out.after = s.after;
  return out;
}

/** A change of filters starts again at the newest page. */
export function withFilters(s: MyCallsQuery, patch: Partial<Omit<MyCallsQuery, 'before' | 'after'>>): MyCallsQuery {
  return { ...s, ...patch, before: null, after: null };
}

/** Local midnight of a `YYYY-MM-DD` day as an ISO instant. */
function startOfDay(day: string, addDays = 0): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + addDays).toISOString();
}

/** The query of `GET /records` for a list state: one row more than the page shows. */
export function toApiQuery(s: MyCallsQuery): {
  limit: number;
  direction?: Direction;
  connected?: 'true' | 'false';
  from?: string;
  to?: string;
  before?: string;
  after?: string;
} {
  return {
    limit: s.size + 1,
    ...(s.direction ? { direction: s.direction } : {}),
    ...(s.connected !== null ? { connected: s.connected ? ('true' as const) : ('false' as const) } : {}),
    ...(s.from ? { from: startOfDay(s.from) } : {}),
    // `to` is inclusive on screen, exclusive on the server: the next day's midnight.
    ...(s.to ? { to: startOfDay(s.to, 1) } : {}),
    ...(s.before ? { before: s.before } : s.after ? { after: s.after } : {}),
  };
}

/**
 * One page out of the server's rows (newest first, one extra asked for): the rows to show and
 * whether older and newer pages exist. `null` for a newer page that turned out to be the newest
 * (fewer rows than a page): show the first page instead, full.
 */
export function pageOf<T>(s: MyCallsQuery, rows: T[]): { items: T[]; hasOlder: boolean; hasNewer: boolean } | null {
  if (s.after) {
    if (rows.length <= s.size) return null;
    // The extra row is the newest: the page is the `size` rows just after the cursor.
    return { items: rows.slice(1), hasOlder: true, hasNewer: true };
  }
  return { items: rows.slice(0, s.size), hasOlder: rows.length > s.size, hasNewer: s.before !== null };
}
