import { z } from 'zod';
import { singleLine } from '../../http/text.js';
import { nearestName } from '../../http/unknown-keys.js';
import { workingHoursNodeSchema } from '../ivr/flow-model.js';
import { ttsSettingsSchema } from '../calls/tts-settings.js';
import { agentSettingsFields, agentSettingsOf, agentSettingsSchema } from '../agents/settings.js';
import { timeZoneSchema } from './time-zone.js';

/*
 * The one registry of tenant settings (ADR 0011). Every key a tenant may store in
 * `tenants.settings` is declared here once, with
 * - `schema`: what a write must match (objects are strict: an unknown field is refused);
 * - `view`: the effective value as the API shows it, defaults filled in;
 * - `read`: the typed, lenient getter every reader uses — a stored value that does not match
 *   (a row from before the registry) reads as the default instead of breaking a call.
 * `PATCH /tenant/settings` refuses any key not declared here, naming the nearest valid one.
 */

/** What defaults depend on: the server's configuration. */
export interface SettingsDefaults {
  /** `calls.wrapUpSeconds`: the wrap-up length when a tenant sets none. */
  wrapUpSeconds: number;
}

interface SettingDef<W extends z.ZodType, V> {
  schema: W;
  view: z.ZodType<V>;
  description: string;
  read(stored: unknown, defaults: SettingsDefaults): V;
}

function setting<W extends z.ZodType, V>(def: SettingDef<W, V>): SettingDef<W, V> {
  return def;
}

/** A setting whose stored value is its effective value, or `fallback` when unset or malformed. */
function plain<W extends z.ZodType>(schema: W, fallback: z.output<W>, description: string) {
  return setting<W, z.output<W>>({
    schema,
    view: schema as unknown as z.ZodType<z.output<W>>,
    description,
    read: (stored) => {
      const r = schema.safeParse(stored);
      return r.success ? r.data : fallback;
    },
  });
}

/** As {@link plain}, for settings whose default is "none" (`null`). */
function optional<W extends z.ZodType>(schema: W, description: string) {
  return setting<W, z.output<W> | null>({
    schema,
    view: schema.nullable() as unknown as z.ZodType<z.output<W> | null>,
    description,
    read: (stored) => {
      const r = schema.safeParse(stored);
      return r.success ? r.data : null;
    },
  });
}

/** A named working-hours calendar: weekly ranges, holidays, special days (IVR-01). */
export const calendarSchema = z
  .object({
    id: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9-]{0,39}$/,
        'must be 1–40 lower-case letters, digits or -, starting with a letter or digit',
      )
      .meta({ description: 'Stable id a flow refers to, e.g. `office`' }),
    name: singleLine(100),
    timeZone: timeZoneSchema.optional().meta({ description: 'IANA zone; default: the tenant’s `timezone`' }),
    schedule: workingHoursNodeSchema.shape.schedule.meta({
      description: 'Weekly ranges: `[{ "days": ["mon", …], "ranges": [{ "start": "09:00", "end": "18:00" }] }]`',
    }),
    holidays: workingHoursNodeSchema.shape.holidays.meta({ description: 'Closed dates, `YYYY-MM-DD` (local)' }),
    specialDays: workingHoursNodeSchema.shape.specialDays.meta({
      description: 'Dates with their own ranges instead of the weekly ones (an empty list closes the day)',
    }),
  })
  .strict()
  .meta({ id: 'WorkingHoursCalendar' });

/** A web origin as a browser names it: `https://crm.example.com`, `http://localhost:8080`. */
const webOrigin = z
  .string()
  .max(200)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === s;
    } catch {
      return false;
    }
  }, 'must be an origin: scheme://host[:port], lower case, no path or trailing slash');

