import { asClass, asFunction, asValue, createContainer, InjectionMode, type AwilixContainer } from 'awilix';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Logger } from 'pino';
import type { ResolvedConfig } from './config/config.js';
import { systemClock, type Clock } from './clock.js';
import { RecordingArchive } from './modules/recordings/archive.js';
import { PluginRecordStore } from './modules/plugin-records/store.js';
import { PluginCalls } from './modules/sessions/plugin-calls.js';
import { PushService } from './modules/push/service.js';
import { SdkService } from './modules/sdk/service.js';
import type { Database, Db } from './db/database.js';
import type { JobQueue } from './jobs/job-queue.js';
import type { Metrics } from './metrics.js';
import { BackgroundSteps } from './background.js';
import { ApiKeyService } from './modules/api-keys/service.js';
import { RateLimiter } from './modules/auth/rate-limiter.js';
import { TokenRevocation } from './modules/auth/revocation.js';
import { SignInThrottle } from './modules/auth/throttle.js';
import type { AuthKeys } from './modules/auth/secrets.js';
import { AuthService } from './modules/auth/service.js';
import type { SmsSender } from './modules/auth/sms-sender.js';
import { TokenService } from './modules/auth/tokens.js';
import { TicketService } from './modules/realtime/tickets.js';
import { RecordingService } from './modules/recordings/service.js';
import { LocalDiskStorage, type StoragePort } from './modules/recordings/storage.js';
import { PluginSettingsRepo } from './modules/plugin-settings/repo.js';
import { PluginSettingsService } from './modules/plugin-settings/service.js';
import { TenantRepo } from './modules/tenants/repo.js';
import { TenantSettingsService } from './modules/tenants/settings-service.js';
import { PlatformTenantService } from './modules/tenants/platform-service.js';
import type { MailPort } from './modules/mail/port.js';
import { AgentAdminRepo } from './modules/agents/admin-repo.js';
import { AgentAdminService } from './modules/agents/admin-service.js';
import { UserRepo } from './modules/users/repo.js';
import type { PluginHost } from './plugins/host.js';
import { AgentService } from './modules/agents/service.js';
import { DeviceService } from './modules/agents/device-service.js';
import { InternalCallService } from './modules/calls/internal-calls.js';
import { PreferredAgentService } from './modules/routing/preferred-agents.js';
import { CallFlowService } from './modules/calls/call-flow.js';
import { IvrRunner } from './modules/calls/ivr-runner.js';
import { SessionEndService } from './modules/calls/session-end.js';
import { SessionEventService } from './modules/calls/session-events.js';
import { AcdService } from './modules/routing/acd.js';
import type { TelephonyPort } from './telephony/types.js';
import { IvrRepo } from './modules/ivr/repo.js';
import { IvrService } from './modules/ivr/service.js';
import { NumberRepo } from './modules/numbers/repo.js';
import { NumberService } from './modules/numbers/service.js';
import { BlacklistRepo } from './modules/records/blacklist-repo.js';
import { SkillGroupRepo } from './modules/skill-groups/repo.js';
import { SkillGroupService } from './modules/skill-groups/service.js';
import { SessionControlService } from './modules/sessions/control-service.js';
import { OutboundRepo } from './modules/outbound/repo.js';
import { OutboundService } from './modules/outbound/service.js';
import type { EventBus } from './realtime/bus.js';
import { AudioLibrary } from './modules/audio/service.js';
import { EspeakNgTts, type TtsPort } from './modules/audio/tts.js';
import { CallerLocator } from './modules/caller-location/lookup.js';
import { MessageService } from './modules/messages/service.js';
import { MonitorRepo } from './modules/monitoring/repo.js';
import { MonitorService } from './modules/monitoring/service.js';

/**
 * Everything the root container holds. Root registrations are singletons only (awilix strict
 * mode refuses a singleton that depends on a scoped registration); request scopes add nothing
 * that services depend on — handlers pass the principal explicitly, which keeps tenant scoping
 * visible at every repository call.
 */
