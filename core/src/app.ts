import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import Router from '@koa/router';
import { asValue, type AwilixContainer } from 'awilix';
import Koa from 'koa';
import type { Logger } from 'pino';
import { resolveConfig, type ResolvedConfig, type SwitchboardConfig } from './config/config.js';
import { buildContainer, type Cradle } from './container.js';
import { checkReady, expectedMigrationCount, openDatabase, runMigrations, type Database } from './db/database.js';
import { seedDemo, type DemoCredentials } from './demo/seed.js';
import { AppError, createError } from './errors/registry.js';
import { ApiRouter, authorize } from './http/api-router.js';
import { bodyParser } from './http/body.js';
import { errorHandler } from './http/error-handler.js';
import { MetricsServer, registerMetricsRoute } from './http/metrics-endpoint.js';
import { securityHeaders } from './http/security-headers.js';
import { staticMobile, staticUi } from './http/static-ui.js';
import { requestContext } from './http/request-context.js';
import { UpgradeRouter } from './http/upgrade-router.js';
import type { AppContext, AppState } from './http/types.js';
import { PgBossJobQueue } from './jobs/job-queue.js';
import { createLogger } from './logger.js';
import { withSafeErrors } from './log-safety.js';
import { Metrics } from './metrics.js';
import { registerApiKeyRoutes } from './modules/api-keys/routes.js';
import { registerPushRoutes } from './modules/push/routes.js';
import { registerSdkRoutes } from './modules/sdk/routes.js';
import { registerAuthRoutes } from './modules/auth/routes.js';
import { deriveKeys, getOrCreateSecret } from './modules/auth/secrets.js';
import { ConsoleSmsSender, type SmsSender } from './modules/auth/sms-sender.js';
import { registerIvrHttpRoutes } from './modules/ivr/http-node.js';
import { registerIvrRoutes } from './modules/ivr/routes.js';
import { registerNumberRoutes } from './modules/numbers/routes.js';
import { AUDIO_UPLOAD_PATH, registerAudioRoutes } from './modules/audio/routes.js';
import { registerRealtimeRoutes } from './modules/realtime/routes.js';
import { registerAgentRoutes } from './modules/agents/routes.js';
import { AGENT_IMPORT_PATH, registerAgentAdminRoutes } from './modules/agents/admin-routes.js';
import { mailPortFor, type MailPort } from './modules/mail/port.js';
import { registerMailRoutes } from './modules/mail/routes.js';
import { registerPluginSettingsRoutes } from './modules/plugin-settings/routes.js';
import { registerPlatformRoutes } from './modules/tenants/platform-routes.js';
import { registerDeviceRoutes } from './modules/agents/device-routes.js';
import { registerInternalCallRoutes } from './modules/calls/internal-routes.js';
import { registerRoutingRoutes } from './modules/routing/routes.js';
import { registerRecordRoutes } from './modules/records/routes.js';
import { registerBlacklistRoutes } from './modules/records/blacklist-routes.js';
import { registerSessionRoutes } from './modules/sessions/routes.js';
import { registerOutboundRoutes } from './modules/outbound/routes.js';
import { registerSkillGroupRoutes } from './modules/skill-groups/routes.js';
import { registerRecordingRoutes } from './modules/recordings/routes.js';
import { registerVoicemailRoutes } from './modules/recordings/voicemail-routes.js';
import { registerTenantRoutes } from './modules/tenants/routes.js';
import { registerColleagueRoutes } from './modules/colleagues/routes.js';
import { IMAGE_UPLOAD_PATH, registerMessageRoutes } from './modules/messages/routes.js';
import { registerUserRoutes } from './modules/users/routes.js';
import { registerMonitorRoutes } from './modules/monitoring/routes.js';
import { buildOpenApiDocument, registerDocsRoutes } from './openapi/docs.js';
import { PluginHost } from './plugins/host.js';
import { CallSweeper } from './modules/calls/sweeper.js';
import { noTelephony } from './telephony/none.js';
import type { InstalledTelephony, TelephonyAdapter } from './telephony/types.js';
import { LocalEventBus, type EventBus } from './realtime/bus.js';
import { RealtimeGateway } from './realtime/gateway.js';
import { PgNotifyEventBus } from './realtime/pg-bus.js';

/** Options for {@link createApp} beyond `plugins.config.ts`. */
export interface CreateAppOptions {
  /** The environment to read (default `process.env`). Tests pass their own. */
  env?: Record<string, string | undefined>;
  /** Use this PGlite instance as the embedded database (tests). */
  pglite?: PGlite;
  /** Replace the SMS sender port. */
  smsSender?: SmsSender;
  /** Replace the mail port (default from `mail.smtpUrl` and demo mode, see `mailPortFor`). */
  mailPort?: MailPort;
  /** Replace the logger (tests collect logs). */
  logger?: Logger;
}

