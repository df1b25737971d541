/**
 * The agent mini-program's h5 build in Chromium at a phone's size (issue 13): the server serves
 * it at `/m/`; the jambonz simulator plays the agent's mobile and the customers. An agent signs
 * in by SMS code, goes idle, dials a customer (their mobile rings first, then the customer), sees
 * the call in recent calls with its note, and gets an incoming call's card with the CRM's
 * customer. Screenshots of every page go to `admin-ui/e2e/artifacts/mp-*.png`.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_AGENT_LINE, DEMO_NUMBER } from '../../core/src/demo/call-center.js';
import { definePlugin } from '../../core/src/plugins/define-plugin.js';
import { demoUser, useUiWorld } from '../../admin-ui/e2e/support/ui-world.js';
import { z } from 'zod';

/** A CRM that knows every caller as 李女士, VIP (MP-05). */
const crm = definePlugin({
  name: 'mp-crm',
  version: '1.0.0',
  config: z.object({}),
  hooks: {
    'call.incoming': () => ({
      annotations: {
        screenPop: {
          kind: 'card',
          status: 'found',
          title: '李女士',
          subtitle: '华东区 · 金牌客户',
          tags: ['VIP'],
          fields: [{ label: '最近订单', value: 'SO-20261201-17' }],
        },
      },
    }),
  },
});

const world = useUiWorld({
  calls: { wrapUpSeconds: 0 },
  tenantSettings: { numberProtection: true },
  plugins: [crm({})],
});

const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 30_000 });

/** The phone-sized page of the mini-program. */
async function phonePage(): Promise<Page> {
  const page = await world.page({ width: 375, height: 740 });
  await page.goto(`${world.url}/m/`);
  return page;
}

/** Types into a Taro `<input>` (its real input sits inside Taro's element). */
async function fill(page: Page, testId: string, value: string): Promise<void> {
  const field = page
    .locator(`[data-testid="${testId}"] input, input[data-testid="${testId}"], [data-testid="${testId}"] textarea`)
    .first();
  await field.fill(value);
}

async function signInBySms(page: Page, who: 'agent1' | 'agent2' | 'agent3'): Promise<void> {
  const user = demoUser(who);
  await page.getByTestId('tab-code').click();
  await fill(page, 'mobile', user.mobile);
  const before = world.t.sms.inbox.length;
  await page.getByTestId('send-code').click();
  const sent = () => world.t.sms.inbox.slice(before).find((m) => m.mobile === user.mobile);
  await poll(async () => sent() !== undefined).toBe(true);
  const code = sent()!.code;
  await fill(page, 'code', code);
  await page.getByTestId('submit').click();
  await page.getByTestId('agent-state').waitFor();
}

