/**
 * The IVR flow API (IVR-33…35) on a real server and database: CRUD, versions, the in-use
 * rules, validation errors and the edition guard.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type SeededUser, type TestApp } from '../../../test/support/test-app.js';

let t: TestApp;
let adv: { tenantId: string; users: Record<string, SeededUser> };
let std: { tenantId: string; users: Record<string, SeededUser> };

const say = (text: string) => ({ kind: 'say', text });
const simple = (text = 'Hello') => ({
  start: 'hi',
  nodes: [
    { id: 'hi', type: 'play', prompt: say(text), next: 'bye' },
    { id: 'bye', type: 'hangup', prompt: say('Bye') },
  ],
});
const withHttp = {
  start: 'crm',
  nodes: [
    {
      id: 'crm',
      type: 'http',
      url: 'https://crm.example.com/ivr',
      outputs: [{ variable: 'level', default: 'normal' }],
      next: 'bye',
    },
    { id: 'bye', type: 'hangup', prompt: say('Level ${level}') },
  ],
};

beforeAll(async () => {
  t = await startTestApp();
  adv = await t.seedTenant({ slug: 'ivr-adv', edition: 'advanced' });
  std = await t.seedTenant({ slug: 'ivr-std', edition: 'standard' });
});
afterAll(async () => {
  await t?.stop();
});

const as = (u: SeededUser) => ({ token: u.token });
async function createFlow(admin: SeededUser, graph: unknown = simple(), name = `Flow ${randomUUID().slice(0, 8)}`) {
  const res = await t.request('POST', '/api/v1/ivr-flows', { ...as(admin), body: { name, graph } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; name: string; publishedVersion: number; graph: unknown };
}

/** A call in progress on a version, as the call path stores it. */
async function liveCall(tenantId: string, flowId: string, version: number): Promise<string> {
  const { rows } = await t.app.database.pool.query<{ id: string }>(
    `insert into call_sessions (tenant_id, direction, caller, callee, customer_call_sid, state, flow_version_id)
     select $1, 'inbound', '13900000000', '4000000000', $2, 'ivr', v.id
     from ivr_flow_versions v where v.flow_id = $3 and v.version = $4 returning id`,
    [tenantId, `sid-${randomUUID()}`, flowId, version],
  );
  return rows[0]!.id;
}

