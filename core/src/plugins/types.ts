import type { RouterContext, RouterMiddleware } from '@koa/router';
import type { AwilixContainer } from 'awilix';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Clock } from '../clock.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Metrics } from '../metrics.js';
import type { RecordingArchivePort } from '../modules/recordings/archive.js';
import type { StoragePort } from '../modules/recordings/storage.js';
import type { PluginRecordsPort } from '../modules/plugin-records/store.js';
import type { PluginCallsPort } from '../modules/sessions/plugin-calls.js';
import type { Role } from '../modules/users/schema.js';
import type { EventBus } from '../realtime/bus.js';
import type { UiContributionsInput } from './ui-contributions.js';

/**
 * The plugin contract. One shape only: a plugin is `definePlugin({...})`, its hooks are the
 * keys of {@link PluginHooks}, and the host (never the plugin) decides how each hook runs.
 */

/** Common fields of every hook payload. Payloads are frozen before handlers see them. */
export interface HookPayloadBase {
  /** Tenant the event belongs to. */
  tenantId: string;
  /** ISO-8601 time the event happened. */
  occurredAt: string;
  /** Stable key for the event: a durable hook delivered twice carries the same key. */
  idempotencyKey: string;
}

/** Fields shared by call events. */
export interface CallPayloadBase extends HookPayloadBase {
  /** Our session id (also the conference name and the jambonz `tag`). */
  sessionId: string;
  /** jambonz call sid of the leg the event is about. */
  callSid: string;
  direction: 'inbound' | 'outbound' | 'internal';
  /** Caller number (E.164 or as received). */
  from: string;
  /** Called number. */
  to: string;
}

/** `call.incoming`: a new inbound call, before the IVR answers it. */
export type CallIncomingPayload = CallPayloadBase;

/** What a `call.incoming` handler may contribute; merged in plugin order. */
export interface CallIncomingResult {
  /**
   * Annotations kept on the session (e.g. `{ customerId: 'c-42', crmCard: {...} }`).
   *
   * Must be plain JSON that survives `JSON.stringify` → `JSON.parse` unchanged — objects,
   * arrays, strings, finite numbers, booleans and null; no `undefined`, functions, BigInt,
   * `Date` or other class instances, NaN/Infinity, cycles, NUL characters or lone surrogates —
   * and at most `MAX_ANNOTATION_BYTES` (16 KB) of UTF-8 JSON per plugin. Anything else is
   * dropped whole for that plugin (logged with plugin and reason, counted in
   * `switchboard_plugin_annotations_dropped_total`); the call goes on.
   */
  annotations?: Record<string, unknown>;
}

/**
 * A card a plugin shows on the agent's workbench — the first "typed UI contribution": plain JSON
 * the workbench renders generically, so no plugin ships code into the app. A plugin puts it in
 * its annotations under a key of its choosing (`crm-screen-pop` uses `{ screenPop: card }`); the
 * workbench renders every annotation value whose `kind` is `'card'`.
 *
 * Text is shown as text (never as HTML). Under number protection core masks the customer's
 * number in every string of it for agents, as in all annotations (RT-07); a plugin should not
 * put the number there in the first place.
 *
 * @example
 * const card: UiCard = {
 *   kind: 'card', status: 'found', title: 'Wei Li', subtitle: 'Sunrise Trading Co.',
 *   tags: ['VIP'], fields: [{ label: 'Owner', value: 'Agent One' }],
 *   link: { label: 'Open in CRM', url: 'https://crm.example.com/customers/c-1001' },
 * }
 */
export interface UiCard {
  kind: 'card';
  /**
   * `found`: the system knows the customer; `notFound`: it answered and knows nobody by that
   * number; `unavailable`: it could not be asked in time (slow, down, or an answer not understood).
   */
  status: 'found' | 'notFound' | 'unavailable';
  /** The headline: the customer's name, or what went wrong. */
  title: string;
  /** A second line (company, explanation). */
  subtitle?: string;
  /** Short labels shown as chips, in order. */
  tags: string[];
  /** Label/value rows, in order. */
  fields: Array<{ label: string; value: string }>;
  /** Where the full record lives (http or https only), opened in a new tab. */
  link?: { label: string; url: string };
}

