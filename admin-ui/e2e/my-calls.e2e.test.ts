/**
 * "My calls" in a real browser against the real server (W8, REC-01, REC-05, REC-06, RT-07): a
 * call the agent took through the simulator — IVR, queue, their (simulated) phone, notes,
 * recording — appears in their list with the customer's number masked (the tenant protects
 * numbers), the filters live in the URL and survive a reload, and the recording plays, seeks
 * and downloads as MP3.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_NUMBER } from '../../core/src/demo/call-center.js';
import { simulatedPause, until } from '../../jambonz-apps/test/support/harness.js';
import { useUiWorld } from './support/ui-world.js';

const world = useUiWorld({ tenantSettings: { numberProtection: true } });
const CUSTOMER = '13912345678';
const MASKED = '139****5678';

/** Polls a browser-side value generously: the machine may be busy. */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 100 });

/** No sideways scrolling at the page's size (ui-anchors R19: 1280×720). */
async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
}

async function audioState(page: Page) {
  return page.getByTestId('recording-audio').evaluate((el) => {
    const a = el as unknown as { currentTime: number; paused: boolean; duration: number; readyState: number };
    return { time: a.currentTime, paused: a.paused, duration: a.duration, ready: a.readyState };
  });
}

describe('my calls', () => {
  it('[REC-05] [REC-06] [RT-07] a call I took is listed masked, with my notes; its recording plays, seeks and downloads', async () => {
    const page = await world.page();
    await world.signIn(page, 'agent1');
    await poll(() => page.getByTestId('agent-status-button').getAttribute('data-state')).toBe('idle');
    const token = await world.token('agent1');

    // A customer calls the demo number, presses 1 and is put through to Agent One's phone.
    const phone = world.sim.registerUser('agent1');
    const call = await world.sim.placeCall({ from: CUSTOMER, to: DEMO_NUMBER });
    await call.expectPrompt(/press 1/, { timeoutMs: 30_000 });
    call.press('1');
    const leg = (await phone.nextRing({ timeoutMs: 30_000 })).answer();
    const sessionId = await until(async () => {
      const me = await world.t.request('GET', '/api/v1/agents/me', { token });
      return me.body.state === 'busy' ? (me.body.currentSessionId as string) : undefined;
    }, 'Agent One on the call');
    const note = 'Wants the yearly plan; call back after 5 pm';
    expect(
      (await world.t.request('PUT', `/api/v1/sessions/${sessionId}/notes`, { token, body: { notes: note } })).status,
    ).toBe(200);
    // Some talk, then the customer hangs up.
    await simulatedPause(world.sim, 4000, 30_000);
    call.hangup();
    await leg.ended;
    const recordingId = await until(
      async () => {
        const r = await world.t.request('GET', `/api/v1/records/${sessionId}`, { token });
        const ready = (r.body.recordings as Array<{ id: string; status: string }> | undefined)?.find(
          (p) => p.status === 'ready',
        );
        return ready?.id;
      },
      'the record and its recording',
      30_000,
    );

    // The list: the customer's number masked, the note, connected, the talk time.
    await page.getByTestId('menu-my-calls').click();
    await page.waitForURL(/\/workbench\/my-calls$/);
    const row = page.locator('[data-testid="my-calls-table"] tbody tr').first();
    await poll(() => row.locator('[data-testid="row-number"]').innerText()).toBe(MASKED);
    expect(await page.content()).not.toContain(CUSTOMER);
    expect(await row.innerText()).toContain(note);
    expect(await row.getByTestId('row-result').innerText()).toBe('已接通');
    await world.screenshot(page, 'my-calls-zh');
    await world.expectAccessible(page, 'my calls');
    expect(await fitsWidth(page)).toBe(true);

    // Filters live in the URL: outbound only (none), kept over a reload; cleared again.
    await page.getByTestId('filter-direction').click();
    await page.locator('.t-select-option', { hasText: '呼出' }).click();
    await page.waitForURL(/direction=outbound/);
    await poll(() => page.locator('[data-testid="my-calls-table"] tbody tr [data-testid="row-number"]').count()).toBe(
      0,
    );
    await page.reload();
    await poll(() => page.getByTestId('filter-clear').count()).toBe(1);
    expect(await page.getByTestId('filter-direction').locator('input').inputValue()).toBe('呼出');
    await world.screenshot(page, 'my-calls-filtered-empty-zh');
    await world.expectAccessible(page, 'my calls, nothing matches');
    await page.getByTestId('filter-clear').click();
    await page.waitForURL(/\/workbench\/my-calls$/);
    await poll(() => row.locator('[data-testid="row-number"]').innerText()).toBe(MASKED);

    // The recording: play, then seek with the progress bar and with the keyboard. The audio
    // element plays a signed link itself, asking for byte ranges (HTTP 206), not a blob.
    const media: Array<{ range: string | null; status: number }> = [];
    page.on('response', (res) => {
      if (!/\/api\/v1\/recordings\/[^/]+\/media\?/.test(res.url())) return;
      void res
        .request()
        .allHeaders()
        .then((h) => media.push({ range: h['range'] ?? null, status: res.status() }));
    });
    await row.getByTestId('row-play').click();
    const player = page.getByTestId('recording-player');
    await poll(() => player.getAttribute('data-ready')).toBe('true');
    await poll(async () => (await audioState(page)).ready).toBeGreaterThanOrEqual(1);
    const { duration } = await audioState(page);
    expect(duration).toBeGreaterThan(3);
    await page.getByTestId('player-toggle').click();
    await poll(async () => (await audioState(page)).time).toBeGreaterThan(0.2);
    expect((await audioState(page)).paused).toBe(false);
    await world.screenshot(page, 'my-calls-player-zh');
    await world.expectAccessible(page, 'call detail with player');

    const target = duration / 2;
    await page.getByTestId('player-seek').evaluate((el, v) => {
      (el as unknown as { value: string }).value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, target);
    await poll(async () => Math.abs((await audioState(page)).time - target) < 1).toBe(true);
    await page.getByTestId('player-toggle').click();
    await poll(async () => (await audioState(page)).paused).toBe(true);
    // The keyboard: the arrow keys step 5 s (clamped to the recording).
    await page.getByTestId('player-seek').focus();
    await page.keyboard.press('ArrowLeft');
    const back = Math.max(0, target - 5);
    await poll(async () => Math.abs((await audioState(page)).time - back) < 1).toBe(true);
    await page.keyboard.press('ArrowRight');
    await poll(async () => Math.abs((await audioState(page)).time - Math.min(duration, back + 5)) < 1).toBe(true);
    await poll(() => page.getByTestId('player-time').innerText()).toMatch(/^\d\d:\d\d \/ \d\d:\d\d$/);
    expect(await page.getByTestId('recording-audio').getAttribute('src')).toMatch(/\/media\?t=/);
    expect(media.length).toBeGreaterThan(0);
    expect(media.filter((m) => m.range?.startsWith('bytes=') && m.status === 206).length).toBeGreaterThan(0);

    // Download as MP3: the same bytes the server serves.
    const download = page.waitForEvent('download');
    await page.getByTestId('player-download').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`${sessionId}-${recordingId}.mp3`);
    const bytes = await readFile((await file.path())!);
    const served = Buffer.from(
      await (
        await fetch(`${world.t.url}/api/v1/recordings/${recordingId}`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).arrayBuffer(),
    );
    expect(bytes.equals(served)).toBe(true);
    // A whole call, its recording and the list: minutes on a busy shared machine, seconds on a quiet one.
  }, 240_000);
});
