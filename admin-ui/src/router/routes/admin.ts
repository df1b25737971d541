import { DashboardIcon, PreciseMonitorIcon } from 'tdesign-icons-vue-next';
import type { RouteRecordRaw } from 'vue-router';

/**
 * The admin / supervisor console. A placeholder home for now; issue 11 adds its pages here
 * with `meta.menu.section: 'console'`.
 */
export const adminRoutes: RouteRecordRaw[] = [
  {
    path: 'admin',
    name: 'admin',
    component: () => import('@/views/admin/admin-home.vue'),
    meta: {
      roles: ['admin', 'supervisor'],
      title: 'admin.title',
      menu: { label: 'shell.menuItems.adminHome', icon: DashboardIcon, section: 'console', order: 0 },
    },
  },
  {
    // MON-01/02/03: live agents, skill groups and calls; tab and filters in the query.
    path: 'admin/monitors',
    name: 'admin-monitors',
    component: () => import('@/views/admin/monitors/monitors-view.vue'),
    meta: {
      roles: ['admin', 'supervisor'],
      title: 'monitor.title',
      menu: { label: 'monitor.menu', icon: PreciseMonitorIcon, section: 'console', order: 70 },
    },
  },
];