/**
 * `call.outbound`: an agent places a call to a customer (OUT-01/03 from the workbench, CTL-07 a
 * callback), after the session is created and before anything rings.
 */
export interface CallOutboundPayload extends CallPayloadBase {
  direction: 'outbound';
  /**
   * Empty: no leg exists yet (the agent's device is rung once the hook has run, the customer's
   * phone once the agent answered).
   */
  callSid: string;
  /** The company number the customer will see (OUT-07). */
  from: string;
  /** The customer's real number (plugins run on the server; agents see it masked, OUT-09). */
  to: string;
  /** The agent placing the call. */
  agentId: string;
  /** The outbound skill group the call goes through, if any. */
  skillGroupId?: string;
  /** The ended call a callback (CTL-07) calls back. */
  redialOf?: string;
}

/** `call.queued`: the caller entered a skill-group queue. */
export interface CallQueuedPayload extends CallPayloadBase {
  skillGroupId: string;
}

/** `call.offered`: an agent is being rung for the call. */
export interface CallOfferedPayload extends CallPayloadBase {
  agentId: string;
  skillGroupId?: string;
}

/** `call.answered`: an agent (or the callee of an outbound call) answered. */
export interface CallAnsweredPayload extends CallPayloadBase {
  agentId?: string;
}

/** `call.held`: the customer was put on hold or taken off it. */
export interface CallHeldPayload extends CallPayloadBase {
  held: boolean;
  agentId?: string;
}

/** `call.transferred`: the call moved to another agent, group or number. */
export interface CallTransferredPayload extends CallPayloadBase {
  fromAgentId?: string;
  target: { type: 'agent' | 'skillGroup' | 'external'; id: string };
}

/** `call.ended`: fired exactly once per session, with the call detail record. */
export interface CallEndedPayload extends CallPayloadBase {
  /** The CDR as stored (shape owned by the records module). */
  cdr: Record<string, unknown>;
}

/** `agent.status.changed`: an agent moved between states. */
export interface AgentStatusChangedPayload extends HookPayloadBase {
  agentId: string;
  from: string;
  to: string;
  reason?: string;
}

/** `recording.ready`: a recording was stored and can be fetched. */
export interface RecordingReadyPayload extends HookPayloadBase {
  recordingId: string;
  sessionId: string;
  /** Storage key within the storage port. */
  storageKey: string;
  contentType: string;
  durationMs: number;
  sizeBytes: number;
}

/** `ivr.http`: an IVR API node asks plugins for data. */
export interface IvrHttpPayload extends HookPayloadBase {
  sessionId: string;
  nodeId: string;
  /**
   * The node's request: `{ url, method: 'GET' | 'POST', body: Record<string, string>, attempt }`
   * (body = the node's inputs, `${Var}` filled in). A handler returning an object answers it
   * instead of the HTTP call: the node's outputs are read from it (IVR-29).
   */
  request: Record<string, unknown>;
}

/**
 * `number.identify`: a customer's real number is about to reach a call (an inbound caller, a
 * number an agent dials). A plugin may name what agents see instead (RT-08, OUT-10).
 */
export interface NumberIdentifyPayload extends HookPayloadBase {
  sessionId: string;
  direction: 'inbound' | 'outbound';
  /** The customer's real number (plugins run on the server; agents never see it). */
  number: string;
}

/** What a `number.identify` handler answers. */
export interface NumberIdentifyResult {
  /**
   * What agents see instead of the number, everywhere (offers, the workbench, `/ws` events,
   * session views, records, exports): the company's user ID, or — when the company's system could
   * not say — `maskNumber(number)`. 1–64 characters; an answer that still holds the number is
   * replaced by the masked number.
   */
  shownAs: string;
}

/** `number.resolve`: an agent dials a customer by the ID they see (OUT-10). */
export interface NumberResolvePayload extends HookPayloadBase {
  /** The ID as the agent typed or picked it. */
  customerId: string;
}

/** What a `number.resolve` handler answers: the real number to dial. */
export interface NumberResolveResult {
  number: string;
}

/** A value a handler may return, or a promise of it. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Every hook, with its payload and return type. TSDoc on each says how the host runs it.
 * The host's table {@link HOOK_POLICIES} is the source of truth for modes and budgets.
 */
