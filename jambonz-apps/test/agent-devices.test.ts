/**
 * Agents' devices on live calls through the jambonz simulator, which here only lets a softphone
 * register with the password of an active `/v1/Clients` credential: provisioning and rotation
 * (IN-01), answering on the mobile from an agent-mobile number (IN-02, ADM-05, AGT-03) and
 * auto-answer (IN-03).
 */
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { setAgentState, type CallCenter } from '../../core/test/support/call-center.js';
import type { SeededUser } from '../../core/test/support/test-app.js';
import type { SimDevice } from '../src/simulator/index.js';
import { simulatedPause, until } from './support/harness.js';
import { callPresales as presales, cdrOf, sessionIdOf, talkAndHangUp, useLiveWorld } from './support/live-world.js';

const w = useLiveWorld({
  secret: 'agent-devices-secret',
  timeScale: 0.02,
  simulator: { requireClientCredentials: true },
  calls: { wrapUpSeconds: 0 },
});

/** Provisions an agent's softphone through the API and registers it with what the API gave. */
async function softphone(cc: CallCenter, agent: SeededUser, opts: { honourAutoAnswer?: boolean } = {}) {
  const prov = await w.t.request('POST', `/api/v1/agents/${agent.id}/device`, { token: cc.admin.token });
  expect(prov.status, JSON.stringify(prov.body)).toBe(200);
  const creds = await w.t.request('GET', '/api/v1/me/device', { token: agent.token });
  expect(creds.status).toBe(200);
  const device = w.sim.registerUser(creds.body.sipUser, { password: creds.body.password, ...opts });
  expect(device.registered).toBe(true);
  return { device, creds: creds.body as { sipUser: string; password: string } };
}

async function center(slug: string, agents: number, settings?: Record<string, unknown>) {
  return w.center({ slug: `${slug}-${randomInt(1e6)}`, agents, ...(settings ? { settings } : {}) });
}

