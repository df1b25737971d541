/**
 * Skill-group administration over the API (issue 11 item 4, ADM-06/07): create with members
 * and priorities, edit, set all members at once, list with search, filters, sort and paging,
 * delete refused while an IVR flow (any version), a number or a call uses the group. Roles:
 * admins write, supervisors read, agents neither. Tenant isolation is in the access matrix.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type SeededUser, type TestApp } from '../../../test/support/test-app.js';

let t: TestApp;
let tenantId: string;
let users: Record<string, SeededUser>;
let admin: string;
/** Agents of the tenant: [0] and [1] are members in most tests. */
let agentIds: string[];

beforeAll(async () => {
  t = await startTestApp();
  const seeded = await t.seedTenant({
    slug: 'sg',
    edition: 'advanced',
    roles: ['admin', 'supervisor', 'agent', 'agent', 'agent'],
  });
  tenantId = seeded.tenantId;
  users = seeded.users;
  admin = users.admin!.token;
  agentIds = Object.entries(users)
    .filter(([k]) => /^agent\d+$/.test(k))
    .map(([, u]) => u.id);
  for (const id of agentIds) await t.app.container.cradle.agentService.ensure(tenantId, id, null);
});
afterAll(async () => {
  await t?.stop();
});

const create = (body: unknown, token = admin) => t.request('POST', '/api/v1/skill-groups', { token, body });
const uniqueName = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

type Member = { userId: string; priority: number; name: string; staffNo: string };

describe('[ADM-06] create and edit a skill group', () => {
  it('creates an inbound group with members and priorities, then reads it back', async () => {
    const name = uniqueName('售前');
    const res = await create({
      name: `  ${name}  `,
      strategy: 'priority',
      ringTimeoutSeconds: 25,
      members: [
        { userId: agentIds[1], priority: 4 },
        { userId: agentIds[0], priority: 1 },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      name,
      type: 'inbound',
      strategy: 'priority',
      ringTimeoutSeconds: 25,
      ringTimeoutTransfer: true,
      maxRingSeconds: 60,
      memberCount: 2,
      numberIds: [],
    });
    // Best priority first, with who they are.
    expect(res.body.members.map((m: Member) => [m.userId, m.priority])).toEqual([
      [agentIds[0], 1],
      [agentIds[1], 4],
    ]);
    expect(res.body.members[0].name).toBeTruthy();
    expect(res.body.members[0].staffNo).toBeTruthy();

    const got = await t.request('GET', `/api/v1/skill-groups/${res.body.id}`, { token: users.supervisor!.token });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
    // What routing reads is what was saved.
    const row = await t.app.container.cradle.skillGroupRepo.findById(tenantId, res.body.id);
    expect(row).toMatchObject({ strategy: 'priority', ringTimeoutSeconds: 25 });
  });

  it('edits name, type, strategy and the ring-timeout switch (RT-05), keeping members unless sent', async () => {
    const g = (await create({ name: uniqueName('edit'), members: [{ userId: agentIds[0], priority: 2 }] })).body;
    const name = uniqueName('renamed');
    const res = await t.request('PATCH', `/api/v1/skill-groups/${g.id}`, {
      token: admin,
      body: { name, type: 'outbound', strategy: 'fewest-calls', ringTimeoutTransfer: false, maxRingSeconds: 90 },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      name,
      type: 'outbound',
      strategy: 'fewest-calls',
      ringTimeoutTransfer: false,
      maxRingSeconds: 90,
      memberCount: 1,
    });
    const row = await t.app.container.cradle.skillGroupRepo.findById(tenantId, g.id);
    expect(row).toMatchObject({ name, type: 'outbound', ringTimeoutTransfer: false, maxRingSeconds: 90 });
  });

  it('refuses bad input with validation errors and a taken name with a conflict', async () => {
    const bad: Array<[unknown, string]> = [
      [{}, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: 'a\u0000b' }, 'name'],
      [{ name: 'x'.repeat(65) }, 'name'],
      [{ name: 'ok', type: 'both' }, 'type'],
      [{ name: 'ok', strategy: 'random' }, 'strategy'],
      [{ name: 'ok', ringTimeoutSeconds: 2 }, 'ringTimeoutSeconds'],
      [{ name: 'ok', maxRingSeconds: 6000 }, 'maxRingSeconds'],
      [{ name: 'ok', ringTimeoutTransfer: 'yes' }, 'ringTimeoutTransfer'],
      [{ name: 'ok', members: [{ userId: agentIds[0], priority: 6 }] }, 'members'],
      [{ name: 'ok', members: [{ userId: agentIds[0], priority: 0 }] }, 'members'],
      [{ name: 'ok', members: [{ userId: 'nope', priority: 1 }] }, 'members'],
      [{ name: 'ok', overflowSkillGroupId: randomUUID() }, 'overflowSkillGroupId'],
    ];
    for (const [body, field] of bad) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(JSON.stringify(res.body.error.details), JSON.stringify(body)).toContain(field);
    }
    const twice = await create({
      name: uniqueName('dup-member'),
      members: [
        { userId: agentIds[0], priority: 1 },
        { userId: agentIds[0], priority: 2 },
      ],
    });
    expect(twice.status).toBe(400);
    expect(twice.body.error.message).toMatch(/twice/);
    const stranger = await create({ name: uniqueName('stranger'), members: [{ userId: randomUUID(), priority: 1 }] });
    expect(stranger.status).toBe(404);

    const name = uniqueName('taken');
    expect((await create({ name })).status).toBe(201);
    const again = await create({ name });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'conflict', details: { field: 'name' } });
    const other = (await create({ name: uniqueName('other') })).body;
    const rename = await t.request('PATCH', `/api/v1/skill-groups/${other.id}`, { token: admin, body: { name } });
    expect(rename.status).toBe(409);
    // Nothing half-made: the refused creations left no group behind.
    const rows = await t.app.database.pool.query(
      `select name from skill_groups where tenant_id = $1 and (name like 'stranger-%' or name like 'dup-member-%')`,
      [tenantId],
    );
    expect(rows.rows).toEqual([]);
    const empty = await t.request('PATCH', `/api/v1/skill-groups/${other.id}`, { token: admin, body: {} });
    expect(empty.status).toBe(400);
    const missing = await t.request('PATCH', `/api/v1/skill-groups/${randomUUID()}`, {
      token: admin,
      body: { strategy: 'priority' },
    });
    expect(missing.status).toBe(404);
  });
});

