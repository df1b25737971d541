/**
 * Agent administration over the API (issue 11 item 3, ADM-08…13): add an agent with a mailed
 * random password, bulk import from CSV and XLSX (all or nothing, per-row errors), add through
 * an API key, list and search, rename and regroup, reset a password, disable and enable.
 * Mail lands in the dev mail sink (demo mode without SMTP); mail through a real SMTP server is
 * proven in `mail/smtp.test.ts`.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailedPassword } from '../../../test/support/platform.js';
import { startTestApp, type SeededUser, type TestApp } from '../../../test/support/test-app.js';

let t: TestApp;
let tenantId: string;
let users: Record<string, SeededUser>;
let admin: string;
let groups: { presales: string; aftersales: string };
let keyWrite: string;
let keyRead: string;

beforeAll(async () => {
  t = await startTestApp();
  const seeded = await t.seedTenant({ slug: 'adm', roles: ['admin', 'supervisor', 'agent'] });
  tenantId = seeded.tenantId;
  users = seeded.users;
  admin = users.admin!.token;
  const { skillGroupRepo } = t.app.container.cradle;
  groups = {
    presales: (await skillGroupRepo.create(tenantId, { name: 'Presales' })).id,
    aftersales: (await skillGroupRepo.create(tenantId, { name: '售后' })).id,
  };
  const key = async (scopes: string[]) =>
    (await t.request('POST', '/api/v1/api-keys', { token: admin, body: { name: 'k', scopes } })).body.key as string;
  keyWrite = await key(['users:read', 'users:write']);
  keyRead = await key(['users:read']);
});
afterAll(async () => {
  await t?.stop();
});

const count = async () =>
  Number(
    (await t.app.database.pool.query(`select count(*) from users where tenant_id = $1`, [tenantId])).rows[0].count,
  );

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Agents');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const upload = (bytes: Buffer | string, token = admin, type = 'application/octet-stream') =>
  t.request('POST', '/api/v1/agents/import', { token, rawBody: bytes, headers: { 'content-type': type } });

describe('[ADM-08] add an agent', () => {
  it('creates the agent with groups and mails a random password they can sign in with', async () => {
    const res = await t.request('POST', '/api/v1/agents', {
      token: admin,
      body: {
        name: 'Wang Fang',
        email: 'Wang.Fang@adm.test',
        staffNo: '8001',
        mobile: '13912340001',
        skillGroupIds: [groups.presales],
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Wang Fang',
      email: 'wang.fang@adm.test',
      staffNo: '8001',
      passwordSent: true,
    });
    expect(res.body).not.toHaveProperty('password');
    const password = await mailedPassword(t, tenantId, 'wang.fang@adm.test');
    const login = await t.login('wang.fang@adm.test', password);
    expect(login.status).toBe(200);
    expect(login.body.user.role).toBe('agent');
    // An agent from the start: offline, in the group, with softphone credentials.
    const me = await t.request('GET', '/api/v1/agents/me', { token: login.body.accessToken });
    expect(me.body).toMatchObject({ state: 'offline' });
    const one = await t.request('GET', `/api/v1/agents/${res.body.userId}`, { token: admin });
    expect(one.body.skillGroups).toEqual([{ id: groups.presales, name: 'Presales', priority: 3 }]);
    expect(one.body.sipUser).toEqual(expect.any(String));
  });

  it('adds a supervisor who takes calls when the role says so, listed with that role', async () => {
    const res = await t.request('POST', '/api/v1/agents', {
      token: admin,
      body: { name: 'Zhao Lei', email: 'zhao.lei@adm.test', staffNo: '8002', role: 'supervisor' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const one = await t.request('GET', `/api/v1/agents/${res.body.userId}`, { token: admin });
    expect(one.body).toMatchObject({ role: 'supervisor', state: 'offline' });
    const login = await t.login('zhao.lei@adm.test', await mailedPassword(t, tenantId, 'zhao.lei@adm.test'));
    expect(login.body.user.role).toBe('supervisor');
    const bad = await t.request('POST', '/api/v1/agents', {
      token: admin,
      body: { name: 'X', email: 'x9@adm.test', staffNo: '8003', role: 'owner' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ path: 'body.role' })]);
  });

  it('refuses bad input naming each field, unknown groups, and taken email or staff number', async () => {
    const bad = await t.request('POST', '/api/v1/agents', {
      token: admin,
      body: {
        name: '',
        email: 'nope',
        staffNo: 'x\u0007',
        mobile: '12',
        skillGroupIds: ['not-a-uuid'],
        rolee: 'admin',
      },
    });
    expect(bad.status).toBe(400);
    const paths = (bad.body.error.details as Array<{ path: string }>).map((d) => d.path).sort();
    expect(paths).toEqual([
      'body.email',
      'body.mobile',
      'body.name',
      'body.rolee',
      'body.skillGroupIds.0',
      'body.staffNo',
    ]);
    const otherTenant = await t.seedTenant({ slug: 'adm-other', roles: ['admin'] });
    const foreign = await t.app.container.cradle.skillGroupRepo.create(otherTenant.tenantId, { name: 'Theirs' });
    const unknown = await t.request('POST', '/api/v1/agents', {
      token: admin,
      body: { name: 'A', email: 'a1@adm.test', staffNo: '8101', skillGroupIds: [groups.presales, foreign.id] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([expect.objectContaining({ path: 'body.skillGroupIds.1' })]);
    const before = await count();
    for (const [body, field] of [
      [{ name: 'B', email: users.agent!.email, staffNo: '8102' }, 'email'],
      [{ name: 'C', email: 'c1@adm.test', staffNo: '1' }, 'staffNo'],
    ] as const) {
      const res = await t.request('POST', '/api/v1/agents', { token: admin, body });
      expect(res.status).toBe(409);
      expect(res.body.error.details).toEqual({ field });
    }
    expect(await count()).toBe(before);
  });

  it('agents and supervisors get 403; an API key without users:write gets 403', async () => {
    const body = { name: 'D', email: 'd1@adm.test', staffNo: '8103' };
    for (const token of [users.agent!.token, users.supervisor!.token, keyRead]) {
      const res = await t.request('POST', '/api/v1/agents', { token, body });
      expect(res.status).toBe(403);
      expect((await upload('name,email,staffNo\nD,d2@adm.test,8104\n', token)).status).toBe(403);
    }
  });
});

describe('[ADM-10] add agents through the API', () => {
  it('an API key with users:write adds an agent, whose password is mailed', async () => {
    const res = await t.request('POST', '/api/v1/agents', {
      token: keyWrite,
      body: { name: 'Api Agent', email: 'api.agent@adm.test', staffNo: '8201', skillGroupIds: [groups.aftersales] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const password = await mailedPassword(t, tenantId, 'api.agent@adm.test');
    expect((await t.login('api.agent@adm.test', password)).status).toBe(200);
    const list = await t.request('GET', '/api/v1/agents?q=api.agent', { token: keyRead });
    expect(list.body.items).toEqual([
      expect.objectContaining({ staffNo: '8201', skillGroups: [expect.objectContaining({ name: '售后' })] }),
    ]);
  });
});

describe('[ADM-09] bulk import', () => {
  it('imports a CSV (UTF-8 with BOM, Chinese headers, groups by name) and mails every agent', async () => {
    const csv =
      '\uFEFF姓名,邮箱,工号,手机,技能组\n李雷,li.lei@adm.test,9001,13912349001,Presales;售后\nHan Meimei,han@adm.test,9002,,\n';
    const res = await upload(csv, admin, 'text/csv');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.created).toBe(2);
    expect(res.body.items).toEqual([
      expect.objectContaining({ row: 2, email: 'li.lei@adm.test', staffNo: '9001', passwordSent: true }),
      expect.objectContaining({ row: 3, email: 'han@adm.test', staffNo: '9002', passwordSent: true }),
    ]);
    const li = await t.request('GET', `/api/v1/agents/${res.body.items[0].userId}`, { token: admin });
    expect(li.body).toMatchObject({ name: '李雷', mobile: '13912349001' });
    expect(li.body.skillGroups.map((g: { name: string }) => g.name).sort()).toEqual(['Presales', '售后'].sort());
    for (const email of ['li.lei@adm.test', 'han@adm.test']) {
      expect((await t.login(email, await mailedPassword(t, tenantId, email))).status).toBe(200);
    }
  });

  it('an XLSX file with one bad row answers 422 naming that row and column, and nothing is imported', async () => {
    const file = await xlsx([
      ['Name', 'Email', 'Staff No', 'Mobile', 'Skill groups'],
      ['Good One', 'good1@adm.test', 9101, 13912349101, 'Presales'],
      ['Bad Two', 'not-an-email', 9102, null, 'Presales'],
      ['Good Three', 'good3@adm.test', 9103, null, null],
    ]);
    const before = await count();
    const res = await upload(file);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.code).toBe('import_invalid');
    expect(res.body.error.details.errors).toEqual([{ row: 3, column: 'Email', message: 'must be an email address' }]);
    expect(await count()).toBe(before);
    expect((await t.app.database.pool.query(`select 1 from users where email like 'good%@adm.test'`)).rows).toEqual([]);

    // Fixed, the same workbook imports whole; numbers typed as numbers stay digits.
    const fixed = await xlsx([
      ['Name', 'Email', 'Staff No', 'Mobile', 'Skill groups'],
      ['Good One', 'good1@adm.test', 9101, 13912349101, 'Presales'],
      ['Good Two', 'good2@adm.test', 9102, null, 'Presales'],
      ['Good Three', 'good3@adm.test', 9103, null, null],
    ]);
    const ok = await upload(fixed);
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.items.map((i: { staffNo: string; row: number }) => [i.row, i.staffNo])).toEqual([
      [2, '9101'],
      [3, '9102'],
      [4, '9103'],
    ]);
    const one = await t.request('GET', `/api/v1/agents/${ok.body.items[0].userId}`, { token: admin });
    expect(one.body.mobile).toBe('13912349101');
  });

  it('reports every problem of a file at once: duplicates inside it, existing users, unknown groups, missing fields', async () => {
    const csv = [
      'name;email;staffNo;groups',
      `Dup A;dup@adm.test;9201;Presales`,
      `Dup B;DUP@adm.test;9202;Nope`,
      `Exists;${users.agent!.email};9203;`,
      `;noname@adm.test;9201;`,
    ].join('\r\n');
    const before = await count();
    const res = await upload(csv);
    expect(res.status).toBe(422);
    expect(res.body.error.details.errors).toEqual([
      { row: 3, column: 'groups', message: 'no skill group named "Nope"' },
      { row: 3, column: 'email', message: '"dup@adm.test" is also in row 2' },
      { row: 4, column: 'email', message: 'a user with this email exists' },
      { row: 5, column: 'name', message: 'required' },
    ]);
    expect(await count()).toBe(before);
  });

  it('names unknown or missing columns, and refuses files that are neither CSV UTF-8 nor XLSX', async () => {
    const cols = await upload('name,emial,staff,phone\nA,a@adm.test,1,\n');
    expect(cols.status).toBe(422);
    expect(cols.body.error.details.errors).toEqual([
      { row: 1, column: 'emial', message: 'unknown column "emial"; did you mean "email"?' },
      { row: 1, column: 'staff', message: expect.stringMatching(/^unknown column "staff"/) },
      { row: 1, column: 'email', message: 'the column email is missing' },
      { row: 1, column: 'staffNo', message: 'the column staffNo is missing' },
    ]);
    const xls = await upload(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]));
    expect(xls.status).toBe(415);
    expect(xls.body.error.message).toMatch(/\.xlsx/);
    const gbk = await upload(Buffer.from([0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0x65, 0x6d, 0x61, 0x69, 0x6c, 0x0a]));
    expect(gbk.status).toBe(415);
    expect(gbk.body.error.message).toMatch(/UTF-8/);
    const zip = await upload(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64)]));
    expect(zip.status).toBe(415);
    const empty = await upload('name,email,staffNo\n');
    expect(empty.status).toBe(422);
  });
});

describe('[ADM-11] list, search, edit', () => {
  it('lists agents with name, staff number, email, groups and state; searches, filters by group, pages and sorts on the server', async () => {
    const list = await t.request('GET', '/api/v1/agents?pageSize=200', { token: users.supervisor!.token });
    expect(list.status).toBe(200);
    const li = list.body.items.find((a: { staffNo: string }) => a.staffNo === '9001');
    expect(li).toMatchObject({
      name: '李雷',
      email: 'li.lei@adm.test',
      state: 'offline',
      status: 'active',
      role: 'agent',
    });
    expect(list.body.total).toBe(list.body.items.length);

    const byStaff = await t.request('GET', '/api/v1/agents?q=910', { token: admin });
    expect(byStaff.body.items.map((a: { staffNo: string }) => a.staffNo)).toEqual(['9101', '9102', '9103']);
    const byName = await t.request('GET', `/api/v1/agents?q=${encodeURIComponent('李')}`, { token: admin });
    expect(byName.body.items.map((a: { email: string }) => a.email)).toEqual(['li.lei@adm.test']);
    const byEmail = await t.request('GET', '/api/v1/agents?q=HAN@', { token: admin });
    expect(byEmail.body.items.map((a: { staffNo: string }) => a.staffNo)).toEqual(['9002']);
    // `%` is a character, not a wildcard.
    expect((await t.request('GET', '/api/v1/agents?q=%25', { token: admin })).body.total).toBe(0);

    const inGroup = await t.request('GET', `/api/v1/agents?skillGroupId=${groups.aftersales}`, { token: admin });
    expect(inGroup.body.items.map((a: { staffNo: string }) => a.staffNo).sort()).toEqual(['8201', '9001']);

    const page1 = await t.request('GET', '/api/v1/agents?q=910&sort=staffNo&order=desc&pageSize=2', { token: admin });
    expect(page1.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(page1.body.items.map((a: { staffNo: string }) => a.staffNo)).toEqual(['9103', '9102']);
    const page2 = await t.request('GET', '/api/v1/agents?q=910&sort=staffNo&order=desc&pageSize=2&page=2', {
      token: admin,
    });
    expect(page2.body.items.map((a: { staffNo: string }) => a.staffNo)).toEqual(['9101']);
    const byNameSort = await t.request('GET', '/api/v1/agents?q=good&sort=name', { token: admin });
    expect(byNameSort.body.items.map((a: { name: string }) => a.name)).toEqual(['Good One', 'Good Three', 'Good Two']);

    const bad = await t.request('GET', '/api/v1/agents?sort=password&pageSize=0', { token: admin });
    expect(bad.status).toBe(400);
    expect((bad.body.error.details as Array<{ path: string }>).map((d) => d.path).sort()).toEqual([
      'query.pageSize',
      'query.sort',
    ]);
    expect((await t.request('GET', '/api/v1/agents', { token: users.agent!.token })).status).toBe(403);
  });

  it('renames an agent and sets their groups, keeping the priority of a group they stay in', async () => {
    const created = await t.request('POST', '/api/v1/agents', {
      token: admin,
      body: { name: 'Edit Me', email: 'edit@adm.test', staffNo: '9301', skillGroupIds: [groups.presales] },
    });
    const id = created.body.userId as string;
    await t.app.container.cradle.skillGroupRepo.addMember(tenantId, groups.presales, id, 1);
    const res = await t.request('PATCH', `/api/v1/agents/${id}`, {
      token: admin,
      body: { name: 'Edited', skillGroupIds: [groups.presales, groups.aftersales] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.name).toBe('Edited');
    expect(res.body.skillGroups).toEqual([
      { id: groups.presales, name: 'Presales', priority: 1 },
      { id: groups.aftersales, name: '售后', priority: 3 },
    ]);
    const left = await t.request('PATCH', `/api/v1/agents/${id}`, { token: admin, body: { skillGroupIds: [] } });
    expect(left.body).toMatchObject({ name: 'Edited', skillGroups: [] });
    for (const token of [users.agent!.token, users.supervisor!.token]) {
      expect((await t.request('PATCH', `/api/v1/agents/${id}`, { token, body: { name: 'X' } })).status).toBe(403);
    }
    const invalid = await t.request('PATCH', `/api/v1/agents/${id}`, { token: admin, body: { staffNo: '1' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details[0]).toMatchObject({ path: 'body.staffNo', code: 'unrecognized_keys' });
    const missing = await t.request('PATCH', `/api/v1/agents/00000000-0000-4000-8000-000000000000`, {
      token: admin,
      body: { name: 'X' },
    });
    expect(missing.status).toBe(404);
  });
});

describe('[ADM-13] reset a password', () => {
  it('mails a new random password, ends every session of the agent, and the old password stops working', async () => {
    const created = await t.request('POST', '/api/v1/agents', {
      token: admin,
      body: { name: 'Reset Me', email: 'reset@adm.test', staffNo: '9401' },
    });
    const id = created.body.userId as string;
    const first = await mailedPassword(t, tenantId, 'reset@adm.test');
    const session = await t.login('reset@adm.test', first);
    expect(session.status).toBe(200);

    for (const token of [users.agent!.token, users.supervisor!.token]) {
      expect((await t.request('POST', `/api/v1/agents/${id}/reset-password`, { token })).status).toBe(403);
    }
    const res = await t.request('POST', `/api/v1/agents/${id}/reset-password`, { token: admin });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ passwordSent: true });
    const second = await mailedPassword(t, tenantId, 'reset@adm.test');
    expect(second).not.toBe(first);
    expect((await t.login('reset@adm.test', first)).status).toBe(401);
    expect((await t.request('GET', '/api/v1/auth/me', { token: session.body.accessToken })).status).toBe(401);
    const refresh = await t.request('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: session.body.refreshToken },
    });
    expect(refresh.status).toBe(401);
    expect((await t.login('reset@adm.test', second)).status).toBe(200);
    expect(
      (await t.request('POST', `/api/v1/agents/00000000-0000-4000-8000-000000000000/reset-password`, { token: admin }))
        .status,
    ).toBe(404);
  });
});

describe('disable and enable', () => {
  it('[ADM-12] disabling forces the agent offline and signs them out; enabling lets them sign in again', async () => {
    const created = await t.request('POST', '/api/v1/agents', {
      token: admin,
      body: { name: 'Off Me', email: 'off@adm.test', staffNo: '9501' },
    });
    const id = created.body.userId as string;
    const password = await mailedPassword(t, tenantId, 'off@adm.test');
    const session = await t.login('off@adm.test', password);
    const online = await t.request('POST', '/api/v1/agents/me/login', { token: session.body.accessToken });
    expect(online.body.state).toBe('idle');

    for (const token of [users.agent!.token, users.supervisor!.token]) {
      expect((await t.request('POST', `/api/v1/agents/${id}/disable`, { token })).status).toBe(403);
    }
    const res = await t.request('POST', `/api/v1/agents/${id}/disable`, { token: admin });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'disabled', state: 'offline' });
    expect((await t.request('GET', '/api/v1/auth/me', { token: session.body.accessToken })).status).toBe(401);
    const refused = await t.login('off@adm.test', password);
    expect(refused.body.error.code).toBe('account_disabled');
    expect((await t.request('GET', '/api/v1/agents?status=disabled', { token: admin })).body.items).toEqual([
      expect.objectContaining({ userId: id }),
    ]);

    const back = await t.request('POST', `/api/v1/agents/${id}/enable`, { token: admin });
    expect(back.body.status).toBe('active');
    const again = await t.login('off@adm.test', password);
    expect(again.status).toBe(200);
    expect((await t.request('GET', '/api/v1/auth/me', { token: again.body.accessToken })).status).toBe(200);
    const self = await t.request('POST', `/api/v1/agents/${users.admin!.id}/disable`, { token: admin });
    expect(self.status).toBe(409);
  });
});
