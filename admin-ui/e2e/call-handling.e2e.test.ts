/**
 * The agent workbench's call screens in a real browser against the real server, with the
 * jambonz simulator as the phone network and the demo CRM behind the screen-pop plugin
 * (issue 10 items 5, 6, 10). A customer calls the demo hotline, goes through the IVR, and the
 * agent's simulated softphone (simulator mode) rings: offer card, answer, hold, mute, keypad,
 * notes, transfer to a colleague in a second browser, the customer hangs up, wrap-up ends.
 */
import { startDemoCrm, type DemoCrm } from '@switchboard/demo-crm';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePlugin } from '../../core/src/plugins/define-plugin.js';
import { DEMO_NUMBER } from '../../core/src/demo/call-center.js';
import { crmScreenPop } from '../../plugins/crm-screen-pop/src/index.js';
import type { SimCall } from '../../jambonz-apps/src/simulator/index.js';
import { demoUser, useUiWorld, type DemoUserKey } from './support/ui-world.js';

const HOLD_MUSIC = 'https://cdn.example.com/switchboard-hold.mp3';

// The demo CRM is a real HTTP server; the plugin asks it about every caller.
const crm: DemoCrm = await startDemoCrm({ port: 0 });
afterAll(() => crm.close());

/** What the follow-up plugin's routes received: a typed UI contribution's form, posted as the agent. */
const followUps: Array<{ user: unknown; body: unknown }> = [];

/**
 * A plugin with an agent action (typed UI contribution, issue 12 item 2): a button on the call
 * card whose form has a member picker (options from the plugin's own route) and a note.
 */
const followUp = definePlugin({
  name: 'follow-up',
  version: '1.0.0',
  config: z.object({}),
  ui: {
    actions: [
      {
        id: 'assign',
        placement: 'call',
        route: '/actions/assign',
        label: { 'zh-CN': '指派跟进', en: 'Assign follow-up' },
        fields: [
          {
            kind: 'select',
            name: 'member',
            label: { 'zh-CN': '跟进人', en: 'Owner' },
            required: true,
            options: { route: '/members' },
          },
          { kind: 'textarea', name: 'note', label: { 'zh-CN': '备注', en: 'Note' } },
        ],
      },
    ],
  },
  // The call the action was pressed on, and the plugin's card on it.
  deps: ['pluginCalls'],
  routes: (router, { deps }) => {
    router.get('/members', (ctx) => {
      ctx.body = {
        items: [
          { value: 'm-1', label: 'Li Lei (Sales)' },
          { value: 'm-2', label: 'Han Meimei (VIP desk)' },
        ],
      };
    });
    router.post('/actions/assign', async (ctx) => {
      // Core's body parser has read the JSON (and kept the raw bytes) before plugin routes run.
      const raw = (ctx.request as { rawBody?: unknown }).rawBody;
      const body = Buffer.isBuffer(raw)
        ? (JSON.parse(raw.toString('utf8')) as unknown)
        : (ctx.request as { body?: unknown }).body;
      followUps.push({ user: ctx.state.user, body });
      const call = await deps.pluginCalls.forUser(ctx.state.user!, (body as { sessionId: string }).sessionId);
      // The plugin's progress on the call: the agent's card changes at once (`call.annotated`).
      await deps.pluginCalls.annotate(call.tenantId, call.sessionId, {
        kind: 'card',
        status: 'found',
        title: 'Follow-up',
        subtitle: `For ${call.customerAsSeen}`,
        tags: ['Assigned'],
        fields: [{ label: 'Owner', value: 'Han Meimei (VIP desk)' }],
      });
      ctx.body = { message: 'Follow-up assigned to Han Meimei' };
    });
  },
});

const world = useUiWorld({
  plugins: [crmScreenPop({ url: crm.searchUrl, authHeader: crm.authHeader, cacheTtlMs: 0 }), followUp({})],
  tenantSettings: {
    numberProtection: true,
    holdMusicUrl: HOLD_MUSIC,
    agent: { wrapUpSeconds: 300, wrapUpAutoEnd: true, restReasons: ['Meal'] },
  },
});

/**
 * Stubs what a headless browser cannot show: desktop notifications (recorded in
 * `__notifications`) and a hidden tab (`__setHidden`); and records when `call.offer` frames
 * arrive and when the offer card first appears, to measure the time between them.
 */
