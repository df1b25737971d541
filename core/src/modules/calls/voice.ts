import type { CallAction, Prompt, TtsVoice } from '../../telephony/types.js';
import { readSetting, type StoredSettings } from '../tenants/settings-schema.js';

export { ttsSettingsSchema } from './tts-settings.js';

/**
 * The tenant's text-to-speech voice (IVR-02), read through the settings registry (ADR 0011):
 * `settings.tts = { vendor, language?, voice? }`. Unset or malformed (an unknown field included,
 * as the registry refuses it on write) = the telephony provider's defaults.
 */
export function tenantVoice(settings: StoredSettings): TtsVoice | undefined {
  return readSetting(settings, 'tts') ?? undefined;
}

/** Gives every spoken prompt in `actions` the voice (prompts that name their own keep it). */
export function withVoice(actions: CallAction[], voice: TtsVoice | undefined): CallAction[] {
  if (!voice) return actions;
  const v = (p: Prompt): Prompt => (p.kind === 'say' && !p.voice ? { ...p, voice } : p);
  return actions.map((a) =>
    a.type === 'prompt'
      ? { ...a, prompt: v(a.prompt) }
      : a.type === 'collectDigits'
        ? { ...a, prompts: a.prompts.map(v) }
        : a,
  );
}
