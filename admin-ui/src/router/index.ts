import { createRouter, createWebHistory } from 'vue-router';
import { installGuards } from './guard';
import { routes } from './routes';
import './types';

export { homeRouteName } from './routes';

/** The app's router: HTML5 history (Koa answers index.html for every page path). */
export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
});
installGuards(router);
