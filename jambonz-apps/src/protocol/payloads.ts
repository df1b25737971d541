import { z } from 'zod';

/*
 * Webhook bodies sent by jambonz 0.9.x (research/jambonz.md §1–2). Keys are snake_case on the
 * wire, except `customerData`, `sip`, `env_vars` (and `args`), whose casing and contents are
 * kept verbatim by the feature server. Every object schema is loose: jambonz adds fields
 * between releases and an unknown field must never make us drop a call.
 */

/** Every call status the feature server reports (`CallStatus` in FS constants.json). */
export const CALL_STATUSES = [
  'trying',
  'ringing',
  'early-media',
  'in-progress',
  'queued',
  'failed',
  'busy',
  'no-answer',
  'completed',
] as const;
/** Zod schema for {@link CallStatus}. */
export const CallStatusSchema = z.enum(CALL_STATUSES);
/** A call leg status as reported in `call_status`. */
export type CallStatus = z.infer<typeof CallStatusSchema>;

/** Zod schema for {@link CallDirection}. */
export const CallDirectionSchema = z.enum(['inbound', 'outbound']);
/** `inbound` for the A-leg of a received call; `outbound` for REST-created calls and dial B-legs. */
export type CallDirection = z.infer<typeof CallDirectionSchema>;

/** Free-form tag data; it arrives as `customerData` (camelCase, contents untouched). */
export const CustomerDataSchema = z.record(z.string(), z.unknown());
/** Tag data set with the `tag` verb / REST `tag` and echoed back in later hooks. */
export type CustomerData = z.infer<typeof CustomerDataSchema>;

/**
 * Base payload of every hook after the initial one (action hooks, status hooks, redirects):
 * `callInfo.toJSON()` snake-cased (research §1.3).
 */
export const CallInfoPayloadSchema = z.looseObject({
  call_sid: z.string(),
  direction: CallDirectionSchema,
  from: z.string(),
  to: z.string(),
  call_id: z.string().optional(),
  sbc_callid: z.string().optional(),
  sip_status: z.number().optional(),
  sip_reason: z.string().optional(),
  call_status: CallStatusSchema,
  caller_id: z.string().optional(),
  account_sid: z.string(),
  trace_id: z.string().optional(),
  application_sid: z.string().optional(),
  fs_sip_address: z.string().optional(),
  parent_call_sid: z.string().optional(),
  originating_sip_ip: z.string().optional(),
  originating_sip_trunk_name: z.string().optional(),
  call_termination_by: z.enum(['caller', 'jambonz']).optional(),
  duration: z.number().optional(),
  customerData: CustomerDataSchema.optional(),
  headers: z.record(z.string(), z.unknown()).optional(),
  api_base_url: z.string().optional(),
  fs_public_ip: z.string().optional(),
  verb_id: z.string().optional(),
});
/** Base call information carried by every later hook. */
export type CallInfoPayload = z.infer<typeof CallInfoPayloadSchema>;

/** The `sip` object of the initial call hook: the INVITE as drachtio parsed it. */
export const SipMessageSchema = z.looseObject({
  headers: z.record(z.string(), z.unknown()),
  raw: z.string().optional(),
  body: z.string().optional(),
  method: z.string().optional(),
  version: z.string().optional(),
  uri: z.string().optional(),
  payload: z.array(z.looseObject({ type: z.string(), content: z.string() })).optional(),
});
/** The INVITE as delivered in the initial call hook (header names: standard lower-case, `X-*` as sent). */
export type SipMessage = z.infer<typeof SipMessageSchema>;

/**
 * Initial `call_hook` request for a new call (research §1.2). Inbound calls carry `sip`;
 * REST-created calls request it only after answer and carry `customerData` from `tag`.
 */
export const CallHookPayloadSchema = CallInfoPayloadSchema.extend({
  sip: SipMessageSchema.optional(),
  caller_name: z.string().optional(),
  has_recording: z.boolean().optional(),
  local_sip_address: z.string().optional(),
  service_provider_sid: z.string().optional(),
  defaults: z.record(z.string(), z.unknown()).optional(),
  env_vars: z.record(z.string(), z.unknown()).optional(),
});
/** Initial call hook body. */
export type CallHookPayload = z.infer<typeof CallHookPayloadSchema>;

/** `call_status_hook` body: base call info; `duration` and `call_termination_by` once completed. */
export const CallStatusPayloadSchema = CallInfoPayloadSchema;
/** Call status hook body. */
export type CallStatusPayload = z.infer<typeof CallStatusPayloadSchema>;

/** gather actionHook body (research §2.3). */
export const GatherActionPayloadSchema = CallInfoPayloadSchema.extend({
  reason: z.enum(['dtmfDetected', 'speechDetected', 'timeout', 'error', 'stt-low-confidence']),
  digits: z.string().optional(),
  speech: z.unknown().optional(),
  details: z.unknown().optional(),
});
/** Result of a gather. */
export type GatherActionPayload = z.infer<typeof GatherActionPayloadSchema>;

