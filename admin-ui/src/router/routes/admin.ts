import {
  AppIcon,
  CallIcon,
  DashboardIcon,
  KeyIcon,
  SendIcon,
  LayersIcon,
  ListNumberedIcon,
  PreciseMonitorIcon,
  SettingIcon,
  UserBlockedIcon,
  UserListIcon,
  HistoryIcon,
  FlowchartIcon,
  SoundIcon,
} from 'tdesign-icons-vue-next';
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
  {
    // ADM-02…05, LINE-01/02: numbers, number groups and number applications, one tab each
    // (child routes, so each tab and its list state is a URL). Admins change, supervisors read.
    path: 'admin/numbers',
    component: () => import('@/views/admin/numbers/numbers-layout.vue'),
    meta: { roles: ['admin', 'supervisor'], title: 'numbers.title' },
    children: [
      {
        path: '',
        name: 'admin-numbers',
        component: () => import('@/views/admin/numbers/numbers-list.vue'),
        meta: {
          roles: ['admin', 'supervisor'],
          title: 'numbers.title',
          menu: { label: 'numbers.menu', icon: CallIcon, section: 'console', order: 40 },
        },
      },
      {
        path: 'groups',
        name: 'admin-number-groups',
        component: () => import('@/views/admin/numbers/number-groups.vue'),
        meta: { roles: ['admin', 'supervisor'], title: 'numbers.groups.title' },
      },
      {
        path: 'applications',
        name: 'admin-number-applications',
        component: () => import('@/views/admin/numbers/number-applications.vue'),
        meta: { roles: ['admin', 'supervisor'], title: 'numbers.applications.title' },
      },
    ],
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
  {
    // INT-03: the installation's plugins, on/off and settings per tenant (ADR 0013). Admins only.
    path: 'admin/plugins',
    name: 'admin-plugins',
    component: () => import('@/views/admin/plugins/plugins-view.vue'),
    meta: {
      roles: ['admin'],
      title: 'plugins.title',
      menu: { label: 'plugins.menu', icon: AppIcon, section: 'console', order: 95 },
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
  {
    // REC-03, REC-08: push subscriptions and the delivery log (filters in the query).
    path: 'admin/push',
    name: 'admin-push',
    component: () => import('@/views/admin/settings/push-view.vue'),
    meta: {
      roles: ['admin'],
      title: 'adminPush.title',
      menu: { label: 'adminPush.menu', icon: SendIcon, section: 'console', order: 94 },
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
  // IVR flows and their visual editor (IVR-33…35); supervisors read, the server refuses their writes.
  {
    path: 'admin/ivr',
    name: 'admin-ivr',
    component: () => import('@/views/admin/ivr-flows-view.vue'),
    meta: {
      roles: ['admin'],
      title: 'ivrFlows.title',
      menu: { label: 'ivrFlows.menu', icon: FlowchartIcon, section: 'console', order: 30 },
    },
  },
  {
    path: 'admin/ivr/:id',
    name: 'admin-ivr-editor',
    component: () => import('@/views/admin/ivr-editor-view.vue'),
    meta: { roles: ['admin'], title: 'ivrEditor.title' },
  },
  // The audio library (ADM-01).
  {
    path: 'admin/audio',
    name: 'admin-audio',
    component: () => import('@/views/admin/audio-library-view.vue'),
    meta: {
      roles: ['admin', 'supervisor'],
      title: 'audioLibrary.title',
      menu: { label: 'audioLibrary.menu', icon: SoundIcon, section: 'console', order: 45 },
    },
  },
];
