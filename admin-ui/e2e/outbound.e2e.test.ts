/**
 * The dial pad and the dialling card in a real browser against the real server and the jambonz
 * simulator (issue 10 item 7): Ctrl+Shift+D opens the pad, a pasted number is cleaned (and its
 * extension kept for later), the caller ID is picked from the tenant's numbers, the agent's own
 * (simulated) phone rings first and then the customer's; the card follows every step, shows the
 * customer masked (the tenant protects numbers), sends the extension after connect, refuses a
 * second dial while on the call with the reason, and the call lands in "my calls". A call
 * cancelled while the agent's phone still rings says so.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { until } from '../../jambonz-apps/test/support/harness.js';
import { useUiWorld } from './support/ui-world.js';

const world = useUiWorld({ tenantSettings: { numberProtection: true } });
const CUSTOMER = '13900001003';
const MASKED = '139****1003';
const SALES_LINE = '4001000001';

/** Polls a browser-side value generously: the machine may be busy. */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 100 });

/** No sideways scrolling at the page's size (ui-anchors R19: 1280×720). */
async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
}

/** Pastes text into the focused field the way a browser does (a `paste` event with clipboard data). */
async function paste(page: Page, testId: string, text: string): Promise<void> {
  await page.getByTestId(testId).evaluate((el, t) => {
    // Browser classes, typed here by hand (the Node tests have no DOM library).
    const g = globalThis as unknown as {
      DataTransfer: new () => { setData(type: string, value: string): void };
      ClipboardEvent: new (type: string, init: object) => unknown;
    };
    const data = new g.DataTransfer();
    data.setData('text/plain', t);
    (el as unknown as { dispatchEvent(e: unknown): void }).dispatchEvent(
      new g.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, text);
}

const stage = (page: Page) => page.getByTestId('dialling-card').getAttribute('data-stage');

/**
 * The hang-up controls on screen (the dialling card's, the call panel's, the offer card's
 * dialling Cancel): exactly one for the call, wherever the agent is.
 */
async function visibleHangups(page: Page): Promise<string[]> {
  const shown: string[] = [];
  for (const id of ['dialling-hangup', 'control-hangup', 'dial-cancel']) {
    for (const el of await page.getByTestId(id).all()) if (await el.isVisible()) shown.push(id);
  }
  return shown;
}

describe('dial pad', () => {
  it('[OUT-01] [OUT-03] [OUT-06] [OUT-07] [OUT-09] dials a pasted number from the pad; the card follows the call to the customer and it lands in my calls', async () => {
    const { numberRepo } = world.t.app.container.cradle;
    const tenantId = world.t.app.demo!.tenantId;
    if (!(await numberRepo.findByNumber(SALES_LINE))) {
      await numberRepo.create(tenantId, { number: SALES_LINE, label: 'Sales line' });
    }
    const page = await world.page();
    await world.signIn(page, 'agent1');
    await poll(() => page.getByTestId('agent-status-button').getAttribute('data-state')).toBe('idle');
    // Agent One's phone is the simulated softphone the workbench registers for them (the
    // agent-scoped simulator routes, with their own token), the customer a simulated phone.
    const token = await world.token('agent1');
    const device = (path = '', body?: object) =>
      world.t.request(body ? 'POST' : 'GET', `/api/v1/simulator/devices/me${path}`, {
        token,
        ...(body ? { body } : {}),
      });
    expect((await device('', {})).status).toBe(201);
    const myCalls = async () => (await device('/calls')).body.items as Array<{ callSid: string; state: string }>;
    const customer = world.sim.phone(CUSTOMER);

    // Ctrl+Shift+D opens the pad with the number field focused; a pasted number is cleaned.
    await page.keyboard.press('Control+Shift+D');
    await poll(() => page.getByTestId('dial-pad').isVisible()).toBe(true);
    await poll(() => page.evaluate(() => document.querySelector(':focus')?.getAttribute('id'))).toBe('dial-pad-number');
    await paste(page, 'dial-number', ' 139 0000-1003 转 8001 ');
    expect(await page.getByTestId('dial-number').inputValue()).toBe(CUSTOMER);
    expect(await page.getByTestId('dial-extension').innerText()).toContain('8001');

    // Two numbers: the agent picks the one the customer sees (OUT-07).
    await page.getByTestId('dial-caller-id').click();
    await page.locator('.t-select-option', { hasText: SALES_LINE }).click();
    await world.screenshot(page, 'dial-pad-zh');
    await world.expectAccessible(page, 'dial pad');
    expect(await fitsWidth(page)).toBe(true);

    await page.getByTestId('dial-button').click();
    // Their own phone rings first, and the workbench picks it up: the agent asked for this call.
    await poll(() => stage(page)).not.toBe(null);
    expect(await page.getByTestId('dialling-callee').innerText()).toBe(MASKED);
    await world.screenshot(page, 'dialling-card-ringing-you-zh');

    // Then the customer's phone rings, showing the chosen number.
    const ring = await customer.nextRing({ timeoutMs: 20_000 });
    expect(ring.from).toBe(SALES_LINE);
    await poll(() => stage(page)).toBe('customerRinging');
    // While dialling, the card's Cancel is the one way to hang up (not the workbench's too).
    await poll(() => visibleHangups(page)).toEqual(['dialling-hangup']);
    const customerLeg = ring.answer();
    await poll(() => stage(page)).toBe('connected');
    expect(await page.content()).not.toContain(CUSTOMER);
    // Connected, the workbench's call panel takes the call: its Hang up is the only one.
    await poll(() => visibleHangups(page)).toEqual(['control-hangup']);

    // The extension pasted with the number, then one more key from the keypad (OUT-06).
    await page.getByTestId('send-extension').click();
    await until(async () => customerLeg.dtmfReceived === '8001', 'the customer hears 8001');
    await page.getByTestId('dtmf-toggle').click();
    await page.getByTestId('dialling-card').getByTestId('key-#').click();
    await until(async () => customerLeg.dtmfReceived === '8001#', 'the customer hears #');
    await poll(() => page.getByTestId('dtmf-sent').innerText()).toBe('已发送：8001#');
    await world.screenshot(page, 'dialling-card-connected-zh');
    await world.expectAccessible(page, 'dialling card (connected)');

    // The card folds to its head when it covers something.
    await page.getByTestId('dialling-compact').click();
    await poll(() => page.getByTestId('dtmf-toggle').count()).toBe(0);
    expect(await visibleHangups(page)).toEqual(['control-hangup']);
    await world.screenshot(page, 'dialling-card-folded-zh');
    await page.getByTestId('dialling-compact').click();
    await poll(() => page.getByTestId('dtmf-toggle').count()).toBe(1);

    // On another page the card is the call's surface, with the one Hang up.
    await page.getByTestId('menu-my-calls').click();
    await poll(() => visibleHangups(page)).toEqual(['dialling-hangup']);
    await world.screenshot(page, 'dialling-card-other-page-zh');
    await page.getByTestId('call-bar').getByRole('button').click();
    await poll(() => visibleHangups(page)).toEqual(['control-hangup']);

    // On the call, Ctrl+Shift+D is the call's keypad; the top bar's button opens the pad, which
    // refuses another dial and says why.
    await page.getByTestId('outbound-button').click();
    await poll(() => page.getByTestId('dial-pad').isVisible()).toBe(true);
    expect(await page.getByTestId('dial-button').isDisabled()).toBe(true);
    expect(await page.getByTestId('dial-hint').innerText()).toMatch(/已有一通外呼|您正在通话/);
    await world.screenshot(page, 'dial-pad-on-call-zh');
    await page.keyboard.press('Escape');
    await poll(() => page.getByTestId('dial-pad').isVisible()).toBe(false);

    // The agent hangs up from the call panel; the call ends for both.
    await page.getByTestId('control-hangup').click();
    await customerLeg.ended;
    await until(async () => (await myCalls()).length === 0, 'my phone hung up');
    await poll(() => stage(page)).toBe('ended');
    expect(await page.getByTestId('dialling-status').innerText()).toBe('通话已结束');
    await page.getByTestId('dialling-close').click();
    await poll(() => page.getByTestId('dialling-card').count()).toBe(0);

    // My calls: the outbound call, masked, connected.
    await page.getByTestId('menu-my-calls').click();
    const row = page.locator('[data-testid="my-calls-table"] tbody tr').first();
    await poll(() => row.locator('[data-direction]').getAttribute('data-direction')).toBe('outbound');
    expect(await row.getByTestId('row-number').innerText()).toBe(MASKED);
    expect(await row.getByTestId('row-result').innerText()).toBe('已接通');
  });

  it('[OUT-01] a call cancelled while the customer’s phone rings ends as cancelled while ringing', async () => {
    const page = await world.page({ locale: 'en' });
    await world.signIn(page, 'agent2');
    await poll(() => page.getByTestId('agent-status-button').getAttribute('data-state')).toBe('idle');
    // The workbench's phone picks up the agent's own ring (they asked for the call); then the
    // customer's phone rings and the agent gives up.
    const customer = world.sim.phone('13900001004');
    await page.getByTestId('outbound-button').click();
    await page.getByTestId('dial-number').fill('13900001004');
    await page.getByTestId('dial-number').press('Enter');
    const ring = await customer.nextRing({ timeoutMs: 20_000 });
    await poll(() => visibleHangups(page)).toEqual(['dialling-hangup']);
    await page.getByTestId('dialling-hangup').click();
    await ring.whenCancelled;
    await poll(() => stage(page)).toBe('ended');
    expect(await page.getByTestId('dialling-status').innerText()).toBe('You cancelled while it rang');
    await poll(() => page.getByTestId('agent-status-button').getAttribute('data-state')).toBe('idle');
  });
});
