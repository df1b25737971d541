/**
 * Colleagues and internal messages in real browsers against the real server (AGT-04, AGT-05):
 * two agents in two browser contexts message each other — text and an image — with the unread
 * badge on the menu and on the conversation, read receipts, the server's refusal of a renamed
 * non-image shown as it comes, history paged back by scrolling; colleagues' presence changes
 * live, and an internal call rings the colleague's (simulated) phone.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoUser, DEMO_PASSWORD, useUiWorld, type DemoUserKey } from './support/ui-world.js';
import { pdfBytes, pngImage } from './support/images.js';

const world = useUiWorld();

/** Polls a browser-side value generously: the machine may be busy. */
const poll = <T>(fn: () => Promise<T> | T, timeout = 20_000) => expect.poll(fn, { timeout, interval: 100 });

/** No sideways scrolling at the page's size (ui-anchors R19: 1280×720). */
async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
}

async function userId(who: DemoUserKey): Promise<string> {
  const res = await world.t.login(demoUser(who).email, DEMO_PASSWORD);
  return res.body.user.id as string;
}

/** The visible count of a badge, or 0 when there is none. */
async function badge(page: Page, testId: string): Promise<number> {
  const el = page.getByTestId(testId);
  if ((await el.count()) === 0) return 0;
  return Number(await el.getAttribute('data-count'));
}

