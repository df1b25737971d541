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

  it('[LOGIN-01] repeated wrong passwords show the server’s throttling message', async () => {
    const page = await world.page({ locale: 'en' });
    await page.goto(`${world.url}/login`);
    await world.screenshot(page, 'login-en');
    await world.expectAccessible(page, 'login');
    await page.getByTestId('login-email').locator('input').fill(demoUser('agent3').email);
    const messages: string[] = [];
    for (let i = 0; i < 7; i++) {
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
