import { describe, expect, it } from 'vitest';
import { computed, ref } from 'vue';
import type { ListPageSize } from './use-list-query';
import { firstSort, useTablePagination, useTableSort } from './use-list-table';

type Sort = 'name' | 'createdAt';

function fakeList() {
  const s = ref({ sort: 'name' as Sort, order: 'asc' as 'asc' | 'desc', page: 3, pageSize: 20 as ListPageSize });
  const calls: unknown[][] = [];
  return {
    s,
    calls,
    state: computed(() => s.value),
    setSort: (sort: Sort, order: 'asc' | 'desc') => void calls.push(['sort', sort, order]),
    setPage: (page: number, pageSize?: ListPageSize) => void calls.push(['page', page, pageSize]),
  };
}

describe('admin lists: table sort and pagination from the URL', () => {
  it('shows the URL sort and writes a clicked one', () => {
    const list = fakeList();
    const { sort, onSort } = useTableSort(list, { sort: 'name', order: 'asc' });
    expect(sort.value).toEqual({ sortBy: 'name', descending: false });
    list.s.value = { ...list.s.value, sort: 'createdAt', order: 'desc' };
    expect(sort.value).toEqual({ sortBy: 'createdAt', descending: true });
    onSort({ sortBy: 'createdAt', descending: false });
    onSort([{ sortBy: 'name', descending: true }]);
    expect(list.calls).toEqual([
      ['sort', 'createdAt', 'asc'],
      ['sort', 'name', 'desc'],
    ]);
  });

  it('a cleared sort, or a column the server cannot sort by, goes back to the fallback', () => {
    const list = fakeList();
    const { onSort } = useTableSort(list, { sort: 'createdAt', order: 'desc' }, ['name', 'createdAt']);
    onSort(undefined);
    onSort([]);
    onSort({ sortBy: 'email', descending: false });
    expect(list.calls).toEqual([
      ['sort', 'createdAt', 'desc'],
      ['sort', 'createdAt', 'desc'],
      ['sort', 'createdAt', 'desc'],
    ]);
    expect(firstSort([])).toBeUndefined();
  });

  it('pagination shows page, size, total and the offered sizes; a change goes to the URL', () => {
    const list = fakeList();
    const total = ref(95);
    const { pagination, onPage } = useTablePagination(list, total);
    expect(pagination.value).toEqual({
      current: 3,
      pageSize: 20,
      total: 95,
      pageSizeOptions: [20, 50, 100],
      showJumper: false,
    });
    total.value = 5;
    expect(pagination.value.total).toBe(5);
    onPage({ current: 1, pageSize: 50 });
    expect(list.calls).toEqual([['page', 1, 50]]);
  });
});
