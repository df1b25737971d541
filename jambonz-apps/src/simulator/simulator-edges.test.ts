/**
 * The simulator behaves like a real jambonz 0.9 on the edges an app must survive: call records
 * that expire while the call lives, 422 on ended calls, 480/500 from `POST /Calls`, an integer
 * ring timeout, the snake-cased hold wait_hook, a redirect answered `[]`, statuses out of order
 * and a second background listen.
 */
import { describe, expect, it } from 'vitest';
import type { JambonzApiError } from '../protocol/rest-client.js';
import { JambonzCallStateError, JambonzNoCapacityError, JambonzServerError } from '../protocol/rest-client.js';
import { conference, config, pause, say } from '../protocol/verbs.js';
import { TEST_SPEECH } from './test-app.js';
import { useSimulatorFixture } from '../../test/support/simulator-fixture.js';

const SECRET = 'wh_secret_edges_test';

describe('jambonz simulator: edges of a real server', () => {
  const fx = useSimulatorFixture(SECRET);

  async function raw(method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> {
    const res = await fetch(`${fx.sim.apiBaseUrl}/Accounts/${fx.sim.accountSid}${path}`, {
      method,
      headers: { Authorization: `Bearer ${fx.sim.apiKey}`, 'Content-Type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: await res.text() };
  }

  it('GET /Calls/{sid} answers 404 for a live call once its record expired (no status change since)', async () => {
    fx.app.route('/call', () => [conference('edge-room', { startConferenceOnEnter: true })]);
    const call = await fx.sim.placeCall({ from: '13912345678', to: '4001000000' });
    await call.waitForStatus('in-progress');
    await expect.poll(() => call.conference).toBe('edge-room');
    expect((await fx.rest.getCall(call.callSid))?.call_status).toBe('in-progress');

    // Joining the conference changed no status: the record ages from the answer.
    fx.sim.setCallRecordTtl(1);
    await expect.poll(() => fx.rest.getCall(call.callSid)).toBeNull();
    expect(fx.sim.calls().map((c) => c.callSid)).toContain(call.callSid);
    expect(await fx.rest.listConferences()).toEqual(['edge-room']);
    // Call control needs the record too: 404 while the call talks on.
    const put = await fx.rest.updateCall(call.callSid, { call_status: 'completed' }).catch((e: unknown) => e);
    expect((put as JambonzApiError).status).toBe(404);
    call.hangup();
    await call.ended;
    expect(fx.sim.alerts).toEqual([]);
  });

  it('a PUT on an ended call answers 422 while its record lives, then 404; GET shows the final status', async () => {
    fx.app.route('/call', () => [say('hello'), pause(600)]);
    const call = await fx.sim.placeCall({ from: '13912345678', to: '4001000000' });
    await call.waitForStatus('in-progress');
    call.hangup();
    await call.ended;
    const err = await fx.rest.updateCall(call.callSid, { call_status: 'completed' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JambonzCallStateError);
    expect((err as JambonzApiError).status).toBe(422);
    expect((await fx.rest.getCall(call.callSid))?.call_status).toBe('completed');
    fx.sim.setCallRecordTtl(1);
    await expect.poll(() => fx.rest.getCall(call.callSid)).toBeNull();
    expect((await raw('PUT', `/Calls/${call.callSid}`, { call_status: 'completed' })).status).toBe(404);
  });

  it('POST /Calls answers 480 and 500 when injected, and refuses a ring timeout that is not an integer', async () => {
    const body = {
      from: '4001000000',
      to: { type: 'phone' as const, number: '13800000011' },
      call_hook: fx.app.url('/agent'),
      call_status_hook: fx.app.url('/status'),
      ...TEST_SPEECH,
    };
    fx.sim.rejectNextCreateCalls(480);
    fx.sim.rejectNextCreateCalls(500);
    const noCapacity = await fx.rest.createCall({ ...body, timeout: 20 }).catch((e: unknown) => e);
    expect(noCapacity).toBeInstanceOf(JambonzNoCapacityError);
    expect((noCapacity as JambonzApiError).status).toBe(480);
    const failed = await fx.rest.createCall({ ...body, timeout: 20 }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(JambonzServerError);
    expect(fx.sim.calls()).toEqual([]);

    const fractional = await raw('POST', '/Calls', { ...body, timeout: 12.5 });
    expect(fractional).toEqual({ status: 400, body: JSON.stringify({ msg: 'timeout must be an integer' }) });
    // The typed client rounds a fractional ring time up instead.
    const phone = fx.sim.phone('13800000011');
    const { sid } = await fx.rest.createCall({ ...body, timeout: 12.5 });
    const ring = await phone.nextRing();
    expect(ring.callSid).toBe(sid);
    expect(fx.sim.restRequests().at(-1)?.body).toMatchObject({ timeout: 13 });
    ring.reject();
  });

  it('the conference hold wait_hook is snake-cased through and through (customer_data)', async () => {
    fx.app.route('/call', () => [conference('hold-room', { startConferenceOnEnter: true })]);
    fx.app.route('/moh', () => [pause(30)]);
    const call = await fx.sim.placeCall({ from: '13912345678', to: '4001000000' });
    await call.waitForStatus('in-progress');
    await expect.poll(() => call.conference).toBe('hold-room');
    await fx.rest.updateCall(call.callSid, { tag: { sessionId: 's-1', legRole: 'customer' } });
    await fx.rest.updateCall(call.callSid, { conferenceParticipantAction: { action: 'hold', wait_hook: '/moh' } });
    const hook = await fx.app.waitFor('/moh');
    expect(hook.body).toMatchObject({
      call_sid: call.callSid,
      customer_data: { session_id: 's-1', leg_role: 'customer' },
    });
    expect(hook.body).not.toHaveProperty('customerData');
    call.hangup();
    await call.ended;
  });

  it('a REST redirect answered with [] ends the call', async () => {
    fx.app.route('/call', () => [say('hold on'), pause(600)]);
    fx.app.route('/nothing', () => []);
    const call = await fx.sim.placeCall({ from: '13912345678', to: '4001000000' });
    await call.waitForStatus('in-progress');
    await fx.rest.updateCall(call.callSid, { call_hook: fx.app.url('/nothing') });
    const end = await call.ended;
    expect(end).toMatchObject({ status: 'completed', by: 'jambonz' });
  });

  it('status hooks may arrive out of order (option): the final one first', async () => {
    fx.sim.setStatusHookOrder('final-first');
    fx.app.route('/call', () => [say('bye')]);
    const call = await fx.sim.placeCall({ from: '13912345678', to: '4001000000' });
    await call.ended;
    await fx.sim.drainWebhooks();
    expect(fx.app.received('/status').map((h) => h.body.call_status)).toEqual(['completed', 'in-progress', 'trying']);
  });

  it('a second config.listen while one runs is skipped, not restarted', async () => {
    const listen = (id: string) =>
      config({ listen: { enable: true, url: fx.app.wsUrl('/fork'), mixType: 'stereo', metadata: { id } } });
    fx.app.route('/call', () => [listen('first'), say('one'), listen('second'), pause(600)]);
    const call = await fx.sim.placeCall({ from: '13912345678', to: '4001000000' });
    await call.expectPrompt('one');
    const fork = await fx.app.waitForFork();
    await expect.poll(() => fork.textFrames.length).toBeGreaterThan(0);
    expect(JSON.parse(fork.textFrames[0]!)).toMatchObject({ id: 'first' });
    await fx.sim.drainWebhooks();
    call.hangup();
    await call.ended;
    expect(fx.sim.forks().map((f) => f.metadata.id)).toEqual(['first']);
    expect(fx.sim.alerts).toEqual([]);
  });
});
