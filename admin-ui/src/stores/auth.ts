/**
 * Who is signed in (LOGIN-01/02): the token pair, the user, sign-in by password or SMS code,
 * refresh, sign-out. The pair is kept in localStorage so a reload (or a second tab) stays
 * signed in; refreshes are serialised across tabs with the Web Locks API, because the server
 * rotates refresh tokens and two tabs trading the same one would sign each other out.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, quiet, unwrap, type Schemas } from '@/api/request';

export type User = Schemas['User'];
export type Role = User['role'];
type LoginResult = Schemas['LoginResult'];

/** What is stored between page loads. */
export interface StoredSession {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms after which the access token is refused. */
  expiresAt: number;
  user: User;
}

export const SESSION_KEY = 'switchboard.session';
const REFRESH_LOCK = 'switchboard.refresh';

function readStored(): StoredSession | null {
  try {
    const raw = localStorage.getItem(SESSION_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Partial<StoredSession>;
    if (typeof s.accessToken !== 'string' || typeof s.refreshToken !== 'string' || !s.user) return null;
    return s as StoredSession;
  } catch {
    return null;
  }
}

function writeStored(s: StoredSession | null): void {
  if (s) localStorage.setItem(SESSION_KEY, JSON.stringify(s));
  else localStorage.removeItem(SESSION_KEY);
}

/** Runs `fn` holding a lock shared by every tab of this origin (or alone where unsupported). */
async function withRefreshLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks) return fn();
  return locks.request(REFRESH_LOCK, fn) as Promise<T>;
}

export const useAuthStore = defineStore('auth', () => {
  const session = ref<StoredSession | null>(readStored());
  /** Set by a sign-in in this page (not a restored session): the workbench then goes online. */
  const freshSignIn = ref(false);
  let refreshing: Promise<string | null> | undefined;

  const user = computed(() => session.value?.user ?? null);
  const role = computed<Role | null>(() => user.value?.role ?? null);
  const signedIn = computed(() => session.value !== null);
  const accessToken = computed(() => session.value?.accessToken ?? null);

  function adopt(result: LoginResult): void {
    session.value = {
      accessToken: result.accessToken,
      refreshToken: result.refreshToken,
      expiresAt: Date.now() + result.expiresIn * 1000,
      user: result.user,
    };
    writeStored(session.value);
  }

  async function loginWithPassword(email: string, password: string): Promise<void> {
    adopt(unwrap(await api.POST('/api/v1/auth/login', { body: { email, password } })));
    freshSignIn.value = true;
  }

  /**
   * Trades a one-time SDK login token (the embedded workbench, issue 14) for a session. The
   * session is kept like any other, so a reload of the frame stays signed in.
   */
  async function loginWithSdkToken(token: string): Promise<void> {
    adopt(unwrap(await api.POST('/api/v1/sdk/login', { body: { token }, ...quiet })));
    freshSignIn.value = true;
  }

  /** Asks for an SMS code; resolves to the seconds before another may be asked for. */
  async function requestSmsCode(mobile: string): Promise<number> {
    const r = unwrap(await api.POST('/api/v1/auth/sms-code', { body: { mobile } }));
    return r.resendAfterSeconds;
  }

  async function loginWithSms(mobile: string, code: string): Promise<void> {
    adopt(unwrap(await api.POST('/api/v1/auth/login-sms', { body: { mobile, code } })));
    freshSignIn.value = true;
  }

  /**
   * Renews the access token once for every request that failed with `failedToken`: concurrent
   * 401s share one refresh, and a tab that finds another tab already refreshed takes its pair.
   */
  function refresh(failedToken: string | null): Promise<string | null> {
    refreshing ??= withRefreshLock(async () => {
      const stored = readStored();
      if (!stored) return null;
      if (stored.accessToken !== failedToken && stored.expiresAt > Date.now() + 5_000) {
        session.value = stored;
        return stored.accessToken;
      }
      const res = await api.POST('/api/v1/auth/refresh', { body: { refreshToken: stored.refreshToken }, ...quiet });
      if (!res.data) {
        // Refused (or unreachable): a network error keeps the session for a later try.
        if (res.response.status === 401 || res.response.status === 400) clear();
        return null;
      }
      adopt(res.data);
      return res.data.accessToken;
    })
      .catch(() => null)
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  }

  /** Forgets the session in this browser (no server call). */
  function clear(): void {
    session.value = null;
    freshSignIn.value = false;
    writeStored(null);
  }

  /** Signs out on the server (ends the refresh token) and here. */
  async function signOut(): Promise<void> {
    const token = session.value?.refreshToken;
    if (token)
      await api.POST('/api/v1/auth/logout', { body: { refreshToken: token }, ...quiet }).catch(() => undefined);
    clear();
  }

  /** Applies a change of the signed-in user made elsewhere (e.g. the bound mobile). */
  function patchUser(patch: Partial<User>): void {
    if (!session.value) return;
    session.value = { ...session.value, user: { ...session.value.user, ...patch } };
    writeStored(session.value);
  }

  /** Another tab signed in, out or refreshed: follow it. */
  function syncFromStorage(): void {
    session.value = readStored();
  }

  return {
    session,
    user,
    role,
    signedIn,
    accessToken,
    freshSignIn,
    loginWithPassword,
    requestSmsCode,
    loginWithSms,
    loginWithSdkToken,
    refresh,
    signOut,
    clear,
    patchUser,
    syncFromStorage,
  };
});
