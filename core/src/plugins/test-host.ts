import { InjectionMode, asValue, createContainer, type AwilixContainer } from 'awilix';
import { pino } from 'pino';
import { Metrics } from '../metrics.js';
import { MemoryPluginRecordStore } from '../modules/plugin-records/store.js';
import { pluginKeyPrefix } from './define-plugin.js';
import { PluginHost, ownsKey, type HookPayload, type PluginTenantSource } from './host.js';
import type { HookEmitResults, HookPolicyOverrides } from './policies.js';
import type { HookName, HookPayloadBase, PluginSpec, PluginStatus } from './types.js';

/** One captured log line, as pino wrote it (`level` is pino's number: 40 warn, 50 error). */
export interface CapturedLog {
  level: number;
  msg?: string;
  plugin?: string;
  hook?: string;
  durationMs?: number;
  err?: { type?: string; message?: string; code?: string; stack?: string };
  [field: string]: unknown;
}

/** Options of {@link createTestHost}. */
export interface TestHostOptions {
  /** The plugins under test, as in `plugins.config.ts`. */
  plugins: PluginSpec[];
  /**
   * Fakes by DI key. A key with a plugin's prefix (`crmScreenPopApi` for `crm-screen-pop`)
   * replaces that plugin's own registration after its `register`; any other key is a core
   * service (`recordingStorage`, `clock`, …), which a plugin still only sees if it lists it in
   * `deps`.
   */
  overrides?: Record<string, unknown>;
  /** Boot timeout of `register` and `routes`, in ms. Default 10000, as in the server. */
  bootTimeoutMs?: number;
  /** Shorter budgets, e.g. `{ 'call.ended': { timeoutMs: 100 } }`. */
  policyOverrides?: HookPolicyOverrides;
  /** Tries a durable hook gets (inline, back to back). Default 3. */
  durableAttempts?: number;
  /** How long `close()` waits for handlers still running (e.g. ones that hang). Default 1000. */
  drainTimeoutMs?: number;
  /** Lowest level captured in `logs`. Default `debug`. */
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  /**
   * Tenants and their plugin settings, by tenant id, as a tenant's admin would have saved them
   * (secrets in clear). `testPayload` uses tenant `tenant-1`. Without it, plugins with
   * `tenantSettings` or an edition run for no tenant, the others for every tenant — as a server
   * whose tenants never touched them.
   *
   * @example
   * tenants: { 'tenant-1': { edition: 'advanced', plugins: { 'wecom-add-friend': { enabled: true, settings: { corpId: 'ww1' } } } } }
   */
  tenants?: Record<string, TestTenant>;
}

/** A tenant of {@link TestHostOptions.tenants}. */
export interface TestTenant {
  /** Default `standard`. */
  edition?: 'standard' | 'advanced';
  /** Saved state per plugin name; a plugin left out is at its default. */
  plugins?: Record<string, { enabled: boolean; settings?: Record<string, unknown> }>;
}

/** A booted host for one plugin's tests. */
export interface TestHost {
  host: PluginHost;
  /** `host.emit`, bound. */
  emit<K extends HookName>(hook: K, payload: HookPayload<K>): Promise<HookEmitResults[K]>;
  /** What boot returned, in configuration order. */
  statuses: PluginStatus[];
  /** A private registry: read `pluginHookFailures` etc. without touching global state. */
  metrics: Metrics;
  /** The core container (with the core-service `overrides` registered). */
  container: AwilixContainer;
  /** Every log line so far; nothing is printed. */
  logs: CapturedLog[];
  /** Failures counted for a plugin (optionally one hook / reason). */
  failureCount(filter: { plugin: string; hook?: HookName; reason?: 'error' | 'timeout' }): Promise<number>;
  /** Waits (up to `drainTimeoutMs`) for running handlers, then disposes the container. */
  close(): Promise<void>;
}

/**
 * Boots plugins the way the server does — same host, same policies, same DI rules — but with
 * no database: durable hooks run inline (up to `durableAttempts` tries, `ctx.attempt` counting
 * up), logs are captured instead of printed, metrics live in a private registry.
 * Rejects like the server would if a plugin with `onBootFailure: 'abort'` fails to boot.
 *
 * @example
 * const t = await createTestHost({
 *   plugins: [crmScreenPopPlugin({ baseUrl: 'https://crm.test' })],
 *   overrides: { crmScreenPopClient: fakeCrm, recordingStorage: fakeStorage },
 * })
 * const { annotations } = await t.emit('call.incoming', payload)
 * expect(annotations.customerId).toBe('c-42')
 * await t.close()
 */
