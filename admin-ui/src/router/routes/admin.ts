import { DashboardIcon, UserListIcon } from 'tdesign-icons-vue-next';
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
    // ADM-08…13: agents, filters and page in the query (R10); supervisors read only.
    path: 'admin/agents',
    name: 'admin-agents',
    component: () => import('@/views/admin/agents-view.vue'),
    meta: {
      roles: ['admin', 'supervisor'],
      title: 'adminAgents.title',
      menu: { label: 'adminAgents.menu', icon: UserListIcon, section: 'console', order: 10 },
    },
  },
];