/**
 * enqueue waitHook body. NOT the full call info (research §2.5); `queue_position` is 0-based.
 * FS builds it from Redis look-ups and leaves out what failed: a body may carry only
 * `queue_sid` and `queue_time` (no size, position, or even call sid), and it must still be
 * answered with verbs that keep the caller waiting.
 */
export const EnqueueWaitPayloadSchema = z.looseObject({
  queue_sid: z.string(),
  queue_time: z.number(),
  queue_size: z.number().optional(),
  queue_position: z.number().optional(),
  call_sid: z.string().optional(),
  call_id: z.string().optional(),
  customerData: CustomerDataSchema.optional(),
});
/** Body of each waitHook request while a call waits in a queue. */
export type EnqueueWaitPayload = z.infer<typeof EnqueueWaitPayloadSchema>;

/** enqueue actionHook body; `hangup` is also sent when the enqueue was killed by a REST redirect. */
export const EnqueueActionPayloadSchema = CallInfoPayloadSchema.extend({
  queue_sid: z.string().optional(),
  queue_time: z.number().optional(),
  queue_result: z.enum(['bridged', 'hangup', 'leave', 'error']),
});
/** Result of an enqueue. */
export type EnqueueActionPayload = z.infer<typeof EnqueueActionPayloadSchema>;

/** dequeue actionHook body; it does not say which caller was bridged (FS #1363). */
export const DequeueActionPayloadSchema = CallInfoPayloadSchema.extend({
  dequeue_result: z.enum(['complete', 'timeout', 'hangup', 'error']),
});
/** Result of a dequeue. */
export type DequeueActionPayload = z.infer<typeof DequeueActionPayloadSchema>;

/**
 * dial actionHook body; the code sends `dial_call_status` although docs say `dial_status` (§8).
 * It is absent when the dial never created an INVITE (no target could be tried): read that as
 * "not answered".
 */
export const DialActionPayloadSchema = CallInfoPayloadSchema.extend({
  dial_call_status: CallStatusSchema.optional(),
  dial_sip_status: z.number().optional(),
  dial_call_sid: z.string().optional(),
  dial_sbc_callid: z.string().optional(),
});
/** Result of a dial. */
export type DialActionPayload = z.infer<typeof DialActionPayloadSchema>;

/** Conference status events; the code uses `stop-talking` (docs: `end-talking`). */
export const CONFERENCE_EVENTS = ['start', 'end', 'join', 'leave', 'start-talking', 'stop-talking'] as const;
/** One of {@link CONFERENCE_EVENTS}. */
export type ConferenceEvent = (typeof CONFERENCE_EVENTS)[number];

/** conference statusHook body: call info of the member + event details (research §2.6). */
export const ConferenceStatusPayloadSchema = CallInfoPayloadSchema.extend({
  event: z.enum(CONFERENCE_EVENTS),
  time: z.string().optional(),
  members: z.number().optional(),
  duration: z.number().optional(),
  conference_sid: z.string().optional(),
  friendly_name: z.string().optional(),
});
/** Conference status event. */
export type ConferenceStatusPayload = z.infer<typeof ConferenceStatusPayloadSchema>;

/**
 * Account-level queue event webhook body (research §2.5): caller call info + event fields.
 * Call-info fields are optional here because this hook's shape is derived from code, not docs.
 */
export const QueueEventPayloadSchema = z.looseObject({
  event: z.enum(['join', 'leave']),
  queue: z.string(),
  length: z.number(),
  join_time: z.number().optional(),
  leave_time: z.number().optional(),
  leave_reason: z.enum(['abandoned', 'dequeued']).optional(),
  dequeuer: z.looseObject({ call_sid: z.string() }).optional(),
  call_sid: z.string(),
  account_sid: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  direction: CallDirectionSchema.optional(),
  customerData: CustomerDataSchema.optional(),
});
/** Queue join/leave event. */
export type QueueEventPayload = z.infer<typeof QueueEventPayloadSchema>;

/**
 * First (text) frame of a `listen` audio fork. Built in FS `listen.js` as
 * `{sampleRate, mixType, ...callInfo.toJSON(), ...metadata}`: unlike webhooks it is NOT
 * snake-cased, so call info keys are camelCase (`callSid`, `accountSid`, …).
 */
export const ListenMetadataSchema = z.looseObject({
  sampleRate: z.number(),
  mixType: z.enum(['mono', 'stereo', 'mixed']),
  callSid: z.string().optional(),
  direction: CallDirectionSchema.optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  callId: z.string().optional(),
  callStatus: z.string().optional(),
  accountSid: z.string().optional(),
  applicationSid: z.string().optional(),
  parentCallSid: z.string().optional(),
  customerData: CustomerDataSchema.optional(),
});
/** Audio fork metadata frame; extra `metadata` keys given on the verb are merged in. */
export type ListenMetadata = z.infer<typeof ListenMetadataSchema>;
