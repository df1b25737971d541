/**
 * The app's REST client as the softphone needs it (`SoftphoneApi` of `@/softphone`): paths
 * under `/api/v1`, the access token and its refresh from the shared client, and a rejection
 * with the server's error on anything but 2xx. Quiet: the phone's own failures (a registration
 * refused…) are shown by the device check and the offer card, not as error toasts.
 */
import type { SoftphoneApi } from '@/softphone';
import { api, quiet, unwrap } from './request';

type Untyped = (
  path: string,
  init: { body?: unknown; headers: Record<string, string> },
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/** Some softphone routes exist only in simulator mode, so they are not in the typed schema. */
const call = {
  GET: api.GET as unknown as Untyped,
  POST: api.POST as unknown as Untyped,
  DELETE: api.DELETE as unknown as Untyped,
};

export const softphoneApi: SoftphoneApi = {
  async request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const init = { ...quiet, ...(body !== undefined ? { body } : {}) };
    return unwrap(await call[method](`/api/v1${path}`, init)) as T;
  },
};