describe('IVR flows: create, view, delete (IVR-33)', () => {
  it('[IVR-33] creates a flow with version 1 published, lists and reads it (supervisors may read)', async () => {
    const flow = await createFlow(adv.users.admin!, simple('Welcome'), 'Main line');
    expect(flow).toMatchObject({ name: 'Main line', publishedVersion: 1, numbers: [] });
    expect(flow.graph).toMatchObject({ start: 'hi', nodes: [{ id: 'hi', label: '', prompt: say('Welcome') }, {}] });
    const list = await t.request('GET', '/api/v1/ivr-flows', as(adv.users.supervisor!));
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual(expect.objectContaining({ id: flow.id, name: 'Main line' }));
    const one = await t.request('GET', `/api/v1/ivr-flows/${flow.id}`, as(adv.users.supervisor!));
    expect(one.status).toBe(200);
    expect(one.body.graph).toEqual(flow.graph);
  });

  it('[IVR-33] refuses a graph with problems: 400 flow_invalid listing each problem with its node', async () => {
    const res = await t.request('POST', '/api/v1/ivr-flows', {
      ...as(adv.users.admin!),
      body: {
        name: 'Broken',
        graph: {
          start: 'hi',
          nodes: [
            { id: 'hi', type: 'play', prompt: say('Order ${orderNo}'), next: 'gone' },
            { id: 'island', type: 'hangup' },
          ],
        },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('flow_invalid');
    expect(res.body.error.details).toEqual([
      { nodeId: 'hi', kind: 'dangling_branch', field: 'next', problem: 'next points to missing node gone' },
      { nodeId: 'island', kind: 'unreachable', problem: 'no path from the start reaches this node' },
      { nodeId: 'hi', kind: 'unset_variable', problem: 'prompt uses variable orderNo before any node can set it' },
    ]);
    expect((await t.request('GET', '/api/v1/ivr-flows', as(adv.users.admin!))).body.items).not.toContainEqual(
      expect.objectContaining({ name: 'Broken' }),
    );
  });

  it('[IVR-33] a malformed node is a 400 validation_failed naming the field', async () => {
    const res = await t.request('POST', '/api/v1/ivr-flows', {
      ...as(adv.users.admin!),
      body: { name: 'Bad', graph: { start: 'x', nodes: [{ id: 'x', type: 'menu', prompt: say('m'), options: [] }] } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details[0].path).toMatch(/^body\.graph\.nodes\.0/);
  });

  it('[IVR-33] the validate route reports problems without saving', async () => {
    const res = await t.request('POST', '/api/v1/ivr-flows/validate', {
      ...as(adv.users.admin!),
      body: { graph: { start: 'a', nodes: [{ id: 'a', type: 'play', prompt: say('a'), next: 'a' }] } },
    });
    expect(res.status).toBe(200);
    expect(res.body.problems).toEqual([expect.objectContaining({ nodeId: 'a', kind: 'spin_loop' })]);
  });

  it('[IVR-33] a second flow with the same name is a 409 conflict', async () => {
    const name = `Dup ${randomUUID().slice(0, 6)}`;
    await createFlow(adv.users.admin!, simple(), name);
    const res = await t.request('POST', '/api/v1/ivr-flows', {
      ...as(adv.users.admin!),
      body: { name, graph: simple() },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
  });

  it('[IVR-33] a flow bound to a number cannot be deleted (409 flow_in_use); unbound, it can', async () => {
    const flow = await createFlow(adv.users.admin!);
    const number = await t.app.container.cradle.numberRepo.create(adv.tenantId, {
      number: `400${Date.now() % 10_000_000}`,
      ivrFlowId: flow.id,
    });
    const shown = await t.request('GET', `/api/v1/ivr-flows/${flow.id}`, as(adv.users.admin!));
    expect(shown.body.numbers).toEqual([{ id: number.id, number: number.number, label: '' }]);
    const refused = await t.request('DELETE', `/api/v1/ivr-flows/${flow.id}`, as(adv.users.admin!));
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'flow_in_use', details: { numbers: [{ id: number.id }] } });
    await t.app.database.pool.query('update numbers set ivr_flow_id = null where id = $1', [number.id]);
    const done = await t.request('DELETE', `/api/v1/ivr-flows/${flow.id}`, as(adv.users.admin!));
    expect(done.status).toBe(204);
    expect((await t.request('GET', `/api/v1/ivr-flows/${flow.id}`, as(adv.users.admin!))).status).toBe(404);
  });

  it('[IVR-33] a flow with calls in it cannot be deleted either', async () => {
    const flow = await createFlow(adv.users.admin!);
    const session = await liveCall(adv.tenantId, flow.id, 1);
    const refused = await t.request('DELETE', `/api/v1/ivr-flows/${flow.id}`, as(adv.users.admin!));
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'flow_in_use', details: { liveCalls: 1 } });
    await t.app.database.pool.query(`update call_sessions set state = 'ended' where id = $1`, [session]);
    expect((await t.request('DELETE', `/api/v1/ivr-flows/${flow.id}`, as(adv.users.admin!))).status).toBe(204);
  });

  it('[IVR-33] unknown flows are 404; agents and API keys without ivr scopes are refused', async () => {
    const missing = await t.request('GET', `/api/v1/ivr-flows/${randomUUID()}`, as(adv.users.admin!));
    expect(missing.status).toBe(404);
    expect((await t.request('GET', '/api/v1/ivr-flows', as(adv.users.agent!))).status).toBe(403);
  });

  it('[IVR-33] API keys: ivr:read lists and reads, ivr:write creates', async () => {
    const key = async (scopes: string[]) =>
      (await t.request('POST', '/api/v1/api-keys', { ...as(adv.users.admin!), body: { name: 'ivr', scopes } })).body
        .key as string;
    const reader = await key(['ivr:read']);
    const writer = await key(['ivr:write']);
    expect((await t.request('GET', '/api/v1/ivr-flows', { token: reader })).status).toBe(200);
    const denied = await t.request('POST', '/api/v1/ivr-flows', {
      token: reader,
      body: { name: 'k', graph: simple() },
    });
    expect(denied.status).toBe(403);
    const made = await t.request('POST', '/api/v1/ivr-flows', {
      token: writer,
      body: { name: `By key ${randomUUID().slice(0, 6)}`, graph: simple() },
    });
    expect(made.status).toBe(201);
  });
});

describe('IVR flow list (IVR-33)', () => {
  it('[IVR-33] pages, filters by name and sorts on the server', async () => {
    const tag = randomUUID().slice(0, 6);
    for (const n of ['b', 'a', 'c']) await createFlow(adv.users.admin!, simple(), `List ${tag} ${n}`);
    const first = await t.request('GET', `/api/v1/ivr-flows?q=${tag}&pageSize=2&order=desc`, as(adv.users.admin!));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(first.body.items.map((f: { name: string }) => f.name)).toEqual([`List ${tag} c`, `List ${tag} b`]);
    const second = await t.request(
      'GET',
      `/api/v1/ivr-flows?q=${tag}&pageSize=2&order=desc&page=2`,
      as(adv.users.admin!),
    );
    expect(second.body.items.map((f: { name: string }) => f.name)).toEqual([`List ${tag} a`]);
    const bad = await t.request('GET', '/api/v1/ivr-flows?sort=secret', as(adv.users.admin!));
    expect(bad.status).toBe(400);
  });
});

describe('IVR direct editing (IVR-34)', () => {
  it('[IVR-34] saving publishes a new version at once; a call already running keeps its version', async () => {
    const flow = await createFlow(adv.users.admin!, simple('Old welcome'));
    const running = await liveCall(adv.tenantId, flow.id, 1);
    const saved = await t.request('PUT', `/api/v1/ivr-flows/${flow.id}`, {
      ...as(adv.users.admin!),
      body: { name: 'Renamed', graph: simple('New welcome') },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ name: 'Renamed', publishedVersion: 2 });
    expect(saved.body.graph.nodes[0].prompt).toEqual(say('New welcome'));
    // The running call's session points at version 1's row, which did not change.
    const { rows } = await t.app.database.pool.query(
      `select v.version, v.graph from call_sessions s join ivr_flow_versions v on v.id = s.flow_version_id where s.id = $1`,
      [running],
    );
    expect(rows[0].version).toBe(1);
    expect(rows[0].graph.nodes[0].prompt).toEqual(say('Old welcome'));
  });

  it('[IVR-34] an invalid save changes nothing', async () => {
    const flow = await createFlow(adv.users.admin!);
    const res = await t.request('PUT', `/api/v1/ivr-flows/${flow.id}`, {
      ...as(adv.users.admin!),
      body: { graph: { start: 'nope', nodes: [{ id: 'a', type: 'hangup' }] } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('flow_invalid');
    expect((await t.request('GET', `/api/v1/ivr-flows/${flow.id}`, as(adv.users.admin!))).body.publishedVersion).toBe(
      1,
    );
  });
});

describe('IVR editions', () => {
  it('[IVR-29] [IVR-12] a standard tenant saving advanced nodes gets 403 edition_required naming them', async () => {
    const res = await t.request('POST', '/api/v1/ivr-flows', {
      ...as(std.users.admin!),
      body: { name: 'Needs HTTP', graph: withHttp },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('edition_required');
    expect(res.body.error.details).toMatchObject({
      required: 'advanced',
      problems: [{ nodeId: 'crm', kind: 'advanced_only', problem: 'a http node needs the advanced edition (IVR-29)' }],
    });
    const plain = await createFlow(std.users.admin!);
    const edit = await t.request('PUT', `/api/v1/ivr-flows/${plain.id}`, {
      ...as(std.users.admin!),
      body: { graph: withHttp },
    });
    expect(edit.status).toBe(403);
    // The advanced tenant may.
    await createFlow(adv.users.admin!, withHttp);
  });

  it('[IVR-35] versions are advanced: a standard tenant gets 403 edition_required', async () => {
    const flow = await createFlow(std.users.admin!);
    for (const [method, path, body] of [
      ['GET', `/api/v1/ivr-flows/${flow.id}/versions`, undefined],
      ['POST', `/api/v1/ivr-flows/${flow.id}/versions`, { label: 'x' }],
      ['PUT', `/api/v1/ivr-flows/${flow.id}/published-version`, { version: 1 }],
    ] as const) {
      const res = await t.request(method, path, { ...as(std.users.admin!), ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe('edition_required');
    }
  });

  it('[IVR-03] audio prompts must name files of the audio library', async () => {
    const graph = {
      start: 'hi',
      nodes: [
        { id: 'hi', type: 'play', prompt: { kind: 'audio', audioId: 'welcome-2025' }, next: 'bye' },
        { id: 'bye', type: 'hangup' },
      ],
    };
    const refused = await t.request('POST', '/api/v1/ivr-flows', {
      ...as(adv.users.admin!),
      body: { name: 'Audio', graph },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([
      {
        nodeId: 'hi',
        kind: 'unknown_audio',
        field: 'prompt',
        problem: 'prompt plays audio welcome-2025, which is not in the audio library',
      },
    ]);
    const service = t.app.container.cradle.ivrService;
    const before = service.audioCatalog;
    service.audioCatalog = { knownIds: async (tenantId) => new Set(tenantId === adv.tenantId ? ['welcome-2025'] : []) };
    try {
      await createFlow(adv.users.admin!, graph);
    } finally {
      service.audioCatalog = before;
    }
  });
});

describe('IVR references to the tenant (IVR-13)', () => {
  const transferTo = (skillGroupId: string) => ({
    start: 'queue',
    nodes: [
      { id: 'queue', type: 'transfer', target: { type: 'skillGroup', skillGroupId }, noAgentNext: 'bye' },
      { id: 'bye', type: 'hangup' },
    ],
  });

  it('[IVR-13] a transfer to a skill group the tenant does not have is refused on save, validate and publish', async () => {
    const missing = randomUUID();
    const created = await t.request('POST', '/api/v1/ivr-flows', {
      ...as(adv.users.admin!),
      body: { name: 'Nowhere queue', graph: transferTo(missing) },
    });
    expect(created.status).toBe(400);
    expect(created.body.error.code).toBe('flow_invalid');
    expect(created.body.error.details).toEqual([
      {
        nodeId: 'queue',
        kind: 'unknown_skill_group',
        field: 'target.skillGroupId',
        problem: `target.skillGroupId names skill group ${missing}, which does not exist`,
      },
    ]);
    const checked = await t.request('POST', '/api/v1/ivr-flows/validate', {
      ...as(adv.users.admin!),
      body: { graph: transferTo(missing) },
    });
    expect(checked.body.problems).toEqual(created.body.error.details);
  });

  it("[IVR-13] another tenant's skill group is as unknown as a missing one; the tenant's own is accepted", async () => {
    const [theirs] = await t.app.container.cradle.skillGroupRepo
      .list(std.tenantId)
      .then(async (gs) =>
        gs.length ? gs : [await t.app.container.cradle.skillGroupRepo.create(std.tenantId, { name: 'Std queue' })],
      );
    const refused = await t.request('POST', '/api/v1/ivr-flows/validate', {
      ...as(adv.users.admin!),
      body: { graph: transferTo(theirs!.id) },
    });
    expect(refused.body.problems).toEqual([expect.objectContaining({ nodeId: 'queue', kind: 'unknown_skill_group' })]);
    const ours = await t.app.container.cradle.skillGroupRepo.create(adv.tenantId, { name: `Own ${randomUUID()}` });
    await createFlow(adv.users.admin!, transferTo(ours.id));
  });
});

describe('IVR versions (IVR-35)', () => {
  it('[IVR-35] derives a labelled version from the main flow, edits it, publishes it for new calls', async () => {
    const admin = as(adv.users.admin!);
    const flow = await createFlow(adv.users.admin!, simple('Main'));
    const base = `/api/v1/ivr-flows/${flow.id}`;

    const derived = await t.request('POST', `${base}/versions`, { ...admin, body: { label: 'Holiday' } });
    expect(derived.status).toBe(201);
    expect(derived.body).toMatchObject({
      version: 2,
      label: 'Holiday',
      baseVersion: 1,
      published: false,
      publishedAt: null,
    });
    expect(derived.body.graph.nodes[0].prompt).toEqual(say('Main'));

    const edited = await t.request('PUT', `${base}/versions/2`, {
      ...admin,
      body: { label: 'Spring festival', graph: simple('Happy new year') },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      label: 'Spring festival',
      graph: { nodes: [{ prompt: say('Happy new year') }, {}] },
    });

    // Not published yet: new calls still get version 1.
    expect((await t.request('GET', base, admin)).body.publishedVersion).toBe(1);
    const list = await t.request('GET', `${base}/versions`, as(adv.users.supervisor!));
    expect(list.body.items).toEqual([
      expect.objectContaining({ version: 1, label: null, published: true }),
      expect.objectContaining({ version: 2, label: 'Spring festival', published: false }),
    ]);

    const published = await t.request('PUT', `${base}/published-version`, { ...admin, body: { version: 2 } });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({
      publishedVersion: 2,
      graph: { nodes: [{ prompt: say('Happy new year') }, {}] },
    });
    const one = await t.request('GET', `${base}/versions/2`, admin);
    expect(one.body).toMatchObject({ published: true, publishedAt: expect.any(String) });

    // Published once, frozen for good; the main-line version 1 is frozen too.
    for (const v of [1, 2]) {
      const frozen = await t.request('PUT', `${base}/versions/${v}`, { ...admin, body: { label: 'again' } });
      expect(frozen.status).toBe(409);
      expect(frozen.body.error.code).toBe('version_frozen');
    }
    // The published version cannot be deleted; switch back, then it can.
    const del = await t.request('DELETE', `${base}/versions/2`, admin);
    expect(del.status).toBe(409);
    expect(del.body.error.code).toBe('flow_in_use');
    await t.request('PUT', `${base}/published-version`, { ...admin, body: { version: 1 } });
    expect((await t.request('DELETE', `${base}/versions/2`, admin)).status).toBe(204);
    expect((await t.request('GET', `${base}/versions/2`, admin)).status).toBe(404);
  });

  it('[IVR-35] derives from a chosen version with a new graph; labels are unique per flow', async () => {
    const admin = as(adv.users.admin!);
    const flow = await createFlow(adv.users.admin!, simple('v1'));
    const base = `/api/v1/ivr-flows/${flow.id}`;
    await t.request('PUT', base, { ...admin, body: { graph: simple('v2') } });
    const night = await t.request('POST', `${base}/versions`, {
      ...admin,
      body: { label: 'Night', fromVersion: 1, graph: simple('Night') },
    });
    expect(night.status).toBe(201);
    expect(night.body).toMatchObject({ version: 3, baseVersion: 1, graph: { nodes: [{ prompt: say('Night') }, {}] } });
    const dup = await t.request('POST', `${base}/versions`, { ...admin, body: { label: 'Night' } });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('conflict');
    const noBase = await t.request('POST', `${base}/versions`, { ...admin, body: { label: 'X', fromVersion: 99 } });
    expect(noBase.status).toBe(404);
    const invalid = await t.request('POST', `${base}/versions`, {
      ...admin,
      body: { label: 'Bad', graph: { start: 'a', nodes: [{ id: 'a', type: 'play', prompt: say('a'), next: 'z' }] } },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('flow_invalid');
  });

  it('[IVR-35] a version with calls on it cannot be deleted', async () => {
    const admin = as(adv.users.admin!);
    const flow = await createFlow(adv.users.admin!);
    const base = `/api/v1/ivr-flows/${flow.id}`;
    await t.request('PUT', base, { ...admin, body: { graph: simple('v2') } });
    const session = await liveCall(adv.tenantId, flow.id, 1);
    const res = await t.request('DELETE', `${base}/versions/1`, admin);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'flow_in_use', details: { liveCalls: 1 } });
    await t.app.database.pool.query(`update call_sessions set state = 'ended' where id = $1`, [session]);
    expect((await t.request('DELETE', `${base}/versions/1`, admin)).status).toBe(204);
  });
});
