import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JambonzApiError, JambonzRestClient } from '../protocol/rest-client.js';
import { JambonzSimulator } from './simulator.js';
import { TestApp, TEST_SPEECH } from './test-app.js';

const SECRET = 'wh_secret_clients';

/**
 * `/v1/Clients` as the API server's `routes/api/clients.js` answers an account API key, and the
 * registrar's digest auth against them (research §3.1, §4.8).
 */
describe('jambonz simulator: client credentials', () => {
  let app: TestApp;
  let sim: JambonzSimulator;
  let rest: JambonzRestClient;

  beforeEach(async () => {
    app = await TestApp.start(SECRET);
    app.route('/status', () => undefined);
    app.route('/agent', () => []);
    sim = await JambonzSimulator.start({ webhookSecret: SECRET, timeScale: 0.02, requireClientCredentials: true });
    rest = new JambonzRestClient({ baseUrl: sim.apiBaseUrl, accountSid: sim.accountSid, apiKey: sim.apiKey });
  });

  afterEach(async () => {
    await sim.stop();
    await app.close();
  });

  async function get(path: string, key = sim.apiKey): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${sim.apiBaseUrl}${path}`, { headers: { Authorization: `Bearer ${key}` } });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  it('POST creates (201 {sid}), usernames are unique per account (400), GET never shows the password', async () => {
    const sid = await rest.createClient({ username: 'agent7', password: 'pw-1', is_active: true });
    expect(sid).toMatch(/^[0-9a-f-]{36}$/);
    await expect(rest.createClient({ username: 'agent7', password: 'other', is_active: true })).rejects.toMatchObject({
      status: 400,
      body: { msg: "the client's username already exists" },
    });
    const one = await get(`/Clients/${sid}`);
    expect(one).toEqual({
      status: 200,
      body: {
        client_sid: sid,
        account_sid: sim.accountSid,
        username: 'agent7',
        is_active: true,
        allow_direct_app_calling: false,
        allow_direct_queue_calling: false,
        allow_direct_user_calling: false,
      },
    });
    expect((await get('/Clients')).body).toEqual([one.body]);
    expect((await get('/Clients', 'wrong-key')).status).toBe(401);
    await expect(rest.updateClient('00000000-0000-0000-0000-000000000000', { password: 'x' })).rejects.toBeInstanceOf(
      JambonzApiError,
    );
  });

  it('only an active client’s password registers; a change or delete drops the registration', async () => {
    const sid = await rest.createClient({ username: 'agent8', password: 'pw-1', is_active: true });
    expect(sim.registerUser('agent8', { password: 'nope' }).registered).toBe(false);
    expect(sim.registerUser('stranger', { password: 'pw-1' }).registered).toBe(false);
    const device = sim.registerUser('agent8', { password: 'pw-1' });
    expect(device.registered).toBe(true);
    expect(await rest.listRegisteredSipUsers()).toEqual([`agent8@${sim.sipRealm}`]);
    expect(await rest.isSipUserRegistered('agent8')).toBe(true);
    expect(await rest.isSipUserRegistered('stranger')).toBe(false);

    await rest.updateClient(sid, { password: 'pw-2' });
    expect(device.registered).toBe(false);
    expect(await rest.isSipUserRegistered('agent8')).toBe(false);
    expect(sim.registerUser('agent8', { password: 'pw-1' }).registered).toBe(false);
    expect(sim.registerUser('agent8', { password: 'pw-2' }).registered).toBe(true);

    await rest.updateClient(sid, { is_active: false });
    expect(device.registered).toBe(false);
    expect(sim.registerUser('agent8', { password: 'pw-2' }).registered).toBe(false);

    await rest.updateClient(sid, { is_active: true });
    expect(sim.registerUser('agent8', { password: 'pw-2' }).registered).toBe(true);
    await rest.deleteClient(sid);
    expect(device.registered).toBe(false);
    await expect(rest.deleteClient(sid)).rejects.toMatchObject({ status: 404 });
    // An unregistered user cannot be rung: the REST call fails with 480.
    const { sid: callSid } = await rest.createCall({
      from: '100',
      to: { type: 'user', name: 'agent8' },
      call_hook: app.url('/agent'),
      call_status_hook: app.url('/status'),
      ...TEST_SPEECH,
    });
    const status = await app.waitFor('/status', (h) => h.body.call_sid === callSid && h.body.call_status === 'failed');
    expect(status.body.sip_status).toBe(480);
  });

  it('a softphone honours Call-Info answer-after unless it is set to ignore it', async () => {
    const auto = sim.registerUser('free1');
    const deaf = sim.registerUser('free2', { honourAutoAnswer: false });
    expect(auto.registered).toBe(false); // credentials required here
    await rest.createClient({ username: 'free1', password: 'a', is_active: true });
    await rest.createClient({ username: 'free2', password: 'b', is_active: true });
    sim.registerUser('free1', { password: 'a' });
    sim.registerUser('free2', { password: 'b' });
    for (const name of ['free1', 'free2']) {
      await rest.createCall({
        from: '100',
        to: { type: 'user', name },
        call_hook: app.url('/agent'),
        call_status_hook: app.url('/status'),
        headers: { 'Call-Info': `<sip:${sim.sipRealm}>;answer-after=0` },
        ...TEST_SPEECH,
      });
    }
    const answered = await app.waitFor('/agent');
    expect(answered.body.to).toBe(`free1@${sim.sipRealm}`);
    const ring = await deaf.nextRing();
    expect(ring.headers['Call-Info']).toMatch(/answer-after=0/);
    expect(ring.state).toBe('ringing');
    ring.reject();
  });
});
