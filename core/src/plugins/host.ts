import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import Router from '@koa/router';
import { InjectionMode, Lifetime, asValue, createContainer, type AwilixContainer, type Resolver } from 'awilix';
import type { Context } from 'koa';
import type { Logger } from 'pino';
import { satisfies } from 'semver';
import type { z } from 'zod';
import { type AppError, type ErrorCode, createError, isAppError } from '../errors/registry.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Metrics } from '../metrics.js';
import type { Principal } from '../modules/auth/principal.js';
import { checkAnnotations } from './annotations.js';
import { PLUGIN_CORE_SERVICES, pluginKeyPrefix } from './define-plugin.js';
import type { PluginScoped } from '../modules/plugin-records/store.js';
import {
  HOOK_NAMES,
  HOOK_POLICIES,
  type HookEmitResults,
  type HookPolicy,
  type HookPolicyOverrides,
} from './policies.js';
import type {
  HookContext,
  HookHandler,
  HookHandlerObject,
  HookName,
  PluginDefinition,
  PluginHooks,
  PluginRouteHandler,
  PluginRouteOptions,
  PluginRouter,
  PluginSetupContext,
  PluginSpec,
  PluginStatus,
} from './types.js';

/** A tenant's stored state of one plugin, as {@link PluginTenantSource} reads it. */
export interface PluginTenantRecord {
  edition: 'standard' | 'advanced';
  /** The tenant's row for the plugin, if its admin ever saved one: secrets already decrypted. */
  stored?: { enabled: boolean; settings: Record<string, unknown> };
}

/** Where the host reads tenants' plugin settings (the plugin-settings module; a map in tests). */
export interface PluginTenantSource {
  /** Should be fast (cached): it runs before every handler of a tenant's event. */
  read(tenantId: string, plugin: string): Promise<PluginTenantRecord | undefined>;
}

/** Whether a plugin runs for a tenant, and with which settings. */
export type PluginTenantGate =
  | { on: true; settings: unknown }
  | { on: false; why: 'not_enabled' | 'edition' | 'settings_invalid' | 'unknown_tenant' | 'source_failed' };

/**
 * Decides whether a plugin serves a tenant (DESIGN "Per-tenant settings"): a plugin with
 * `tenantSettings` only once the tenant's admin turned it on with settings that pass its schema;
 * one without, unless the admin turned it off; an `edition: 'advanced'` plugin never for a
 * standard tenant.
 */
export async function gatePluginForTenant(
  def: PluginSpec['definition'],
  record: PluginTenantRecord | undefined,
): Promise<PluginTenantGate> {
  const schema = def.tenantSettings as z.ZodObject | undefined;
  if (!record) return schema || def.edition ? { on: false, why: 'unknown_tenant' } : { on: true, settings: undefined };
  if (def.edition === 'advanced' && record.edition !== 'advanced') return { on: false, why: 'edition' };
  const enabled = record.stored?.enabled ?? !schema;
  if (!enabled) return { on: false, why: 'not_enabled' };
  if (!schema) return { on: true, settings: undefined };
  const parsed = await schema.safeParseAsync(record.stored?.settings ?? {});
  return parsed.success ? { on: true, settings: Object.freeze(parsed.data) } : { on: false, why: 'settings_invalid' };
}

/** This core's version (`@switchboard/core`'s package.json), which `coreVersion` ranges are checked against. */
export const CORE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** Options of {@link PluginHost}. */
export interface PluginHostOptions {
  /** Configured plugins, in configuration order (the host sorts them by `dependsOn`). */
  specs: readonly PluginSpec[];
  logger: Logger;
  metrics: Metrics;
  /** The root container (awilix strict mode); each plugin gets a child scope of it. */
  container: AwilixContainer;
  /** Where durable hooks go. Without it they run inline, awaited by `emit`. */
  jobs?: JobQueue;
  /** Lower (or raise) budgets per hook; meant for tests. */
  policyOverrides?: HookPolicyOverrides;
  /**
   * Tries a durable hook gets when it runs inline (no {@link PluginHostOptions.jobs}).
   * Default 1: without a queue there is nowhere to wait for a backoff.
   */
  inlineDurableAttempts?: number;
  /** Longest {@link PluginHost.drain} waits for in-flight handlers, in ms. Default 15000. */
  drainTimeoutMs?: number;
  /**
   * Longest a plugin's `register`, and then its `routes`, may take, in ms. Default 10000. A
   * plugin past it fails to boot (per its `onBootFailure`), with a reason naming the step.
   */
  bootTimeoutMs?: number;
  /**
   * Who is calling a plugin route: the core API's authentication (access token or API key).
   * Resolves undefined for an anonymous request and throws `invalid_token` for a bad one.
   * Without it, every non-public plugin route answers 401.
   */
  authenticate?: (ctx: Context) => Promise<Principal | undefined>;
  /**
   * Tests: values put in a plugin's own container after its `register`, for keys with that
   * plugin's prefix (e.g. a fake `crmScreenPopApi` in place of the real client).
   */
  pluginOverrides?: Record<string, unknown>;
  /**
   * Tenants' plugin settings. Without it, plugins with `tenantSettings` or an edition never run
   * (no tenant can have turned them on) and the others run for every tenant.
   */
  tenantSource?: PluginTenantSource;
  /** The core version `coreVersion` ranges are checked against. Default {@link CORE_VERSION}. */
  coreVersion?: string;
}

/** Default of {@link PluginHostOptions.bootTimeoutMs}. */
export const DEFAULT_PLUGIN_BOOT_TIMEOUT_MS = 10_000;

/** The payload type of a hook. */
export type HookPayload<K extends HookName> = Parameters<PluginHooks[K]>[0];

