import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePlugin, secretSetting, secretSettingKeys } from './define-plugin.js';
import { createTestHost, testPayload, type TestTenant } from './test-host.js';

/** A plugin with per-tenant settings that reports what each hook saw. */
function recorder(seen: Array<{ tenantId: string; settings: unknown }>, edition?: 'advanced') {
  return definePlugin({
    name: 'corp-notify',
    version: '1.0.0',
    config: z.object({}),
    tenantSettings: z.object({ corpId: z.string().min(2), corpSecret: secretSetting(z.string().min(1)) }),
    ...(edition ? { edition } : {}),
    hooks: {
      'call.incoming': (payload, ctx) => {
        seen.push({ tenantId: payload.tenantId, settings: ctx.tenantSettings });
        return { annotations: { corp: ctx.tenantSettings.corpId } };
      },
      'call.ended': (payload, ctx) => void seen.push({ tenantId: payload.tenantId, settings: ctx.tenantSettings }),
    },
  });
}

/** A plugin without per-tenant settings. */
function installWide(seen: string[]) {
  return definePlugin({
    name: 'install-wide',
    version: '1.0.0',
    config: z.object({}),
    hooks: { 'call.ended': (payload) => void seen.push(payload.tenantId) },
  });
}

describe('plugins: per-tenant settings (INT-03)', () => {
  it('[INT-03] hooks get the calling tenant’s settings and are skipped for tenants that have not turned the plugin on', async () => {
    const seen: Array<{ tenantId: string; settings: unknown }> = [];
    const tenants: Record<string, TestTenant> = {
      a: { plugins: { 'corp-notify': { enabled: true, settings: { corpId: 'corp-a', corpSecret: 's-a' } } } },
      b: { plugins: { 'corp-notify': { enabled: true, settings: { corpId: 'corp-b', corpSecret: 's-b' } } } },
      // Saved but off, and never touched:
      c: { plugins: { 'corp-notify': { enabled: false, settings: { corpId: 'corp-c', corpSecret: 's-c' } } } },
      d: {},
    };
    const t = await createTestHost({ plugins: [recorder(seen)({})], tenants });
    try {
      for (const tenantId of ['a', 'b', 'c', 'd', 'nobody']) {
        const { annotations } = await t.emit('call.incoming', testPayload('call.incoming', { tenantId }));
        expect(annotations.corp ?? null).toBe(tenantId === 'a' ? 'corp-a' : tenantId === 'b' ? 'corp-b' : null);
        await t.emit('call.ended', testPayload('call.ended', { tenantId }));
      }
      // Tenant A's settings never reach tenant B's hooks, and the other way round.
      expect(seen).toEqual([
        { tenantId: 'a', settings: { corpId: 'corp-a', corpSecret: 's-a' } },
        { tenantId: 'a', settings: { corpId: 'corp-a', corpSecret: 's-a' } },
        { tenantId: 'b', settings: { corpId: 'corp-b', corpSecret: 's-b' } },
        { tenantId: 'b', settings: { corpId: 'corp-b', corpSecret: 's-b' } },
      ]);
      // Skipping is not failing.
      expect(await t.failureCount({ plugin: 'corp-notify' })).toBe(0);

      // Settings that no longer pass the schema (a newer plugin version) turn it off, not crash.
      tenants.a = { plugins: { 'corp-notify': { enabled: true, settings: { corpId: 'x' } } } };
      const { annotations } = await t.emit('call.incoming', testPayload('call.incoming', { tenantId: 'a' }));
      expect(annotations).toEqual({});
      expect((await t.host.tenantGate('corp-notify', 'a')).on).toBe(false);
    } finally {
      await t.close();
    }
  });

  it('[INT-03] a plugin without tenant settings serves every tenant unless its admin turned it off', async () => {
    const seen: string[] = [];
    const t = await createTestHost({
      plugins: [installWide(seen)({})],
      tenants: { on: {}, off: { plugins: { 'install-wide': { enabled: false } } } },
    });
    try {
      for (const tenantId of ['on', 'off']) await t.emit('call.ended', testPayload('call.ended', { tenantId }));
      expect(seen).toEqual(['on']);
    } finally {
      await t.close();
    }
  });

  it('[INT-03] an advanced-only plugin never runs for a standard tenant, even when its settings are saved', async () => {
    const seen: Array<{ tenantId: string; settings: unknown }> = [];
    const settings = { corpId: 'corp', corpSecret: 'secret' };
    const t = await createTestHost({
      plugins: [recorder(seen, 'advanced')({})],
      tenants: {
        std: { edition: 'standard', plugins: { 'corp-notify': { enabled: true, settings } } },
        adv: { edition: 'advanced', plugins: { 'corp-notify': { enabled: true, settings } } },
      },
    });
    try {
      for (const tenantId of ['std', 'adv']) await t.emit('call.ended', testPayload('call.ended', { tenantId }));
      expect(seen.map((s) => s.tenantId)).toEqual(['adv']);
      expect(await t.host.tenantGate('corp-notify', 'std')).toEqual({ on: false, why: 'edition' });
    } finally {
      await t.close();
    }
  });

  it('[INT-03] routes read a tenant’s settings through the setup context', async () => {
    let read: ((tenantId: string) => Promise<unknown>) | undefined;
    const plugin = definePlugin({
      name: 'corp-notify',
      version: '1.0.0',
      config: z.object({}),
      tenantSettings: z.object({ corpId: z.string() }),
      routes: (_router, ctx) => {
        read = ctx.tenantSettings;
      },
    });
    const t = await createTestHost({
      plugins: [plugin({})],
      tenants: { a: { plugins: { 'corp-notify': { enabled: true, settings: { corpId: 'corp-a' } } } }, b: {} },
    });
    try {
      expect(await read!('a')).toEqual({ corpId: 'corp-a' });
      expect(await read!('b')).toBeUndefined();
    } finally {
      await t.close();
    }
  });

  it('[INT-03] a plugin made for another core version is refused at boot, naming both versions', async () => {
    const plugin = definePlugin({
      name: 'from-the-future',
      version: '3.0.0',
      config: z.object({}),
      coreVersion: '^9.0.0',
    });
    await expect(createTestHost({ plugins: [plugin({})] })).rejects.toThrow(
      /plugin "from-the-future" supports core \^9\.0\.0, but this is core \d+\.\d+\.\d+/,
    );
    const lenient = definePlugin({
      name: 'from-the-future',
      version: '3.0.0',
      config: z.object({}),
      coreVersion: '^9.0.0',
      onBootFailure: 'continue',
    });
    const t = await createTestHost({ plugins: [lenient({})] });
    try {
      expect(t.statuses[0]).toMatchObject({
        status: 'failed',
        reason: expect.stringMatching(/supports core \^9\.0\.0/),
      });
    } finally {
      await t.close();
    }
    const fits = definePlugin({ name: 'fits', version: '1.0.0', config: z.object({}), coreVersion: '>=0.1.0' });
    const ok = await createTestHost({ plugins: [fits({})] });
    expect(ok.statuses[0]?.status).toBe('ok');
    await ok.close();
  });

  it('definePlugin checks the settings schema, secret fields and the core range up front', () => {
    const base = { version: '1.0.0', config: z.object({}) };
    expect(() => definePlugin({ ...base, name: 'p', tenantSettings: z.string() as never })).toThrow(
      /zod object schema/,
    );
    expect(() =>
      definePlugin({ ...base, name: 'p', tenantSettings: z.object({ n: secretSetting(z.number()) }) }),
    ).toThrow(/secret setting "n" must be a string/);
    expect(() => definePlugin({ ...base, name: 'p', coreVersion: 'soon' })).toThrow(/not a semver range/);
    expect(
      secretSettingKeys(
        z.object({ a: z.string(), b: secretSetting(z.string()), c: secretSetting(z.string()).optional() }),
      ),
    ).toEqual(['b', 'c']);
  });
});
