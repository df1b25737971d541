/**
 * The agent workbench shell in a real browser against the real server: the status bar
 * (AGT-01/02), the network banner and re-sync after the connection drops, personal settings
 * (AGT-03, IN-02/03), keyboard shortcuts, languages, layout at 1280×720 and accessibility.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useUiWorld } from './support/ui-world.js';

const world = useUiWorld();

/** The agent state the status bar shows (`data-state`). */
const shownState = (page: Page) => page.getByTestId('agent-status-button').getAttribute('data-state');
const shownLabel = (page: Page) => page.getByTestId('agent-status-label').textContent();

/** The agent's state as the server has it. */
async function serverState(token: string): Promise<{ state: string; reason: string | null }> {
  const res = await world.t.request('GET', '/api/v1/agents/me', { token });
  return res.body as { state: string; reason: string | null };
}

async function chooseState(page: Page, id: string): Promise<void> {
  await page.getByTestId('agent-status-button').click();
  await page.getByTestId(`state-choice-${id}`).click();
}

/** Records every state the network banner goes through (so a 2 s banner is never missed). */
async function recordBanner(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const w = window as unknown as { __banner: string[] };
    w.__banner = [];
    const note = () => {
      const el = document.querySelector('[data-testid="network-banner"]');
      const state = el?.getAttribute('data-state') ?? 'none';
      if (w.__banner.at(-1) !== state) w.__banner.push(state);
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  return () => page.evaluate(() => (window as unknown as { __banner: string[] }).__banner);
}

/** No horizontal scrolling at the page's viewport. */
async function expectNoHorizontalScroll(page: Page, name: string): Promise<void> {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(scroll, `${name} scrolls sideways`).toBeLessThanOrEqual(client);
}

describe('agent status bar', () => {
  it('[AGT-01] the agent picks idle, rest with a reason, not ready and idle again; text, icon and timer follow', async () => {
    const page = await world.page({ locale: 'en' });
    await world.signIn(page, 'agent1');
    const token = await world.token('agent1');
    await expect.poll(() => shownState(page)).toBe('idle');
    expect(await shownLabel(page)).toBe('Available');

    // The rest reasons come from the tenant's settings.
    await page.getByTestId('agent-status-button').click();
    await expect
      .poll(() => page.getByRole('menuitemradio').allTextContents())
      .toEqual([
        expect.stringContaining('Available'),
        expect.stringContaining('Not ready'),
        'Meal',
        'Meeting',
        'Training',
        expect.stringContaining('Offline'),
      ]);
    await world.screenshot(page, 'status-menu-en');
    await world.expectAccessible(page, 'status menu');
    await page.getByTestId('state-choice-rest:Meal').click();
    await expect.poll(() => shownLabel(page)).toBe('On break: Meal');
    await expect.poll(() => serverState(token)).toEqual(expect.objectContaining({ state: 'rest', reason: 'Meal' }));

    // The timer counts the time in the state, from the server's timestamp.
    await expect
      .poll(() => page.getByTestId('agent-status-timer').textContent(), { timeout: 15_000 })
      .toMatch(/^\s*00:0[1-9]\s*$/);

    // Ctrl+Shift+S opens the menu from the keyboard.
    await page.locator('main').click();
    await page.keyboard.press('Control+Shift+S');
    await page.getByTestId('state-choice-notReady').waitFor();
    await page.keyboard.press('Escape');
    // Closed for good before the next click opens it again (a click during the close would land
    // on a menu that is going away).
    await page.getByTestId('state-choice-notReady').waitFor({ state: 'hidden' });
    await chooseState(page, 'notReady');
    await expect.poll(() => shownLabel(page)).toBe('Not ready');
    await expect.poll(() => serverState(token)).toEqual(expect.objectContaining({ state: 'notReady' }));
    expect((await page.getByTestId('agent-status-timer').textContent())?.trim()).toMatch(/^00:0\d$/);

    await chooseState(page, 'idle');
    await expect.poll(() => shownState(page)).toBe('idle');
    await expect.poll(() => serverState(token)).toEqual(expect.objectContaining({ state: 'idle' }));
    await world.screenshot(page, 'status-idle-en');
  });

  it('[AGT-01] a change made elsewhere (another device, the server) shows within the event', async () => {
    const page = await world.page({ locale: 'en' });
    await world.signIn(page, 'agent1');
    const token = await world.token('agent1');
    await expect.poll(() => shownState(page)).not.toBe('offline');
    await world.t.request('PUT', '/api/v1/agents/me/state', { token, body: { state: 'rest', reason: 'Training' } });
    await expect.poll(() => shownLabel(page)).toBe('On break: Training');
    await world.t.request('PUT', '/api/v1/agents/me/state', { token, body: { state: 'idle' } });
    await expect.poll(() => shownState(page)).toBe('idle');
  });

  it("[AGT-02] going online after sign-in lands in the tenant's default state (not ready here)", async () => {
    const admin = await world.token('admin');
    const set = (defaultLoginState: string) =>
      world.t.request('PUT', '/api/v1/settings/agent', { token: admin, body: { defaultLoginState } });
    expect((await set('notReady')).status).toBe(200);
    try {
      const page = await world.page();
      await world.signIn(page, 'agent2');
      await expect.poll(() => shownState(page)).toBe('notReady');
      expect(await shownLabel(page)).toBe('示忙');
      expect((await serverState(await world.token('agent2'))).state).toBe('notReady');
      await world.screenshot(page, 'status-not-ready-zh');
    } finally {
      await set('idle');
    }
  });
});

describe('connection', () => {
  it('[AGT-01] shows the banner while the connection is down and re-syncs the state after reconnecting', async () => {
    const page = await world.page({ locale: 'en' });
    await world.signIn(page, 'agent3');
    const token = await world.token('agent3');
    await expect.poll(() => shownState(page)).toBe('idle');
    const banner = await recordBanner(page);

    world.link.cut();
    await page.getByTestId('network-banner').waitFor();
    await expect
      .poll(() => page.getByTestId('network-banner').getAttribute('data-state'))
      .toMatch(/reconnecting|offline/);
    expect(await page.getByTestId('network-banner').textContent()).toContain('Reconnecting');
    await world.screenshot(page, 'banner-reconnecting-en');

    // While the browser is cut off, the state changes on the server: the event cannot arrive.
    expect(
      (await world.t.request('PUT', '/api/v1/agents/me/state', { token, body: { state: 'notReady' } })).status,
    ).toBe(200);
    expect(await shownState(page)).toBe('idle');

    world.link.restore();
    await expect.poll(() => shownState(page), { timeout: 45_000 }).toBe('notReady');
    await expect.poll(banner, { timeout: 30_000 }).toContain('reconnected');
    // …and the "reconnected" banner goes away by itself.
    await page.getByTestId('network-banner').waitFor({ state: 'detached', timeout: 30_000 });
    expect((await banner()).filter((b, i) => i > 0 || b !== 'none')).toEqual(['reconnecting', 'reconnected', 'none']);
  });

  it('[AGT-01] survives a real server restart: the banner while it is down, then the same state, phone and page without a reload', async () => {
    const page = await world.page({ locale: 'en' });
    await world.signIn(page, 'agent1');
    await expect.poll(() => shownState(page), { timeout: 30_000 }).toBe('idle');
    await chooseState(page, 'rest:Meal');
    await expect.poll(() => shownLabel(page)).toBe('On break: Meal');
    await expect.poll(() => page.getByTestId('phone-status').getAttribute('data-state')).toBe('registered');
    // A mark in the page: gone if the page reloads.
    await page.evaluate("window.__sameDocument = 'yes'");
    const banner = await recordBanner(page);

    await world.stopServer();
    try {
      await expect
        .poll(() => page.getByTestId('network-banner').getAttribute('data-state'), { timeout: 30_000 })
        .toMatch(/reconnecting|offline/);
      await world.screenshot(page, 'banner-server-down-en');
    } finally {
      await world.startServer();
    }

    // The new server: same database, same port. The page reconnects by itself and re-syncs.
    await expect.poll(banner, { timeout: 60_000 }).toContain('reconnected');
    await expect.poll(() => shownLabel(page), { timeout: 30_000 }).toBe('On break: Meal');
    expect(await page.evaluate('window.__sameDocument')).toBe('yes');
    // The restarted simulator knows the agent's softphone again (registered after the restart).
    const token = await world.token('agent1');
    await expect
      .poll(
        async () =>
          (await world.t.request('GET', '/api/v1/simulator/devices/me/calls', { token })).body?.registered === true,
        { timeout: 30_000 },
      )
      .toBe(true);
    expect(await page.getByTestId('phone-status').getAttribute('data-state')).toBe('registered');
    // The session carries on: a change on the new server reaches the page live.
    await world.t.request('PUT', '/api/v1/agents/me/state', { token, body: { state: 'idle' } });
    await expect.poll(() => shownState(page), { timeout: 30_000 }).toBe('idle');
    await page.getByTestId('network-banner').waitFor({ state: 'detached', timeout: 30_000 });
    await world.screenshot(page, 'after-server-restart-en');
  });

  it('[LOGIN-01] [ADM-12] a session ended by the server (forced offline) signs the page out with its message', async () => {
    const page = await world.page({ locale: 'en' });
    await world.signIn(page, 'agent2');
    await expect.poll(() => shownState(page)).not.toBe('offline');
    const me = (await world.t.request('GET', '/api/v1/auth/me', { token: await world.token('agent2') })).body as {
      id: string;
    };
    const admin = await world.token('admin');
    const res = await world.t.request('POST', `/api/v1/agents/${me.id}/force-offline`, { token: admin });
    expect(res.status).toBe(200);
    await page.waitForURL(/\/login/);
    await expect
      .poll(() => page.locator('.t-message').filter({ hasText: 'An administrator set you offline' }).count())
      .toBeGreaterThan(0);
    expect(await page.evaluate(() => localStorage.getItem('switchboard.session'))).toBeNull();
  });
});

describe('one workbench per agent', () => {
  it('[AGT-01] a second tab of the same agent takes the workbench over; the first stops its phone, says so and can take it back', async () => {
    const first = await world.page({ locale: 'en' });
    await world.signIn(first, 'agent2');
    const phoneState = (p: Page) => p.getByTestId('phone-status').getAttribute('data-state');
    await expect.poll(() => phoneState(first), { timeout: 30_000 }).toBe('registered');
    // The simulator has the agent's one device, registered by the first tab.
    const token = await world.token('agent2');
    const device = async () =>
      (await world.t.request('GET', '/api/v1/simulator/devices/me/calls', { token })).body as { registered?: boolean };

    // The same browser profile (shared storage): a second tab opens the workbench, signed in.
    const second = await first.context().newPage();
    await second.goto(`${world.url}/workbench`);
    await first.getByTestId('tab-taken-over').waitFor();
    await expect.poll(() => phoneState(first), { timeout: 30_000 }).not.toBe('registered');
    await expect.poll(() => phoneState(second), { timeout: 30_000 }).toBe('registered');
    // The old tab's unregistering came first: the new tab's registration stands.
    await expect.poll(async () => (await device()).registered).toBe(true);
    expect(await second.getByTestId('tab-taken-over').count()).toBe(0);
    expect(await first.getByTestId('tab-taken-over').textContent()).toContain('open in another tab');
    // The page's own expression (these files are compiled without the DOM types).
    expect(await first.evaluate("document.activeElement?.getAttribute('data-testid') ?? null")).toBe('tab-use-here');
    await world.screenshot(first, 'workbench-tab-taken-over-en');
    await world.expectAccessible(first, 'tab taken over');

    // The first tab takes it back: now the second one stands down.
    await first.getByTestId('tab-use-here').click();
    await second.getByTestId('tab-taken-over').waitFor();
    await expect.poll(() => phoneState(second), { timeout: 30_000 }).not.toBe('registered');
    await expect.poll(() => phoneState(first), { timeout: 30_000 }).toBe('registered');
    expect(await first.getByTestId('tab-taken-over').count()).toBe(0);
    await expect.poll(async () => (await device()).registered).toBe(true);
  });
});

describe('personal settings', () => {
  it('[AGT-03] [IN-02] [IN-03] the agent binds a mobile, answers on it when the web is offline, and turns on auto-answer', async () => {
    const page = await world.page({ locale: 'en' });
    await world.signIn(page, 'agent1');
    const token = await world.token('agent1');
    await page.getByTestId('user-menu').click();
    await page.locator('.t-dropdown__item', { hasText: 'Personal settings' }).click();
    const drawer = page.getByTestId('personal-settings');
    await page.getByTestId('settings-mobile').locator('input').waitFor();

    await page.getByTestId('settings-mobile').locator('input').fill('13911112222');
    await page.getByTestId('settings-mobile-save').click();
    await expect
      .poll(async () => (await world.t.request('GET', '/api/v1/auth/me', { token })).body.mobile)
      .toBe('13911112222');

    // The modes that ring the mobile are enabled once the page has the server's answer (a
    // person cannot pick a disabled one; a click on it would be lost).
    const whenOffline = page.getByTestId('answer-mode-mobileWhenOffline');
    await expect.poll(() => whenOffline.locator('input').isDisabled()).toBe(false);
    await whenOffline.click();
    await expect
      .poll(async () => (await world.t.request('GET', '/api/v1/me/answering', { token })).body)
      .toEqual({ answerMode: 'mobileWhenOffline', autoAnswer: false });
    // The switch is disabled while the mode is being saved.
    const autoAnswer = page.getByTestId('settings-auto-answer');
    await expect.poll(() => autoAnswer.getAttribute('class')).not.toContain('t-is-disabled');
    await autoAnswer.click();
    await expect
      .poll(async () => (await world.t.request('GET', '/api/v1/me/answering', { token })).body)
      .toEqual({ answerMode: 'mobileWhenOffline', autoAnswer: true });
    await world.screenshot(page, 'personal-settings-en');
    await world.expectAccessible(page, 'personal settings');
    expect(await drawer.count()).toBeGreaterThan(0);

    // A number another user has is refused with the server's message.
    await page.getByTestId('settings-mobile').locator('input').fill('13800000012');
    await page.getByTestId('settings-mobile-save').click();
    await expect
      .poll(() => page.locator('.t-message').filter({ hasText: 'Another user already has this mobile' }).count())
      .toBeGreaterThan(0);
    // Back to where it was, for the other tests.
    await world.t.request('PUT', '/api/v1/me/answering', { token, body: { answerMode: 'webrtc', autoAnswer: false } });
  });
});

describe('shell', () => {
  it('Ctrl+/ lists the keyboard shortcuts; shortcuts do nothing while typing', async () => {
    const page = await world.page({ locale: 'en' });
    await world.signIn(page, 'agent1');
    await expect.poll(() => shownState(page)).not.toBe('offline');
    await page.keyboard.press('Control+/');
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Open the status menu').waitFor();
    expect(await dialog.textContent()).toContain('Ctrl+Shift+S');
    await world.screenshot(page, 'shortcut-help-en');
    await world.expectAccessible(page, 'shortcut help');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // Typing Ctrl+Shift+S in a field opens nothing.
    await page.getByTestId('user-menu').click();
    await page.locator('.t-dropdown__item', { hasText: 'Personal settings' }).click();
    const input = page.getByTestId('settings-mobile').locator('input');
    // The drawer takes focus when it opens: type only once the field really has it.
    await input.click();
    await expect.poll(() => input.evaluate((el: { matches(s: string): boolean }) => el.matches(':focus'))).toBe(true);
    await page.keyboard.press('Control+Shift+S');
    expect(await page.getByTestId('agent-status-button').getAttribute('aria-expanded')).toBe('false');
  });

  it('switches between 简体中文 and English, and keeps the choice', async () => {
    const page = await world.page();
    await world.signIn(page, 'agent1');
    await expect.poll(() => shownLabel(page)).toBe('示闲');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await world.screenshot(page, 'workbench-zh');
    await page.getByTestId('locale-switch').click();
    await page.getByText('English', { exact: true }).click();
    await expect.poll(() => shownLabel(page)).toBe('Available');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('h1').textContent()).toContain('Hello');
    await page.reload();
    await expect.poll(() => shownLabel(page)).toBe('Available');
    await world.screenshot(page, 'workbench-en');
  });

  it('fits 1280×720 without sideways scrolling and passes axe on every screen', async () => {
    const page = await world.page({ locale: 'en' });
    await page.goto(`${world.url}/login`);
    await page.getByTestId('login-email').waitFor();
    await expectNoHorizontalScroll(page, 'sign-in');
    await world.expectAccessible(page, 'sign-in');

    await world.signIn(page, 'agent1');
    await expect.poll(() => shownState(page)).not.toBe('offline');
    await expectNoHorizontalScroll(page, 'workbench');
    await world.expectAccessible(page, 'workbench');

    // An agent may not open the console.
    await page.goto(`${world.url}/admin`);
    await page.waitForURL(/\/403$/);
    await world.expectAccessible(page, 'forbidden');

    const admin = await world.page({ locale: 'en' });
    await world.signIn(admin, 'admin');
    await admin.locator('h1').waitFor();
    await expectNoHorizontalScroll(admin, 'console');
    await world.expectAccessible(admin, 'console');
    await world.screenshot(admin, 'console-en');
    await admin.goto(`${world.url}/no-such-page`);
    await admin.getByText('Page not found').waitFor();
    await world.expectAccessible(admin, 'not found');
  });
});
