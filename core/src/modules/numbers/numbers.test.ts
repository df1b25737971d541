/**
 * Numbers over the API (issue 11 item 5): register and remove numbers (LINE-01), number groups
 * (ADM-02), the IVR binding (ADM-03), outbound skill groups from the number side (ADM-04),
 * agent-mobile use (ADM-05) and number applications (LINE-02). Role and tenant rows of every
 * route are in `core/test/access-matrix.test.ts`; a call following a number's new binding is
 * proven in the browser test `admin-ui/e2e/admin-numbers.e2e.test.ts`.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformEnv, TEST_PLATFORM_KEY } from '../../../test/support/platform.js';
import { startTestApp, type SeededUser, type TestApp } from '../../../test/support/test-app.js';
import { normaliseNumber } from './service.js';

let t: TestApp;
let tenantId: string;
let users: Record<string, SeededUser>;
let admin: string;
let other: { tenantId: string; admin: string };

const GRAPH = {
  start: 'hi',
  nodes: [
    { id: 'hi', type: 'play', prompt: { kind: 'say', text: 'Hi' }, next: 'bye' },
    { id: 'bye', type: 'hangup' },
  ],
};

beforeAll(async () => {
  t = await startTestApp({ env: platformEnv });
  const seeded = await t.seedTenant({ slug: 'num', edition: 'advanced', roles: ['admin', 'supervisor', 'agent'] });
  tenantId = seeded.tenantId;
  users = seeded.users;
  admin = users.admin!.token;
  const b = await t.seedTenant({ slug: 'num-b', roles: ['admin'] });
  other = { tenantId: b.tenantId, admin: b.users.admin!.token };
});
afterAll(async () => {
  await t?.stop();
});

/** A fresh number's digits (Beijing landline in E.164). */
const fresh = () => `8610${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

const add = (body: Record<string, unknown>, token = admin) => t.request('POST', '/api/v1/numbers', { token, body });
const patch = (id: string, body: Record<string, unknown>, token = admin) =>
  t.request('PATCH', `/api/v1/numbers/${id}`, { token, body });

async function flow(token = admin): Promise<string> {
  const res = await t.request('POST', '/api/v1/ivr-flows', {
    token,
    body: { name: `f-${randomUUID()}`, graph: GRAPH },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

async function group(name = `g-${randomUUID()}`, token = admin): Promise<string> {
  const res = await t.request('POST', '/api/v1/number-groups', { token, body: { name, description: 'Lines' } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

describe('normaliseNumber', () => {
  it('keeps the digits of E.164, 400 and 95 numbers as typed with spaces, dashes and +', () => {
    expect(normaliseNumber('+86 10 8888-6666')).toBe('861088886666');
    expect(normaliseNumber('400-100-0000')).toBe('4001000000');
    expect(normaliseNumber('95555')).toBe('95555');
    expect(normaliseNumber('(+1) 415.555.0100')).toBe('14155550100');
  });
  it('refuses national numbers with a trunk 0, too short or too long digits', () => {
    for (const bad of ['010 8888 6666', '1234', '9512', '1234567890123456', '+', '']) {
      expect(normaliseNumber(bad), bad).toBeNull();
    }
  });
});

describe('[LINE-01] register your own numbers', () => {
  it('adds an E.164, a 400 and a 95 number, stored as digits and tagged by kind', async () => {
    const e164 = fresh();
    const a = await add({ number: `+${e164.slice(0, 2)} ${e164.slice(2, 4)} ${e164.slice(4)}`, label: 'Beijing' });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect(a.body).toMatchObject({
      number: e164,
      label: 'Beijing',
      kind: 'e164',
      numberGroupId: null,
      ivrFlowId: null,
      ivrFlowVersion: null,
      agentMobile: false,
      group: null,
      ivrFlow: null,
      outboundSkillGroups: [],
    });
    const four = await add({ number: '400-900-0001' });
    expect(four.body).toMatchObject({ number: '4009000001', kind: '400', label: '' });
    const ninetyFive = await add({ number: '95588' });
    expect(ninetyFive.body).toMatchObject({ number: '95588', kind: '95' });
    const read = await t.request('GET', `/api/v1/numbers/${a.body.id}`, { token: users.supervisor!.token });
    expect(read.body).toEqual(a.body);
  });

  it('refuses malformed numbers, unknown fields and numbers registered already (in any tenant)', async () => {
    for (const body of [
      { number: '010-8888-6666' },
      { number: '12ab' },
      { number: fresh(), label: 'x'.repeat(65) },
      { number: fresh(), colour: 'red' },
      { number: fresh(), outboundSkillGroupIds: ['not-a-uuid'] },
    ]) {
      const res = await add(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    const bad = await add({ number: '010-8888-6666' });
    expect(bad.body.error.details[0].path).toBe('body.number');
    const n = fresh();
    expect((await add({ number: n })).status).toBe(201);
    const again = await add({ number: `+${n}` });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
    const theirs = await add({ number: n }, other.admin);
    expect(theirs.status).toBe(409);
  });

  it('lists numbers paged, searched and sorted on the server; supervisors read, agents do not', async () => {
    const tag = `p${Math.floor(Math.random() * 1e6)}`;
    for (let i = 0; i < 3; i++) expect((await add({ number: fresh(), label: `${tag}-${i}` })).status).toBe(201);
    const q = `q=${tag}&sort=label&order=desc&pageSize=2`;
    const first = await t.request('GET', `/api/v1/numbers?${q}`, { token: users.supervisor!.token });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(first.body.items.map((n: { label: string }) => n.label)).toEqual([`${tag}-2`, `${tag}-1`]);
    const second = await t.request('GET', `/api/v1/numbers?${q}&page=2`, { token: admin });
    expect(second.body.items.map((n: { label: string }) => n.label)).toEqual([`${tag}-0`]);
    expect((await t.request('GET', '/api/v1/numbers', { token: users.agent!.token })).status).toBe(403);
    for (const bad of ['sort=tenantId', 'pageSize=500', 'groupId=nope', 'agentMobile=yes', 'x=1']) {
      expect((await t.request('GET', `/api/v1/numbers?${bad}`, { token: admin })).status, bad).toBe(400);
    }
    const mine = await t.request('GET', `/api/v1/numbers?q=${tag}`, { token: other.admin });
    expect(mine.body.total).toBe(0);
  });

  it('removes a number: a call in progress on it goes on, new calls find no number', async () => {
    const n = await add({ number: fresh() });
    const pool = t.app.database.pool;
    const live = await pool.query(
      `insert into call_sessions (tenant_id, direction, caller, callee, customer_call_sid, state, number_id)
       values ($1, 'inbound', '13900000000', $2, $3, 'ivr', $4) returning id`,
      [tenantId, n.body.number, `num-${randomUUID()}`, n.body.id],
    );
    expect((await t.request('DELETE', `/api/v1/numbers/${n.body.id}`, { token: users.supervisor!.token })).status).toBe(
      403,
    );
    expect((await t.request('DELETE', `/api/v1/numbers/${n.body.id}`, { token: admin })).status).toBe(204);
    expect((await t.request('GET', `/api/v1/numbers/${n.body.id}`, { token: admin })).status).toBe(404);
    expect(await t.app.container.cradle.numberRepo.findByNumber(n.body.number)).toBeUndefined();
    const session = await pool.query('select state, number_id from call_sessions where id = $1', [live.rows[0].id]);
    expect(session.rows[0]).toEqual({ state: 'ivr', number_id: n.body.id });
    expect((await t.request('DELETE', `/api/v1/numbers/${n.body.id}`, { token: admin })).status).toBe(404);
  });
});

describe('[ADM-02] number groups', () => {
  it('creates, lists with counts, renames and deletes groups; a number is in at most one group', async () => {
    const name = `北京热线-${randomUUID().slice(0, 6)}`;
    const g = await group(name);
    const dup = await t.request('POST', '/api/v1/number-groups', { token: admin, body: { name } });
    expect(dup.status).toBe(409);
    const g2 = await group();
    const n = await add({ number: fresh(), numberGroupId: g });
    expect(n.body).toMatchObject({ numberGroupId: g, group: { id: g, name } });
    const list = await t.request('GET', '/api/v1/number-groups', { token: users.supervisor!.token });
    expect(list.body.items.find((x: { id: string }) => x.id === g)).toMatchObject({
      name,
      description: 'Lines',
      numberCount: 1,
    });
    // Moving it to another group takes it out of the first.
    const moved = await patch(n.body.id, { numberGroupId: g2 });
    expect(moved.body.group.id).toBe(g2);
    const byGroup = await t.request('GET', `/api/v1/numbers?groupId=${g2}`, { token: admin });
    expect(byGroup.body.items.map((x: { id: string }) => x.id)).toEqual([n.body.id]);
    expect((await t.request('GET', `/api/v1/numbers?groupId=${g}`, { token: admin })).body.total).toBe(0);

    const renamed = await t.request('PATCH', `/api/v1/number-groups/${g2}`, {
      token: admin,
      body: { name: `${name}-2`, description: '' },
    });
    expect(renamed.body).toMatchObject({ name: `${name}-2`, description: '', numberCount: 1 });
    const taken = await t.request('PATCH', `/api/v1/number-groups/${g2}`, { token: admin, body: { name } });
    expect(taken.status).toBe(409);
    expect((await t.request('POST', '/api/v1/number-groups', { token: admin, body: { name: ' ' } })).status).toBe(400);

    // Deleting the group leaves the number, in no group.
    expect((await t.request('DELETE', `/api/v1/number-groups/${g2}`, { token: admin })).status).toBe(204);
    const after = await t.request('GET', `/api/v1/numbers/${n.body.id}`, { token: admin });
    expect(after.body).toMatchObject({ numberGroupId: null, group: null });
    const ungrouped = await t.request('GET', '/api/v1/numbers?groupId=none&pageSize=200', { token: admin });
    expect(ungrouped.body.items.map((x: { id: string }) => x.id)).toContain(n.body.id);
  });

  it('refuses another tenant’s group and a supervisor’s changes', async () => {
    const theirs = await group(`theirs-${randomUUID()}`, other.admin);
    const res = await add({ number: fresh(), numberGroupId: theirs });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('body.numberGroupId');
    const res2 = await t.request('POST', '/api/v1/number-groups', {
      token: users.supervisor!.token,
      body: { name: 'sup' },
    });
    expect(res2.status).toBe(403);
  });
});

describe('[ADM-03] bind a number to an IVR flow and version', () => {
  it('binds on add and on change; the list names the flow; unknown flows and versions are refused', async () => {
    const f = await flow();
    const n = await add({ number: fresh(), ivrFlowId: f });
    expect(n.status, JSON.stringify(n.body)).toBe(201);
    expect(n.body).toMatchObject({ ivrFlowId: f, ivrFlowVersion: null, ivrFlow: { id: f, publishedVersion: 1 } });
    const pinned = await patch(n.body.id, { ivrFlowVersion: 1 });
    expect(pinned.body).toMatchObject({ ivrFlowId: f, ivrFlowVersion: 1 });
    const missingVersion = await patch(n.body.id, { ivrFlowVersion: 7 });
    expect(missingVersion.status).toBe(404);
    const missingFlow = await add({ number: fresh(), ivrFlowId: randomUUID() });
    expect(missingFlow.status).toBe(404);
    const theirFlow = await patch(n.body.id, { ivrFlowId: await flow(other.admin) });
    expect(theirFlow.status).toBe(404);
    expect((await t.request('GET', `/api/v1/numbers/${n.body.id}`, { token: admin })).body.ivrFlowVersion).toBe(1);
    const byFlow = await t.request('GET', `/api/v1/numbers?ivrFlowId=${f}`, { token: admin });
    expect(byFlow.body.items.map((x: { id: string }) => x.id)).toEqual([n.body.id]);
  });

  it('a standard tenant binds without a version', async () => {
    const f = await flow(other.admin);
    const pin = await add({ number: fresh(), ivrFlowId: f, ivrFlowVersion: 1 }, other.admin);
    expect(pin.status).toBe(403);
    expect(pin.body.error.code).toBe('edition_required');
    expect((await add({ number: fresh(), ivrFlowId: f }, other.admin)).status).toBe(201);
  });
});

describe('[ADM-04] outbound skill groups of a number', () => {
  it('links outbound groups from the number side, seen from the group side too; inbound groups are refused', async () => {
    const { skillGroupRepo } = t.app.container.cradle;
    const out1 = await skillGroupRepo.create(tenantId, { name: `Out A ${randomUUID()}`, type: 'outbound' });
    const out2 = await skillGroupRepo.create(tenantId, { name: `Out B ${randomUUID()}`, type: 'outbound' });
    const inbound = await skillGroupRepo.create(tenantId, { name: `In ${randomUUID()}` });
    const n = await add({ number: fresh(), outboundSkillGroupIds: [out1.id, out2.id] });
    expect(n.body.outboundSkillGroups.map((g: { id: string }) => g.id).sort()).toEqual([out1.id, out2.id].sort());
    const groups = await t.request('GET', '/api/v1/skill-groups', { token: admin });
    const seen = groups.body.items.find((g: { id: string }) => g.id === out1.id);
    expect(seen.numberIds).toContain(n.body.id);

    const refused = await patch(n.body.id, { outboundSkillGroupIds: [inbound.id] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0].path).toBe('body.outboundSkillGroupIds');
    expect((await patch(n.body.id, { outboundSkillGroupIds: [randomUUID()] })).status).toBe(400);
    expect((await patch(n.body.id, { outboundSkillGroupIds: [out1.id, out1.id] })).status).toBe(400);
    // Nothing was half-changed by the refusals.
    expect(
      (await t.request('GET', `/api/v1/numbers/${n.body.id}`, { token: admin })).body.outboundSkillGroups,
    ).toHaveLength(2);

    const replaced = await patch(n.body.id, { outboundSkillGroupIds: [out2.id] });
    expect(replaced.body.outboundSkillGroups).toEqual([{ id: out2.id, name: out2.name }]);
    expect((await patch(n.body.id, { outboundSkillGroupIds: [] })).body.outboundSkillGroups).toEqual([]);
  });
});

describe('[ADM-05] numbers that ring agents’ mobiles', () => {
  it('marks a number for agent mobiles (the same flag as /agent-mobile-numbers) and keeps the last one while agents answer on mobiles', async () => {
    const a = await add({ number: fresh(), agentMobile: true });
    expect(a.body.agentMobile).toBe(true);
    const viaDevices = await t.request('GET', '/api/v1/agent-mobile-numbers', { token: admin });
    expect(viaDevices.body.items.map((x: { id: string }) => x.id)).toContain(a.body.id);
    const filtered = await t.request('GET', '/api/v1/numbers?agentMobile=true&pageSize=200', { token: admin });
    expect(filtered.body.items.every((x: { agentMobile: boolean }) => x.agentMobile)).toBe(true);

    // An agent answers on their mobile: the only agent-mobile number cannot go.
    const { agentService } = t.app.container.cradle;
    await agentService.ensure(tenantId, users.agent!.id, 'num-agent');
    await t.app.database.pool.query(`update agents set answer_mode = 'mobileAlways' where user_id = $1`, [
      users.agent!.id,
    ]);
    const others = await t.app.database.pool.query(
      `select id from numbers where tenant_id = $1 and agent_mobile and id <> $2`,
      [tenantId, a.body.id],
    );
    for (const r of others.rows) await patch(r.id as string, { agentMobile: false });
    const del = await t.request('DELETE', `/api/v1/numbers/${a.body.id}`, { token: admin });
    expect(del.status).toBe(409);
    expect(del.body.error).toMatchObject({ code: 'number_in_use', details: { reason: 'lastAgentMobileNumber' } });
    expect((await patch(a.body.id, { agentMobile: false })).status).toBe(409);

    // With a second one designated, the first may go.
    const b = await add({ number: fresh() });
    expect((await t.request('PUT', `/api/v1/agent-mobile-numbers/${b.body.id}`, { token: admin })).status).toBe(200);
    expect((await t.request('GET', `/api/v1/numbers/${b.body.id}`, { token: admin })).body.agentMobile).toBe(true);
    expect((await t.request('DELETE', `/api/v1/numbers/${a.body.id}`, { token: admin })).status).toBe(204);
    await t.app.database.pool.query(`update agents set answer_mode = 'webrtc' where user_id = $1`, [users.agent!.id]);
  });
});

describe('[LINE-02] number applications', () => {
  const form = { type: '400', area: '北京', quantity: 2, purpose: 'Customer hotline for the spring campaign' };

  it('files an application as requested and tracks it to fulfilment', async () => {
    const filed = await t.request('POST', '/api/v1/number-applications', { token: admin, body: form });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    expect(filed.body).toMatchObject({
      ...form,
      status: 'requested',
      note: '',
      requestedBy: { id: users.admin!.id },
    });
    const id = filed.body.id as string;
    const list = await t.request('GET', '/api/v1/number-applications?status=requested', {
      token: users.supervisor!.token,
    });
    expect(list.body.items.map((a: { id: string }) => a.id)).toContain(id);
    expect(list.body).toMatchObject({ page: 1, pageSize: 50 });

    const processing = await t.request('PATCH', `/api/v1/number-applications/${id}`, {
      token: admin,
      body: { status: 'processing' },
    });
    expect(processing.body.status).toBe('processing');
    const done = await t.request('PATCH', `/api/v1/number-applications/${id}`, {
      token: admin,
      body: { status: 'fulfilled', note: '4009000101, 4009000102' },
    });
    expect(done.body).toMatchObject({ status: 'fulfilled', note: '4009000101, 4009000102' });
    const back = await t.request('PATCH', `/api/v1/number-applications/${id}`, {
      token: admin,
      body: { status: 'processing' },
    });
    expect(back.status).toBe(409);
    expect(back.body.error).toMatchObject({ code: 'invalid_state_transition', details: { from: 'fulfilled' } });
    expect(
      (await t.request('GET', '/api/v1/number-applications?status=requested', { token: admin })).body.items.map(
        (a: { id: string }) => a.id,
      ),
    ).not.toContain(id);
  });

  it('the platform operator moves a tenant’s application with the platform key', async () => {
    const filed = await t.request('POST', '/api/v1/number-applications', { token: admin, body: form });
    const base = `/api/v1/platform/tenants/${tenantId}/number-applications`;
    const seen = await t.request('GET', base, { token: TEST_PLATFORM_KEY });
    expect(seen.body.items.map((a: { id: string }) => a.id)).toContain(filed.body.id);
    const rejected = await t.request('PATCH', `${base}/${filed.body.id}`, {
      token: TEST_PLATFORM_KEY,
      body: { status: 'rejected', note: 'No 400 numbers left in that area' },
    });
    expect(rejected.body).toMatchObject({ status: 'rejected', note: 'No 400 numbers left in that area' });
    // Under another tenant's id the application does not exist.
    const wrong = await t.request(
      'PATCH',
      `/api/v1/platform/tenants/${other.tenantId}/number-applications/${filed.body.id}`,
      {
        token: TEST_PLATFORM_KEY,
        body: { status: 'processing' },
      },
    );
    expect(wrong.status).toBe(404);
  });

  it('refuses bad forms and bad moves', async () => {
    for (const body of [
      { ...form, type: '800' },
      { ...form, quantity: 0 },
      { ...form, quantity: 1001 },
      { ...form, area: '' },
      { ...form, purpose: '\u0000' },
      { ...form, status: 'fulfilled' },
    ]) {
      const res = await t.request('POST', '/api/v1/number-applications', { token: admin, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const filed = await t.request('POST', '/api/v1/number-applications', { token: admin, body: form });
    const res = await t.request('PATCH', `/api/v1/number-applications/${filed.body.id}`, {
      token: admin,
      body: { status: 'requested' },
    });
    expect(res.status).toBe(400);
    const sup = await t.request('POST', '/api/v1/number-applications', { token: users.supervisor!.token, body: form });
    expect(sup.status).toBe(403);
  });
});
