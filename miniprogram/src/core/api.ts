/**
 * The mini-program's API client: the server's `/api/v1` with the agent's token pair, refreshed
 * once when the access token runs out, and the server's own error message passed on as it comes
 * (it speaks the agent's language, `Accept-Language`).
 *
 * It knows nothing of Taro: the platform gives it a {@link Transport} (`Taro.request` in the app,
 * `fetch` in tests against a real server) and a {@link KeyValueStore} (`Taro.setStorageSync`).
 */

/** One HTTP request as the platform sends it. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  /** Sent as JSON when present. */
  body?: unknown;
}

/** The platform's answer: the status and the body parsed as JSON (or undefined when empty). */
export interface HttpResponse {
  status: number;
  body: unknown;
}

/** Sends a request; rejects only when no answer came (network down, DNS, TLS). */
export type Transport = (req: HttpRequest) => Promise<HttpResponse>;

/** Where the tokens live across launches. */
export interface KeyValueStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

/** A refusal of the server (`{ error: { code, message, details } }`), or `network` when none came. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The user as `/auth/me` and the sign-in answers describe them. */
export interface User {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  role: 'admin' | 'supervisor' | 'agent';
  staffNo?: string | null;
  mobile?: string | null;
}

interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

const ACCESS = 'sb.accessToken';
const REFRESH = 'sb.refreshToken';

export interface ApiClientOptions {
  /** The server's origin (`https://cc.example.com`); empty: the page's own (h5 served by it). */
  base: string;
  transport: Transport;
  store: KeyValueStore;
  /** The agent's language for the server's messages. */
  language: () => string;
  /** Called once the session is gone (refresh refused, signed out elsewhere). */
  onSignedOut?: () => void;
}

/** See the module comment. */
export class ApiClient {
  private refreshing: Promise<boolean> | undefined;

  constructor(private readonly opts: ApiClientOptions) {}

  /** The server origin requests go to. */
  get base(): string {
    return this.opts.base;
  }

  /** Whether a refresh token is kept (the agent stays signed in across launches). */
  get signedIn(): boolean {
    return this.opts.store.get(REFRESH) !== null;
  }

  /** `GET`/`POST`/… `/api/v1<path>` as the signed-in agent; retried once after a refresh. */
  async call<T>(method: HttpRequest['method'], path: string, body?: unknown): Promise<T> {
    const first = await this.send(method, path, body, this.opts.store.get(ACCESS));
    if (first.status === 401 && this.signedIn && (await this.refresh())) {
      return this.unwrap<T>(await this.send(method, path, body, this.opts.store.get(ACCESS)));
    }
    if (first.status === 401) this.forget();
    return this.unwrap<T>(first);
  }

  /** Email + password (MP-01, LOGIN-01). */
  async login(email: string, password: string): Promise<User> {
    return this.keep(
      await this.unwrap<TokenPair & { user: User }>(await this.send('POST', '/auth/login', { email, password })),
    );
  }

  /** Sends a 6-digit code to the mobile (LOGIN-02); the server throttles repeats. */
  async sendCode(mobile: string): Promise<void> {
    await this.unwrap(await this.send('POST', '/auth/sms-code', { mobile }));
  }

  /** Mobile + SMS code (MP-01, LOGIN-02). */
  async loginSms(mobile: string, code: string): Promise<User> {
    return this.keep(
      await this.unwrap<TokenPair & { user: User }>(await this.send('POST', '/auth/login-sms', { mobile, code })),
    );
  }

  /** Revokes the refresh token at the server (best effort) and forgets both tokens. */
  async logout(): Promise<void> {
    const refreshToken = this.opts.store.get(REFRESH);
    this.opts.store.remove(ACCESS);
    this.opts.store.remove(REFRESH);
    if (refreshToken) await this.send('POST', '/auth/logout', { refreshToken }).catch(() => undefined);
  }

  private keep(r: TokenPair & { user: User }): User {
    this.opts.store.set(ACCESS, r.accessToken);
    this.opts.store.set(REFRESH, r.refreshToken);
    return r.user;
  }

  private forget(): void {
    const had = this.signedIn;
    this.opts.store.remove(ACCESS);
    this.opts.store.remove(REFRESH);
    if (had) this.opts.onSignedOut?.();
  }

  /** One refresh at a time: requests that fail together wait for the same new pair. */
  private refresh(): Promise<boolean> {
    this.refreshing ??= (async () => {
      const refreshToken = this.opts.store.get(REFRESH);
      if (!refreshToken) return false;
      let r: HttpResponse;
      try {
        r = await this.send('POST', '/auth/refresh', { refreshToken });
      } catch {
        // No network: keep the tokens, the next request tries again.
        return false;
      }
      if (r.status !== 200) {
        this.forget();
        return false;
      }
      const pair = r.body as TokenPair;
      this.opts.store.set(ACCESS, pair.accessToken);
      this.opts.store.set(REFRESH, pair.refreshToken);
      return true;
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async send(
    method: HttpRequest['method'],
    path: string,
    body: unknown,
    token?: string | null,
  ): Promise<HttpResponse> {
    const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': this.opts.language() };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    try {
      return await this.opts.transport({
        method,
        url: `${this.opts.base}/api/v1${path}`,
        headers,
        ...(body !== undefined ? { body } : {}),
      });
    } catch (err) {
      throw new ApiError(0, 'network', (err as Error)?.message || 'network error');
    }
  }

  private unwrap<T>(r: HttpResponse): T {
    if (r.status >= 200 && r.status < 300) return r.body as T;
    const e = (r.body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    throw new ApiError(r.status, e?.code ?? `http_${r.status}`, e?.message ?? `HTTP ${r.status}`, e?.details);
  }
}
