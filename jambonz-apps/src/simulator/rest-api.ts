import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { DialTarget, Hook, Verb } from '../protocol/verbs.js';
import type { SimLeg } from './call-leg.js';
import type { Engine, SimClient } from './engine.js';
import { RestFaults } from './faults.js';
import { snakeCaseKeys } from './util.js';

/** A REST response. */
interface Reply {
  status: number;
  body?: unknown;
}

const SPEECH_FIELDS = [
  'speech_synthesis_vendor',
  'speech_synthesis_language',
  'speech_synthesis_voice',
  'speech_recognizer_vendor',
  'speech_recognizer_language',
] as const;

/** Update keys the API counts for its one-action-per-request rule. */
const COUNTED_UPDATE_KEYS = [
  'call_hook',
  'child_call_hook',
  'call_status',
  'listen_status',
  'transcribe_status',
  'conf_hold_status',
  'conf_mute_status',
  'mute_status',
  'sip_request',
  'record',
  'tag',
  'dtmf',
  'conferenceParticipantAction',
  'dub',
  'boostAudioSignal',
  'media_path',
] as const;

const HookSchema = z.union([
  z.string(),
  z.looseObject({
    url: z.string(),
    method: z.enum(['GET', 'POST']).optional(),
    username: z.string().optional(),
    password: z.string().optional(),
  }),
]);

const UpdateSchema = z.looseObject({
  call_hook: HookSchema.optional(),
  child_call_hook: HookSchema.optional(),
  call_status: z.string().optional(),
  listen_status: z.string().optional(),
  conf_hold_status: z.string().optional(),
  conf_mute_status: z.string().optional(),
  mute_status: z.string().optional(),
  wait_hook: z.string().optional(),
  tag: z.record(z.string(), z.unknown()).optional(),
  dtmf: z.looseObject({ digit: z.string(), duration: z.number().optional() }).optional(),
  whisper: z.unknown().optional(),
  record: z
    .looseObject({
      action: z.string().optional(),
      type: z.string().optional(),
      siprecServerURL: z.unknown().optional(),
    })
    .optional(),
  sip_request: z.looseObject({ method: z.string().optional(), content_type: z.string().optional() }).optional(),
  conferenceParticipantAction: z
    .looseObject({ action: z.string(), tag: z.string().optional(), wait_hook: z.string().optional() })
    .optional(),
});
type UpdateBody = z.infer<typeof UpdateSchema>;

const ClientSchema = z.looseObject({
  account_sid: z.string().optional(),
  username: z.string().min(1).optional(),
  password: z.string().optional(),
  is_active: z.boolean().optional(),
  allow_direct_app_calling: z.boolean().optional(),
  allow_direct_queue_calling: z.boolean().optional(),
  allow_direct_user_calling: z.boolean().optional(),
});

const badRequest = (msg: string): Reply => ({ status: 400, body: { msg } });
const unprocessable = (msg: string): Reply => ({ status: 422, body: { msg } });

/** One REST request the simulator received (for tests: which call control the app used). */
export interface SimRestRequest {
  method: string;
  /** Path under `/v1/Accounts/{sid}`, e.g. `/Calls/{callSid}`. */
  path: string;
  /** The call sid for `/Calls/{sid}` requests. */
  callSid?: string;
  body: unknown;
  status: number;
}

/**
 * The subset of the jambonz REST API (`/v1/Accounts/{sid}/…`) Switchboard uses, with the API
 * server's validation rules and status codes (research §3).
 */
export class SimRestApi {
  private server: Server | undefined;
  private baseUrl = '';
  /** Every request received, in order. */
  readonly requests: SimRestRequest[] = [];
  /** Failures a test injected (faults.ts). */
  readonly faults = new RestFaults();

  constructor(
    private readonly engine: Engine,
    private readonly auth: { accountSid: string; apiKey: string },
  ) {}

  /** `http://host:port/v1`. */
  get apiBaseUrl(): string {
    return this.baseUrl;
  }

