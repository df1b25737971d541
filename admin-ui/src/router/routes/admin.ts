import { DashboardIcon, KeyIcon, ListNumberedIcon, SettingIcon, UserBlockedIcon } from 'tdesign-icons-vue-next';
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
  // Settings (issue 11 item 9): tenant settings, blacklist, API keys, collect templates.
  {
    path: 'admin/settings',
    name: 'admin-settings',
    component: () => import('@/views/admin/settings/settings-view.vue'),
    meta: {
      roles: ['admin', 'supervisor'],
      title: 'adminSettings.title',
      menu: { label: 'adminSettings.menu', icon: SettingIcon, section: 'console', order: 90 },
    },
  },
  {
    path: 'admin/blacklist',
    name: 'admin-blacklist',
    component: () => import('@/views/admin/settings/blacklist-view.vue'),
    meta: {
      roles: ['admin', 'supervisor'],
      title: 'adminBlacklist.title',
      menu: { label: 'adminBlacklist.menu', icon: UserBlockedIcon, section: 'console', order: 91 },
    },
  },
  {
    path: 'admin/collect-templates',
    name: 'admin-collect-templates',
    component: () => import('@/views/admin/settings/collect-templates-view.vue'),
    meta: {
      roles: ['admin', 'supervisor'],
      title: 'adminCollect.title',
      menu: { label: 'adminCollect.menu', icon: ListNumberedIcon, section: 'console', order: 92 },
    },
  },
  {
    path: 'admin/api-keys',
    name: 'admin-api-keys',
    component: () => import('@/views/admin/settings/api-keys-view.vue'),
    meta: {
      roles: ['admin'],
      title: 'adminApiKeys.title',
      menu: { label: 'adminApiKeys.menu', icon: KeyIcon, section: 'console', order: 93 },
    },
  },
];
