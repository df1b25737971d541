/**
 * Number mapping on live calls (RT-08, OUT-10): with the `number-mapping` plugin on for a tenant,
 * an inbound caller and a customer an agent dials by ID are known to the agent only by the
 * company's user ID. Every payload the agent receives — the offer, `/ws` frames, the session
 * view, records, the export, the dial answer, the ring on their softphone — is scanned for the
 * real number: it must appear nowhere. An admin still sees it.
 */
import { randomInt } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { setAgentState } from '../../core/test/support/call-center.js';
import { numberMapping } from '../../plugins/number-mapping/src/index.js';
import { MappingDouble } from '../../plugins/number-mapping/test/support/mapping-double.js';
import { until } from './support/harness.js';
import { callPresales, cdrOf, sessionIdOf, socket, talkAndHangUp, useLiveWorld } from './support/live-world.js';

const api = await MappingDouble.start();
afterAll(() => api.close());

const w = useLiveWorld({
  secret: 'number-mapping-secret',
  timeScale: 0.02,
  calls: { wrapUpSeconds: 0 },
  plugins: [numberMapping({})],
  // Number protection off: only the mapping keeps the number from the agent.
  center: { slug: 'num-map', agents: 1, edition: 'advanced' },
});

/** A fresh customer number, so no earlier call's cache or memory plays a part. */
const freshNumber = () => `139${randomInt(1e7, 1e8)}`;

async function turnOn(): Promise<void> {
  const res = await w.t.request('PUT', '/api/v1/plugins/number-mapping', {
    token: w.cc.admin.token,
    body: {
      enabled: true,
      settings: { identifyUrl: api.identifyUrl, resolveUrl: api.resolveUrl, timeoutMs: 1400, cacheTtlSeconds: 60 },
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

describe('[RT-08] [OUT-10] number mapping on live calls', () => {
  it('[RT-08] [OUT-10] the agent knows the customer only by user ID on an inbound call and when dialling them back by ID; the number reaches no agent payload', async () => {
    await turnOn();
    const customer = freshNumber();
    api.customer(customer, 'U10023');
    const agent = w.cc.agents[0]!;
    const device = w.sim.registerUser(agent.sipUser);
    await setAgentState(w.t, agent, 'idle');
    const ws = await socket(w, agent);
    /** Every answer the agent got from the API, for the scan at the end. */
    const seen: unknown[] = [];
    const asAgent = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
      const r = await w.t.request(method, `/api/v1${path}`, { token: agent.token, ...(body ? { body } : {}) });
      seen.push(r.body);
      return r;
    };

    // Inbound: the offer names the customer by ID.
    const call = await callPresales(w, w.cc, customer);
    const ring = await device.nextRing({ timeoutMs: 10_000 });
    seen.push(ring.from);
    const offer = await ws.next('call.offer');
    expect(offer.data.caller).toBe('U10023');
    const leg = ring.answer();
    const sessionId = await sessionIdOf(w, call);
    await until(async () => call.conference && call.conference === leg.conference, 'bridged');
    const live = await asAgent('GET', `/sessions/${sessionId}`);
    expect(live.status).toBe(200);
    expect(live.body.caller).toBe('U10023');
    await talkAndHangUp(call, leg);

    // Records: the agent's list, the call's record, a search by the ID, the export.
    const record = await until(async () => {
      const r = await asAgent('GET', `/records/${sessionId}`);
      return r.status === 200 ? r.body : undefined;
    }, 'record');
    expect(record.caller).toBe('U10023');
    const byId = await asAgent('GET', '/records?customerId=u100&limit=10');
    expect(byId.status, JSON.stringify(byId.body)).toBe(200);
    expect(byId.body.items.map((i: { sessionId: string }) => i.sessionId)).toEqual([sessionId]);
    // The number behind the ID finds nothing: searching cannot reveal it.
    const byNumber = await asAgent('GET', `/records?number=${customer}&limit=10`);
    expect(byNumber.body.items).toEqual([]);
    const csv = await w.t.request('GET', '/api/v1/records/export?format=csv&lang=en', { token: agent.token });
    expect(csv.status).toBe(200);
    expect(csv.body).toContain('U10023');
    seen.push(csv.body);

    // OUT-10: the agent calls the customer back by the ID they know; the server dials the number.
    const phone = w.sim.phone(customer);
    const dial = await asAgent('POST', '/calls/outbound', { customerId: 'U10023' });
    expect(dial.status, JSON.stringify(dial.body)).toBe(202);
    expect(dial.body.callee).toBe('U10023');
    const own = await device.nextRing({ timeoutMs: 10_000 });
    seen.push(own.from);
    expect(own.from).toBe('U10023');
    const agentLeg = own.answer();
    await agentLeg.expectPrompt(/Dialling the customer/);
    const customerRing = await phone.nextRing({ timeoutMs: 10_000 });
    const customerLeg = customerRing.answer();
    await until(async () => customerLeg.conference && customerLeg.conference === agentLeg.conference, 'bridged');
    const out = await asAgent('GET', `/sessions/${dial.body.sessionId}`);
    expect(out.body.callee).toBe('U10023');
    customerLeg.hangup();
    await agentLeg.ended;
    await ws.next('session.outbound', (d) => d.sessionId === dial.body.sessionId && d.stage === 'ended');

    // An ID the company does not know cannot be dialled.
    const unknown = await asAgent('POST', '/calls/outbound', { customerId: 'U-nobody' });
    expect(unknown.status).toBe(404);

    // The scan: nothing the agent got holds the number, in any form.
    const everything = JSON.stringify([ws.frames, seen]);
    expect(ws.frames.length).toBeGreaterThan(5);
    expect(everything).not.toContain(customer);
    expect(everything).not.toContain(customer.slice(3));
    // An admin sees the real number on the same records.
    expect((await cdrOf(w, w.cc, sessionId)).caller).toBe(customer);
  });

  it('[RT-08] a caller the company does not know reaches the agent masked, though the tenant does not protect numbers', async () => {
    await turnOn();
    const customer = freshNumber();
    const agent = w.cc.agents[0]!;
    const device = w.sim.registerUser(agent.sipUser);
    await setAgentState(w.t, agent, 'idle');
    const ws = await socket(w, agent);
    const call = await callPresales(w, w.cc, customer);
    const ring = await device.nextRing({ timeoutMs: 10_000 });
    const offer = await ws.next('call.offer');
    expect(offer.data.caller).toBe(`${customer.slice(0, 3)}****${customer.slice(-4)}`);
    expect(JSON.stringify(ws.frames)).not.toContain(customer);
    await talkAndHangUp(call, ring.answer());
  });
});
