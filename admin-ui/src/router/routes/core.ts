import type { RouteRecordRaw } from 'vue-router';

/** Pages outside the signed-in shell: sign-in and the fallbacks. */
export const coreRoutes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/_core/login-view.vue'),
    meta: { roles: 'public', title: 'auth.title' },
  },
  {
    // The workbench as the browser SDK embeds it (issue 14): it signs in with the SDK's token.
    path: '/embed/:tenantId',
    name: 'embed',
    component: () => import('@/views/embed/embed-view.vue'),
    meta: { roles: 'public', title: 'embed.title' },
  },
  {
    path: '/403',
    name: 'forbidden',
    component: () => import('@/views/_core/forbidden-view.vue'),
    meta: { roles: 'public', title: 'common.forbidden.title' },
  },
];

/** Must come last. */
export const notFoundRoute: RouteRecordRaw = {
  path: '/:pathMatch(.*)*',
  name: 'not-found',
  component: () => import('@/views/_core/not-found-view.vue'),
  meta: { roles: 'public', title: 'common.notFound.title' },
};