export interface PluginHooks {
  /**
   * A new inbound call, on the webhook path before the first verb is returned.
   * Sequential in plugin order; 800 ms per handler, 2.5 s in total; a handler may return
   * annotations (customer id, CRM card). A failing or slow handler is skipped: the call proceeds.
   */
  'call.incoming': (payload: CallIncomingPayload) => MaybePromise<CallIncomingResult | void>;
  /**
   * An agent places a call (OUT-01/03 dialled from the workbench, CTL-07 a callback): the session
   * exists, nothing rings yet — the agent's device is rung once this hook is done, the customer
   * once the agent answered. Run like `call.incoming`: sequential in plugin order, 800 ms per
   * handler and 2.5 s in total (a slow or failing handler is skipped; the call goes on), and a
   * handler may return annotations under the same rules (plain JSON, 16 KB per plugin). They are
   * kept on the session: in the session view, the `session.outbound` events, the record and the
   * `call.ended` CDR — with the customer's number masked for agents under number protection.
   *
   * @example
   * hooks: {
   *   'call.outbound': async ({ to }, { deps }) => ({ annotations: { crmCard: await lookUp(to) } }),
   * }
   */
  'call.outbound': (payload: CallOutboundPayload) => MaybePromise<CallIncomingResult | void>;
  /** The caller joined a queue. Parallel, 5 s per handler, fire-and-log. */
  'call.queued': (payload: CallQueuedPayload) => MaybePromise<void>;
  /** An agent is being offered the call. Parallel, 5 s, fire-and-log. */
  'call.offered': (payload: CallOfferedPayload) => MaybePromise<void>;
  /** The call was answered. Parallel, 5 s, fire-and-log. */
  'call.answered': (payload: CallAnsweredPayload) => MaybePromise<void>;
  /** Hold or un-hold. Parallel, 5 s, fire-and-log. */
  'call.held': (payload: CallHeldPayload) => MaybePromise<void>;
  /** The call was transferred. Parallel, 5 s, fire-and-log. */
  'call.transferred': (payload: CallTransferredPayload) => MaybePromise<void>;
  /** The call ended; exactly once per session, with its CDR. Parallel, 10 s, fire-and-log. */
  'call.ended': (payload: CallEndedPayload) => MaybePromise<void>;
  /** An agent changed state. Parallel, 5 s, fire-and-log. */
  'agent.status.changed': (payload: AgentStatusChangedPayload) => MaybePromise<void>;
  /**
   * A recording is stored. Durable: one pg-boss job per plugin, retried with backoff until it
   * succeeds (only the failing plugin is retried); 60 s per attempt.
   */
  'recording.ready': (payload: RecordingReadyPayload) => MaybePromise<void>;
  /**
   * An IVR API node wants data. Sequential until the first handler returns a value; 3 s each.
   */
  'ivr.http': (payload: IvrHttpPayload) => MaybePromise<Record<string, unknown> | void>;
  /**
   * The number-to-identity hook (RT-08, OUT-10): before an inbound call is offered to anyone and
   * before an outbound call is placed. Sequential until the first handler answers; 1.5 s each. The
   * answer is kept on the session and its record, and every agent-facing payload shows it in place
   * of the customer's number. No answer (no plugin, all slow or failing): agents see the number as
   * number protection (RT-07) says.
   *
   * @example
   * hooks: { 'number.identify': async ({ number }) => ({ shownAs: await userIdOf(number) ?? maskNumber(number) }) }
   */
  'number.identify': (payload: NumberIdentifyPayload) => MaybePromise<NumberIdentifyResult | void>;
  /**
   * The other way (OUT-10): an agent dials a customer by the ID they see; the first handler that
   * answers gives the real number. Sequential until the first answer; 1.5 s each. No answer: the
   * dial is refused (`404 not_found`).
   */
  'number.resolve': (payload: NumberResolvePayload) => MaybePromise<NumberResolveResult | void>;
}

/** A hook name. */
export type HookName = keyof PluginHooks;

/** How the host runs a hook. */
export type HookMode = 'sequential' | 'parallel' | 'durable' | 'first';

