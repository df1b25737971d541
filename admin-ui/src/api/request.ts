/**
 * The one HTTP client of the app: `openapi-fetch` typed by the server's own OpenAPI document
 * (`schema.gen.ts`), with the interceptors every call needs (vben's request client, §4.2 of
 * ui-anchors): the access token, the UI language, one token refresh on a 401 and the server's
 * error message shown as it comes.
 *
 * @example
 * const me = unwrap(await api.GET('/api/v1/agents/me'));
 * await api.PUT('/api/v1/agents/me/state', { body: { state: 'idle' } });
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.gen';

/** A schema of the API (`Schemas['Agent']`, `Schemas['User']`…). */
export type Schemas = components['schemas'];

/** What the client needs from the rest of the app; set once by {@link configureApi}. */
export interface ApiHooks {
  /** The current access token, if signed in. */
  accessToken(): string | null;
  /** The UI language, sent as `Accept-Language`. */
  locale(): string;
  /**
   * One refresh attempt after a 401 answered to `failedToken`: resolves to the token to retry
   * with, or null when the session cannot be renewed.
   */
  refresh(failedToken: string | null): Promise<string | null>;
  /** The session is over (refresh failed): sign out and go to the sign-in page. */
  unauthenticated(): void;
  /** Shows an error to the user (TDesign MessagePlugin in the app). */
  notifyError(message: string): void;
  /** Text for a request that never reached the server. */
  networkErrorText(): string;
}

let hooks: ApiHooks = {
  accessToken: () => null,
  locale: () => 'zh-CN',
  refresh: async () => null,
  unauthenticated: () => undefined,
  notifyError: () => undefined,
  networkErrorText: () => 'Network error',
};

/** Connects the client to the auth store, i18n and the message plugin (see `main.ts`). */
export function configureApi(h: Partial<ApiHooks>): void {
  hooks = { ...hooks, ...h };
}

/**
 * Request header that keeps the client from showing the error itself: the caller handles it
 * (e.g. `GET /agents/me` answering 404 for an admin who takes no calls). Never sent.
 */
const QUIET_HEADER = 'X-Switchboard-Quiet';

/** Spread into a request's options to handle its errors yourself: `api.GET(path, { ...quiet })`. */
export const quiet = { headers: { [QUIET_HEADER]: '1' } } as const;

/**
 * The sign-in endpoints: they take no access token, and their 401 means bad credentials (no
 * refresh there, and no sign-out).
 */
const NO_REFRESH = new Set([
  '/api/v1/auth/login',
  '/api/v1/auth/login-sms',
  '/api/v1/auth/sms-code',
  '/api/v1/auth/refresh',
  '/api/v1/auth/logout',
  '/api/v1/sdk/login',
]);

/** An API error as the server describes it (`{ error: { code, message } }`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Reads the envelope `{ error: { code, message } }`; anything else gets a generic text. */
export function errorOf(status: number, body: unknown): ApiError {
  const e = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const code = typeof e?.code === 'string' ? e.code : `http_${status}`;
  const message = typeof e?.message === 'string' && e.message ? e.message : `HTTP ${status}`;
  return new ApiError(status, code, message);
}

/** The data of a successful call; throws {@link ApiError} otherwise (already shown unless quiet). */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  throw errorOf(result.response.status, result.error);
}

/** The last refusal the server sent (or network failure), numbered: see {@link lastApiError}. */
let last: { seq: number; error: ApiError | null } = { seq: 0, error: null };

/**
 * The last request that failed, with a sequence number: a caller that only gets `false` from a
 * store action (the SDK bridge) reads why from it, when `seq` moved since it began.
 */
export function lastApiError(): { seq: number; error: ApiError | null } {
  return last;
}

interface InFlight {
  /** A copy of the request as first sent, to send again after a refresh (its body is unread). */
  copy: Request;
  quiet: boolean;
}
const inFlight = new Map<string, InFlight>();

