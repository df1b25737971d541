import { describe, expect, it } from 'vitest';
import {
  boolFilter,
  dayFilter,
  enumFilter,
  idFilter,
  parseListQuery,
  textFilter,
  toListApiQuery,
  toListRouteQuery,
} from './use-list-query';

const spec = {
  filters: {
    q: textFilter(10),
    status: enumFilter(['active', 'disabled'] as const),
    group: idFilter(),
    from: dayFilter(),
    connected: boolFilter(),
  },
  sorts: ['staffNo', 'name'] as const,
  defaultSort: 'staffNo' as const,
};

describe('admin lists: the state in the URL', () => {
  it('round-trips filters, sort and page; defaults stay out of the URL', () => {
    const s = {
      filters: {
        q: 'li',
        status: 'disabled' as const,
        group: '0b3f4a5e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
        from: '2026-11-30',
        connected: false,
      },
      sort: 'name' as const,
      order: 'desc' as const,
      page: 3,
      pageSize: 50 as const,
    };
    const q = toListRouteQuery(spec, s);
    expect(q).toEqual({
      q: 'li',
      status: 'disabled',
      group: '0b3f4a5e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
      from: '2026-11-30',
      connected: 'no',
      sort: 'name',
      order: 'desc',
      page: '3',
      pageSize: '50',
    });
    expect(parseListQuery(spec, q as Record<string, string>)).toEqual(s);
    expect(toListRouteQuery(spec, parseListQuery(spec, {}))).toEqual({});
    expect(toListApiQuery(s)).toEqual({
      q: 'li',
      status: 'disabled',
      group: '0b3f4a5e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
      from: '2026-11-30',
      connected: 'false',
      sort: 'name',
      order: 'desc',
      page: 3,
      pageSize: 50,
    });
  });

  it('drops what it does not understand instead of failing', () => {
    expect(
      parseListQuery(spec, {
        q: 'far too long a search',
        status: 'deleted',
        group: '../etc',
        from: '2026-02-30',
        connected: 'maybe',
        sort: 'password',
        order: 'sideways',
        page: '-1',
        pageSize: '7',
      }),
    ).toEqual(parseListQuery(spec, {}));
  });
});
