/**
 * The platform under the stores, from Taro: `Taro.request` for the API, `Taro.connectSocket`
 * (`wx.connectSocket` on WeChat) for live events, and the mini-program's storage for the tokens.
 */
import Taro from '@tarojs/taro';
import { ApiClient, type KeyValueStore, type Transport } from '../core/api';
import type { Host } from '../core/host';
import type { SocketHandle, SocketOpener } from '../core/realtime';
import { lang } from '../i18n';

declare const SB_SERVER: string;

const transport: Transport = async (req) => {
  const r = await Taro.request({
    url: req.url,
    method: req.method,
    header: req.headers,
    ...(req.body !== undefined ? { data: req.body as Record<string, unknown> } : {}),
    dataType: 'json',
    responseType: 'text',
  });
  return { status: r.statusCode, body: r.data };
};

const store: KeyValueStore = {
  get: (k) => {
    const v: unknown = Taro.getStorageSync(k);
    return typeof v === 'string' && v !== '' ? v : null;
  },
  set: (k, v) => Taro.setStorageSync(k, v),
  remove: (k) => Taro.removeStorageSync(k),
};

const open: SocketOpener = (url) => {
  // connectSocket returns a promise of the task on h5 and the task itself on weapp (Taro 4).
  const pending = Promise.resolve(Taro.connectSocket({ url }));
  const handle: SocketHandle = {
    onOpen: (cb) => void pending.then((s) => s.onOpen(() => cb())),
    onMessage: (cb) => void pending.then((s) => s.onMessage((m) => typeof m.data === 'string' && cb(m.data))),
    onClose: (cb) => {
      let done = false;
      const once = (code: number) => {
        if (!done) cb(code);
        done = true;
      };
      void pending.then(
        (s) => {
          s.onClose((e) => once(e.code));
          s.onError(() => once(1006));
        },
        () => once(1006),
      );
    },
    close: () => void pending.then((s) => s.close({})).catch(() => undefined),
  };
  return handle;
};

/** The host of the running app. `onSignedOut` sends the agent back to the sign-in page. */
export function taroHost(onSignedOut: () => void): Host {
  return {
    api: new ApiClient({ base: SB_SERVER, transport, store, language: () => lang.value, onSignedOut }),
    open,
  };
}
