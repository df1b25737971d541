import { validRange } from 'semver';
import { z } from 'zod';
import { isHookName } from './policies.js';
import { uiContributionsSchema, type UiContributions } from './ui-contributions.js';
import type {
  PluginCoreServiceName,
  PluginCoreServices,
  PluginDefinition,
  PluginFactory,
  PluginSpec,
} from './types.js';

/**
 * The core services a plugin may list in `deps` (see {@link PluginCoreServices}): the host's
 * allow-list. Raw database access, auth keys, secrets and configuration are deliberately not on it.
 */
export const PLUGIN_CORE_SERVICES = Object.freeze([
  'logger',
  'metrics',
  'clock',
  'bus',
  'jobs',
  'recordingStorage',
  'recordingArchive',
  'pluginRecords',
  'pluginCalls',
] as const satisfies readonly PluginCoreServiceName[]);

// Compile-time check that the list and the interface name the same services.
type MissingCoreService = Exclude<PluginCoreServiceName, (typeof PLUGIN_CORE_SERVICES)[number]>;
const _everyCoreServiceListed: [MissingCoreService] extends [never] ? true : MissingCoreService = true;
void _everyCoreServiceListed;
export type { PluginCoreServices };

/** A plugin id: kebab-case, starting with a letter. */
export const PLUGIN_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Names no plugin may take: they are paths of core's own plugin API (`GET /api/v1/plugins/ui`
 * would shadow a plugin's `GET /api/v1/plugins/<name>`).
 */
export const RESERVED_PLUGIN_NAMES: ReadonlySet<string> = new Set(['ui']);