/** The per-call context a handler receives as its second argument. */
export interface HookContext<TConfig = unknown, TDeps = Record<string, unknown>, TTenant = unknown> {
  /** Name of the running plugin. */
  plugin: string;
  hook: HookName;
  /** The plugin's validated configuration. */
  config: TConfig;
  /**
   * The calling tenant's settings, validated by the plugin's `tenantSettings` schema, secrets
   * decrypted. Hooks of a plugin with such a schema run only for tenants that turned it on, so
   * this is always set for them; plugins without one get `undefined`.
   */
  tenantSettings: TTenant;
  /** Logger bound to plugin + hook. */
  logger: Logger;
  /** Aborted when the handler's budget runs out: pass it to fetch() and friends. */
  signal: AbortSignal;
  /** 1 for the first try; higher for retries of durable hooks. */
  attempt: number;
  /**
   * The plugin's dependencies: its own DI keys, the keys of the plugins in its `dependsOn`, and
   * the core services listed in its `deps`. Reading anything else throws
   * `plugin_dependency_undeclared` naming the plugin and the key.
   */
  deps: TDeps;
}

/** A handler: the hook's signature plus a context argument. */
export type HookHandler<K extends HookName, TConfig = unknown, TDeps = Record<string, unknown>, TTenant = unknown> = (
  payload: Parameters<PluginHooks[K]>[0],
  ctx: HookContext<TConfig, TDeps, TTenant>,
) => ReturnType<PluginHooks[K]>;

/** A handler with options. */
export interface HookHandlerObject<
  K extends HookName,
  TConfig = unknown,
  TDeps = Record<string, unknown>,
  TTenant = unknown,
> {
  handler: HookHandler<K, TConfig, TDeps, TTenant>;
  /**
   * `pre` runs before plugins without an order, `post` after; within a group plugins run in
   * dependency order. No numeric priorities.
   */
  order?: 'pre' | 'post';
  /** Budget for this handler, capped by the host's per-hook maximum. */
  timeoutMs?: number;
}

/** The hooks map of a plugin. */
export type PluginHookMap<TConfig = unknown, TDeps = Record<string, unknown>, TTenant = unknown> = {
  [K in HookName]?: HookHandler<K, TConfig, TDeps, TTenant> | HookHandlerObject<K, TConfig, TDeps, TTenant>;
};

/**
 * Core services a plugin may ask for in `deps` (the host's allow-list). Everything else in the
 * core container — the database, auth keys and secrets, configuration, repositories, the call
 * path — is not reachable from a plugin.
 */
export interface PluginCoreServices {
  /** A logger bound to the plugin (`{ plugin: <name> }`), for classes the plugin registers. */
  logger: Logger;
  /** The Prometheus registry (`metrics.registry`) for the plugin's own metrics. */
  metrics: Metrics;
  /** The wall clock the server reads (tests replace it). */
  clock: Clock;
  /** Realtime events to users of a tenant (workbench, supervisor screens). */
  bus: EventBus;
  /** The durable job queue (pg-boss), for the plugin's own background work. */
  jobs: JobQueue;
  /** Where recordings are stored: read the audio named by `recording.ready`'s `storageKey`. */
  recordingStorage: StoragePort;
  /**
   * Where an archive plugin reports its copy of a recording (REC-09): `markArchived(tenantId,
   * recordingId, { objectKey, url })` stores them on the record (API: `objectKey`, `archivedUrl`).
   */
  recordingArchive: RecordingArchivePort;
  /**
   * The plugin's own records per tenant (tasks, deliveries…): JSON by kind and id, atomic
   * updates, newest-first lists. Each plugin sees only its own.
   */
  pluginRecords: PluginRecordsPort;
  /**
   * The call an agent action was pressed on (`forUser(ctx.state.user, sessionId)`: only a call
   * the user took part in) and the plugin's card on it (`annotate`), which the call's agents see
   * at once and the record keeps.
   */
  pluginCalls: PluginCallsPort;
}

/** A name a plugin may list in `deps`. */
export type PluginCoreServiceName = keyof PluginCoreServices;

/** What a plugin's `ctx.deps` holds: the declared core services plus its own and its dependencies' keys. */
export type PluginDeps<TCore extends PluginCoreServiceName = never> = Pick<PluginCoreServices, TCore> &
  Record<string, unknown>;