describe('[ADM-06] a group’s own overflow group (IVR-20) and wrap-up (RT-06)', () => {
  it('sets and clears an overflow group and an own wrap-up; null means the IVR’s and the tenant’s', async () => {
    const backup = (await create({ name: uniqueName('backup') })).body;
    const res = await create({
      name: uniqueName('sales'),
      overflowSkillGroupId: backup.id,
      wrapUpSeconds: 45,
      wrapUpAutoEnd: false,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ overflowSkillGroupId: backup.id, wrapUpSeconds: 45, wrapUpAutoEnd: false });
    const plain = (await create({ name: uniqueName('plain') })).body;
    expect(plain).toMatchObject({ overflowSkillGroupId: null, wrapUpSeconds: null, wrapUpAutoEnd: null });

    const cleared = await t.request('PATCH', `/api/v1/skill-groups/${res.body.id}`, {
      token: admin,
      body: { overflowSkillGroupId: null, wrapUpSeconds: null },
    });
    expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
    expect(cleared.body).toMatchObject({ overflowSkillGroupId: null, wrapUpSeconds: null, wrapUpAutoEnd: false });
  });

  it('refuses an overflow to the group itself or to a group that is not the tenant’s, naming the field', async () => {
    const g = (await create({ name: uniqueName('self') })).body;
    const self = await t.request('PATCH', `/api/v1/skill-groups/${g.id}`, {
      token: admin,
      body: { overflowSkillGroupId: g.id },
    });
    expect(self.status).toBe(400);
    expect(self.body.error).toMatchObject({ code: 'validation_failed', details: { field: 'overflowSkillGroupId' } });
    const other = await t.seedTenant({ slug: `sg-other-${randomUUID().slice(0, 6)}`, roles: ['admin'] });
    const foreign = await t.app.container.cradle.skillGroupRepo.create(other.tenantId, { name: 'theirs' });
    for (const id of [foreign.id, randomUUID()]) {
      const res = await create({ name: uniqueName('foreign'), overflowSkillGroupId: id });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation_failed', details: { field: 'overflowSkillGroupId' } });
    }
    const bad = await create({ name: uniqueName('bad'), wrapUpSeconds: -1 });
    expect(bad.status).toBe(400);
  });

  it('a group others overflow to cannot be deleted; the message names them', async () => {
    const backup = (await create({ name: uniqueName('backup') })).body;
    const sales = (await create({ name: uniqueName('sales'), overflowSkillGroupId: backup.id })).body;
    const del = await t.request('DELETE', `/api/v1/skill-groups/${backup.id}`, { token: admin });
    expect(del.status).toBe(409);
    expect(del.body.error).toMatchObject({
      code: 'skill_group_in_use',
      details: { overflowFrom: [{ skillGroupId: sales.id, name: sales.name }] },
    });
    expect(del.body.error.message).toContain(`"${sales.name}"`);
    await t.request('PATCH', `/api/v1/skill-groups/${sales.id}`, {
      token: admin,
      body: { overflowSkillGroupId: null },
    });
    expect((await t.request('DELETE', `/api/v1/skill-groups/${backup.id}`, { token: admin })).status).toBe(204);
  });
});

