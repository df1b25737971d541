/**
 * The console's home and agents page in a real browser against the real server (issue 11 item
 * 3): an admin bulk-imports agents from an XLSX file — one bad row is reported and nothing
 * changes, a good file adds them (ADM-09); adds one agent whose random password arrives at a
 * real SMTP server started here (ADM-08); forces an agent offline (ADM-12) and resets a password
 * (ADM-13); a supervisor sees the list without any write control (ADM-11). axe on each screen,
 * screenshots in `admin-ui/e2e/artifacts/`.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoUser, useUiWorld } from './support/ui-world.js';

/** Waits for a condition on a busy machine (2 cores shared): generous, never a fixed sleep. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000 });

/** Messages the SMTP server accepted. */
const inbox: ParsedMail[] = [];
const recipient = (m: ParsedMail) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address ?? '';
const passwordIn = (m: ParsedMail) => /^Password: (\S+)$/m.exec(m.text ?? '')?.[1];
/** The newest message to `to` after the first `after` messages, once it has arrived. */
async function mailTo(to: string, after = 0): Promise<ParsedMail> {
  let got: ParsedMail | undefined;
  await expect
    .poll(() => (got = inbox.slice(after).find((m) => recipient(m) === to)), { timeout: 60_000 })
    .toBeDefined();
  return got!;
}

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onData(stream, _session, cb) {
    simpleParser(stream).then(
      (m) => {
        inbox.push(m);
        cb();
      },
      (err: Error) => cb(err),
    );
  },
});
let smtpPort = 0;

// Registered before the world's hooks, so the server under test starts with this SMTP_URL.
beforeAll(async () => {
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((r) => smtp.close(() => r()));
});

const world = useUiWorld({ env: () => ({ SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, MAIL_FROM: 'cc@demo.test' }) });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agents-e2e-'));
});

