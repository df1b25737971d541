import { describe, expect, it } from 'vitest';
import { usePagedRows, type PageResult } from './use-paged-rows';

/** A fetch whose answers the test hands out in any order. */
function controlled<T>() {
  const pending: Array<(r: PageResult<T>) => void> = [];
  return {
    fetch: () => new Promise<PageResult<T>>((resolve) => pending.push(resolve)),
    answer: (i: number, r: PageResult<T>) => pending[i]!(r),
  };
}

describe('admin lists: the rows of a paged list', () => {
  it('keeps only the newest load when answers arrive out of order', async () => {
    const c = controlled<string>();
    const p = usePagedRows(c.fetch);
    const first = p.load();
    const second = p.load();
    expect(p.loading.value).toBe(true);
    c.answer(1, { items: ['new'], total: 1 });
    await second;
    expect(p.rows.value).toEqual(['new']);
    expect(p.loading.value).toBe(false);
    c.answer(0, { items: ['old', 'older'], total: 2 });
    await first;
    expect(p.rows.value).toEqual(['new']);
    expect(p.total.value).toBe(1);
  });

  it('keeps the rows and shows the message when a load fails; the next load clears it', async () => {
    const c = controlled<string>();
    const p = usePagedRows(c.fetch);
    const a = p.load();
    c.answer(0, { items: ['a'], total: 1 });
    await a;
    const b = p.load();
    c.answer(1, { failed: 'server down' });
    await b;
    expect(p.failed.value).toBe('server down');
    expect(p.rows.value).toEqual(['a']);
    const d = p.load();
    expect(p.failed.value).toBeNull();
    c.answer(2, { items: [], total: 0 });
    await d;
    expect(p.rows.value).toEqual([]);
  });

  it('hands each kept page to onPage, not a superseded one', async () => {
    const c = controlled<number>();
    const seen: number[] = [];
    const p = usePagedRows(c.fetch, (page) => seen.push(page.total));
    const a = p.load();
    const b = p.load();
    c.answer(0, { items: [1], total: 10 });
    c.answer(1, { items: [2], total: 20 });
    await Promise.all([a, b]);
    expect(seen).toEqual([20]);
  });

  it('stops loading even when the fetch throws', async () => {
    const p = usePagedRows<string>(() => Promise.reject(new Error('network')));
    await expect(p.load()).rejects.toThrow('network');
    expect(p.loading.value).toBe(false);
  });
});
