import { z } from 'zod';

/**
 * The shape of the tenant setting `tts` (IVR-02): `{ vendor, language?, voice? }`. Its own file
 * so the settings registry can declare it without importing the readers in `voice.ts`, which
 * read it back through that registry.
 */
export const ttsSettingsSchema = z.object({
  vendor: z.string().min(1).max(64),
  language: z.string().min(1).max(32).optional(),
  voice: z.string().min(1).max(128).optional(),
});