/** What `register` and `routes` receive. */
export interface PluginSetupContext<TConfig = unknown, TDeps = Record<string, unknown>, TTenant = unknown> {
  name: string;
  config: TConfig;
  logger: Logger;
  /**
   * The plugin's own DI scope. It may only register keys prefixed with the plugin's camel-case
   * name (e.g. `crmScreenPopClient` for `crm-screen-pop`); anything else is a boot error. It
   * resolves only the plugin's own keys, its `dependsOn` plugins' keys and its declared core
   * services: the core container is not its parent.
   */
  container: AwilixContainer;
  /** The same view as a hook's `ctx.deps` (route handlers use it). */
  deps: TDeps;
  /**
   * Aborted when the boot timeout runs out: `register` and `routes` must finish within it
   * (default 10 s, `pluginHost.bootTimeoutMs`), else the plugin fails to boot.
   */
  signal: AbortSignal;
  /**
   * A tenant's settings for this plugin, as hooks see them: validated, secrets decrypted;
   * `undefined` when the tenant has not turned the plugin on (or its settings no longer pass the
   * schema). For routes: `await tenantSettings(ctx.state.user.tenantId)`, or the tenant a public
   * callback's URL names.
   */
  tenantSettings: (tenantId: string) => Promise<TTenant | undefined>;
}

/** The signed-in user a plugin route serves: set on `ctx.state.user` of every non-public route. */
export interface PluginUser {
  tenantId: string;
  userId: string;
  role: Role;
}

/** `ctx.state` of a plugin route. */
export interface PluginRouteState {
  /** The signed-in user; always set on a non-public route, never on a public one. */
  user?: PluginUser;
  [key: string]: unknown;
}

/** The Koa context a plugin route handler receives. */
export type PluginRouteContext = RouterContext<PluginRouteState>;

/** A plugin route handler (Koa middleware). */
export type PluginRouteHandler = RouterMiddleware<PluginRouteState>;

/** Options of one plugin route. */
export interface PluginRouteOptions {
  /**
   * `true` lets anyone call the route, signed in or not (e.g. a WeCom callback that checks its
   * own signature). Default `false`: the route needs a signed-in user — the same access-token
   * check as the core API; API keys are refused — and answers `401 unauthenticated` without one.
   */
  public?: boolean;
  /** Roles allowed (non-public routes only); omitted = every role. Others get `403 forbidden`. */
  roles?: readonly Role[];
}

/** A route-declaring method of {@link PluginRouter}: `(path, [options], ...handlers)`. */
export interface PluginRouteMethod {
  (path: string, ...handlers: PluginRouteHandler[]): PluginRouter;
  (path: string, options: PluginRouteOptions, ...handlers: PluginRouteHandler[]): PluginRouter;
}

/**
 * The router a plugin's `routes` receives, mounted under `/plugins/<name>`. Every route needs a
 * signed-in user unless its options say `public: true`.
 *
 * @example
 * routes: (router) => {
 *   router.get('/card/:id', (ctx) => { ctx.body = { for: ctx.state.user?.userId, id: ctx.params.id } })
 *   router.post('/wecom/callback', { public: true }, verifyWeComSignature, handleCallback)
 *   router.post('/settings', { roles: ['admin'] }, saveSettings)
 * }
 */
export interface PluginRouter {
  get: PluginRouteMethod;
  post: PluginRouteMethod;
  put: PluginRouteMethod;
  patch: PluginRouteMethod;
  delete: PluginRouteMethod;
  all: PluginRouteMethod;
}

/** Options of {@link definePlugin}. */
export interface PluginDefinition<
  TSchema extends z.ZodType = z.ZodType,
  TDeps extends Record<string, unknown> = Record<string, unknown>,
  TCore extends PluginCoreServiceName = PluginCoreServiceName,
  TTenant extends z.ZodType = z.ZodUndefined,
