import { z } from 'zod';
import { CallDirectionSchema, CallStatusSchema, CustomerDataSchema } from './payloads.js';
import type { Hook, Verb } from './verbs.js';

/** A `to` of a REST-created call (research §3.2). */
export type CallTarget =
  | { type: 'user'; name: string }
  | { type: 'phone'; number: string; trunk?: string }
  | { type: 'sip'; sipUri: string; auth?: { username: string; password: string } }
  | { type: 'teams'; number: string; tenant?: string };

interface CreateCallBase {
  from: string;
  to: CallTarget;
  /** Ring timeout in seconds (default 60) after which the call ends as `no-answer`. */
  timeout?: number;
  timeLimit?: number;
  /** Initial customerData; arrives as `customerData` in every hook of this call. */
  tag?: Record<string, unknown>;
  /** SIP headers added to the INVITE (use `X-` names). */
  headers?: Record<string, string>;
  callerName?: string;
  fromHost?: string;
  answerOnBridge?: boolean;
}

/** Speech defaults that the API server requires on a create-call without `application_sid`. */
export interface SpeechSettings {
  speech_synthesis_vendor: string;
  speech_synthesis_language: string;
  speech_synthesis_voice: string;
  speech_recognizer_vendor: string;
  speech_recognizer_language: string;
}

/**
 * `POST /Accounts/{sid}/Calls` body: either hooks (absolute URLs) plus all five `speech_*`
 * fields, or an `application_sid` (the API rejects anything else with 400).
 */
export type CreateCallRequest = CreateCallBase &
  (
    | ({ call_hook: Hook; call_status_hook: Hook; application_sid?: never } & SpeechSettings)
    | ({ application_sid: string; call_hook?: never; call_status_hook?: Hook } & Partial<SpeechSettings>)
  );

/** Conference member actions accepted by the 0.9.x API (`kick` exists in FS but the API rejects it). */
export type ConferenceParticipantAction =
  | { action: 'tag' | 'coach'; tag: string; wait_hook?: never }
  | { action: 'untag' | 'uncoach' | 'mute' | 'unmute' | 'unhold'; tag?: never; wait_hook?: never }
  | { action: 'hold'; wait_hook?: string; tag?: never };

/** A `record` action for SIPREC / cloud recording. */
export interface RecordAction {
  action: 'startCallRecording' | 'stopCallRecording' | 'pauseCallRecording' | 'resumeCallRecording';
  type?: 'cloud' | 'siprec';
  recordingID?: string;
  siprecServerURL?: string;
  headers?: Record<string, string>;
}

/**
 * Body of `PUT /Accounts/{sid}/Calls/{callSid}`. The API allows exactly one action per request
 * (400 "multiple options are not allowed"), except `call_hook` together with `child_call_hook`;
 * the union encodes that so a second action is a type error.
 */
export type UpdateCallAction = Exclusive<
  | { call_hook: Hook; child_call_hook?: Hook }
  | { call_status: 'completed' | 'no-answer' }
  | { mute_status: 'mute' | 'unmute' }
  | { conf_hold_status: 'hold' | 'unhold'; wait_hook?: string }
  | { conf_mute_status: 'mute' | 'unmute' }
  | { conferenceParticipantAction: ConferenceParticipantAction }
  | { listen_status: 'pause' | 'silence' | 'resume' }
  | { tag: Record<string, unknown> }
  | { whisper: Verb | Verb[] }
  | { dtmf: { digit: string; duration?: number } }
  | { record: RecordAction }
>;

type UnionKeys<T> = T extends unknown ? keyof T : never;
/**
 * Makes a union mutually exclusive: every member forbids (`?: never`) the keys of the others.
 * Without it TS would accept `{call_status, mute_status}` because each key exists in some member.
 */
type Exclusive<T, K extends PropertyKey = UnionKeys<T>> = T extends unknown
  ? T & Partial<Record<Exclude<K, keyof T>, never>>
  : never;

