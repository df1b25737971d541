import { asValue } from 'awilix';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../errors/registry.js';
import { definePlugin } from './define-plugin.js';
import { createTestHost, testPayload } from './test-host.js';

interface FakeCrm {
  calls: string[];
  lookup(phone: string): Promise<string>;
}

const crmScreenPop = definePlugin({
  name: 'crm-screen-pop',
  version: '1.0.0',
  config: z.object({ baseUrl: z.url(), minDigits: z.number().int().default(5) }),
  onBootFailure: 'continue',
  register: ({ container, config }) =>
    void container.register({ crmScreenPopSettings: asValue({ url: config.baseUrl }) }),
  hooks: {
    'call.incoming': async (payload, ctx) => {
      const crm = ctx.deps.crmScreenPopApi as FakeCrm;
      const settings = ctx.deps.crmScreenPopSettings as { url: string };
      return { annotations: { customerId: await crm.lookup(payload.from), crmUrl: settings.url } };
    },
    'recording.ready': (payload, ctx) => {
      const crm = ctx.deps.crmScreenPopApi as FakeCrm;
      crm.calls.push(`upload:${payload.recordingId}:${ctx.attempt}`);
      if (ctx.attempt < 3) throw new Error(`upload failed (try ${ctx.attempt})`);
    },
  },
});

function fakeCrm(): FakeCrm {
  const calls: string[] = [];
  return {
    calls,
    lookup: async (phone) => {
      calls.push(`lookup:${phone}`);
      return 'c-42';
    },
  };
}

describe('createTestHost', () => {
  it('[INT-03] boots a plugin alone with fake dependencies and returns its annotations', async () => {
    const crmApi = fakeCrm();
    const t = await createTestHost({
      plugins: [crmScreenPop({ baseUrl: 'https://crm.test' })],
      overrides: { crmScreenPopApi: crmApi },
    });
    expect(t.statuses).toEqual([expect.objectContaining({ name: 'crm-screen-pop', status: 'ok' })]);

    const result = await t.emit('call.incoming', testPayload('call.incoming', { from: '+8613912345678' }));
    expect(result.annotations).toEqual({ customerId: 'c-42', crmUrl: 'https://crm.test' });
    expect(crmApi.calls).toEqual(['lookup:+8613912345678']);
    await t.close();
  });

  it('[INT-03] runs durable hooks inline with retries and counts each failed attempt', async () => {
    const crmApi = fakeCrm();
    const t = await createTestHost({
      plugins: [crmScreenPop({ baseUrl: 'https://crm.test' })],
      overrides: { crmScreenPopApi: crmApi },
    });
    await t.emit('recording.ready', testPayload('recording.ready', { recordingId: 'r-9' }));
    expect(crmApi.calls).toEqual(['upload:r-9:1', 'upload:r-9:2', 'upload:r-9:3']);
    expect(await t.failureCount({ plugin: 'crm-screen-pop', hook: 'recording.ready', reason: 'error' })).toBe(2);
    expect(t.logs.filter((l) => l.msg === 'plugin hook failed').map((l) => l.attempt)).toEqual([1, 2]);
    await t.close();
  });

  it('[INT-03] gives up after durableAttempts and logs it', async () => {
    const crmApi = fakeCrm();
    const t = await createTestHost({
      plugins: [crmScreenPop({ baseUrl: 'https://crm.test' })],
      overrides: { crmScreenPopApi: crmApi },
      durableAttempts: 2,
    });
    await expect(t.emit('recording.ready', testPayload('recording.ready'))).resolves.toBeUndefined();
    expect(crmApi.calls).toHaveLength(2);
    expect(t.logs.some((l) => l.msg === 'durable plugin hook gave up' && l.attempts === 2)).toBe(true);
    await t.close();
  });

  it('[INT-03] reports a plugin that cannot boot instead of hiding it', async () => {
    const t = await createTestHost({ plugins: [crmScreenPop({ baseUrl: 'nope' })] });
    expect(t.statuses[0]).toMatchObject({ status: 'failed', reason: 'config: baseUrl: Invalid URL' });
    expect(t.logs.some((l) => l.level === 50 && l.plugin === 'crm-screen-pop')).toBe(true);
    await t.close();

    const strict = definePlugin({ name: 'strict', version: '1.0.0', config: z.object({ key: z.string() }) });
    const err = await createTestHost({ plugins: [strict({} as never)] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toBe(
      'plugin "strict" config: key: Invalid input: expected string, received undefined',
    );
  });

  it('[INT-03] applies policy overrides so a hang costs milliseconds in tests', async () => {
    const hang = definePlugin({
      name: 'hang',
      version: '1.0.0',
      config: z.object({}),
      hooks: { 'call.answered': () => new Promise<void>(() => undefined) },
    });
    const t = await createTestHost({
      plugins: [hang({})],
      policyOverrides: { 'call.answered': { timeoutMs: 30 } },
      drainTimeoutMs: 50,
    });
    const started = Date.now();
    await t.emit('call.answered', testPayload('call.answered'));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await t.failureCount({ plugin: 'hang', reason: 'timeout' })).toBe(1);
    const closing = Date.now();
    await t.close(); // the hung handler does not hold up the test beyond drainTimeoutMs
    expect(Date.now() - closing).toBeLessThan(1000);
  });

  it('[INT-03] testPayload builds a complete payload with a fresh idempotency key', () => {
    const a = testPayload('call.transferred', { callSid: 'x' });
    const b = testPayload('call.transferred');
    expect(a.callSid).toBe('x');
    expect(a.target).toEqual({ type: 'agent', id: 'agent-2' });
    expect(a.idempotencyKey).not.toBe(b.idempotencyKey);
    expect(typeof a.tenantId).toBe('string');
  });
});