/** A tenant number designated to dial agents' mobiles (ADM-05). */
async function agentMobileNumber(cc: CallCenter): Promise<string> {
  const number = `0105${randomInt(1_000_000, 9_999_999)}`;
  const n = await w.t.app.container.cradle.numberRepo.create(cc.tenantId, { number, label: 'agent mobiles' });
  const res = await w.t.request('PUT', `/api/v1/agent-mobile-numbers/${n.id}`, { token: cc.admin.token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return number;
}

async function answering(agent: SeededUser, body: Record<string, unknown>): Promise<void> {
  const res = await w.t.request('PUT', '/api/v1/me/answering', { token: agent.token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

const callPresales = (cc: CallCenter, from: string) => presales(w, cc, from);

function noRing(device: SimDevice): void {
  expect(device.rings.map((r) => r.from)).toEqual([]);
}

describe('softphone credentials', () => {
  it('[IN-01] an agent created through the API gets jambonz client credentials; a password reset rotates them', async () => {
    const cc = await center('creds', 1);
    const email = `new-${randomInt(1e9)}@creds.test`;
    const created = await w.t.request('POST', '/api/v1/users', {
      token: cc.admin.token,
      body: { email, name: 'New Agent', staffNo: '777', role: 'agent', password: 'first password 1' },
    });
    expect(created.status).toBe(201);
    const userId = created.body.id as string;
    const token = (await w.t.login(email, 'first password 1')).body.accessToken as string;

    // The client exists at jambonz, active, and the agent gets the same password back.
    const device1 = await w.t.request('GET', '/api/v1/me/device', { token });
    expect(device1.status).toBe(200);
    expect(device1.body).toEqual({
      sipUser: `sb-${userId}`,
      password: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/),
      realm: w.sim.sipRealm,
      wsServer: `wss://${w.sim.sipRealm}:8443`,
      mode: 'simulator',
    });
    const clients = w.sim.clients().filter((c) => c.username === `sb-${userId}`);
    expect(clients).toEqual([
      expect.objectContaining({
        account_sid: w.sim.accountSid,
        password: device1.body.password,
        is_active: true,
        allow_direct_app_calling: false,
        allow_direct_queue_calling: false,
        allow_direct_user_calling: false,
      }),
    ]);
    // Stored encrypted: the plain password is nowhere in the row.
    const row = (
      await w.t.app.database.pool.query('select sip_password_enc, sip_client_sid from agents where user_id = $1', [
        userId,
      ])
    ).rows[0];
    expect(row.sip_password_enc).not.toContain(device1.body.password);
    expect(row.sip_password_enc).toMatch(/^v1\./);
    expect(row.sip_client_sid).toBe(clients[0]!.client_sid);

    // Only the real password registers.
    expect(w.sim.registerUser(device1.body.sipUser, { password: 'guess' }).registered).toBe(false);
    const phone = w.sim.registerUser(device1.body.sipUser, { password: device1.body.password });
    expect(phone.registered).toBe(true);

    // An admin resets the sign-in password: the softphone password rotates at jambonz too.
    const reset = await w.t.request('PATCH', `/api/v1/users/${userId}`, {
      token: cc.admin.token,
      body: { password: 'second password 2' },
    });
    expect(reset.status).toBe(200);
    expect(phone.registered).toBe(false);
    const device2 = await w.t.request('GET', '/api/v1/me/device', { token });
    expect(device2.body.sipUser).toBe(device1.body.sipUser);
    expect(device2.body.password).not.toBe(device1.body.password);
    expect(w.sim.clients().filter((c) => c.username === `sb-${userId}`)).toEqual([
      expect.objectContaining({ client_sid: clients[0]!.client_sid, password: device2.body.password }),
    ]);
    expect(w.sim.registerUser(device1.body.sipUser, { password: device1.body.password }).registered).toBe(false);
    expect(w.sim.registerUser(device1.body.sipUser, { password: device2.body.password }).registered).toBe(true);

    // Deleting the user removes the credentials at jambonz.
    expect((await w.t.request('DELETE', `/api/v1/users/${userId}`, { token: cc.admin.token })).status).toBe(204);
    expect(w.sim.clients().filter((c) => c.username === `sb-${userId}`)).toEqual([]);
  });
});

describe('answering on the mobile', () => {
  it('[IN-02] [ADM-05] mobileAlways: the mobile rings from an agent-mobile number, never the caller’s number', async () => {
    const cc = await center('mobile', 1, { numberProtection: true });
    const agent = cc.agents[0]!;
    const { device } = await softphone(cc, agent);
    const first = await agentMobileNumber(cc);
    const second = await agentMobileNumber(cc);
    const list = await w.t.request('GET', '/api/v1/agent-mobile-numbers', { token: cc.supervisor.token });
    expect(list.body.items.map((n: { number: string }) => n.number).sort()).toEqual([first, second].sort());
    await answering(agent, { answerMode: 'mobileAlways' });
    const mobile = w.sim.phone(agent.mobile);
    await setAgentState(w.t, agent, 'idle');

    const callers = ['13900003001', '13900003002'];
    const seenFrom: string[] = [];
    for (const from of callers) {
      const call = await callPresales(cc, from);
      const ring = await mobile.nextRing({ timeoutMs: 10_000 });
      expect(ring.to).toBe(agent.mobile);
      seenFrom.push(ring.from);
      // Neither the caller's number nor a masked form of it reaches the mobile.
      expect(ring.from).not.toContain(from.slice(-4));
      expect(JSON.stringify(ring.headers)).not.toContain(from.slice(-4));
      const leg = ring.answer();
      const sessionId = await sessionIdOf(w, call);
      await talkAndHangUp(call, leg);
      const cdr = await cdrOf(w, cc, sessionId);
      expect(cdr).toMatchObject({ agentId: agent.id, endStatusString: 'ok' });
      await until(async () => (await agentStateOf(agent)) === 'idle', 'agent idle again');
    }
    // Round robin over the designated numbers.
    expect(seenFrom.sort()).toEqual([first, second].sort());
    noRing(device);
  });

  it('[IN-02] mobileWhenOffline: the softphone while it is registered, the mobile once it is not', async () => {
    const cc = await center('whenoffline', 1);
    const agent = cc.agents[0]!;
    const { device } = await softphone(cc, agent);
    const number = await agentMobileNumber(cc);
    await answering(agent, { answerMode: 'mobileWhenOffline' });
    const mobile = w.sim.phone(agent.mobile);
    await setAgentState(w.t, agent, 'idle');

    const call1 = await callPresales(cc, '13900003101');
    const ring1 = await device.nextRing({ timeoutMs: 10_000 });
    await talkAndHangUp(call1, ring1.answer());
    noRing(mobile);
    await until(async () => (await agentStateOf(agent)) === 'idle', 'agent idle again');

    // The browser closes: its registration lapses.
    device.unregister();
    const call2 = await callPresales(cc, '13900003102');
    const ring2 = await mobile.nextRing({ timeoutMs: 10_000 });
    expect(ring2.from).toBe(number);
    await talkAndHangUp(call2, ring2.answer());
    expect(device.rings).toHaveLength(1);
  });

  it('[IN-02] [ADM-05] without an agent-mobile number the mobile is not rung: the offer fails, logged, agent notReady', async () => {
    const cc = await center('nonumber', 2);
    const mob = cc.agents[0]!;
    const web = cc.agents[1]!;
    await answering(mob, { answerMode: 'mobileAlways' });
    const mobile = w.sim.phone(mob.mobile);
    const { device } = await softphone(cc, web);
    await setAgentState(w.t, mob, 'idle');
    await new Promise((r) => setTimeout(r, 20));
    await setAgentState(w.t, web, 'idle');

    const call = await callPresales(cc, '13900003201');
    // The mobile agent (longest idle) cannot be rung; the caller goes on to the next agent.
    const ring = await device.nextRing({ timeoutMs: 10_000 });
    const sessionId = await sessionIdOf(w, call);
    const offers = (
      await w.t.app.database.pool.query(
        'select agent_id, state, end_reason from call_offers where session_id = $1 order by created_at',
        [sessionId],
      )
    ).rows;
    expect(offers[0]).toEqual({ agent_id: mob.id, state: 'missed', end_reason: 'no agent-mobile number' });
    expect(await agentStateOf(mob)).toBe('notReady');
    expect(w.t.logs.some((l) => String(l.msg).includes('no agent-mobile number (ADM-05)'))).toBe(true);
    noRing(mobile);
    await talkAndHangUp(call, ring.answer());
  });

  it('[AGT-03] an agent changes their bound mobile; the next mobile ring goes there', async () => {
    const cc = await center('rebind', 1);
    const agent = cc.agents[0]!;
    await agentMobileNumber(cc);
    await answering(agent, { answerMode: 'mobileAlways' });
    const newMobile = `+86138${randomInt(10_000_000, 99_999_999)}`;
    for (const bad of ['12345', 'not a number', '+0123456789', '']) {
      const res = await w.t.request('PUT', '/api/v1/me/mobile', { token: agent.token, body: { mobile: bad } });
      expect(res.status, bad).toBe(400);
    }
    const taken = await w.t.request('PUT', '/api/v1/me/mobile', {
      token: agent.token,
      body: { mobile: cc.admin.mobile },
    });
    expect(taken.status).toBe(409);
    const put = await w.t.request('PUT', '/api/v1/me/mobile', { token: agent.token, body: { mobile: newMobile } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toEqual({ mobile: newMobile });
    const me = await w.t.request('GET', '/api/v1/auth/me', { token: agent.token });
    expect(me.body.mobile).toBe(newMobile);

    const oldPhone = w.sim.phone(agent.mobile);
    const newPhone = w.sim.phone(newMobile);
    await setAgentState(w.t, agent, 'idle');
    const call = await callPresales(cc, '13900003301');
    const ring = await newPhone.nextRing({ timeoutMs: 10_000 });
    expect(ring.to).toBe(newMobile);
    await talkAndHangUp(call, ring.answer());
    noRing(oldPhone);
  });
});

describe('auto-answer', () => {
  it('[IN-03] with auto-answer on, the softphone connects the caller without anyone answering', async () => {
    const cc = await center('autoanswer', 2);
    const auto = cc.agents[0]!;
    const manual = cc.agents[1]!;
    const a = await softphone(cc, auto);
    const m = await softphone(cc, manual);
    await answering(auto, { autoAnswer: true });
    expect((await w.t.request('GET', '/api/v1/me/answering', { token: auto.token })).body).toEqual({
      answerMode: 'webrtc',
      autoAnswer: true,
    });
    await setAgentState(w.t, auto, 'idle');
    const call = await callPresales(cc, '13900003401');
    // Nobody calls answer(): the softphone honours the INVITE's auto-answer request.
    await until(async () => call.conference !== undefined, 'caller in the room', 10_000);
    const ring = a.device.rings[0]!;
    expect(ring.headers).toMatchObject({ 'Call-Info': `<sip:${w.sim.sipRealm}>;answer-after=0` });
    expect(ring.state).toBe('answered');
    const leg = w.sim.call(ring.callSid)!;
    expect(leg.conference).toBe(call.conference);
    expect(await agentStateOf(auto)).toBe('busy');
    call.hangup();
    await leg.ended;
    await setAgentState(w.t, auto, 'offline');

    // Without it, the offer just rings.
    await setAgentState(w.t, manual, 'idle');
    const call2 = await callPresales(cc, '13900003402');
    const ring2 = await m.device.nextRing({ timeoutMs: 10_000 });
    expect(ring2.headers['Call-Info']).toBeUndefined();
    // answer-after=0 connected the first call at once; this one still rings seconds later.
    await simulatedPause(w.sim, 5000);
    expect(ring2.state).toBe('ringing');
    await talkAndHangUp(call2, ring2.answer());
  });
});

async function agentStateOf(user: SeededUser): Promise<string> {
  return (await w.t.request('GET', '/api/v1/agents/me', { token: user.token })).body.state;
}
