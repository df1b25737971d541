import { z } from 'zod';
import { createError } from '../../errors/registry.js';
import { singleLine } from '../../http/text.js';
import { isTimeZone } from '../tenants/time-zone.js';

/** Rest reasons (小休) a tenant starts with until an admin sets its own list. */
export const DEFAULT_REST_REASONS = ['Meal', 'Meeting', 'Training'] as const;

/** OUT-12/13: what a remembered customer's call does when their agent is not free. */
export const OUTBOUND_MEMORY_FALLBACKS = ['wait', 'ivr'] as const;

/** States an agent may enter on login (AGT-02: idle or 示忙). */
export const LOGIN_STATES = ['idle', 'notReady'] as const;

const restReasonSchema = singleLine(50);

/**
 * The agent settings as written (tenant setting `agent`, ADR 0011): every field optional, unknown
 * fields refused. `wrapUpSeconds: null` goes back to the server default.
 */
export const agentSettingsFields = z
  .object({
    restReasons: z
      .array(restReasonSchema)
      .max(30)
      .refine((a) => new Set(a).size === a.length, 'rest reasons must be unique')
      .optional()
      .meta({ description: 'Reasons an agent may pick for rest (小休); at most 30, unique' }),
    defaultLoginState: z
      .enum(LOGIN_STATES)
      .optional()
      .meta({ description: 'State an agent enters on signing in to take calls (AGT-02): idle or notReady (示忙)' }),
    wrapUpSeconds: z.number().int().min(0).max(3600).nullable().optional().meta({
      description: 'After-call work (话后整理) in seconds, 0–3600; 0 = straight back to idle; null = server default',
    }),
    wrapUpAutoEnd: z
      .boolean()
      .optional()
      .meta({ description: 'End wrap-up by itself after wrapUpSeconds (RT-06); false = the agent ends it (CTL-06)' }),
    lastAgentFirst: z
      .boolean()
      .optional()
      .meta({ description: 'Offer a caller to the agent who served their last call (RT-04)' }),
    preferredAgentWaitSeconds: z
      .number()
      .int()
      .min(0)
      .max(600)
      .optional()
      .meta({ description: 'IVR-21: seconds a caller waits for a busy preferred agent, 0–600' }),
    outboundMemoryDays: z.number().int().min(0).max(30).optional().meta({
      description:
        'OUT-12: a customer who calls back within this many days of an agent calling them skips the IVR and goes to that agent; 0 = off',
    }),
    outboundMemoryFallback: z.enum(OUTBOUND_MEMORY_FALLBACKS).optional().meta({
      description:
        'When that agent is not free: `wait` for them (the preferred-agent wait, then their group); `ivr` (advanced edition, OUT-13): the number’s IVR instead',
    }),
  })
  .strict();

/**
 * What an admin may change, as sent to `PUT /settings/agent`. Every field is optional: fields
 * left out keep their value. `wrapUpSeconds: null` goes back to the server default.
 */
export const agentSettingsPatchSchema = agentSettingsFields
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'send at least one setting')
  .meta({ id: 'AgentSettingsPatch' });
export type AgentSettingsPatch = z.output<typeof agentSettingsPatchSchema>;

/** The effective agent settings of a tenant (defaults filled in). */
export const agentSettingsSchema = z
  .object({
    restReasons: z.array(z.string()).meta({ description: 'Reasons an agent may pick for rest (小休)' }),
    defaultLoginState: z.enum(LOGIN_STATES).meta({ description: 'State an agent enters on login (AGT-02)' }),
    wrapUpSeconds: z.number().int().meta({
      description: 'After-call work (话后整理) length; 0 = straight back to idle. Server default unless overridden',
    }),
    wrapUpAutoEnd: z.boolean().meta({
      description: 'End wrap-up automatically after wrapUpSeconds (RT-06); false = only the agent ends it (CTL-06)',
    }),
    lastAgentFirst: z.boolean().meta({ description: 'Offer a caller to the agent who served their last call (RT-04)' }),
    preferredAgentWaitSeconds: z.number().int().meta({
      description:
        'IVR-21: how long a caller waits for a busy preferred agent before any agent of the group may take the call (0 = no wait)',
    }),
    outboundMemoryDays: z.number().int().meta({
      description:
        'OUT-12: a customer who calls back within this many days of an agent calling them skips the IVR and goes to that agent (0 = off)',
    }),
    outboundMemoryFallback: z.enum(OUTBOUND_MEMORY_FALLBACKS).meta({
      description:
        'OUT-12/13: when that agent is not free, `wait` for them (then their group) or go to the number’s `ivr` (advanced edition)',
    }),
  })
  .meta({ id: 'AgentSettings' });
export type AgentSettings = z.output<typeof agentSettingsSchema>;

/** Key of the agent settings inside the tenant's `settings` jsonb. */
export const AGENT_SETTINGS_KEY = 'agent';

/**
 * Reads the agent settings out of a tenant's settings. Lenient on purpose: rows written before
 * settings were typed (ADR 0011) may hold anything, so a bad value falls back to its default
 * instead of breaking routing.
 */
export function agentSettingsOf(
  tenantSettings: Record<string, unknown> | null | undefined,
  defaults: { wrapUpSeconds: number },
): AgentSettings {
  const raw = tenantSettings?.[AGENT_SETTINGS_KEY];
  const stored = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const pick = <T>(key: string, schema: z.ZodType<T>, fallback: T): T => {
    const r = schema.safeParse(stored[key]);
    return r.success && r.data !== undefined && r.data !== null ? r.data : fallback;
  };
  return {
    restReasons: pick('restReasons', z.array(restReasonSchema), [...DEFAULT_REST_REASONS]),
    defaultLoginState: pick('defaultLoginState', z.enum(LOGIN_STATES), 'idle'),
    wrapUpSeconds: pick('wrapUpSeconds', z.number().int().min(0).max(3600), defaults.wrapUpSeconds),
    wrapUpAutoEnd: pick('wrapUpAutoEnd', z.boolean(), true),
    lastAgentFirst: pick('lastAgentFirst', z.boolean(), true),
    preferredAgentWaitSeconds: pick('preferredAgentWaitSeconds', z.number().int().min(0).max(600), 20),
    outboundMemoryDays: pick('outboundMemoryDays', z.number().int().min(0).max(30), 0),
    outboundMemoryFallback: pick('outboundMemoryFallback', z.enum(OUTBOUND_MEMORY_FALLBACKS), 'wait'),
  };
}

/**
 * Refuses agent settings of the advanced edition for a standard tenant (`403 edition_required`):
 * sending a remembered caller to the IVR when their agent is not free (OUT-13). Both ways of
 * writing the settings (`PUT /settings/agent`, `PATCH /tenant/settings`) check it.
 */
export function assertAgentSettingsEdition(
  edition: string | undefined,
  patch: { outboundMemoryFallback?: string | null | undefined } | null | undefined,
): void {
  if (patch?.outboundMemoryFallback === 'ivr' && edition !== 'advanced')
    throw createError('edition_required', 'Sending a remembered caller to the IVR needs the advanced edition', {
      details: { feature: 'OUT-13', field: 'outboundMemoryFallback' },
    });
}

/**
 * The tenant's time zone (`settings.timezone`, IANA name) for "today" in routing (RT-02);
 * UTC when unset or unknown.
 */
export function tenantTimeZone(tenantSettings: Record<string, unknown> | null | undefined): string {
  const tz = tenantSettings?.timezone;
  return typeof tz === 'string' && tz && isTimeZone(tz) ? tz : 'UTC';
}
