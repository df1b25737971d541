/**
 * The admin's record list and its export (REC-01): numbered pages with the total, every seed
 * field (agent name and staff number beside the record), filters by access status, agent, skill
 * group and number; the export of the same filtered list as CSV and XLSX with Chinese (default)
 * or English headers, times in the tenant's zone, a file name with the date range, and numbers
 * masked as the viewer's role requires.
 */
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type SeededUser, type TestApp } from '../../../test/support/test-app.js';
import { skillGroups } from '../skill-groups/schema.js';
import { cdrs } from './schema.js';

let t: TestApp;
let tenantId: string;
let users: Record<string, SeededUser>;
let other: SeededUser;
let groupId: string;
const BASE = Date.parse('2026-11-20T02:00:00.000Z'); // 10:00 in Asia/Shanghai
const calls: string[] = [];

async function cdr(i: number, over: Partial<typeof cdrs.$inferInsert>): Promise<string> {
  const sessionId = randomUUID();
  const at = new Date(BASE + i * 3_600_000);
  await t.app.container.cradle.db.insert(cdrs).values({
    tenantId,
    sessionId,
    direction: 'inbound',
    caller: `1380000000${i}`,
    callee: '4001000000',
    startedAt: at,
    endedAt: new Date(at.getTime() + 60_000),
    durationSeconds: 10 * i,
    ivrDurationSeconds: 3,
    endStatus: 1,
    endStatusString: 'ok',
    hungUpSide: 'user',
    ...over,
  });
  calls.push(sessionId);
  return sessionId;
}