describe('the agent mini-program (h5) in Chromium', () => {
  it('[MP-01] [MP-02] [MP-03] [MP-04] [OUT-04] signs in by SMS code, goes idle, dials a customer through the mobile, and finds the call in recent calls with its note', async () => {
    const page = await phonePage();
    await page.getByTestId('submit').waitFor();
    await world.screenshot(page, 'mp-login-zh');
    await world.expectAccessible(page, 'mini-program sign-in');
    await signInBySms(page, 'agent1');
    expect(await page.getByTestId('agent-state').innerText()).toContain('离线');

    await page.getByTestId('state-idle').click();
    await poll(() => page.getByTestId('agent-state').innerText()).toContain('空闲');
    await world.screenshot(page, 'mp-home-idle');
    await world.expectAccessible(page, 'mini-program workbench');

    // A number that is not one says so before anything rings.
    await fill(page, 'dial-number', '12a');
    await page.getByTestId('dial').click();
    await poll(() => page.getByTestId('dial-error').innerText()).toContain('5–20');

    const agent = demoUser('agent1');
    const mobile = world.sim.phone(agent.mobile);
    const customer = '13912340001';
    const phone = world.sim.phone(customer);
    await fill(page, 'dial-number', '139 1234 0001');
    await page.getByTestId('dial').click();
    await poll(() => page.getByTestId('call-stage').innerText()).toContain('正在呼叫您的手机');
    // The customer is masked for the agent (number protection).
    expect(await page.getByTestId('call-customer').innerText()).not.toContain('1234');
    await world.screenshot(page, 'mp-dialling');

    const own = await mobile.nextRing({ timeoutMs: 60_000 });
    expect(own.from).toBe(DEMO_AGENT_LINE);
    const agentLeg = own.answer();
    const ring = await phone.nextRing({ timeoutMs: 60_000 });
    expect(ring.from).toBe(DEMO_NUMBER);
    const customerLeg = ring.answer();
    await poll(() => page.getByTestId('call-stage').innerText()).toContain('通话中');
    await world.screenshot(page, 'mp-connected');
    customerLeg.hangup();
    await agentLeg.ended;
    await poll(() => page.getByTestId('call-stage').innerText()).toContain('通话已结束');
    expect(await page.getByTestId('call-result').innerText()).toContain('已接通');
    await page.getByTestId('call-dismiss').click();
    await page.getByTestId('call-card').waitFor({ state: 'detached' });

    // Recent calls: the call, masked; a note saved on it.
    await page.getByText('最近通话', { exact: true }).last().click();
    const row = page.getByTestId('recent-row').first();
    await poll(() => row.getByTestId('recent-result').innerText()).toBe('已接通');
    expect(await row.getByTestId('recent-customer').innerText()).toMatch(/\*/);
    await fill(page, 'recent-note', '客户要求下周回访');
    await row.getByTestId('recent-save').click();
    await poll(() => row.getByTestId('recent-saved').innerText()).toBe('已保存');
    await world.screenshot(page, 'mp-recent');
    await world.expectAccessible(page, 'mini-program recent calls');
    const admin = await world.token('admin');
    const records = await world.t.request('GET', '/api/v1/records?limit=5', { token: admin });
    const rec = records.body.items.find((r: { callee: string }) => r.callee === customer);
    expect(rec).toMatchObject({ direction: 'outbound', note: '客户要求下周回访', endStatusString: 'ok' });
  });

  it('[MP-05] an incoming call shows its card with the CRM’s customer while the agent answers on the mobile', async () => {
    const agent = demoUser('agent2');
    const token = await world.token('agent2');
    const mode = await world.t.request('PUT', '/api/v1/me/answering', { token, body: { answerMode: 'mobileAlways' } });
    expect(mode.status).toBe(200);
    const page = await phonePage();
    await signInBySms(page, 'agent2');
    await page.getByTestId('state-idle').click();
    await poll(() => page.getByTestId('agent-state').innerText()).toContain('空闲');
    // agent1 stays offline: the call can only be agent2's.
    const mobile = world.sim.phone(agent.mobile);
    const call = await world.sim.placeCall({ from: '13712345678', to: DEMO_NUMBER });
    await call.expectPrompt(/press 1/);
    call.press('1');
    const ring = await mobile.nextRing({ timeoutMs: 60_000 });
    await poll(() => page.getByTestId('call-stage').innerText()).toContain('来电');
    expect(await page.getByTestId('crm-title').innerText()).toBe('李女士');
    expect(await page.getByTestId('call-customer').innerText()).not.toContain('12345678');
    await world.screenshot(page, 'mp-incoming');
    await world.expectAccessible(page, 'mini-program incoming call');
    const leg = ring.answer();
    await poll(() => page.getByTestId('call-stage').innerText()).toContain('通话中');
    call.hangup();
    await leg.ended;
    await poll(() => page.getByTestId('call-stage').innerText()).toContain('通话已结束');
  });

  it('[MP-01] in English: the agent switches language at sign-in, and the workbench and tab bar follow', async () => {
    const page = await phonePage();
    await page.getByTestId('lang').click();
    await poll(() => page.getByTestId('submit').innerText()).toBe('Sign in');
    await signInBySms(page, 'agent3');
    expect(await page.getByTestId('agent-state').innerText()).toContain('Offline');
    await poll(() => page.locator('.weui-tabbar').innerText()).toContain('Workbench');
    expect(await page.locator('.weui-tabbar').innerText()).toContain('Recent');
    await world.screenshot(page, 'mp-home-en');
  });
});