/** What a durable hook's job carries. */
export interface DurableHookJobData {
  plugin: string;
  hook: HookName;
  payload: unknown;
}

/** The job-queue name of one plugin's durable hook: each plugin retries on its own. */
export function durableQueueName(plugin: string, hook: HookName): string {
  return `plugin.${plugin}.${hook}`;
}

type AnyDefinition = PluginSpec['definition'];
type AnyHandler = (payload: unknown, ctx: HookContext) => unknown;

interface BootedPlugin {
  name: string;
  definition: AnyDefinition;
  status: PluginStatus;
  config?: unknown;
  scope?: AwilixContainer;
  /** DI keys the plugin registered, so dependents can see them. */
  keys: Set<string>;
  router?: Router;
  /** Set when boot gave up on the plugin: a late `register` may not add keys any more. */
  abandoned?: boolean;
  /** What its handlers see as `ctx.deps`. */
  deps?: Record<string, unknown>;
}

interface HandlerEntry {
  plugin: BootedPlugin;
  hook: HookName;
  handler: AnyHandler;
  order: 'pre' | 'post' | undefined;
  /** The handler's own budget (already capped by the policy's). */
  timeoutMs: number;
  logger: Logger;
}

type RunResult =
  | { outcome: 'ok'; value: unknown; durationMs: number }
  /** The plugin is off for the event's tenant: nothing ran, nothing failed. */
  | { outcome: 'off'; durationMs: number }
  | { outcome: 'error' | 'timeout'; error: unknown; durationMs: number };

const TIMED_OUT = Symbol('timed out');
const OFF_FOR_TENANT = Symbol('off for tenant');
const ORDER_RANK = { pre: 0, none: 1, post: 2 } as const;
/** Below this much of a sequential hook's total budget, the remaining handlers are skipped. */
const MIN_HANDLER_MS = 5;
/** How long past its deadline a running handler is still waited for by `drain()`, at least. */
const ABANDON_GRACE_MS = 5000;

/** A boot step failed; `reason` is what the status table shows. */
class BootFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly reason: string,
    readonly failureCause?: unknown,
    readonly details?: unknown,
  ) {
    super(reason);
  }
}

/**
 * Boots plugins and runs their hooks under the host's policies ({@link HOOK_POLICIES}).
 *
 * Guarantees: handlers run in `pre` / unordered / `post` groups, each in dependency order;
 * every handler runs under a timeout (its `ctx.signal` aborts at the deadline, and the host
 * stops waiting even if the handler ignores it) and inside try/catch; a failure is logged,
 * counted in `metrics.pluginHookFailures` and never reaches the caller of {@link PluginHost.emit}.
 *
 * @example
 * const host = new PluginHost({ specs: config.plugins, logger, metrics, container, jobs })
 * await host.boot()
 * logger.info('\n' + host.statusTable())
 * for (const r of host.routers()) app.use(r.routes())
 * await host.startWorkers()
 * const { annotations } = await host.emit('call.incoming', payload)
 */
export class PluginHost {
  private readonly logger: Logger;
  private readonly metrics: Metrics;
  private readonly container: AwilixContainer;
  private readonly jobs: JobQueue | undefined;
  private readonly specs: readonly PluginSpec[];
  private readonly overrides: HookPolicyOverrides;
  private readonly inlineAttempts: number;
  private readonly drainTimeoutMs: number;
  private readonly bootTimeoutMs: number;
  private readonly authenticate: PluginHostOptions['authenticate'];
  private readonly pluginOverrides: Record<string, unknown>;
  private readonly tenantSource: PluginTenantSource | undefined;
  private readonly coreVersion: string;

  /** Plugins by name, in boot (dependency) order once booted. */
  private readonly plugins = new Map<string, BootedPlugin>();
  private readonly handlers = new Map<HookName, HandlerEntry[]>();
  /** Handlers still running, including ones the host stopped waiting for. */
  private readonly inFlight = new Set<Promise<unknown>>();
  private state: 'new' | 'booting' | 'booted' = 'new';
  private workersStarted = false;

  constructor(opts: PluginHostOptions) {
    this.specs = opts.specs;
    this.logger = opts.logger;
    this.metrics = opts.metrics;
    this.container = opts.container;
    this.jobs = opts.jobs;
    this.overrides = opts.policyOverrides ?? {};
    this.inlineAttempts = Math.max(1, opts.inlineDurableAttempts ?? 1);
    this.drainTimeoutMs = opts.drainTimeoutMs ?? 15_000;
    this.bootTimeoutMs = opts.bootTimeoutMs ?? DEFAULT_PLUGIN_BOOT_TIMEOUT_MS;
    this.authenticate = opts.authenticate;
    this.pluginOverrides = opts.pluginOverrides ?? {};
    this.tenantSource = opts.tenantSource;
    this.coreVersion = opts.coreVersion ?? CORE_VERSION;
  }

  /** The definition of a configured plugin (booted or not), by name. */
  definition(name: string): PluginSpec['definition'] | undefined {
    return this.specs.find((s) => s.definition.name === name)?.definition;
  }

  /**
   * Whether a plugin serves a tenant now, and with which settings (see
   * {@link gatePluginForTenant}). A failing source keeps plugins with per-tenant settings off
   * and the others on, as without a source.
   */
  async tenantGate(name: string, tenantId: string): Promise<PluginTenantGate> {
    const def = this.definition(name);
    if (!def) return { on: false, why: 'not_enabled' };
    if (!this.tenantSource) return gatePluginForTenant(def, undefined);
    try {
      return await gatePluginForTenant(def, await this.tenantSource.read(tenantId, name));
    } catch (err) {
      this.logger.error({ plugin: name, tenantId, err }, 'reading a tenant’s plugin settings failed');
      return def.tenantSettings || def.edition
        ? { on: false, why: 'source_failed' }
        : { on: true, settings: undefined };
    }
  }

