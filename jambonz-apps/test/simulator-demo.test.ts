/**
 * The simulator demo endpoints (`/api/v1/simulator/…`, simulator mode only): an admin places a
 * scripted PSTN call and registers an auto-answering WebRTC device, and the call runs to a CDR.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedCallCenter, setAgentState, type CallCenter } from '../../core/test/support/call-center.js';
import { startTestApp, type TestApp } from '../../core/test/support/test-app.js';
import { jambonz } from '../src/app/adapter.js';
import type { JambonzSimulator } from '../src/simulator/index.js';

const SECRET = 'simulator-demo-secret';

let t: TestApp;
let sim: JambonzSimulator;
let cc: CallCenter;

/** Waits until `fn` returns a truthy value (wall clock). */
async function until<T>(fn: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  t = await startTestApp({
    config: {
      telephony: jambonz({ apiBaseUrl: 'simulator', webhookSecret: SECRET, simulator: { timeScale: 0.02 } }),
      calls: { wrapUpSeconds: 0 },
    },
  });
  sim = t.app.telephony!.extra!.simulator as JambonzSimulator;
  cc = await seedCallCenter(t, { slug: 'simdemo', agents: 2 });
});

afterEach(() => {
  // Every verb array the app sent passed verb-specifications in the simulator.
  expect(sim.alerts).toEqual([]);
});

afterAll(async () => {
  await t?.stop();
});

describe('simulator demo endpoints', () => {
  it('refuse anonymous callers (401) and non-admins (403)', async () => {
    for (const [method, path] of [
      ['POST', '/api/v1/simulator/calls'],
      ['GET', '/api/v1/simulator/calls'],
      ['POST', '/api/v1/simulator/devices'],
    ] as const) {
      const anonymous = await t.request(method, path, method === 'POST' ? { body: {} } : {});
      expect(anonymous.status, `${method} ${path}`).toBe(401);
      expect(anonymous.body.error.code).toBe('unauthenticated');
      for (const user of [cc.agents[0]!, cc.supervisor]) {
        const res = await t.request(method, path, { token: user.token, ...(method === 'POST' ? { body: {} } : {}) });
        expect(res.status, `${user.role} ${method} ${path}`).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
      }
    }
    expect(sim.calls()).toEqual([]);
  });

  it('answer 400 to bad bodies and 404 to numbers and users of other tenants', async () => {
    const token = cc.admin.token;
    for (const body of [
      { talkSeconds: -1 },
      { digits: 'abc' },
      { to: 'not-a-number' },
      { talkSeconds: '20' },
      { colour: 'blue' },
      [],
    ]) {
      const res = await t.request('POST', '/api/v1/simulator/calls', { token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.length).toBeGreaterThan(0);
    }
    for (const body of [
      {},
      { user: '' },
      { user: 'a b' },
      { user: cc.agents[0]!.sipUser, autoAnswerAfterSeconds: -1 },
    ]) {
      const res = await t.request('POST', '/api/v1/simulator/devices', { token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    const junk = await t.request('POST', '/api/v1/simulator/calls', {
      token,
      rawBody: '{oops',
      headers: { 'content-type': 'application/json' },
    });
    expect(junk.status).toBe(400);
    expect(junk.body.error.code).toBe('malformed_json');

    // The default number is the demo tenant's hotline, not this tenant's.
    const foreign = await t.request('POST', '/api/v1/simulator/calls', { token, body: {} });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('not_found');
    const noAgent = await t.request('POST', '/api/v1/simulator/devices', { token, body: { user: 'agent1' } });
    expect(noAgent.status).toBe(404);
    expect(sim.calls()).toEqual([]);
  });

  it('[IN-01] an admin places a scripted call that an auto-answering device takes, and a CDR appears', async () => {
    const agent = cc.agents[0]!;
    const device = await t.request('POST', '/api/v1/simulator/devices', {
      token: cc.admin.token,
      body: { user: agent.sipUser, autoAnswerAfterSeconds: 1 },
    });
    expect(device.status).toBe(201);
    expect(device.body).toMatchObject({
      user: agent.sipUser,
      address: `${agent.sipUser}@${sim.sipRealm}`,
      agentId: agent.id,
      autoAnswerAfterSeconds: 1,
    });
    await setAgentState(t, agent, 'idle');

    const placed = await t.request('POST', '/api/v1/simulator/calls', {
      token: cc.admin.token,
      body: { from: '13912340000', to: cc.number, digits: '1', talkSeconds: 5 },
    });
    expect(placed.status).toBe(202);
    const { callSid } = placed.body as { callSid: string };
    expect(callSid).toMatch(/^[0-9a-f-]{36}$/);

    // While it runs, the snapshot shows it (and, once answered, the agent's leg) to this admin only.
    const live = await t.request('GET', '/api/v1/simulator/calls', { token: cc.admin.token });
    expect(live.status).toBe(200);
    expect(live.body.items).toContainEqual(expect.objectContaining({ callSid, direction: 'inbound', to: cc.number }));
    await until(async () => {
      const r = await t.request('GET', '/api/v1/simulator/calls', { token: cc.admin.token });
      return r.body.items.some((c: { direction: string; to: string }) => c.direction === 'outbound');
    }, 'the agent leg in the snapshot');
    const other = await t.seedTenant({ slug: 'simdemo-other', roles: ['admin'] });
    const foreign = await t.request('GET', '/api/v1/simulator/calls', { token: other.users.admin!.token });
    expect(foreign.body.items).toEqual([]);

    const cdr = await until(async () => {
      const r = await t.request('GET', '/api/v1/records', { token: cc.admin.token });
      return (r.body.items as Array<Record<string, unknown>>).find((c) => c.endStatus === 1);
    }, 'a CDR with endStatus 1');
    expect(cdr).toMatchObject({
      direction: 'inbound',
      caller: '13912340000',
      callee: cc.number,
      endStatusString: 'ok',
      hungUpSide: 'user',
      agentId: agent.id,
      queuedSkillGroupName: 'presales',
    });
    // The caller talked for its 5 simulated seconds after the bridge, then hung up.
    const customer = sim.call(callSid);
    expect(customer?.status ?? 'completed').toBe('completed');
    await until(
      async () => (await t.request('GET', '/api/v1/agents/me', { token: agent.token })).body.state === 'idle',
      'agent idle again',
    );
    await until(async () => sim.calls().length === 0, 'every leg gone');
    await setAgentState(t, agent, 'offline');
  });
});
