import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { definePlugin, pluginKeyPrefix } from './define-plugin.js';
import { HOOK_POLICIES, type HookEmitResults } from './policies.js';
import type { HookName, PluginSpec } from './types.js';

describe('definePlugin', () => {
  it('[INT-03] returns a factory that pairs the definition with options', () => {
    const crm = definePlugin({
      name: 'crm-screen-pop',
      version: '1.0.0-beta.1+build.5',
      config: z.object({ baseUrl: z.url() }),
    });
    const spec = crm({ baseUrl: 'https://crm.example.com' });
    expect(spec.definition).toBe(crm.definition);
    expect(spec.options).toEqual({ baseUrl: 'https://crm.example.com' });
    expect(crm.definition.name).toBe('crm-screen-pop');
    expect(Object.isFrozen(crm.definition)).toBe(true);
  });

  it.each(['Crm', 'crm_screen', 'crm--pop', '-crm', 'crm-', '9crm', ''])(
    '[INT-03] rejects the name %j at definition time',
    (name) => {
      expect(() => definePlugin({ name, version: '1.0.0', config: z.object({}) })).toThrow(/kebab-case/);
    },
  );

  it('[INT-03] refuses a name core’s plugin API uses as a path (`/api/v1/plugins/ui`)', () => {
    expect(() => definePlugin({ name: 'ui', version: '1.0.0', config: z.object({}) })).toThrow(/reserved/);
    expect(definePlugin({ name: 'ui-kit', version: '1.0.0', config: z.object({}) }).definition.name).toBe('ui-kit');
  });

  it.each(['1', '1.0', 'v1.0.0', '1.0.0.0', 'latest'])('[INT-03] rejects the version %j', (version) => {
    expect(() => definePlugin({ name: 'crm', version, config: z.object({}) })).toThrow(/semver/);
  });

  it('[INT-03] rejects an unknown hook, a self-dependency and a missing schema', () => {
    expect(() =>
      definePlugin({
        name: 'crm',
        version: '1.0.0',
        config: z.object({}),
        hooks: { 'call.incomming': () => undefined } as never,
      }),
    ).toThrow(/unknown hook "call.incomming"/);
    expect(() => definePlugin({ name: 'crm', version: '1.0.0', config: z.object({}), dependsOn: ['crm'] })).toThrow(
      /depends on itself/,
    );
    expect(() => definePlugin({ name: 'crm', version: '1.0.0' } as never)).toThrow(/zod schema/);
  });

  it('[INT-03] derives the DI key prefix from the id', () => {
    expect(pluginKeyPrefix('crm-screen-pop')).toBe('crmScreenPop');
    expect(pluginKeyPrefix('crm2-x9')).toBe('crm2X9');
    expect(pluginKeyPrefix('crm')).toBe('crm');
  });

  it('[INT-03] infers option and config types from the schema', () => {
    const schema = z.object({ baseUrl: z.url(), timeoutMs: z.number().default(800) });
    const crm = definePlugin({
      name: 'crm',
      version: '1.0.0',
      config: schema,
      register: (ctx) => {
        expectTypeOf(ctx.config).toEqualTypeOf<{ baseUrl: string; timeoutMs: number }>();
      },
      hooks: {
        'call.incoming': (payload, ctx) => {
          expectTypeOf(ctx.config.timeoutMs).toEqualTypeOf<number>();
          expectTypeOf(payload.callSid).toEqualTypeOf<string>();
          return { annotations: { customerId: 'c-1' } };
        },
        'recording.ready': {
          order: 'post',
          timeoutMs: 1000,
          handler: (payload, ctx) => {
            expectTypeOf(payload.storageKey).toEqualTypeOf<string>();
            expectTypeOf(ctx.signal).toEqualTypeOf<AbortSignal>();
          },
        },
      },
    });
    // Options are the schema's input: defaulted fields are optional.
    expectTypeOf(crm).parameter(0).toEqualTypeOf<{ baseUrl: string; timeoutMs?: number | undefined }>();
    expectTypeOf(crm({ baseUrl: 'https://x.test' })).toEqualTypeOf<PluginSpec>();
    // @ts-expect-error baseUrl is required
    expect(() => crm({})).not.toThrow(); // validation happens at boot, not here
    // @ts-expect-error a call.ended handler may not return annotations
    definePlugin({ name: 'x', version: '1.0.0', config: z.object({}), hooks: { 'call.ended': () => 42 } });

    expectTypeOf<HookEmitResults['call.incoming']>().toEqualTypeOf<{ annotations: Record<string, unknown> }>();
    expectTypeOf<keyof HookEmitResults>().toEqualTypeOf<HookName>();
    expectTypeOf<keyof typeof HOOK_POLICIES>().toEqualTypeOf<HookName>();
  });
});

describe('HOOK_POLICIES', () => {
  it('[INT-03] fixes the mode and budget of every hook', () => {
    expect(HOOK_POLICIES['call.incoming']).toEqual({ mode: 'sequential', timeoutMs: 800, totalMs: 2500 });
    for (const hook of [
      'call.queued',
      'call.offered',
      'call.answered',
      'call.held',
      'call.transferred',
      'agent.status.changed',
    ] as const) {
      expect(HOOK_POLICIES[hook]).toEqual({ mode: 'parallel', timeoutMs: 5000 });
    }
    expect(HOOK_POLICIES['call.ended']).toEqual({ mode: 'parallel', timeoutMs: 10_000 });
    expect(HOOK_POLICIES['recording.ready']).toEqual({ mode: 'durable', timeoutMs: 60_000 });
    expect(HOOK_POLICIES['ivr.http']).toEqual({ mode: 'first', timeoutMs: 3000 });
    expect(Object.isFrozen(HOOK_POLICIES) && Object.isFrozen(HOOK_POLICIES['call.incoming'])).toBe(true);
  });
});
