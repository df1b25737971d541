/**
 * The settings screens in a real browser against the real server (issue 11 item 9): an admin
 * changes number protection and the wrap-up length and they take effect (what the readers and
 * an agent's own settings see), an invalid value shows the server's error on its field, a
 * setting goes back to its default; an API key is created and its once-shown secret used
 * against the API, then revoked; a number is blacklisted (its call is refused) and removed; a
 * digit collection template is created. Every screen passes axe and is screenshotted.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { numberProtectionOn } from '../../core/src/modules/calls/number-protection.js';
import { DEMO_NUMBER } from '../../core/src/demo/call-center.js';
import { useUiWorld } from './support/ui-world.js';

const world = useUiWorld();

/** Polls generously: the machine may be busy. */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 100 });

/** No sideways scrolling at 1280×720 (ui-anchors R19). */
async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
}

/**
 * Axe over the page as it rests: the pointer off any control (a hovered button has TDesign's
 * lighter hover colour) and no loading mask over a table.
 */
async function accessible(page: Page, name: string): Promise<void> {
  await page.mouse.move(0, 0);
  await poll(() => page.locator('.t-loading:visible').count()).toBe(0);
  await world.expectAccessible(page, name);
}

/**
 * Axe over an open dialog only: behind its dimming overlay the page's text fails contrast by
 * design, and is not what the user works with.
 */
async function dialogAccessible(page: Page, testId: string, name: string): Promise<void> {
  await page.mouse.move(0, 0);
  const result = await new AxeBuilder({ page })
    .include(`[data-testid="${testId}"]`)
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, `accessibility of ${name}`).toEqual([]);
}

/** Confirms the open TDesign popconfirm. */
async function confirmPopup(page: Page): Promise<void> {
  await page.locator('.t-popconfirm__confirm').last().click();
}

async function api(method: string, path: string, token: string, body?: unknown) {
  return world.t.request(method, `/api/v1${path}`, { token, ...(body === undefined ? {} : { body }) });
}

async function openMenu(page: Page, name: string, url: RegExp): Promise<void> {
  await page.getByTestId(`menu-${name}`).click();
  await page.waitForURL(url);
}

