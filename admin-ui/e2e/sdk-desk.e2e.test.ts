/**
 * The browser SDK in a real browser (issue 14): the demo CRM's agent desk — another origin —
 * embeds the workbench with the SDK's UMD bundle (a plain `<script>` tag). The CRM's server gets
 * a one-time login token with an API key; the workbench signs in with it. A customer's call pops
 * the customer in the CRM and is answered, muted, held and hung up through the SDK; click-to-dial
 * places an outbound call; the workbench hides and shows; events arrive in order. A foreign
 * origin can neither frame the workbench nor be heard by it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDemoCrm, type DemoCrm } from '@switchboard/demo-crm';
import type { FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NUMBER } from '../../core/src/demo/call-center.js';
import { demoUser, useUiWorld } from './support/ui-world.js';

const world = useUiWorld({ tenantSettings: { agent: { wrapUpSeconds: 300, wrapUpAutoEnd: true } } });
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 30_000, interval: 100 });

let crm: DemoCrm;
let apiKey: string;
/** Pages of a foreign origin (not in the tenant's SDK origins). */
let foreign: Server;
let foreignUrl: string;
const foreignPages = new Map<string, string>();

/** Runs an expression in the page (strings: these files are not compiled with the DOM types). */
const js = <T>(page: Page, expression: string): Promise<T> => page.evaluate(expression) as Promise<T>;

