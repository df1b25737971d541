import type { RouteLocationNormalizedLoaded, Router } from 'vue-router';
import { t } from '@/locales';
import { useAuthStore } from '@/stores/auth';
import { homeRouteName } from './routes';
import { allows } from './types';

/**
 * Access guard (vben `router/guard.ts`): public pages pass; without a session → the sign-in
 * page with `redirect`; a role the route does not list → 403. The signed-in user who opens the
 * sign-in page goes home.
 */
export function installGuards(router: Router): void {
  router.beforeEach((to) => {
    const auth = useAuthStore();
    const roles = to.matched.at(-1)?.meta.roles ?? to.meta.roles;
    if (to.name === 'login' && auth.signedIn) {
      const redirect = typeof to.query.redirect === 'string' ? to.query.redirect : '';
      return redirect.startsWith('/') && !redirect.startsWith('//') ? redirect : { name: homeRouteName(auth.role) };
    }
    if (roles === 'public') return true;
    if (!auth.signedIn) {
      return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    }
    if (!allows(roles, auth.role)) return { name: 'forbidden' };
    return true;
  });
  router.afterEach((to) => applyTitle(to));
}

/** Sets the document title from the route's `meta.title` (again when the language changes). */
export function applyTitle(route: Pick<RouteLocationNormalizedLoaded, 'meta'>): void {
  const title = route.meta.title ? t(route.meta.title) : '';
  document.title = title ? `${title} · Switchboard` : 'Switchboard';
}
