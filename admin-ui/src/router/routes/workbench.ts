import { ChatBubbleIcon, HistoryIcon, ServiceIcon, UsergroupIcon } from 'tdesign-icons-vue-next';
import type { RouteRecordRaw } from 'vue-router';
import { useImStore } from '@/stores/im';

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
  {
    // W8, REC-05: the agent's own calls, filters and cursor in the query (R10).
    path: 'workbench/my-calls',
    name: 'my-calls',
    component: () => import('@/views/workbench/my-calls-view.vue'),
    meta: {
      roles: ['agent', 'supervisor', 'admin'],
      title: 'myCalls.title',
      menu: { label: 'myCalls.menu', icon: HistoryIcon, section: 'workbench', order: 20 },
    },
  },
  {
    // AGT-05: conversations and the thread with one colleague.
    path: 'workbench/messages/:peerId?',
    name: 'messages',
    component: () => import('@/views/workbench/messages-view.vue'),
    meta: {
      roles: ['agent', 'supervisor', 'admin'],
      title: 'im.title',
      menu: {
        label: 'im.menu',
        icon: ChatBubbleIcon,
        section: 'workbench',
        order: 30,
        badge: () => useImStore().unreadTotal,
        badgeLabel: 'im.unreadCount',
      },
    },
  },
  {
    // AGT-04: colleagues with live presence; internal calls and messages from here.
    path: 'workbench/colleagues',
    name: 'colleagues',
    component: () => import('@/views/workbench/colleagues-view.vue'),
    meta: {
      roles: ['agent', 'supervisor', 'admin'],
      title: 'colleagues.title',
      menu: { label: 'colleagues.menu', icon: UsergroupIcon, section: 'workbench', order: 40 },
    },
  },
];