/** A running (or ready to run) Switchboard server. */
export interface App {
  config: ResolvedConfig;
  logger: Logger;
  container: AwilixContainer<Cradle>;
  koa: Koa<AppState>;
  server: Server;
  database: Database;
  pluginHost: PluginHost;
  /** WebSocket paths on the HTTP server. */
  upgrades: UpgradeRouter;
  /** The installed telephony adapter, if one is configured. */
  telephony?: InstalledTelephony;
  /** Demo credentials when the demo tenant was seeded. */
  demo?: DemoCredentials;
  /** Base URL of the separate metrics server (`metrics.port`), once listening. */
  metricsUrl?: string;
  /** Listens on the configured port (0 = any); resolves with the base URL. */
  listen(): Promise<string>;
  /** Stops accepting work, drains plugins and jobs, closes sockets and the database. */
  stop(): Promise<void>;
}

/** Checks the `telephony` entry of the config is an adapter (it is typed `unknown` there). */
function asTelephonyAdapter(value: unknown): TelephonyAdapter | undefined {
  if (value === undefined || value === null) return undefined;
  const a = value as Partial<TelephonyAdapter>;
  if (typeof a.name !== 'string' || typeof a.install !== 'function') {
    throw createError(
      'config_invalid',
      'Invalid configuration:\n  telephony: expected a telephony adapter such as jambonz({...})',
    );
  }
  return a as TelephonyAdapter;
}

/**
 * Builds the whole server: configuration, database (migrated), jobs, plugins, HTTP routes and
 * the realtime gateway. Nothing listens until {@link App.listen}.
 */