/** Call as returned by `GET /Calls[/{sid}]` (snake_case; extra fields kept). */
export const RestCallInfoSchema = z.looseObject({
  call_sid: z.string(),
  direction: CallDirectionSchema.optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  call_id: z.string().optional(),
  call_status: CallStatusSchema.optional(),
  sip_status: z.number().optional(),
  account_sid: z.string().optional(),
  application_sid: z.string().optional(),
  parent_call_sid: z.string().optional(),
  customerData: CustomerDataSchema.optional(),
});
/** A live call as the REST API reports it. */
export type CallInfo = z.infer<typeof RestCallInfoSchema>;

/** Queue summary from `GET /Queues` — the API gives nothing more than name and length. */
export interface QueueInfo {
  name: string;
  length: number;
}

const QueueListSchema = z.array(z.looseObject({ name: z.string(), length: z.number() }));
const NameListSchema = z.array(z.string());
const CreateCallResponseSchema = z.looseObject({ sid: z.string(), callId: z.string().optional() });

/** Options of {@link JambonzRestClient}. */
export interface JambonzRestClientOptions {
  /** API base including the version, e.g. `http://jambonz:3002/v1`. */
  baseUrl: string;
  accountSid: string;
  apiKey: string;
  /** Injected fetch (tests, proxies); defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Per-request timeout; default 5000 ms. */
  timeoutMs?: number;
}

/** SIP/WebRTC client credentials (`/v1/Clients`): what a softphone registers with. */
export interface ClientCredentials {
  username: string;
  password: string;
  is_active: boolean;
  allow_direct_app_calling?: boolean;
  allow_direct_queue_calling?: boolean;
  allow_direct_user_calling?: boolean;
}

/** A non-2xx answer from the jambonz REST API. */
export class JambonzApiError extends Error {
  override readonly name = 'JambonzApiError';
  constructor(
    readonly status: number,
    /** Parsed JSON body when there was one, otherwise the text. */
    readonly body: unknown,
    readonly method: string,
    readonly path: string,
  ) {
    super(
      `jambonz API ${method} ${path} failed with ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`,
    );
  }
}

/**
 * `POST /Calls` answered 480: no feature server is free to place the call (all draining or at
 * capacity). Nothing was created; a later attempt may succeed.
 */
export class JambonzNoCapacityError extends JambonzApiError {}

/**
 * A 5xx answer: the API server or the feature server it forwarded to failed. For `POST /Calls`
 * the call may or may not exist, so it is not retried blindly.
 */
export class JambonzServerError extends JambonzApiError {}

/**
 * `PUT /Calls/{sid}` answered 422: the leg cannot take this action in its state — ended (jambonz
 * keeps the record of an ended call for about an hour) or not answered yet.
 */
export class JambonzCallStateError extends JambonzApiError {}

/** The typed error for a non-2xx answer (always a {@link JambonzApiError}). */
function apiError(status: number, body: unknown, method: string, path: string): JambonzApiError {
  if (status === 480 && method === 'POST') return new JambonzNoCapacityError(status, body, method, path);
  if (status >= 500) return new JambonzServerError(status, body, method, path);
  if (status === 422) return new JambonzCallStateError(status, body, method, path);
  return new JambonzApiError(status, body, method, path);
}

/** Minimal typed client for the jambonz 0.9.x REST API (research §3). */
export class JambonzRestClient {
  private readonly baseUrl: string;
  private readonly accountSid: string;
  private readonly apiKey: string;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;

  constructor(opts: JambonzRestClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.accountSid = opts.accountSid;
    this.apiKey = opts.apiKey;
    this.fetchImpl = opts.fetch ?? fetch;
    this.timeoutMs = opts.timeoutMs ?? 5000;
  }

  /**
   * Creates an outbound call; its `call_hook` is requested only once it is answered. The API
   * server refuses a `timeout` that is not an integer (400), so a fractional ring time is
   * rounded up (at least 1 s). Throws {@link JambonzNoCapacityError} on 480 and
   * {@link JambonzServerError} on 5xx.
   */
  async createCall(body: CreateCallRequest): Promise<{ sid: string; callId?: string }> {
    const fixed =
      body.timeout === undefined || Number.isInteger(body.timeout)
        ? body
        : { ...body, timeout: Math.max(1, Math.ceil(body.timeout)) };
    const res = await this.request('POST', '/Calls', fixed);
    return CreateCallResponseSchema.parse(res.body);
  }

