/**
 * The signed-in agent's own simulated softphone (`/api/v1/simulator/devices/me…`, simulator mode
 * only): what the workbench's simulated phone drives when there is no real jambonz. An agent
 * registers it, a caller rings through the IVR, the `simulator.device.call` event tells the
 * agent's workbench, the agent answers through the routes, both legs meet in the room, and the
 * agent hangs up. No agent can see or touch another agent's device.
 */
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { setAgentState } from '../../core/test/support/call-center.js';
import { until } from './support/harness.js';
import { bridged, callPresales, cdrOf, sessionIdOf, socket, useLiveWorld } from './support/live-world.js';

const w = useLiveWorld({
  secret: 'simulator-softphone-secret',
  timeScale: 0.02,
  // Registering takes the agent's real (provisioned) password, as jambonz's digest auth would.
  simulator: { requireClientCredentials: true },
  calls: { wrapUpSeconds: 0 },
});

const ME = '/api/v1/simulator/devices/me';

async function center(slug: string, agents = 2, settings?: Record<string, unknown>) {
  return w.center({ slug: `${slug}-${randomInt(1e6)}`, agents, ...(settings ? { settings } : {}) });
}

describe('the agent’s own simulated softphone', () => {
  it('[IN-01] rings on a call through the IVR, is answered through the routes, bridged, and hung up by the agent', async () => {
    const cc = await center('simphone');
    const [agent, colleague] = [cc.agents[0]!, cc.agents[1]!];

    // The workbench learns it must run the simulated phone.
    const creds = await w.t.request('GET', '/api/v1/me/device', { token: agent.token });
    expect(creds.status).toBe(200);
    expect(creds.body).toMatchObject({ sipUser: agent.sipUser, mode: 'simulator' });

    const reg = await w.t.request('POST', ME, { token: agent.token, body: {} });
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    expect(reg.body).toEqual({
      sipUser: agent.sipUser,
      address: `${agent.sipUser}@${w.sim.sipRealm}`.toLowerCase(),
      registered: true,
      autoAnswerAfterSeconds: null,
    });
    expect((await w.t.request('GET', `${ME}/calls`, { token: agent.token })).body).toEqual({
      registered: true,
      items: [],
    });
    const events = await socket(w, agent);
    await setAgentState(w.t, agent, 'idle');

    const customer = await callPresales(w, cc, '13900001111');
    const ringing = (await events.next('simulator.device.call', (d) => d.state === 'ringing')).data;
    expect(ringing).toEqual({
      callSid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      state: 'ringing',
      from: '13900001111',
      sessionId: await sessionIdOf(w, customer),
      offerId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      autoAnswer: false,
    });
    const { callSid } = ringing as { callSid: string };
    // The same leg the ACD offered (the `call.offer` event of the same session).
    const offer = (await events.next('call.offer')).data;
    expect(offer).toMatchObject({ sessionId: ringing.sessionId, offerId: ringing.offerId });
    const listed = await w.t.request('GET', `${ME}/calls`, { token: agent.token });
    expect(listed.body.items).toEqual([expect.objectContaining({ callSid, state: 'ringing' })]);

    // Nobody else reaches it: a colleague (with or without a device of their own) and the admin
    // get a 404, and their own lists do not show it.
    const noDevice = await w.t.request('POST', `${ME}/calls/${callSid}/answer`, { token: colleague.token, body: {} });
    expect(noDevice.status).toBe(404);
    expect(noDevice.body.error.code).toBe('not_found');
    expect((await w.t.request('POST', ME, { token: colleague.token, body: {} })).status).toBe(201);
    for (const user of [colleague, cc.admin]) {
      if (user === cc.admin) expect((await w.t.request('POST', ME, { token: user.token, body: {} })).status).toBe(201);
      for (const act of ['answer', 'reject', 'hangup']) {
        const res = await w.t.request('POST', `${ME}/calls/${callSid}/${act}`, { token: user.token, body: {} });
        expect(res.status, `${user.role} ${act}`).toBe(404);
        expect(res.body.error.code).toBe('not_found');
      }
      const dtmf = await w.t.request('POST', `${ME}/calls/${callSid}/dtmf`, {
        token: user.token,
        body: { digits: '1' },
      });
      expect(dtmf.status).toBe(404);
      expect((await w.t.request('GET', `${ME}/calls`, { token: user.token })).body.items).toEqual([]);
    }
    expect(w.sim.call(callSid)?.status).toBe('ringing');

    // The agent answers: the leg is active and joins the customer in the room.
    const answered = await w.t.request('POST', `${ME}/calls/${callSid}/answer`, { token: agent.token, body: {} });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body).toMatchObject({ callSid, state: 'active', sessionId: ringing.sessionId });
    await events.next('simulator.device.call', (d) => d.callSid === callSid && d.state === 'active');
    const leg = w.sim.call(callSid)!;
    await bridged(customer, leg);
    await events.next('call.accepted', (d) => d.offerId === ringing.offerId);
    const again = await w.t.request('POST', `${ME}/calls/${callSid}/answer`, { token: agent.token, body: {} });
    expect(again.status).toBe(409);
    expect((await w.t.request('GET', `${ME}/calls`, { token: agent.token })).body.items).toEqual([
      expect.objectContaining({ callSid, state: 'active' }),
    ]);
    const dtmf = await w.t.request('POST', `${ME}/calls/${callSid}/dtmf`, {
      token: agent.token,
      body: { digits: '12#' },
    });
    expect(dtmf.status).toBe(200);

    // The agent hangs up: the leg ends by the agent's hand and the call record says so.
    const hung = await w.t.request('POST', `${ME}/calls/${callSid}/hangup`, { token: agent.token, body: {} });
    expect(hung.status).toBe(200);
    const ended = await events.next('simulator.device.call', (d) => d.callSid === callSid && d.state === 'ended');
    expect(ended.data.cause).toBe('local-hangup');
    await leg.ended;
    const cdr = await cdrOf(w, cc, ringing.sessionId as string);
    expect(cdr).toMatchObject({ agentId: agent.id, hungUpSide: 'seat', endStatusString: 'ok' });
    expect((await w.t.request('GET', `${ME}/calls`, { token: agent.token })).body.items).toEqual([]);
    const late = await w.t.request('POST', `${ME}/calls/${callSid}/hangup`, { token: agent.token, body: {} });
    expect(late.status).toBe(409);
    // The customer's side is over too (the flow ends after the agent; no survey in the demo flow).
    await until(async () => w.sim.calls().length === 0, 'every leg gone');
  });

  it('[IN-01] [RT-07] a ring the agent rejects, and one the caller abandons, end with their cause; a protected number stays masked', async () => {
    const cc = await center('simphone-end', 1, { numberProtection: true });
    const agent = cc.agents[0]!;
    expect((await w.t.request('POST', ME, { token: agent.token, body: {} })).status).toBe(201);
    const events = await socket(w, agent);
    await setAgentState(w.t, agent, 'idle');

    const first = await callPresales(w, cc, '13900002222');
    const ring1 = (await events.next('simulator.device.call', (d) => d.state === 'ringing')).data;
    // Number protection: the phone shows the masked caller, as the offer does.
    expect(ring1.from).not.toContain('13900002222');
    expect(ring1.from).toBe((await events.next('call.offer')).data.caller);
    const rejected = await w.t.request('POST', `${ME}/calls/${ring1.callSid}/reject`, { token: agent.token, body: {} });
    expect(rejected.status).toBe(200);
    expect(rejected.body.state).toBe('ended');
    const end1 = await events.next('simulator.device.call', (d) => d.callSid === ring1.callSid && d.state === 'ended');
    expect(end1.data.cause).toBe('rejected');
    // The ACD counts the miss (EV-05) and the agent is no longer offered calls until ready again.
    await events.next('call.autoTransfer', (d) => d.offerId === ring1.offerId);
    first.hangup();
    await first.ended;
    await until(async () => w.sim.calls().length === 0, 'first call gone');

    await setAgentState(w.t, agent, 'idle');
    const second = await callPresales(w, cc, '13900003333');
    const ring2 = (
      await events.next('simulator.device.call', (d) => d.state === 'ringing' && d.callSid !== ring1.callSid)
    ).data;
    second.hangup();
    const end2 = await events.next('simulator.device.call', (d) => d.callSid === ring2.callSid && d.state === 'ended');
    expect(end2.data.cause).toBe('cancelled');
    const gone = await w.t.request('POST', `${ME}/calls/${ring2.callSid}/answer`, { token: agent.token, body: {} });
    expect(gone.status).toBe(409);

    // Unregistered, the device is no longer reachable.
    expect((await w.t.request('DELETE', ME, { token: agent.token })).status).toBe(204);
    expect((await w.t.request('GET', `${ME}/calls`, { token: agent.token })).body).toEqual({
      registered: false,
      items: [],
    });
  });

  it('refuses anonymous callers and API keys, and answers 400 to bad input', async () => {
    const cc = await center('simphone-input', 1);
    const agent = cc.agents[0]!;
    const sid = '0b4f9a7e-1d2c-4a35-9b1e-2f6c8d7e5a41';
    for (const [method, path] of [
      ['POST', ME],
      ['DELETE', ME],
      ['GET', `${ME}/calls`],
      ['POST', `${ME}/calls/${sid}/answer`],
      ['POST', `${ME}/calls/${sid}/dtmf`],
    ] as const) {
      const res = await w.t.request(method, path, method === 'POST' ? { body: {} } : {});
      expect(res.status, `${method} ${path}`).toBe(401);
    }
    const key = await w.t.request('POST', '/api/v1/api-keys', {
      token: cc.admin.token,
      body: { name: 'server', scopes: ['users:write', 'tenant:write'] },
    });
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    const byKey = await w.t.request('POST', ME, { headers: { authorization: `Bearer ${key.body.key}` }, body: {} });
    expect(byKey.status).toBe(403);

    // Before registering there is no device to act on.
    const unregistered = await w.t.request('GET', `${ME}/calls`, { token: agent.token });
    expect(unregistered.status).toBe(404);
    expect((await w.t.request('POST', ME, { token: agent.token, body: {} })).status).toBe(201);
    for (const [path, body] of [
      [ME, { user: 'someone-else' }],
      [`${ME}/calls/not-a-sid/answer`, {}],
      [`${ME}/calls/${sid}/answer`, { force: true }],
      [`${ME}/calls/${sid}/dtmf`, { digits: '' }],
      [`${ME}/calls/${sid}/dtmf`, { digits: '12x' }],
      [`${ME}/calls/${sid}/dtmf`, { digits: '1'.repeat(33) }],
    ] as const) {
      const res = await w.t.request('POST', path, { token: agent.token, body });
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    const unknown = await w.t.request('POST', `${ME}/calls/${sid}/answer`, { token: agent.token, body: {} });
    expect(unknown.status).toBe(404);
  });
});
