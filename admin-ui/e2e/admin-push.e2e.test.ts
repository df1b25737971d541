/**
 * The push screen in a real browser against the real server (REC-03, issue 14 item 4): an admin
 * adds a subscription to a real receiver and sees the signing secret once; records go out and
 * the log shows them delivered; a delivery that failed for good is re-sent from the log with the
 * same delivery id; the log's filter lives in the URL; pause and resume. Screenshots and axe.
 */
import type { Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUSH_HEADERS, verifyPush } from '../../core/src/modules/push/signature.js';
import { Receiver } from '../../core/test/support/push-receiver.js';
import { useUiWorld } from './support/ui-world.js';

/** Retries before a delivery is `failed`: few, so the job queue's backoff stays short. */
const RETRIES = 2;
const world = useUiWorld({ push: { retryLimit: RETRIES } });
let receiver: Receiver;
beforeAll(async () => {
  receiver = await Receiver.start();
});
afterAll(() => receiver?.close());

const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 30_000, interval: 100 });

async function accessible(page: Page, name: string): Promise<void> {
  await page.mouse.move(0, 0);
  await poll(() => page.locator('.t-loading:visible').count()).toBe(0);
  await world.expectAccessible(page, name);
}

/** A record of the demo tenant, as the call path publishes it when a call ends. */
const publish = (n: number) =>
  world.t.app.container.cradle.pushService.publish(world.t.app.demo!.tenantId, {
    type: 'record.created',
    key: randomUUID(),
    sessionId: null,
    occurredAt: new Date(),
    data: { n },
  });

describe('push console', () => {
  it('[REC-03] [PUSH-02] an admin adds a subscription, sees the secret once, watches deliveries arrive, re-sends a failed one and pauses the subscription', async () => {
    const admin = await world.token('admin');
    const allow = await world.t.request('PATCH', '/api/v1/tenant/settings', {
      token: admin,
      body: { allowPrivateUrls: true },
    });
    expect(allow.status).toBe(200);
    const page = await world.page();
    await world.signIn(page, 'admin');
    await page.getByTestId('menu-admin-push').click();
    await page.waitForURL(/\/admin\/push$/);
    await page.getByText('暂无订阅').waitFor();

    // Add: name, the receiver's URL, Basic auth.
    await page.getByTestId('push-create').click();
    const dialog = page.getByTestId('push-dialog');
    await page.getByTestId('push-name').locator('input').fill('CRM');
    await page.getByTestId('push-url').locator('input').fill(receiver.url);
    await page.getByTestId('push-auth-basic').click();
    await page.getByTestId('push-username').locator('input').fill('switchboard');
    await page.getByTestId('push-password').locator('input').fill('s3cret-pass');
    await world.screenshot(page, 'admin-push-create-zh');
    await page.getByTestId('push-submit').click();
    const secretInput = page.getByTestId('push-secret');
    await secretInput.waitFor();
    const secret = await secretInput.inputValue();
    expect(secret).toMatch(/^whsec_/);
    await world.screenshot(page, 'admin-push-secret-zh');
    await page.getByTestId('push-done').click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('push-state-CRM').waitFor();
    expect(await page.getByTestId('push-subscriptions').innerText()).not.toContain(secret);

    // Two records go out; the first attempt of every delivery fails for good (all retries
    // answered 500), so it ends `failed`; the second is delivered.
    receiver.plan.push(...Array.from({ length: RETRIES + 1 }, () => ({ status: 500 })));
    await publish(1);
    await poll(async () => {
      const r = await world.t.request('GET', '/api/v1/push/deliveries?state=failed', { token: admin });
      return r.body.items.length;
    }).toBe(1);
    await publish(2);
    await receiver.until((g) => g.some((r) => r.json.data.n === 2), 'the second record');
    const log = page.getByTestId('push-log');
    await page.getByTestId('push-log-CRM').click();
    await page.waitForURL(/subscription=/);
    await poll(async () => (await log.innerText()).includes('已送达') && (await log.innerText()).includes('失败')).toBe(
      true,
    );
    await accessible(page, 'push console');
    await world.screenshot(page, 'admin-push-log-zh');

    // Re-send the failed one from the log: it arrives, with the same delivery id, signed.
    const failed = (await world.t.request('GET', '/api/v1/push/deliveries?state=failed', { token: admin })).body
      .items[0] as { id: string };
    await page.getByTestId(`push-resend-${failed.id}`).click();
    // Every earlier attempt was refused; the re-sent one is the next request with its id.
    await receiver.until(
      (g) => g.filter((r) => r.headers[PUSH_HEADERS.delivery] === failed.id).length === RETRIES + 2,
      'the re-sent record',
    );
    await poll(async () => {
      const r = await world.t.request('GET', `/api/v1/push/deliveries?state=delivered`, { token: admin });
      return r.body.items.some((d: { id: string }) => d.id === failed.id);
    }).toBe(true);
    const last = receiver.got.filter((r) => r.headers[PUSH_HEADERS.delivery] === failed.id).at(-1)!;
    expect(
      verifyPush(
        secret,
        last.headers[PUSH_HEADERS.timestamp] as string,
        last.headers[PUSH_HEADERS.signature] as string,
        last.body,
      ),
    ).toBe(true);
    // The state filter, in the URL, survives a reload.
    await page.getByTestId('push-filter-state').click();
    await page.locator('.t-select-option', { hasText: '已送达' }).click();
    await page.waitForURL(/state=delivered/);
    await page.reload();
    await poll(async () => (await log.innerText()).includes('已送达')).toBe(true);
    await poll(async () => (await log.innerText()).includes('失败')).toBe(false);

    // Pause and resume.
    await page.getByTestId('push-pause-CRM').click();
    await poll(() => page.getByTestId('push-state-CRM').innerText()).toBe('已暂停');
    await page.getByTestId('push-resume-CRM').click();
    await poll(() => page.getByTestId('push-state-CRM').innerText()).toBe('正常');
  });

  it('[PUSH-02] an admin on screen is told, in their language, when a subscription is paused; an admin’s broadcast shows as it was written', async () => {
    const page = await world.page();
    await world.signIn(page, 'admin');
    await page.getByTestId('menu-admin-push').click();
    const tenantId = world.t.app.demo!.tenantId;
    // What the push service sends its tenant's admins when it pauses a subscription (push.test.ts).
    await world.t.app.container.cradle.bus.publish({ tenantId, kind: 'role', role: 'admin' }, 'system.notice', {
      level: 'warning',
      message: 'Push subscription “ERP” was paused: its deliveries have failed for a day.',
      code: 'pushPaused',
      params: { name: 'ERP' },
    });
    const notice = page.locator('.t-notification').filter({ hasText: '数据推送订阅“ERP”已暂停' });
    await notice.waitFor();
    expect(await notice.innerText()).toContain('需要处理');
    await world.screenshot(page, 'admin-notice-push-paused-zh');
    await world.expectAccessible(page, 'paused-subscription notice');
    // It stays until closed.
    await notice.locator('.t-notification__close, .t-icon-close').first().click();
    await notice.waitFor({ state: 'detached' });

    const broadcast = await world.t.request('POST', '/api/v1/realtime/notices', {
      token: await world.token('admin'),
      body: { message: '今晚 22:00 系统维护', level: 'info', audience: { kind: 'role', role: 'admin' } },
    });
    expect(broadcast.status).toBe(202);
    await page.locator('.t-notification').filter({ hasText: '今晚 22:00 系统维护' }).waitFor();
  });
});