  /**
   * Validates, orders and starts every plugin. Duplicate names, unknown dependencies and
   * dependency cycles always throw. A plugin that fails to start (bad options, `register` or
   * `routes` throws, a key outside its DI scope, a failed dependency) throws when its
   * `onBootFailure` is `abort` (the default) and is marked failed when it is `continue`.
   *
   * @returns the status of every plugin, in configuration order.
   */
  async boot(): Promise<PluginStatus[]> {
    if (this.state !== 'new') throw new Error('PluginHost.boot() can only run once');
    this.state = 'booting';

    const enabled = this.specs.filter((s) => s.enabled !== false);
    const seen = new Set<string>();
    for (const spec of this.specs) {
      const name = spec.definition.name;
      if (seen.has(name)) throw createError('plugin_boot_failed', `plugin "${name}" is listed twice`);
      seen.add(name);
    }
    for (const spec of enabled) {
      for (const dep of spec.definition.dependsOn ?? []) {
        if (!seen.has(dep)) {
          throw createError(
            'plugin_dependency_missing',
            `plugin "${spec.definition.name}" depends on "${dep}", which is not configured`,
          );
        }
      }
    }

    for (const spec of sortByDependencies(enabled)) await this.bootOne(spec);
    for (const spec of this.specs) {
      if (spec.enabled !== false) continue;
      this.plugins.set(spec.definition.name, {
        name: spec.definition.name,
        definition: spec.definition,
        status: { ...baseStatus(spec.definition), status: 'disabled', bootMs: 0 },
        keys: new Set(),
      });
    }
    this.buildHandlerTable();
    this.state = 'booted';
    const statuses = this.statuses();
    this.logger.info(
      { plugins: statuses.map((s) => ({ name: s.name, status: s.status, reason: s.reason })) },
      'plugins booted',
    );
    return statuses;
  }

  /** Status of every plugin, in configuration order. */
  statuses(): PluginStatus[] {
    return this.specs
      .map((s) => this.plugins.get(s.definition.name)?.status)
      .filter((s): s is PluginStatus => s !== undefined)
      .map((s) => ({ ...s, hooks: [...s.hooks] }));
  }