  /** Sends one live-call-control action; a leg in the wrong state throws {@link JambonzCallStateError}. */
  async updateCall(callSid: string, action: UpdateCallAction): Promise<void> {
    await this.request('PUT', `/Calls/${encodeURIComponent(callSid)}`, action);
  }

  /** Convenience for `updateCall(sid, {call_status:'completed'})` — DELETE does not hang up. */
  async hangupCall(callSid: string): Promise<void> {
    await this.updateCall(callSid, { call_status: 'completed' });
  }

  /** Returns the call, or null when jambonz does not know it (404). */
  async getCall(callSid: string): Promise<CallInfo | null> {
    try {
      const res = await this.request('GET', `/Calls/${encodeURIComponent(callSid)}`);
      return RestCallInfoSchema.parse(res.body);
    } catch (err) {
      if (err instanceof JambonzApiError && err.status === 404) return null;
      throw err;
    }
  }

  /** Lists live calls of the account. */
  async listCalls(): Promise<CallInfo[]> {
    const res = await this.request('GET', '/Calls');
    return z.array(RestCallInfoSchema).parse(res.body);
  }

  /** Lists queues with their lengths. */
  async listQueues(): Promise<QueueInfo[]> {
    const res = await this.request('GET', '/Queues');
    return QueueListSchema.parse(res.body).map((q) => ({ name: q.name, length: q.length }));
  }

  /** Lists the names of active conferences. */
  async listConferences(): Promise<string[]> {
    const res = await this.request('GET', '/Conferences');
    return NameListSchema.parse(res.body);
  }

  /** Lists registered SIP/WebRTC users (`user@realm`). */
  async listRegisteredSipUsers(): Promise<string[]> {
    const res = await this.request('GET', '/RegisteredSipUsers');
    return NameListSchema.parse(res.body);
  }

  /**
   * Whether one softphone user (bare name, the account realm is implied) is registered now
   * (`GET /Accounts/{sid}/RegisteredSipUsers/{client}` → `registered_status`).
   */
  async isSipUserRegistered(user: string): Promise<boolean> {
    const res = await this.request('GET', `/RegisteredSipUsers/${encodeURIComponent(user)}`);
    return z.looseObject({ registered_status: z.string() }).parse(res.body).registered_status === 'active';
  }

  /**
   * Creates SIP/WebRTC client credentials (`POST /v1/Clients`, research §3.1); returns the
   * client sid. 400 when the username exists in the account.
   */
  async createClient(client: ClientCredentials): Promise<string> {
    const res = await this.request('POST', '/Clients', { account_sid: this.accountSid, ...client }, { root: true });
    return z.object({ sid: z.string() }).parse(res.body).sid;
  }

  /** Updates client credentials (`PUT /v1/Clients/{sid}`); 404 when unknown. */
  async updateClient(clientSid: string, client: Partial<ClientCredentials>): Promise<void> {
    await this.request(
      'PUT',
      `/Clients/${encodeURIComponent(clientSid)}`,
      { account_sid: this.accountSid, ...client },
      { root: true },
    );
  }

  /** Deletes client credentials (`DELETE /v1/Clients/{sid}`); 404 when unknown. */
  async deleteClient(clientSid: string): Promise<void> {
    await this.request('DELETE', `/Clients/${encodeURIComponent(clientSid)}`, undefined, { root: true });
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
    opts: { root?: boolean } = {},
  ): Promise<{ status: number; body: unknown }> {
    // Most resources live under the account; a few (Clients) at the API root.
    const fullPath = opts.root ? path : `/Accounts/${encodeURIComponent(this.accountSid)}${path}`;
    const headers: Record<string, string> = { Authorization: `Bearer ${this.apiKey}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await this.fetchImpl(`${this.baseUrl}${fullPath}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    let parsed: unknown = text;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not JSON (e.g. an HTML error page from a proxy): keep the text for the error message.
      }
    } else {
      parsed = undefined;
    }
    if (!res.ok) throw apiError(res.status, parsed, method, fullPath);
    return { status: res.status, body: parsed };
  }
}
