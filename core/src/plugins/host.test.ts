import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { asClass, asValue, createContainer, InjectionMode } from 'awilix';
import Koa from 'koa';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../errors/registry.js';
import { Metrics } from '../metrics.js';
import { definePlugin } from './define-plugin.js';
import { PluginHost, type PluginHostOptions } from './host.js';
import type { HookPolicyOverrides } from './policies.js';
import { testPayload, type CapturedLog } from './test-host.js';
import type { HookName, PluginSpec } from './types.js';

const noConfig = z.object({});

function setup(specs: PluginSpec[], extra: Partial<PluginHostOptions> = {}) {
  const logs: CapturedLog[] = [];
  const logger = pino({ level: 'debug', base: undefined }, { write: (l: string) => void logs.push(JSON.parse(l)) });
  const metrics = new Metrics({ defaults: false });
  const container = createContainer({ injectionMode: InjectionMode.PROXY, strict: true });
  const host = new PluginHost({ specs, logger, metrics, container, ...extra });
  return { host, logs, metrics, container };
}

/** Reads the failure counter straight from the Prometheus registry. */
async function failures(metrics: Metrics, plugin: string, hook: HookName, reason: 'error' | 'timeout') {
  const all = await metrics.registry.getMetricsAsJSON();
  const counter = all.find((m) => m.name === 'switchboard_plugin_hook_failures_total');
  const row = counter?.values.find(
    (v) => v.labels.plugin === plugin && v.labels.hook === hook && v.labels.reason === reason,
  );
  return row?.value ?? 0;
}