  /**
   * The start-up table: plugin, version, hooks, status (`ok` / `failed: reason` / `disabled`)
   * and boot time, in fixed-width columns.
   */
  statusTable(): string {
    const rows = this.statuses().map((s) => [
      s.name,
      s.version,
      s.hooks.length ? s.hooks.join(', ') : '-',
      s.status === 'failed' ? `failed: ${s.reason ?? 'unknown'}` : s.status,
      String(Math.round(s.bootMs)),
    ]);
    const header = ['plugin', 'version', 'hooks', 'status', 'boot ms'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
    const line = (cells: string[]): string =>
      cells
        .map((c, i) => (i === cells.length - 1 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd();
    return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
  }

  /** One router per healthy plugin with `routes`, prefixed `/plugins/<name>`. */
  routers(): Router[] {
    const out: Router[] = [];
    for (const p of this.plugins.values()) if (p.status.status === 'ok' && p.router) out.push(p.router);
    return out;
  }

  /**
   * Runs a hook's handlers according to its policy. Never rejects because of a plugin: failures
   * and timeouts are logged and counted. Resolves to merged `annotations` for `call.incoming`,
   * the first answer for `ivr.http`, and nothing for the others. For a durable hook it resolves
   * once one job per plugin is queued; it rejects (`plugin_hook_failed`) only if the queue
   * itself refuses a job, so a durable caller can retry instead of losing the event.
   */
  async emit<K extends HookName>(hook: K, payload: HookPayload<K>): Promise<HookEmitResults[K]> {
    if (this.state !== 'booted') throw new Error(`PluginHost.emit('${hook}') before boot() finished`);
    const policy = this.policy(hook);
    const entries = this.handlers.get(hook) ?? [];
    const frozen = freezePayload(payload);
    switch (policy.mode) {
      case 'sequential':
        return (await this.runSequential(entries, frozen, policy)) as HookEmitResults[K];
      case 'first':
        return (await this.runFirst(entries, frozen)) as HookEmitResults[K];
      case 'parallel':
        await Promise.all(entries.map((e) => this.runHandler(e, frozen, e.timeoutMs, 1)));
        return undefined as HookEmitResults[K];
      case 'durable':
        await (this.jobs ? this.enqueue(this.jobs, entries, frozen) : this.runInline(entries, frozen));
        return undefined as HookEmitResults[K];
    }
  }

  /**
   * Starts one job-queue worker per healthy plugin and durable hook. A failed or timed-out
   * attempt is logged and counted, then rethrown so the queue retries it with backoff.
   * Without a job queue this does nothing (durable hooks run inline).
   */
  async startWorkers(): Promise<void> {
    if (this.state !== 'booted') throw new Error('PluginHost.startWorkers() before boot() finished');
    const jobs = this.jobs;
    if (!jobs || this.workersStarted) return;
    this.workersStarted = true;
    for (const [hook, entries] of this.handlers) {
      if (this.policy(hook).mode !== 'durable') continue;
      for (const entry of entries) {
        await jobs.work<DurableHookJobData>(durableQueueName(entry.plugin.name, hook), async (job) => {
          const attempt = job.retryCount + 1;
          const result = await this.runHandler(entry, freezePayload(job.data.payload), entry.timeoutMs, attempt);
          if (result.outcome === 'error' || result.outcome === 'timeout') throw result.error;
        });
      }
    }
  }

  /**
   * Waits for running handlers — also those past their deadline that ignored the abort signal —
   * for at most `timeoutMs` (default from the constructor). Call it on shutdown, after the
   * HTTP server stopped taking calls.
   */
  async drain(timeoutMs = this.drainTimeoutMs): Promise<void> {
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const capped = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
    });
    // Loop: a handler finishing may have started nothing new, but an emit racing shutdown may have.
    try {
      while (this.inFlight.size > 0) {
        const r = await Promise.race([Promise.allSettled([...this.inFlight]), capped]);
        if (r === TIMED_OUT) {
          this.logger.warn({ pending: this.inFlight.size, timeoutMs }, 'plugin handlers still running after drain');
          return;
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }

  // --- boot --------------------------------------------------------------------------------

  private async bootOne(spec: PluginSpec): Promise<void> {
    const def = spec.definition;
    const name = def.name;
    const started = performance.now();
    const plugin: BootedPlugin = {
      name,
      definition: def,
      status: { ...baseStatus(def), status: 'ok' },
      keys: new Set(),
    };
    this.plugins.set(name, plugin);
    try {
      for (const dep of def.dependsOn ?? []) {
        const depStatus = this.plugins.get(dep)?.status.status;
        if (depStatus !== 'ok') {
          const what = depStatus === 'disabled' ? 'is disabled' : 'failed';
          throw new BootFailure('plugin_boot_failed', `cannot start: dependency "${dep}" ${what}`);
        }
      }

      if (def.coreVersion && !satisfies(this.coreVersion, def.coreVersion, { includePrerelease: true })) {
        throw new BootFailure(
          'plugin_incompatible',
          `supports core ${def.coreVersion}, but this is core ${this.coreVersion}: install a version of the plugin made for it`,
          undefined,
          { plugin: name, supports: def.coreVersion, core: this.coreVersion },
        );
      }
      const parsed = await (def.config as PluginDefinition['config']).safeParseAsync(spec.options);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
        throw new BootFailure(
          'plugin_config_invalid',
          `config: ${issues.join('; ')}`,
          parsed.error,
          parsed.error.issues,
        );
      }
      plugin.config = parsed.data;

      // A container of its own, not a child of the core one: it resolves nothing of the core
      // but the services the plugin declared (no parent to fall back on).
      const scope = createContainer({ injectionMode: InjectionMode.PROXY, strict: true });
      plugin.scope = scope;
      const logger = this.logger.child({ plugin: name });
      this.exposeCore(plugin, scope, logger);
      this.exposeDependencies(plugin, scope);
      const deps = depsView(name, scope);
      plugin.deps = deps;
      const register = def.register as ((ctx: PluginSetupContext<unknown>) => unknown) | undefined;
      const routes = def.routes as ((router: PluginRouter, ctx: PluginSetupContext<unknown>) => unknown) | undefined;
      const setup = (signal: AbortSignal): PluginSetupContext<unknown> => ({
        name,
        config: parsed.data,
        logger,
        container: guardScope(scope, plugin, this.plugins),
        deps,
        signal,
        tenantSettings: async (tenantId: string) => {
          const gate = await this.tenantGate(name, tenantId);
          return gate.on ? gate.settings : undefined;
        },
      });
      if (register) await this.step(plugin, 'register', (signal) => register(setup(signal)));
      for (const [key, value] of Object.entries(this.pluginOverrides)) {
        if (!ownsKey(pluginKeyPrefix(name), key)) continue;
        scope.register(key, asValue(value));
        plugin.keys.add(key);
      }
      if (routes) {
        const router = new Router({ prefix: `/plugins/${name}` });
        await this.step(plugin, 'routes', (signal) => routes(this.pluginRouter(name, router), setup(signal)));
        plugin.router = router;
      }
      plugin.status.bootMs = performance.now() - started;
    } catch (err) {
      plugin.status.bootMs = performance.now() - started;
      const failure = toBootFailure(err);
      plugin.status.status = 'failed';
      plugin.status.reason = failure.reason;
      plugin.abandoned = true;
      const error = createError(failure.code, `plugin "${name}" ${failure.reason}`, {
        cause: failure.failureCause,
        details: failure.details,
      });
      await plugin.scope
        ?.dispose()
        .catch((err: unknown) => this.logger.warn({ plugin: name, err }, 'disposing a failed plugin’s scope failed'));
      if ((def.onBootFailure ?? 'abort') === 'abort') throw error;
      this.logger.error({ plugin: name, err: error }, 'plugin failed to boot; continuing without it');
    }
  }

  /**
   * Runs `register` or `routes` under the boot timeout. Past it the step's signal aborts and
   * boot moves on without waiting: a plugin that hangs cannot hold up start-up.
   */
  private async step(
    plugin: BootedPlugin,
    what: 'register' | 'routes',
    fn: (signal: AbortSignal) => unknown,
  ): Promise<void> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), this.bootTimeoutMs);
    });
    const work = (async () => fn(controller.signal))();
    try {
      const settled = await Promise.race([work, deadline]);
      if (settled === TIMED_OUT) {
        const reason = `${what} did not finish within the ${this.bootTimeoutMs} ms boot timeout`;
        controller.abort(createError('plugin_boot_timeout', `plugin "${plugin.name}" ${reason}`));
        // Whatever it still does is ignored; a later rejection must not become unhandled.
        work.catch((err: unknown) =>
          this.logger.warn({ plugin: plugin.name, step: what, err }, 'plugin step failed after its boot timeout'),
        );
        throw new BootFailure('plugin_boot_timeout', reason, undefined, {
          plugin: plugin.name,
          step: what,
          timeoutMs: this.bootTimeoutMs,
        });
      }
    } catch (err) {
      if (err instanceof BootFailure || isAppError(err, 'plugin_scope_violation')) throw err;
      throw new BootFailure('plugin_boot_failed', `${what} failed: ${errorMessage(err)}`, err);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Registers in the plugin's container, for every key of the core container: the core service
   * itself when the plugin declared it in `deps` (the logger bound to the plugin), otherwise a
   * resolver that throws `plugin_dependency_undeclared` naming the plugin and the key. So the
   * database, auth keys or configuration are never reachable, and the error says why.
   */
  private exposeCore(plugin: BootedPlugin, scope: AwilixContainer, logger: Logger): void {
    const declared = new Set<string>(plugin.definition.deps ?? []);
    const allowed = new Set<string>(PLUGIN_CORE_SERVICES);
    for (const dep of declared) {
      if (dep !== 'logger' && !this.container.hasRegistration(dep)) {
        throw new BootFailure('plugin_boot_failed', `needs core service "${dep}", which this server does not provide`);
      }
    }
    const root = this.container;
    for (const key of Object.keys(root.registrations)) {
      if (declared.has(key)) {
        scope.register(
          key,
          key === 'logger'
            ? asValue(logger)
            : {
                // A service scoped per plugin (its records, its annotation key) is handed bound to
                // this plugin, so it cannot reach another plugin's.
                resolve: () => {
                  const service: unknown = root.resolve(key);
                  return isPluginScoped(service) ? service.forPlugin(plugin.name) : service;
                },
                lifetime: Lifetime.TRANSIENT,
                isLeakSafe: true,
              },
        );
        continue;
      }
      const message = allowed.has(key)
        ? `plugin "${plugin.name}" did not declare core service "${key}": add it to deps`
        : `plugin "${plugin.name}" may not use core service "${key}" (plugins may declare: ${PLUGIN_CORE_SERVICES.join(', ')})`;
      scope.register(key, {
        resolve: () => {
          throw createError('plugin_dependency_undeclared', message, { details: { plugin: plugin.name, key } });
        },
        lifetime: Lifetime.TRANSIENT,
        isLeakSafe: true,
      });
    }
    if (declared.has('logger') && !root.hasRegistration('logger')) scope.register('logger', asValue(logger));
  }

  /**
   * The router `routes` receives: each route gets the auth guard first, unless it says
   * `{ public: true }`.
   */
  private pluginRouter(plugin: string, router: Router): PluginRouter {
    const guard = (path: string, opts: PluginRouteOptions): PluginRouteHandler => {
      const routePath = `/plugins/${plugin}${path}`;
      return async (ctx, next) => {
        ctx.state.routePath = routePath;
        if (!opts.public) {
          const principal = this.authenticate ? await this.authenticate(ctx as unknown as Context) : undefined;
          if (!principal) throw createError('unauthenticated', 'Plugin routes need a signed-in user');
          if (principal.kind !== 'user') {
            throw createError('forbidden', 'Plugin routes need a signed-in user; API keys are not accepted');
          }
          if (opts.roles && !opts.roles.includes(principal.role)) throw createError('forbidden');
          ctx.state.user = { tenantId: principal.tenantId, userId: principal.userId, role: principal.role };
        }
        await next();
      };
    };
    const api = {} as PluginRouter;
    for (const method of ['get', 'post', 'put', 'patch', 'delete', 'all'] as const) {
      api[method] = ((path: string, ...rest: Array<PluginRouteOptions | PluginRouteHandler>) => {
        const opts = typeof rest[0] === 'object' && rest[0] !== null ? (rest.shift() as PluginRouteOptions) : {};
        const handlers = rest as PluginRouteHandler[];
        if (typeof path !== 'string' || handlers.length === 0 || handlers.some((h) => typeof h !== 'function')) {
          throw new TypeError(
            `plugin "${plugin}" route ${method.toUpperCase()} ${String(path)} needs a path and handlers`,
          );
        }
        if (opts.public && opts.roles) {
          throw new TypeError(
            `plugin "${plugin}" route ${method.toUpperCase()} ${path} cannot be public and have roles`,
          );
        }
        router[method](path, guard(path, opts) as never, ...(handlers as never[]));
        return api;
      }) as PluginRouter[typeof method];
    }
    return Object.freeze(api);
  }

  /**
   * Makes the keys of a plugin's direct dependencies resolvable from its scope. Scopes are
   * separate containers, so without this a dependency's services would be invisible; with
   * it, reading another plugin's keys requires listing that plugin in `dependsOn`.
   */
  private exposeDependencies(plugin: BootedPlugin, scope: AwilixContainer): void {
    for (const dep of plugin.definition.dependsOn ?? []) {
      const source = this.plugins.get(dep);
      if (!source?.scope) continue;
      const depScope = source.scope;
      for (const key of source.keys) {
        // Transient + leak-safe: the dependency's own scope caches per the lifetime it chose.
        const alias: Resolver<unknown> = {
          resolve: () => resolveOwn(depScope, key),
          lifetime: Lifetime.TRANSIENT,
          isLeakSafe: true,
        };
        scope.register(key, alias);
      }
    }
  }

  private buildHandlerTable(): void {
    const booted = [...this.plugins.values()].filter((p) => p.status.status === 'ok');
    for (const hook of HOOK_NAMES) {
      const policy = this.policy(hook);
      const entries: HandlerEntry[] = [];
      for (const plugin of booted) {
        const raw = plugin.definition.hooks?.[hook] as HookHandler<HookName> | HookHandlerObject<HookName> | undefined;
        if (!raw) continue;
        const obj = typeof raw === 'function' ? { handler: raw } : raw;
        const own = obj.timeoutMs !== undefined && obj.timeoutMs > 0 ? obj.timeoutMs : Infinity;
        entries.push({
          plugin,
          hook,
          handler: obj.handler as AnyHandler,
          order: obj.order,
          timeoutMs: Math.min(policy.timeoutMs, own),
          logger: this.logger.child({ plugin: plugin.name, hook }),
        });
      }
      // Array sort is stable, so dependency order survives within each group.
      entries.sort((a, b) => ORDER_RANK[a.order ?? 'none'] - ORDER_RANK[b.order ?? 'none']);
      this.handlers.set(hook, entries);
    }
  }

  private policy(hook: HookName): HookPolicy {
    const base = HOOK_POLICIES[hook];
    const o = this.overrides[hook];
    return o ? { ...base, ...definedOnly(o) } : base;
  }

  // --- running handlers --------------------------------------------------------------------

  private async runSequential(
    entries: HandlerEntry[],
    payload: unknown,
    policy: HookPolicy,
  ): Promise<{ annotations: Record<string, unknown> }> {
    const annotations: Record<string, unknown> = {};
    const deadline = performance.now() + (policy.totalMs ?? Infinity);
    for (const entry of entries) {
      const remaining = deadline - performance.now();
      // Timers may fire a millisecond early, so "spent" is "too little left to do anything".
      if (remaining < MIN_HANDLER_MS) {
        // The call must proceed; a plugin skipped for want of time is worth a warning, not a retry.
        this.logger.warn(
          { plugin: entry.plugin.name, hook: entry.hook, totalMs: policy.totalMs, ...callFields(payload) },
          'plugin hook skipped: total budget spent',
        );
        this.metrics.pluginHookDuration.observe({ plugin: entry.plugin.name, hook: entry.hook, outcome: 'skipped' }, 0);
        continue;
      }
      const result = await this.runHandler(entry, payload, Math.min(entry.timeoutMs, remaining), 1);
      if (result.outcome !== 'ok') continue;
      const value = result.value as { annotations?: unknown } | undefined | null;
      if (!value || typeof value !== 'object' || value.annotations === undefined) continue;
      const checked = checkAnnotations(value.annotations);
      if (!checked.ok) {
        // Stored on the session as jsonb: a value that is not plain JSON, or a huge one, would
        // make that write throw and cost the caller the call. Drop it; the call goes on.
        this.metrics.pluginAnnotationsDropped.inc({ plugin: entry.plugin.name, reason: checked.reason });
        this.logger.warn(
          {
            plugin: entry.plugin.name,
            hook: entry.hook,
            reason: checked.reason,
            detail: checked.detail,
            ...callFields(payload),
          },
          'plugin annotations dropped',
        );
        continue;
      }
      // A copy: the plugin cannot change what was accepted after the fact.
      Object.assign(annotations, JSON.parse(JSON.stringify(value.annotations)) as Record<string, unknown>);
    }
    return { annotations };
  }

  private async runFirst(entries: HandlerEntry[], payload: unknown): Promise<unknown> {
    for (const entry of entries) {
      const result = await this.runHandler(entry, payload, entry.timeoutMs, 1);
      if (result.outcome === 'ok' && result.value !== undefined) return result.value;
    }
    return undefined;
  }

  private async enqueue(jobs: JobQueue, entries: HandlerEntry[], payload: unknown): Promise<void> {
    const key = (payload as { idempotencyKey?: unknown } | null)?.idempotencyKey;
    const sent = await Promise.allSettled(
      entries.map((e) =>
        jobs.send<DurableHookJobData>(
          durableQueueName(e.plugin.name, e.hook),
          { plugin: e.plugin.name, hook: e.hook, payload },
          {
            ...(typeof key === 'string' && key ? { dedupeKey: key } : {}),
            retryBackoff: true,
            // Past this a worker that died mid-job releases it; the handler itself stops at timeoutMs.
            expireInSeconds: Math.ceil(e.timeoutMs / 1000) + 30,
          },
        ),
      ),
    );
    const failed = sent.flatMap((r, i) => (r.status === 'rejected' ? [{ entry: entries[i], err: r.reason }] : []));
    if (failed.length === 0) return;
    for (const f of failed) {
      this.logger.error(
        { plugin: f.entry?.plugin.name, hook: f.entry?.hook, err: f.err },
        'could not queue plugin hook',
      );
    }
    throw createError(
      'plugin_hook_failed',
      `could not queue ${failed.map((f) => `plugin "${f.entry?.plugin.name}"`).join(', ')}`,
      { cause: failed[0]?.err },
    );
  }

  private async runInline(entries: HandlerEntry[], payload: unknown): Promise<void> {
    await Promise.all(
      entries.map(async (entry) => {
        for (let attempt = 1; attempt <= this.inlineAttempts; attempt++) {
          const result = await this.runHandler(entry, payload, entry.timeoutMs, attempt);
          if (result.outcome === 'ok' || result.outcome === 'off') return;
        }
        this.logger.error(
          { plugin: entry.plugin.name, hook: entry.hook, attempts: this.inlineAttempts, ...callFields(payload) },
          'durable plugin hook gave up',
        );
      }),
    );
  }

  /** Runs one handler under its budget; never throws. */
  private async runHandler(
    entry: HandlerEntry,
    payload: unknown,
    timeoutMs: number,
    attempt: number,
  ): Promise<RunResult> {
    const { plugin, hook } = entry;
    const controller = new AbortController();
    const ctx: HookContext = {
      plugin: plugin.name,
      hook,
      config: plugin.config,
      tenantSettings: undefined,
      logger: entry.logger,
      signal: controller.signal,
      attempt,
      deps: plugin.deps ?? {},
    };
    const started = performance.now();
    const tenantId = (payload as { tenantId?: unknown } | null)?.tenantId;
    // Async wrapper: a handler that throws synchronously becomes a rejection like any other. The
    // tenant's settings are read inside it, so a slow read counts against the handler's budget.
    const work = (async () => {
      const gate = await this.tenantGate(plugin.name, typeof tenantId === 'string' ? tenantId : '');
      if (!gate.on) return OFF_FOR_TENANT;
      ctx.tenantSettings = gate.settings;
      return entry.handler(payload, ctx);
    })().then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));

    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
    });
    const settled = await Promise.race([work, deadline]);
    clearTimeout(timer);
    const durationMs = Math.round((performance.now() - started) * 10) / 10;

    if (settled === TIMED_OUT) {
      const error = createError(
        'plugin_hook_timeout',
        `plugin "${plugin.name}" hook "${hook}" ran past its ${Math.round(timeoutMs)} ms budget`,
      );
      controller.abort(error);
      // A handler that ignores its signal may never settle. Give it a grace period for drain(),
      // then stop holding it, so a plugin that hangs on every call cannot grow this set forever.
      setTimeout(() => this.inFlight.delete(work), Math.max(timeoutMs, ABANDON_GRACE_MS)).unref();
      this.recordFailure(entry, 'timeout', error, durationMs, attempt, payload);
      return { outcome: 'timeout', error, durationMs };
    }
    if (!settled.ok) {
      this.recordFailure(entry, 'error', settled.error, durationMs, attempt, payload);
      return { outcome: 'error', error: settled.error, durationMs };
    }
    if (settled.value === OFF_FOR_TENANT) return { outcome: 'off', durationMs };
    this.metrics.pluginHookDuration.observe({ plugin: plugin.name, hook, outcome: 'ok' }, durationMs / 1000);
    return { outcome: 'ok', value: settled.value, durationMs };
  }

  private recordFailure(
    entry: HandlerEntry,
    reason: 'error' | 'timeout',
    err: unknown,
    durationMs: number,
    attempt: number,
    payload: unknown,
  ): void {
    const labels = { plugin: entry.plugin.name, hook: entry.hook };
    this.metrics.pluginHookFailures.inc({ ...labels, reason });
    this.metrics.pluginHookDuration.observe({ ...labels, outcome: reason }, durationMs / 1000);
    const fields = { ...labels, durationMs, attempt, ...callFields(payload), err };
    if (reason === 'timeout') this.logger.warn(fields, 'plugin hook timed out');
    else this.logger.error(fields, 'plugin hook failed');
  }
}

