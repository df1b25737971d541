/**
 * Outbound memory (外呼记忆, issue 13): a customer who calls back within the tenant's window of an
 * agent calling them skips the IVR and goes to that agent (OUT-12); advanced tenants may send the
 * caller to the IVR instead when that agent is not free (OUT-13). Through the simulator: who
 * hears the IVR, whose phone rings, and the record.
 */
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { setAgentState } from '../../core/test/support/call-center.js';
import type { SeededUser } from '../../core/test/support/test-app.js';
import type { SimDevice } from '../src/simulator/index.js';
import { until } from './support/harness.js';
import { cdrOf, useLiveWorld } from './support/live-world.js';

const w = useLiveWorld({ secret: 'memory-secret', timeScale: 1, calls: { wrapUpSeconds: 0 } });

const customerNumber = () => `138${randomInt(1e7, 1e8)}`;

async function center(slug: string, opts: { edition?: 'standard' | 'advanced'; agent?: Record<string, unknown> } = {}) {
  const cc = await w.center({
    slug,
    agents: 2,
    ...(opts.edition ? { edition: opts.edition } : {}),
    ...(opts.agent ? { settings: { agent: opts.agent } } : {}),
  });
  w.signedIn(cc.supervisor);
  const [a, b] = cc.agents as [SeededUser & { sipUser: string }, SeededUser & { sipUser: string }];
  return { cc, a, b, devA: w.sim.registerUser(a.sipUser), devB: w.sim.registerUser(b.sipUser) };
}

/** Agent `agent` calls `customer`; they talk; the customer hangs up. */
async function calledBy(agent: SeededUser, device: SimDevice, customer: string): Promise<string> {
  const phone = w.sim.phone(customer);
  const res = await w.t.request('POST', '/api/v1/calls/outbound', { token: agent.token, body: { to: customer } });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const own = (await device.nextRing({ timeoutMs: 30_000 })).answer();
  const leg = (await phone.nextRing({ timeoutMs: 30_000 })).answer();
  await until(async () => leg.conference && leg.conference === own.conference, 'connected');
  leg.hangup();
  await own.ended;
  await until(
    async () =>
      (await w.t.app.database.pool.query(`select 1 from call_sessions where state <> 'ended'`)).rowCount === 0,
    'call over',
  );
  return res.body.sessionId as string;
}

const putAgentSettings = (admin: SeededUser, body: Record<string, unknown>) =>
  w.t.request('PUT', '/api/v1/settings/agent', { token: admin.token, body });

describe('outbound memory', () => {
  it('[OUT-12] a customer an agent called calls back: no IVR, that agent’s phone rings — not the other idle agent’s; with memory off the IVR answers', async () => {
    const { cc, a, b, devA, devB } = await center('mem-on', { agent: { outboundMemoryDays: 3 } });
    await setAgentState(w.t, a, 'idle');
    const customer = customerNumber();
    await calledBy(a, devA, customer);
    // B has been idle the longest and taken no calls today: the ACD would pick B.
    await setAgentState(w.t, b, 'idle');
    await setAgentState(w.t, a, 'idle');

    const back = await w.sim.placeCall({ from: customer, to: cc.number });
    const ring = await devA.nextRing({ timeoutMs: 30_000 });
    expect(devB.rings).toHaveLength(0);
    expect(back.heard.join(' ')).not.toMatch(/press 1/);
    const leg = ring.answer();
    await until(async () => back.conference && back.conference === leg.conference, 'bridged');
    back.hangup();
    await leg.ended;
    const session = await until(
      async () =>
        (
          await w.t.app.database.pool.query(
            `select id from call_sessions where tenant_id = $1 and direction = 'inbound' and caller = $2`,
            [cc.tenantId, customer],
          )
        ).rows[0]?.id as string | undefined,
      'inbound session',
    );
    expect(await cdrOf(w, cc, session)).toMatchObject({ agentId: a.id, endStatusString: 'ok', ivrKeys: [] });

    // The same with memory off (the default): the IVR answers the call back.
    const off = await center('mem-off');
    await setAgentState(w.t, off.a, 'idle');
    const other = customerNumber();
    await calledBy(off.a, off.devA, other);
    const call = await w.sim.placeCall({ from: other, to: off.cc.number });
    await call.expectPrompt(/press 1/);
    call.hangup();
    await call.ended;
  });

  it('[OUT-12] only within the window: a call older than the tenant’s days goes through the IVR', async () => {
    const { cc, a, devA } = await center('mem-window', { agent: { outboundMemoryDays: 2 } });
    await setAgentState(w.t, a, 'idle');
    const customer = customerNumber();
    await calledBy(a, devA, customer);
    await w.t.app.database.pool.query(
      `update routing_memory set served_at = now() - interval '3 days' where tenant_id = $1 and customer_number = $2`,
      [cc.tenantId, customer],
    );
    const call = await w.sim.placeCall({ from: customer, to: cc.number });
    await call.expectPrompt(/press 1/);
    expect(devA.rings).toHaveLength(1); // only A's own ring of the outbound call
    call.hangup();
    await call.ended;
  });

  it('[OUT-13] advanced tenants may send the caller to the IVR when their agent is not free; standard tenants may not choose it', async () => {
    const { cc, a, b, devA, devB } = await center('mem-ivr', { agent: { outboundMemoryDays: 3 } });
    const set = await putAgentSettings(cc.admin, { outboundMemoryFallback: 'ivr' });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({ outboundMemoryDays: 3, outboundMemoryFallback: 'ivr' });
    await setAgentState(w.t, a, 'idle');
    const customer = customerNumber();
    await calledBy(a, devA, customer);
    // A is not free (not ready): the caller hears the IVR and goes to whoever it leads to.
    await setAgentState(w.t, a, 'notReady');
    await setAgentState(w.t, b, 'idle');
    const call = await w.sim.placeCall({ from: customer, to: cc.number });
    await call.expectPrompt(/press 1/);
    call.press('1');
    const ring = await devB.nextRing({ timeoutMs: 30_000 });
    expect(devA.rings).toHaveLength(1); // only A's own ring of the outbound call
    const leg = ring.answer();
    await until(async () => call.conference && call.conference === leg.conference, 'bridged');
    call.hangup();
    await leg.ended;

    const std = await center('mem-std', { edition: 'standard' });
    const refused = await putAgentSettings(std.cc.admin, { outboundMemoryFallback: 'ivr' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('edition_required');
    // The same through the typed tenant settings the console writes.
    const patched = await w.t.request('PATCH', '/api/v1/tenant/settings', {
      token: std.cc.admin.token,
      body: { agent: { outboundMemoryFallback: 'ivr' } },
    });
    expect(patched.status).toBe(403);
    expect(patched.body.error.code).toBe('edition_required');
    const wait = await putAgentSettings(std.cc.admin, { outboundMemoryDays: 3, outboundMemoryFallback: 'wait' });
    expect(wait.status).toBe(200);
  });
});