  async listen(host: string): Promise<void> {
    const server = createServer((req, res) => {
      void this.handle(req, res).catch((err: unknown) => {
        this.engine.alert(undefined, `simulator REST error: ${(err as Error).stack ?? String(err)}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => resolve());
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.baseUrl = `http://${host}:${port}/v1`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    const reply =
      this.faulted(method, url.pathname, raw, req.headers.authorization) ??
      this.route(method, url.pathname, raw, req.headers.authorization);
    this.record(method, url.pathname, raw, reply.status);
    if (reply.body === undefined) {
      res.writeHead(reply.status, { 'Content-Type': 'text/plain' }).end(reply.status === 404 ? 'Not Found' : '');
    } else {
      res.writeHead(reply.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(reply.body));
    }
  }

  /** An injected fault for an authorized request of this account (never masks a 401/403). */
  private faulted(method: string, path: string, raw: string, authorization: string | undefined): Reply | undefined {
    const m = /^\/v1\/Accounts\/([^/]+)(\/.*)?$/.exec(path);
    if (!m || m[1] !== this.auth.accountSid || authorization !== `Bearer ${this.auth.apiKey}`) return undefined;
    return this.faults.take(method, m[2] ?? '', raw);
  }

  private record(method: string, path: string, raw: string, status: number): void {
    const m = /^\/v1\/Accounts\/[^/]+(\/.*)?$/.exec(path);
    let body: unknown;
    try {
      body = raw.trim() ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const sub = m?.[1] ?? path;
    const call = /^\/Calls\/([^/]+)/.exec(sub);
    this.requests.push({ method, path: sub, ...(call ? { callSid: call[1] } : {}), body, status });
  }

  private route(method: string, path: string, raw: string, authorization: string | undefined): Reply {
    const clients = /^\/v1\/Clients(?:\/([^/]+))?\/?$/.exec(path);
    if (clients) {
      if (authorization !== `Bearer ${this.auth.apiKey}`) return { status: 401, body: { msg: 'Unauthorized' } };
      let body: unknown = {};
      if (raw.trim().length > 0) {
        try {
          body = JSON.parse(raw);
        } catch {
          return badRequest('invalid JSON body');
        }
      }
      return this.clients(method, clients[1], body);
    }
    const m = /^\/v1\/Accounts\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?\/?$/.exec(path);
    if (!m) return { status: 404 };
    if (authorization !== `Bearer ${this.auth.apiKey}`) return { status: 401, body: { msg: 'Unauthorized' } };
    const [, accountSid, collection, itemSid] = m;
    if (accountSid !== this.auth.accountSid) return { status: 403, body: { msg: 'insufficient privileges' } };
    let body: unknown = {};
    if (raw.trim().length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        return badRequest('invalid JSON body');
      }
    }
    if (!collection) {
      if (method === 'PUT') return this.updateAccount(body);
      return { status: 404 };
    }
    switch (collection) {
      case 'Calls':
        if (!itemSid) {
          if (method === 'POST') return this.createCall(body);
          if (method === 'GET') return { status: 200, body: [...this.engine.legs.values()].map((l) => restCall(l)) };
          return { status: 405 };
        }
        if (method === 'GET') {
          // The Redis record: gone an hour after the leg's last status change, live or not.
          const leg = this.engine.callRecord(itemSid as string);
          return leg ? { status: 200, body: restCall(leg) } : { status: 404 };
        }
        if (method === 'PUT' || method === 'POST') return this.updateCall(itemSid as string, body);
        if (method === 'DELETE') return this.engine.callRecord(itemSid as string) ? { status: 204 } : { status: 404 };
        return { status: 405 };
      case 'Queues':
        return method === 'GET' ? { status: 200, body: this.engine.queues.list() } : { status: 405 };
      case 'Conferences':
        return method === 'GET' ? { status: 200, body: this.engine.conferences.names() } : { status: 405 };
      case 'RegisteredSipUsers':
        if (itemSid) return method === 'GET' ? this.registeredSipUser(itemSid) : { status: 405 };
        return method === 'GET'
          ? {
              status: 200,
              body: [...this.engine.users.values()].filter((d) => d.registered).map((d) => d.address),
            }
          : { status: 405 };
      default:
        return { status: 404 };
    }
  }

  /**
   * `/v1/Clients[/{sid}]` as the API server's `routes/api/clients.js` with an account API key:
   * the key's account overrides `account_sid`; a username is unique per account (400); POST 201
   * `{sid}`, PUT and DELETE 204 (404 unknown); GET never returns the password.
   */
  private clients(method: string, sid: string | undefined, input: unknown): Reply {
    const engine = this.engine;
    const mine = (c: SimClient | undefined): c is SimClient => !!c && c.account_sid === this.auth.accountSid;
    const hide = (c: SimClient) => {
      const { password: _password, ...rest } = c;
      return rest;
    };
    if (method === 'GET') {
      if (!sid) return { status: 200, body: [...engine.clients.values()].filter(mine).map(hide) };
      const c = engine.clients.get(sid);
      return mine(c) ? { status: 200, body: hide(c) } : { status: 404 };
    }
    if (method === 'DELETE') {
      const c = sid ? engine.clients.get(sid) : undefined;
      if (!sid || !mine(c)) return { status: 404 };
      engine.clients.delete(sid);
      engine.clientChanged(c.username);
      return { status: 204 };
    }
    const parsed = ClientSchema.safeParse(input);
    if (!parsed.success) return badRequest(`invalid client: ${parsed.error.issues[0]?.message ?? ''}`);
    const body = parsed.data;
    const taken = (username: string, except?: string) =>
      [...engine.clients.values()].some((c) => mine(c) && c.username === username && c.client_sid !== except);
    if (method === 'POST' && !sid) {
      if (!body.username || body.password === undefined) return badRequest('username and password are required');
      if (taken(body.username)) return badRequest("the client's username already exists");
      const client: SimClient = {
        client_sid: randomUUID(),
        account_sid: this.auth.accountSid,
        username: body.username,
        password: body.password,
        is_active: body.is_active ?? true,
        allow_direct_app_calling: body.allow_direct_app_calling ?? false,
        allow_direct_queue_calling: body.allow_direct_queue_calling ?? false,
        allow_direct_user_calling: body.allow_direct_user_calling ?? false,
      };
      engine.clients.set(client.client_sid, client);
      return { status: 201, body: { sid: client.client_sid } };
    }
    if ((method === 'PUT' || method === 'POST') && sid) {
      const c = engine.clients.get(sid);
      if (!mine(c)) return { status: 404 };
      if (body.username && taken(body.username, sid)) return badRequest("the client's username already exists");
      const before = c.username;
      const { account_sid: _account, ...changes } = body;
      Object.assign(c, Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)));
      engine.clientChanged(before);
      return { status: 204 };
    }
    return { status: 405 };
  }

  /**
   * `GET /Accounts/{sid}/RegisteredSipUsers/{client}`: always 200, `registered_status`
   * `active` or `inactive`, plus the client's `allow_direct_*` flags (0 without a client).
   */
  private registeredSipUser(client: string): Reply {
    const name = decodeURIComponent(client);
    const device = this.engine.users.get(this.engine.userAor(name));
    const on = !!device?.registered;
    const db = [...this.engine.clients.values()].find(
      (c) => c.account_sid === this.auth.accountSid && c.username === name,
    );
    return {
      status: 200,
      body: {
        name,
        contact: on ? `sip:${name}@192.0.2.10:51234;transport=ws` : null,
        expiryTime: on ? Date.now() + 30_000 : 0,
        protocol: on ? 'wss' : null,
        allow_direct_app_calling: db ? db.allow_direct_app_calling : 0,
        allow_direct_queue_calling: db ? db.allow_direct_queue_calling : 0,
        allow_direct_user_calling: db ? db.allow_direct_user_calling : 0,
        registered_status: on ? 'active' : 'inactive',
      },
    };
  }

  /** `PUT /Accounts/{sid}`: only `queue_event_hook` (a Webhook object, or null) is honoured. */
  private updateAccount(body: unknown): Reply {
    const parsed = z.looseObject({ queue_event_hook: HookSchema.nullable().optional() }).safeParse(body);
    if (!parsed.success) return badRequest('invalid account update');
    if (parsed.data.queue_event_hook === null) this.engine.queueEventHook = undefined;
    else if (parsed.data.queue_event_hook !== undefined) this.engine.queueEventHook = parsed.data.queue_event_hook;
    return { status: 204 };
  }

  /** `POST /Accounts/{sid}/Calls` with the checks of API `validateCreateCall`. */
  private createCall(input: unknown): Reply {
    if (typeof input !== 'object' || input === null) return badRequest('invalid request body');
    const obj = input as Record<string, unknown>;
    if (!obj.from || typeof obj.from !== 'string') return badRequest('missing from parameter');
    const to = obj.to as Partial<DialTarget> | undefined;
    const toOk =
      !!to &&
      typeof to === 'object' &&
      (((to.type === 'phone' || to.type === 'teams') && typeof to.number === 'string') ||
        (to.type === 'user' && typeof to.name === 'string') ||
        (to.type === 'sip' && typeof to.sipUri === 'string'));
    if (!toOk) return badRequest(`missing or invalid to property: ${JSON.stringify(to)}`);

    let callHook: Hook | undefined;
    let statusHook: Hook | undefined;
    if (obj.application_sid !== undefined) {
      const app = this.engine.application;
      if (obj.application_sid !== this.engine.applicationSid || !app) {
        return badRequest(`application_sid not found ${String(obj.application_sid)}`);
      }
      callHook = app.callHook;
      statusHook = app.statusHook;
    } else {
      for (const field of SPEECH_FIELDS) {
        if (typeof obj[field] !== 'string' || (obj[field] as string).length === 0) {
          return badRequest(`missing ${field}: speech settings are required without application_sid`);
        }
      }
      const ch = HookSchema.optional().safeParse(obj.call_hook);
      const sh = HookSchema.optional().safeParse(obj.call_status_hook);
      if (!ch.success) return badRequest('call_hook must be string or an object containing a url property');
      if (!sh.success) return badRequest('call_status_hook must be string or an object containing a url property');
      callHook = ch.data;
      statusHook = sh.data;
    }
    if (!callHook) return badRequest('either call_hook or application_sid required');
    const callHookUrl = typeof callHook === 'string' ? callHook : callHook.url;
    if (!/^(https?|wss?):/i.test(callHookUrl)) return badRequest('call_hook url be an absolute url');
    if (statusHook) {
      const u = typeof statusHook === 'string' ? statusHook : statusHook.url;
      if (!/^(https?|wss?):/i.test(u)) return badRequest('call_status_hook url be an absolute url');
    }
    if (/^wss?:/i.test(callHookUrl)) {
      this.engine.alert(undefined, 'simulator does not implement the websocket API (ws call_hook)');
      return { status: 500 };
    }
    // API validateCreateCall: the ring timeout is an integer number of seconds.
    if (obj.timeout !== undefined && !Number.isInteger(obj.timeout)) return badRequest('timeout must be an integer');
    const leg = this.engine.createOutboundCall({
      from: obj.from,
      to: to as DialTarget,
      callHook,
      statusHook,
      timeout: typeof obj.timeout === 'number' && obj.timeout > 0 ? obj.timeout : 60,
      tag: isRecord(obj.tag) ? obj.tag : undefined,
      headers: isRecord(obj.headers) ? (obj.headers as Record<string, string>) : {},
    });
    return { status: 201, body: { sid: leg.sid, callId: leg.callId } };
  }

  /** `PUT /Accounts/{sid}/Calls/{callSid}`: API validation, then FS `updateCall` semantics. */
  private updateCall(callSid: string, input: unknown): Reply {
    const parsed = UpdateSchema.safeParse(input);
    if (!parsed.success) return badRequest(`invalid updateCall request: ${parsed.error.issues[0]?.message ?? ''}`);
    const body = parsed.data;
    const rec = body as Record<string, unknown>;
    const count = COUNTED_UPDATE_KEYS.reduce((n, k) => (rec[k] ? n + 1 : n), 0);
    if (count === 0 && !body.whisper) return badRequest('no valid options supplied to updateCall');
    if (count >= 2 && !(count === 2 && body.call_hook && body.child_call_hook)) {
      return badRequest('multiple options are not allowed in updateCall');
    }
    const invalid = validateUpdateValues(body);
    if (invalid) return badRequest(invalid);

    // The API server finds the feature server in the call record: none → 404 (also for a live
    // call whose record expired); the feature server no longer has the session → 422.
    const leg = this.engine.callRecord(callSid);
    if (!leg) return { status: 404 };
    if (leg.gone) return unprocessable(`call session is gone for call_sid ${callSid}`);
    return this.applyUpdate(leg, body);
  }

  private applyUpdate(leg: SimLeg, body: UpdateBody): Reply {
    const engine = this.engine;
    // A dial B-leg maps to the parent's session (PUT on either sid works, research §3.3).
    const parent = leg.parentCallSid ? engine.legs.get(leg.parentCallSid) : undefined;
    const owner = !leg.hasSession && parent && parent.current?.dial?.child === leg ? parent : leg;

    if (body.call_status === 'completed') {
      if (!leg.answered)
        return unprocessable(`current call state is incompatible with requested action for call_sid ${leg.sid}`);
      leg.release('jambonz');
      return { status: 202 };
    }
    if (body.call_status === 'no-answer') {
      if (leg.direction === 'outbound' ? !leg.ringing : leg.answered) {
        return unprocessable(`current call state is incompatible with requested action for call_sid ${leg.sid}`);
      }
      if (leg.ringing) leg.ringCtrl.abort();
      else leg.decline(503, 'Service Unavailable');
      return { status: 202 };
    }
    if (body.call_hook) {
      if (!owner.hasSession) return unprocessable(`call session is gone for call_sid ${leg.sid}`);
      engine.spawn(engine.redirect(owner, body.call_hook, body.child_call_hook), owner.sid);
      return { status: 202 };
    }
    if (body.mute_status) {
      const verb = owner.current?.verb.verb;
      if (verb === 'conference' && leg.conferenceMember) leg.conferenceMember.muted = body.mute_status === 'mute';
      else if (verb === 'dial') leg.muted = body.mute_status === 'mute';
      else engine.alert(leg.sid, `mute_status ignored: current verb is ${verb ?? 'none'}, not dial or conference`);
      return { status: 202 };
    }
    if (body.conf_hold_status) {
      const member = leg.conferenceMember;
      if (!member) engine.alert(leg.sid, 'conf_hold_status ignored: call is not in a conference');
      else engine.conferences.hold(member, body.conf_hold_status as 'hold' | 'unhold', body.wait_hook);
      return { status: 202 };
    }
    if (body.conf_mute_status) {
      const member = leg.conferenceMember;
      if (!member) engine.alert(leg.sid, 'conf_mute_status ignored: call is not in a conference');
      else engine.conferences.muteNonModerators(member.room, body.conf_mute_status === 'mute');
      return { status: 202 };
    }
    if (body.conferenceParticipantAction) {
      const { action, tag, wait_hook: waitHook } = body.conferenceParticipantAction;
      const member = leg.conferenceMember;
      if (!member) {
        engine.alert(leg.sid, `conferenceParticipantAction ${action} ignored: call is not in a conference`);
        return { status: 202 };
      }
      switch (action) {
        case 'tag':
          member.tag = tag;
          break;
        case 'untag':
          member.tag = undefined;
          break;
        case 'coach':
          member.coachTag = tag;
          break;
        case 'uncoach':
          member.coachTag = undefined;
          break;
        case 'hold':
          engine.conferences.hold(member, 'hold', waitHook);
          break;
        case 'unhold':
          engine.conferences.hold(member, 'unhold');
          break;
        case 'mute':
          member.muted = true;
          break;
        case 'unmute':
          member.muted = false;
          break;
      }
      return { status: 202 };
    }
    if (body.listen_status) {
      const task = owner.current;
      const fork = task?.verb.verb === 'listen' ? task.fork : task?.verb.verb === 'dial' ? task.dial?.fork : undefined;
      // FS only honours listen_status while the current verb is listen or a dial with nested listen;
      // a background config.listen fork is NOT affected.
      if (fork) fork.setStatus(body.listen_status as 'pause' | 'silence' | 'resume');
      else
        engine.alert(
          leg.sid,
          `listen_status ignored: current verb is ${task?.verb.verb ?? 'none'}, not listen or dial with listen`,
        );
      return { status: 202 };
    }
    if (body.tag) {
      leg.customerData = body.tag;
      return { status: 202 };
    }
    if (body.dtmf) {
      if (!leg.answered)
        return unprocessable(`current call state is incompatible with requested action for call_sid ${leg.sid}`);
      leg.party.dtmfReceived += body.dtmf.digit;
      return { status: 202 };
    }
    if (body.sip_request) return { status: 200, body: { status: 200, reason: 'OK' } };
    if (body.whisper) {
      const verbs = (Array.isArray(body.whisper) ? body.whisper : [body.whisper]) as Verb[];
      for (const v of verbs) {
        if (v.verb === 'say') for (const t of Array.isArray(v.text) ? v.text : [v.text]) leg.hear(t);
        else if (v.verb === 'play') for (const u of Array.isArray(v.url) ? v.url : [v.url]) leg.hear(u);
      }
      return { status: 202 };
    }
    // record, transcribe_status, dub, boostAudioSignal, media_path: accepted, no simulated effect.
    return { status: 202 };
  }
}

function validateUpdateValues(body: UpdateBody): string | undefined {
  const oneOf = (v: string | undefined, allowed: string[]): boolean => v === undefined || allowed.includes(v);
  if (!oneOf(body.call_status, ['completed', 'no-answer'])) return 'invalid call_status';
  if (!oneOf(body.listen_status, ['pause', 'silence', 'resume'])) return 'invalid listen_status';
  if (!oneOf(body.mute_status, ['mute', 'unmute'])) return 'invalid mute_status';
  if (!oneOf(body.conf_hold_status, ['hold', 'unhold'])) return 'invalid conf_hold_status';
  if (!oneOf(body.conf_mute_status, ['mute', 'unmute'])) return 'invalid conf_mute_status';
  if (body.sip_request && !body.sip_request.content_type)
    return 'sip_request requires content_type and content properties';
  if (body.record && !body.record.action) return 'record requires action property';
  if (body.record?.action === 'startCallRecording' && body.record.type !== 'cloud' && !body.record.siprecServerURL) {
    return 'record requires siprecServerURL property when starting recording';
  }
  const cpa = body.conferenceParticipantAction;
  if (cpa) {
    const actions = ['tag', 'untag', 'coach', 'uncoach', 'hold', 'unhold', 'mute', 'unmute'];
    if (!actions.includes(cpa.action)) return `invalid conferenceParticipantAction action: ${cpa.action}`;
    if ((cpa.action === 'tag' || cpa.action === 'coach') && !cpa.tag) {
      return `conferenceParticipantAction ${cpa.action} requires a tag`;
    }
  }
  return undefined;
}

/** A leg as `GET /Calls` reports it (snake_case call info). */
function restCall(leg: SimLeg): unknown {
  return snakeCaseKeys(leg.callInfo());
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