/** One key of a phone keypad. */
const surveyKey = z.string().regex(/^[0-9*#]$/, 'must be one key: 0-9, * or #');

/**
 * The outbound satisfaction survey (OUT-11, advanced): what a customer hears when the agent hangs
 * up first on a call the agent placed, the keys they may press and what each one means.
 */
export const outboundSurveySchema = z
  .object({
    prompt: singleLine(500).meta({
      description: 'Spoken (TTS) invitation, e.g. “请对本次服务评价，满意请按1，不满意请按2”',
    }),
    options: z
      .array(z.object({ key: surveyKey, label: singleLine(100) }).strict())
      .min(1)
      .max(12)
      .refine((a) => new Set(a.map((o) => o.key)).size === a.length, 'each key may be used once')
      .meta({ description: 'Keys and what they mean; the label goes into the record (`satisfaction`)' }),
    thanksPrompt: singleLine(500).optional().meta({ description: 'Said after a valid key, before hanging up' }),
    invalidPrompt: singleLine(500).optional().meta({ description: 'Said before asking again after a wrong key' }),
    timeoutPrompt: singleLine(500).optional().meta({ description: 'Said before asking again after silence' }),
    timeoutSeconds: z.number().int().min(1).max(60).default(8),
    maxRetries: z
      .number()
      .int()
      .min(0)
      .max(5)
      .default(1)
      .meta({ description: 'Asks again after a wrong key or silence' }),
  })
  .strict()
  .meta({ id: 'OutboundSurvey' });
export type OutboundSurvey = z.output<typeof outboundSurveySchema>;

/** Every tenant setting. Keys keep the names rows already use (`timezone`, `agent`, …). */
export const TENANT_SETTINGS = {
  numberProtection: plain(
    z.boolean(),
    false,
    'RT-07: hide customers’ numbers from agents everywhere (the middle four digits masked in calls, records, events)',
  ),
  timezone: plain(
    timeZoneSchema,
    'UTC',
    'The tenant’s IANA time zone: “today” in routing (RT-02), IVR clock variables and working hours without their own zone',
  ),
  holdMusicUrl: optional(
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .max(2000)
      .meta({ example: 'https://example.com/hold.mp3' }),
    'Music a customer hears on hold (CTL-01), an http(s) URL of an audio file; null = the built-in music',
  ),
  tts: optional(
    ttsSettingsSchema.strict().meta({ id: 'TtsVoice' }),
    'IVR-02: the text-to-speech voice of spoken prompts `{ vendor, language?, voice? }`; null = the provider’s default',
  ),
  agent: setting({
    schema: agentSettingsFields,
    view: agentSettingsSchema,
    description:
      'Agent settings: rest reasons (小休), state after sign-in (AGT-02), wrap-up length and auto end (RT-06), last agent first (RT-04), preferred-agent wait (IVR-21), outbound memory (OUT-12/13). Also at `/settings/agent`',
    read: (stored, defaults) => agentSettingsOf({ agent: stored }, defaults),
  }),
  allowPrivateUrls: plain(
    z.boolean(),
    false,
    'Let push subscriptions and IVR HTTP nodes reach private and loopback addresses (10.x, 192.168.x, 127.0.0.1 …); off, only public addresses are called (SSRF guard)',
  ),
  sdkOrigins: plain(
    z
      .array(webOrigin)
      .max(20)
      .refine((a) => new Set(a).size === a.length, 'origins must be unique')
      .meta({ example: ['https://crm.example.com'] }),
    [],
    'SDK: the web origins (scheme://host[:port]) of the pages that may embed the workbench and talk to it (postMessage, frame-ancestors), at most 20; none = no page may',
  ),
  calendars: plain(
    z
      .array(calendarSchema)
      .max(50)
      .refine((a) => new Set(a.map((c) => c.id)).size === a.length, 'calendar ids must be unique'),
    [],
    'Working-hour calendars with holidays and special days (IVR-01), at most 50',
  ),
  outboundSurvey: optional(
    outboundSurveySchema,
    'OUT-11 (advanced): the satisfaction survey a customer hears when the agent hangs up first on a call the agent placed; the key pressed goes into the record. null = no survey',
  ),
} as const;

/** A declared setting key. */
export type SettingKey = keyof typeof TENANT_SETTINGS;
export const SETTING_KEYS = Object.keys(TENANT_SETTINGS) as SettingKey[];

/** A tenant's effective settings, every key typed and defaulted. */
export type TenantSettings = { [K in SettingKey]: ReturnType<(typeof TENANT_SETTINGS)[K]['read']> };

/** A tenant's `settings` document as stored. */
export type StoredSettings = Record<string, unknown> | null | undefined;

/** Settings whose effective value does not depend on the server's configuration. */
export type PlainSettingKey = Exclude<SettingKey, 'agent'>;

/**
 * The typed getter of one setting. `defaults` may be left out for keys whose default is fixed
 * (every key but `agent`), so a reader with only the tenant row at hand needs no config.
 */
export function readSetting<K extends PlainSettingKey>(stored: StoredSettings, key: K): TenantSettings[K];
export function readSetting<K extends SettingKey>(
  stored: StoredSettings,
  key: K,
  defaults: SettingsDefaults,
): TenantSettings[K];
export function readSetting<K extends SettingKey>(
  stored: StoredSettings,
  key: K,
  defaults?: SettingsDefaults,
): TenantSettings[K] {
  if (key === 'agent' && !defaults) throw new Error('readSetting(…, "agent") needs the server defaults');
  return TENANT_SETTINGS[key].read(stored?.[key], defaults as SettingsDefaults) as TenantSettings[K];
}

/** Every setting of a tenant, typed and defaulted. */
export function readTenantSettings(stored: StoredSettings, defaults: SettingsDefaults): TenantSettings {
  const out = {} as Record<SettingKey, unknown>;
  for (const key of SETTING_KEYS) out[key] = readSetting(stored, key, defaults);
  return out as TenantSettings;
}

/**
 * A partial write: each declared key may be sent with a value or `null` (back to its default);
 * any other key is refused (`validation_failed`, naming the nearest valid key).
 */
export const tenantSettingsPatchSchema = z
  .object({
    numberProtection: TENANT_SETTINGS.numberProtection.schema
      .nullable()
      .optional()
      .meta({ description: TENANT_SETTINGS.numberProtection.description }),
    timezone: TENANT_SETTINGS.timezone.schema
      .nullable()
      .optional()
      .meta({ description: TENANT_SETTINGS.timezone.description }),
    holdMusicUrl: TENANT_SETTINGS.holdMusicUrl.schema
      .nullable()
      .optional()
      .meta({ description: TENANT_SETTINGS.holdMusicUrl.description }),
    tts: TENANT_SETTINGS.tts.schema.nullable().optional().meta({ description: TENANT_SETTINGS.tts.description }),
    agent: TENANT_SETTINGS.agent.schema
      .nullable()
      .optional()
      .meta({ description: `${TENANT_SETTINGS.agent.description}. Fields sent replace those stored; null resets all` }),
    allowPrivateUrls: TENANT_SETTINGS.allowPrivateUrls.schema
      .nullable()
      .optional()
      .meta({ description: TENANT_SETTINGS.allowPrivateUrls.description }),
    sdkOrigins: TENANT_SETTINGS.sdkOrigins.schema
      .nullable()
      .optional()
      .meta({ description: `${TENANT_SETTINGS.sdkOrigins.description}. Replaces the whole list` }),
    calendars: TENANT_SETTINGS.calendars.schema
      .nullable()
      .optional()
      .meta({ description: `${TENANT_SETTINGS.calendars.description}. Replaces the whole list` }),
    outboundSurvey: TENANT_SETTINGS.outboundSurvey.schema
      .nullable()
      .optional()
      .meta({ description: `${TENANT_SETTINGS.outboundSurvey.description}. Replaces the whole template` }),
  })
  .strict()
  .meta({
    id: 'TenantSettingsPatch',
    description: 'Settings to change; keys left out keep their value, null puts a key back to its default',
  });
export type TenantSettingsPatch = z.output<typeof tenantSettingsPatchSchema>;

/** The effective settings as the API shows them. */
export const tenantSettingsSchema = z
  .object({
    numberProtection: TENANT_SETTINGS.numberProtection.view.meta({
      description: TENANT_SETTINGS.numberProtection.description,
    }),
    timezone: TENANT_SETTINGS.timezone.view.meta({ description: TENANT_SETTINGS.timezone.description }),
    holdMusicUrl: TENANT_SETTINGS.holdMusicUrl.view.meta({ description: TENANT_SETTINGS.holdMusicUrl.description }),
    tts: TENANT_SETTINGS.tts.view.meta({ description: TENANT_SETTINGS.tts.description }),
    agent: TENANT_SETTINGS.agent.view.meta({ description: TENANT_SETTINGS.agent.description }),
    allowPrivateUrls: TENANT_SETTINGS.allowPrivateUrls.view.meta({
      description: TENANT_SETTINGS.allowPrivateUrls.description,
    }),
    sdkOrigins: TENANT_SETTINGS.sdkOrigins.view.meta({ description: TENANT_SETTINGS.sdkOrigins.description }),
    calendars: TENANT_SETTINGS.calendars.view.meta({ description: TENANT_SETTINGS.calendars.description }),
    outboundSurvey: TENANT_SETTINGS.outboundSurvey.view.meta({
      description: TENANT_SETTINGS.outboundSurvey.description,
    }),
  })
  .meta({ id: 'TenantSettings', description: 'Every tenant setting with its effective value (defaults filled in)' });

/** Something wrong with what a tenant has stored (rows written before the registry). */
export interface SettingProblem {
  key: string;
  problem: 'unknown' | 'invalid';
  message: string;
  /** For an unknown key: the declared key it most likely meant. */
  suggestion?: string;
}

/**
 * What in a stored document the registry does not accept: unknown keys (kept, ignored by every
 * reader) and declared keys whose value is malformed (read as the default). Shown to admins so
 * they can fix or delete them.
 */
export function settingsProblems(stored: StoredSettings): SettingProblem[] {
  const out: SettingProblem[] = [];
  for (const [key, value] of Object.entries(stored ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    if (!(key in TENANT_SETTINGS)) {
      const suggestion = nearestName(key, SETTING_KEYS);
      out.push({
        key,
        problem: 'unknown',
        message: `"${key}" is not a setting and is ignored${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
        ...(suggestion ? { suggestion } : {}),
      });
      continue;
    }
    const r = TENANT_SETTINGS[key as SettingKey].schema.safeParse(value);
    if (!r.success) {
      const first = r.error.issues[0];
      out.push({
        key,
        problem: 'invalid',
        message: `the stored value is not valid (${[key, ...(first?.path ?? [])].join('.')}: ${first?.message}); the default is used`,
      });
    }
  }
  return out;
}
