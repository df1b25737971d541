/**
 * The state of a server-paged admin list as it lives in the URL (ui-anchors R9/R10): filters,
 * sort, page and page size. Reload, back and a shared link keep them; the server does the
 * filtering, sorting and paging (`?q=…&sort=…&order=…&page=…&pageSize=…`, the convention of
 * every admin list route, answered as `{ items, total, page, pageSize }`).
 *
 * Parsing is forgiving: an unknown or malformed value falls back to its default, never an error
 * page. Writing leaves defaults out, so the plain list has a plain URL. A change of filters or
 * sort goes back to page 1.
 *
 * @example
 * const list = useListQuery({
 *   routeName: 'admin-agents',
 *   filters: { q: textFilter(), status: enumFilter(['active', 'disabled'] as const) },
 *   sorts: ['staffNo', 'name'] as const,
 *   defaultSort: 'staffNo',
 * });
 * watch(list.apiQuery, load, { immediate: true });
 * list.setFilters({ status: 'disabled' });
 */
import { computed, type ComputedRef } from 'vue';
import { useRoute, useRouter, type LocationQuery, type LocationQueryRaw } from 'vue-router';

export const LIST_PAGE_SIZES = [20, 50, 100] as const;
export type ListPageSize = (typeof LIST_PAGE_SIZES)[number];
export const DEFAULT_LIST_PAGE_SIZE: ListPageSize = 20;

/** How one filter reads from and writes to the URL. `null` is "not set". */
export interface FilterSpec<T> {
  parse(raw: string): T | null;
  format(value: T): string;
}

/** Free text (trimmed, at most `max` characters). */
export function textFilter(max = 100): FilterSpec<string> {
  return {
    parse: (raw) => {
      const s = raw.trim();
      return s === '' || s.length > max ? null : s;
    },
    format: (v) => v,
  };
}

/** One of a fixed set of values. */
export function enumFilter<const V extends string>(values: readonly V[]): FilterSpec<V> {
  return {
    parse: (raw) => ((values as readonly string[]).includes(raw) ? (raw as V) : null),
    format: (v) => v,
  };
}

/** A UUID (a skill group, a user, …). */
export function idFilter(): FilterSpec<string> {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  return { parse: (raw) => (UUID.test(raw) ? raw.toLowerCase() : null), format: (v) => v };
}

/** A calendar day `YYYY-MM-DD` that exists. */
export function dayFilter(): FilterSpec<string> {
  return {
    parse: (raw) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(raw)) return null;
      const [y, m, d] = raw.split('-').map(Number) as [number, number, number];
      const date = new Date(y, m - 1, d);
      return date.getFullYear() === y && date.getMonth() === m - 1 && date.getDate() === d ? raw : null;
    },
    format: (v) => v,
  };
}

/** A yes/no switch (`yes` / `no` in the URL). */
export function boolFilter(): FilterSpec<boolean> {
  return {
    parse: (raw) => (raw === 'yes' ? true : raw === 'no' ? false : null),
    format: (v) => (v ? 'yes' : 'no'),
  };
}

type FilterValues<F extends Record<string, FilterSpec<unknown>>> = {
  [K in keyof F]: F[K] extends FilterSpec<infer T> ? T | null : never;
};

export interface ListSpec<F extends Record<string, FilterSpec<unknown>>, S extends string> {
  filters: F;
  sorts: readonly S[];
  defaultSort: S;
  defaultOrder?: 'asc' | 'desc';
}

export interface ListState<F extends Record<string, FilterSpec<unknown>>, S extends string> {
  filters: FilterValues<F>;
  sort: S;
  order: 'asc' | 'desc';
  page: number;
  pageSize: ListPageSize;
}

function one(v: LocationQuery[string] | undefined): string | null {
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s !== '' ? s : null;
}

