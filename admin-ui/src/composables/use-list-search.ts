/**
 * The search box of an admin list: what is typed stays local until it is applied, and then lives
 * in the URL as a text filter of `useListQuery` (`q` unless told otherwise). The box follows the
 * URL too, so back, forward and "clear filters" show the search that is in force.
 */
import { getCurrentScope, onScopeDispose, ref, watch, type ComputedRef, type Ref } from 'vue';

/** The part of a `ListQuery` whose filters include the text filter `K`. */
export interface SearchableList<K extends string> {
  state: ComputedRef<{ filters: { [P in K]: string | null } }>;
  setFilters(patch: { [P in K]?: string | null }): void;
}

export interface ListSearch {
  /** The text in the box. */
  search: Ref<string>;
  /**
   * Writes the box to the URL. By default only a changed search is written (so leaving the box
   * keeps the page); `force` writes it anyway, which also goes back to page 1, as a submitted
   * search does.
   */
  apply(force?: boolean): void;
  /** Applies after a pause in typing (`debounceMs`), for boxes that search as you type. */
  applySoon(text: string): void;
  /** Empties the box and applies that (`force` as for `apply`). */
  clear(force?: boolean): void;
}

export interface ListSearchOptions<K extends string> {
  /** The filter the box writes (`q` by default). */
  key?: K;
  /** What of the typed text is searched for (trimmed by default; e.g. only the digits). */
  normalize?: (text: string) => string;
  /** The pause `applySoon` waits for (400 ms by default). */
  debounceMs?: number;
  /**
   * When the URL's search becomes what the box holds but for the spaces around it, leave the box
   * alone: a search-as-you-type box would otherwise eat a space typed just before the debounced
   * search lands.
   */
  keepSpacing?: boolean;
}

/** A list's search box bound to its URL (see the module comment). */
export function useListSearch<K extends string = 'q'>(
  list: SearchableList<NoInfer<K>>,
  options: ListSearchOptions<K> = {},
): ListSearch {
  const key = (options.key ?? 'q') as K;
  const normalize = options.normalize ?? ((text: string) => text.trim());
  const inUrl = (): string => list.state.value.filters[key] ?? '';

  const search = ref(inUrl());
  watch(inUrl, (v) => {
    if (!options.keepSpacing || v !== search.value.trim()) search.value = v;
  });

  let timer: ReturnType<typeof setTimeout> | undefined;
  function apply(force = false): void {
    clearTimeout(timer);
    const v = normalize(search.value);
    if (force || v !== inUrl()) list.setFilters({ [key]: v || null } as { [P in K]?: string | null });
  }
  // A search still pending when the page goes must not rewrite the next page's URL.
  if (getCurrentScope()) onScopeDispose(() => clearTimeout(timer));

  return {
    search,
    apply,
    applySoon: (text) => {
      search.value = text;
      clearTimeout(timer);
      timer = setTimeout(apply, options.debounceMs ?? 400);
    },
    clear: (force = false) => {
      search.value = '';
      apply(force);
    },
  };
}
