/**
 * Route metadata. Every named route declares `roles` (a test fails otherwise, as Chatwoot's
 * `buildPermissionsFromRouter` does): the roles that may open it, or `'public'`.
 */
import type { Component } from 'vue';
import type { Role } from '@/stores/auth';

export type RouteRoles = readonly Role[] | 'public';

/** A menu entry generated from a route (sidebar). */
export interface RouteMenu {
  /** i18n key of the label. */
  label: string;
  icon: Component;
  /** Sidebar section: the agent's workbench or the admin console. */
  section: 'workbench' | 'console';
  order: number;
  /**
   * A count shown on the entry (e.g. unread messages), read reactively from a store; 0 hides it.
   * `badgeLabel` is the i18n key of its spoken text, given `{count}`.
   */
  badge?: () => number;
  badgeLabel?: string;
}

declare module 'vue-router' {
  interface RouteMeta {
    roles?: RouteRoles;
    /** i18n key of the page title (document title). */
    title?: string;
    menu?: RouteMenu;
  }
}

/** Whether `role` may open a route that declares `roles`. */
export function allows(roles: RouteRoles | undefined, role: Role | null): boolean {
  if (roles === 'public') return true;
  if (!roles || !role) return false;
  return roles.includes(role);
}