describe('colleagues and messages', () => {
  it('[AGT-05] two agents exchange a text and an image: unread badges, the image shown, read receipts', async () => {
    const amy = await world.page();
    await world.signIn(amy, 'agent1');
    const bo = await world.page({ locale: 'en' });
    await world.signIn(bo, 'agent2');

    // Agent One starts a conversation from the colleagues list.
    await amy.getByTestId('menu-colleagues').click();
    await amy.getByTestId('message-3002').click();
    await amy.waitForURL(/\/workbench\/messages\/[0-9a-f-]{36}$/);
    await amy.getByTestId('im-input').fill('能帮我回拨一下张先生吗？\n他下午三点后有空。');
    await amy.getByTestId('im-send').click();
    await poll(() => amy.getByTestId('im-message').count()).toBe(1);
    await poll(() => badge(bo, 'menu-badge-messages')).toBe(1);

    // An image, picked from a file.
    await amy.getByTestId('im-file').setInputFiles({ name: 'order.png', mimeType: 'image/png', buffer: pngImage() });
    await poll(() => amy.getByTestId('im-pending').count()).toBe(1);
    await amy.getByTestId('im-send').click();
    await poll(() => amy.locator('[data-testid="im-message"][data-kind="image"]').count()).toBe(1);
    await poll(() => badge(bo, 'menu-badge-messages')).toBe(2);
    expect(await amy.getByTestId('im-receipt').allTextContents()).toEqual(['未读', '未读']);

    // Agent Two opens the conversation: the unread count, then the text and the image.
    await bo.getByTestId('menu-messages').click();
    await poll(() => badge(bo, 'unread-3001')).toBe(2);
    await world.screenshot(bo, 'im-conversations-unread-en');
    await bo.getByTestId('conversation-3001').click();
    await poll(() => bo.getByTestId('im-message').count()).toBe(2);
    expect(await bo.getByTestId('im-message').first().innerText()).toContain('他下午三点后有空。');
    const img = bo.getByTestId('im-image');
    await poll(() =>
      img.evaluate((el) => {
        const i = el as unknown as { complete: boolean; naturalWidth: number };
        return i.complete && i.naturalWidth;
      }),
    ).toBe(96);
    // A click shows it full size; Escape closes it.
    await img.click();
    await poll(() => bo.locator('.t-image-viewer__modal-pic').first().isVisible()).toBe(true);
    await bo.keyboard.press('Escape');
    await poll(() => bo.locator('.t-image-viewer__modal-pic').first().isVisible()).toBe(false);
    // Seen: the badges go, and the sender sees both read.
    await poll(() => badge(bo, 'menu-badge-messages')).toBe(0);
    await poll(() => badge(bo, 'unread-3001')).toBe(0);
    await poll(() => amy.getByTestId('im-receipt').allTextContents()).toEqual(['已读', '已读']);

    // A reply arrives live in the open thread.
    await bo.getByTestId('im-input').fill('Sure, I will call him at 3 pm.');
    await bo.getByTestId('im-input').press('Enter');
    await poll(() => amy.getByTestId('im-message').count()).toBe(3);
    expect(await amy.getByTestId('im-message').last().innerText()).toContain('I will call him at 3 pm.');
    await poll(() => badge(amy, 'menu-badge-messages')).toBe(0);

    await world.screenshot(bo, 'im-thread-en');
    await world.screenshot(amy, 'im-thread-zh');
    await world.expectAccessible(bo, 'messages thread');
    expect(await fitsWidth(bo)).toBe(true);
    await world.expectAccessible(amy, 'messages thread (zh-CN)');
  });

  it('[AGT-05] a renamed non-image is refused with the server’s own message', async () => {
    const page = await world.page({ locale: 'en' });
    await world.signIn(page, 'agent1');
    await page.goto(`${world.url}/workbench/messages/${await userId('agent3')}`);
    await page.getByTestId('im-file').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: pdfBytes() });
    const answer = page.waitForResponse((r) => r.url().includes('/api/v1/messages/image'));
    await page.getByTestId('im-send').click();
    const res = await answer;
    expect(res.status()).toBe(415);
    const message = ((await res.json()) as { error: { message: string } }).error.message;
    expect(message).toMatch(/application\/pdf/);
    await poll(() => page.getByTestId('im-error').innerText()).toBe(message);
    expect(await page.getByTestId('im-message').count()).toBe(0);
    await world.screenshot(page, 'im-refused-file-en');
  });

  it('[AGT-05] history pages back when scrolled to the top; the unread total is on the menu', async () => {
    const three = await world.token('agent3');
    const one = await userId('agent1');
    for (let i = 1; i <= 70; i++) {
      const r = await world.t.request('POST', '/api/v1/messages', {
        token: three,
        body: { to: one, text: `Queue report ${i}` },
      });
      expect(r.status).toBe(201);
    }
    const page = await world.page({ locale: 'en' });
    await world.signIn(page, 'agent1');
    await poll(() => badge(page, 'menu-badge-messages')).toBe(70);
    await page.getByTestId('menu-messages').click();
    await page.getByTestId('conversation-3003').click();
    await poll(() => page.getByTestId('im-message').count()).toBe(30);
    expect(await page.getByTestId('im-message').last().innerText()).toContain('Queue report 70');

    const scrollTop = () => page.getByTestId('im-history').evaluate((el) => (el.scrollTop = 0));
    await scrollTop();
    await poll(() => page.getByTestId('im-message').count()).toBe(60);
    // The message read before the older page came stays in view (no jump to the top).
    expect(await page.getByTestId('im-history').evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
    await scrollTop();
    await poll(() => page.getByTestId('im-message').count()).toBe(70);
    expect(await page.getByTestId('im-message').first().innerText()).toContain('Queue report 1');
    await poll(() => page.getByText('Start of the conversation').count()).toBe(1);
    await poll(() => badge(page, 'menu-badge-messages')).toBe(0);
  });

  it('[AGT-04] colleagues show live presence; an internal call rings the colleague’s phone', async () => {
    const page = await world.page();
    await world.signIn(page, 'agent1');
    await page.getByTestId('menu-colleagues').click();
    const two = page.getByTestId('presence-3002');
    await poll(() => two.getAttribute('data-presence')).toBeTruthy();

    // Agent Two goes on a break (behind the browser's back): the row follows live.
    const token = await world.token('agent2');
    await world.t.request('POST', '/api/v1/agents/me/login', { token });
    const settings = await world.t.request('GET', '/api/v1/settings/agent', { token });
    const reason = (settings.body.restReasons as string[])[0]!;
    await world.t.request('PUT', '/api/v1/agents/me/state', { token, body: { state: 'rest', reason } });
    await poll(() => two.getAttribute('data-presence')).toBe('rest');
    expect(await two.innerText()).toBe(`小休：${reason}`);
    expect(await page.getByTestId('call-3002').isDisabled()).toBe(true);
    await world.screenshot(page, 'colleagues-zh');
    await world.expectAccessible(page, 'colleagues');
    expect(await fitsWidth(page)).toBe(true);

    // Back to available: the call button works; my phone answers itself, then theirs rings.
    await world.t.request('PUT', '/api/v1/agents/me/state', { token, body: { state: 'idle' } });
    await poll(() => two.getAttribute('data-presence')).toBe('idle');
    // My phone answers by itself (the server asks it to: I just clicked "call").
    world.sim.registerUser('agent1');
    const theirPhone = world.sim.registerUser('agent2');
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/internal-calls'));
    await page.getByTestId('call-3002').click();
    expect((await answer).status()).toBe(201);
    const ring = await theirPhone.nextRing({ timeoutMs: 20_000 });
    expect(ring.from).toBe('3001');
    const leg = ring.answer();
    await poll(() => two.getAttribute('data-presence')).toBe('onCall');
    leg.hangup();
    await poll(() => two.getAttribute('data-presence')).toBe('idle');
    await world.t.request('POST', '/api/v1/agents/me/logout', { token });
    await poll(() => two.getAttribute('data-presence')).toBe('offline');
  });
});
