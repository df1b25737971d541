import { saveDevicePreferences, type PreferenceStorage } from './preferences.js';
import { TypedEmitter } from './emitter.js';
import {
  DTMF_DIGITS,
  type EndCause,
  type RegistrationState,
  type Softphone,
  type SoftphoneCall,
  type SoftphoneEvents,
} from './types.js';

/**
 * The app's REST client as the softphone needs it: `path` is under `/api/v1` (e.g.
 * `/me/device`), the caller adds the access token, and a non-2xx answer rejects (with the
 * server's `{error:{code,message}}` in the error, as the app's client does). 204 resolves undefined.
 */
export interface SoftphoneApi {
  request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

/** `simulator.device.call` of the realtime gateway (`/ws`), as the server sends it. */
export interface SimDeviceCallEvent {
  callSid: string;
  state: 'ringing' | 'active' | 'ended';
  from: string;
  sessionId: string | null;
  offerId: string | null;
  autoAnswer: boolean;
  cause?: 'local-hangup' | 'remote-hangup' | 'rejected' | 'cancelled';
}

/** The app's realtime connection as the softphone needs it: typed subscription to one event type. */
export interface SimDeviceEventSource {
  on(type: 'simulator.device.call', listener: (data: SimDeviceCallEvent) => void): () => void;
}

/** Options of {@link SimulatedSoftphone}. */
export interface SimulatedSoftphoneOptions {
  api: SoftphoneApi;
  /**
   * The realtime connection; rings are then learnt from the `simulator.device.call` event.
   * Without it the phone asks the server every `pollIntervalMs`.
   */
  events?: SimDeviceEventSource;
  /** Polling interval without `events` (ms, default 1000). */
  pollIntervalMs?: number;
  /** Where the chosen devices are remembered (default `localStorage`). */
  storage?: PreferenceStorage;
}

interface DeviceCallView {
  callSid: string;
  state: 'ringing' | 'active' | 'ended';
  from: string;
  sessionId: string | null;
  offerId: string | null;
  autoAnswer: boolean;
}

const ME = '/simulator/devices/me';

/**
 * The softphone in simulator mode (`npm start` with no real jambonz): there is no SIP registrar,
 * so the phone registers the agent's SIP user as a simulated device in the server's built-in
 * jambonz simulator and drives it over REST — answer, reject, hang up, DTMF — so the whole call
 * flow of the workbench works without SIP. There is no media: mute and the device choices are
 * kept (and remembered) but have nothing to act on.
 */
export class SimulatedSoftphone extends TypedEmitter<SoftphoneEvents> implements Softphone {
  readonly kind = 'simulator' as const;
  private state: RegistrationState = 'stopped';
  private current: SoftphoneCall | null = null;
  private unsubscribe: (() => void) | undefined;
  private poller: ReturnType<typeof setInterval> | undefined;
  private polling = false;
  private readonly opts: SimulatedSoftphoneOptions;

  constructor(opts: SimulatedSoftphoneOptions) {
    super();
    this.opts = opts;
  }

  get registration(): RegistrationState {
    return this.state;
  }

  get call(): SoftphoneCall | null {
    return this.current ? { ...this.current } : null;
  }

  async start(): Promise<void> {
    if (this.state === 'registered' || this.state === 'starting') return;
    this.state = 'starting';
    // Listen first: a ring between registering and subscribing would otherwise be missed.
    this.unsubscribe = this.opts.events?.on('simulator.device.call', (e) => this.onEvent(e));
    let reg: { registered: boolean; sipUser: string };
    try {
      reg = await this.opts.api.request<{ registered: boolean; sipUser: string }>('POST', ME, {});
    } catch (err) {
      this.state = 'failed';
      this.emit('registrationFailed', { cause: errorMessage(err) });
      return;
    }
    if (!reg.registered) {
      this.state = 'failed';
      this.emit('registrationFailed', { cause: 'the simulator refused the registration' });
      return;
    }
    this.state = 'registered';
    this.emit('registered', { sipUser: reg.sipUser });
    // A call may already ring (a reloaded page): pick it up, then poll when there are no events.
    await this.sync();
    if (!this.opts.events) {
      this.poller = setInterval(() => void this.sync(), this.opts.pollIntervalMs ?? 1000);
    }
  }

  /** POSTs the registration again while registered (a restarted server forgot the device). */
  async reregister(): Promise<void> {
    if (this.state !== 'registered') return;
    await this.opts.api.request('POST', ME, {});
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    if (this.current) await this.hangup().catch(() => undefined);
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.poller) clearInterval(this.poller);
    this.poller = undefined;
    const was = this.state;
    this.state = 'stopped';
    if (was === 'registered') {
      await this.opts.api.request('DELETE', ME).catch(() => undefined);
      this.emit('unregistered', { reason: 'stopped' });
    }
  }