describe('validation messages in the client’s language', () => {
  it('zod’s messages follow Accept-Language (zh-CN for the Chinese console), English otherwise', async () => {
    const bad = { name: uniqueName('lang'), ringTimeoutSeconds: 1 };
    const zh = await t.request('POST', '/api/v1/skill-groups', {
      token: admin,
      body: bad,
      headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' },
    });
    expect(zh.status).toBe(400);
    const zhIssue = (zh.body.error.details as Array<{ path: string; message: string }>).find(
      (d) => d.path === 'body.ringTimeoutSeconds',
    );
    expect(zhIssue?.message).toMatch(/[\u4e00-\u9fff]/);
    const en = await t.request('POST', '/api/v1/skill-groups', { token: admin, body: bad });
    const enIssue = (en.body.error.details as Array<{ path: string; message: string }>).find(
      (d) => d.path === 'body.ringTimeoutSeconds',
    );
    expect(enIssue?.message).toMatch(/^Too small/);
  });

  it('the error registry’s own sentences in Chinese for a zh-CN client; a sentence naming a value keeps the value', async () => {
    const zh = { 'accept-language': 'zh-CN,zh;q=0.9' };
    const noToken = await t.request('GET', '/api/v1/skill-groups', { headers: zh });
    expect(noToken.status).toBe(401);
    expect(noToken.body.error).toMatchObject({ code: 'unauthenticated', message: '请先登录' });
    expect((await t.request('GET', '/api/v1/skill-groups')).body.error.message).toBe('Authentication is required');
    // A message written for this request (it names the route): in Chinese, the route kept as sent.
    const missing = await t.request('GET', '/api/v1/no-such-thing', { token: admin, headers: zh });
    expect(missing.body.error.code).toBe('route_not_found');
    expect(missing.body.error.message).toContain('/api/v1/no-such-thing');
    expect(missing.body.error.message).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('[ADM-07] members with priority 1–5', () => {
  it('sets the whole membership at once: who leaves leaves, who stays gets the new priority', async () => {
    const g = (
      await create({
        name: uniqueName('bulk'),
        members: [
          { userId: agentIds[0], priority: 3 },
          { userId: agentIds[1], priority: 3 },
        ],
      })
    ).body;
    const res = await t.request('PUT', `/api/v1/skill-groups/${g.id}/members`, {
      token: admin,
      body: {
        members: [
          { userId: agentIds[1], priority: 5 },
          { userId: agentIds[2], priority: 1 },
        ],
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.members.map((m: Member) => [m.userId, m.priority])).toEqual([
      [agentIds[2], 1],
      [agentIds[1], 5],
    ]);
    const rows = await t.app.database.pool.query(
      'select user_id, priority from skill_group_members where skill_group_id = $1 order by priority',
      [g.id],
    );
    expect(rows.rows).toEqual([
      { user_id: agentIds[2], priority: 1 },
      { user_id: agentIds[1], priority: 5 },
    ]);
    // A bad member refuses the whole set: the membership is unchanged.
    const refused = await t.request('PUT', `/api/v1/skill-groups/${g.id}/members`, {
      token: admin,
      body: {
        members: [
          { userId: agentIds[0], priority: 1 },
          { userId: randomUUID(), priority: 2 },
        ],
      },
    });
    expect(refused.status).toBe(404);
    const after = await t.request('GET', `/api/v1/skill-groups/${g.id}`, { token: admin });
    expect(after.body.members.map((m: Member) => m.userId)).toEqual([agentIds[2], agentIds[1]]);
    // PATCH with members replaces them too (the screen saves a group in one request).
    const patched = await t.request('PATCH', `/api/v1/skill-groups/${g.id}`, {
      token: admin,
      body: { members: [] },
    });
    expect(patched.body).toMatchObject({ members: [], memberCount: 0 });
  });

  it('one member at a time: add, change priority, remove', async () => {
    const g = (await create({ name: uniqueName('single') })).body;
    const put = (priority: number) =>
      t.request('PUT', `/api/v1/skill-groups/${g.id}/members/${agentIds[0]}`, { token: admin, body: { priority } });
    expect((await put(2)).body.members).toEqual([expect.objectContaining({ userId: agentIds[0], priority: 2 })]);
    expect((await put(5)).body.members).toEqual([expect.objectContaining({ userId: agentIds[0], priority: 5 })]);
    expect((await put(6)).status).toBe(400);
    const del = await t.request('DELETE', `/api/v1/skill-groups/${g.id}/members/${agentIds[0]}`, { token: admin });
    expect(del.status).toBe(204);
  });
});

describe('[ADM-06] the list: search, type filter, sort, paging, head counts', () => {
  it('pages on the server with the filters applied, and counts members online and idle', async () => {
    const tag = randomUUID().slice(0, 6);
    const names = [`list-${tag}-a`, `list-${tag}-b`, `list-${tag}-c`];
    for (const [i, name] of names.entries()) {
      expect(
        (
          await create({
            name,
            type: i === 1 ? 'outbound' : 'inbound',
            members: agentIds.slice(0, i + 1).map((userId) => ({ userId, priority: 3 })),
          })
        ).status,
      ).toBe(201);
    }
    await t.app.database.pool.query(`update agents set state = 'idle' where user_id = $1`, [agentIds[0]]);
    await t.app.database.pool.query(`update agents set state = 'notReady' where user_id = $1`, [agentIds[1]]);
    await t.app.database.pool.query(`update agents set state = 'offline' where user_id = $1`, [agentIds[2]]);

    const list = (query: string) => t.request('GET', `/api/v1/skill-groups?${query}`, { token: admin });
    const first = await list(`q=LIST-${tag}&pageSize=2&sort=name&order=desc`);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(first.body.items.map((g: { name: string }) => g.name)).toEqual([names[2], names[1]]);
    const second = await list(`q=list-${tag}&pageSize=2&page=2&sort=name&order=desc`);
    expect(second.body.items.map((g: { name: string }) => g.name)).toEqual([names[0]]);

    const outbound = await list(`q=list-${tag}&type=outbound`);
    expect(outbound.body.items.map((g: { name: string }) => g.name)).toEqual([names[1]]);

    const byMembers = await list(`q=list-${tag}&sort=memberCount&order=desc`);
    expect(
      byMembers.body.items.map((g: { memberCount: number; onlineCount: number; idleCount: number }) => [
        g.memberCount,
        g.onlineCount,
        g.idleCount,
      ]),
    ).toEqual([
      [3, 2, 1],
      [2, 2, 1],
      [1, 1, 1],
    ]);
    // Searching for a LIKE wildcard matches it literally.
    expect((await list('q=%25')).body.total).toBe(0);

    for (const q of ['page=0', 'pageSize=500', 'sort=password', 'order=up', 'type=both', 'surprise=1']) {
      const res = await list(q);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });
});

describe('[ADM-06] delete, refused while in use', () => {
  /** A flow whose published version plays a prompt; version 2 (a draft) transfers to `groupId`. */
  async function flowWithDraftTransferTo(groupId: string): Promise<{ id: string; name: string }> {
    const name = uniqueName('flow');
    const flow = await t.request('POST', '/api/v1/ivr-flows', {
      token: admin,
      body: {
        name,
        graph: {
          start: 'hi',
          nodes: [
            { id: 'hi', type: 'play', prompt: { kind: 'say', text: 'Hi' }, next: 'bye' },
            { id: 'bye', type: 'hangup' },
          ],
        },
      },
    });
    expect(flow.status, JSON.stringify(flow.body)).toBe(201);
    const draft = await t.request('POST', `/api/v1/ivr-flows/${flow.body.id}/versions`, {
      token: admin,
      body: {
        label: 'draft',
        graph: {
          start: 'q',
          nodes: [{ id: 'q', type: 'transfer', target: { type: 'skillGroup', skillGroupId: groupId } }],
        },
      },
    });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    return { id: flow.body.id as string, name };
  }

  it('is refused while an IVR flow (even an unpublished version) transfers to the group, naming the flow', async () => {
    const g = (await create({ name: uniqueName('in-flow'), members: [{ userId: agentIds[0], priority: 1 }] })).body;
    const flow = await flowWithDraftTransferTo(g.id);
    const del = await t.request('DELETE', `/api/v1/skill-groups/${g.id}`, { token: admin });
    expect(del.status).toBe(409);
    expect(del.body.error.code).toBe('skill_group_in_use');
    expect(del.body.error.message).toContain(`"${flow.name}" (version 2)`);
    expect(del.body.error.details).toMatchObject({
      flows: [{ flowId: flow.id, flowName: flow.name, versions: [2] }],
      numbers: [],
      liveCalls: 0,
      overflowFrom: [],
    });
    // Still there, members and all.
    expect((await t.request('GET', `/api/v1/skill-groups/${g.id}`, { token: admin })).body.memberCount).toBe(1);

    // Once the flow is gone, the group can go.
    expect((await t.request('DELETE', `/api/v1/ivr-flows/${flow.id}`, { token: admin })).status).toBe(204);
    const ok = await t.request('DELETE', `/api/v1/skill-groups/${g.id}`, { token: admin });
    expect(ok.status).toBe(204);
    expect((await t.request('GET', `/api/v1/skill-groups/${g.id}`, { token: admin })).status).toBe(404);
    const members = await t.app.database.pool.query('select 1 from skill_group_members where skill_group_id = $1', [
      g.id,
    ]);
    expect(members.rowCount).toBe(0);
    expect((await t.request('DELETE', `/api/v1/skill-groups/${g.id}`, { token: admin })).status).toBe(404);
  });

  it('is refused while a number is linked to the group or a call is in it', async () => {
    const g = (await create({ name: uniqueName('in-number'), type: 'outbound' })).body;
    const n = await t.app.container.cradle.numberRepo.create(tenantId, {
      number: `400${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
      label: 'Sales line',
    });
    expect((await t.request('PUT', `/api/v1/skill-groups/${g.id}/numbers/${n.id}`, { token: admin })).status).toBe(200);
    const del = await t.request('DELETE', `/api/v1/skill-groups/${g.id}`, { token: admin });
    expect(del.status).toBe(409);
    expect(del.body.error).toMatchObject({
      code: 'skill_group_in_use',
      details: { numbers: [{ numberId: n.id, number: n.number, label: 'Sales line' }] },
    });
    expect(del.body.error.message).toContain(n.number);
    await t.request('DELETE', `/api/v1/skill-groups/${g.id}/numbers/${n.id}`, { token: admin });

    await t.app.database.pool.query(
      `insert into call_sessions (tenant_id, direction, caller, callee, customer_call_sid, state, queued_skill_group_id, queued_at)
       values ($1, 'inbound', '13900001111', '4000000000', $2, 'queued', $3, now())`,
      [tenantId, randomUUID(), g.id],
    );
    const live = await t.request('DELETE', `/api/v1/skill-groups/${g.id}`, { token: admin });
    expect(live.status).toBe(409);
    expect(live.body.error.details).toMatchObject({ liveCalls: 1 });
    await t.app.database.pool.query(`update call_sessions set state = 'ended' where queued_skill_group_id = $1`, [
      g.id,
    ]);
    expect((await t.request('DELETE', `/api/v1/skill-groups/${g.id}`, { token: admin })).status).toBe(204);
  });
});

describe('[ADM-06] roles', () => {
  it('admins write; supervisors read only; agents neither', async () => {
    const g = (await create({ name: uniqueName('roles') })).body;
    for (const who of ['supervisor', 'agent'] as const) {
      const token = users[who]!.token;
      const writes = [
        await create({ name: uniqueName('nope') }, token),
        await t.request('PATCH', `/api/v1/skill-groups/${g.id}`, { token, body: { strategy: 'priority' } }),
        await t.request('PUT', `/api/v1/skill-groups/${g.id}/members`, { token, body: { members: [] } }),
        await t.request('DELETE', `/api/v1/skill-groups/${g.id}`, { token }),
      ];
      expect(
        writes.map((r) => r.status),
        who,
      ).toEqual([403, 403, 403, 403]);
      const read = await t.request('GET', `/api/v1/skill-groups/${g.id}`, { token });
      expect(read.status, who).toBe(who === 'supervisor' ? 200 : 403);
    }
    expect((await t.request('GET', `/api/v1/skill-groups/${g.id}`, { token: admin })).body.strategy).toBe(
      'longest-idle',
    );
  });
});