// --- helpers ---------------------------------------------------------------------------------

function baseStatus(def: AnyDefinition): Omit<PluginStatus, 'status'> {
  return {
    name: def.name,
    version: def.version,
    hooks: HOOK_NAMES.filter((h) => def.hooks?.[h] !== undefined),
    bootMs: 0,
  };
}

function toBootFailure(err: unknown): BootFailure {
  if (err instanceof BootFailure) return err;
  if (isAppError(err, 'plugin_scope_violation')) {
    const d = err.details as { key: string; prefix: string };
    return new BootFailure(
      'plugin_scope_violation',
      `registered "${d.key}" outside its scope (keys must start with "${d.prefix}")`,
      undefined,
      d,
    );
  }
  return new BootFailure('plugin_boot_failed', `failed to boot: ${errorMessage(err)}`, err);
}

/**
 * Resolves a key registered directly on `scope`, honouring its lifetime and sharing the scope's
 * cache. Not `scope.resolve(key)`: awilix keeps one resolution stack per container family, and
 * the alias in the dependent's scope is already on it under the same name, which awilix would
 * report as a cycle.
 */
function resolveOwn(scope: AwilixContainer, key: string): unknown {
  const resolver = scope.getRegistration(key);
  if (!resolver) return scope.resolve(key); // let awilix report the missing key
  if (resolver.lifetime !== Lifetime.SCOPED) return resolver.resolve(scope);
  const hit = scope.cache.get(key);
  if (hit) return hit.value;
  const value = resolver.resolve(scope);
  scope.cache.set(key, { resolver, value });
  return value;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Plugins in an order where every plugin comes after its dependencies; otherwise configuration
 * order (Kahn's algorithm, always taking the earliest-configured ready plugin).
 */
function sortByDependencies(specs: readonly PluginSpec[]): PluginSpec[] {
  const index = new Map(specs.map((s, i) => [s.definition.name, i]));
  const waitingOn = new Map(specs.map((s) => [s.definition.name, new Set(depsIn(s, index))]));
  const out: PluginSpec[] = [];
  const done = new Set<string>();
  while (out.length < specs.length) {
    const next = specs.find((s) => !done.has(s.definition.name) && waitingOn.get(s.definition.name)?.size === 0);
    if (!next)
      throw cycleError(
        specs.filter((s) => !done.has(s.definition.name)),
        index,
      );
    out.push(next);
    done.add(next.definition.name);
    for (const deps of waitingOn.values()) deps.delete(next.definition.name);
  }
  return out;
}

function depsIn(spec: PluginSpec, index: Map<string, number>): string[] {
  return (spec.definition.dependsOn ?? []).filter((d: string) => index.has(d));
}

/** Names one cycle among `remaining` (each of which waits on another), e.g. "a -> b -> a". */
function cycleError(remaining: PluginSpec[], index: Map<string, number>): AppError {
  const byName = new Map(remaining.map((s) => [s.definition.name, s]));
  const path: string[] = [];
  let current = remaining[0]?.definition.name;
  while (current !== undefined && !path.includes(current)) {
    path.push(current);
    const spec = byName.get(current);
    current = spec ? depsIn(spec, index).find((d) => byName.has(d)) : undefined;
  }
  const cycle = current === undefined ? path : [...path.slice(path.indexOf(current)), current];
  return createError('plugin_dependency_cycle', `plugin dependency cycle: ${cycle.join(' -> ')}`, {
    details: { cycle },
  });
}

/**
 * The container a plugin's `register`/`routes` see: its own scope, except that `register`
 * only accepts keys prefixed with the plugin's camel-case name (or owned by no other plugin).
 */
function guardScope(scope: AwilixContainer, owner: BootedPlugin, plugins: Map<string, BootedPlugin>): AwilixContainer {
  const plugin = owner.name;
  const keys = owner.keys;
  const prefix = pluginKeyPrefix(plugin);
  const check = (key: string | symbol): string => {
    const ok = typeof key === 'string' && ownsKey(prefix, key);
    const ownedElsewhere = [...plugins.values()].some((p) => p.name !== plugin && p.keys.has(String(key)));
    if (!ok || ownedElsewhere) {
      throw createError(
        'plugin_scope_violation',
        `plugin "${plugin}" may only register keys starting with "${prefix}", not "${String(key)}"`,
        { details: { key: String(key), prefix } },
      );
    }
    return key as string;
  };
  const adapt = (resolver: Resolver<unknown>): Resolver<unknown> => {
    // The plugin scope lives as long as the host, so "singleton" and "scoped" mean the same
    // thing here — but awilix strict mode refuses singletons on a scope. Translate.
    const r = resolver as Resolver<unknown> & { setLifetime?: (l: string) => Resolver<unknown> };
    if (r.lifetime === Lifetime.SINGLETON && typeof r.setLifetime === 'function') {
      return r.setLifetime(Lifetime.SCOPED);
    }
    return resolver;
  };
  const register = (nameOrPairs: unknown, maybeResolver?: Resolver<unknown>): AwilixContainer => {
    const pairs: Record<string | symbol, Resolver<unknown>> = typeof nameOrPairs === 'string' ||
    typeof nameOrPairs === 'symbol'
      ? { [nameOrPairs]: maybeResolver as Resolver<unknown> }
      : (nameOrPairs as Record<string | symbol, Resolver<unknown>>);
    const names = Reflect.ownKeys(pairs);
    if (owner.abandoned) {
      throw createError('plugin_boot_timeout', `plugin "${plugin}" registered after boot gave up on it`);
    }
    for (const name of names) check(name);
    for (const name of names) {
      scope.register(name as string, adapt(pairs[name] as Resolver<unknown>));
      keys.add(name as string);
    }
    return guarded;
  };
  const guarded: AwilixContainer = new Proxy(scope, {
    get(target, prop) {
      if (prop === 'register') return register;
      if (prop === 'loadModules') {
        return () => {
          throw createError('plugin_scope_violation', `plugin "${plugin}" may not use loadModules; register keys`, {
            details: { key: 'loadModules', prefix },
          });
        };
      }
      return Reflect.get(target, prop, target);
    },
  });
  return guarded;
}

/**
 * A deep-frozen copy of a payload: handlers of one plugin cannot change what the next one sees,
 * and the caller's object stays mutable.
 */
function freezePayload<T>(payload: T): T {
  let copy: T;
  try {
    copy = structuredClone(payload);
  } catch {
    copy = payload; // not cloneable (a function inside): freeze the original rather than fail the call
  }
  return deepFreeze(copy);
}

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value) || ArrayBuffer.isView(value)) {
    return value;
  }
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
  return value;
}

