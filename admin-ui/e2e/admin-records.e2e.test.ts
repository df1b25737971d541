/**
 * Service records in a real browser against the real server (REC-01, REC-05, REC-06): a customer
 * calls the demo hotline through the simulator, presses 1, talks to Agent One and is recorded;
 * the admin finds the call with a number filter (kept in the URL over a reload), opens its
 * drawer (legs, key trail), plays the recording and seeks, downloads the MP3, and exports the
 * filtered list as CSV, whose rows are exactly that call.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_NUMBER } from '../../core/src/demo/call-center.js';
import { simulatedPause, until } from '../../jambonz-apps/test/support/harness.js';
import { useUiWorld } from './support/ui-world.js';

const world = useUiWorld();
const CUSTOMER = '13955501234';

/** Polls a browser-side value generously: the machine may be busy. */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 100 });

async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
}

async function audioState(page: Page) {
  return page.getByTestId('recording-audio').evaluate((el) => {
    const a = el as unknown as { currentTime: number; paused: boolean; duration: number; readyState: number };
    return { time: a.currentTime, paused: a.paused, duration: a.duration, ready: a.readyState };
  });
}

describe('service records', () => {
  it('[REC-01] [REC-05] [REC-06] the admin finds a recorded call by number, plays and seeks it, downloads the MP3 and exports CSV', async () => {
    // Agent One is ready; their (simulated) phone takes the call.
    const agentToken = await world.token('agent1');
    const phone = world.sim.registerUser('agent1');
    const ready = await world.t.request('PUT', '/api/v1/agents/me/state', {
      token: agentToken,
      body: { state: 'idle' },
    });
    expect(ready.status, JSON.stringify(ready.body)).toBe(200);

    const call = await world.sim.placeCall({ from: CUSTOMER, to: DEMO_NUMBER });
    await call.expectPrompt(/press 1/, { timeoutMs: 30_000 });
    call.press('1');
    const leg = (await phone.nextRing({ timeoutMs: 30_000 })).answer();
    const sessionId = await until(async () => {
      const me = await world.t.request('GET', '/api/v1/agents/me', { token: agentToken });
      return me.body.state === 'busy' ? (me.body.currentSessionId as string) : undefined;
    }, 'Agent One on the call');
    const note = 'Asked about the annual plan';
    await world.t.request('PUT', `/api/v1/sessions/${sessionId}/notes`, { token: agentToken, body: { notes: note } });
    await simulatedPause(world.sim, 4000, 30_000);
    call.hangup();
    await leg.ended;
    const admin = await world.token('admin');
    const recordingId = await until(
      async () => {
        const r = await world.t.request('GET', `/api/v1/records/${sessionId}`, { token: admin });
        return (r.body.recordings as Array<{ id: string; status: string }> | undefined)?.find(
          (p) => p.status === 'ready',
        )?.id;
      },
      'the record and its recording',
      30_000,
    );

    // The admin opens the service records from the console menu.
    const page = await world.page();
    await world.signIn(page, 'admin');
    await page.getByTestId('menu-admin-records').click();
    await page.waitForURL(/\/admin\/records$/);
    const rows = page.locator('[data-testid="records-table"] tbody tr');
    await poll(() => rows.locator('[data-testid="row-number"]').first().innerText()).toBe(CUSTOMER);
    const first = rows.first();
    expect(await first.innerText()).toContain(note);
    expect(await first.getByTestId('row-status').innerText()).toBe('已接通');
    expect(await first.getByTestId('row-agent').innerText()).toMatch(/·/);
    await world.screenshot(page, 'admin-records-zh');
    await world.expectAccessible(page, 'service records');
    expect(await fitsWidth(page)).toBe(true);

    // A number filter, applied on the server and kept in the URL over a reload.
    await page.getByTestId('filter-number').locator('input').fill('5501234');
    await page.getByTestId('filter-number').locator('input').press('Enter');
    await page.waitForURL(/number=5501234/);
    await poll(() => page.getByTestId('records-total').innerText()).toBe('共 1 条记录');
    await page.reload();
    await poll(() => page.getByTestId('filter-number').locator('input').inputValue()).toBe('5501234');
    await poll(() => rows.locator('[data-testid="row-number"]').count()).toBe(1);
    // A filter that matches nothing shows the filtered empty state.
    await page.getByTestId('filter-direction').click();
    await page.locator('.t-select-option', { hasText: '呼出' }).click();
    await page.waitForURL(/direction=outbound/);
    await page.getByTestId('records-empty').waitFor();
    await world.screenshot(page, 'admin-records-empty-zh');
    await world.expectAccessible(page, 'service records, nothing matches');
    await page.goBack();
    await page.waitForURL((u) => !u.search.includes('direction'));
    await poll(() => rows.locator('[data-testid="row-number"]').count()).toBe(1);

    // The drawer: legs, key trail, the recording.
    await rows.first().getByTestId('row-open').click();
    const drawer = page.getByTestId('call-detail');
    await drawer.getByTestId('detail-legs').waitFor();
    expect(await drawer.getByTestId('ivr-trail').innerText()).toContain('Presales');
    expect(await drawer.getByTestId('detail-legs').innerText()).toContain('客服');
    const player = page.getByTestId('recording-player');
    await poll(() => player.getAttribute('data-ready')).toBe('true');
    await poll(async () => (await audioState(page)).ready).toBeGreaterThanOrEqual(1);
    const { duration } = await audioState(page);
    expect(duration).toBeGreaterThan(3);
    await page.getByTestId('player-toggle').click();
    await poll(async () => (await audioState(page)).time).toBeGreaterThan(0.2);
    const target = duration / 2;
    await page.getByTestId('player-seek').evaluate((el, v) => {
      (el as unknown as { value: string }).value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, target);
    await poll(async () => Math.abs((await audioState(page)).time - target) < 1).toBe(true);
    await page.getByTestId('player-toggle').click();
    await poll(async () => (await audioState(page)).paused).toBe(true);
    await world.screenshot(page, 'admin-records-drawer-zh');
    await world.expectAccessible(page, 'service record drawer');

    // The MP3: the bytes the server serves.
    const mp3 = page.waitForEvent('download');
    await page.getByTestId('player-download').click();
    const file = await mp3;
    expect(file.suggestedFilename()).toBe(`${sessionId}-${recordingId}.mp3`);
    const served = Buffer.from(
      await (
        await fetch(`${world.t.url}/api/v1/recordings/${recordingId}`, {
          headers: { authorization: `Bearer ${admin}` },
        })
      ).arrayBuffer(),
    );
    expect((await readFile((await file.path())!)).equals(served)).toBe(true);
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    // Export the filtered list as CSV: Chinese headers, exactly that call.
    const csv = page.waitForEvent('download');
    await page.getByTestId('export-csv').click();
    const exported = await csv;
    expect(exported.suggestedFilename()).toMatch(/^records_start_\d{4}-\d{2}-\d{2}\.csv$/);
    const text = (await readFile((await exported.path())!)).toString('utf8');
    const table = parse(text.replace(/^\uFEFF/, '')) as string[][];
    expect(table[0]!.slice(0, 3)).toEqual(['时间', '呼叫类型', '主叫号码/主叫ID']);
    expect(table).toHaveLength(2);
    const row = Object.fromEntries(table[0]!.map((h, i) => [h, table[1]![i]]));
    expect(row).toMatchObject({
      呼叫类型: '呼入',
      '主叫号码/主叫ID': CUSTOMER,
      服务号码: DEMO_NUMBER,
      备注: note,
      接入状态: '已接通',
      技能组: 'presales',
      挂断方: '客户',
      会话ID: sessionId,
    });
    await page.locator('.t-message', { hasText: '已导出' }).waitFor();
    await world.screenshot(page, 'admin-records-exported-zh');

    // The same screen in English, straight from a shared link with the filter.
    const en = await world.page({ locale: 'en' });
    await world.signIn(en, 'supervisor');
    await en.goto(`${world.url}/admin/records?number=5501234`);
    await poll(() => en.getByTestId('records-total').innerText()).toBe('Records: 1');
    expect(await en.locator('[data-testid="records-table"] tbody tr').first().innerText()).toContain('Connected');
    await world.screenshot(en, 'admin-records-en');
    await world.expectAccessible(en, 'service records (English)');
    expect(await fitsWidth(en)).toBe(true);
  }, 300_000);
});
