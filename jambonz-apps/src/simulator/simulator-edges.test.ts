/**
 * The simulator behaves like a real jambonz 0.9 on the edges an app must survive: call records
 * that expire while the call lives, 422 on ended calls, 480/500 from `POST /Calls`, an integer
 * ring timeout, the snake-cased hold wait_hook, a redirect answered `[]`, statuses out of order
 * and a second background listen.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JambonzApiError } from '../protocol/rest-client.js';
import {
  JambonzCallStateError,
  JambonzNoCapacityError,
  JambonzServerError,
  type JambonzRestClient,
} from '../protocol/rest-client.js';
import { conference, config, pause, say } from '../protocol/verbs.js';
import type { JambonzSimulator } from './simulator.js';
import { type TestApp, startSimulatorFixture, TEST_SPEECH } from './test-app.js';

const SECRET = 'wh_secret_edges_test';

describe('jambonz simulator: edges of a real server', () => {
  let app: TestApp;
  let sim: JambonzSimulator;
  let rest: JambonzRestClient;

  beforeEach(async () => {
    ({ app, sim, rest } = await startSimulatorFixture(SECRET));
    app.route('/status', () => undefined);
  });

  afterEach(async () => {
    await sim.stop();
    await app.close();
  });

  async function raw(method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> {
    const res = await fetch(`${sim.apiBaseUrl}/Accounts/${sim.accountSid}${path}`, {
      method,
      headers: { Authorization: `Bearer ${sim.apiKey}`, 'Content-Type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: await res.text() };
  }

  it('GET /Calls/{sid} answers 404 for a live call once its record expired (no status change since)', async () => {
    app.route('/call', () => [conference('edge-room', { startConferenceOnEnter: true })]);
    const call = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    await call.waitForStatus('in-progress');
    await expect.poll(() => call.conference).toBe('edge-room');
    expect((await rest.getCall(call.callSid))?.call_status).toBe('in-progress');

    // Joining the conference changed no status: the record ages from the answer.
    sim.setCallRecordTtl(1);
    await expect.poll(() => rest.getCall(call.callSid)).toBeNull();
    expect(sim.calls().map((c) => c.callSid)).toContain(call.callSid);
    expect(await rest.listConferences()).toEqual(['edge-room']);
    // Call control needs the record too: 404 while the call talks on.
    const put = await rest.updateCall(call.callSid, { call_status: 'completed' }).catch((e: unknown) => e);
    expect((put as JambonzApiError).status).toBe(404);
    call.hangup();
    await call.ended;
    expect(sim.alerts).toEqual([]);
  });

  it('a PUT on an ended call answers 422 while its record lives, then 404; GET shows the final status', async () => {
    app.route('/call', () => [say('hello'), pause(600)]);
    const call = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    await call.waitForStatus('in-progress');
    call.hangup();
    await call.ended;
    const err = await rest.updateCall(call.callSid, { call_status: 'completed' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JambonzCallStateError);
    expect((err as JambonzApiError).status).toBe(422);
    expect((await rest.getCall(call.callSid))?.call_status).toBe('completed');
    sim.setCallRecordTtl(1);
    await expect.poll(() => rest.getCall(call.callSid)).toBeNull();
    expect((await raw('PUT', `/Calls/${call.callSid}`, { call_status: 'completed' })).status).toBe(404);
  });

  it('POST /Calls answers 480 and 500 when injected, and refuses a ring timeout that is not an integer', async () => {
    const body = {
      from: '4001000000',
      to: { type: 'phone' as const, number: '13800000011' },
      call_hook: app.url('/agent'),
      call_status_hook: app.url('/status'),
      ...TEST_SPEECH,
    };
    sim.rejectNextCreateCalls(480);
    sim.rejectNextCreateCalls(500);
    const noCapacity = await rest.createCall({ ...body, timeout: 20 }).catch((e: unknown) => e);
    expect(noCapacity).toBeInstanceOf(JambonzNoCapacityError);
    expect((noCapacity as JambonzApiError).status).toBe(480);
    const failed = await rest.createCall({ ...body, timeout: 20 }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(JambonzServerError);
    expect(sim.calls()).toEqual([]);

    const fractional = await raw('POST', '/Calls', { ...body, timeout: 12.5 });
    expect(fractional).toEqual({ status: 400, body: JSON.stringify({ msg: 'timeout must be an integer' }) });
    // The typed client rounds a fractional ring time up instead.
    const phone = sim.phone('13800000011');
    const { sid } = await rest.createCall({ ...body, timeout: 12.5 });
    const ring = await phone.nextRing();
    expect(ring.callSid).toBe(sid);
    expect(sim.restRequests().at(-1)?.body).toMatchObject({ timeout: 13 });
    ring.reject();
  });

  it('the conference hold wait_hook is snake-cased through and through (customer_data)', async () => {
    app.route('/call', () => [conference('hold-room', { startConferenceOnEnter: true })]);
    app.route('/moh', () => [pause(30)]);
    const call = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    await call.waitForStatus('in-progress');
    await expect.poll(() => call.conference).toBe('hold-room');
    await rest.updateCall(call.callSid, { tag: { sessionId: 's-1', legRole: 'customer' } });
    await rest.updateCall(call.callSid, { conferenceParticipantAction: { action: 'hold', wait_hook: '/moh' } });
    const hook = await app.waitFor('/moh');
    expect(hook.body).toMatchObject({
      call_sid: call.callSid,
      customer_data: { session_id: 's-1', leg_role: 'customer' },
    });
    expect(hook.body).not.toHaveProperty('customerData');
    call.hangup();
    await call.ended;
  });

  it('a REST redirect answered with [] ends the call', async () => {
    app.route('/call', () => [say('hold on'), pause(600)]);
    app.route('/nothing', () => []);
    const call = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    await call.waitForStatus('in-progress');
    await rest.updateCall(call.callSid, { call_hook: app.url('/nothing') });
    const end = await call.ended;
    expect(end).toMatchObject({ status: 'completed', by: 'jambonz' });
  });

  it('status hooks may arrive out of order (option): the final one first', async () => {
    sim.setStatusHookOrder('final-first');
    app.route('/call', () => [say('bye')]);
    const call = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    await call.ended;
    await sim.drainWebhooks();
    expect(app.received('/status').map((h) => h.body.call_status)).toEqual(['completed', 'in-progress', 'trying']);
  });

  it('a second config.listen while one runs is skipped, not restarted', async () => {
    const listen = (id: string) =>
      config({ listen: { enable: true, url: app.wsUrl('/fork'), mixType: 'stereo', metadata: { id } } });
    app.route('/call', () => [listen('first'), say('one'), listen('second'), pause(600)]);
    const call = await sim.placeCall({ from: '13912345678', to: '4001000000' });
    await call.expectPrompt('one');
    const fork = await app.waitForFork();
    await expect.poll(() => fork.textFrames.length).toBeGreaterThan(0);
    expect(JSON.parse(fork.textFrames[0]!)).toMatchObject({ id: 'first' });
    await sim.drainWebhooks();
    call.hangup();
    await call.ended;
    expect(sim.forks().map((f) => f.metadata.id)).toEqual(['first']);
    expect(sim.alerts).toEqual([]);
  });
});