export interface Cradle {
  config: ResolvedConfig;
  logger: Logger;
  metrics: Metrics;
  /** The owner of work nobody awaits: failures logged with their step and counted. */
  background: BackgroundSteps;
  database: Database;
  db: Db;
  jobs: JobQueue;
  bus: EventBus;
  openapi: OpenAPIRegistry;
  pluginHost: PluginHost;
  authKeys: AuthKeys;
  smsSender: SmsSender;
  /** Outgoing mail: SMTP (`SMTP_URL`), else the dev sink in demo mode, else none. */
  mail: MailPort;
  tenantRepo: TenantRepo;
  /** Typed tenant settings (ADR 0011). */
  tenantSettings: TenantSettingsService;
  pluginSettingsRepo: PluginSettingsRepo;
  /** Plugins' per-tenant settings (ADR 0013): the plugin host's tenant source and the admin API. */
  pluginSettings: PluginSettingsService;
  /** The platform operator's tenant administration (`/platform/tenants`, `npm run tenant`). */
  platformTenants: PlatformTenantService;
  agentAdminRepo: AgentAdminRepo;
  /** Agent administration (ADM-08…13). */
  agentAdmin: AgentAdminService;
  userRepo: UserRepo;
  rateLimiter: RateLimiter;
  /** Sign-in throttling with growing delays (per account+address, address, account). */
  signInThrottle: SignInThrottle;
  /** Ends access tokens on sign-out and disabling (cached per user, invalidated over the bus). */
  tokenRevocation: TokenRevocation;
  tokenService: TokenService;
  apiKeyService: ApiKeyService;
  authService: AuthService;
  ticketService: TicketService;
  /** Where recordings are kept (local disk by default). */
  recordingStorage: StoragePort;
  recordingService: RecordingService;
  /** Where archive plugins report their copy of a recording (REC-09). */
  recordingArchive: RecordingArchive;
  /** Plugins' own records per tenant (each plugin sees only its own). */
  pluginRecords: PluginRecordStore;
  /** What a plugin's agent action may know of a call, and its card on it. */
  pluginCalls: PluginCalls;
  /** Push subscriptions and deliveries (REC-03, REC-08). */
  pushService: PushService;
  /** SDK login tokens and the embedding allow-list (issue 14). */
  sdkService: SdkService;
  agentService: AgentService;
  /** Softphone credentials and device choice (IN-01…03). */
  deviceService: DeviceService;
  /** Agent → agent calls (AGT-04). */
  internalCallService: InternalCallService;
  /** Preferred-agent marks (IVR-21). */
  preferredAgentService: PreferredAgentService;
  ivrRepo: IvrRepo;
  ivrService: IvrService;
  numberRepo: NumberRepo;
  skillGroupRepo: SkillGroupRepo;
  /** Skill-group administration (ADM-06/07). */
  skillGroupService: SkillGroupService;
  blacklistRepo: BlacklistRepo;
  acdService: AcdService;
  callFlow: CallFlowService;
  /** The call path's IVR: interpreter steps applied to a session, replays. */
  ivrRunner: IvrRunner;
  /** The end of a customer's call: outcome, CDR, wrap-up, the reaper. */
  sessionEnd: SessionEndService;
  /** Live call control (issue 5: CTL-01…11, MON-03). */
  sessionControl: SessionControlService;
  /** Caller IDs of outbound calls (OUT-07). */
  outboundRepo: OutboundRepo;
  /** Outbound calls from the workbench (OUT-01/03/07/09). */
  outboundService: OutboundService;
  /** `session.state` events of every session state change (issue 5 item 7). */
  sessionEvents: SessionEventService;
  /** Set once the telephony adapter is installed (a no-op port without one). */
  telephony: TelephonyPort;
  /** The wall clock the call path reads (working hours); tests register a fixed one. */
  clock: Clock;
  numberService: NumberService;
  /** Where audio-library files are kept (local disk under `<DATA_DIR>/audio` by default). */
  audioStorage: StoragePort;
  /** The tenant audio library (ADM-01); also the IVR module's audio catalog. */
  audioLibrary: AudioLibrary;
  /** Text-to-speech for prompt previews (IVR-02); espeak-ng by default. */
  tts: TtsPort;
  /** Caller location of Chinese numbers, offline (IN-06). */
  callerLocator: CallerLocator;
  /** Where image messages are kept (local disk under `<DATA_DIR>/im` by default). */
  imStorage: StoragePort;
  /** Internal instant messages (AGT-05). */
  messageService: MessageService;
  monitorRepo: MonitorRepo;
  /** Live monitors (MON-01/02/03): their reads and the `monitor.*` feed. */
  monitorService: MonitorService;
}

