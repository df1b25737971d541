import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePlugin, secretSetting } from '../../plugins/define-plugin.js';
import { testPayload } from '../../plugins/test-host.js';
import { startTestApp, type SeededUser, type TestApp } from '../../../test/support/test-app.js';
import { pluginTenantSettings } from './schema.js';

/** What the plugin's hooks saw, per tenant. */
const seen: Array<{ tenantId: string; corpId: string; corpSecret: string }> = [];

const corpNotify = definePlugin({
  name: 'corp-notify',
  version: '1.2.0',
  config: z.object({}),
  tenantSettings: z.object({
    corpId: z.string().min(2).describe('Corp ID'),
    agentId: z.number().int().positive().default(1000002),
    corpSecret: secretSetting(z.string().min(8).describe('Corp secret')),
  }),
  hooks: {
    'call.ended': (payload, ctx) =>
      void seen.push({
        tenantId: payload.tenantId,
        corpId: ctx.tenantSettings.corpId,
        corpSecret: ctx.tenantSettings.corpSecret,
      }),
  },
  ui: {
    actions: [
      {
        id: 'notify-member',
        placement: 'call',
        route: '/actions/notify',
        label: { 'zh-CN': '通知成员', en: 'Notify a member' },
        fields: [
          {
            kind: 'select',
            name: 'member',
            label: { 'zh-CN': '成员', en: 'Member' },
            required: true,
            options: { route: '/members' },
          },
          { kind: 'textarea', name: 'note', label: { 'zh-CN': '备注', en: 'Note' } },
        ],
      },
      {
        id: 'escalate',
        placement: 'call',
        route: '/actions/escalate',
        label: { 'zh-CN': '升级', en: 'Escalate' },
        roles: ['supervisor', 'admin'],
      },
    ],
  },
});

const advancedOnly = definePlugin({
  name: 'advanced-only',
  version: '1.0.0',
  config: z.object({}),
  edition: 'advanced',
  hooks: { 'call.ended': () => undefined },
});