/** True when a DI key belongs to the plugin with this camel-case prefix (`crmClient` for `crm`, not `crmsClient`). */
export function ownsKey(prefix: string, key: string): boolean {
  return key.startsWith(prefix) && (key.length === prefix.length || /[A-Z0-9_$]/.test(key.charAt(prefix.length)));
}

/**
 * `ctx.deps` of a plugin: reads resolve from its own container; a key it has no access to
 * throws `plugin_dependency_undeclared` with the plugin's name, never `undefined`.
 */
function depsView(plugin: string, scope: AwilixContainer): Record<string, unknown> {
  return new Proxy(Object.create(null) as Record<string, unknown>, {
    get(_target, key) {
      // Probes by runtimes and test frameworks (thenable checks, inspection) are not reads.
      if (typeof key !== 'string' || key === 'then' || key === 'toJSON') return undefined;
      if (!scope.hasRegistration(key)) {
        throw createError(
          'plugin_dependency_undeclared',
          `plugin "${plugin}" has no dependency "${key}": declare a core service in deps, or the plugin that registers it in dependsOn`,
          { details: { plugin, key } },
        );
      }
      return scope.resolve(key);
    },
    has: (_target, key) => typeof key === 'string' && scope.hasRegistration(key),
    set: () => false,
  });
}

/** Identifiers worth putting on every hook log line, when the payload has them. */
function callFields(payload: unknown): { callSid?: string; sessionId?: string } {
  const p = payload as { callSid?: unknown; sessionId?: unknown } | null;
  const out: { callSid?: string; sessionId?: string } = {};
  if (typeof p?.callSid === 'string') out.callSid = p.callSid;
  if (typeof p?.sessionId === 'string') out.sessionId = p.sessionId;
  return out;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A core service the host binds to each plugin (`forPlugin(name)`), e.g. `pluginRecords`. */
function isPluginScoped(service: unknown): service is PluginScoped<unknown> {
  return (
    typeof service === 'object' &&
    service !== null &&
    typeof (service as { forPlugin?: unknown }).forPlugin === 'function'
  );
}
