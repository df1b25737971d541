import type { RouteRecordRaw } from 'vue-router';
import AppShell from '@/components/shell/app-shell.vue';
import { useAuthStore, type Role } from '@/stores/auth';
import { adminRoutes } from './admin';
import { coreRoutes, notFoundRoute } from './core';
import { workbenchRoutes } from './workbench';

/** Where a role lands after sign-in: agents on the workbench, admins and supervisors on the console. */
export function homeRouteName(role: Role | null): 'workbench' | 'admin' | 'login' {
  if (!role) return 'login';
  return role === 'agent' ? 'workbench' : 'admin';
}

/** The whole route table. The signed-in pages are children of the shell (top bar, menu). */
export const routes: RouteRecordRaw[] = [
  ...coreRoutes,
  {
    path: '/',
    component: AppShell,
    children: [
      {
        path: '',
        name: 'home',
        redirect: () => ({ name: homeRouteName(useAuthStore().role) }),
        meta: { roles: ['agent', 'supervisor', 'admin'] },
      },
      ...workbenchRoutes,
      ...adminRoutes,
    ],
  },
  notFoundRoute,
];
