import { describe, expect, it } from 'vitest';
import {
  CallHookPayloadSchema,
  CallStatusPayloadSchema,
  ConferenceStatusPayloadSchema,
  DialActionPayloadSchema,
  EnqueueActionPayloadSchema,
  EnqueueWaitPayloadSchema,
  GatherActionPayloadSchema,
  ListenMetadataSchema,
  QueueEventPayloadSchema,
} from './payloads.js';

const base = {
  call_sid: '9fb35c28-9688-4531-943c-e280b04f3adf',
  direction: 'inbound',
  from: '+15083084809',
  to: '+15083728299',
  call_id: 'd8907723-0bc7-123b-09b5-12e962f3039b',
  sip_status: 200,
  sip_reason: 'OK',
  call_status: 'in-progress',
  account_sid: '9351f46a-678c-43f5-b8a6-d4eb58d131af',
  application_sid: '7087fe50-8acb-4f3b-b820-97b573723aab',
  trace_id: '0000',
  fs_sip_address: '10.0.13.72:5070',
};

describe('jambonz payload schemas', () => {
  it('parses the initial call hook, keeping sip, env_vars and unknown fields', () => {
    const parsed = CallHookPayloadSchema.parse({
      ...base,
      call_status: 'trying',
      sip_status: 100,
      sip: { headers: { from: '<sip:+15083084809@1.2.3.4>', 'X-CID': 'abc' }, method: 'INVITE' },
      local_sip_address: '10.0.13.72:5070',
      env_vars: { QUEUE_NAME: 'support' },
      defaults: { synthesizer: { vendor: 'google' } },
      brand_new_field: 42,
    });
    expect(parsed.sip?.headers['X-CID']).toBe('abc');
    expect(parsed.env_vars).toEqual({ QUEUE_NAME: 'support' });
    expect((parsed as Record<string, unknown>).brand_new_field).toBe(42);
  });

  it('parses status, gather, dial, enqueue and conference hooks', () => {
    const status = CallStatusPayloadSchema.parse({
      ...base,
      call_status: 'completed',
      duration: 47,
      call_termination_by: 'caller',
      customerData: { ticket: 'T-1' },
    });
    expect(status.customerData).toEqual({ ticket: 'T-1' });
    expect(GatherActionPayloadSchema.parse({ ...base, reason: 'dtmfDetected', digits: '12' }).digits).toBe('12');
    expect(GatherActionPayloadSchema.safeParse({ ...base, reason: 'nope' }).success).toBe(false);
    expect(
      DialActionPayloadSchema.parse({ ...base, dial_call_status: 'no-answer', dial_sip_status: 487 }).dial_call_status,
    ).toBe('no-answer');
    expect(EnqueueActionPayloadSchema.parse({ ...base, queue_result: 'bridged', queue_time: 3 }).queue_result).toBe(
      'bridged',
    );
    const conf = ConferenceStatusPayloadSchema.parse({
      ...base,
      event: 'stop-talking',
      members: 2,
      conference_sid: 'conf:acc:room',
      friendly_name: 'room',
      time: new Date().toISOString(),
    });
    expect(conf.event).toBe('stop-talking');
    expect(CallStatusPayloadSchema.safeParse({ ...base, call_status: 'answered' }).success).toBe(false);
  });

  it('parses the reduced waitHook body and queue events', () => {
    const wait = EnqueueWaitPayloadSchema.parse({
      queue_sid: 'queue:acc:support',
      queue_time: 42,
      queue_size: 3,
      queue_position: 0,
      call_sid: 'c1',
      call_id: 'x',
      customerData: { skill: 'billing' },
    });
    expect(wait.queue_position).toBe(0);
    const leaveEvent = QueueEventPayloadSchema.parse({
      event: 'leave',
      queue: 'support',
      length: 2,
      leave_reason: 'dequeued',
      leave_time: 1721400060456,
      dequeuer: { call_sid: 'agent-leg', from: 'agent1' },
      call_sid: 'c1',
    });
    expect(leaveEvent.dequeuer?.call_sid).toBe('agent-leg');
  });

  it('parses the camelCase first frame of an audio fork', () => {
    const meta = ListenMetadataSchema.parse({
      sampleRate: 8000,
      mixType: 'stereo',
      callSid: 'c1',
      accountSid: 'a1',
      direction: 'inbound',
      conversationId: 'conv-1',
    });
    expect(meta.mixType).toBe('stereo');
    expect((meta as Record<string, unknown>).conversationId).toBe('conv-1');
  });
  it('accepts the trimmed bodies a real feature server sends when its look-ups fail', () => {
    // dial: no INVITE was ever created, so there is no dial_call_status.
    const dial = DialActionPayloadSchema.parse({ ...base });
    expect(dial.dial_call_status).toBeUndefined();
    // enqueue waitHook: only what survived FS's Redis look-ups.
    const wait = EnqueueWaitPayloadSchema.parse({ queue_sid: 'queue:acct:support', queue_time: 12 });
    expect(wait).toEqual({ queue_sid: 'queue:acct:support', queue_time: 12 });
    expect(EnqueueWaitPayloadSchema.safeParse({ queue_time: 12 }).success).toBe(false);
  });
});
