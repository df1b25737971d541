/**
 * Sign-in in a real browser against the real server (LOGIN-01/02), landing by role, the
 * server's throttling message, and sign-out.
 */
import { describe, expect, it } from 'vitest';
import { demoUser, DEMO_PASSWORD, useUiWorld } from './support/ui-world.js';

const world = useUiWorld();

describe('sign-in', () => {
  it('[LOGIN-01] an agent signs in with email and password and lands on the workbench in the default state', async () => {
    const page = await world.page();
    await world.signIn(page, 'agent1');
    const status = page.getByTestId('agent-status-button');
    await expect.poll(() => status.getAttribute('data-state')).toBe('idle');
    await expect.poll(() => page.getByTestId('agent-status-label').textContent()).toBe('示闲');
    await world.screenshot(page, 'workbench-idle-zh');
    await world.expectAccessible(page, 'workbench');
  });

  it('[LOGIN-02] an agent signs in with a mobile number and the SMS code', async () => {
    const page = await world.page({ locale: 'en' });
    const u = demoUser('agent2');
    await page.goto(`${world.url}/login`);
    await page.locator('.t-tabs__nav-item', { hasText: 'Mobile' }).click();
    await page.getByTestId('login-mobile').locator('input').fill(u.mobile);
    await page.getByTestId('login-send-code').click();
    await expect.poll(() => world.t.sms.last(u.mobile)).toMatch(/^\d{6}$/);
    await page.getByTestId('login-code').locator('input').fill(world.t.sms.last(u.mobile)!);
    await world.screenshot(page, 'login-sms-en');
    await page.getByTestId('login-sms-submit').click();
    await page.waitForURL(/\/workbench$/);
    await expect.poll(() => page.getByTestId('agent-status-label').textContent()).toBe('Available');
  });

  it('[LOGIN-01] signing out takes the agent offline, ends the session on the server and returns to sign-in', async () => {
    const page = await world.page({ locale: 'en' });
    await world.signIn(page, 'agent1');
    await expect.poll(() => page.getByTestId('agent-status-button').getAttribute('data-state')).toBe('idle');
    const refreshToken = await page.evaluate(
      () => (JSON.parse(localStorage.getItem('switchboard.session') ?? '{}') as { refreshToken?: string }).refreshToken,
    );
    await page.getByTestId('user-menu').click();
    await page.locator('.t-dropdown__item', { hasText: 'Sign out' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login$/);
    const token = await world.token('agent1');
    expect((await world.t.request('GET', '/api/v1/agents/me', { token })).body.state).toBe('offline');
    const refresh = await world.t.request('POST', '/api/v1/auth/refresh', { body: { refreshToken } });
    expect(refresh.status).toBe(401);
    expect(await page.evaluate(() => localStorage.getItem('switchboard.session'))).toBeNull();
  });

  it('[LOGIN-01] admins and supervisors land on the console; a page asked for before sign-in opens after it', async () => {
    const page = await world.page({ locale: 'en' });
    await world.signIn(page, 'supervisor');
    expect(await page.locator('h1').textContent()).toContain('Demo Supervisor');
    const admin = await world.page({ locale: 'en' });
    await admin.goto(`${world.url}/workbench`);
    await admin.waitForURL(/\/login\?redirect=(%2F|\/)workbench$/);
    await admin.getByTestId('login-email').locator('input').fill(demoUser('admin').email);
    await admin.getByTestId('login-password').locator('input').fill(DEMO_PASSWORD);
    await admin.getByTestId('login-submit').click();
    await admin.waitForURL(/\/workbench$/);
    // The demo admin takes no calls: the workbench says so instead of a status bar.
    await admin.getByTestId('not-agent').waitFor();
    expect(await admin.getByTestId('agent-status').count()).toBe(0);
  });

  it('[AGT-01] a supervisor who also takes calls switches between the console and the workbench', async () => {
    const token = await world.token('supervisor');
    const me = (await world.t.request('GET', '/api/v1/auth/me', { token })).body as { id: string; tenantId: string };
    await world.t.app.container.cradle.agentService.ensure(me.tenantId, me.id, 'supervisor');
    const page = await world.page({ locale: 'en' });
    await world.signIn(page, 'supervisor');
    const views = page.getByTestId('view-switch');
    await views.getByText('Workbench').click();
    await page.waitForURL(/\/workbench$/);
    await expect.poll(() => page.getByTestId('agent-status-button').getAttribute('data-state')).toBe('idle');
    await world.screenshot(page, 'supervisor-workbench-en');
    await views.getByText('Console').click();
    await page.waitForURL(/\/admin$/);
    // The status bar stays in view on the console too.
    expect(await page.getByTestId('agent-status-button').getAttribute('data-state')).toBe('idle');
    expect(await page.getByTestId('menu-workbench').count()).toBe(1);
    expect(await page.getByTestId('menu-admin').count()).toBe(1);
  });

  it('[LOGIN-01] an expired access token is refreshed once; when the session is gone, sign-in comes back with the page to return to', async () => {
    const page = await world.page({ locale: 'en' });
    await world.signIn(page, 'agent1');
    await expect.poll(() => page.getByTestId('agent-status-button').getAttribute('data-state')).toBe('idle');
    const stored = () =>
      page.evaluate(
        () =>
          JSON.parse(localStorage.getItem('switchboard.session') ?? 'null') as {
            accessToken: string;
            refreshToken: string;
          } | null,
      );
    const before = (await stored())!;
    // The access token stops being accepted (as after its 15 minutes): the next request gets a
    // 401, the client trades the refresh token once and goes on.
    await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem('switchboard.session')!) as Record<string, unknown>;
      localStorage.setItem('switchboard.session', JSON.stringify({ ...s, accessToken: 'expired', expiresAt: 0 }));
    });
    const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/refresh'));
    await page.reload();
    expect((await refreshed).status()).toBe(200);
    await expect.poll(() => page.getByTestId('agent-status-button').getAttribute('data-state')).toBe('idle');
    const after = (await stored())!;
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(page.url()).toMatch(/\/workbench$/);

    // Now the refresh token is refused too: back to sign-in, with the page to return to.
    await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem('switchboard.session')!) as Record<string, unknown>;
      localStorage.setItem(
        'switchboard.session',
        JSON.stringify({ ...s, accessToken: 'expired', refreshToken: 'rt_unknown', expiresAt: 0 }),
      );
    });
    await page.reload();
    await page.waitForURL(/\/login\?redirect=(%2F|\/)workbench$/);
    await page.getByText('Your session has expired; please sign in again').waitFor();
    expect(await stored()).toBeNull();
  });

  it('[LOGIN-01] repeated wrong passwords show the server’s throttling message', async () => {
    const page = await world.page({ locale: 'en' });
    await page.goto(`${world.url}/login`);
    await world.screenshot(page, 'login-en');
    await world.expectAccessible(page, 'login');
    await page.getByTestId('login-email').locator('input').fill(demoUser('agent3').email);
    const messages: string[] = [];
    // The delays double from 1 s after the fifth failure: on a slow machine an attempt may come
    // after the last delay ran out (and is counted), but soon one lands inside a longer one.
    for (let i = 0; i < 14; i++) {
      await page.getByTestId('login-password').locator('input').fill(`wrong-${i}-${DEMO_PASSWORD}`);
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
      await page.getByTestId('login-submit').click();
      const res = await answered;
      const body = (await res.json()) as { error: { message: string } };
      messages.push(body.error.message);
      if (res.status() === 429) break;
    }
    const throttled = messages.at(-1)!;
    expect(throttled).toMatch(/Too many/);
    await expect.poll(() => page.locator('.t-message').filter({ hasText: throttled }).count()).toBeGreaterThan(0);
    await world.screenshot(page, 'login-throttled-en');
  });
});
