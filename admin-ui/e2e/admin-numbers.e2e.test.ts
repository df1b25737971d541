/**
 * The numbers screens in a real browser against the real server (issue 11 item 5): an admin
 * creates a number group, registers a number of their own in it and binds it to the demo IVR
 * flow; a simulated customer calling the new number hears that flow. The list keeps its
 * filters in the URL. The admin files a number application and sees it listed as requested; a
 * supervisor reads the numbers but cannot change them.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useUiWorld } from './support/ui-world.js';

const world = useUiWorld();

/** The new number as typed, and as stored (digits). */
const TYPED = '+86 10 6000 0001';
const DIGITS = '861060000001';
const GROUP = '北京热线';

/** Polls a browser-side value generously: the machine may be busy. */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 100 });

/** No sideways scrolling at the page's size (ui-anchors R19: 1280×720). */
async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
}

/** Picks `label` in the TDesign select with test id `testId` (options live in a popup on body). */
async function choose(page: Page, testId: string, label: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.locator('.t-select-option', { hasText: label }).first().click();
}

/** The table row of a number. */
const rowOf = (page: Page, digits: string) =>
  page.locator('[data-testid="numbers-table"] tbody tr', { has: page.locator(`[data-number="${digits}"]`) });

describe('numbers console', () => {
  it('[ADM-02] [ADM-03] [LINE-01] an admin groups a new number, binds it to the demo IVR, and a call to it follows the flow', async () => {
    const page = await world.page();
    await world.signIn(page, 'admin');
    await page.getByTestId('menu-admin-numbers').click();
    await page.waitForURL(/\/admin\/numbers$/);
    // The demo hotline is listed with its flow.
    await poll(() => rowOf(page, '4001000000').count()).toBe(1);
    expect(await rowOf(page, '4001000000').getByTestId('row-flow').innerText()).toContain('Demo IVR');

    // A number group (ADM-02).
    await page.getByTestId('numbers-tab-admin-number-groups').click();
    await page.waitForURL(/\/admin\/numbers\/groups$/);
    await page.getByTestId('groups-add').click();
    await page.getByTestId('group-name-input').locator('input').fill(GROUP);
    await page.getByTestId('group-description-input').locator('textarea').fill('北京地区的客服热线');
    await world.expectAccessible(page, 'number group drawer');
    await world.screenshot(page, 'admin-numbers-group-drawer-zh');
    await page.getByTestId('group-save').click();
    await poll(() => page.getByTestId('group-name').allInnerTexts()).toContain(GROUP);
    await world.screenshot(page, 'admin-number-groups-zh');
    await world.expectAccessible(page, 'number groups');

    // A number of our own (LINE-01) in that group, answered by the demo IVR (ADM-03).
    await page.getByTestId('numbers-tab-admin-numbers').click();
    await page.waitForURL(/\/admin\/numbers$/);
    await page.getByTestId('numbers-add').click();
    // A malformed number is refused in the form before it reaches the server.
    await page.getByTestId('number-input').locator('input').fill('abc');
    await page.getByTestId('number-save').click();
    await poll(() => page.getByTestId('number-drawer').innerText()).toContain('请输入国际格式、400 或 95 号码');
    await page.getByTestId('number-input').locator('input').fill(TYPED);
    await page.getByTestId('number-label').locator('input').fill('春季热线');
    await choose(page, 'number-group', GROUP);
    await choose(page, 'number-flow', 'Demo IVR');
    // The demo tenant is advanced: the version picker offers "follow published" and v1.
    await poll(() => page.getByTestId('number-version').locator('input').inputValue()).toContain('跟随发布版本');
    await world.expectAccessible(page, 'add number drawer');
    await world.screenshot(page, 'admin-numbers-add-drawer-zh');
    await page.getByTestId('number-save').click();
    const row = rowOf(page, DIGITS);
    await poll(() => row.count()).toBe(1);
    expect(await row.getByTestId('row-group').innerText()).toBe(GROUP);
    expect(await row.getByTestId('row-flow').innerText()).toMatch(/Demo IVR[\s\S]*跟随发布版（v1）/);
    expect(await row.innerText()).toContain('春季热线');
    await world.screenshot(page, 'admin-numbers-zh');
    await world.expectAccessible(page, 'numbers list');
    expect(await fitsWidth(page)).toBe(true);

    // The server has it as the admin set it.
    const token = await world.token('admin');
    const stored = await world.t.request('GET', `/api/v1/numbers?q=${DIGITS}`, { token });
    expect(stored.body.items).toEqual([
      expect.objectContaining({
        number: DIGITS,
        label: '春季热线',
        group: expect.objectContaining({ name: GROUP }),
        ivrFlow: expect.objectContaining({ name: 'Demo IVR' }),
        ivrFlowVersion: null,
      }),
    ]);

    // A customer calls the new number and hears the demo flow's welcome and menu.
    const call = await world.sim.placeCall({ from: '13800138000', to: DIGITS });
    await call.expectPrompt(/Welcome to the Switchboard demo/, { timeoutMs: 30_000 });
    await call.expectPrompt(/press 1/, { timeoutMs: 30_000 });
    call.hangup();
    const session = await world.t.app.database.pool.query(
      `select s.callee from call_sessions s join numbers n on n.id = s.number_id where n.number = $1`,
      [DIGITS],
    );
    expect(session.rows).toEqual([{ callee: DIGITS }]);

    // Filters live in the URL and survive a reload: the group's numbers only.
    await choose(page, 'numbers-filter-group', GROUP);
    await page.waitForURL(/groupId=[0-9a-f-]{36}/);
    await page.reload();
    await poll(() => page.locator('[data-testid="numbers-table"] tbody tr [data-number]').count()).toBe(1);
    expect(await rowOf(page, DIGITS).count()).toBe(1);
    expect(await page.getByTestId('numbers-filter-group').locator('input').inputValue()).toBe(GROUP);
    // The group now counts one number.
    await page.getByTestId('numbers-tab-admin-number-groups').click();
    const groupRow = page.locator('[data-testid="groups-table"] tbody tr', { hasText: GROUP });
    await poll(() => groupRow.getByTestId('group-count').innerText()).toBe('1');

    // Deleting the group asks first, in a dialog named by its title that names the group; the
    // number stays, in no group.
    await groupRow.getByTestId('group-delete').click();
    const dialog = page.getByTestId('group-delete-dialog');
    await poll(() => dialog.innerText()).toContain(`确定删除分组 ${GROUP}？`);
    expect(await dialog.getAttribute('role')).toBe('dialog');
    expect(await dialog.getAttribute('aria-label')).toBe('删除号码分组');
    await page.getByTestId('group-delete-confirm').click();
    await poll(() => page.getByTestId('group-name').allInnerTexts()).not.toContain(GROUP);
    await page.getByTestId('numbers-tab-admin-numbers').click();
    await poll(() => rowOf(page, DIGITS).getByTestId('row-group').innerText()).toBe('—');
  }, 240_000);

  it('[LINE-02] an admin files a number application and sees it listed as requested', async () => {
    const page = await world.page();
    await world.signIn(page, 'admin');
    await page.goto(`${world.url}/admin/numbers/applications`);
    await page.getByTestId('applications-add').click();
    await page.locator('[data-testid="application-type"] label', { hasText: '400 号码' }).click();
    await page.getByTestId('application-area').locator('input').fill('上海');
    await page.getByTestId('application-quantity').locator('input').fill('3');
    await page.getByTestId('application-purpose').locator('textarea').fill('春季活动的客服热线');
    await world.expectAccessible(page, 'number application form');
    await world.screenshot(page, 'admin-number-application-form-zh');
    await page.getByTestId('application-submit').click();
    const row = page.locator('[data-testid="applications-table"] tbody tr', { hasText: '上海' });
    await poll(() => row.count()).toBe(1);
    expect(await row.getByTestId('application-status').getAttribute('data-status')).toBe('requested');
    expect(await row.getByTestId('application-status').innerText()).toBe('已提交');
    expect(await row.innerText()).toMatch(/400 号码[\s\S]*上海[\s\S]*3[\s\S]*春季活动的客服热线/);
    await world.screenshot(page, 'admin-number-applications-zh');
    await world.expectAccessible(page, 'number applications');
    const stored = await world.t.request('GET', '/api/v1/number-applications', { token: await world.token('admin') });
    expect(stored.body.items[0]).toMatchObject({ type: '400', area: '上海', quantity: 3, status: 'requested' });

    // The operator takes it up: the admin marks it processing, with a note.
    await row.getByTestId('application-move').click();
    await page.locator('[data-testid="application-move-status"] label', { hasText: '办理中' }).click();
    await page.locator('#application-note textarea, textarea#application-note').first().fill('已提交运营商');
    await page.getByTestId('application-move-confirm').click();
    await poll(() => row.getByTestId('application-status').getAttribute('data-status')).toBe('processing');
    expect(await row.innerText()).toContain('已提交运营商');
    await world.expectAccessible(page, 'number applications (processing)');
  }, 180_000);

  it('[ADM-03] [ADM-04] [ADM-05] an admin pins a number’s flow version, links it to an outbound group and to agents’ mobiles; a supervisor reads it and cannot change it', async () => {
    // An outbound skill group exists (made behind the browser's back: its screen is another page's).
    const { skillGroupRepo } = world.t.app.container.cradle;
    await skillGroupRepo.create(world.t.app.demo!.tenantId, { name: '电销组', type: 'outbound' });

    const adminPage = await world.page();
    await world.signIn(adminPage, 'admin');
    await adminPage.goto(`${world.url}/admin/numbers`);
    const adminRow = rowOf(adminPage, '4001000000');
    await poll(() => adminRow.count()).toBe(1);
    await adminRow.getByTestId('row-edit').click();
    await adminPage.locator('[data-testid="number-outbound"] label', { hasText: '电销组' }).click();
    await adminPage.getByTestId('number-agent-mobile').click();
    // Pinned to version 1 (ADM-03 with a version, advanced edition): it stays whatever is published.
    await choose(adminPage, 'number-version', '（当前发布）');
    await world.screenshot(adminPage, 'admin-numbers-edit-drawer-zh');
    await world.expectAccessible(adminPage, 'edit number drawer');
    await adminPage.getByTestId('number-save').click();
    await poll(() => adminRow.getByTestId('row-outbound').innerText()).toBe('电销组');
    expect(await adminRow.getByTestId('row-agent-mobile').innerText()).toBe('座席手机主叫');
    expect(await adminRow.getByTestId('row-flow').innerText()).toContain('固定 v1');
    // The same flag the agent-mobile routes (ADM-05) and the skill group (OUT-07) read.
    const admin = await world.token('admin');
    const mobiles = await world.t.request('GET', '/api/v1/agent-mobile-numbers', { token: admin });
    expect(mobiles.body.items.map((n: { number: string }) => n.number)).toContain('4001000000');
    const groups = await world.t.request('GET', '/api/v1/skill-groups', { token: admin });
    const out = groups.body.items.find((g: { name: string }) => g.name === '电销组');
    const demo = await world.t.app.container.cradle.numberRepo.findByNumber('4001000000');
    expect(out.numberIds).toEqual([demo!.id]);

    const page = await world.page({ locale: 'en' });
    await world.signIn(page, 'supervisor');
    await page.getByTestId('menu-admin-numbers').click();
    const row = rowOf(page, '4001000000');
    await poll(() => row.count()).toBe(1);
    expect(await row.getByTestId('row-outbound').innerText()).toBe('电销组');
    expect(await row.getByTestId('row-agent-mobile').innerText()).toBe('Caller id for mobiles');
    expect(await page.getByTestId('numbers-read-only').isVisible()).toBe(true);
    expect(await page.getByTestId('numbers-add').count()).toBe(0);
    expect(await row.getByTestId('row-edit').count()).toBe(0);
    await world.screenshot(page, 'admin-numbers-supervisor-en');
    await world.expectAccessible(page, 'numbers list (supervisor)');
  }, 180_000);
});
