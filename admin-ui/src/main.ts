import { createPinia } from 'pinia';
import { MessagePlugin } from 'tdesign-vue-next';
import 'tdesign-vue-next/es/style/index.css';
import { createApp } from 'vue';
import App from './app.vue';
import { configureApi } from './api/request';
import { currentLocale, i18n, t } from './locales';
import { router } from './router';
import { SESSION_KEY, useAuthStore } from './stores/auth';
import './styles/global.css';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia).use(i18n).use(router);

const auth = useAuthStore(pinia);
let leaving: Promise<unknown> | undefined;
configureApi({
  accessToken: () => auth.accessToken,
  locale: currentLocale,
  refresh: (failed) => auth.refresh(failed),
  unauthenticated: () => {
    // Several requests may fail together: one message, one trip to the sign-in page.
    if (leaving || location.pathname === '/login') return;
    // The embedded workbench signs in only with an SDK token: it tells the CRM (embed-view).
    if (location.pathname.startsWith('/embed/')) {
      auth.clear();
      return;
    }
    // The address bar, not the router: during the first navigation the router is still at '/'.
    const here = `${location.pathname}${location.search}`;
    auth.clear();
    void MessagePlugin.warning(t('common.sessionExpired'));
    leaving = router
      .push({ name: 'login', query: here === '/' ? {} : { redirect: here } })
      .finally(() => (leaving = undefined));
  },
  notifyError: (message) => void MessagePlugin.error(message),
  networkErrorText: () => t('common.networkError'),
});
// Another tab signed in, out or refreshed the tokens.
window.addEventListener('storage', (e) => {
  if (e.key === SESSION_KEY) auth.syncFromStorage();
});
document.documentElement.lang = currentLocale();

app.mount('#app');
