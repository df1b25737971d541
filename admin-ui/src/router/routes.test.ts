import type { RouteRecordRaw } from 'vue-router';
import { describe, expect, it } from 'vitest';
import { homeRouteName, routes } from './routes';
import { allows } from './types';

function flatten(list: RouteRecordRaw[]): RouteRecordRaw[] {
  return list.flatMap((r) => [r, ...flatten(r.children ?? [])]);
}

describe('route table', () => {
  it('every named route declares meta.roles (who may open it, or public)', () => {
    const named = flatten(routes).filter((r) => r.name !== undefined);
    expect(named.length).toBeGreaterThan(3);
    const missing = named.filter((r) => r.meta?.roles === undefined).map((r) => String(r.name));
    expect(missing).toEqual([]);
    for (const r of named) {
      const roles = r.meta!.roles!;
      expect(roles === 'public' || (Array.isArray(roles) && roles.length > 0), String(r.name)).toBe(true);
    }
  });

  it('only sign-in, the SDK-embedded workbench (it signs in with the SDK token) and the fallback pages are public', () => {
    const publicNames = flatten(routes)
      .filter((r) => r.meta?.roles === 'public')
      .map((r) => String(r.name))
      .sort();
    expect(publicNames).toEqual(['embed', 'forbidden', 'login', 'not-found']);
  });

  it('every menu entry names a route its roles can open', () => {
    for (const r of flatten(routes).filter((x) => x.meta?.menu)) {
      expect(typeof r.name, r.path).toBe('string');
      expect(Array.isArray(r.meta!.roles)).toBe(true);
    }
  });

  it('[AGT-01] agents land on the workbench, admins and supervisors on the console', () => {
    expect(homeRouteName('agent')).toBe('workbench');
    expect(homeRouteName('admin')).toBe('admin');
    expect(homeRouteName('supervisor')).toBe('admin');
    expect(homeRouteName(null)).toBe('login');
    const byName = new Map(flatten(routes).map((r) => [r.name, r]));
    expect(allows(byName.get('admin')!.meta!.roles, 'agent')).toBe(false);
    expect(allows(byName.get('admin')!.meta!.roles, 'supervisor')).toBe(true);
    expect(allows(byName.get('workbench')!.meta!.roles, 'agent')).toBe(true);
  });
});
