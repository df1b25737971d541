/**
 * The live monitor (MON-01/02/03) in a real browser against the real server and the jambonz
 * simulator: the demo supervisor watches agent1's state change live (agent1 acts through the
 * API), a customer's call appear in the queue of presales and then in agent1's row, listens in
 * from their own (simulated) softphone and stops; filters stay in the URL; axe on every tab.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_NUMBER } from '../../core/src/demo/call-center.js';
import { useUiWorld } from './support/ui-world.js';

const world = useUiWorld();
const CUSTOMER = '13912340001';

/** Runs an expression in the page (strings: these files are not compiled with the DOM types). */
const js = <T>(page: Page, expression: string): Promise<T> => page.evaluate(expression) as Promise<T>;

async function setState(state: 'idle' | 'notReady' | 'offline'): Promise<void> {
  const token = await world.token('agent1');
  const r = await world.t.request('PUT', '/api/v1/agents/me/state', { token, body: { state } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

/** TDesign's tabs: the nav items (no ARIA tab role of their own). */
async function openTab(page: Page, label: RegExp): Promise<void> {
  await page.locator('.t-tabs__nav-item', { hasText: label }).click();
}

/** At 1280×720 the page itself never scrolls sideways (ui-anchors R19). */
async function noSidewaysScroll(page: Page): Promise<void> {
  expect(await js(page, 'document.documentElement.scrollWidth - innerWidth')).toBe(0);
}

afterEach(async () => {
  for (const c of world.sim.calls()) world.sim.call(c.callSid)?.hangup();
  await expect
    .poll(
      async () =>
        (await world.t.app.database.pool.query(`select 1 from call_sessions where state <> 'ended'`)).rowCount,
      { timeout: 30_000 },
    )
    .toBe(0);
});

describe('live monitor', () => {
  it('[MON-01] [MON-02] [MON-03] a supervisor watches an agent and a call live, listens in and stops', async () => {
    const page = await world.page();
    await world.signIn(page, 'supervisor');
    await page.getByTestId('menu-admin-monitors').click();
    await page.waitForURL(/\/admin\/monitors$/);

    // [MON-01] agent1 is offline; they go online and then not ready through the API: the row
    // follows without a reload, with an icon and a text.
    const state = page.getByTestId('monitor-state-3001');
    await expect.poll(() => state.getAttribute('data-state')).toBe('offline');
    await setState('idle');
    await expect.poll(() => state.getAttribute('data-state'), { timeout: 20_000 }).toBe('idle');
    expect(await state.textContent()).toContain('示闲');
    expect(await state.locator('svg').count()).toBe(1);
    await setState('notReady');
    await expect.poll(() => state.getAttribute('data-state'), { timeout: 20_000 }).toBe('notReady');
    expect(await state.textContent()).toContain('示忙');
    // Time in the state ticks.
    const inState = page.getByTestId('monitor-in-state-3001');
    const first = await inState.textContent();
    await expect.poll(() => inState.textContent(), { timeout: 20_000 }).not.toBe(first);
    await world.screenshot(page, 'monitor-agents-zh');
    await world.expectAccessible(page, 'agent monitor');
    await noSidewaysScroll(page);

    // [MON-02] A customer calls and waits in presales (agent1 is not ready): the group's queue
    // and the live call list show it.
    const call = await world.sim.placeCall({ from: CUSTOMER, to: DEMO_NUMBER });
    await call.expectPrompt(/press 1/);
    call.press('1');
    await openTab(page, /技能组监控/);
    await expect.poll(() => page.getByTestId('monitor-queue-presales').textContent(), { timeout: 20_000 }).toBe('1');
    expect(await page.getByTestId('monitor-group-calls-presales').textContent()).toBe('1');
    await expect.poll(() => page.getByTestId('tile-waiting').textContent()).toContain('1');
    await world.screenshot(page, 'monitor-groups-zh');
    await world.expectAccessible(page, 'skill group monitor');
    await openTab(page, /实时通话/);
    expect(page.url()).toContain('tab=calls');
    const callState = page.getByTestId(`monitor-call-state-${CUSTOMER}`);
    await expect.poll(() => callState.getAttribute('data-state'), { timeout: 20_000 }).toBe('queued');

    // agent1 becomes free and answers on their phone: the call is talking, the queue empties.
    const phone = world.sim.registerUser('agent1');
    await setState('idle');
    const leg = (await phone.nextRing({ timeoutMs: 30_000 })).answer();
    await expect.poll(() => callState.getAttribute('data-state'), { timeout: 20_000 }).toBe('bridged');
    expect(await page.getByTestId(`monitor-call-${CUSTOMER}`).textContent()).toContain(CUSTOMER);

    // [MON-03] Listen in: the supervisor's own softphone rings and joins the room muted.
    await page.getByTestId(`monitor-listen-${CUSTOMER}`).click();
    const leave = page.getByTestId(`monitor-leave-${CUSTOMER}`);
    await leave.waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.getByTestId(`monitor-listeners-${CUSTOMER}`).textContent(), { timeout: 30_000 })
      .toContain('你');
    await expect
      .poll(
        () =>
          world.sim
            .conferences()
            .flatMap((c) => c.members)
            .filter((m) => m.tag === 'supervisor')
            .map((m) => m.muted),
        { timeout: 30_000 },
      )
      .toEqual([true]);
    call.speak('where is my parcel');
    expect(leg.heard).toContain('where is my parcel');
    // The stop button took the place of the listen button under the mouse: audit the page at
    // rest (TDesign's hover colour on a hovered row is not what axe should judge).
    await page.mouse.move(640, 600);
    await world.screenshot(page, 'monitor-calls-listening-zh');
    await world.expectAccessible(page, 'live calls while listening');
    await noSidewaysScroll(page);
    await leave.click();
    await page.getByTestId(`monitor-listen-${CUSTOMER}`).waitFor({ timeout: 30_000 });
    await expect
      .poll(
        () =>
          world.sim
            .conferences()
            .flatMap((c) => c.members)
            .filter((m) => m.tag === 'supervisor').length,
        {
          timeout: 30_000,
        },
      )
      .toBe(0);

    // The agents tab shows agent1 on this call, one call today.
    await openTab(page, /客服监控/);
    await expect.poll(() => state.getAttribute('data-state')).toBe('busy');
    expect(await page.getByTestId('monitor-current-3001').textContent()).toContain(CUSTOMER);
    expect(await page.getByTestId('monitor-calls-3001').textContent()).toBe('1');

    // Filters live in the URL: a reload keeps them.
    await page.getByTestId('monitor-filter-state').click();
    await page.locator('.t-select-option', { hasText: '示闲' }).click();
    await page.waitForURL(/state=idle/);
    await expect.poll(() => page.getByTestId('monitor-agent-3001').count()).toBe(0);
    await page.reload();
    await page.getByTestId('monitor-agents').waitFor();
    await world.screenshot(page, 'monitor-agents-filtered-zh');
    await expect.poll(() => page.getByTestId('monitor-agents').getByText('没有符合筛选条件的记录。').count()).toBe(1);
    await page.getByTestId('monitor-clear-filters').click();
    await page.getByTestId('monitor-agent-3001').waitFor();

    // The customer hangs up: the call leaves the live list, agent1 is free again.
    call.hangup();
    await leg.ended;
    await expect.poll(() => state.getAttribute('data-state'), { timeout: 30_000 }).not.toBe('busy');
    await openTab(page, /实时通话/);
    await expect.poll(() => page.getByTestId(`monitor-call-${CUSTOMER}`).count(), { timeout: 20_000 }).toBe(0);
    await world.screenshot(page, 'monitor-calls-empty-zh');
    await setState('offline');
  }, 300_000);

  it('[MON-01] the monitor in English, and agents cannot open it', async () => {
    const page = await world.page({ locale: 'en' });
    await world.signIn(page, 'admin');
    await page.goto(`${world.url}/admin/monitors?tab=groups`);
    await page.getByTestId('monitor-group-presales').waitFor();
    expect(await page.locator('.t-tabs__nav-item.t-is-active').textContent()).toContain('Skill groups');
    await world.screenshot(page, 'monitor-groups-en');
    await world.expectAccessible(page, 'skill group monitor (en)');

    const agentPage = await world.page();
    await world.signIn(agentPage, 'agent1');
    await agentPage.goto(`${world.url}/admin/monitors`);
    await agentPage.waitForURL(/\/403$/);
    expect(await agentPage.getByTestId('monitor-tabs').count()).toBe(0);
    expect(await agentPage.getByTestId('menu-admin-monitors').count()).toBe(0);
    const token = await world.token('agent1');
    expect((await world.t.request('GET', '/api/v1/monitor/agents', { token })).status).toBe(403);
    await world.t.request('POST', '/api/v1/agents/me/logout', { token });
  }, 180_000);
});
