/**
 * The rows of a server-paged admin list and their loading state, shared by the list screens so
 * each one only says how to fetch a page. A newer load supersedes an older one still in flight:
 * when filters change quickly (typing, paging) the answers can arrive out of order, and only the
 * last request's answer may fill the table or clear the spinner.
 */
import { ref, type Ref } from 'vue';

/** One page as the list routes answer it. */
export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * What a fetch gives back: the page, or `{ failed }` with the message to show above the table
 * (`null` when the API client has already shown the error itself).
 */
export type PageResult<T> = Page<T> | { failed: string | null };

export interface PagedRows<T> {
  rows: Ref<T[]>;
  total: Ref<number>;
  loading: Ref<boolean>;
  /** The last load's failure message, or `null`. */
  failed: Ref<string | null>;
  /** (Re)loads the current page; resolves when this load (or a newer one) is done. */
  load(): Promise<void>;
}

/**
 * Rows, total, loading and failure of a paged list.
 *
 * @param fetchPage fetches the current page (it reads the list's query itself).
 * @param onPage called with each page that is kept (not superseded), e.g. to step back from a
 *   page past the end.
 * @example
 * const { rows, total, loading, load } = usePagedRows(async () => {
 *   const r = await api.GET('/api/v1/audio-files', { params: { query: list.apiQuery.value as never } });
 *   return r.data ?? { failed: null };
 * });
 * watch(list.apiQuery, load, { immediate: true });
 */
export function usePagedRows<T>(
  fetchPage: () => Promise<PageResult<T>>,
  onPage?: (page: Page<T>) => void,
): PagedRows<T> {
  const rows = ref<T[]>([]) as Ref<T[]>;
  const total = ref(0);
  const loading = ref(false);
  const failed = ref<string | null>(null);
  let generation = 0;

  async function load(): Promise<void> {
    const mine = ++generation;
    loading.value = true;
    failed.value = null;
    try {
      const page = await fetchPage();
      if (mine !== generation) return;
      if ('failed' in page) {
        failed.value = page.failed;
        return;
      }
      rows.value = page.items;
      total.value = page.total;
      onPage?.(page);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  return { rows, total, loading, failed, load };
}
