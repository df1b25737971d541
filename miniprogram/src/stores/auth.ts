/**
 * Sign-in (MP-01): email + password or mobile + SMS code, kept across launches by the refresh
 * token (`core/api.ts` refreshes on its own), and sign-out.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { ApiError, type User } from '../core/api';
import { host } from '../core/host';

/** Seconds before another code may be asked for (the server throttles too, and says so). */
export const RESEND_SECONDS = 60;

export const useAuthStore = defineStore('auth', () => {
  const user = ref<User | null>(null);
  const busy = ref(false);
  /** The server's message of the last failed attempt, as it came. */
  const error = ref<string | null>(null);
  /** Seconds until "send code" is offered again. */
  const resendIn = ref(0);
  let countdown: ReturnType<typeof setInterval> | undefined;

  const signedIn = computed(() => user.value !== null);

  async function attempt(run: () => Promise<User>): Promise<boolean> {
    busy.value = true;
    error.value = null;
    try {
      user.value = await run();
      return true;
    } catch (err) {
      error.value = err instanceof ApiError ? err.message : String(err);
      return false;
    } finally {
      busy.value = false;
    }
  }

  /** Email and password. */
  const loginWithPassword = (email: string, password: string) =>
    attempt(() => host().api.login(email.trim(), password));

  /** Mobile and the 6-digit code. */
  const loginWithCode = (mobile: string, code: string) =>
    attempt(() => host().api.loginSms(mobile.trim(), code.trim()));

  /** Asks the server to text a code; starts the resend countdown when it did. */
  async function sendCode(mobile: string): Promise<boolean> {
    error.value = null;
    try {
      await host().api.sendCode(mobile.trim());
    } catch (err) {
      error.value = err instanceof ApiError ? err.message : String(err);
      return false;
    }
    resendIn.value = RESEND_SECONDS;
    clearInterval(countdown);
    countdown = setInterval(() => {
      resendIn.value -= 1;
      if (resendIn.value <= 0) clearInterval(countdown);
    }, 1000);
    return true;
  }

  /**
   * At launch: a kept session is resumed (`/auth/me`, refreshing the token when needed).
   * Resolves to whether the agent is signed in.
   */
  async function restore(): Promise<boolean> {
    if (!host().api.signedIn) return false;
    try {
      user.value = await host().api.call<User>('GET', '/auth/me');
      return true;
    } catch (err) {
      // No network: stay signed in with what we know; a refused session signs out.
      if (err instanceof ApiError && err.code === 'network') return host().api.signedIn;
      user.value = null;
      return false;
    }
  }

  async function logout(): Promise<void> {
    await host().api.logout();
    user.value = null;
  }

  /** The API client found the session gone (refresh refused). */
  function signedOut(): void {
    user.value = null;
  }

  return {
    user,
    busy,
    error,
    resendIn,
    signedIn,
    loginWithPassword,
    loginWithCode,
    sendCode,
    restore,
    logout,
    signedOut,
  };
});
