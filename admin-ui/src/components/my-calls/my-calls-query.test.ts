import { describe, expect, it } from 'vitest';
import { EMPTY_QUERY, pageOf, parseQuery, toApiQuery, toRouteQuery, withFilters } from './my-calls-query';

describe('my calls: the list state in the URL', () => {
  it('[REC-01] round-trips filters, page size and cursor through the query, defaults left out', () => {
    const s = {
      ...EMPTY_QUERY,
      direction: 'outbound' as const,
      connected: false,
      from: '2026-11-01',
      to: '2026-11-30',
      size: 50 as const,
      before: '2026-11-20T08:00:00.000Z',
    };
    const q = toRouteQuery(s);
    expect(q).toEqual({
      direction: 'outbound',
      connected: 'no',
      from: '2026-11-01',
      to: '2026-11-30',
      size: '50',
      before: '2026-11-20T08:00:00.000Z',
    });
    expect(parseQuery(q as Record<string, string>)).toEqual(s);
    expect(toRouteQuery(EMPTY_QUERY)).toEqual({});
  });

  it('[REC-01] drops what it does not understand instead of failing', () => {
    expect(
      parseQuery({
        direction: 'sideways',
        connected: 'maybe',
        from: '2026-02-30',
        to: 'yesterday',
        size: '7',
        before: 'DROP TABLE',
        after: '2026-11-20T08:00:00Z',
      }),
    ).toEqual({ ...EMPTY_QUERY, after: '2026-11-20T08:00:00Z' });
    // A reversed range is turned round; both cursors at once keep the older-page one.
    const s = parseQuery({
      from: '2026-11-30',
      to: '2026-11-01',
      before: '2026-11-20T08:00:00Z',
      after: '2026-11-21T08:00:00Z',
    });
    expect([s.from, s.to, s.before, s.after]).toEqual(['2026-11-01', '2026-11-30', '2026-11-20T08:00:00Z', null]);
  });

  it('[REC-01] a filter change goes back to the newest page', () => {
    const s = { ...EMPTY_QUERY, before: '2026-11-20T08:00:00.000Z' };
    expect(withFilters(s, { direction: 'inbound' })).toEqual({ ...EMPTY_QUERY, direction: 'inbound' });
  });

  it('[REC-01] asks the server for one row more than a page, with whole local days', () => {
    const q = toApiQuery({
      ...EMPTY_QUERY,
      connected: true,
      from: '2026-11-01',
      to: '2026-11-01',
      after: '2026-11-01T10:00:00Z',
    });
    expect(q.limit).toBe(26);
    expect(q.connected).toBe('true');
    expect(q.after).toBe('2026-11-01T10:00:00Z');
    expect(q.before).toBeUndefined();
    expect(new Date(q.from!).getHours()).toBe(0);
    expect(Date.parse(q.to!) - Date.parse(q.from!)).toBe(86_400_000);
  });

  it('[REC-01] pages: the extra row says another page exists; a short newer page means the newest', () => {
    const rows = Array.from({ length: 26 }, (_, i) => i);
    expect(pageOf(EMPTY_QUERY, rows)).toEqual({ items: rows.slice(0, 25), hasOlder: true, hasNewer: false });
    expect(pageOf({ ...EMPTY_QUERY, before: '2026-11-20T08:00:00Z' }, rows.slice(0, 3))).toEqual({
      items: [0, 1, 2],
      hasOlder: false,
      hasNewer: true,
    });
    expect(pageOf({ ...EMPTY_QUERY, after: '2026-11-20T08:00:00Z' }, rows)).toEqual({
      items: rows.slice(1),
      hasOlder: true,
      hasNewer: true,
    });
    expect(pageOf({ ...EMPTY_QUERY, after: '2026-11-20T08:00:00Z' }, rows.slice(0, 25))).toBeNull();
  });
});