> {
  /** kebab-case id, unique: `^[a-z][a-z0-9]*(-[a-z0-9]+)*$`. */
  name: string;
  /** Semver of the plugin. */
  version: string;
  /** zod schema of the plugin's install-wide options (`plugins.config.ts`); validated at boot. */
  config: TSchema;
  /**
   * zod object schema of the settings each tenant fills in (a WeCom corp, a COS bucket…), edited
   * by the tenant's admin in the console. A plugin with one is off for a tenant until its admin
   * turns it on with settings that pass the schema; its hooks are skipped for other tenants.
   * Mark secret fields with {@link secretSetting}: they are write-only in the API and stored
   * encrypted. Without a schema the plugin is on for every tenant (an admin may turn it off).
   *
   * @example
   * tenantSettings: z.object({ corpId: z.string().min(1), corpSecret: secretSetting(z.string().min(1)) })
   */
  tenantSettings?: TTenant;
  /**
   * The core versions the plugin works with, as a semver range (`^0.1.0`). The host refuses to
   * boot the plugin on another core version, naming both.
   */
  coreVersion?: string;
  /**
   * `advanced`: the plugin serves only tenants of the advanced edition (FEATURES "A"); a standard
   * tenant cannot turn it on (`edition_required`) and its hooks never run for one.
   */
  edition?: 'advanced';
  /** Names of plugins that must boot first (and whose DI keys this one may read). */
  dependsOn?: readonly string[];
  /**
   * Core services the plugin uses (see {@link PluginCoreServices}); only these are in its
   * `ctx.deps` and DI scope. Reading an undeclared one throws `plugin_dependency_undeclared`.
   *
   * @example deps: ['logger', 'recordingStorage']
   */
  deps?: readonly TCore[];
  /**
   * What to do if the plugin fails to boot (bad config, `register` or `routes` throws or runs
   * past the boot timeout). Default `abort`.
   */
  onBootFailure?: 'continue' | 'abort';
  /** Register services in the plugin's DI scope. Runs under the boot timeout. */
  register?: (
    ctx: PluginSetupContext<z.output<TSchema>, PluginDeps<TCore> & TDeps, z.output<TTenant>>,
  ) => MaybePromise<void>;
  /** Hook handlers. */
  hooks?: PluginHookMap<z.output<TSchema>, PluginDeps<TCore> & TDeps, z.output<TTenant>>;
  /**
   * Koa routes, mounted under `/plugins/<name>/`. Each route needs a signed-in user (its
   * identity on `ctx.state.user`) unless it says `{ public: true }`. Runs under the boot timeout.
   */
  routes?: (
    router: PluginRouter,
    ctx: PluginSetupContext<z.output<TSchema>, PluginDeps<TCore> & TDeps, z.output<TTenant>>,
  ) => MaybePromise<void>;
  /**
   * Typed UI contributions the workbench renders (no plugin code runs in the app): `cards`
   * (which annotation holds a {@link UiCard}) and `actions` (a button on the call card with a
   * small form, posted to one of the plugin's routes as the signed-in agent). Checked when the
   * plugin is defined.
   *
   * @example
   * ui: {
   *   actions: [{
   *     id: 'add-friend', placement: 'call', route: '/actions/add-friend',
   *     label: { 'zh-CN': '加微', en: 'Add on WeCom' },
   *     fields: [{ kind: 'select', name: 'member', label: { 'zh-CN': '成员', en: 'Member' }, required: true,
   *                options: { route: '/members' } }],
   *   }],
   * }
   */
  ui?: UiContributionsInput;
}

/** A plugin with its (not yet validated) options: what goes in `plugins: [...]`. */
export interface PluginSpec {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the host is generic over every plugin's schema
  definition: PluginDefinition<any, any, any, any>;
  options: unknown;
  /**
   * `false` keeps the plugin configured but off: it is not booted and shows as `disabled` in the
   * start-up table (plugins that depend on it fail to boot). Default `true`.
   */
  enabled?: boolean;
}

/** What `definePlugin` returns: call it with options to enable the plugin. */
export interface PluginFactory<TSchema extends z.ZodType = z.ZodType> {
  (options: z.input<TSchema>): PluginSpec;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see PluginSpec
  readonly definition: PluginDefinition<TSchema, any, any, any>;
}

/** Status of a plugin after boot, as printed in the start-up table. */
export interface PluginStatus {
  name: string;
  version: string;
  hooks: HookName[];
  status: 'ok' | 'failed' | 'disabled';
  reason?: string;
  bootMs: number;
}
