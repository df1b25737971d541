/**
 * The workbench's one softphone, as a store. It owns a single {@link PhoneLike} instance (the
 * JsSIP phone against jambonz or, in simulator mode, the simulated phone; see
 * `admin-ui/src/softphone`), starts it while the agent is online and stops it when they go
 * offline or sign out, and mirrors its registration and current call for the screens. The call
 * screens talk to this store only, never to the phone.
 *
 * @example
 * const phone = usePhoneStore();
 * if (phone.ringing) await phone.answer();
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { softphoneApi } from '@/api/softphone-api';
import { createSoftphone } from '@/softphone';
import type { RegistrationState, Softphone, SoftphoneCall, SoftphoneEvents } from '@/softphone/types';
import { useRealtimeStore } from './realtime';

/** Where the phone's registration stands, how a call ended, the current call, the events. */
export type { RegistrationState, EndCause as PhoneEndCause, SoftphoneCall as PhoneCall } from '@/softphone/types';
export type PhoneEvents = SoftphoneEvents;

/**
 * What this store needs of a softphone: the `Softphone` interface of `admin-ui/src/softphone`
 * without `once`/`off` (the store keeps the unsubscribe functions `on` returns), so test phones
 * need not implement them.
 */
export type PhoneLike = Omit<Softphone, 'once' | 'off'>;

/** Makes the signed-in agent's phone; null when the installation has no telephony for it. */
export type PhoneFactory = () => Promise<PhoneLike | null>;

let factory: PhoneFactory | null = null;

/** Makes the phone some other way than `createSoftphone` (tests with their own phone). */
export function setPhoneFactory(f: PhoneFactory | null): void {
  factory = f;
}

export const usePhoneStore = defineStore('phone', () => {
  const realtime = useRealtimeStore();
  /**
   * The phone the server's mode calls for (`GET /me/device`): JsSIP against jambonz, or the
   * simulated phone driven by `simulator.device.call` events in simulator mode.
   */
  const defaultFactory: PhoneFactory = () =>
    createSoftphone({ api: softphoneApi, events: { on: (type, listener) => realtime.on(type, listener) } });
  const phone = shallowRef<PhoneLike | null>(null);
  /** The factory said there is no phone for this agent (no telephony, or it failed to load). */
  const unavailable = ref(false);
  const registration = ref<RegistrationState>('stopped');
  /** Why registering failed, or the last background error, for the device check. */
  const problem = ref<string | null>(null);
  const call = ref<SoftphoneCall | null>(null);
  /** The last call that ended, and how (the call screens tell "rejected" from "caller gone"). */
  const lastEnded = ref<PhoneEvents['ended'] | null>(null);
  /**
   * Why the phone must stay up although the workbench would stop it (an offline supervisor who
   * listens in uses it): the call dock stops the phone of an offline agent only when none is held.
   */
  const holds = ref<string[]>([]);
  const held = computed(() => holds.value.length > 0);
  let creating: Promise<PhoneLike | null> | undefined;
  let unsubscribe: Array<() => void> = [];

  const kind = computed(() => phone.value?.kind ?? null);
  const registered = computed(() => registration.value === 'registered');
  const ringing = computed(() => (call.value?.state === 'ringing' ? call.value : null));
  const active = computed(() => (call.value?.state === 'active' ? call.value : null));

  function sync(p: PhoneLike): void {
    registration.value = p.registration;
    call.value = p.call;
  }

  function attach(p: PhoneLike): void {
    unsubscribe = [
      // After the realtime connection came back the server may be a new one (a restart, a
      // deploy) that never saw this phone register: register again, keeping any call.
      realtime.onResync('phone', async () => {
        await p.reregister?.().catch((err: unknown) => {
          problem.value = err instanceof Error ? err.message : String(err);
        });
      }),
      p.on('registered', () => {
        problem.value = null;
        sync(p);
      }),
      p.on('unregistered', () => sync(p)),
      p.on('registrationFailed', (e) => {
        problem.value = e.cause;
        sync(p);
      }),
      p.on('incoming', () => sync(p)),
      p.on('accepted', () => sync(p)),
      p.on('muted', () => sync(p)),
      p.on('ended', (e) => {
        lastEnded.value = e;
        sync(p);
      }),
      p.on('error', (e) => {
        problem.value = e.message;
      }),
    ];
  }

  /** The phone, made on first use. */
  async function ensure(): Promise<PhoneLike | null> {
    if (phone.value) return phone.value;
    creating ??= (factory ?? defaultFactory)()
      .catch((err: unknown) => {
        problem.value = err instanceof Error ? err.message : String(err);
        return null;
      })
      .then((p) => {
        if (p) {
          phone.value = p;
          attach(p);
          sync(p);
        }
        unavailable.value = !p;
        return p;
      })
      .finally(() => {
        creating = undefined;
      });
    return creating;
  }

  /** Registers the phone (no-op when running or when there is none). */
  async function start(): Promise<void> {
    const p = await ensure();
    if (!p || p.registration === 'registered' || p.registration === 'starting') return;
    registration.value = 'starting';
    await p.start().catch((err: unknown) => {
      problem.value = err instanceof Error ? err.message : String(err);
    });
    sync(p);
  }

  /** Keeps the phone up for `reason` until {@link release}d (see `held`). */
  function hold(reason: string): void {
    if (!holds.value.includes(reason)) holds.value = [...holds.value, reason];
  }

  /** Lets go of a {@link hold}. */
  function release(reason: string): void {
    holds.value = holds.value.filter((r) => r !== reason);
  }

  /** Hangs up and unregisters (offline, sign-out). */
  async function stop(): Promise<void> {
    const p = phone.value;
    if (!p) return;
    await p.stop().catch(() => undefined);
    sync(p);
  }

  /** Runs a phone action; false when there is no phone or it refused (the reason in `problem`). */
  async function act(run: (p: PhoneLike) => Promise<void>): Promise<boolean> {
    const p = phone.value;
    if (!p) return false;
    try {
      await run(p);
      return true;
    } catch (err) {
      problem.value = err instanceof Error ? err.message : String(err);
      return false;
    } finally {
      sync(p);
    }
  }

  /** Forgets the phone entirely (sign-out): the next agent gets a new one. */
  async function $reset(): Promise<void> {
    const p = phone.value;
    for (const off of unsubscribe.splice(0)) off();
    phone.value = null;
    if (p) await p.stop().catch(() => undefined);
    unavailable.value = false;
    registration.value = 'stopped';
    problem.value = null;
    call.value = null;
    lastEnded.value = null;
    holds.value = [];
  }

  return {
    unavailable,
    registration,
    problem,
    call,
    lastEnded,
    kind,
    registered,
    held,
    hold,
    release,
    ringing,
    active,
    ensure,
    start,
    stop,
    answer: () => act((p) => p.answer()),
    reject: () => act((p) => p.reject()),
    hangup: () => act((p) => p.hangup()),
    mute: (on: boolean) => act((p) => p.mute(on)),
    sendDtmf: (digits: string) => act((p) => p.sendDtmf(digits)),
    setInputDevice: (id: string) => act((p) => p.setInputDevice(id)),
    setOutputDevice: (id: string) => act((p) => p.setOutputDevice(id)),
    $reset,
  };
});
