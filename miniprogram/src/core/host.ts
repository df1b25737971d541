/**
 * What the platform gives the stores: the API client and the socket opener. The app sets them
 * from Taro (`platform/taro.ts`); tests set them from `fetch` and `ws` against a real server.
 */
import type { ApiClient } from './api';
import type { SocketOpener } from './realtime';

export interface Host {
  api: ApiClient;
  open: SocketOpener | null;
  /** Between polls while the socket is closed. */
  pollMs?: number;
}

let current: Host | undefined;

/** Sets the platform (once at launch; again in tests). */
export function setHost(h: Host): void {
  current = h;
}

/** The platform; throws when the app forgot to set it (a programming error, not a user's). */
export function host(): Host {
  if (!current) throw new Error('setHost() was not called');
  return current;
}
