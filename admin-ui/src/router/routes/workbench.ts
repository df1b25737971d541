import { ServiceIcon } from 'tdesign-icons-vue-next';
import type { RouteRecordRaw } from 'vue-router';

/**
 * The agent workbench (issue 10). Children of the shell; later screens (calls, history,
 * messages) add their routes here with `meta.menu.section: 'workbench'`.
 */
export const workbenchRoutes: RouteRecordRaw[] = [
  {
    path: 'workbench',
    name: 'workbench',
    component: () => import('@/views/workbench/workbench-home.vue'),
    meta: {
      roles: ['agent', 'supervisor', 'admin'],
      title: 'workbench.title',
      menu: { label: 'shell.menuItems.workbenchHome', icon: ServiceIcon, section: 'workbench', order: 0 },
    },
  },
];