async function get(user: SeededUser, query: string) {
  const res = await t.request('GET', `/api/v1/records?${query}`, { token: user.token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { items: Array<Record<string, unknown>>; total?: number; page?: number; pageSize?: number };
}

async function download(user: SeededUser, query: string) {
  const res = await fetch(`${t.url}/api/v1/records/export?${query}`, {
    headers: { authorization: `Bearer ${user.token}` },
  });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

function csvRows(bytes: Buffer): string[][] {
  const text = bytes.toString('utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  return parse(text.slice(1), { relax_column_count: false }) as string[][];
}

beforeAll(async () => {
  t = await startTestApp();
  ({ tenantId, users } = await t.seedTenant({
    slug: 'admin-records',
    roles: ['admin', 'supervisor', 'agent', 'agent'],
  }));
  other = (await t.seedTenant({ slug: 'admin-records-other', roles: ['admin'] })).users.admin!;
  const { db, tenantRepo } = t.app.container.cradle;
  await tenantRepo.update(tenantId, { settings: { numberProtection: true, timezone: 'Asia/Shanghai' } });
  [{ id: groupId }] = (await db
    .insert(skillGroups)
    .values({ tenantId, name: '售前' })
    .returning({ id: skillGroups.id })) as [{ id: string }];
  const agent = users.agent2!;
  await cdr(0, {
    agentId: agent.id,
    servingSkillGroupId: groupId,
    servingSkillGroupName: '售前',
    note: 'VIP, call back',
  });
  await cdr(1, { endStatus: 103, endStatusString: 'waitingGiveUp', queuedSkillGroupId: groupId, durationSeconds: 0 });
  await cdr(2, { agentId: users.agent3!.id, direction: 'outbound', caller: '4001000000', callee: '13912345678' });
  await cdr(3, {
    agentId: agent.id,
    satisfaction: [{ key: '1', label: '满意', timestamp: 1 }],
    note: '=HYPERLINK("x")',
  });
  await cdr(30, { agentId: agent.id }); // the next day, 2026-11-21 16:00 local
});
afterAll(async () => {
  await t?.stop();
});

describe('admin records', () => {
  it('[REC-01] numbered pages with the total, sorted on the server, with agent name and staff number', async () => {
    const admin = users.admin!;
    const first = await get(admin, 'page=1&pageSize=2');
    expect(first).toMatchObject({ total: 5, page: 1, pageSize: 2 });
    expect(first.items.map((i) => i.sessionId)).toEqual([calls[4], calls[3]]);
    expect(first.items[1]).toMatchObject({ agentName: 'agent 2', agentStaffNo: '3', caller: '13800000003' });
    const second = await get(admin, 'page=2&pageSize=2');
    expect(second.items.map((i) => i.sessionId)).toEqual([calls[2], calls[1]]);
    const byTalk = await get(admin, 'page=1&pageSize=5&sort=durationSeconds&order=asc');
    expect(byTalk.items.map((i) => i.durationSeconds)).toEqual([0, 0, 20, 30, 300]);
    // The other tenant sees none of them.
    expect((await get(other, 'page=1')).total).toBe(0);
  });

  it('[REC-01] filters by access status, agent, skill group (served or queued) and number', async () => {
    const sup = users.supervisor!;
    const ids = async (q: string) => (await get(sup, `page=1&${q}`)).items.map((i) => i.sessionId);
    expect(await ids('status=waitingGiveUp')).toEqual([calls[1]]);
    expect(await ids(`agentId=${users.agent2!.id}`)).toEqual([calls[4], calls[3], calls[0]]);
    expect(await ids(`skillGroupId=${groupId}`)).toEqual([calls[1], calls[0]]);
    expect(await ids('number=1234')).toEqual([calls[2]]);
    expect(await ids('number=13800000001')).toEqual([calls[1]]);
    const bad = await t.request('GET', '/api/v1/records?number=13%25', { token: sup.token });
    expect(bad.status).toBe(400);
    const both = await t.request('GET', `/api/v1/records?page=1&before=${new Date().toISOString()}`, {
      token: sup.token,
    });
    expect(both.status).toBe(400);
  });

  it('[REC-01] an agent under number protection cannot find hidden digits by searching', async () => {
    const agent = users.agent2!;
    // The middle digits are hidden from them: searching them finds nothing; the last four do.
    expect((await get(agent, 'page=1&number=138000')).total).toBe(0);
    expect((await get(agent, 'page=1&number=0003')).items.map((i) => i.sessionId)).toEqual([calls[3]]);
  });

  it('[REC-01] exports the filtered list as CSV: Chinese headers, tenant time, date range in the name', async () => {
    const from = '2026-11-19T16:00:00.000Z'; // 2026-11-20 00:00 Asia/Shanghai
    const to = '2026-11-20T16:00:00.000Z';
    const { res, bytes } = await download(users.admin!, `format=csv&from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="records_2026-11-20_2026-11-20.csv"');
    const rows = csvRows(bytes);
    expect(rows[0]).toEqual([
      '时间',
      '呼叫类型',
      '主叫号码/主叫ID',
      '服务号码',
      '备注',
      '接入状态',
      '通话时长(秒)',
      '客服名称',
      '工号',
      '技能组',
      '满意度',
      '挂断方',
      '会话ID',
    ]);
    expect(rows.slice(1).map((r) => r.at(-1))).toEqual([calls[3], calls[2], calls[1], calls[0]]);
    expect(rows[1]).toEqual([
      '2026-11-20 13:00:00',
      '呼入',
      '13800000003',
      '4001000000',
      `'=HYPERLINK("x")`, // a formula in a note is defused
      '已接通',
      '30',
      'agent 2',
      '3',
      '',
      '满意',
      '客户',
      calls[3],
    ]);
    expect(rows[3]!.slice(0, 7)).toEqual([
      '2026-11-20 11:00:00',
      '呼入',
      '13800000001',
      '4001000000',
      '',
      '排队中挂断',
      '0',
    ]);
    // Outbound: the customer is the callee.
    expect(rows[2]!.slice(1, 4)).toEqual(['呼出', '13912345678', '4001000000']);
  });

  it('[REC-01] exports in English with the same filters, and as XLSX', async () => {
    const { bytes } = await download(users.supervisor!, `format=csv&lang=en&agentId=${users.agent2!.id}`);
    const rows = csvRows(bytes);
    expect(rows[0]!.slice(0, 3)).toEqual(['Time', 'Call type', 'Caller number / ID']);
    expect(rows.slice(1).map((r) => r.at(-1))).toEqual([calls[4], calls[3], calls[0]]);
    expect(rows[3]!.slice(5, 10)).toEqual(['Connected', '0', 'agent 2', '3', '售前']);

    const x = await download(users.admin!, 'format=xlsx&status=ok');
    expect(x.res.status).toBe(200);
    expect(x.res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(x.res.headers.get('content-disposition')).toMatch(/filename="records_start_\d{4}-\d{2}-\d{2}\.xlsx"/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.bytes as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('服务记录')!;
    expect(ws.getRow(1).getCell(1).value).toBe('时间');
    const sessionIds = [];
    for (let r = 2; r <= ws.rowCount; r++) sessionIds.push(ws.getRow(r).getCell(13).value);
    expect(sessionIds).toEqual([calls[4], calls[3], calls[2], calls[0]]);
    expect(ws.getRow(2).getCell(7).value).toBe(300);
  });

  it('[REC-01] [RT-07] an agent exports only their calls, with the customer masked', async () => {
    const { res, bytes } = await download(users.agent2!, 'format=csv');
    expect(res.status).toBe(200);
    const text = bytes.toString('utf8');
    expect(text).not.toContain('13800000003');
    const rows = csvRows(bytes);
    expect(rows.slice(1).map((r) => r.at(-1))).toEqual([calls[4], calls[3], calls[0]]);
    expect(rows[2]![2]).toBe('138****0003');
  });

  it('[REC-01] refuses bad export parameters and strangers', async () => {
    const bad = await t.request('GET', '/api/v1/records/export?format=pdf', { token: users.admin!.token });
    expect(bad.status).toBe(400);
    const anon = await t.request('GET', '/api/v1/records/export');
    expect(anon.status).toBe(401);
    const { bytes } = await download(other, 'format=csv');
    expect(csvRows(bytes)).toHaveLength(1); // headers only: another tenant's calls never appear
  });
});