describe('plugin settings per tenant: the admin API (INT-03)', () => {
  let t: TestApp;
  let a: { tenantId: string; users: Record<string, SeededUser> };
  let b: { tenantId: string; users: Record<string, SeededUser> };

  beforeAll(async () => {
    t = await startTestApp({ config: { plugins: [corpNotify({}), advancedOnly({})] } });
    a = await t.seedTenant({ slug: 'plug-a', edition: 'advanced' });
    b = await t.seedTenant({ slug: 'plug-b', edition: 'standard' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const put = (who: SeededUser, name: string, body: unknown) =>
    t.request('PUT', `/api/v1/plugins/${name}`, { token: who.token, body });

  it('[INT-03] an admin lists the plugins with their settings schema; a plugin with settings starts off', async () => {
    const res = await t.request('GET', '/api/v1/plugins', { token: a.users.admin!.token });
    expect(res.status).toBe(200);
    const corp = res.body.items.find((p: { name: string }) => p.name === 'corp-notify');
    expect(corp).toMatchObject({
      version: '1.2.0',
      status: 'ok',
      enabled: false,
      offReason: 'not_enabled',
      secretsSet: [],
    });
    expect(corp.settingsSchema.properties.corpSecret).toMatchObject({ type: 'string', secret: true, writeOnly: true });
    expect(corp.settingsSchema.properties.corpId).toMatchObject({ type: 'string', description: 'Corp ID' });
  });

  it('[INT-03] turning on needs valid settings; each bad field is named', async () => {
    const res = await put(a.users.admin!, 'corp-notify', { enabled: true, settings: { corpId: 'x', extra: 1 } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body.settings.corpId', 'body.settings.corpSecret', 'body.settings']),
    );
    const none = await put(a.users.admin!, 'corp-notify', { enabled: true });
    expect(none.status).toBe(400);
    // The console in zh-CN reads the plugin schema's generic messages in Chinese.
    const zh = await t.request('PUT', '/api/v1/plugins/corp-notify', {
      token: a.users.admin!.token,
      headers: { 'accept-language': 'zh-CN' },
      body: { enabled: true, settings: { corpId: 'x' } },
    });
    const secret = zh.body.error.details.find((d: { path: string }) => d.path === 'body.settings.corpSecret');
    expect(secret.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('[INT-03] secrets are write-only, stored encrypted and bound to their tenant, kept when left out', async () => {
    const saved = await put(a.users.admin!, 'corp-notify', {
      enabled: true,
      settings: { corpId: 'ww-a', corpSecret: 'secret-of-tenant-a' },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({
      enabled: true,
      settings: { corpId: 'ww-a', agentId: 1000002 },
      secretsSet: ['corpSecret'],
    });
    expect(JSON.stringify(saved.body)).not.toContain('secret-of-tenant-a');

    // At rest: not in clear anywhere in the row.
    const rows = await t.app.container.cradle.db.select().from(pluginTenantSettings);
    const row = rows.find((r) => r.tenantId === a.tenantId)!;
    expect(JSON.stringify(row)).not.toContain('secret-of-tenant-a');
    expect(row.secrets).toMatch(/^v1\./);

    // An edit without the secret keeps it.
    const edited = await put(a.users.admin!, 'corp-notify', { enabled: true, settings: { corpId: 'ww-a2' } });
    expect(edited.status).toBe(200);
    expect(edited.body.secretsSet).toEqual(['corpSecret']);

    // A row copied to another tenant does not open there (the seal is bound to tenant and plugin).
    await put(b.users.admin!, 'corp-notify', { enabled: false });
    await t.app.container.cradle.db
      .update(pluginTenantSettings)
      .set({ secrets: row.secrets, enabled: true, settings: { corpId: 'stolen' } })
      .where((await import('drizzle-orm')).eq(pluginTenantSettings.tenantId, b.tenantId));
    await expect(t.app.container.cradle.pluginSettings.read(b.tenantId, 'corp-notify')).rejects.toThrow();
    expect(await t.app.pluginHost.tenantGate('corp-notify', b.tenantId)).toEqual({ on: false, why: 'source_failed' });
    // The console still works: the secret reads as unset, and saving a new one repairs the row.
    const view = await t.request('GET', '/api/v1/plugins/corp-notify', { token: b.users.admin!.token });
    expect(view.body).toMatchObject({ enabled: false, secretsSet: [] });
    const repaired = await put(b.users.admin!, 'corp-notify', {
      enabled: false,
      settings: { corpId: 'ww-b', corpSecret: 'replaced-secret' },
    });
    expect(repaired.status, JSON.stringify(repaired.body)).toBe(200);
  });

  it('[INT-03] a hook gets only its own tenant’s settings; a tenant that has not turned the plugin on is skipped', async () => {
    const resB = await put(b.users.admin!, 'corp-notify', {
      enabled: true,
      settings: { corpId: 'ww-b', corpSecret: 'secret-of-tenant-b' },
    });
    expect(resB.status, JSON.stringify(resB.body)).toBe(200);
    seen.length = 0;
    const host = t.app.pluginHost;
    await host.emit('call.ended', testPayload('call.ended', { tenantId: a.tenantId }));
    await host.emit('call.ended', testPayload('call.ended', { tenantId: b.tenantId }));
    expect(seen).toEqual([
      { tenantId: a.tenantId, corpId: 'ww-a2', corpSecret: 'secret-of-tenant-a' },
      { tenantId: b.tenantId, corpId: 'ww-b', corpSecret: 'secret-of-tenant-b' },
    ]);

    // Off again: takes effect at once on this instance.
    expect((await put(b.users.admin!, 'corp-notify', { enabled: false })).status).toBe(200);
    seen.length = 0;
    await host.emit('call.ended', testPayload('call.ended', { tenantId: b.tenantId }));
    expect(seen).toEqual([]);
  });

  it('[INT-03] an advanced-only plugin cannot be turned on by a standard tenant', async () => {
    const res = await put(b.users.admin!, 'advanced-only', { enabled: true });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('edition_required');
    expect((await put(a.users.admin!, 'advanced-only', { enabled: true })).status).toBe(200);
    const list = await t.request('GET', '/api/v1/plugins/advanced-only', { token: b.users.admin!.token });
    expect(list.body).toMatchObject({ enabled: false, offReason: 'edition', edition: 'advanced' });
  });

  it('[INT-03] typed UI contributions: the workbench gets the actions of the plugins serving the tenant, by role, with the addresses to post to', async () => {
    const ui = (who: SeededUser) => t.request('GET', '/api/v1/plugins/ui', { token: who.token });
    // Off for the tenant: nothing to show.
    await put(a.users.admin!, 'corp-notify', { enabled: false });
    expect((await ui(a.users.agent!)).body).toEqual({ cards: [], actions: [] });
    const on = await put(a.users.admin!, 'corp-notify', {
      enabled: true,
      settings: { corpId: 'ww-ui', corpSecret: 'secret-ui-1' },
    });
    expect(on.status, JSON.stringify(on.body)).toBe(200);
    const forAgent = await ui(a.users.agent!);
    expect(forAgent.status).toBe(200);
    expect(forAgent.body.actions).toEqual([
      {
        plugin: 'corp-notify',
        id: 'notify-member',
        placement: 'call',
        route: '/actions/notify',
        url: '/plugins/corp-notify/actions/notify',
        label: { 'zh-CN': '通知成员', en: 'Notify a member' },
        roles: ['agent', 'supervisor', 'admin'],
        fields: [
          {
            kind: 'select',
            name: 'member',
            label: { 'zh-CN': '成员', en: 'Member' },
            required: true,
            options: { route: '/plugins/corp-notify/members' },
          },
          { kind: 'textarea', name: 'note', label: { 'zh-CN': '备注', en: 'Note' }, required: false, maxLength: 1000 },
        ],
      },
    ]);
    // A supervisor also gets the action meant for supervisors.
    const forSupervisor = await ui(a.users.supervisor!);
    expect(forSupervisor.body.actions.map((x: { id: string }) => x.id)).toEqual(['notify-member', 'escalate']);
    // Another tenant that has not turned it on sees none of it.
    expect((await ui(b.users.agent!)).body.actions).toEqual([]);
    expect((await t.request('GET', '/api/v1/plugins/ui')).status).toBe(401);
  });

  it('[INT-03] a plugin whose UI contribution is malformed is refused when it is defined, naming the field', () => {
    const bad = (ui: unknown) => () =>
      definePlugin({ name: 'bad-ui', version: '1.0.0', config: z.object({}), ui: ui as never });
    expect(
      bad({ actions: [{ id: 'x', placement: 'call', route: 'no-slash', label: { 'zh-CN': 'x', en: 'x' } }] }),
    ).toThrow(/plugin "bad-ui" ui\.actions\.0\.route: a path under the plugin/);
    expect(bad({ actions: [{ id: 'x', placement: 'call', route: '/a', label: { en: 'x' } }] })).toThrow(/label/);
    expect(bad({ scripts: ['https://evil.example/app.js'] })).toThrow(/plugin "bad-ui" ui/);
  });

  it('only admins see or change plugins; unknown plugins are 404; the tenant table names each tenant', async () => {
    for (const role of ['supervisor', 'agent'] as const) {
      expect((await t.request('GET', '/api/v1/plugins', { token: a.users[role]!.token })).status).toBe(403);
      expect((await put(a.users[role]!, 'corp-notify', { enabled: false })).status).toBe(403);
    }
    expect((await put(a.users.admin!, 'no-such-plugin', { enabled: true })).status).toBe(404);
    expect((await put(a.users.admin!, 'Bad Name', { enabled: true })).status).toBe(400);
    const table = await t.app.container.cradle.pluginSettings.tenantTable();
    expect(table).toMatch(/^tenant\s+corp-notify\s+advanced-only/);
    expect(table).toMatch(/plug-a\s+on\s+on/);
    expect(table).toMatch(/plug-b\s+off \(not enabled\)\s+off \(edition\)/);
  });
});