/** An XLSX file with these rows (the first is the header), written for the file chooser. */
async function xlsxFile(name: string, rows: unknown[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Agents');
  for (const r of rows) ws.addRow(r);
  const file = join(dir, name);
  await writeFile(file, Buffer.from(await wb.xlsx.writeBuffer()));
  return file;
}

async function apiTotal(q = ''): Promise<number> {
  const res = await world.t.request('GET', `/api/v1/agents?pageSize=1${q}`, { token: await world.token('admin') });
  return res.body.total as number;
}

/** The staff numbers the table shows, in order. */
const shownStaffNos = (page: Page) => page.getByTestId('row-staff-no').allTextContents();

/** Picks an option of a TDesign select (its popup is attached to the body). */
async function choose(page: Page, testId: string, label: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.locator('.t-select-option', { hasText: label }).first().click();
}

// Whole journeys through a real browser and server on a shared 2-core machine: minutes, not seconds.
describe('console home and agents', { timeout: 300_000 }, () => {
  it('[ADM-09] an XLSX with one bad row is reported row by row and changes nothing; a good file adds the agents', async () => {
    const page = await world.page({ locale: 'en' });
    await world.signIn(page, 'admin');

    // Home: tenant, edition, counts from the API, and a link to the agents page.
    await poll(() => page.getByTestId('home-tenant-name').textContent()).toBe('Demo Contact Center');
    expect(await page.getByTestId('home-edition').textContent()).toContain('Advanced');
    const before = await apiTotal();
    await poll(() => page.getByTestId('home-count-agents').textContent()).toContain(String(before));
    await poll(() => page.getByTestId('home-count-groups').textContent()).toContain('2');
    await world.screenshot(page, 'admin-home');
    await world.expectAccessible(page, 'console home');
    await page.getByTestId('home-link-admin-agents').click();
    await page.waitForURL(/\/admin\/agents$/);
    await poll(() => page.getByTestId('agents-total').textContent()).toContain(`Total: ${before}`);
    await poll(() => shownStaffNos(page)).toContain('3001');
    await world.screenshot(page, 'admin-agents-list');
    await world.expectAccessible(page, 'agents list');

    // A file with one bad row: that row's error, and nothing imported.
    await page.getByTestId('agents-import').click();
    await page.getByTestId('agent-import').waitFor();
    await world.expectAccessible(page, 'import dialog');
    const bad = await xlsxFile('bad.xlsx', [
      ['name', 'email', 'staffNo', 'mobile', 'skillGroups'],
      ['Li Na', 'li.na@demo.test', '5001', '13900005001', 'presales'],
      ['Zhou Jie', 'not-an-email', '5002', '', 'presales'],
      ['Wu Lei', 'wu.lei@demo.test', '5003', '', 'after-sales'],
    ]);
    await page.getByTestId('agent-import-file').setInputFiles(bad);
    await poll(() => page.getByTestId('agent-import-name').textContent()).toContain('bad.xlsx');
    await page.getByTestId('agent-import-submit').click();
    const report = page.getByTestId('agent-import-report');
    await report.waitFor();
    expect(await page.getByTestId('agent-import-problems').textContent()).toContain('1 problem(s)');
    const cells = await report.locator('tbody tr').first().locator('td').allTextContents();
    expect(cells).toEqual(['3', 'email', 'must be an email address']);
    await world.screenshot(page, 'admin-agents-import-report');
    await world.expectAccessible(page, 'import report');
    expect(await apiTotal()).toBe(before);
    expect(await apiTotal('&q=5001')).toBe(0);

    // The fixed file: all three agents, the list shows them.
    const good = await xlsxFile('good.xlsx', [
      ['姓名', '邮箱', '工号', '手机', '技能组'],
      ['Li Na', 'li.na@demo.test', '5001', '13900005001', 'presales'],
      ['Zhou Jie', 'zhou.jie@demo.test', '5002', '', 'presales'],
      ['Wu Lei', 'wu.lei@demo.test', '5003', '', 'after-sales'],
    ]);
    await page.getByTestId('agent-import-file').setInputFiles(good);
    await page.getByTestId('agent-import-submit').click();
    await page.getByTestId('agent-import').waitFor({ state: 'hidden' });
    await poll(() => page.getByTestId('agents-total').textContent()).toContain(`Total: ${before + 3}`);
    expect(await apiTotal()).toBe(before + 3);
    // Every new agent got their password by mail.
    for (const email of ['li.na@demo.test', 'zhou.jie@demo.test', 'wu.lei@demo.test']) {
      expect(passwordIn(await mailTo(email))).toEqual(expect.any(String));
    }

    // ADM-11: search and the group filter go to the server and live in the URL.
    await page.getByTestId('agents-search').locator('input').fill('500');
    await page.getByTestId('agents-search').locator('input').press('Enter');
    await page.waitForURL(/[?&]q=500/);
    await poll(() => shownStaffNos(page)).toEqual(['5001', '5002', '5003']);
    await choose(page, 'agents-filter-group', 'presales');
    await page.waitForURL(/skillGroupId=/);
    await poll(() => shownStaffNos(page)).toEqual(['5001', '5002']);
    await page.reload();
    await poll(() => shownStaffNos(page)).toEqual(['5001', '5002']);
    expect(await page.getByTestId('agents-search').locator('input').inputValue()).toBe('500');
  });

  it('[ADM-08] an admin adds one agent in the drawer; the random password arrives at the SMTP server and signs them in', async () => {
    const page = await world.page({ locale: 'en' });
    await world.signIn(page, 'admin');
    await page.goto(`${world.url}/admin/agents`);
    await page.getByTestId('agents-add').click();
    await page.getByTestId('agent-form').waitFor();
    await page.getByTestId('agent-form-name').locator('input').fill('Chen Jing');
    await page.getByTestId('agent-form-staff-no').locator('input').fill('6001');
    await page.getByTestId('agent-form-email').locator('input').fill('chen.jing@demo.test');
    await page.getByTestId('agent-form-mobile').locator('input').fill('13900006001');
    await page.getByTestId('agent-form-groups').getByText('after-sales').click();
    await world.screenshot(page, 'admin-agents-add');
    await world.expectAccessible(page, 'add agent drawer');
    const seen = inbox.length;
    await page.getByTestId('agent-form-submit').click();
    await page.locator('.t-message', { hasText: 'the password was mailed to chen.jing@demo.test' }).waitFor();

    const mail = await mailTo('chen.jing@demo.test', seen);
    const password = passwordIn(mail)!;
    const login = await world.t.login('chen.jing@demo.test', password);
    expect(login.status).toBe(200);
    expect(login.body.user.role).toBe('agent');

    // The new row, with its group; a second agent with that staff number is refused with the server's words.
    await page.getByTestId('agents-search').locator('input').fill('6001');
    await page.getByTestId('agents-search').locator('input').press('Enter');
    await poll(() => shownStaffNos(page)).toEqual(['6001']);
    expect(await page.getByTestId('row-groups').first().textContent()).toContain('after-sales');
    await page.getByTestId('agents-add').click();
    await page.getByTestId('agent-form-name').locator('input').fill('Chen Two');
    await page.getByTestId('agent-form-staff-no').locator('input').fill('6001');
    await page.getByTestId('agent-form-email').locator('input').fill('chen.two@demo.test');
    await page.getByTestId('agent-form-submit').click();
    await page.locator('.t-message', { hasText: 'A user with this staffNo already exists' }).waitFor();
    expect(await apiTotal('&q=chen.two')).toBe(0);

    // Edit: a new name and no groups.
    await page.getByTestId('agent-form').getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('agent-form').waitFor({ state: 'hidden' });
    await page.getByTestId('row-edit').first().click();
    await page.getByTestId('agent-form-name').locator('input').fill('Chen Jing (Team B)');
    expect(await page.getByTestId('agent-form-email').locator('input').isDisabled()).toBe(true);
    await page.getByTestId('agent-form-submit').click();
    await page.getByTestId('agent-form').waitFor({ state: 'hidden' });
    await poll(() => page.getByTestId('agents-table').textContent()).toContain('Chen Jing (Team B)');
  });

  it('[ADM-12] forces an online agent offline after a named confirmation; [ADM-13] resets a password by mail', async () => {
    const agentToken = await world.token('agent2');
    const online = await world.t.request('PUT', '/api/v1/agents/me/state', {
      token: agentToken,
      body: { state: 'idle' },
    });
    expect(online.status, JSON.stringify(online.body)).toBe(200);

    const page = await world.page({ locale: 'en' });
    await world.signIn(page, 'admin');
    await page.goto(`${world.url}/admin/agents?q=3002`);
    await poll(() => page.getByTestId('row-state').first().getAttribute('data-state')).toBe('idle');
    await page.getByTestId('row-force-offline').first().click();
    const dialog = page.getByTestId('agent-confirm');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Force Agent Two offline?');
    await world.screenshot(page, 'admin-agents-force-offline');
    await world.expectAccessible(page, 'force offline confirmation');
    await page.getByTestId('agent-confirm-ok').click();
    await poll(() => page.getByTestId('row-state').first().getAttribute('data-state')).toBe('offline');
    const me = await world.t.request('GET', '/api/v1/agents/me', { token: await world.token('agent2') });
    expect(me.body.state).toBe('offline');
    expect(await page.getByTestId('row-force-offline').first().isDisabled()).toBe(true);

    // ADM-13: a new password by mail; the old one stops working.
    const seen = inbox.length;
    await page.getByTestId('row-reset-password').first().click();
    expect(await dialog.textContent()).toContain('agent2@demo.local');
    await page.getByTestId('agent-confirm-ok').click();
    const mail = await mailTo('agent2@demo.local', seen);
    expect((await world.t.login('agent2@demo.local', DEMO_PASSWORD)).status).toBe(401);
    expect((await world.t.login('agent2@demo.local', passwordIn(mail)!)).status).toBe(200);
  });

  it('[ADM-11] a supervisor sees the agents and their states but no control that changes them', async () => {
    // In Chinese, the app's first language: the same page, the same controls.
    const page = await world.page({ locale: 'zh-CN' });
    await world.signIn(page, 'supervisor');
    // Numbers are for admins: the tile says it is not available rather than a wrong zero.
    await poll(() => page.getByTestId('home-count-agents').textContent()).toMatch(/\d/);
    expect(await page.getByTestId('home-count-numbers').textContent()).toContain('—');
    await page.getByTestId('home-link-admin-agents').click();
    await poll(() => shownStaffNos(page)).toContain(demoUser('agent1').staffNo);
    await page.getByTestId('agents-read-only').waitFor();
    for (const id of [
      'agents-add',
      'agents-import',
      'row-edit',
      'row-force-offline',
      'row-reset-password',
      'row-disable',
    ]) {
      expect(await page.getByTestId(id).count(), id).toBe(0);
    }
    await world.screenshot(page, 'admin-agents-supervisor');
    await world.expectAccessible(page, 'agents list (supervisor)');
  });
});
