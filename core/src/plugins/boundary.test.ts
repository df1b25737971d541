/**
 * The plugin boundary (issue 9): what a plugin returns, reaches and takes is bounded by the
 * host — annotations are plain JSON within 16 KB, routes need a signed-in user unless public,
 * only declared core services are reachable, `register`/`routes` run under a boot timeout,
 * and `recording.ready` is queued durably and never dropped.
 */
import { randomUUID } from 'node:crypto';
import { asValue } from 'awilix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestApp, type TestApp } from '../../test/support/test-app.js';
import { AppError } from '../errors/registry.js';
import { MAX_ANNOTATION_BYTES, checkAnnotations } from './annotations.js';
import { definePlugin } from './define-plugin.js';
import { createTestHost, testPayload } from './test-host.js';
import type { RecordingReadyPayload } from './types.js';

const noConfig = z.object({});

/** A plugin whose `call.incoming` returns `annotations` as given. */
function annotating(name: string, annotations: unknown) {
  return definePlugin({
    name,
    version: '1.0.0',
    config: noConfig,
    hooks: { 'call.incoming': () => ({ annotations }) as never },
  })({});
}

async function dropped(t: Awaited<ReturnType<typeof createTestHost>>, plugin: string, reason: string) {
  const { values } = await t.metrics.pluginAnnotationsDropped.get();
  return values.find((v) => v.labels.plugin === plugin && v.labels.reason === reason)?.value ?? 0;
}

describe('call.incoming annotations', () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const bad: Array<[string, unknown, string]> = [
    ['a Date', { since: new Date('2030-01-01T00:00:00Z') }, 'since: a Date is not JSON'],
    ['a function', { card: { open: () => 1 } }, 'card.open: a function is not JSON'],
    ['a BigInt', { balance: 10n }, 'balance: a BigInt is not JSON'],
    ['undefined', { customerId: undefined }, 'customerId: undefined is not JSON'],
    ['NaN', { score: Number.NaN }, 'score: NaN is not a JSON number'],
    ['Infinity', { score: [1, Infinity] }, 'score[1]: Infinity is not a JSON number'],
    ['a cycle', cyclic, 'self: a cycle is not JSON'],
    ['a NUL character', { name: 'a\u0000b' }, 'name: text with a NUL character or a lone surrogate'],
    ['a Map', { tags: new Map([['a', 1]]) }, 'tags: a Map is not JSON'],
  ];

  it.each(bad)(
    '[INT-03] drops annotations holding %s, logs plugin and reason, and keeps the others',
    async (_what, value, detail) => {
      const t = await createTestHost({
        plugins: [
          annotating('good-before', { customerId: 'c-42' }),
          annotating('bad', value),
          annotating('good-after', { vip: true }),
        ],
      });
      const { annotations } = await t.emit('call.incoming', testPayload('call.incoming', { callSid: 'sid-1' }));
      expect(annotations).toEqual({ customerId: 'c-42', vip: true });
      const log = t.logs.find((l) => l.msg === 'plugin annotations dropped');
      expect(log).toMatchObject({ level: 40, plugin: 'bad', reason: 'not_json', detail, callSid: 'sid-1' });
      expect(await dropped(t, 'bad', 'not_json')).toBe(1);
      await t.close();
    },
  );

  it('[INT-03] drops more than 16 KB from one plugin, and keeps exactly 16 KB', async () => {
    // {"crmCard":"xxxx…"} is 14 bytes of JSON around the string.
    const fits = { crmCard: 'x'.repeat(MAX_ANNOTATION_BYTES - 14) };
    const tooBig = { notes: 'y'.repeat(MAX_ANNOTATION_BYTES) };
    expect(checkAnnotations(fits)).toEqual({ ok: true, bytes: MAX_ANNOTATION_BYTES });
    const t = await createTestHost({ plugins: [annotating('fits', fits), annotating('huge', tooBig)] });
    const { annotations } = await t.emit('call.incoming', testPayload('call.incoming'));
    expect(annotations).toEqual(fits);
    expect(t.logs.find((l) => l.msg === 'plugin annotations dropped')).toMatchObject({
      plugin: 'huge',
      reason: 'too_large',
    });
    expect(await dropped(t, 'huge', 'too_large')).toBe(1);
    await t.close();
  });

  it('[INT-03] drops annotations that are not an object', async () => {
    const t = await createTestHost({ plugins: [annotating('listy', ['c-42'])] });
    expect((await t.emit('call.incoming', testPayload('call.incoming'))).annotations).toEqual({});
    expect(await dropped(t, 'listy', 'not_an_object')).toBe(1);
    await t.close();
  });

  it('[INT-03] keeps a copy: a plugin changing its object afterwards changes nothing', async () => {
    const mine = { customerId: 'c-1' };
    const t = await createTestHost({ plugins: [annotating('mutator', mine)] });
    const { annotations } = await t.emit('call.incoming', testPayload('call.incoming'));
    mine.customerId = 'c-2';
    expect(annotations).toEqual({ customerId: 'c-1' });
    await t.close();
  });
});