  async answer(): Promise<void> {
    const call = this.ringing();
    const view = await this.opts.api.request<DeviceCallView>('POST', `${ME}/calls/${call.id}/answer`, {});
    this.apply(view);
  }

  async reject(): Promise<void> {
    const call = this.ringing();
    await this.opts.api.request<DeviceCallView>('POST', `${ME}/calls/${call.id}/reject`, {});
    this.end(call.id, 'rejected');
  }

  async hangup(): Promise<void> {
    const call = this.current;
    if (!call) throw new Error('softphone: no call to hang up');
    await this.opts.api.request<DeviceCallView>('POST', `${ME}/calls/${call.id}/hangup`, {});
    this.end(call.id, call.state === 'ringing' ? 'rejected' : 'local-hangup');
  }

  async mute(on: boolean): Promise<void> {
    const call = this.current;
    if (!call || call.state !== 'active') throw new Error('softphone: no active call');
    if (call.muted === on) return;
    call.muted = on;
    this.emit('muted', { id: call.id, muted: on });
  }

  async sendDtmf(digits: string): Promise<void> {
    if (!DTMF_DIGITS.test(digits)) throw new Error('softphone: DTMF digits are 0-9, *, #, A-D');
    const call = this.current;
    if (!call || call.state !== 'active') throw new Error('softphone: no active call');
    await this.opts.api.request('POST', `${ME}/calls/${call.id}/dtmf`, { digits });
  }

  async setOutputDevice(deviceId: string): Promise<void> {
    saveDevicePreferences({ outputDeviceId: deviceId }, this.opts.storage);
  }

  async setInputDevice(deviceId: string): Promise<void> {
    saveDevicePreferences({ inputDeviceId: deviceId }, this.opts.storage);
  }

  // ─────────────────────────────── internals ───────────────────────────────

  private onEvent(e: SimDeviceCallEvent): void {
    if (this.state === 'stopped') return;
    if (e.state === 'ended') {
      this.end(e.callSid, e.cause ?? 'remote-hangup');
      return;
    }
    this.apply(e);
  }

  /** Brings the phone's call in line with what the server says of one leg. */
  private apply(view: DeviceCallView | SimDeviceCallEvent): void {
    const cur = this.current;
    if (view.state === 'ended') {
      this.end(view.callSid, 'remote-hangup');
      return;
    }
    if (!cur) {
      if (view.state !== 'ringing' && view.state !== 'active') return;
      this.current = {
        id: view.callSid,
        remoteDisplay: view.from,
        sessionId: view.sessionId,
        autoAnswer: view.autoAnswer,
        state: 'ringing',
        muted: false,
      };
      this.emit('incoming', { ...this.current });
      if (view.state === 'active') this.accept(view.callSid);
      return;
    }
    if (cur.id !== view.callSid) {
      // One call at a time, as on the real softphone: a stray second ring is declined.
      if (view.state === 'ringing') {
        this.opts.api
          .request('POST', `${ME}/calls/${view.callSid}/reject`, {})
          .catch((err: unknown) => this.emit('error', { message: 'could not decline a second call', cause: err }));
      }
      return;
    }
    if (view.state === 'active') this.accept(view.callSid);
  }

  private accept(id: string): void {
    const cur = this.current;
    if (cur?.id !== id || cur.state === 'active') return;
    cur.state = 'active';
    this.emit('accepted', { id });
  }

  private end(id: string, cause: EndCause): void {
    if (this.current?.id !== id) return;
    this.current = null;
    this.emit('ended', { id, cause, detail: null });
  }

  private ringing(): SoftphoneCall {
    const call = this.current;
    if (!call || call.state !== 'ringing') throw new Error('softphone: no ringing call');
    return call;
  }

  /** Asks the server which legs ring or talk on the device (start-up, and polling without events). */
  private async sync(): Promise<void> {
    if (this.polling || this.state !== 'registered') return;
    this.polling = true;
    try {
      const { items } = await this.opts.api.request<{ items: DeviceCallView[] }>('GET', `${ME}/calls`);
      const cur = this.current;
      if (cur && !items.some((i) => i.callSid === cur.id)) {
        this.end(cur.id, cur.state === 'ringing' ? 'cancelled' : 'remote-hangup');
      }
      for (const item of items) this.apply(item);
    } catch (err) {
      this.emit('error', { message: 'could not ask the simulator for calls', cause: err });
    } finally {
      this.polling = false;
    }
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
