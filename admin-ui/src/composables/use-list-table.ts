/**
 * The bridge between a list's URL state (`useListQuery`) and TDesign's table: the sort the table
 * shows and the handler for its sort clicks, and the pagination it shows and the handler for page
 * changes. Every admin list had the same few lines for each.
 */
import { computed, type ComputedRef, type Ref } from 'vue';
import type { TableSort } from 'tdesign-vue-next';
import { LIST_PAGE_SIZES, type ListPageSize } from './use-list-query';

type Order = 'asc' | 'desc';

/** The part of a `ListQuery` that sorting needs. */
export interface SortableList<S extends string> {
  state: ComputedRef<{ sort: S; order: Order }>;
  setSort(sort: S, order: Order): void;
}

/** The part of a `ListQuery` that paging needs. */
export interface PageableList {
  state: ComputedRef<{ page: number; pageSize: ListPageSize }>;
  setPage(page: number, pageSize?: ListPageSize): void;
}

/** TDesign's page-change payload (what `Pagination` and a table's pagination emit). */
export interface PageChange {
  current: number;
  pageSize: number;
}

/** The sort a single one-column sort event carries (TDesign passes one, a list, or none). */
export function firstSort(s: TableSort | unknown): { sortBy: string; descending: boolean } | undefined {
  const one = Array.isArray(s) ? s[0] : s;
  return (one ?? undefined) as { sortBy: string; descending: boolean } | undefined;
}

/**
 * The table's sort from the URL, and its sort-change handler. Clicking a sorted column a third
 * time clears TDesign's sort; the list then goes back to `fallback` rather than an unsorted state
 * the server does not have. With `sorts`, a column the server cannot sort by also falls back.
 */
export function useTableSort<S extends string>(
  list: SortableList<S>,
  fallback: { sort: S; order: Order },
  sorts?: readonly S[],
): { sort: ComputedRef<TableSort>; onSort: (s: TableSort | unknown) => void } {
  return {
    sort: computed(() => ({ sortBy: list.state.value.sort, descending: list.state.value.order === 'desc' })),
    onSort: (s) => {
      const one = firstSort(s);
      if (!one || (sorts && !(sorts as readonly string[]).includes(one.sortBy)))
        list.setSort(fallback.sort, fallback.order);
      else list.setSort(one.sortBy as S, one.descending ? 'desc' : 'asc');
    },
  };
}

/** The page-change handler: writes page and size to the URL (a new size goes back to page 1). */
export function pageChangeHandler(list: PageableList): (p: PageChange) => void {
  return (p) => list.setPage(p.current, p.pageSize as ListPageSize);
}

/**
 * A table's `pagination` prop from the URL and the total, with the page sizes every list offers
 * and no page jumper (the lists are filtered rather than jumped through), and its change handler.
 */
export function useTablePagination(
  list: PageableList,
  total: Ref<number>,
): {
  pagination: ComputedRef<{
    current: number;
    pageSize: number;
    total: number;
    pageSizeOptions: number[];
    showJumper: false;
  }>;
  onPage: (p: PageChange) => void;
} {
  return {
    pagination: computed(() => ({
      current: list.state.value.page,
      pageSize: list.state.value.pageSize,
      total: total.value,
      pageSizeOptions: [...LIST_PAGE_SIZES],
      showJumper: false as const,
    })),
    onPage: pageChangeHandler(list),
  };
}
