import { JsSipSoftphone, type JsSipSoftphoneOptions } from './jssip-softphone.js';
import { SimulatedSoftphone, type SimDeviceEventSource, type SoftphoneApi } from './simulated-softphone.js';
import type { PreferenceStorage } from './preferences.js';
import type { Softphone, SoftphoneCredentials } from './types.js';

/** Options of {@link createSoftphone}. */
export interface CreateSoftphoneOptions {
  /** The app's REST client (paths under `/api/v1`). */
  api: SoftphoneApi;
  /** The app's realtime connection (for `simulator.device.call` in simulator mode). */
  events?: SimDeviceEventSource;
  storage?: PreferenceStorage;
  /** Passed to the SIP softphone. */
  sip?: Omit<JsSipSoftphoneOptions, 'credentials' | 'storage'>;
}

/**
 * The signed-in agent's softphone, as the server's mode says (`GET /api/v1/me/device`): the
 * JsSIP softphone against jambonz, the simulated phone in simulator mode, or null when the
 * installation has no telephony at all. Not started: call `start()` when the agent goes online.
 */
export async function createSoftphone(opts: CreateSoftphoneOptions): Promise<Softphone | null> {
  const credentials = await opts.api.request<SoftphoneCredentials>('GET', '/me/device');
  switch (credentials.mode) {
    case 'simulator':
      return new SimulatedSoftphone({
        api: opts.api,
        ...(opts.events ? { events: opts.events } : {}),
        ...(opts.storage ? { storage: opts.storage } : {}),
      });
    case 'sip':
      return new JsSipSoftphone({ ...opts.sip, credentials, ...(opts.storage ? { storage: opts.storage } : {}) });
    default:
      return null;
  }
}
