/**
 * Skill groups in a real browser against the real server (ADM-06/07, issue 11 item 4): an admin
 * creates a group with two members and their priorities, edits it, and a simulated call sent
 * to the group by an IVR flow rings the member the priorities say; deleting the group is refused
 * while the flow uses it (the page says which flow), an unused group deletes. The list keeps its
 * filters in the URL; supervisors see it read-only.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../jambonz-apps/test/support/harness.js';
import { useUiWorld, type DemoUserKey } from './support/ui-world.js';

const world = useUiWorld();

/** Polls generously: the machine may be busy. */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 100 });

const VIP_NUMBER = '4002000000';
const GROUP = 'VIP 专线';

async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
}

/** The list row of a group, by its name. */
function row(page: Page, name: string) {
  return page.locator('[data-testid="skill-group-table"] tbody tr', {
    has: page.getByTestId('skill-group-name').getByText(name, { exact: true }),
  });
}

/** Picks an agent in the drawer's picker by searching their staff number. */
async function addMember(page: Page, staffNo: string): Promise<void> {
  const picker = page.getByTestId('skill-group-agent-picker');
  await picker.locator('input').click();
  await picker.locator('input').fill(staffNo);
  await page.getByTestId(`agent-option-${staffNo}`).click();
  await page.getByTestId(`member-${staffNo}`).waitFor();
}

/** Sets a member's priority 1–5 in the drawer. */
async function setPriority(page: Page, staffNo: string, priority: number): Promise<void> {
  // The last select's list may still be fading out: wait until no option list is shown.
  await poll(() => page.locator('.t-select-option:visible').count()).toBe(0);
  await page.getByTestId(`member-priority-${staffNo}`).click();
  await page
    .locator('.t-select-option:visible')
    .filter({ hasText: new RegExp(`^${priority}`) })
    .first()
    .click();
  await poll(() => page.getByTestId(`member-priority-${staffNo}`).locator('input').inputValue()).toMatch(
    new RegExp(`^${priority}`),
  );
}

const onDuty: DemoUserKey[] = [];