export async function createApp(fileConfig: SwitchboardConfig = {}, opts: CreateAppOptions = {}): Promise<App> {
  const config = resolveConfig(fileConfig, opts.env ?? process.env);
  // Whatever logger is given, errors are logged without SQL parameter values.
  const logger = withSafeErrors(opts.logger ?? createLogger(config));
  const metrics = new Metrics();

  const database = await openDatabase(
    {
      url: config.database.url,
      dataDir: config.database.dataDir,
      poolSize: config.database.poolSize,
      timeouts: config.database.timeouts,
      ...(opts.pglite ? { pglite: opts.pglite } : {}),
    },
    logger,
  );
  const cleanups: Array<() => Promise<void>> = [() => database.close()];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn().catch((err) => logger.warn({ err }, 'cleanup failed'));
  };
  try {
    await runMigrations(database);
    const expectedMigrations = await expectedMigrationCount();

    const jobs = new PgBossJobQueue({
      url: database.url,
      logger: logger.child({ component: 'jobs' }),
      retryLimit: config.jobs.retryLimit,
      retryDelaySeconds: config.jobs.retryDelaySeconds,
      pollingIntervalSeconds: config.jobs.pollingIntervalSeconds,
    });
    await jobs.start();
    cleanups.push(() => jobs.stop());

    // Embedded mode is one process by definition; LISTEN/NOTIFY only pays off with a shared server.
    const bus: EventBus =
      database.mode === 'server'
        ? new PgNotifyEventBus({ url: database.url, logger: logger.child({ component: 'bus' }) })
        : new LocalEventBus();
    await bus.start();
    cleanups.push(() => bus.stop());

    const secret = config.auth.secret ?? (await getOrCreateSecret(database.db, 'auth'));
    const openapi = new OpenAPIRegistry();
    const container = buildContainer({
      config,
      logger,
      metrics,
      database,
      jobs,
      bus,
      openapi,
      authKeys: deriveKeys(secret),
      smsSender: opts.smsSender ?? new ConsoleSmsSender(logger.child({ component: 'sms' }), config.demo.enabled),
      mail: opts.mailPort ?? mailPortFor(config, database.db, logger.child({ component: 'mail' })),
    });

    const pluginHost = new PluginHost({
      specs: config.plugins,
      logger: logger.child({ component: 'plugins' }),
      metrics,
      container,
      jobs,
      bootTimeoutMs: config.pluginHost.bootTimeoutMs,
      // The core API's own check: plugin routes accept exactly the tokens the API accepts.
      authenticate: (ctx) => authorize(ctx as unknown as AppContext, 'public'),
      // Each tenant's on/off and settings (ADR 0013); resolved lazily, after the host exists.
      tenantSource: { read: (tenantId, plugin) => container.cradle.pluginSettings.read(tenantId, plugin) },
    });
    container.register({ pluginHost: asValue(pluginHost) });
    await pluginHost.boot();
    await pluginHost.startWorkers();
    // Push deliveries (REC-03, REC-08): the worker that sends them, retried by the job queue.
    await container.cradle.pushService.start();
    cleanups.push(() => pluginHost.drain());
    // recording.ready events whose queueing failed (or was cut by a restart) are queued again.
    container.cradle.recordingService.startRedelivery(config.pluginHost.requeueIntervalMs);
    cleanups.push(() => container.cradle.recordingService.stopRedelivery());
    // Monitor rows still gathering go out before the bus and the database close.
    cleanups.push(() => container.cradle.monitorService.stop());

    const demo = config.demo.enabled
      ? await seedDemo(container.cradle, config.demo.password, config.demo.crm)
      : undefined;

    const adapter = asTelephonyAdapter(config.telephony);
    const koa = new Koa<AppState>({ proxy: config.server.trustProxy });
    koa.use(requestContext(logger, metrics));
    koa.use(securityHeaders());
    koa.use(errorHandler());
    koa.use(async (ctx, next) => {
      ctx.state.container = container.createScope();
      await next();
    });
    koa.use(
      bodyParser({
        limitBytes: config.server.bodyLimitBytes,
        rawPrefixes: adapter?.rawBodyPrefixes ?? [],
        // Plugin routes may take other bodies than JSON (WeCom posts XML); they read `rawBody`.
        rawUnlessJsonPrefixes: ['/plugins/'],
        streamPaths: [AUDIO_UPLOAD_PATH, IMAGE_UPLOAD_PATH, AGENT_IMPORT_PATH],
      }),
    );

    // Set once the adapter is installed (below); /readyz only answers after that.
    let telephonyHealth: (() => { warnings: string[] }) | undefined;
    const system = new Router();
    system.get('/healthz', (ctx) => {
      ctx.state.routePath = '/healthz';
      ctx.body = { status: 'ok' };
    });
    system.get('/readyz', async (ctx) => {
      ctx.state.routePath = '/readyz';
      const ready = await checkReady(database, expectedMigrations);
      ctx.status = ready.ok ? 200 : 503;
      // The adapter's known limits (e.g. jambonz recordings across feature servers) ride along.
      const tel = telephonyHealth?.();
      ctx.body = ready.ok
        ? { status: 'ready', ...(tel && tel.warnings.length > 0 ? { telephony: tel } : {}) }
        : { error: { code: 'not_ready', message: ready.reason } };
    });
    registerMetricsRoute(system, metrics, config.metrics);
    const metricsServer =
      config.metrics.port !== undefined
        ? new MetricsServer(
            metrics,
            { ...config.metrics, port: config.metrics.port },
            config.server.host,
            logger.child({ component: 'metrics' }),
          )
        : undefined;
    if (metricsServer) cleanups.push(() => metricsServer.stop());

    const api = new ApiRouter(openapi);
    registerAuthRoutes(api);
    registerTenantRoutes(api);
    registerUserRoutes(api);
    registerApiKeyRoutes(api);
    registerPushRoutes(api);
    registerSdkRoutes(api);
    registerRealtimeRoutes(api);
    registerAgentRoutes(api);
    registerAgentAdminRoutes(api);
    registerPlatformRoutes(api);
    registerMailRoutes(api);
    registerPluginSettingsRoutes(api);
    registerSkillGroupRoutes(api);
    registerRecordRoutes(api);
    registerBlacklistRoutes(api);
    registerRecordingRoutes(api);
    registerIvrRoutes(api);
    registerNumberRoutes(api);
    registerAudioRoutes(api);
    registerDeviceRoutes(api);
    registerRoutingRoutes(api);
    registerInternalCallRoutes(api);
    registerVoicemailRoutes(api);
    registerIvrHttpRoutes(api);
    registerSessionRoutes(api);
    registerColleagueRoutes(api);
    registerMessageRoutes(api);
    registerOutboundRoutes(api);
    registerMonitorRoutes(api);
    const docs = new Router();
    registerDocsRoutes(docs, () => buildOpenApiDocument(openapi, config));

    // The request handler is attached once every router is mounted: Koa composes its
    // middleware when callback() is called.
    const server = createServer();
    const upgrades = new UpgradeRouter(server);

    // Telephony: the adapter from plugins.config.ts mounts its webhooks and WebSocket paths.
    let publicUrl = config.server.publicUrl ?? '';
    // The audio library signs play URLs with it, and IVR validation checks ids against it.
    container.cradle.audioLibrary.usePublicUrl(() => publicUrl);
    // Pushed recordings carry an absolute, signed link to their audio.
    container.cradle.pushService.usePublicUrl(() => publicUrl);
    container.cradle.sdkService.usePublicUrl(() => publicUrl);
    await container.cradle.audioLibrary.warm();
    container.cradle.ivrService.audioCatalog = container.cradle.audioLibrary;
    const telephonyRouter = new Router();
    const telephony = adapter
      ? await adapter.install({
          callFlow: container.cradle.callFlow,
          logger: logger.child({ component: adapter.name }),
          background: container.cradle.background,
          router: telephonyRouter,
          upgrade: (path, handler) => upgrades.route(path, handler),
          publicUrl: () => publicUrl,
          recordings: container.cradle.recordingService,
          sessionTenant: async (sessionId) =>
            (await container.cradle.callFlow.sessionById(sessionId))?.tenantId ?? null,
          metrics: { webhookDeadline: (hook) => metrics.webhookDeadlines.inc({ hook }) },
        })
      : undefined;
    if (telephony?.health) telephonyHealth = () => telephony.health!();
    // Calls will come: index the caller-location tables now (~60 ms) rather than on the first offer.
    if (telephony) container.cradle.callerLocator.warm();
    let telephonyStopped = false;
    const stopTelephony = async () => {
      if (telephonyStopped || !telephony) return;
      telephonyStopped = true;
      await telephony.stop();
    };
    cleanups.push(stopTelephony);
    container.register({ telephony: asValue(telephony?.port ?? noTelephony) });
    const sweeper = new CallSweeper(
      {
        agentService: container.cradle.agentService,
        acdService: container.cradle.acdService,
        callFlow: container.cradle.callFlow,
        logger: logger.child({ component: 'sweeper' }),
        background: container.cradle.background,
      },
      config.calls.sweepIntervalMs,
    );
    cleanups.push(() => sweeper.stop());

    for (const r of [system, api.router, docs, telephonyRouter, ...pluginHost.routers()]) {
      koa.use(r.routes());
      // Not `throw: true`: the thrown errors carry no `Allow` list. The error handler turns the
      // 405/501 these set into a coded 405 with `Allow`.
      koa.use(r.allowedMethods());
    }
    // The agent mini-program's h5 build, before the web app's fallback can claim `/m/…`.
    const mobile = staticMobile(config.ui.mobileDir);
    if (mobile) koa.use(mobile);
    // The web app last: only what no router answered may fall back to its index.html.
    const ui = staticUi(config.ui.dir, {
      // The embedded workbench (`/embed/<tenant>`) may be framed by the tenant's SDK origins.
      embedAncestors: (tenantId) => container.cradle.sdkService.allowedOrigins(tenantId),
    });
    if (ui) koa.use(ui);
    else logger.info({ dir: config.ui.dir }, 'no web app build found: serving the API only (npm run build builds it)');
    server.on('request', koa.callback());

    const gateway = new RealtimeGateway({
      upgrades,
      bus,
      tokenService: container.cradle.tokenService,
      ticketService: container.cradle.ticketService,
      userRepo: container.cradle.userRepo,
      tokenRevocation: container.cradle.tokenRevocation,
      logger: logger.child({ component: 'ws' }),
      metrics,
      heartbeatMs: config.realtime.heartbeatMs,
      // A ticket stands in for an access token, so its socket lives as long as one would.
      tokenTtlMs: config.auth.accessTokenTtlSeconds * 1000,
    });
    gateway.start();

    let stopped = false;
    const app: App = {
      config,
      logger,
      container,
      koa,
      server,
      database,
      pluginHost,
      upgrades,
      ...(telephony ? { telephony } : {}),
      ...(demo ? { demo } : {}),
      async listen() {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(config.server.port, config.server.host, () => resolve());
        });
        const addr = server.address() as AddressInfo;
        const host = config.server.host === '0.0.0.0' ? '127.0.0.1' : config.server.host;
        const url = `http://${host}:${addr.port}`;
        publicUrl ||= url;
        if (metricsServer) app.metricsUrl = await metricsServer.listen();
        await telephony?.started?.();
        sweeper.start();
        return url;
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        await sweeper.stop();
        await gateway.stop();
        // Upgraded sockets (audio forks) are not HTTP connections: closeAllConnections() leaves
        // them open and server.close() would wait for them forever. Close them first.
        await stopTelephony();
        await new Promise<void>((resolve) => {
          if (!server.listening) return resolve();
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await cleanup();
      },
    };
    return app;
  } catch (err) {
    await cleanup();
    if (err instanceof AppError) throw err;
    throw err;
  }
}