const BROWSER_PROBES = `
  window.__notifications = [];
  class RecordingNotification {
    static permission = 'granted';
    static requestPermission() { return Promise.resolve('granted'); }
    constructor(title, options) { this.title = title; this.closed = false; window.__notifications.push(Object.assign({ title }, options, { ref: this })); }
    close() { this.closed = true; }
  }
  window.Notification = RecordingNotification;
  let hidden = false;
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  window.__setHidden = (h) => { hidden = h; document.dispatchEvent(new Event('visibilitychange')); };
  window.__offerAt = [];
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        try { if (JSON.parse(e.data).type === 'call.offer') window.__offerAt.push(performance.now()); } catch {}
      });
    }
  };
  new MutationObserver(() => {
    if (window.__cardAt === undefined && document.querySelector('[data-testid="offer-card"]')) window.__cardAt = performance.now();
  }).observe(document, { childList: true, subtree: true });
`;

/** Runs an expression in the page (strings: these files are not compiled with the DOM types). */
const js = <T>(page: Page, expression: string): Promise<T> => page.evaluate(expression) as Promise<T>;

const signedIn = new Set<DemoUserKey>();

async function agentPage(who: DemoUserKey, locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> {
  const page = await world.page({ locale });
  await page.context().addInitScript({ content: BROWSER_PROBES });
  await world.signIn(page, who);
  signedIn.add(who);
  // Generous: the first page of a run meets a cold server on a busy machine.
  await expect
    .poll(() => page.getByTestId('agent-status-button').getAttribute('data-state'), { timeout: 30_000 })
    .toBe('idle');
  // The simulated softphone registered: offers can ring this browser.
  await expect
    .poll(() => page.getByTestId('phone-status').getAttribute('data-state'), { timeout: 30_000 })
    .toBe('registered');
  return page;
}

/** A customer calls the demo hotline and picks presales (key 1) in the IVR. */
async function customerCalls(from: string): Promise<SimCall> {
  const call = await world.sim.placeCall({ from, to: DEMO_NUMBER });
  await call.expectPrompt(/press 1/);
  call.press('1');
  return call;
}

/** At 1280×720 the page itself never scrolls (ui-anchors R19): only its main area does. */
async function fitsViewport(page: Page): Promise<void> {
  expect(
    await js(
      page,
      '[document.documentElement.scrollWidth - innerWidth, document.documentElement.scrollHeight - innerHeight]',
    ),
  ).toEqual([0, 0]);
}

beforeAll(async () => {
  // Calls ring long enough that the test never races the ring timeout on a busy machine.
  const admin = await world.token('admin');
  const groups = await world.t.request('GET', '/api/v1/skill-groups', { token: admin });
  for (const g of groups.body.items as Array<{ id: string }>) {
    const r = await world.t.request('PATCH', `/api/v1/skill-groups/${g.id}`, {
      token: admin,
      body: { ringTimeoutSeconds: 120 },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }
});

afterEach(async () => {
  // A failed test leaves its calls up; closed browsers leave their agents online on the server.
  // Calls end first (an agent on a call cannot sign off), then the agents go offline, so the
  // next test's calls go to the agents it means.
  for (const c of world.sim.calls()) world.sim.call(c.callSid)?.hangup();
  await expect
    .poll(
      async () =>
        (await world.t.app.database.pool.query(`select 1 from call_sessions where state <> 'ended'`)).rowCount,
      {
        timeout: 30_000,
      },
    )
    .toBe(0);
  for (const who of signedIn) {
    const token = await world.token(who);
    const r = await world.t.request('POST', '/api/v1/agents/me/logout', { token });
    expect(r.status, `${who} offline: ${JSON.stringify(r.body)}`).toBe(200);
  }
  signedIn.clear();
});

describe('call handling on the workbench', () => {
  it('[IN-04] [IN-05] [IN-06] [IN-07] [INT-02] [CTL-01] [CTL-02] [CTL-04] [CTL-06] ring, answer, hold, mute, keypad, notes, transfer to a colleague, hang-up and wrap-up', async () => {
    const page = await agentPage('agent1');
    // A click on the page: browsers let sound play only after one (the sign-in click counts too).
    await page.getByRole('heading', { level: 1 }).click();
    await world.screenshot(page, 'workbench-ready-zh');
    await world.expectAccessible(page, 'workbench ready');

    // The tab is hidden when the call comes.
    await js(page, 'window.__setHidden(true)');
    const call = await customerCalls('13812345678');

    // [IN-04] The offer card, with the number masked; the real number is nowhere in the page.
    const card = page.getByTestId('offer-card');
    await card.waitFor();
    const latency = await js<number>(page, '(window.__cardAt ?? Infinity) - (window.__offerAt[0] ?? 0)');
    expect(latency, 'card shown within half a second of call.offer').toBeLessThan(500);
    expect(await card.getByTestId('offer-caller').textContent()).toBe('138****5678');
    expect(await page.content()).not.toContain('13812345678');
    // [IN-05] The company number dialled; [IN-06] where the caller is from; [IN-07] the key trail.
    expect((await card.getByTestId('company-number').textContent())?.trim()).toBe(`${DEMO_NUMBER} · Demo hotline`);
    expect(await card.getByTestId('caller-location').textContent()).toBe('江苏省 连云港市 · 中国移动');
    expect(await card.getByTestId('ivr-trail').locator('li').allTextContents()).toEqual(['1Presales']);
    // [INT-02] The CRM card of the demo CRM's customer with that number.
    const crmCard = card.getByTestId('plugin-card');
    expect(await crmCard.getAttribute('data-status')).toBe('found');
    expect(await crmCard.textContent()).toContain('Fang Chen');
    await expect.poll(() => card.getByTestId('offer-countdown').textContent()).toMatch(/\d+ 秒/);
    // The ring plays (sound unlocked by the clicks), a notification and a flashing title say so.
    expect(await card.getAttribute('data-ring')).toBe('playing');
    await expect
      .poll(() => js(page, 'window.__notifications.map((n) => [n.title, n.body])'))
      .toEqual([['来电', '138****5678 · presales']]);
    await expect.poll(() => page.title(), { interval: 200 }).toBe('📞 来电 138****5678');
    await js(page, 'window.__setHidden(false)');
    await expect.poll(() => page.title()).not.toContain('📞');
    expect(await js(page, 'window.__notifications[0].ref.closed')).toBe(true);
    await expect.poll(() => card.getByTestId('offer-answer').isEnabled()).toBe(true);
    await world.screenshot(page, 'offer-card-zh');
    await world.expectAccessible(page, 'offer card');

    // Answer: the call panel, the customer and the agent's phone in one room.
    await card.getByTestId('offer-answer').click();
    const panel = page.getByTestId('call-panel');
    await panel.waitFor();
    await card.waitFor({ state: 'detached' });
    await expect.poll(() => panel.getByTestId('talk-timer').textContent()).toMatch(/^\d\d:\d\d$/);
    expect(await panel.getByTestId('call-number').textContent()).toBe('138****5678');
    const sessionId = (await panel.getAttribute('data-session-id'))!;
    await expect
      .poll(
        async () =>
          (await world.t.app.database.pool.query('select state from call_sessions where id = $1', [sessionId])).rows[0]
            ?.state,
      )
      .toBe('bridged');

    // [CTL-01] Hold: the customer hears the hold music; the indicator says so in words.
    await panel.getByTestId('control-hold').click();
    await panel.getByTestId('held-indicator').waitFor();
    await call.expectPrompt(HOLD_MUSIC);
    expect(await panel.getAttribute('data-held')).toBe('true');
    expect(await panel.getByTestId('control-hold').getAttribute('aria-pressed')).toBe('true');
    // [CTL-02] Mute, with its own indicator next to the hold one.
    await panel.getByTestId('control-mute').click();
    await panel.getByTestId('muted-indicator').waitFor();
    expect(await panel.getByTestId('held-indicator').isVisible()).toBe(true);
    await fitsViewport(page);
    await world.screenshot(page, 'call-held-muted-zh');
    await world.expectAccessible(page, 'call panel on hold and muted');
    // Retrieve and unmute by keyboard (Ctrl+Shift+H / M).
    await page.keyboard.press('Control+Shift+H');
    await panel.getByTestId('held-indicator').waitFor({ state: 'detached' });
    await page.keyboard.press('Control+Shift+M');
    await panel.getByTestId('muted-indicator').waitFor({ state: 'detached' });
    const held = await world.t.request('GET', `/api/v1/sessions/${sessionId}`, { token: await world.token('agent1') });
    expect(held.body).toMatchObject({ held: false, agentMuted: false });

    // The keypad (Ctrl+Shift+D): keys go to the customer.
    await page.keyboard.press('Control+Shift+D');
    const keypad = page.getByTestId('dtmf-keypad');
    await keypad.waitFor();
    await keypad.locator('button[data-key="5"]').click();
    await keypad.locator('button[data-key="#"]').click();
    await expect.poll(() => call.dtmfReceived).toBe('5#');
    await fitsViewport(page);
    await world.screenshot(page, 'call-keypad-zh');
    await page.keyboard.press('Escape');
    await keypad.waitFor({ state: 'detached' });

    // Notes save by themselves.
    await panel.getByTestId('call-notes').locator('textarea').fill('客户咨询订单 42 的物流');
    await expect.poll(() => panel.getByTestId('notes-status').getAttribute('data-status')).toBe('saved');

    // The shortcut help lists the call shortcuts.
    await page.keyboard.press('Control+/');
    const help = page.getByRole('dialog', { name: '键盘快捷键' });
    await help.waitFor();
    expect(await help.getByTestId('shortcut-group').allTextContents()).toContainEqual(
      expect.stringContaining('接听来电'),
    );
    expect(await help.textContent()).toContain('Ctrl+Shift+1');
    await world.screenshot(page, 'shortcut-help-zh');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    // [CTL-04] A colleague comes online in another browser; the call is transferred to them.
    const page2 = await agentPage('agent2', 'en');
    await panel.getByTestId('control-transfer').click();
    const dialog = page.getByTestId('transfer-dialog');
    await dialog.waitFor();
    await dialog.locator('.t-tabs__nav-item', { hasText: '同事' }).click();
    const colleague = dialog.getByTestId(`transfer-agent-${demoUser('agent2').staffNo}`);
    await expect.poll(() => colleague.getAttribute('data-presence')).toBe('idle');
    await colleague.click();
    await world.screenshot(page, 'transfer-dialog-zh');
    await world.expectAccessible(page, 'transfer dialog');
    await dialog.getByTestId('transfer-submit').click();

    // The first agent is in wrap-up, told where the call went.
    const wrap1 = page.getByTestId('wrap-up-panel');
    await wrap1.waitFor();
    expect(await wrap1.getByTestId('wrap-up-summary').textContent()).toContain('已转接给 Agent Two');

    // The colleague's offer brings the notes; they answer by keyboard (Ctrl+Shift+A).
    const card2 = page2.getByTestId('offer-card');
    await card2.waitFor();
    expect(await card2.getByTestId('offer-caller').textContent()).toBe('138****5678');
    expect(await card2.getByTestId('offer-notes').textContent()).toContain('客户咨询订单 42 的物流');
    await expect.poll(() => card2.getByTestId('offer-answer').isEnabled()).toBe(true);
    await world.screenshot(page2, 'offer-card-transferred-en');
    await page2.keyboard.press('Control+Shift+A');
    const panel2 = page2.getByTestId('call-panel');
    await panel2.waitFor();
    expect(await panel2.getAttribute('data-session-id')).toBe(sessionId);
    await world.screenshot(page2, 'call-active-en');

    // [CTL-06] The customer hangs up: the colleague's wrap-up counts down and ends on a click.
    call.hangup();
    const wrap2 = page2.getByTestId('wrap-up-panel');
    await wrap2.waitFor();
    // `session.state` may close the call a moment before `call.ended` says who hung up.
    await expect.poll(() => wrap2.getByTestId('wrap-up-summary').textContent()).toContain('The customer hung up');
    expect(await wrap2.getByTestId('wrap-up-timer').getAttribute('data-mode')).toBe('down');
    await expect.poll(() => page2.getByTestId('agent-status-button').getAttribute('data-state')).toBe('afterCallWork');
    await fitsViewport(page2);
    await world.screenshot(page2, 'wrap-up-en');
    await world.expectAccessible(page2, 'wrap-up');
    await wrap2.getByTestId('wrap-up-end').click();
    await expect.poll(() => page2.getByTestId('agent-status-button').getAttribute('data-state')).toBe('idle');
    await wrap2.waitFor({ state: 'detached' });

    await wrap1.getByTestId('wrap-up-end').click();
    await expect.poll(() => page.getByTestId('agent-status-button').getAttribute('data-state')).toBe('idle');
    await wrap1.waitFor({ state: 'detached' });
  });

  it('[IN-04] [CTL-07] [CTL-08] a caller who hangs up while ringing, hang-up by keyboard, redial from wrap-up, then blacklist after confirmation', async () => {
    const page = await agentPage('agent3', 'en');
    await page.getByRole('heading', { level: 1 }).click();

    // The caller gives up while it rings: the card goes, a notice says why.
    const impatient = await customerCalls('13912345678');
    const card = page.getByTestId('offer-card');
    await card.waitFor();
    impatient.hangup();
    await card.waitFor({ state: 'detached' });
    await page.locator('.t-message').filter({ hasText: 'The caller 139****5678 hung up' }).waitFor();

    // The next call is answered, then hung up by keyboard (Ctrl+Shift+1).
    const call = await customerCalls('13700001111');
    await card.waitFor();
    await expect.poll(() => card.getByTestId('offer-answer').isEnabled()).toBe(true);
    await card.getByTestId('offer-answer').click();
    const panel = page.getByTestId('call-panel');
    await panel.waitFor();
    await page.keyboard.press('Control+Shift+1');
    await call.ended;
    const wrap = page.getByTestId('wrap-up-panel');
    await wrap.waitFor();
    await expect.poll(() => wrap.getByTestId('wrap-up-summary').textContent()).toContain('You hung up');

    // [CTL-07] Call back: the agent's own phone rings first (answered by itself), then the customer's.
    const customerPhone = world.sim.phone('13700001111');
    await wrap.getByTestId('wrap-up-redial').click();
    await page.getByTestId('dial-card').waitFor();
    await world.screenshot(page, 'redial-dialing-en');
    const back = (await customerPhone.nextRing({ timeoutMs: 30_000 })).answer();
    await panel.waitFor();
    expect(await panel.textContent()).toContain('Outbound');
    expect(await panel.getByTestId('call-number').textContent()).toBe('137****1111');
    back.hangup();
    await wrap.waitFor();

    // [CTL-08] Blacklist from wrap-up, after a confirmation naming the (masked) number.
    await wrap.getByTestId('wrap-up-blacklist').click();
    const confirm = page.getByTestId('blacklist-dialog');
    await confirm.waitFor();
    expect(await page.getByRole('dialog', { name: 'Add to the blacklist' }).textContent()).toContain(
      'Add 137****1111 to the blacklist?',
    );
    await world.screenshot(page, 'blacklist-confirm-en');
    await world.expectAccessible(page, 'blacklist confirmation');
    await page.getByTestId('blacklist-confirm').click();
    await page.locator('.t-message').filter({ hasText: '137****1111 is on the blacklist' }).waitFor();
    const refused = await world.sim.placeCall({ from: '13700001111', to: DEMO_NUMBER });
    expect(await refused.ended).toMatchObject({ status: 'failed', sipStatus: 603 });

    await wrap.getByTestId('wrap-up-end').click();
    await expect.poll(() => page.getByTestId('agent-status-button').getAttribute('data-state')).toBe('idle');
  });

  it('[IN-03] [IN-04] Ctrl+Shift+R rejects an offer; with auto-answer on the next call connects without a click', async () => {
    const page = await agentPage('agent2', 'en');
    // Reject by keyboard: the offer goes, the notice says so, and the server sets the agent not ready.
    const first = await customerCalls('13900002001');
    const card = page.getByTestId('offer-card');
    await card.waitFor();
    await expect.poll(() => card.getByTestId('offer-answer').isEnabled()).toBe(true);
    await page.keyboard.press('Control+Shift+R');
    await card.waitFor({ state: 'detached' });
    await page.locator('.t-message').filter({ hasText: 'You rejected the call from 139****2001' }).waitFor();
    await expect.poll(() => page.getByTestId('agent-status-button').getAttribute('data-state')).toBe('notReady');
    first.hangup();

    // Auto-answer (personal settings, IN-03): the next offer connects by itself, without ringing.
    const token = await world.token('agent2');
    const set = await world.t.request('PUT', '/api/v1/me/answering', { token, body: { autoAnswer: true } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    await world.t.request('PUT', '/api/v1/agents/me/state', { token, body: { state: 'idle' } });
    await expect.poll(() => page.getByTestId('agent-status-button').getAttribute('data-state')).toBe('idle');
    const call = await customerCalls('13900002002');
    const panel = page.getByTestId('call-panel');
    await panel.waitFor();
    expect(await panel.getByTestId('call-number').textContent()).toBe('139****2002');
    call.hangup();
    await page.getByTestId('wrap-up-panel').waitFor();
    await world.t.request('PUT', '/api/v1/me/answering', { token, body: { autoAnswer: false } });
  });

  it('[CTL-10] advanced edition: the customer keys in digits for a template, the agent sees them masked, the customer comes back', async () => {
    const admin = await world.token('admin');
    const tpl = await world.t.request('POST', '/api/v1/collect-templates', {
      token: admin,
      body: {
        name: 'Order number',
        prompt: 'Please key in your order number, then press the pound key.',
        minDigits: 6,
        maxDigits: 8,
        finishOnKey: '#',
        timeoutSeconds: 60,
        variable: 'orderNo',
        mask: true,
      },
    });
    expect(tpl.status, JSON.stringify(tpl.body)).toBe(201);
    const page = await agentPage('agent3', 'en');
    const call = await customerCalls('13900003001');
    const card = page.getByTestId('offer-card');
    await expect.poll(() => card.getByTestId('offer-answer').isEnabled()).toBe(true);
    await card.getByTestId('offer-answer').click();
    const panel = page.getByTestId('call-panel');
    await panel.waitFor();

    await panel.getByTestId('control-collect').click();
    const dialog = page.getByRole('dialog', { name: 'Collect digits' });
    await dialog.getByText('Order number').click();
    await world.screenshot(page, 'collect-dialog-en');
    await dialog.getByRole('button', { name: 'Start' }).click();
    await panel.getByTestId('customer-away').waitFor();
    expect(await panel.getByTestId('control-hold').isDisabled()).toBe(true);
    await call.expectPrompt(/key in your order number/);
    call.press('20261203#');
    await panel.getByTestId('customer-away').waitFor({ state: 'detached' });
    await expect.poll(() => panel.getByTestId('call-collected').textContent()).toContain('******03');
    expect(await page.content()).not.toContain('20261203');
    await world.screenshot(page, 'call-collected-en');
    call.hangup();
    await page.getByTestId('wrap-up-panel').waitFor();
  });

  it('[CTL-09] three-way: the agent adds an external number, all three talk in one room, then the third leaves and the call goes on', async () => {
    const page = await agentPage('agent1', 'en');
    const call = await customerCalls('13900003004');
    const card = page.getByTestId('offer-card');
    await expect.poll(() => card.getByTestId('offer-answer').isEnabled(), { timeout: 30_000 }).toBe(true);
    await card.getByTestId('offer-answer').click();
    const panel = page.getByTestId('call-panel');
    await panel.waitFor();
    await expect.poll(() => call.conference).toBeTruthy();
    const room = () => world.sim.conferences().find((c) => c.name === call.conference)?.members.length ?? 0;
    await expect.poll(room).toBe(2);

    // A colleague's mobile, through the simulator's phone network.
    const mobile = world.sim.phone('13700003004');
    await panel.getByTestId('control-conference').click();
    const dialog = page.getByTestId('conference-dialog');
    await dialog.locator('.t-tabs__nav-item', { hasText: 'External number' }).click();
    await dialog.getByTestId('transfer-number').locator('input').fill('13700003004');
    await world.screenshot(page, 'three-way-dialog-en');
    await world.expectAccessible(page, 'three-way dialog');
    await dialog.getByTestId('conference-submit').click();
    const third = (await mobile.nextRing({ timeoutMs: 30_000 })).answer();

    // All three in the customer's room; the panel lists the third party as joined.
    await expect.poll(() => third.conference, { timeout: 30_000 }).toBe(call.conference);
    await expect.poll(room, { timeout: 30_000 }).toBe(3);
    const party = panel.getByTestId('call-parties').locator('li');
    await expect.poll(() => party.first().getAttribute('data-state'), { timeout: 30_000 }).toBe('joined');
    // The tenant protects numbers: the agent sees the number they dialled masked too.
    expect(await party.first().textContent()).toContain('137****3004');
    await world.screenshot(page, 'three-way-joined-en');
    await world.expectAccessible(page, 'three-way call');

    // The third leaves: the customer and the agent go on talking.
    third.hangup();
    await third.ended;
    await expect.poll(room, { timeout: 30_000 }).toBe(2);
    await expect
      .poll(
        async () =>
          (await panel.getByTestId('call-parties').count()) === 0 ||
          (await party.first().getAttribute('data-state')) === 'left',
        {
          timeout: 30_000,
        },
      )
      .toBe(true);
    expect(call.status).toBe('in-progress');
    expect(await panel.isVisible()).toBe(true);
    await world.screenshot(page, 'three-way-left-en');
    call.hangup();
    await page.getByTestId('wrap-up-panel').waitFor();
  });

  it('[CTL-11] advanced edition: the agent picks a self-service flow from the list agents may read; the customer goes through it and comes back', async () => {
    const admin = await world.token('admin');
    const flow = await world.t.request('POST', '/api/v1/ivr-flows', {
      token: admin,
      body: {
        name: 'PIN check',
        graph: {
          start: 'pin',
          nodes: [
            {
              id: 'pin',
              type: 'collect',
              prompt: { kind: 'say', text: 'Please enter your four digit PIN.' },
              mode: 'fixed',
              digits: 4,
              variable: 'pin',
              next: 'done',
            },
            { id: 'done', type: 'hangup', prompt: { kind: 'say', text: 'Thank you. Back to your agent.' } },
          ],
        },
      },
    });
    expect(flow.status, JSON.stringify(flow.body)).toBe(201);
    const page = await agentPage('agent3', 'en');
    const call = await customerCalls('13900003002');
    const card = page.getByTestId('offer-card');
    await expect.poll(() => card.getByTestId('offer-answer').isEnabled(), { timeout: 30_000 }).toBe(true);
    await card.getByTestId('offer-answer').click();
    const panel = page.getByTestId('call-panel');
    await panel.waitFor();

    // Agents may not read the IVR flows themselves, only the names of those they may use.
    await panel.getByTestId('control-self-service').click();
    const dialog = page.getByRole('dialog', { name: 'Self-service' });
    await dialog.getByText('PIN check').click();
    await world.screenshot(page, 'self-service-dialog-en');
    await world.expectAccessible(page, 'self-service dialog');
    await dialog.getByRole('button', { name: 'Start' }).click();
    await panel.getByTestId('customer-away').waitFor();
    await call.expectPrompt(/four digit PIN/);
    call.press('1234');
    await call.expectPrompt(/Back to your agent/);
    await panel.getByTestId('customer-away').waitFor({ state: 'detached' });
    expect(await panel.getByTestId('control-hold').isDisabled()).toBe(false);
    call.hangup();
    await page.getByTestId('wrap-up-panel').waitFor();
  });

  it('[INT-03] a plugin’s agent action on the call card: its form (member picker from the plugin) is sent to the plugin as the agent, and its answer is shown', async () => {
    followUps.length = 0;
    const page = await agentPage('agent3', 'en');
    const call = await customerCalls('13900003003');
    const card = page.getByTestId('offer-card');
    await expect.poll(() => card.getByTestId('offer-answer').isEnabled(), { timeout: 30_000 }).toBe(true);
    await card.getByTestId('offer-answer').click();
    const panel = page.getByTestId('call-panel');
    await panel.waitFor();
    const sessionId = (await panel.getAttribute('data-session-id'))!;

    await panel.getByTestId('plugin-action-follow-up-assign').click();
    const dialog = page.getByRole('dialog', { name: 'Assign follow-up' });
    await dialog.waitFor();
    // The owner is required: nothing is sent without one.
    await dialog.getByTestId('plugin-action-submit').click();
    await dialog.getByText('Owner is required').waitFor();
    expect(followUps).toEqual([]);
    await dialog.getByTestId('plugin-field-member').click();
    await page.locator('.t-select-option', { hasText: 'Han Meimei (VIP desk)' }).click();
    await dialog.getByTestId('plugin-field-note').locator('textarea').fill('Wants the spring offer');
    await world.screenshot(page, 'plugin-action-dialog-en');
    await world.expectAccessible(page, 'plugin action dialog');
    await dialog.getByTestId('plugin-action-submit').click();
    await page.locator('.t-message', { hasText: 'Follow-up assigned to Han Meimei' }).waitFor();
    await dialog.waitFor({ state: 'hidden' });
    // The plugin's card appears on the call at once, the customer as the agent sees them.
    const followUpCard = panel.locator('[data-testid="plugin-card"]', { hasText: 'Follow-up' });
    await followUpCard.waitFor();
    expect(await followUpCard.textContent()).toContain('Han Meimei (VIP desk)');
    expect(await followUpCard.textContent()).toContain('For 139****3003');
    expect(await followUpCard.textContent()).not.toContain('13900003003');
    await world.screenshot(page, 'plugin-card-after-action-en');
    const agent3 = await world.t.request('GET', '/api/v1/auth/me', { token: await world.token('agent3') });
    expect(followUps).toEqual([
      {
        user: expect.objectContaining({ userId: agent3.body.id, role: 'agent' }),
        body: { sessionId, values: { member: 'm-2', note: 'Wants the spring offer' } },
      },
    ]);
    call.hangup();
    await page.getByTestId('wrap-up-panel').waitFor();
    // Right after the call, the action is still at hand, and the card with it.
    await page.getByTestId('wrap-up-panel').getByTestId('plugin-action-follow-up-assign').waitFor();
    await page.locator('[data-testid="plugin-card"]', { hasText: 'Han Meimei (VIP desk)' }).waitFor();
  });

  it('[AGT-01] a second tab opened during a call does not cut it: the tab on the call keeps the phone; the new one says why and takes over after the call', async () => {
    const first = await agentPage('agent1', 'en');
    const call = await customerCalls('13812340001');
    const card = first.getByTestId('offer-card');
    await expect.poll(() => card.getByTestId('offer-answer').isEnabled(), { timeout: 30_000 }).toBe(true);
    await card.getByTestId('offer-answer').click();
    const panel = first.getByTestId('call-panel');
    await panel.waitFor();
    const sessionId = (await panel.getAttribute('data-session-id'))!;
    const sessionState = async () =>
      (await world.t.app.database.pool.query('select state from call_sessions where id = $1', [sessionId])).rows[0]
        ?.state as string | undefined;
    await expect.poll(sessionState).toBe('bridged');

    // The same browser profile opens the workbench again while the call goes on. The tab on the
    // call answers the claim with "busy" (it never stops its phone): the new tab says so.
    const second = await first.context().newPage();
    await second.goto(`${world.url}/workbench`);
    const notice = second.getByTestId('tab-taken-over');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('on a call in another tab');
    expect(await first.getByTestId('tab-taken-over').count()).toBe(0);
    // The agent's one simulated device is still registered (by the first tab) and on the call.
    const token = await world.token('agent1');
    const device = await world.t.request('GET', '/api/v1/simulator/devices/me/calls', { token });
    expect(device.body).toMatchObject({ registered: true });
    expect(await sessionState()).toBe('bridged');
    await world.screenshot(second, 'workbench-tab-busy-elsewhere-en');
    await world.expectAccessible(second, 'tab busy elsewhere');

    // The call ends and the agent finishes wrap-up there: now the new tab takes the workbench.
    call.hangup();
    await expect.poll(sessionState, { timeout: 30_000 }).toBe('ended');
    await expect
      .poll(
        async () =>
          (await world.t.request('PUT', '/api/v1/agents/me/state', { token, body: { state: 'idle' } })).status,
      )
      .toBe(200);
    await expect.poll(() => first.getByTestId('call-panel').count(), { timeout: 30_000 }).toBe(0);
    await second.getByTestId('tab-use-here').click();
    await first.getByTestId('tab-taken-over').waitFor();
    expect(await second.getByTestId('tab-taken-over').count()).toBe(0);
    // The first tab unregistered on standing down; the device is registered again by the second.
    await expect
      .poll(async () => (await world.t.request('GET', '/api/v1/simulator/devices/me/calls', { token })).body, {
        timeout: 30_000,
      })
      .toMatchObject({ registered: true });
  });

  it('[IN-01] the device check shows the browser, the microphone permission and the softphone', async () => {
    const page = await agentPage('agent1', 'en');
    await page.getByTestId('open-device-check').click();
    const drawer = page.getByTestId('device-check');
    await drawer.getByTestId('device-browser').waitFor();
    expect(await drawer.getByTestId('device-phone-state').getAttribute('data-state')).toBe('registered');
    // Served over plain http on 127.0.0.1: a secure context for the browser.
    expect(await drawer.locator('[data-testid="device-browser"] li').first().getAttribute('data-ok')).toBe('true');
    expect(await drawer.getByTestId('device-mic-permission').getAttribute('data-permission')).toMatch(
      /^(granted|denied|prompt|unknown)$/,
    );
    await world.screenshot(page, 'device-check-en');
    await world.expectAccessible(page, 'device check');
  });
});