/** The list state from a route query (anything invalid dropped). */
export function parseListQuery<F extends Record<string, FilterSpec<unknown>>, S extends string>(
  spec: ListSpec<F, S>,
  q: LocationQuery,
): ListState<F, S> {
  const filters = {} as Record<string, unknown>;
  for (const [key, f] of Object.entries(spec.filters)) {
    const raw = one(q[key]);
    filters[key] = raw === null ? null : f.parse(raw);
  }
  const sort = one(q.sort);
  const order = one(q.order);
  const page = Number(one(q.page));
  const pageSize = Number(one(q.pageSize));
  return {
    filters: filters as FilterValues<F>,
    sort: sort !== null && (spec.sorts as readonly string[]).includes(sort) ? (sort as S) : spec.defaultSort,
    order: order === 'asc' || order === 'desc' ? order : (spec.defaultOrder ?? 'asc'),
    page: Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1,
    pageSize: (LIST_PAGE_SIZES as readonly number[]).includes(pageSize)
      ? (pageSize as ListPageSize)
      : DEFAULT_LIST_PAGE_SIZE,
  };
}

/** The route query for a list state (defaults left out). */
export function toListRouteQuery<F extends Record<string, FilterSpec<unknown>>, S extends string>(
  spec: ListSpec<F, S>,
  s: ListState<F, S>,
): LocationQueryRaw {
  const out: Record<string, string> = {};
  for (const [key, f] of Object.entries(spec.filters)) {
    const v = (s.filters as Record<string, unknown>)[key];
    if (v !== null && v !== undefined) out[key] = (f as FilterSpec<unknown>).format(v);
  }
  if (s.sort !== spec.defaultSort) out.sort = s.sort;
  if (s.order !== (spec.defaultOrder ?? 'asc')) out.order = s.order;
  if (s.page !== 1) out.page = String(s.page);
  if (s.pageSize !== DEFAULT_LIST_PAGE_SIZE) out.pageSize = String(s.pageSize);
  return out;
}

/**
 * The query of the list's API route: the set filters (booleans as `true`/`false`), sort, order,
 * page and page size.
 */
export function toListApiQuery<F extends Record<string, FilterSpec<unknown>>, S extends string>(
  s: ListState<F, S>,
): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, v] of Object.entries(s.filters as Record<string, unknown>)) {
    if (v === null || v === undefined) continue;
    out[key] = typeof v === 'boolean' ? String(v) : (v as string | number);
  }
  return { ...out, sort: s.sort, order: s.order, page: s.page, pageSize: s.pageSize };
}

export interface ListQuery<F extends Record<string, FilterSpec<unknown>>, S extends string> {
  /** The state read from the URL. */
  state: ComputedRef<ListState<F, S>>;
  /** The API query for the state; watch it to (re)load. */
  apiQuery: ComputedRef<Record<string, string | number>>;
  /** Whether any filter is set (to show "clear filters" and a filtered empty state). */
  filtered: ComputedRef<boolean>;
  /** Changes filters (page back to 1); `null` clears one. */
  setFilters(patch: Partial<FilterValues<F>>): void;
  clearFilters(): void;
  setSort(sort: S, order: 'asc' | 'desc'): void;
  setPage(page: number, pageSize?: ListPageSize): void;
}

/** A list's URL state bound to the current route (see the module comment). */
export function useListQuery<F extends Record<string, FilterSpec<unknown>>, S extends string>(
  spec: ListSpec<F, S>,
): ListQuery<F, S> {
  const route = useRoute();
  const router = useRouter();
  const state = computed(() => parseListQuery(spec, route.query));

  function go(next: ListState<F, S>): void {
    void router.push({ path: route.path, query: toListRouteQuery(spec, next) });
  }

  return {
    state,
    apiQuery: computed(() => toListApiQuery(state.value)),
    filtered: computed(() => Object.values(state.value.filters as Record<string, unknown>).some((v) => v !== null)),
    setFilters: (patch) => go({ ...state.value, filters: { ...state.value.filters, ...patch }, page: 1 }),
    clearFilters: () => {
      const cleared = Object.fromEntries(Object.keys(spec.filters).map((k) => [k, null])) as FilterValues<F>;
      go({ ...state.value, filters: cleared, page: 1 });
    },
    setSort: (sort, order) => go({ ...state.value, sort, order, page: 1 }),
    setPage: (page, pageSize) =>
      go({
        ...state.value,
        page: pageSize && pageSize !== state.value.pageSize ? 1 : page,
        pageSize: pageSize ?? state.value.pageSize,
      }),
  };
}
