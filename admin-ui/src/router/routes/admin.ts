import { DashboardIcon, FlowchartIcon, SoundIcon } from 'tdesign-icons-vue-next';
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
  // IVR flows and their visual editor (IVR-33…35); supervisors read, the server refuses their writes.
  {
    path: 'admin/ivr',
    name: 'admin-ivr',
    component: () => import('@/views/admin/ivr-flows-view.vue'),
    meta: {
      roles: ['admin'],
      title: 'ivrFlows.title',
      menu: { label: 'ivrFlows.menu', icon: FlowchartIcon, section: 'console', order: 40 },
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
