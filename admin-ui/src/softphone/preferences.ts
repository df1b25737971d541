/**
 * The agent's chosen microphone and speaker, kept in localStorage for the next visit. Written
 * against a two-method storage rather than the DOM's `Storage`, so the simulated phone (which
 * has no media) stays free of browser-only types.
 */

/** The agent's chosen devices; null = the system default. */
export interface DevicePreferences {
  inputDeviceId: string | null;
  outputDeviceId: string | null;
}

/** What is needed of `localStorage`. */
export interface PreferenceStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The localStorage key of {@link DevicePreferences}. */
export const DEVICE_PREFERENCES_KEY = 'switchboard.softphone.devices';

function storageOf(storage: PreferenceStorage | undefined): PreferenceStorage | undefined {
  try {
    return storage ?? (globalThis as { localStorage?: PreferenceStorage }).localStorage;
  } catch {
    // Reading `localStorage` itself throws where storage is blocked (privacy settings).
    return undefined;
  }
}

/** The agent's chosen devices (both null when nothing was chosen or storage is unavailable). */
export function loadDevicePreferences(storage?: PreferenceStorage): DevicePreferences {
  const empty: DevicePreferences = { inputDeviceId: null, outputDeviceId: null };
  try {
    const raw = storageOf(storage)?.getItem(DEVICE_PREFERENCES_KEY);
    if (!raw) return empty;
    const parsed = JSON.parse(raw) as Partial<Record<keyof DevicePreferences, unknown>>;
    const id = (v: unknown) => (typeof v === 'string' && v.length > 0 && v.length <= 512 ? v : null);
    return { inputDeviceId: id(parsed.inputDeviceId), outputDeviceId: id(parsed.outputDeviceId) };
  } catch {
    return empty;
  }
}

/** Remembers the agent's choice (fields left out keep their value). Returns what is stored now. */
export function saveDevicePreferences(
  change: Partial<DevicePreferences>,
  storage?: PreferenceStorage,
): DevicePreferences {
  const next = { ...loadDevicePreferences(storage), ...change };
  try {
    storageOf(storage)?.setItem(DEVICE_PREFERENCES_KEY, JSON.stringify(next));
  } catch {
    // Quota or blocked storage: the choice holds for this page only.
  }
  return next;
}