describe('admin settings screens', () => {
  it('[RT-07] [RT-06] [ED-01] the admin turns number protection on and sets the wrap-up length; both take effect; a bad value shows its field error; a reset restores the default', async () => {
    const page = await world.page();
    await world.signIn(page, 'admin');
    const admin = await world.token('admin');
    const agentToken = await world.token('agent1');
    const { tenantRepo } = world.t.app.container.cradle;
    const tenantId = world.t.app.demo!.tenantId;

    await openMenu(page, 'admin-settings', /\/admin\/settings$/);
    // The edition, read-only (the demo tenant is advanced).
    await poll(() => page.getByTestId('settings-edition').innerText()).toBe('高级版');
    const protection = page.getByTestId('setting-numberProtection');
    await poll(() => protection.getByTestId('setting-numberProtection-default').count()).toBe(1);
    expect(await page.getByTestId('number-protection-switch').getAttribute('class')).not.toContain('is-checked');

    // Number protection on: stored, typed, and what every masking path reads.
    // By keyboard: the switch is in the tab order and toggles with Space.
    await page.getByTestId('number-protection-switch').focus();
    await page.keyboard.press('Space');
    expect(await page.getByTestId('number-protection-switch').getAttribute('aria-checked')).toBe('true');
    await page.getByTestId('setting-numberProtection-save').click();
    await poll(async () => (await api('GET', '/tenant/settings', admin)).body.settings.numberProtection).toBe(true);
    expect(numberProtectionOn(await tenantRepo.findById(tenantId))).toBe(true);
    await poll(() => protection.getByTestId('setting-numberProtection-default').count()).toBe(0);
    // Private addresses for push (SSRF guard): off by default, on once saved.
    expect(await page.getByTestId('allow-private-urls-switch').getAttribute('aria-checked')).toBe('false');
    await page.getByTestId('allow-private-urls-switch').click();
    await page.getByTestId('setting-allowPrivateUrls-save').click();
    await poll(async () => (await api('GET', '/tenant/settings', admin)).body.settings.allowPrivateUrls).toBe(true);
    await world.screenshot(page, 'admin-settings-calls-zh');
    await accessible(page, 'settings: calls');
    expect(await fitsWidth(page)).toBe(true);

    // An invalid hold-music URL: the server's message on the URL field, nothing stored.
    await page.getByTestId('hold-music-url').locator('input').fill('ftp://example.com/hold.mp3');
    await page.getByTestId('setting-holdMusicUrl-save').click();
    const hold = page.getByTestId('setting-holdMusicUrl');
    await poll(() => hold.locator('.t-is-error').count()).toBeGreaterThan(0);
    // In the admin's language (the console sends Accept-Language: zh-CN).
    expect(await hold.innerText()).toContain('必须是 http(s) 网址');
    expect((await api('GET', '/tenant/settings', admin)).body.settings.holdMusicUrl).toBeNull();
    await world.screenshot(page, 'admin-settings-field-error-zh');

    // Wrap-up length 45 s: what an agent's own settings say after the save.
    await page.getByTestId('settings-tab-agents').click();
    await page.waitForURL(/tab=agents/);
    const wrapUp = page.getByTestId('wrap-up-seconds').locator('input');
    await wrapUp.fill('45');
    await wrapUp.blur();
    await page.getByTestId('setting-agent-save').click();
    await poll(async () => (await api('GET', '/settings/agent', agentToken)).body.wrapUpSeconds).toBe(45);
    expect((await api('GET', '/tenant/settings', admin)).body.settings.agent.wrapUpSeconds).toBe(45);
    await world.screenshot(page, 'admin-settings-agents-zh');
    await accessible(page, 'settings: agents');

    // Working hours: a calendar with a holiday, saved and read back.
    await page.getByTestId('settings-tab-hours').click();
    await page.getByTestId('calendar-add').click();
    await page.getByTestId('calendar-0-id').locator('input').fill('office');
    await page.getByTestId('calendar-0-name').locator('input').fill('Office hours');
    await page.getByTestId('setting-calendars-save').click();
    await poll(async () => (await api('GET', '/tenant/settings', admin)).body.settings.calendars).toEqual([
      expect.objectContaining({
        id: 'office',
        name: 'Office hours',
        schedule: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], ranges: [{ start: '09:00', end: '18:00' }] }],
      }),
    ]);
    await world.screenshot(page, 'admin-settings-hours-zh');
    await accessible(page, 'settings: working hours');

    // Reset: number protection back to its default (the stored key deleted).
    await page.getByTestId('settings-tab-calls').click();
    await page.getByTestId('setting-numberProtection-reset').click();
    await confirmPopup(page);
    await poll(async () => (await tenantRepo.findById(tenantId))?.settings).not.toHaveProperty('numberProtection');
    expect(numberProtectionOn(await tenantRepo.findById(tenantId))).toBe(false);
    await poll(() => protection.getByTestId('setting-numberProtection-default').count()).toBe(1);

    // A supervisor reads the same page without the buttons.
    const sup = await world.page({ locale: 'en' });
    await world.signIn(sup, 'supervisor');
    await sup.goto(`${world.url}/admin/settings?tab=agents`);
    await poll(() => sup.getByTestId('settings-readonly').count()).toBe(1);
    await poll(() => sup.getByTestId('wrap-up-seconds').locator('input').inputValue()).toBe('45');
    expect(await sup.getByTestId('setting-agent-save').count()).toBe(0);
    await world.screenshot(sup, 'admin-settings-supervisor-en');
    await accessible(sup, 'settings as a supervisor');
  });

  it('[ADM-10] an API key is created with scopes, its once-shown secret adds an agent through the API, and revoking it locks it out', async () => {
    const page = await world.page();
    await world.signIn(page, 'admin');
    await openMenu(page, 'admin-api-keys', /\/admin\/api-keys$/);
    await page.getByTestId('api-key-create').click();
    // Nothing chosen: the server's errors on their fields.
    await page.getByTestId('api-key-submit').click();
    const dialog = page.getByTestId('api-key-dialog');
    await poll(() => dialog.locator('.t-is-error').count()).toBeGreaterThan(0);
    await page.getByTestId('api-key-name').locator('input').fill('CRM sync');
    await page.getByTestId('api-key-scope-users:read').click();
    await page.getByTestId('api-key-scope-users:write').click();
    await dialogAccessible(page, 'api-key-dialog', 'API key form');
    await page.getByTestId('api-key-submit').click();
    const secretBox = page.getByTestId('api-key-secret');
    await poll(() => secretBox.inputValue()).toMatch(/^sk_[0-9a-f]{10}_/);
    const secret = await secretBox.inputValue();
    await world.screenshot(page, 'admin-api-key-secret-zh');
    await dialogAccessible(page, 'api-key-dialog', 'API key secret');

    // The secret works against the API: an agent added with it (ADM-10).
    const added = await world.t.request('POST', '/api/v1/agents', {
      token: secret,
      body: { name: 'Key Agent', email: 'key-agent@demo.test', staffNo: 'K001' },
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect((await world.t.request('GET', '/api/v1/agents?q=K001', { token: secret })).body.items).toEqual([
      expect.objectContaining({ staffNo: 'K001' }),
    ]);

    // Shown once: after closing, the list has the key without its secret.
    await page.getByTestId('api-key-done').click();
    const table = page.getByTestId('api-keys-table');
    await poll(() => table.innerText()).toContain('CRM sync');
    await poll(() => page.getByTestId('api-key-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    await world.screenshot(page, 'admin-api-keys-zh');
    await accessible(page, 'API keys');

    await page.getByTestId('api-key-revoke-CRM sync').click();
    await confirmPopup(page);
    await poll(() => page.getByTestId('api-key-status-CRM sync').innerText()).toBe('已吊销');
    expect((await world.t.request('GET', '/api/v1/agents', { token: secret })).status).toBe(401);
  });

  it('[CTL-08] a number is blacklisted with a reason (its call is refused), found by search, and removed', async () => {
    const page = await world.page();
    await world.signIn(page, 'admin');
    const admin = await world.token('admin');
    await openMenu(page, 'admin-blacklist', /\/admin\/blacklist$/);
    await poll(() => page.getByTestId('blacklist-empty').count()).toBe(1);
    await accessible(page, 'blacklist (empty)');

    await page.getByTestId('blacklist-add').click();
    await page.getByTestId('blacklist-number').locator('input').fill('12');
    await page.getByTestId('blacklist-submit').click();
    const dialog = page.getByTestId('blacklist-dialog');
    await poll(() => dialog.locator('.t-is-error').count()).toBeGreaterThan(0);
    expect(await dialog.innerText()).toContain('3–20 位数字');
    await page.getByTestId('blacklist-number').locator('input').fill('138 0013 8000');
    await page.getByTestId('blacklist-reason').locator('input').fill('Harassing calls');
    await world.screenshot(page, 'admin-blacklist-add-zh');
    await dialogAccessible(page, 'blacklist-dialog', 'blacklist: add');
    await page.getByTestId('blacklist-submit').click();
    const table = page.getByTestId('blacklist-table');
    await poll(() => table.getByTestId('row-number').allInnerTexts()).toEqual(['13800138000']);
    expect(await table.innerText()).toContain('Harassing calls');
    const listed = (await api('GET', '/blacklist', admin)).body.items;
    expect(listed).toEqual([
      expect.objectContaining({ number: '13800138000', reason: 'Harassing calls', active: true }),
    ]);

    // Its call is refused at the door.
    const call = await world.sim.placeCall({ from: '13800138000', to: DEMO_NUMBER });
    expect((await call.ended).sipStatus).toBe(603);

    // Search by digits lives in the URL; a miss shows the filtered empty state.
    await page.getByTestId('blacklist-search').locator('input').fill('0013');
    await page.getByTestId('blacklist-search-go').click();
    await page.waitForURL(/q=0013/);
    await poll(() => table.getByTestId('row-number').allInnerTexts()).toEqual(['13800138000']);
    await page.getByTestId('blacklist-search').locator('input').fill('99999');
    await page.getByTestId('blacklist-search-go').click();
    await poll(() => page.getByTestId('blacklist-empty').innerText()).toBe('没有匹配的号码。');
    await page.goto(`${world.url}/admin/blacklist?q=0013`);
    await poll(() => page.getByTestId('row-number').allInnerTexts()).toEqual(['13800138000']);
    await world.screenshot(page, 'admin-blacklist-zh');
    await accessible(page, 'blacklist');
    expect(await fitsWidth(page)).toBe(true);

    await page.getByTestId('row-remove').click();
    await confirmPopup(page);
    await poll(async () => (await api('GET', '/blacklist', admin)).body.total).toBe(0);
    await poll(() => page.getByTestId('blacklist-empty').count()).toBe(1);
  });

  it('[CTL-10] a digit collection template is created (a reserved variable name shows its field error first)', async () => {
    const page = await world.page({ locale: 'en' });
    await world.signIn(page, 'admin');
    const admin = await world.token('admin');
    await openMenu(page, 'admin-collect-templates', /\/admin\/collect-templates$/);
    await page.getByTestId('collect-create').click();
    await page.getByTestId('collect-name').locator('input').fill('Order number');
    await page.getByTestId('collect-prompt').fill('Please key in your order number, then press pound.');
    const max = page.getByTestId('collect-max').locator('input');
    await max.fill('8');
    await max.blur();
    await page.getByTestId('collect-variable').locator('input').fill('SystemOrder');
    await page.getByTestId('collect-submit').click();
    const dialog = page.getByTestId('collect-dialog');
    await poll(() => dialog.innerText()).toContain('System… names are reserved');
    await world.screenshot(page, 'admin-collect-error-en');
    await dialogAccessible(page, 'collect-dialog', 'collect template form');
    await page.getByTestId('collect-variable').locator('input').fill('OrderNumber');
    await page.getByTestId('collect-submit').click();
    await poll(() => page.getByTestId('collect-table').innerText()).toContain('Order number');
    expect((await api('GET', '/collect-templates', admin)).body.items).toEqual([
      expect.objectContaining({ name: 'Order number', minDigits: 1, maxDigits: 8, variable: 'OrderNumber' }),
    ]);
    await world.screenshot(page, 'admin-collect-templates-en');
    await accessible(page, 'collect templates');
  });

  it('[OUT-11] the admin turns the outbound survey on from its template, a repeated key shows its error, the saved survey is what calls use; a standard tenant is told it is an advanced feature', async () => {
    const page = await world.page();
    await world.signIn(page, 'admin');
    const admin = await world.token('admin');
    const { tenantRepo } = world.t.app.container.cradle;
    const tenantId = world.t.app.demo!.tenantId;
    await page.goto(`${world.url}/admin/settings`);
    const card = page.getByTestId('setting-outboundSurvey');
    await poll(() => card.getByTestId('outbound-survey-enabled').count()).toBe(1);
    expect(await card.getByTestId('outbound-survey-prompt').count()).toBe(0);

    // On: the template in Chinese to start from, three ratings.
    await card.getByTestId('outbound-survey-enabled').click();
    await poll(() => card.getByTestId('outbound-survey-prompt').locator('input').inputValue()).toContain('满意请按1');
    expect(await card.getByTestId('outbound-survey-label-2').locator('input').inputValue()).toBe('不满意');
    // A fourth rating with a key already used: refused, the error on the list.
    await card.getByTestId('outbound-survey-add').click();
    await card.getByTestId('outbound-survey-key-3').locator('input').fill('1');
    await card.getByTestId('outbound-survey-label-3').locator('input').fill('非常满意');
    await card.getByTestId('setting-outboundSurvey-save').click();
    await poll(() => card.locator('.t-is-error').count()).toBeGreaterThan(0);
    expect((await api('GET', '/tenant/settings', admin)).body.settings.outboundSurvey).toBeNull();
    await world.screenshot(page, 'admin-settings-outbound-survey-error-zh');

    await card.getByTestId('outbound-survey-key-3').locator('input').fill('4');
    await card.getByTestId('setting-outboundSurvey-save').click();
    await poll(async () => (await api('GET', '/tenant/settings', admin)).body.settings.outboundSurvey).toMatchObject({
      prompt: expect.stringContaining('满意请按1'),
      options: [
        { key: '1', label: '满意' },
        { key: '2', label: '一般' },
        { key: '3', label: '不满意' },
        { key: '4', label: '非常满意' },
      ],
      thanksPrompt: '感谢您的评价，再见。',
      timeoutSeconds: 8,
      maxRetries: 1,
    });
    await card.scrollIntoViewIfNeeded();
    await world.screenshot(page, 'admin-settings-outbound-survey-zh');
    await accessible(page, 'settings: outbound survey');

    // Off again: no survey stored.
    await card.getByTestId('outbound-survey-enabled').click();
    await card.getByTestId('setting-outboundSurvey-save').click();
    await poll(async () => (await api('GET', '/tenant/settings', admin)).body.settings.outboundSurvey).toBeNull();

    // A standard tenant: told, no form to fill.
    await tenantRepo.update(tenantId, { edition: 'standard' });
    try {
      await page.reload();
      await poll(() => page.getByTestId('outbound-survey-advanced-only').count()).toBe(1);
      expect(await page.getByTestId('outbound-survey-enabled').count()).toBe(0);
      expect(await page.getByTestId('setting-outboundSurvey-save').count()).toBe(0);
      await accessible(page, 'settings: outbound survey on standard');
    } finally {
      await tenantRepo.update(tenantId, { edition: 'advanced' });
    }
  });
});