describe('boot timeout', () => {
  it('[INT-03] fails a plugin whose register never finishes, naming plugin and step', async () => {
    let aborted: unknown;
    const slow = definePlugin({
      name: 'slow-crm',
      version: '1.0.0',
      config: noConfig,
      // Never resolves: the host's timer is the only way out, so no race with the test's pace.
      register: ({ signal }) =>
        new Promise<void>(() => signal.addEventListener('abort', () => (aborted = signal.reason))),
    });
    const err = await createTestHost({ plugins: [slow({})], bootTimeoutMs: 200 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('plugin_boot_timeout');
    expect((err as AppError).message).toBe('plugin "slow-crm" register did not finish within the 200 ms boot timeout');
    expect((aborted as AppError).code).toBe('plugin_boot_timeout');
  });

  it('[INT-03] marks a hanging routes step failed under onBootFailure continue and boots the rest', async () => {
    const hanging = definePlugin({
      name: 'hanging-routes',
      version: '1.0.0',
      config: noConfig,
      onBootFailure: 'continue',
      routes: () => new Promise<void>(() => undefined),
      hooks: { 'call.incoming': () => ({ annotations: { from: 'hanging' } }) },
    });
    const t = await createTestHost({
      plugins: [hanging({}), annotating('healthy', { from: 'healthy' })],
      bootTimeoutMs: 200,
    });
    expect(t.statuses).toEqual([
      expect.objectContaining({
        name: 'hanging-routes',
        status: 'failed',
        reason: 'routes did not finish within the 200 ms boot timeout',
      }),
      expect.objectContaining({ name: 'healthy', status: 'ok' }),
    ]);
    expect(t.host.statusTable()).toMatch(
      /hanging-routes .*failed: routes did not finish within the 200 ms boot timeout/,
    );
    expect((await t.emit('call.incoming', testPayload('call.incoming'))).annotations).toEqual({ from: 'healthy' });
    await t.close();
  });
});

describe('declared core services', () => {
  const secrets = { accessKey: 'do-not-leak' };
  const storage = { get: () => 'audio' };

  it('[INT-03] gives a plugin the core services it declares and nothing else', async () => {
    const seen: Record<string, unknown> = {};
    const plugin = definePlugin({
      name: 'archiver',
      version: '1.0.0',
      config: noConfig,
      deps: ['recordingStorage'],
      register: ({ container, deps }) => {
        seen.registerStorage = deps.recordingStorage;
        try {
          container.resolve('authKeys');
        } catch (err) {
          seen.registerAuthKeys = (err as Error).message;
        }
      },
      hooks: {
        'recording.ready': (_p, ctx) => {
          seen.hookStorage = ctx.deps.recordingStorage;
          for (const key of ['authKeys', 'clock', 'somethingElse']) {
            try {
              seen[key] = ctx.deps[key];
            } catch (err) {
              seen[key] = `${(err as AppError).code}: ${(err as Error).message}`;
            }
          }
        },
      },
    });
    const t = await createTestHost({
      plugins: [plugin({})],
      overrides: { recordingStorage: storage, authKeys: secrets, clock: { now: () => new Date() } },
    });
    await t.emit('recording.ready', testPayload('recording.ready'));
    expect(seen.registerStorage).toBe(storage);
    expect(seen.hookStorage).toBe(storage);
    expect(seen.registerAuthKeys).toMatch(/^plugin "archiver" may not use core service "authKeys"/);
    expect(seen.authKeys).toMatch(
      /^plugin_dependency_undeclared: plugin "archiver" may not use core service "authKeys"/,
    );
    expect(seen.clock).toBe(
      'plugin_dependency_undeclared: plugin "archiver" did not declare core service "clock": add it to deps',
    );
    expect(seen.somethingElse).toMatch(
      /^plugin_dependency_undeclared: plugin "archiver" has no dependency "somethingElse"/,
    );
    await t.close();
  });

  it('[INT-03] refuses a deps entry that is not on the allow-list at definition time', () => {
    expect(() => definePlugin({ name: 'greedy', version: '1.0.0', config: noConfig, deps: ['db' as never] })).toThrow(
      'definePlugin: plugin "greedy" lists "db" in deps, which is not a core service plugins may use',
    );
  });

  it('[INT-03] binds the declared logger to the plugin', async () => {
    const plugin = definePlugin({
      name: 'chatty',
      version: '1.0.0',
      config: noConfig,
      deps: ['logger'],
      hooks: { 'call.answered': (_p, ctx) => ctx.deps.logger.info('hello from a registered class') },
    });
    const t = await createTestHost({ plugins: [plugin({})] });
    await t.emit('call.answered', testPayload('call.answered'));
    expect(t.logs.find((l) => l.msg === 'hello from a registered class')).toMatchObject({ plugin: 'chatty' });
    await t.close();
  });

  it('[INT-03] lets a test replace a plugin\u2019s own client by its prefixed key', async () => {
    const plugin = definePlugin({
      name: 'crm',
      version: '1.0.0',
      config: noConfig,
      register: ({ container }) => void container.register({ crmClient: asValue({ id: () => 'real' }) }),
      hooks: {
        'call.incoming': (_p, ctx) => ({ annotations: { id: (ctx.deps.crmClient as { id(): string }).id() } }),
      },
    });
    const t = await createTestHost({ plugins: [plugin({})], overrides: { crmClient: { id: () => 'fake' } } });
    expect((await t.emit('call.incoming', testPayload('call.incoming'))).annotations).toEqual({ id: 'fake' });
    await t.close();
  });
});

describe('plugin routes and recording.ready in the server', () => {
  const ready: Array<{ payload: RecordingReadyPayload; attempt: number }> = [];
  const wecom = definePlugin({
    name: 'wecom',
    version: '1.0.0',
    config: noConfig,
    routes: (router) => {
      router.get('/me', (ctx) => {
        ctx.body = { user: ctx.state.user ?? null };
      });
      router.post('/callback', { public: true }, (ctx) => {
        ctx.body = { ok: true, user: ctx.state.user ?? null };
      });
      router.post('/xml', { public: true }, (ctx) => {
        const raw = (ctx.request as { rawBody?: Buffer }).rawBody;
        ctx.body = { raw: raw?.toString('utf8') ?? null };
      });
      router.get('/settings', { roles: ['admin'] }, (ctx) => {
        ctx.body = { role: ctx.state.user?.role };
      });
    },
    hooks: {
      'recording.ready': (payload, ctx) => {
        ready.push({ payload, attempt: ctx.attempt });
        if (ctx.attempt === 1) throw new Error('WeCom upload failed');
      },
    },
  });

  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { plugins: [wecom({})] } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('[INT-03] answers 401 to a plugin route without a signed-in user', async () => {
    const res = await t.request('GET', '/plugins/wecom/me');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
    expect((await t.request('GET', '/plugins/wecom/me', { token: 'not-a-token' })).status).toBe(401);
  });

  it('[INT-03] gives a signed-in user\u2019s identity to the route', async () => {
    const { tenantId, users } = await t.seedTenant({ slug: 'routes-id', roles: ['agent', 'admin'] });
    const res = await t.request('GET', '/plugins/wecom/me', { token: users.agent!.token });
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual({ tenantId, userId: users.agent!.id, role: 'agent' });
    expect((await t.request('GET', '/plugins/wecom/settings', { token: users.agent!.token })).status).toBe(403);
    expect((await t.request('GET', '/plugins/wecom/settings', { token: users.admin!.token })).body).toEqual({
      role: 'admin',
    });
  });

  it('[INT-03] lets anyone reach a route that says public', async () => {
    const res = await t.request('POST', '/plugins/wecom/callback', { body: {} });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, user: null });
  });

  it('[INT-03] hands a plugin route a non-JSON body raw (WeCom posts XML) instead of refusing it', async () => {
    const xml = '<xml><Encrypt><![CDATA[abc]]></Encrypt></xml>';
    const res = await fetch(`${t.url}/plugins/wecom/xml`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: xml,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ raw: xml });
    // Core routes still refuse it.
    const core = await fetch(`${t.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: xml,
    });
    expect(core.status).toBe(415);
  });

  it('[INT-03] queues recording.ready even when the queue refused it once, and retries a failing plugin', async () => {
    const { tenantId } = await t.seedTenant({ slug: 'rec-durable', roles: ['admin'] });
    const { recordingService, jobs } = t.app.container.cradle;
    const realSend = jobs.send.bind(jobs);
    // The job queue is down for the first try (a database hiccup): the recording must not be lost.
    let refused = 0;
    jobs.send = async (...args) => {
      if (refused === 0) {
        refused += 1;
        throw new Error('connection terminated');
      }
      return realSend(...args);
    };
    let recordingId: string;
    try {
      const writer = await recordingService.start({ tenantId, sessionId: randomUUID(), sampleRate: 8000, channels: 1 });
      recordingId = writer.recordingId;
      writer.write(Buffer.alloc(8000 * 2)); // one second of silence
      await writer.finish();
    } finally {
      jobs.send = realSend;
    }
    expect(refused).toBe(1);
    const row = await recordingService.findById(tenantId, recordingId);
    expect(row).toMatchObject({ status: 'ready', announcePending: true });
    expect(
      t.logs.some((l) => l.msg === 'could not queue recording.ready for plugins; it stays pending and is retried'),
    ).toBe(true);

    // The sweep (run by a timer in the server) queues it; the plugin fails once and is retried.
    expect(await recordingService.redeliverPending(0)).toBe(1);
    expect((await recordingService.findById(tenantId, recordingId))?.announcePending).toBe(false);
    await waitFor(() => ready.some((r) => r.payload.recordingId === recordingId && r.attempt === 2));
    expect(ready.filter((r) => r.payload.recordingId === recordingId).map((r) => r.attempt)).toEqual([1, 2]);
    // Nothing left to queue: a second sweep finds nothing.
    expect(await recordingService.redeliverPending(0)).toBe(0);
  });
});

/** Polls a condition the test cannot await directly (a pg-boss worker picking a job up). */
async function waitFor(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 50));
  }
}
