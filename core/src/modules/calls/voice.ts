import { z } from 'zod';
import type { CallAction, Prompt, TtsVoice } from '../../telephony/types.js';

/**
 * The tenant's text-to-speech voice (IVR-02): `settings.tts = { vendor, language?, voice? }`.
 * Unset or malformed = the telephony provider's defaults.
 */
export const ttsSettingsSchema = z.object({
  vendor: z.string().min(1).max(64),
  language: z.string().min(1).max(32).optional(),
  voice: z.string().min(1).max(128).optional(),
});

/** The voice from a tenant's settings, if one is configured. */
export function tenantVoice(settings: Record<string, unknown> | null | undefined): TtsVoice | undefined {
  const r = ttsSettingsSchema.safeParse(settings?.tts);
  return r.success ? r.data : undefined;
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