function bearerOf(req: Request): string | null {
  return /^Bearer (.+)$/.exec(req.headers.get('Authorization') ?? '')?.[1] ?? null;
}

/** The interceptors (exported for tests). */
export const interceptors: Middleware = {
  onRequest({ request, id, schemaPath }) {
    const isQuiet = request.headers.has(QUIET_HEADER);
    request.headers.delete(QUIET_HEADER);
    const token = hooks.accessToken();
    // The sign-in endpoints take no token: the server refuses a stale one even there, which
    // would make a refresh with an expired access token fail.
    if (token && !NO_REFRESH.has(schemaPath) && !request.headers.has('Authorization')) {
      request.headers.set('Authorization', `Bearer ${token}`);
    }
    request.headers.set('Accept-Language', hooks.locale());
    inFlight.set(id, { copy: request.clone(), quiet: isQuiet });
    return request;
  },
  async onResponse({ request, response, id, schemaPath }) {
    const entry = inFlight.get(id);
    inFlight.delete(id);
    let res = response;
    if (res.status === 401 && entry && !NO_REFRESH.has(schemaPath)) {
      const token = await hooks.refresh(bearerOf(request));
      if (token) {
        entry.copy.headers.set('Authorization', `Bearer ${token}`);
        res = await fetch(entry.copy);
      }
      // Still refused: the session is over. The sign-in page says so; no second message.
      if (res.status === 401) {
        hooks.unauthenticated();
        return res;
      }
    }
    if (!res.ok) {
      const body: unknown = await res
        .clone()
        .json()
        .catch(() => undefined);
      const error = errorOf(res.status, body);
      last = { seq: last.seq + 1, error };
      if (!entry?.quiet) hooks.notifyError(error.message);
    }
    return res;
  },
  onError({ id }) {
    const entry = inFlight.get(id);
    inFlight.delete(id);
    last = { seq: last.seq + 1, error: new ApiError(0, 'network_error', hooks.networkErrorText()) };
    if (!entry?.quiet) hooks.notifyError(hooks.networkErrorText());
  },
};

/** A typed client for the API at `baseUrl` with the interceptors (the app uses {@link api}). */
export function createApi(baseUrl: string) {
  const client = createClient<paths>({
    baseUrl,
    // Late-bound, so whatever fetch the page has at call time is used.
    fetch: (input: Request) => globalThis.fetch(input),
  });
  client.use(interceptors);
  return client;
}

/** The typed client for `/api/v1/*` (same origin: Koa serves the app, Vite proxies in dev). */
export const api = createApi((globalThis as unknown as { location?: { origin: string } }).location?.origin ?? '');

// Plugins' own routes are not in the OpenAPI document: an untyped client with the same
// interceptors (token, refresh on 401, language, errors shown in words).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- plugin routes have no generated types
const pluginClient = createClient<any>({ fetch: (input: Request) => globalThis.fetch(input) });
pluginClient.use(interceptors);

/**
 * A call to a plugin's own route (`/plugins/<name>/…`: a typed UI contribution's action or its
 * options), as the signed-in user. Resolves to the answer's JSON; rejects with {@link ApiError}
 * (already shown to the user unless `quiet`).
 */
export async function pluginRequest<T = unknown>(
  method: 'GET' | 'POST',
  url: string,
  opts: { body?: unknown; quiet?: boolean } = {},
): Promise<T> {
  const init = {
    ...(opts.body !== undefined ? { body: opts.body } : {}),
    ...(opts.quiet ? quiet : {}),
  };
  const origin = (globalThis as unknown as { location?: { origin: string } }).location?.origin ?? '';
  const r =
    method === 'GET'
      ? await pluginClient.GET(`${origin}${url}` as never, init as never)
      : await pluginClient.POST(`${origin}${url}` as never, init as never);
  return unwrap(r as { data?: T; error?: unknown; response: Response });
}