/** Core keys, so plugins cannot register over them. */
export type CoreKey = keyof Cradle;

/** Builds the root container from the already-open infrastructure. */
export function buildContainer(infra: {
  config: ResolvedConfig;
  logger: Logger;
  metrics: Metrics;
  database: Database;
  jobs: JobQueue;
  bus: EventBus;
  openapi: OpenAPIRegistry;
  authKeys: AuthKeys;
  smsSender: SmsSender;
  mail: MailPort;
}): AwilixContainer<Cradle> {
  const container = createContainer<Cradle>({ injectionMode: InjectionMode.PROXY, strict: true });
  container.register({
    config: asValue(infra.config),
    logger: asValue(infra.logger),
    metrics: asValue(infra.metrics),
    background: asClass(BackgroundSteps).singleton(),
    database: asValue(infra.database),
    db: asValue(infra.database.db),
    jobs: asValue(infra.jobs),
    bus: asValue(infra.bus),
    openapi: asValue(infra.openapi),
    authKeys: asValue(infra.authKeys),
    smsSender: asValue(infra.smsSender),
    mail: asValue(infra.mail),
    tenantRepo: asClass(TenantRepo).singleton(),
    tenantSettings: asClass(TenantSettingsService).singleton(),
    pluginSettingsRepo: asClass(PluginSettingsRepo).singleton(),
    pluginSettings: asClass(PluginSettingsService).singleton(),
    platformTenants: asClass(PlatformTenantService).singleton(),
    agentAdminRepo: asClass(AgentAdminRepo).singleton(),
    agentAdmin: asClass(AgentAdminService).singleton(),
    userRepo: asClass(UserRepo).singleton(),
    rateLimiter: asClass(RateLimiter).singleton(),
    signInThrottle: asClass(SignInThrottle).singleton(),
    tokenRevocation: asClass(TokenRevocation).singleton(),
    tokenService: asClass(TokenService).singleton(),
    apiKeyService: asClass(ApiKeyService).singleton(),
    authService: asClass(AuthService).singleton(),
    ticketService: asClass(TicketService).singleton(),
    recordingStorage: asClass(LocalDiskStorage).singleton(),
    recordingService: asClass(RecordingService).singleton(),
    recordingArchive: asClass(RecordingArchive).singleton(),
    pluginRecords: asClass(PluginRecordStore).singleton(),
    pluginCalls: asClass(PluginCalls).singleton(),
    pushService: asClass(PushService).singleton(),
    sdkService: asClass(SdkService).singleton(),
    agentService: asClass(AgentService).singleton(),
    deviceService: asClass(DeviceService).singleton(),
    internalCallService: asClass(InternalCallService).singleton(),
    preferredAgentService: asClass(PreferredAgentService).singleton(),
    ivrRepo: asClass(IvrRepo).singleton(),
    ivrService: asClass(IvrService).singleton(),
    numberRepo: asClass(NumberRepo).singleton(),
    skillGroupRepo: asClass(SkillGroupRepo).singleton(),
    skillGroupService: asClass(SkillGroupService).singleton(),
    blacklistRepo: asClass(BlacklistRepo).singleton(),
    acdService: asClass(AcdService).singleton(),
    callFlow: asClass(CallFlowService).singleton(),
    ivrRunner: asClass(IvrRunner).singleton(),
    sessionEnd: asClass(SessionEndService).singleton(),
    clock: asValue(systemClock),
    numberService: asClass(NumberService).singleton(),
    audioStorage: asFunction(({ config }: Cradle) => new LocalDiskStorage({ config }, 'audio')).singleton(),
    audioLibrary: asClass(AudioLibrary).singleton(),
    tts: asClass(EspeakNgTts).singleton(),
    sessionControl: asClass(SessionControlService).singleton(),
    outboundRepo: asClass(OutboundRepo).singleton(),
    outboundService: asClass(OutboundService).singleton(),
    sessionEvents: asClass(SessionEventService).singleton(),
    callerLocator: asClass(CallerLocator).singleton(),
    imStorage: asFunction(({ config }: Cradle) => new LocalDiskStorage({ config }, 'im')).singleton(),
    messageService: asClass(MessageService).singleton(),
    monitorRepo: asClass(MonitorRepo).singleton(),
    monitorService: asClass(MonitorService).singleton(),
  });
  return container;
}
