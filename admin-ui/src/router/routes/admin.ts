import { DashboardIcon, HistoryIcon } from 'tdesign-icons-vue-next';
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
    // Service records (REC-01/05/06): every call of the tenant, its recording, the export.
    path: 'admin/records',
    name: 'admin-records',
    component: () => import('@/views/admin/records-view.vue'),
    meta: {
      roles: ['admin', 'supervisor'],
      title: 'records.title',
      menu: { label: 'records.menu', icon: HistoryIcon, section: 'console', order: 60 },
    },
  },
];