/** Signs an agent in for calls and makes them idle (behind the browser's back). */
async function idle(who: DemoUserKey): Promise<string> {
  const token = await world.token(who);
  await world.t.request('POST', '/api/v1/agents/me/login', { token });
  const r = await world.t.request('PUT', '/api/v1/agents/me/state', { token, body: { state: 'idle' } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  onDuty.push(who);
  return token;
}

afterEach(async () => {
  for (const c of world.sim.calls()) world.sim.call(c.callSid)?.hangup();
  await poll(
    async () => (await world.t.app.database.pool.query(`select 1 from call_sessions where state <> 'ended'`)).rowCount,
  ).toBe(0);
  for (const who of onDuty.splice(0)) {
    const token = await world.token(who);
    await world.t.request('PUT', '/api/v1/agents/me/state', { token, body: { state: 'idle' } });
    await world.t.request('POST', '/api/v1/agents/me/logout', { token });
  }
});

describe('admin: skill groups', () => {
  it('[ADM-06] [ADM-07] an admin creates a group with two members and priorities, edits it, a call reaches the priority-1 member; delete is refused while a flow uses it', async () => {
    const page = await world.page();
    await world.signIn(page, 'admin');
    const admin = await world.token('admin');
    const tenantId = world.t.app.demo!.tenantId;

    await page.getByTestId('menu-admin-skill-groups').click();
    await page.waitForURL(/\/admin\/skill-groups$/);
    // The demo's groups are listed with their head counts.
    await row(page, 'presales').waitFor();
    expect(await row(page, 'presales').getByTestId('skill-group-members').innerText()).toBe('3');
    await world.screenshot(page, 'admin-skill-groups-list-zh');
    await world.expectAccessible(page, 'skill-group list');
    expect(await fitsWidth(page)).toBe(true);

    // ── create: name, priority strategy, two members with priorities ──
    await page.getByTestId('skill-group-create').click();
    const drawer = page.getByTestId('skill-group-drawer');
    await page.getByTestId('skill-group-form-name').locator('input').fill(GROUP);
    await page.getByTestId('skill-group-form-strategy').click();
    await page.locator('.t-select-option:visible', { hasText: '按成员优先级' }).click();
    await addMember(page, '3002');
    await addMember(page, '3003');
    await setPriority(page, '3002', 1);
    await setPriority(page, '3003', 2);
    await world.screenshot(page, 'admin-skill-groups-create-zh');
    await world.expectAccessible(page, 'skill-group drawer');
    const created = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/skill-groups') && r.request().method() === 'POST',
    );
    await page.getByTestId('skill-group-form-save').click();
    expect((await created).status()).toBe(201);
    await drawer.waitFor({ state: 'hidden' });
    await poll(() => row(page, GROUP).getByTestId('skill-group-members').innerText()).toBe('2');

    const groups = await world.t.request('GET', `/api/v1/skill-groups?q=${encodeURIComponent(GROUP)}`, {
      token: admin,
    });
    const group = groups.body.items[0] as { id: string };
    const saved = await world.t.app.container.cradle.skillGroupRepo.members(tenantId, group.id);
    const staff = async (userId: string) =>
      (await world.t.app.container.cradle.userRepo.findById(tenantId, userId))!.staffNo;
    const byStaff = async () =>
      Object.fromEntries(
        await Promise.all(
          (await world.t.app.container.cradle.skillGroupRepo.members(tenantId, group.id)).map(
            async (m) => [await staff(m.userId), m.priority] as const,
          ),
        ),
      );
    expect(saved).toHaveLength(2);
    expect(await byStaff()).toEqual({ '3002': 1, '3003': 2 });
    expect(await world.t.app.container.cradle.skillGroupRepo.findById(tenantId, group.id)).toMatchObject({
      strategy: 'priority',
      ringTimeoutTransfer: true,
    });

    // ── edit: swap the priorities, longer ring timeout ──
    await row(page, GROUP).getByTestId('skill-group-edit').click();
    await poll(() => page.getByTestId('skill-group-form-name').locator('input').inputValue()).toBe(GROUP);
    await page.getByTestId('member-3002').waitFor();
    await setPriority(page, '3003', 1);
    await setPriority(page, '3002', 4);
    const ring = page.getByTestId('skill-group-form-ring-timeout').locator('input');
    await ring.fill('90');
    await ring.blur();
    // Its own overflow group (IVR-20) and a wrap-up the agent ends (RT-06, CTL-06).
    await page.getByTestId('skill-group-form-overflow').click();
    await page.locator('.t-select-option:visible', { hasText: 'presales' }).click();
    await page.getByTestId('skill-group-form-wrap-up-source').getByText('本组单独设置').click();
    const wrapUp = page.getByTestId('skill-group-form-wrap-up-seconds').locator('input');
    await wrapUp.fill('15');
    await wrapUp.blur();
    await page.getByTestId('skill-group-form-wrap-up-auto').press('Space');
    await world.screenshot(page, 'admin-skill-groups-edit-zh');
    await world.expectAccessible(page, 'skill-group drawer, own overflow and wrap-up');
    const patched = page.waitForResponse(
      (r) => r.url().includes(`/api/v1/skill-groups/${group.id}`) && r.request().method() === 'PATCH',
    );
    await page.getByTestId('skill-group-form-save').click();
    expect((await patched).status()).toBe(200);
    await drawer.waitFor({ state: 'hidden' });
    expect(await byStaff()).toEqual({ '3002': 4, '3003': 1 });
    const presales = (
      await world.t.request('GET', '/api/v1/skill-groups?q=presales', { token: admin })
    ).body.items.find((g: { name: string }) => g.name === 'presales') as { id: string };
    expect(await world.t.app.container.cradle.skillGroupRepo.findById(tenantId, group.id)).toMatchObject({
      ringTimeoutSeconds: 90,
      overflowSkillGroupId: presales.id,
      wrapUpSeconds: 15,
      wrapUpAutoEnd: false,
    });
    await poll(() => row(page, GROUP).innerText()).toContain('90 秒后转接');

    // ── a call routed to the group reaches the priority-1 member ──
    const flow = await world.t.request('POST', '/api/v1/ivr-flows', {
      token: admin,
      body: {
        name: 'VIP 流程',
        graph: {
          start: 'hi',
          nodes: [
            { id: 'hi', type: 'play', prompt: { kind: 'say', text: 'Welcome, VIP caller.' }, next: 'queue' },
            { id: 'queue', type: 'transfer', target: { type: 'skillGroup', skillGroupId: group.id } },
          ],
        },
      },
    });
    expect(flow.status, JSON.stringify(flow.body)).toBe(201);
    await world.t.app.container.cradle.numberRepo.create(tenantId, {
      number: VIP_NUMBER,
      label: 'VIP line',
      ivrFlowId: flow.body.id as string,
    });
    // Agent Two has been idle longest: only the priorities make Agent Three first.
    world.sim.registerUser('agent2');
    const three = world.sim.registerUser('agent3');
    await idle('agent2');
    await world.t.app.database.pool.query(
      `update agents set state_since = now() - interval '10 minutes' where user_id = (select id from users where email = 'agent2@demo.local')`,
    );
    await idle('agent3');
    const call = await world.sim.placeCall({ from: '13955550000', to: VIP_NUMBER });
    const rang = await three.nextRing({ timeoutMs: 30_000 });
    const leg = rang.answer();
    const token3 = await world.token('agent3');
    await until(async () => {
      const me = await world.t.request('GET', '/api/v1/agents/me', { token: token3 });
      return me.body.state === 'busy' ? true : undefined;
    }, 'Agent Three on the call');
    const session = await world.t.app.database.pool.query(
      `select queued_skill_group_id from call_sessions where state <> 'ended' and callee = $1`,
      [VIP_NUMBER],
    );
    expect(session.rows[0]?.queued_skill_group_id).toBe(group.id);
    call.hangup();
    await leg.ended;
    // The group's own wrap-up, ended by the agent only: no timer.
    await until(async () => {
      const me = await world.t.request('GET', '/api/v1/agents/me', { token: token3 });
      return me.body.state === 'afterCallWork' && me.body.wrapUpUntil === null ? true : undefined;
    }, 'Agent Three in the group’s wrap-up, with no timer');

    // ── delete is refused while the flow transfers to the group, naming the flow ──
    await row(page, GROUP).getByTestId('skill-group-delete').click();
    const dialog = page.getByTestId('skill-group-delete-dialog');
    await poll(() => dialog.innerText()).toContain(`确定删除技能组「${GROUP}」吗`);
    await dialog.getByRole('button', { name: '删除' }).click();
    const inUse = page.getByTestId('skill-group-in-use');
    await inUse.waitFor();
    expect(await inUse.innerText()).toContain(`技能组「${GROUP}」正在使用`);
    expect(await inUse.innerText()).toContain('「VIP 流程」（版本 1）');
    await world.screenshot(page, 'admin-skill-groups-in-use-zh');
    await world.expectAccessible(page, 'skill-group in use');
    expect(await world.t.app.container.cradle.skillGroupRepo.findById(tenantId, group.id)).toBeDefined();

    // An unused group deletes, and the toast names it.
    await world.t.request('POST', '/api/v1/skill-groups', { token: admin, body: { name: '临时组' } });
    await page.getByTestId('skill-group-search').locator('input').fill('临时');
    await page.getByTestId('skill-group-search').locator('input').press('Enter');
    await page.waitForURL(/q=%E4%B8%B4%E6%97%B6/);
    await row(page, '临时组').getByTestId('skill-group-delete').click();
    await dialog.getByRole('button', { name: '删除' }).click();
    await page.locator('.t-message', { hasText: '已删除技能组「临时组」' }).waitFor();
    await poll(() => page.getByTestId('skill-group-empty').isVisible()).toBe(true);
    expect((await world.t.request('GET', '/api/v1/skill-groups?q=临时组', { token: admin })).body.total).toBe(0);
  }, 300_000);

  it('[ADM-06] the list filters in the URL survive a reload; supervisors read it, in English too', async () => {
    const page = await world.page({ locale: 'en' });
    await world.signIn(page, 'supervisor');
    await page.goto(`${world.url}/admin/skill-groups?type=inbound&sort=memberCount&order=desc`);
    await row(page, 'presales').waitFor();
    await page.getByTestId('skill-group-search').locator('input').fill('after');
    await page.getByTestId('skill-group-search').locator('input').press('Enter');
    await page.waitForURL(/q=after/);
    await poll(() => page.locator('[data-testid="skill-group-table"] tbody tr').count()).toBe(1);
    await page.reload();
    await row(page, 'after-sales').waitFor();
    expect(new URL(page.url()).searchParams.get('type')).toBe('inbound');
    expect(await page.getByTestId('skill-group-search').locator('input').inputValue()).toBe('after');
    // Read-only: no create or delete, a note saying why, the drawer opens for viewing.
    expect(await page.getByTestId('skill-group-create').count()).toBe(0);
    expect(await page.getByTestId('skill-group-delete').count()).toBe(0);
    await page.getByTestId('skill-group-read-only').waitFor();
    await row(page, 'after-sales').getByTestId('skill-group-edit').click();
    await page.getByTestId('skill-group-drawer').waitFor();
    await poll(() => page.getByTestId('skill-group-member-list').locator('tbody tr').count()).toBe(3);
    expect(await page.getByTestId('skill-group-form-save').count()).toBe(0);
    expect(await page.getByTestId('skill-group-agent-picker').count()).toBe(0);
    await world.screenshot(page, 'admin-skill-groups-supervisor-en');
    await world.expectAccessible(page, 'skill-group drawer (supervisor)');
  });
});
