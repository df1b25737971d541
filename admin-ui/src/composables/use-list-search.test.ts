import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { computed, nextTick, ref } from 'vue';
import { useListSearch } from './use-list-search';

/** A list whose URL is a plain ref; `writes` records every `setFilters`. */
function fakeList(initial: { q?: string | null; number?: string | null } = {}) {
  const filters = ref({ q: initial.q ?? null, number: initial.number ?? null });
  const writes: Array<Record<string, string | null>> = [];
  return {
    filters,
    writes,
    state: computed(() => ({ filters: filters.value })),
    setFilters(patch: Record<string, string | null | undefined>) {
      writes.push(patch as Record<string, string | null>);
      filters.value = { ...filters.value, ...patch };
    },
  };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('admin lists: the search box', () => {
  it('starts from the URL and writes a trimmed, changed search only', () => {
    const list = fakeList({ q: 'li' });
    const s = useListSearch(list);
    expect(s.search.value).toBe('li');
    s.search.value = ' li ';
    s.apply();
    expect(list.writes).toEqual([]);
    s.search.value = ' wang ';
    s.apply();
    expect(list.writes).toEqual([{ q: 'wang' }]);
  });

  it('a forced apply writes even an unchanged search (a submitted search goes back to page 1)', () => {
    const list = fakeList({ q: 'li' });
    const s = useListSearch(list);
    s.apply(true);
    expect(list.writes).toEqual([{ q: 'li' }]);
  });

  it('clear empties the box and removes the filter', () => {
    const list = fakeList({ q: 'li' });
    const s = useListSearch(list);
    s.clear();
    expect(s.search.value).toBe('');
    expect(list.writes).toEqual([{ q: null }]);
  });

  it('applySoon waits for a pause in typing; apply in between cancels it', () => {
    const list = fakeList();
    const s = useListSearch(list, { debounceMs: 400 });
    s.applySoon('w');
    vi.advanceTimersByTime(300);
    s.applySoon('wa');
    vi.advanceTimersByTime(300);
    expect(list.writes).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(list.writes).toEqual([{ q: 'wa' }]);
    s.applySoon('wan');
    s.apply();
    vi.advanceTimersByTime(1000);
    expect(list.writes).toEqual([{ q: 'wa' }, { q: 'wan' }]);
  });

  it('follows the URL (back, clear filters)', async () => {
    const list = fakeList({ q: 'li' });
    const s = useListSearch(list);
    list.filters.value = { q: null, number: null };
    await nextTick();
    expect(s.search.value).toBe('');
  });

  it('keepSpacing leaves a space typed before the debounced search lands (without, the URL wins)', async () => {
    for (const keepSpacing of [true, false]) {
      const s = useListSearch(fakeList(), { keepSpacing });
      s.applySoon('li');
      vi.advanceTimersByTime(400);
      s.search.value = 'li ';
      await nextTick();
      expect(s.search.value).toBe(keepSpacing ? 'li ' : 'li');
    }
  });

  it('writes another filter, normalised', () => {
    const list = fakeList();
    const s = useListSearch(list, { key: 'number', normalize: (v) => v.replace(/[^0-9+]/g, '') });
    s.search.value = '138 0013-8000';
    s.apply();
    expect(list.writes).toEqual([{ number: '13800138000' }]);
  });
});