async function bootError(host: PluginHost): Promise<AppError> {
  const err = await host.boot().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** A plugin that records its name when `hook` runs (with an optional order). */
function recorder(name: string, seen: string[], opts: { dependsOn?: string[]; order?: 'pre' | 'post' } = {}) {
  return definePlugin({
    name,
    version: '1.0.0',
    config: noConfig,
    dependsOn: opts.dependsOn ?? [],
    register: () => void seen.push(`register:${name}`),
    hooks: {
      'call.answered': {
        ...(opts.order ? { order: opts.order } : {}),
        handler: () => void seen.push(name),
      },
    },
  })({});
}

describe('PluginHost ordering', () => {
  it('[INT-03] boots plugins after their dependencies and runs handlers pre, unordered, post', async () => {
    const seen: string[] = [];
    const { host } = setup([
      recorder('audit', seen, { order: 'post' }),
      recorder('crm', seen, { dependsOn: ['numbers'] }),
      recorder('blocker', seen, { dependsOn: ['crm'], order: 'pre' }),
      recorder('numbers', seen),
    ]);
    await host.boot();
    expect(seen).toEqual(['register:audit', 'register:numbers', 'register:crm', 'register:blocker']);
    seen.length = 0;
    await host.emit('call.answered', testPayload('call.answered'));
    expect(seen).toEqual(['blocker', 'numbers', 'crm', 'audit']);
  });

  it('[INT-03] keeps configuration order among plugins without dependencies', async () => {
    const seen: string[] = [];
    const { host } = setup([recorder('zeta', seen), recorder('alpha', seen), recorder('mid', seen)]);
    const statuses = await host.boot();
    expect(statuses.map((s) => s.name)).toEqual(['zeta', 'alpha', 'mid']);
    seen.length = 0;
    await host.emit('call.answered', testPayload('call.answered'));
    expect(seen).toEqual(['zeta', 'alpha', 'mid']);
  });

  it('[INT-03] merges call.incoming annotations in plugin order, later plugins winning', async () => {
    const annotate = (name: string, annotations: Record<string, unknown>, dependsOn: string[] = []) =>
      definePlugin({
        name,
        version: '1.0.0',
        config: noConfig,
        dependsOn,
        hooks: { 'call.incoming': () => ({ annotations }) },
      })({});
    const { host } = setup([
      annotate('second', { customerId: 'c-2', vip: true }, ['first']),
      annotate('first', { customerId: 'c-1', crmCard: { name: 'Ann' } }),
    ]);
    await host.boot();
    const result = await host.emit('call.incoming', testPayload('call.incoming'));
    expect(result).toEqual({ annotations: { customerId: 'c-2', vip: true, crmCard: { name: 'Ann' } } });
  });
});

describe('PluginHost dependency graph', () => {
  it('[INT-03] refuses a dependency cycle and names it', async () => {
    const p = (name: string, dep: string) =>
      definePlugin({ name, version: '1.0.0', config: noConfig, dependsOn: [dep] })({});
    const { host } = setup([
      definePlugin({ name: 'free', version: '1.0.0', config: noConfig })({}),
      p('a', 'b'),
      p('b', 'c'),
      p('c', 'a'),
    ]);
    const err = await bootError(host);
    expect(err.code).toBe('plugin_dependency_cycle');
    expect(err.message).toContain('a -> b -> c -> a');
  });

  it('[INT-03] refuses a dependency on a plugin that is not configured', async () => {
    const { host } = setup([
      definePlugin({ name: 'crm', version: '1.0.0', config: noConfig, dependsOn: ['number-mapping'] })({}),
    ]);
    const err = await bootError(host);
    expect(err.code).toBe('plugin_dependency_missing');
    expect(err.message).toContain('"crm"');
    expect(err.message).toContain('"number-mapping"');
  });

  it('[INT-03] refuses the same plugin listed twice', async () => {
    const crm = definePlugin({ name: 'crm', version: '1.0.0', config: noConfig });
    const { host } = setup([crm({}), crm({})]);
    const err = await bootError(host);
    expect(err.code).toBe('plugin_boot_failed');
    expect(err.message).toContain('"crm" is listed twice');
  });
});

describe('PluginHost isolation', () => {
  it('[INT-03] a throwing handler never reaches the caller; others still run; failure is counted and logged', async () => {
    const ran: string[] = [];
    const { host, metrics, logs } = setup([
      definePlugin({
        name: 'bad',
        version: '1.0.0',
        config: noConfig,
        hooks: {
          'call.answered': async () => {
            throw new Error('boom');
          },
          'call.incoming': () => {
            throw new Error('sync boom');
          },
        },
      })({}),
      definePlugin({
        name: 'good',
        version: '1.0.0',
        config: noConfig,
        hooks: {
          'call.answered': () => void ran.push('good'),
          'call.incoming': () => ({ annotations: { fromGood: true } }),
        },
      })({}),
    ]);
    await host.boot();

    await expect(host.emit('call.answered', testPayload('call.answered'))).resolves.toBeUndefined();
    await expect(host.emit('call.incoming', testPayload('call.incoming'))).resolves.toEqual({
      annotations: { fromGood: true },
    });

    expect(ran).toEqual(['good']);
    expect(await failures(metrics, 'bad', 'call.answered', 'error')).toBe(1);
    expect(await failures(metrics, 'bad', 'call.incoming', 'error')).toBe(1);
    expect(await failures(metrics, 'good', 'call.answered', 'error')).toBe(0);
    const line = logs.find((l) => l.plugin === 'bad' && l.hook === 'call.answered' && l.level >= 40);
    expect(line).toBeDefined();
    expect(line?.err?.message).toBe('boom');
    expect(typeof line?.durationMs).toBe('number');
    expect(line?.callSid).toBe('call-sid-1');
  });

  it('[INT-03] a hanging handler is cut off at its budget, its signal aborted, the timeout counted', async () => {
    let signal: AbortSignal | undefined;
    let otherDone = false;
    const { host, metrics, logs } = setup(
      [
        definePlugin({
          name: 'hang',
          version: '1.0.0',
          config: noConfig,
          hooks: {
            'call.ended': (_p, ctx) => {
              signal = ctx.signal;
              return new Promise<void>(() => undefined); // never settles, ignores the signal
            },
          },
        })({}),
        definePlugin({
          name: 'fine',
          version: '1.0.0',
          config: noConfig,
          hooks: { 'call.ended': () => void (otherDone = true) },
        })({}),
      ],
      { policyOverrides: { 'call.ended': { timeoutMs: 100 } } },
    );
    await host.boot();

    const started = performance.now();
    await host.emit('call.ended', testPayload('call.ended'));
    const elapsed = performance.now() - started;

    expect(elapsed).toBeGreaterThanOrEqual(95);
    expect(elapsed).toBeLessThan(1500);
    expect(otherDone).toBe(true);
    expect(signal?.aborted).toBe(true);
    expect((signal?.reason as AppError).code).toBe('plugin_hook_timeout');
    expect(await failures(metrics, 'hang', 'call.ended', 'timeout')).toBe(1);
    const line = logs.find((l) => l.plugin === 'hang' && l.msg === 'plugin hook timed out');
    expect(line?.hook).toBe('call.ended');
    expect(line?.durationMs).toBeGreaterThanOrEqual(95);
  });

  it("[INT-03] a handler's own timeoutMs lowers the budget but cannot raise it", async () => {
    const hang = () => new Promise<void>(() => undefined);
    const { host } = setup(
      [
        definePlugin({
          name: 'short',
          version: '1.0.0',
          config: noConfig,
          hooks: { 'call.answered': { timeoutMs: 50, handler: hang } },
        })({}),
        definePlugin({
          name: 'greedy',
          version: '1.0.0',
          config: noConfig,
          hooks: { 'call.ended': { timeoutMs: 60_000, handler: hang } },
        })({}),
      ],
      { policyOverrides: { 'call.ended': { timeoutMs: 150 } } },
    );
    await host.boot();

    let t = performance.now();
    await host.emit('call.answered', testPayload('call.answered')); // policy 5000, own 50
    expect(performance.now() - t).toBeLessThan(1000);

    t = performance.now();
    await host.emit('call.ended', testPayload('call.ended')); // policy 150, own 60000
    const elapsed = performance.now() - t;
    expect(elapsed).toBeGreaterThanOrEqual(145);
    expect(elapsed).toBeLessThan(1000);
  });

  it('[INT-03] call.incoming stops at its total budget and skips the remaining handlers', async () => {
    const calls: string[] = [];
    const hanger = (name: string, dependsOn: string[] = []) =>
      definePlugin({
        name,
        version: '1.0.0',
        config: noConfig,
        dependsOn,
        hooks: {
          'call.incoming': () => {
            calls.push(name);
            return new Promise<void>(() => undefined);
          },
        },
      })({});
    const policyOverrides: HookPolicyOverrides = { 'call.incoming': { timeoutMs: 150, totalMs: 250 } };
    const { host, metrics, logs } = setup([hanger('one'), hanger('two', ['one']), hanger('three', ['two'])], {
      policyOverrides,
    });
    await host.boot();

    const started = performance.now();
    const result = await host.emit('call.incoming', testPayload('call.incoming'));
    const elapsed = performance.now() - started;

    expect(result).toEqual({ annotations: {} });
    // one: 150 ms; two: the 100 ms left of the total; three: nothing left, never called.
    expect(elapsed).toBeGreaterThanOrEqual(240);
    expect(elapsed).toBeLessThan(1500);
    expect(calls).toEqual(['one', 'two']);
    expect(await failures(metrics, 'one', 'call.incoming', 'timeout')).toBe(1);
    expect(await failures(metrics, 'two', 'call.incoming', 'timeout')).toBe(1);
    expect(logs.some((l) => l.plugin === 'three' && l.msg === 'plugin hook skipped: total budget spent')).toBe(true);
  });

  it('[INT-03] ivr.http returns the first value and asks no further plugins', async () => {
    const asked: string[] = [];
    const p = (name: string, dependsOn: string[], answer: () => Record<string, unknown> | void) =>
      definePlugin({
        name,
        version: '1.0.0',
        config: noConfig,
        dependsOn,
        hooks: {
          'ivr.http': () => {
            asked.push(name);
            return answer();
          },
        },
      })({});
    const { host } = setup([
      p('silent', [], () => undefined),
      p('broken', ['silent'], () => {
        throw new Error('down');
      }),
      p('answers', ['broken'], () => ({ balance: 42 })),
      p('never', ['answers'], () => ({ balance: 0 })),
    ]);
    await host.boot();
    expect(await host.emit('ivr.http', testPayload('ivr.http'))).toEqual({ balance: 42 });
    expect(asked).toEqual(['silent', 'broken', 'answers']);
  });

  it('[INT-03] handlers get a frozen copy of the payload; the caller keeps a mutable one', async () => {
    const seenFrom: string[] = [];
    const { host, metrics } = setup([
      definePlugin({
        name: 'mutator',
        version: '1.0.0',
        config: noConfig,
        hooks: {
          'call.ended': (payload) => {
            (payload as { from: string }).from = 'hacked';
          },
        },
      })({}),
      definePlugin({
        name: 'deep-mutator',
        version: '1.0.0',
        config: noConfig,
        hooks: {
          'call.ended': (payload) => {
            (payload.cdr as { billableSeconds: number }).billableSeconds = 0;
          },
        },
      })({}),
      definePlugin({
        name: 'reader',
        version: '1.0.0',
        config: noConfig,
        hooks: { 'call.ended': { order: 'post', handler: (payload) => void seenFrom.push(payload.from) } },
      })({}),
    ]);
    await host.boot();
    const payload = testPayload('call.ended', { from: '+8610000' });
    await host.emit('call.ended', payload);
    expect(seenFrom).toEqual(['+8610000']);
    expect(await failures(metrics, 'mutator', 'call.ended', 'error')).toBe(1);
    expect(await failures(metrics, 'deep-mutator', 'call.ended', 'error')).toBe(1);
    payload.from = 'caller may still change its own object';
    expect(Object.isFrozen(payload)).toBe(false);
  });

  it('[INT-03] drain waits for a handler that outlived its deadline', async () => {
    let finished = false;
    const { host } = setup(
      [
        definePlugin({
          name: 'slow',
          version: '1.0.0',
          config: noConfig,
          hooks: {
            'call.ended': async () => {
              await new Promise((r) => setTimeout(r, 250));
              finished = true;
            },
          },
        })({}),
      ],
      { policyOverrides: { 'call.ended': { timeoutMs: 50 } } },
    );
    await host.boot();
    await host.emit('call.ended', testPayload('call.ended'));
    expect(finished).toBe(false);
    await host.drain(5000);
    expect(finished).toBe(true);
  });
});

describe('PluginHost boot failures', () => {
  const crm = definePlugin({
    name: 'crm',
    version: '1.2.0',
    config: z.object({ baseUrl: z.url(), timeoutMs: z.number().default(800) }),
    hooks: { 'call.answered': () => undefined },
  });

  it('[INT-03] rejects bad options naming the plugin and the key', async () => {
    const { host } = setup([crm({ baseUrl: 'not a url' })]);
    const err = await bootError(host);
    expect(err.code).toBe('plugin_config_invalid');
    expect(err.message).toBe('plugin "crm" config: baseUrl: Invalid URL');
  });

  it('[INT-03] passes validated options, defaults applied, to register and handlers', async () => {
    const seen: unknown[] = [];
    const p = definePlugin({
      name: 'crm',
      version: '1.0.0',
      config: z.object({ baseUrl: z.url(), timeoutMs: z.number().default(800) }),
      register: ({ config }) => void seen.push(config.timeoutMs),
      hooks: { 'call.answered': (_p, ctx) => void seen.push(ctx.config.baseUrl) },
    });
    const { host } = setup([p({ baseUrl: 'https://crm.example.com' })]);
    await host.boot();
    await host.emit('call.answered', testPayload('call.answered'));
    expect(seen).toEqual([800, 'https://crm.example.com']);
  });

  it("[INT-03] onBootFailure 'abort' (the default) stops the boot with the cause attached", async () => {
    const cause = new Error('cannot reach CRM');
    const { host } = setup([
      definePlugin({
        name: 'crm',
        version: '1.0.0',
        config: noConfig,
        register: () => {
          throw cause;
        },
      })({}),
    ]);
    const err = await bootError(host);
    expect(err.code).toBe('plugin_boot_failed');
    expect(err.message).toContain('plugin "crm" register failed: cannot reach CRM');
    expect(err.cause).toBe(cause);
  });

  it("[INT-03] onBootFailure 'continue' marks the plugin and its dependents failed and boots the rest", async () => {
    const ran: string[] = [];
    const { host, logs } = setup([
      definePlugin({
        name: 'flaky',
        version: '0.1.0',
        config: noConfig,
        onBootFailure: 'continue',
        register: () => {
          throw new Error('no license');
        },
        routes: (router) => void router.get('/x', (ctx) => void (ctx.body = 'x')),
        hooks: { 'call.answered': () => void ran.push('flaky') },
      })({}),
      definePlugin({
        name: 'needs-flaky',
        version: '1.0.0',
        config: noConfig,
        dependsOn: ['flaky'],
        onBootFailure: 'continue',
        hooks: { 'call.answered': () => void ran.push('needs-flaky') },
      })({}),
      definePlugin({
        name: 'solid',
        version: '2.0.0',
        config: noConfig,
        hooks: { 'call.answered': () => void ran.push('solid') },
      })({}),
      { ...crm({ baseUrl: 'https://crm.example.com' }), enabled: false },
    ]);
    const statuses = await host.boot();

    expect(statuses.map((s) => [s.name, s.status, s.reason])).toEqual([
      ['flaky', 'failed', 'register failed: no license'],
      ['needs-flaky', 'failed', 'cannot start: dependency "flaky" failed'],
      ['solid', 'ok', undefined],
      ['crm', 'disabled', undefined],
    ]);
    expect(host.routers()).toHaveLength(0);
    await host.emit('call.answered', testPayload('call.answered'));
    expect(ran).toEqual(['solid']);
    expect(logs.some((l) => l.level === 50 && l.plugin === 'flaky' && l.err?.message?.includes('no license'))).toBe(
      true,
    );

    const table = host.statusTable().split('\n');
    expect(table[0]).toMatch(/^plugin\s+version\s+hooks\s+status\s+boot ms$/);
    expect(table[2]).toMatch(/^flaky\s+0\.1\.0\s+call\.answered\s+failed: register failed: no license\s+\d+$/);
    expect(table[4]).toMatch(/^solid\s+2\.0\.0\s+call\.answered\s+ok\s+\d+$/);
    expect(table[5]).toMatch(/^crm\s+1\.2\.0\s+call\.answered\s+disabled\s+0$/);
    // Fixed width: the status column starts at the same offset on every row.
    const col = table[0]?.indexOf('status');
    expect(table.slice(2).every((row) => /\S/.test(row.charAt(col ?? 0)))).toBe(true);
  });

  it('[INT-03] a dependency failing under abort policy of its dependent aborts the boot', async () => {
    const { host } = setup([
      definePlugin({
        name: 'base',
        version: '1.0.0',
        config: z.object({ token: z.string().min(1) }),
        onBootFailure: 'continue',
      })({ token: '' }),
      definePlugin({ name: 'top', version: '1.0.0', config: noConfig, dependsOn: ['base'] })({}),
    ]);
    const err = await bootError(host);
    expect(err.message).toBe('plugin "top" cannot start: dependency "base" failed');
  });
});

describe('PluginHost DI scope', () => {
  class CrmClient {
    lookups = 0;
    lookup(): string {
      this.lookups += 1;
      return 'c-42';
    }
  }

  it('[INT-03] refuses a key outside the plugin prefix', async () => {
    const { host } = setup([
      definePlugin({
        name: 'crm-screen-pop',
        version: '1.0.0',
        config: noConfig,
        register: ({ container }) => void container.register({ client: asValue({}) }),
      })({}),
    ]);
    const err = await bootError(host);
    expect(err.code).toBe('plugin_scope_violation');
    expect(err.message).toContain('"crmScreenPop"');
    expect(err.message).toContain('"client"');
  });

  it('[INT-03] refuses a key that only looks like the prefix (another plugin id)', async () => {
    const { host } = setup([
      definePlugin({
        name: 'crm',
        version: '1.0.0',
        config: noConfig,
        register: ({ container }) => void container.register('crmsClient', asValue({})),
      })({}),
    ]);
    expect((await bootError(host)).code).toBe('plugin_scope_violation');
  });

  it('[INT-03] exposes own keys, dependencies\u2019 keys and declared core services as ctx.deps, and hides the rest', async () => {
    const results: unknown[] = [];
    const { host, container, metrics, logs } = setup([
      definePlugin({
        name: 'crm-screen-pop',
        version: '1.0.0',
        config: noConfig,
        deps: ['clock'],
        // `.singleton()` is what plugin authors write; the host makes it legal on a scope.
        register: ({ container }) => void container.register({ crmScreenPopClient: asClass(CrmClient).singleton() }),
        hooks: {
          'call.incoming': (_p, ctx) => {
            const client = ctx.deps.crmScreenPopClient as CrmClient;
            return { annotations: { customerId: client.lookup(), year: ctx.deps.clock.now().getUTCFullYear() } };
          },
        },
      })({}),
      definePlugin({
        name: 'screen-audit',
        version: '1.0.0',
        config: noConfig,
        dependsOn: ['crm-screen-pop'],
        hooks: {
          'call.answered': (_p, ctx) => void results.push((ctx.deps.crmScreenPopClient as CrmClient).lookups),
        },
      })({}),
      definePlugin({
        name: 'stranger',
        version: '1.0.0',
        config: noConfig,
        hooks: { 'call.answered': (_p, ctx) => void results.push(ctx.deps.crmScreenPopClient) },
      })({}),
    ]);
    container.register({ clock: asValue({ now: () => new Date('2031-05-01T00:00:00Z') }) });
    await host.boot();

    const r = await host.emit('call.incoming', testPayload('call.incoming'));
    expect(r.annotations).toEqual({ customerId: 'c-42', year: 2031 });
    await host.emit('call.incoming', testPayload('call.incoming'));
    await host.emit('call.answered', testPayload('call.answered'));
    // Same instance across calls and across plugins: two lookups seen through the dependency.
    expect(results).toEqual([2]);
    // The plugin that did not declare the dependency cannot resolve it, and the error says so.
    expect(await failures(metrics, 'stranger', 'call.answered', 'error')).toBe(1);
    const refused = logs.find((l) => l.plugin === 'stranger' && l.msg === 'plugin hook failed');
    expect(refused?.err?.message).toContain('plugin "stranger" has no dependency "crmScreenPopClient"');
    expect(container.hasRegistration('crmScreenPopClient')).toBe(false);
  });
});

describe('PluginHost routes', () => {
  it('[INT-03] mounts plugin routes under /plugins/<name> over real HTTP', async () => {
    const { host } = setup([
      definePlugin({
        name: 'crm',
        version: '1.0.0',
        config: z.object({ greeting: z.string().default('hello') }),
        routes: (router, { config }) => {
          router.get('/ping', { public: true }, (ctx) => {
            ctx.body = { greeting: config.greeting };
          });
        },
      })({}),
      definePlugin({ name: 'no-routes', version: '1.0.0', config: noConfig })({}),
    ]);
    await host.boot();
    expect(host.routers()).toHaveLength(1);

    const app = new Koa();
    for (const router of host.routers()) app.use(router.routes()).use(router.allowedMethods());
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((r) => server.once('listening', () => r()));
    try {
      const { port } = server.address() as AddressInfo;
      const ok = await fetch(`http://127.0.0.1:${port}/plugins/crm/ping`);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ greeting: 'hello' });
      const outside = await fetch(`http://127.0.0.1:${port}/ping`);
      expect(outside.status).toBe(404);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
