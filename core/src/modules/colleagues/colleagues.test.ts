/**
 * Colleagues with live presence (AGT-04: whom to call or hand a call to): the list for any
 * signed-in user of the tenant with skill groups, presence and since when, and `presence`
 * events on `/ws` to every colleague — without the private parts of `agent.status`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type SeededUser, type TestApp } from '../../../test/support/test-app.js';
import { WsClient } from '../../../test/support/ws-client.js';
import { presenceOf } from './presence.js';

let t: TestApp;
let tenantId: string;
let ann: SeededUser;
let ben: SeededUser;
let sup: SeededUser;
let admin: SeededUser;
let outsider: SeededUser;
const sockets: WsClient[] = [];

async function open(user: SeededUser): Promise<WsClient> {
  const ws = await WsClient.open(t.url, `?access_token=${user.token}`);
  sockets.push(ws);
  await ws.next((f) => f.type === 'session.ready');
  return ws;
}

const setState = (u: SeededUser, state: string, reason?: string) =>
  t.request('PUT', '/api/v1/agents/me/state', { token: u.token, body: { state, ...(reason ? { reason } : {}) } });

beforeAll(async () => {
  t = await startTestApp();
  const seeded = await t.seedTenant({ slug: 'colleagues', roles: ['admin', 'supervisor', 'agent', 'agent'] });
  tenantId = seeded.tenantId;
  ({ admin, supervisor: sup } = seeded.users as Record<string, SeededUser> & {
    admin: SeededUser;
    supervisor: SeededUser;
  });
  ann = seeded.users.agent2!;
  ben = seeded.users.agent3!;
  const c = t.app.container.cradle;
  for (const u of [ann, ben]) await c.agentService.ensure(tenantId, u.id, `colleagues-${u.id}`);
  const g = await c.skillGroupRepo.create(tenantId, { name: 'presales' });
  const h = await c.skillGroupRepo.create(tenantId, { name: 'after-sales' });
  await c.skillGroupRepo.addMember(tenantId, g.id, ann.id);
  await c.skillGroupRepo.addMember(tenantId, h.id, ann.id);
  await c.skillGroupRepo.addMember(tenantId, g.id, ben.id);
  const other = await t.seedTenant({ slug: 'colleagues-other', roles: ['agent'] });
  outsider = other.users.agent!;
  await c.agentService.ensure(other.tenantId, outsider.id, 'colleagues-outsider');
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});
afterAll(async () => {
  await t?.stop();
});

describe('colleagues', () => {
  it('[AGT-04] every agent of the tenant with skill groups, presence and since when, for any signed-in user', async () => {
    expect((await setState(ann, 'idle')).status).toBe(200);
    expect((await setState(ben, 'idle')).status).toBe(200);
    expect((await setState(ben, 'rest', 'Meal')).status).toBe(200);
    for (const who of [ann, ben, sup, admin]) {
      const res = await t.request('GET', '/api/v1/colleagues', { token: who.token });
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([
        {
          id: ann.id,
          name: 'agent 2',
          staffNo: '3',
          skillGroups: [
            { id: expect.any(String), name: 'after-sales' },
            { id: expect.any(String), name: 'presales' },
          ],
          state: 'idle',
          reason: null,
          since: expect.any(String),
        },
        {
          id: ben.id,
          name: 'agent 3',
          staffNo: '4',
          skillGroups: [{ id: expect.any(String), name: 'presales' }],
          state: 'rest',
          reason: 'Meal',
          since: expect.any(String),
        },
      ]);
    }
    // Another tenant sees only its own.
    const theirs = await t.request('GET', '/api/v1/colleagues', { token: outsider.token });
    expect(theirs.body.items.map((c: { id: string }) => c.id)).toEqual([outsider.id]);
    expect((await t.request('GET', '/api/v1/colleagues')).status).toBe(401);
  });

  it('[AGT-04] a change of state reaches every colleague on /ws as presence, with nothing private', async () => {
    await setState(ann, 'idle');
    const bensSocket = await open(ben);
    const supSocket = await open(sup);
    const outsiderSocket = await open(outsider);
    const res = await setState(ann, 'rest', 'Meeting');
    expect(res.status).toBe(200);
    const isAnnRest = (f: { type: string; data?: Record<string, unknown> }) =>
      f.type === 'presence' && f.data?.agentId === ann.id && f.data?.state === 'rest';
    const seen = await bensSocket.next(isAnnRest);
    expect(seen.data).toEqual({ agentId: ann.id, state: 'rest', reason: 'Meeting', since: expect.any(String) });
    await supSocket.next(isAnnRest);
    // Agents learn presence only: agent.status (with who caused it) stays with the agent and supervisors.
    expect(bensSocket.frames.some((f) => f.type === 'agent.status' && f.data?.agentId === ann.id)).toBe(false);
    await setState(ann, 'notReady');
    const notReady = await bensSocket.next(
      (f) => f.type === 'presence' && f.data?.agentId === ann.id && f.data?.state === 'notReady',
    );
    expect(notReady.data).toMatchObject({ reason: null });
    // The list agrees with the events.
    const list = await t.request('GET', '/api/v1/colleagues', { token: ben.token });
    const annNow = list.body.items.find((c: { id: string }) => c.id === ann.id);
    expect(annNow).toMatchObject({ state: 'notReady', since: notReady.data!.since });
    // The other tenant's own change arrives on its socket, and only its own.
    await setState(outsider, 'idle');
    await outsiderSocket.next((f) => f.type === 'presence' && f.data?.agentId === outsider.id);
    expect(outsiderSocket.frames.filter((f) => f.type === 'presence').map((f) => f.data?.agentId)).toEqual([
      outsider.id,
    ]);
  });

  it('maps every agent state to a presence', () => {
    expect(
      (['idle', 'ringing', 'busy', 'afterCallWork', 'notReady', 'rest', 'offline'] as const).map(presenceOf),
    ).toEqual(['idle', 'ringing', 'onCall', 'wrapUp', 'notReady', 'rest', 'offline']);
  });
});