// Semver 2.0 core with optional pre-release and build parts; no leading `v`.
const VERSION_PATTERN = /^\d+\.\d+\.\d+(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/**
 * The camel-case form of a plugin id: the prefix of every DI key the plugin may register.
 *
 * @example
 * pluginKeyPrefix('crm-screen-pop') // 'crmScreenPop'
 */
export function pluginKeyPrefix(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Declares a plugin. Returns a factory: call it with the plugin's options to enable it in
 * `plugins.config.ts`. The options are typed by the `config` schema's input, and every hook
 * handler sees `ctx.config` typed by its output (defaults applied).
 *
 * Mistakes that do not depend on configuration (a bad name or version, an unknown hook) throw
 * here, at import time, rather than at boot.
 *
 * @example
 * export const crmScreenPopPlugin = definePlugin({
 *   name: 'crm-screen-pop',
 *   version: '1.0.0',
 *   config: z.object({ baseUrl: z.url(), timeoutMs: z.number().default(800) }),
 *   onBootFailure: 'continue',
 *   deps: ['logger'],
 *   register: ({ container, config }) =>
 *     container.register({ crmScreenPopClient: asValue(new CrmClient(config.baseUrl)) }),
 *   hooks: {
 *     'call.incoming': {
 *       order: 'post',
 *       handler: async (payload, ctx) => ({ annotations: { crmCard: await lookup(payload.from, ctx.signal) } }),
 *     },
 *   },
 *   routes: (router) => {
 *     // Signed-in users only (ctx.state.user); `{ public: true }` opts a route out.
 *     router.get('/card/:customerId', async (ctx) => { ctx.body = await cardFor(ctx.params.customerId) })
 *   },
 * })
 * // plugins.config.ts
 * defineConfig({ plugins: [crmScreenPopPlugin({ baseUrl: 'https://crm.example.com' })] })
 */
export function definePlugin<
  TSchema extends z.ZodType,
  TDeps extends Record<string, unknown> = Record<string, unknown>,
  const TCore extends PluginCoreServiceName = never,
  TTenant extends z.ZodType = z.ZodUndefined,
>(def: PluginDefinition<TSchema, TDeps, TCore, TTenant>): PluginFactory<TSchema> {
  if (typeof def.name !== 'string' || !PLUGIN_NAME_PATTERN.test(def.name)) {
    throw new TypeError(
      `definePlugin: name "${String(def.name)}" is not a kebab-case id (${PLUGIN_NAME_PATTERN.source})`,
    );
  }
  if (RESERVED_PLUGIN_NAMES.has(def.name)) {
    throw new TypeError(
      `definePlugin: the name "${def.name}" is reserved by core (${[...RESERVED_PLUGIN_NAMES].join(', ')})`,
    );
  }
  if (typeof def.version !== 'string' || !VERSION_PATTERN.test(def.version)) {
    throw new TypeError(`definePlugin: plugin "${def.name}" version "${String(def.version)}" is not semver (x.y.z)`);
  }
  if (!def.config || typeof (def.config as { safeParseAsync?: unknown }).safeParseAsync !== 'function') {
    throw new TypeError(`definePlugin: plugin "${def.name}" needs a zod schema as config (z.object({}) for none)`);
  }
  for (const hook of Object.keys(def.hooks ?? {})) {
    if (!isHookName(hook)) throw new TypeError(`definePlugin: plugin "${def.name}" has an unknown hook "${hook}"`);
  }
  for (const dep of def.dependsOn ?? []) {
    if (!PLUGIN_NAME_PATTERN.test(dep)) {
      throw new TypeError(`definePlugin: plugin "${def.name}" depends on "${dep}", which is not a plugin id`);
    }
    if (dep === def.name) throw new TypeError(`definePlugin: plugin "${def.name}" depends on itself`);
  }
  for (const dep of (def.deps ?? []) as readonly string[]) {
    if (!(PLUGIN_CORE_SERVICES as readonly string[]).includes(dep)) {
      throw new TypeError(
        `definePlugin: plugin "${def.name}" lists "${dep}" in deps, which is not a core service plugins may use ` +
          `(${PLUGIN_CORE_SERVICES.join(', ')})`,
      );
    }
  }
  if (def.tenantSettings !== undefined && !(def.tenantSettings instanceof z.ZodObject)) {
    throw new TypeError(
      `definePlugin: plugin "${def.name}" tenantSettings must be a zod object schema (z.object({...}))`,
    );
  }
  for (const key of def.tenantSettings ? secretSettingKeys(def.tenantSettings as z.ZodObject) : []) {
    const field = (def.tenantSettings as z.ZodObject).shape[key] as z.ZodType;
    if (!isStringSchema(field)) {
      throw new TypeError(`definePlugin: plugin "${def.name}" secret setting "${key}" must be a string schema`);
    }
  }
  if (def.coreVersion !== undefined && (typeof def.coreVersion !== 'string' || validRange(def.coreVersion) === null)) {
    throw new TypeError(
      `definePlugin: plugin "${def.name}" coreVersion "${String(def.coreVersion)}" is not a semver range (e.g. ^0.1.0)`,
    );
  }
  if (def.edition !== undefined && def.edition !== 'advanced') {
    throw new TypeError(`definePlugin: plugin "${def.name}" edition must be 'advanced' when set`);
  }
  if (def.onBootFailure !== undefined && def.onBootFailure !== 'abort' && def.onBootFailure !== 'continue') {
    throw new TypeError(`definePlugin: plugin "${def.name}" onBootFailure must be 'abort' or 'continue'`);
  }

  let ui: UiContributions | undefined;
  if (def.ui !== undefined) {
    const parsed = uiContributionsSchema.safeParse(def.ui);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new TypeError(
        `definePlugin: plugin "${def.name}" ui.${first?.path.join('.') ?? ''}: ${first?.message ?? 'invalid'}`,
      );
    }
    ui = parsed.data;
  }

  // Frozen so a spec shared between two hosts (tests) cannot be altered by either.
  const definition = Object.freeze({ ...def, ...(ui ? { ui } : {}) });
  const factory = (options: z.input<TSchema>): PluginSpec => ({ definition, options });
  Object.defineProperty(factory, 'definition', { value: definition, enumerable: true });
  return factory as PluginFactory<TSchema>;
}

/**
 * Marks a field of a plugin's `tenantSettings` as secret (an API key, a corp secret): the admin
 * API never sends it back (it says only whether one is set), and it is stored encrypted.
 * Secret fields must be strings at the top level of the schema.
 *
 * @example
 * tenantSettings: z.object({ corpId: z.string(), corpSecret: secretSetting(z.string().min(1)) })
 */
export function secretSetting<T extends z.ZodType>(schema: T): T {
  return schema.meta({ ...(schema.meta() ?? {}), secret: true, writeOnly: true }) as T;
}

/** The keys of a `tenantSettings` schema marked with {@link secretSetting}. */
export function secretSettingKeys(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape as Record<string, z.ZodType>)
    .filter(([, field]) => isSecret(field))
    .map(([key]) => key);
}

function isSecret(field: z.ZodType): boolean {
  if ((field.meta() as { secret?: unknown } | undefined)?.secret === true) return true;
  // `.optional()` / `.default()` wrap the marked schema: look inside.
  const inner = (field as unknown as { unwrap?: () => z.ZodType }).unwrap?.();
  return inner !== undefined && inner !== field && isSecret(inner);
}

function isStringSchema(field: z.ZodType): boolean {
  if (field instanceof z.ZodString) return true;
  const inner = (field as unknown as { unwrap?: () => z.ZodType }).unwrap?.();
  return inner !== undefined && inner !== field && isStringSchema(inner);
}
