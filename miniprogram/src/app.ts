import Taro from '@tarojs/taro';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { setHost } from './core/host';
import { lang, pickLang } from './i18n';
import { taroHost } from './platform/taro';
import { useAuthStore } from './stores/auth';
import { useLiveStore } from './stores/live';
// NutUI's styles per component used (the whole sheet would add ~200 KB to the weapp package).
import '@nutui/nutui-taro/dist/packages/button/style/css';
import './app.scss';

const LANG_KEY = 'sb.lang';

const pinia = createPinia();

function toSignIn(): void {
  useLiveStore(pinia).stop();
  useAuthStore(pinia).signedOut();
  void Taro.reLaunch({ url: '/pages/login/index' });
}

setHost(taroHost(toSignIn));

if (process.env.TARO_ENV === 'h5') {
  // Taro's h5 tab bar items are `<a href="javascript:;">` with their own click handler; following
  // that href is a `javascript:` navigation the page's Content-Security-Policy (no inline
  // script) refuses, and reports. The handler does the navigating, so the href's is not needed.
  document.addEventListener(
    'click',
    (e) => {
      const a = (e.target as Element | null)?.closest?.('a[href^="javascript:"]');
      if (a) e.preventDefault();
    },
    true,
  );
}

const App = createApp({
  onLaunch() {
    const kept: unknown = Taro.getStorageSync(LANG_KEY);
    lang.value = kept === 'en' || kept === 'zh-CN' ? kept : pickLang(Taro.getSystemInfoSync().language);
  },
  onShow() {
    // Back from the background: the socket was likely closed; try it now.
    useLiveStore(pinia).wake();
  },
});

App.use(pinia);

export default App;