export async function createTestHost(opts: TestHostOptions): Promise<TestHost> {
  const logs: CapturedLog[] = [];
  const logger = pino(
    { level: opts.logLevel ?? 'debug', base: undefined },
    { write: (line: string) => void logs.push(JSON.parse(line) as CapturedLog) },
  );
  const metrics = new Metrics({ defaults: false });
  const container = createContainer({ injectionMode: InjectionMode.PROXY, strict: true });
  const prefixes = opts.plugins.map((p) => pluginKeyPrefix(p.definition.name));
  const pluginOverrides: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(opts.overrides ?? {})) {
    if (prefixes.some((prefix) => ownsKey(prefix, key))) pluginOverrides[key] = value;
    else container.register(key, asValue(value));
  }

  // A plugin's records need no database in its own tests: the in-memory store keeps the same
  // contract as the PostgreSQL one (one contract test runs against both).
  if (!container.hasRegistration('pluginRecords')) {
    const clock = (opts.overrides?.clock as { now(): Date } | undefined) ?? { now: () => new Date() };
    container.register('pluginRecords', asValue(new MemoryPluginRecordStore(clock)));
  }

  const host = new PluginHost({
    specs: opts.plugins,
    logger,
    metrics,
    container,
    inlineDurableAttempts: opts.durableAttempts ?? 3,
    drainTimeoutMs: opts.drainTimeoutMs ?? 1000,
    pluginOverrides,
    ...(opts.tenants ? { tenantSource: mapTenantSource(opts.tenants) } : {}),
    ...(opts.bootTimeoutMs !== undefined ? { bootTimeoutMs: opts.bootTimeoutMs } : {}),
    ...(opts.policyOverrides ? { policyOverrides: opts.policyOverrides } : {}),
  });
  const statuses = await host.boot();

  return {
    host,
    emit: (hook, payload) => host.emit(hook, payload),
    statuses,
    metrics,
    container,
    logs,
    async failureCount(filter) {
      const { values } = await metrics.pluginHookFailures.get();
      return values
        .filter(
          (v) =>
            v.labels.plugin === filter.plugin &&
            (filter.hook === undefined || v.labels.hook === filter.hook) &&
            (filter.reason === undefined || v.labels.reason === filter.reason),
        )
        .reduce((sum, v) => sum + v.value, 0);
    },
    async close() {
      await host.drain();
      await container.dispose();
    },
  };
}

/** A tenant source over a map (tests): a copy per read, so a test's later edits apply at once. */
function mapTenantSource(tenants: Record<string, TestTenant>): PluginTenantSource {
  return {
    read: (tenantId, plugin) => {
      const t = tenants[tenantId];
      if (!t) return Promise.resolve(undefined);
      const saved = t.plugins?.[plugin];
      return Promise.resolve({
        edition: t.edition ?? 'standard',
        stored: saved ? { enabled: saved.enabled, settings: structuredClone(saved.settings ?? {}) } : undefined,
      });
    },
  };
}

const CALL = {
  sessionId: 'session-1',
  callSid: 'call-sid-1',
  direction: 'inbound',
  from: '+8613800000000',
  to: '+864000000000',
} as const;

// One plausible payload per hook; tests override the fields they care about.
const SAMPLES: { [K in HookName]: Omit<HookPayload<K>, keyof HookPayloadBase> } = {
  'call.incoming': CALL,
  'call.outbound': {
    ...CALL,
    direction: 'outbound',
    callSid: '',
    from: '+864000000000',
    to: '+8613800000000',
    agentId: 'agent-1',
  },
  'call.queued': { ...CALL, skillGroupId: 'group-1' },
  'call.offered': { ...CALL, agentId: 'agent-1', skillGroupId: 'group-1' },
  'call.answered': { ...CALL, agentId: 'agent-1' },
  'call.held': { ...CALL, held: true, agentId: 'agent-1' },
  'call.transferred': { ...CALL, fromAgentId: 'agent-1', target: { type: 'agent', id: 'agent-2' } },
  'call.ended': { ...CALL, cdr: { billableSeconds: 42 } },
  'agent.status.changed': { agentId: 'agent-1', from: 'idle', to: 'busy' },
  'recording.ready': {
    recordingId: 'recording-1',
    sessionId: 'session-1',
    storageKey: 'recordings/recording-1.mp3',
    contentType: 'audio/mpeg',
    durationMs: 42_000,
    sizeBytes: 336_000,
  },
  'ivr.http': { sessionId: 'session-1', nodeId: 'node-1', request: {} },
  'number.identify': { sessionId: 'session-1', direction: 'inbound', number: '+8613800000000' },
  'number.resolve': { customerId: 'U-1' },
};

let sampleSeq = 0;

/**
 * A valid payload for `hook`, with `overrides` applied. Each call gets a fresh
 * `idempotencyKey`, as two real events would.
 *
 * @example
 * await t.emit('call.incoming', testPayload('call.incoming', { from: '+8613912345678' }))
 */
export function testPayload<K extends HookName>(hook: K, overrides: Partial<HookPayload<K>> = {}): HookPayload<K> {
  sampleSeq += 1;
  const base: HookPayloadBase = {
    tenantId: 'tenant-1',
    occurredAt: new Date().toISOString(),
    idempotencyKey: `${hook}-${process.pid}-${Date.now()}-${sampleSeq}`,
  };
  return { ...base, ...structuredClone(SAMPLES[hook]), ...overrides } as HookPayload<K>;
}
