/**
 * What the workbench checks before the agent goes online: does this browser support a WebRTC
 * softphone at all, which microphones and speakers there are, whether the microphone may be
 * used, and which devices the agent chose (kept in localStorage for the next visit, see
 * `preferences.ts`, re-exported here).
 */
export {
  DEVICE_PREFERENCES_KEY,
  loadDevicePreferences,
  saveDevicePreferences,
  type DevicePreferences,
  type PreferenceStorage,
} from './preferences.js';

/** What the browser offers a softphone. */
export interface BrowserSupport {
  /** HTTPS or localhost: browsers only give the microphone to secure pages. */
  secureContext: boolean;
  webrtc: boolean;
  getUserMedia: boolean;
  enumerateDevices: boolean;
  /** Choosing the speaker (`HTMLMediaElement.setSinkId`); without it the system default plays. */
  setSinkId: boolean;
  permissionsApi: boolean;
  /** A softphone can work (secure context, WebRTC, getUserMedia). */
  ok: boolean;
  /** What is missing for `ok`, by the names above. */
  missing: Array<'secureContext' | 'webrtc' | 'getUserMedia'>;
}

/** One microphone or speaker. */
export interface AudioDeviceOption {
  deviceId: string;
  /** Empty until the page may use the microphone (browsers hide labels before that). */
  label: string;
  groupId: string;
}

/** `granted`/`denied`/`prompt` as the browser says; `unknown` when it cannot say. */
export type MicrophonePermission = 'granted' | 'denied' | 'prompt' | 'unknown';

/** The parts of `window` the checks read (a parameter so they work on any window or a worker). */
export type BrowserEnv = Pick<typeof globalThis, 'isSecureContext' | 'navigator'> & {
  RTCPeerConnection?: unknown;
  HTMLMediaElement?: { prototype: object };
};

/** Checks what the browser offers a softphone. */
export function checkBrowserSupport(env: BrowserEnv = globalThis): BrowserSupport {
  const media = env.navigator?.mediaDevices as Partial<MediaDevices> | undefined;
  const support = {
    secureContext: env.isSecureContext === true,
    webrtc: typeof env.RTCPeerConnection === 'function',
    getUserMedia: typeof media?.getUserMedia === 'function',
    enumerateDevices: typeof media?.enumerateDevices === 'function',
    setSinkId: env.HTMLMediaElement !== undefined && 'setSinkId' in env.HTMLMediaElement.prototype,
    permissionsApi: typeof env.navigator?.permissions?.query === 'function',
  };
  const missing = (['secureContext', 'webrtc', 'getUserMedia'] as const).filter((k) => !support[k]);
  return { ...support, ok: missing.length === 0, missing };
}

/**
 * Microphones and speakers. Labels stay empty until the microphone was allowed once (browsers
 * hide them before that): call {@link requestMicrophone} first to show names.
 */
export async function listAudioDevices(
  media: Pick<MediaDevices, 'enumerateDevices'> | undefined = globalThis.navigator?.mediaDevices,
): Promise<{ microphones: AudioDeviceOption[]; speakers: AudioDeviceOption[] }> {
  if (!media?.enumerateDevices) return { microphones: [], speakers: [] };
  const all = await media.enumerateDevices();
  const pick = (kind: MediaDeviceKind) =>
    all
      .filter((d) => d.kind === kind && d.deviceId !== '')
      .map((d) => ({ deviceId: d.deviceId, label: d.label, groupId: d.groupId }));
  return { microphones: pick('audioinput'), speakers: pick('audiooutput') };
}

/**
 * Whether the page may use the microphone: the Permissions API where the browser has it for
 * `microphone`; otherwise a labelled microphone in `enumerateDevices` means it was granted
 * (labels are only shown then), and no labels means the agent has not been asked yet.
 */
export async function microphonePermission(
  nav: Navigator | undefined = globalThis.navigator,
): Promise<MicrophonePermission> {
  try {
    if (nav?.permissions?.query) {
      const status = await nav.permissions.query({ name: 'microphone' as PermissionName });
      return status.state;
    }
  } catch {
    // Firefox before 2024 and some WebViews do not know the `microphone` permission name.
  }
  try {
    const { microphones } = await listAudioDevices(nav?.mediaDevices);
    if (microphones.length === 0) return 'unknown';
    return microphones.some((m) => m.label !== '') ? 'granted' : 'prompt';
  } catch {
    return 'unknown';
  }
}

/**
 * Asks for the microphone (the browser prompts the first time) and releases it at once: the
 * softphone takes it again only for a call. Returns the resulting permission.
 */
export async function requestMicrophone(
  deviceId: string | null = null,
  media: Pick<MediaDevices, 'getUserMedia'> | undefined = globalThis.navigator?.mediaDevices,
): Promise<MicrophonePermission> {
  if (!media?.getUserMedia) return 'unknown';
  try {
    const stream = await media.getUserMedia({ audio: audioConstraints(deviceId), video: false });
    for (const track of stream.getTracks()) track.stop();
    return 'granted';
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
    // NotFoundError (no microphone), NotReadableError (in use by another program)…
    throw err;
  }
}

/** getUserMedia audio constraints for a chosen microphone (the default when null). */
export function audioConstraints(deviceId: string | null): MediaTrackConstraints | true {
  // `exact`: a missing device should fail loudly, not silently record from another microphone.
  return deviceId ? { deviceId: { exact: deviceId } } : true;
}
