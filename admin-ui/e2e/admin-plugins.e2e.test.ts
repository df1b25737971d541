/**
 * Plugins per tenant in a real browser against the real server (INT-03, ADR 0013): the admin
 * sees a plugin that needs settings as off, gets the server's field errors on their fields,
 * turns it on with valid settings, and the secret is never shown again — while the plugin's
 * hook really runs for the tenant with those settings.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePlugin, secretSetting } from '../../core/src/plugins/define-plugin.js';
import { testPayload } from '../../core/src/plugins/test-host.js';
import { useUiWorld } from './support/ui-world.js';

/** What the plugin's hook saw: the proof that the console's save reached the call path. */
const seen: Array<{ corpId: string; corpSecret: string }> = [];

const corpNotify = definePlugin({
  name: 'corp-notify',
  version: '1.0.0',
  config: z.object({}),
  tenantSettings: z.object({
    corpId: z.string().min(4).describe('Corp ID'),
    corpSecret: secretSetting(z.string().min(8).describe('Corp secret')),
    notify: z.boolean().default(true).describe('Notify members'),
  }),
  hooks: {
    'call.ended': (_call, ctx) =>
      void seen.push({ corpId: ctx.tenantSettings.corpId, corpSecret: ctx.tenantSettings.corpSecret }),
  },
});

const world = useUiWorld({ plugins: [corpNotify({})] });
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 100 });

describe('console: plugins per tenant (INT-03)', () => {
  it('[INT-03] an admin turns a plugin on with its settings; field errors show on their fields; the secret stays write-only', async () => {
    const page = await world.page();
    await world.signIn(page, 'admin');
    await page.goto(`${world.url}/admin/plugins`);
    const state = page.getByTestId('plugin-state-corp-notify');
    await expect.poll(() => state.textContent(), { timeout: 20_000 }).toContain('未开启');
    await world.expectAccessible(page, 'plugins list');
    await world.screenshot(page, 'admin-plugins-zh');

    await page.getByTestId('plugin-configure-corp-notify').click();
    const form = page.getByTestId('plugin-settings-form');
    await form.waitFor();
    await page.getByTestId('plugin-enabled').click();
    await page.getByTestId('setting-corpId').locator('input').fill('ww');
    await page.getByTestId('plugin-settings-save').click();
    // The server's message, on the field it is about.
    await poll(() => form.locator('.t-form__item', { hasText: 'Corp ID' }).textContent()).toMatch(/>=\s*4/);
    await world.expectAccessible(page, 'plugin settings with errors');
    await world.screenshot(page, 'admin-plugin-settings-errors-zh');

    await page.getByTestId('setting-corpId').locator('input').fill('ww-demo');
    await page.getByTestId('setting-corpSecret').locator('input').fill('secret-of-the-demo');
    await page.getByTestId('plugin-settings-save').click();
    await poll(() => state.textContent()).toContain('已开启');
    await form.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain('secret-of-the-demo');

    // The hook runs for the demo tenant with exactly what the admin saved.
    await world.t.app.pluginHost.emit(
      'call.ended',
      testPayload('call.ended', { tenantId: world.t.app.demo!.tenantId }),
    );
    expect(seen).toEqual([{ corpId: 'ww-demo', corpSecret: 'secret-of-the-demo' }]);

    // Opened again: the secret is not in the form, only that one is saved.
    await page.getByTestId('plugin-configure-corp-notify').click();
    const secret = page.getByTestId('setting-corpSecret').locator('input');
    await secret.waitFor();
    expect(await secret.inputValue()).toBe('');
    expect(await secret.getAttribute('placeholder')).toContain('已设置');
    await world.screenshot(page, 'admin-plugin-settings-saved-zh');
  });

  it('[INT-03] agents and supervisors cannot open the plugins page', async () => {
    const page = await world.page();
    await world.signIn(page, 'supervisor');
    await page.goto(`${world.url}/admin/plugins`);
    await poll(() => page.url()).not.toContain('/admin/plugins');
  });
});
