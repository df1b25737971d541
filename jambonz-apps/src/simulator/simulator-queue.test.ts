import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EnqueueWaitPayloadSchema, QueueEventPayloadSchema } from '../protocol/payloads.js';
import { JambonzRestClient } from '../protocol/rest-client.js';
import { dequeue, enqueue, hangup, pause, say, tag } from '../protocol/verbs.js';
import { JambonzSimulator } from './simulator.js';
import { TestApp, TEST_SPEECH } from './test-app.js';

const SECRET = 'wh_secret_queue_test';
const SPEECH = TEST_SPEECH;

describe('jambonz simulator: queues', () => {
  let app: TestApp;
  let sim: JambonzSimulator;
  let rest: JambonzRestClient;

  beforeEach(async () => {
    app = await TestApp.start(SECRET);
    sim = await JambonzSimulator.start({
      webhookSecret: SECRET,
      timeScale: 0.02,
      application: { callHook: app.url('/call'), statusHook: app.url('/status') },
      queueEventHook: app.url('/queue-event'),
    });
    rest = new JambonzRestClient({ baseUrl: sim.apiBaseUrl, accountSid: sim.accountSid, apiKey: sim.apiKey });
    app.route('/status', () => undefined);
    app.route('/queue-event', () => undefined);
  });

  afterEach(async () => {
    await sim.stop();
    await app.close();
  });

  it('two callers wait with 0-based positions; an agent leg on a WebRTC user dequeues the second by callSid', async () => {
    app.route('/call', (h) => [
      tag({ conversationId: `conv-${String(h.body.from)}` }),
      say('Please hold'),
      enqueue('support', { waitHook: '/wait', actionHook: '/queue-done' }),
    ]);
    app.route('/wait', (h) => {
      const w = EnqueueWaitPayloadSchema.parse(h.body);
      return [say(`You are caller number ${(w.queue_position ?? 0) + 1}`), pause(2)];
    });
    app.route('/queue-done', (h) =>
      h.body.queue_result === 'bridged' ? [say('Thank you for calling'), hangup()] : [],
    );
    app.route('/agent', (h) => [
      dequeue('support', { callSid: h.query.get('caller') ?? '', beep: true, actionHook: '/dequeue-done' }),
    ]);
    app.route('/dequeue-done', () => []);

    const agent = sim.registerUser('agent1');
    const first = await sim.placeCall({ from: '13900000001', to: '4001000000' });
    await first.expectPrompt('You are caller number 1');
    const second = await sim.placeCall({ from: '13900000002', to: '4001000000' });
    await second.expectPrompt('You are caller number 2');

    const secondWait = await app.waitFor('/wait', (h) => h.body.call_sid === second.callSid);
    const w2 = EnqueueWaitPayloadSchema.parse(secondWait.body);
    expect(w2).toMatchObject({ queue_position: 1, queue_size: 2, queue_sid: `queue:${sim.accountSid}:support` });
    expect(w2.customerData).toEqual({ conversationId: 'conv-13900000002' });
    // The waitHook body is NOT the full call info.
    expect(secondWait.body.call_status).toBeUndefined();
    expect(await rest.listQueues()).toEqual([{ name: 'support', length: 2 }]);
    expect(sim.queues()[0]?.members.map((m) => m.callSid)).toEqual([first.callSid, second.callSid]);

    const { sid: agentSid } = await rest.createCall({
      from: '4001000000',
      to: { type: 'user', name: 'agent1' },
      call_hook: app.url(`/agent?caller=${second.callSid}`),
      call_status_hook: app.url('/status'),
      tag: { role: 'agent', callerSid: second.callSid },
      timeout: 20,
      ...SPEECH,
    });
    const ring = await agent.nextRing();
    expect(ring.callSid).toBe(agentSid);
    expect(ring.customerData).toEqual({ role: 'agent', callerSid: second.callSid });
    const agentCall = ring.answer();

    const leave = await app.waitFor('/queue-event', (h) => h.body.event === 'leave');
    expect(QueueEventPayloadSchema.parse(leave.body)).toMatchObject({
      event: 'leave',
      queue: 'support',
      length: 1,
      leave_reason: 'dequeued',
      call_sid: second.callSid,
      dequeuer: { call_sid: agentSid },
    });
    await expect.poll(() => sim.calls().find((c) => c.callSid === second.callSid)?.bridgedTo).toBe(agentSid);
    // The first caller is now at the head: its next waitHook reports position 0 of 1.
    const later = await app.waitFor('/wait', (h) => h.body.call_sid === first.callSid && h.body.queue_size === 1);
    expect(later.body.queue_position).toBe(0);

    agentCall.hangup();
    await second.expectPrompt('Thank you for calling');
    expect(await second.ended).toMatchObject({ status: 'completed', by: 'jambonz' });
    expect(await agentCall.ended).toMatchObject({ status: 'completed', by: 'caller' });
    expect((await app.waitFor('/queue-done')).body).toMatchObject({
      queue_result: 'bridged',
      call_sid: second.callSid,
    });
    expect((await app.waitFor('/dequeue-done')).body).toMatchObject({ dequeue_result: 'complete', call_sid: agentSid });

    first.hangup();
    await first.ended;
    await sim.drainWebhooks();
    const events = app.received('/queue-event').map((h) => QueueEventPayloadSchema.parse(h.body));
    expect(events.map((e) => [e.event, e.length, e.leave_reason, e.call_sid])).toEqual([
      ['join', 1, undefined, first.callSid],
      ['join', 2, undefined, second.callSid],
      ['leave', 1, 'dequeued', second.callSid],
      ['leave', 0, 'abandoned', first.callSid],
    ]);
    expect(app.received('/queue-done').find((h) => h.body.call_sid === first.callSid)?.body.queue_result).toBe(
      'hangup',
    );
    const agentStatuses = app
      .received('/status')
      .filter((h) => h.body.call_sid === agentSid)
      .map((h) => h.body.call_status);
    expect(agentStatuses).toEqual(['trying', 'ringing', 'in-progress', 'completed']);
    expect(app.hooks.every((h) => h.signatureValid)).toBe(true);
    expect(sim.alerts).toEqual([]);
  });

  it('a waitHook leave verb exits the queue and the caller continues after enqueue', async () => {
    app.route('/call', () => [
      enqueue('sales', { waitHook: '/wait', actionHook: '/queue-done' }),
      say('never reached'),
    ]);
    app.route('/wait', () => [say('No agents, goodbye'), { verb: 'leave' }]);
    app.route('/queue-done', (h) => [say(`result ${String(h.body.queue_result)}`), hangup()]);
    const call = await sim.placeCall({ from: '13900000003', to: '4001000000' });
    await call.expectPrompt('result leave');
    await call.ended;
    expect(call.heard).toEqual(['No agents, goodbye', 'result leave']);
    expect(sim.alerts).toEqual([]);
  });

  it('enqueue priority orders callers and a REST redirect kills the enqueue with queue_result hangup', async () => {
    app.route('/call', (h) => [
      enqueue('vip', { priority: h.body.from === '13900000009' ? 1 : 999, actionHook: '/queue-done' }),
    ]);
    app.route('/queue-done', () => [say('ignored because the enqueue was killed')]);
    app.route('/redirected', () => [say('You have been moved'), hangup()]);
    const normal = await sim.placeCall({ from: '13900000008', to: '4001000000' });
    const vip = await sim.placeCall({ from: '13900000009', to: '4001000000' });
    await expect.poll(() => sim.queues()[0]?.members.length).toBe(2);
    expect(sim.queues()[0]?.members.map((m) => m.callSid)).toEqual([vip.callSid, normal.callSid]);

    await rest.updateCall(normal.callSid, { call_hook: app.url('/redirected') });
    await normal.expectPrompt('You have been moved');
    await normal.ended;
    expect(normal.heard).toEqual(['You have been moved']);
    expect((await app.waitFor('/queue-done', (h) => h.body.call_sid === normal.callSid)).body.queue_result).toBe(
      'hangup',
    );
    vip.hangup();
    await vip.ended;
    expect(sim.alerts).toEqual([]);
  });

  it('a waitHook answering a verb other than say/play/pause/leave/tag is an alert', async () => {
    app.route('/call', () => [enqueue('support', { waitHook: '/wait' })]);
    app.route('/wait', () => [{ verb: 'hangup' }]);
    const call = await sim.placeCall({ from: '13900000004', to: '4001000000' });
    await expect.poll(() => sim.alerts.length).toBe(1);
    expect(sim.alerts[0]?.message).toContain('unsupported verb in enqueue waitHook: hangup');
    call.hangup();
    await call.ended;
  });
});