beforeAll(async () => {
  const admin = await world.token('admin');
  const key = await world.t.request('POST', '/api/v1/api-keys', {
    token: admin,
    body: { name: 'Demo CRM', scopes: ['sdk:login'] },
  });
  expect(key.status).toBe(201);
  apiKey = key.body.key as string;
  crm = await startDemoCrm({
    switchboard: { url: world.t.url, apiKey, agents: [demoUser('agent1').email] },
  });
  const set = await world.t.request('PATCH', '/api/v1/tenant/settings', {
    token: admin,
    body: { sdkOrigins: [new URL(crm.url).origin] },
  });
  expect(set.status).toBe(200);
  // Calls ring long enough that the test never races the ring timeout on a busy machine.
  const groups = await world.t.request('GET', '/api/v1/skill-groups', { token: admin });
  for (const g of groups.body.items as Array<{ id: string }>) {
    const r = await world.t.request('PATCH', `/api/v1/skill-groups/${g.id}`, {
      token: admin,
      body: { ringTimeoutSeconds: 120 },
    });
    expect(r.status).toBe(200);
  }
  foreign = createServer((req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(foreignPages.get(req.url ?? '') ?? '<!doctype html><title>foreign</title>');
  });
  await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', r));
  // 127.0.0.1 and localhost are different origins: the CRM is on 127.0.0.1.
  foreignUrl = `http://localhost:${(foreign.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await crm?.close();
  foreign?.close();
});

/** The SDK events the desk listed, in order, with what they carried. */
async function events(page: Page): Promise<Array<{ name: string; data: Record<string, unknown> }>> {
  const lines = await page.getByTestId('events').locator('li').allInnerTexts();
  return lines.map((l) => {
    const at = l.indexOf(' ');
    return { name: l.slice(0, at), data: JSON.parse(l.slice(at + 1)) as Record<string, unknown> };
  });
}

/** Opens the desk and the workbench in it; resolves once the embedded softphone registered. */
async function openDesk(): Promise<{ page: Page; frame: FrameLocator }> {
  const page = await world.page();
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  await page.goto(crm.deskUrl!);
  await page.getByTestId('connect').click();
  await poll(() => page.getByTestId('state').innerText()).toMatch(/ready|Agent:/);
  const frame = page.frameLocator('[data-testid="workbench"] iframe');
  await poll(() => frame.getByTestId('phone-status').getAttribute('data-state')).toBe('registered');
  return { page, frame };
}

describe('browser SDK on the demo CRM desk', () => {
  it('[INT-01] [EV-01] [EV-03] [EV-04] [EV-06] [EV-07] [SDK-02] [SDK-03] [SDK-04] [SDK-05] [SDK-06] [SDK-07] [SDK-10] [SDK-11] [SDK-12] [SDK-13] [SDK-14] [SDK-17] a customer’s call pops the customer in the CRM and is handled through the SDK; the events arrive in order', async () => {
    const { page, frame } = await openDesk();
    await poll(async () => (await events(page)).map((e) => e.name)).toContain('ready');
    const ready = (await events(page)).find((e) => e.name === 'ready')!;
    expect(ready.data).toEqual({ userId: expect.any(String), tenantId: world.t.app.demo!.tenantId });
    await poll(() => js(page, `switchboard.Agent.getStatus().then((s) => s.status)`)).toBe('free');
    expect(await js(page, 'switchboard.Devices.isBrowserSupported()')).toBe(true);
    const groups = await js<Array<{ skillGroupName: string }>>(page, 'switchboard.Admin.getSkillGroupList()');
    expect(groups.length).toBeGreaterThan(0);
    await world.screenshot(page, 'sdk-desk-ready');

    // Wei Li calls the hotline and picks presales: the CRM pops her record.
    const call = await world.sim.placeCall({ from: '13912345678', to: DEMO_NUMBER });
    await call.expectPrompt(/press 1/);
    call.press('1');
    await poll(() =>
      page
        .getByTestId('pop-name')
        .innerText()
        .catch(() => ''),
    ).toBe('Wei Li');
    const callIn = (await events(page)).find((e) => e.name === 'callIn')!.data;
    expect(callIn).toMatchObject({ type: 'phone', callerPhoneNumber: '13912345678', protectedCaller: false });
    expect(callIn.timeout).toBe(120);
    await poll(() => frame.getByTestId('offer-card').isVisible()).toBe(true);
    await world.screenshot(page, 'sdk-desk-call-in');
    const sessionId = callIn.sessionId as string;
    const call_ = (method: string, extra = '') =>
      js(page, `switchboard.Call.${method}({ sessionId: ${JSON.stringify(sessionId)}${extra} })`);

    // Answered from the CRM: the embedded phone picks up, the customer is connected.
    await call_('accept');
    await poll(async () => (await events(page)).map((e) => e.name)).toContain('userAccessed');
    await poll(() => frame.getByTestId('control-hangup').isVisible()).toBe(true);
    expect(await call_('isMicMuted')).toBe(false);
    await call_('muteMic');
    expect(await call_('isMicMuted')).toBe(true);
    const session = async () =>
      (await world.t.request('GET', `/api/v1/sessions/${sessionId}`, { token: await world.token('agent1') })).body as {
        held: boolean;
        agentMuted: boolean;
      };
    expect((await session()).agentMuted).toBe(true);
    await call_('unmuteMic');
    expect(await call_('isMicMuted')).toBe(false);
    await call_('hold');
    await poll(async () => (await session()).held).toBe(true);
    await call_('unHold');
    await poll(async () => (await session()).held).toBe(false);
    // Acting on a session the agent does not have is refused with a code.
    const refused = await js<string>(
      page,
      `switchboard.Call.hold({ sessionId: '00000000-0000-0000-0000-000000000000' }).then(() => 'ok', (e) => e.code)`,
    );
    expect(refused).toBe('no_such_session');
    await world.screenshot(page, 'sdk-desk-on-call');

    // Hung up by the agent; the wrap-up is finished from the CRM too.
    await call_('hungUp');
    await poll(async () => (await events(page)).find((e) => e.name === 'sessionEnded')?.data).toEqual({
      sessionId,
      closeBy: 'seat',
    });
    await poll(() => js(page, `switchboard.Agent.getStatus().then((s) => s.status)`)).toBe('arrange');
    await call_('deleteCall');
    await poll(async () => (await events(page)).map((e) => e.name)).toContain('sessionCompleted');
    await poll(() => js(page, `switchboard.Agent.getStatus().then((s) => s.status)`)).toBe('free');

    // In order: signed in, offered, answered, ended, completed.
    const order = (await events(page))
      .filter((e) => e.name !== 'statusChanged')
      .map((e) => (e.data.sessionId ? `${e.name}:${e.data.sessionId === sessionId ? 'call' : 'other'}` : e.name));
    expect(order).toEqual(['ready', 'callIn:call', 'userAccessed:call', 'sessionEnded:call', 'sessionCompleted:call']);
    const statuses = (await events(page)).filter((e) => e.name === 'statusChanged').map((e) => e.data.status);
    expect(statuses).toEqual(expect.arrayContaining(['busy', 'arrange', 'free']));

    // The agent goes offline and online again from the CRM.
    await js(page, 'switchboard.Agent.offline()');
    expect(await js(page, `switchboard.Agent.getStatus().then((s) => s.status)`)).toBe('offline');
    await js(page, 'switchboard.Agent.online()');
    expect(await js(page, `switchboard.Agent.getStatus().then((s) => s.status)`)).not.toBe('offline');
  });

  it('[SDK-01] [EV-08] [SDK-15] [SDK-16] click-to-dial calls the customer through the embedded phone; the workbench hides and shows', async () => {
    const { page, frame } = await openDesk();
    await poll(() => js(page, `switchboard.Agent.getStatus().then((s) => s.status)`)).toBe('free');
    if ((await js(page, `switchboard.Agent.getStatus().then((s) => s.status)`)) !== 'free') {
      await js(page, `switchboard.Agent.setStatus({ status: 'free' })`);
    }
    const customer = world.sim.phone('13812345678');
    await page.getByTestId('dial-c-1002').click();
    await poll(async () => (await events(page)).map((e) => e.name)).toContain('callOuted');
    const outed = (await events(page)).find((e) => e.name === 'callOuted')!.data;
    expect(outed.calleePhoneNumber).toBe('13812345678');
    const ring = await customer.nextRing({ timeoutMs: 30_000 });
    ring.answer();
    await poll(async () => (await events(page)).find((e) => e.name === 'calloutAccepted')?.data).toEqual({
      sessionId: outed.sessionId,
    });

    // Hidden, the call goes on; shown again, it is there.
    await page.getByTestId('toggle').click();
    await poll(() => page.getByTestId('workbench').isVisible()).toBe(false);
    await world.screenshot(page, 'sdk-desk-hidden');
    await page.getByTestId('toggle').click();
    await poll(() => page.getByTestId('workbench').isVisible()).toBe(true);
    await poll(() => frame.getByTestId('control-hangup').isVisible()).toBe(true);
    await js(page, `switchboard.Call.hungUp({ sessionId: ${JSON.stringify(outed.sessionId)} })`);
    await poll(async () => (await events(page)).some((e) => e.name === 'sessionEnded')).toBe(true);
    await poll(() => js(page, `switchboard.Agent.getStatus().then((s) => s.status)`)).toBe('arrange');
    await js(page, `switchboard.Call.deleteCall({ sessionId: ${JSON.stringify(outed.sessionId)} })`);
    await poll(() => js(page, `switchboard.Agent.getStatus().then((s) => s.status)`)).toBe('free');
  });

  it('[INT-01] [EV-02] a foreign origin can neither frame the workbench nor be heard by it; a used token is refused', async () => {
    const { page } = await openDesk();
    // A fresh, valid login token: a foreign window posts it (and a dial request) to the workbench.
    const spare = await world.t.request('POST', '/api/v1/sdk/login-tokens', {
      token: apiKey,
      body: { seatUserId: demoUser('agent1').email },
    });
    expect(spare.status).toBe(201);
    foreignPages.set(
      '/attack',
      `<!doctype html><title>attack</title><script>
        const frame = window.opener.frames[0];
        const m = (x) => Object.assign({ protocol: 'switchboard-sdk/1' }, x);
        frame.postMessage(m({ type: 'login', token: ${JSON.stringify(spare.body.token)} }), '*');
        frame.postMessage(m({ type: 'request', id: 1, method: 'Call.startOutboundCall', params: { phoneNumber: '13700001111' } }), '*');
        document.title = 'sent';
      </script>`,
    );
    const popup = await Promise.all([
      page.waitForEvent('popup'),
      js(page, `void window.open(${JSON.stringify(`${foreignUrl}/attack`)}, 'attack')`),
    ]).then(([p]) => p);
    await poll(() => popup.title()).toBe('sent');
    // The host's own request after them is answered: the workbench has read its messages.
    expect(await js(page, `switchboard.Agent.getStatus().then((s) => s.status)`)).toBe('free');
    const dialled = await world.t.app.database.pool.query(
      `select 1 from call_sessions where direction = 'outbound' and callee = '13700001111'`,
    );
    expect(dialled.rowCount).toBe(0);
    // The token it posted was never used: it still signs in once.
    const trade = await world.t.request('POST', '/api/v1/sdk/login', { body: { token: spare.body.token } });
    expect(trade.status).toBe(200);
    // Used now: the desk that tries it again hears tokenExpired (EV-02) and init rejects.
    const again = await js<string>(
      page,
      `(switchboard.destroy(), switchboard.init({ sdkUrl: ${JSON.stringify(spare.body.sdkUrl)}, token: ${JSON.stringify(spare.body.token)}, container: document.getElementById('workbench') })).then(() => 'ready', (e) => e.code)`,
    );
    expect(again).toBe('token_expired');
    const expired = (await events(page)).filter((e) => e.name === 'tokenExpired');
    expect(expired).toHaveLength(1);
    expect(String(expired[0]!.data.message)).toMatch(/SDK/);

    // A foreign page that embeds the workbench with the SDK is refused by the browser (CSP).
    const fresh = await world.t.request('POST', '/api/v1/sdk/login-tokens', {
      token: apiKey,
      body: { seatUserId: demoUser('agent1').email },
    });
    foreignPages.set(
      '/embed',
      `<!doctype html><title>embed</title><script src="${crm.url}/sdk/switchboard-sdk.umd.js"></script><script>
        switchboard.init({ sdkUrl: ${JSON.stringify(fresh.body.sdkUrl)}, token: ${JSON.stringify(fresh.body.token)}, initTimeoutMs: 3000 })
          .then(() => (document.title = 'ready'), (e) => (document.title = e.code));
      </script>`,
    );
    // Its own context: the refusal it shows is expected, not a problem of our pages.
    const context = await world.browser.newContext();
    try {
      const other = await context.newPage();
      const refusals: string[] = [];
      other.on('console', (m) => {
        if (/frame-ancestors/.test(m.text())) refusals.push(m.text());
      });

      await other.goto(`${foreignUrl}/embed`);
      await poll(() => refusals.length).toBeGreaterThan(0);
      expect(refusals[0]).toContain(new URL(crm.url).origin);
      await poll(() => other.title()).toBe('load_failed');
    } finally {
      await context.close();
    }
    // Never framed, never signed in: the token is still good.
    const unused = await world.t.request('POST', '/api/v1/sdk/login', { body: { token: fresh.body.token } });
    expect(unused.status).toBe(200);
  });

  it('[SDK-08] [SDK-09] [SDK-18] [SDK-19] [EV-05] transfers a call to a colleague and calls one; an offer left ringing is routed on; lists the devices the workbench sees', async () => {
    const admin = await world.token('admin');
    const agent2Token = await world.token('agent2');
    const agent2Id = (await world.t.request('GET', '/api/v1/auth/me', { token: agent2Token })).body.id as string;
    const setAgent2 = async (state: 'idle' | 'notReady') => {
      const r = await world.t.request('PUT', '/api/v1/agents/me/state', { token: agent2Token, body: { state } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    };
    // Agent Two works in the full workbench; not ready until the call is theirs to take.
    const colleague = await world.page();
    await world.signIn(colleague, 'agent2');
    await poll(() => colleague.getByTestId('phone-status').getAttribute('data-state')).toBe('registered');
    await setAgent2('notReady');

    const { page } = await openDesk();
    // The devices are the workbench's (its origin holds the microphone permission).
    const workbench = page.frames().find((f) => f.url().includes('/embed/'))!;
    const seen = (kind: string) =>
      workbench.evaluate(
        `navigator.mediaDevices.enumerateDevices().then((all) => all.filter((d) => d.kind === ${JSON.stringify(kind)} && d.deviceId !== '').map((d) => d.deviceId))`,
      ) as Promise<string[]>;
    const ids = (list: Array<{ deviceId: string }>) => list.map((d) => d.deviceId);
    expect(ids(await js(page, 'switchboard.Devices.getMicrophones()'))).toEqual(await seen('audioinput'));
    expect(ids(await js(page, 'switchboard.Devices.getSpeakers()'))).toEqual(await seen('audiooutput'));

    // A call the agent answered goes to Agent Two (SDK-09).
    const call = await world.sim.placeCall({ from: '13700001111', to: DEMO_NUMBER });
    await call.expectPrompt(/press 1/);
    call.press('1');
    await poll(async () => (await events(page)).filter((e) => e.name === 'callIn').length).toBe(1);
    const sessionId = (await events(page)).find((e) => e.name === 'callIn')!.data.sessionId as string;
    await js(page, `switchboard.Call.accept({ sessionId: ${JSON.stringify(sessionId)} })`);
    await poll(async () => (await events(page)).some((e) => e.name === 'userAccessed')).toBe(true);
    await setAgent2('idle');
    await js(
      page,
      `switchboard.Call.transfer({ sessionId: ${JSON.stringify(sessionId)}, userId: ${JSON.stringify(agent2Id)} })`,
    );
    await poll(() => colleague.getByTestId('offer-card').isVisible()).toBe(true);
    await poll(async () => (await events(page)).find((e) => e.name === 'sessionEnded')?.data).toEqual({
      sessionId,
      closeBy: 'seat',
    });
    call.hangup();
    await poll(() => colleague.getByTestId('offer-card').isVisible()).toBe(false);
    await poll(() => js(page, `switchboard.Agent.getStatus().then((s) => s.status)`)).toBe('arrange');
    await js(page, `switchboard.Call.deleteCall({ sessionId: ${JSON.stringify(sessionId)} })`);
    await poll(() => js(page, `switchboard.Agent.getStatus().then((s) => s.status)`)).toBe('free');

    // Agent Two by staff number (SDK-08): their workbench rings with Agent One calling.
    await poll(async () => (await world.t.request('GET', '/api/v1/agents/me', { token: agent2Token })).body.state).toBe(
      'idle',
    );
    const internal = await js<{ sessionId: string }>(
      page,
      `switchboard.Call.startInternalCall({ calleeUserId: '3002' })`,
    );
    expect(internal.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    await poll(() => colleague.getByTestId('offer-card').isVisible()).toBe(true);
    expect(await colleague.getByTestId('offer-card').innerText()).toContain('Agent One');
    await colleague.getByTestId('offer-reject').click();
    await poll(() => colleague.getByTestId('offer-card').isVisible()).toBe(false);
    // The call Agent One placed ended: their wrap-up, which they end from the CRM.
    await poll(() => js(page, `switchboard.Agent.getStatus().then((s) => s.status)`)).toBe('arrange');
    await js(page, `switchboard.Agent.setStatus({ status: 'free' })`);
    await poll(() => js(page, `switchboard.Agent.getStatus().then((s) => s.status)`)).toBe('free');

    // Nobody answers (EV-05): after the group's ring time the offer goes on.
    await setAgent2('notReady');
    const groups = (await world.t.request('GET', '/api/v1/skill-groups', { token: admin })).body.items as Array<{
      id: string;
    }>;
    const ring = async (ringTimeoutSeconds: number) => {
      for (const g of groups) {
        const r = await world.t.request('PATCH', `/api/v1/skill-groups/${g.id}`, {
          token: admin,
          body: { ringTimeoutSeconds },
        });
        expect(r.status).toBe(200);
      }
    };
    await ring(5);
    try {
      const unanswered = await world.sim.placeCall({ from: '13912345678', to: DEMO_NUMBER });
      await unanswered.expectPrompt(/press 1/);
      unanswered.press('1');
      await poll(async () => (await events(page)).filter((e) => e.name === 'callIn').length).toBe(2);
      const missed = (await events(page)).filter((e) => e.name === 'callIn')[1]!.data.sessionId;
      await poll(async () => (await events(page)).find((e) => e.name === 'autoTransfer')?.data).toEqual({
        sessionId: missed,
      });
      unanswered.hangup();
    } finally {
      await ring(120);
    }
  });
});
