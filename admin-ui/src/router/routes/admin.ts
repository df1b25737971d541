import { DashboardIcon, LayersIcon } from 'tdesign-icons-vue-next';
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
    // ADM-06/07: skill groups, their members and priorities; admins change them, supervisors read.
    path: 'admin/skill-groups',
    name: 'admin-skill-groups',
    component: () => import('@/views/admin/skill-groups/skill-groups-view.vue'),
    meta: {
      roles: ['admin', 'supervisor'],
      title: 'skillGroups.title',
      menu: { label: 'skillGroups.menu', icon: LayersIcon, section: 'console', order: 20 },
    },
  },
];
