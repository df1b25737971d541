import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import { TOKEN_INVALID_CODES, WeComError } from './errors.js';
import { WECOM_API_BASE_URL, type WeComAddFriendConfig, type WeComTenantSettings } from './options.js';

/** Largest WeCom answer read, in bytes (the biggest we ask for, externalcontact/get, is a few KB). */
const MAX_ANSWER_BYTES = 512 * 1024;

/**
 * A token is used until this long before WeCom says it expires (7200 s), so a call never
 * carries one that dies on the way.
 */
export const TOKEN_EXPIRY_MARGIN_MS = 5 * 60 * 1000;

/** What every call takes besides its arguments; a hook's `ctx` fits. */
export interface CallContext {
  /** The hook's or route's budget: aborting it ends the request (reason `aborted`). */
  signal?: AbortSignal;
}

/** Options of {@link WeComClient}. */
export interface WeComClientOptions extends WeComAddFriendConfig {
  logger: Logger;
  /** The wall clock token expiry is measured on (core's `clock`; tests move it). */
  clock?: { now(): Date };
}

/** A textcard application message (`message/send`, msgtype `textcard`). */
export const textCardSchema = z.object({
  /** WeCom user ids (`zhangsan`), at most 1000. */
  toUsers: z
    .array(z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'a WeCom user id'))
    .min(1)
    .max(1000),
  /** At most 128 bytes in WeCom; 40 characters keeps Chinese titles inside it. */
  title: z.string().trim().min(1).max(40),
  /** Shown under the title; WeCom allows a few tags (`<div class="gray">`), at most 512 bytes. */
  description: z
    .string()
    .trim()
    .min(1)
    .refine((s) => Buffer.byteLength(s) <= 512, 'at most 512 bytes'),
  /** Opened when the member taps the card. */
  url: z.url({ protocol: /^https?$/ }).max(2048),
  /** The button's text, at most 4 characters (default 详情). */
  buttonText: z.string().trim().min(1).max(4).optional(),
});

/** What {@link WeComClient.sendTextCard} takes. */
export type TextCard = z.input<typeof textCardSchema>;

/** What WeCom says about a sent message. */
export interface SentMessage {
  /** For `message/recall`. */
  msgId: string;
  /** Recipients WeCom refused (unknown or outside the app's visibility), if any. */
  invalidUsers: string[];
}

const envelope = z.object({ errcode: z.number().int().default(0), errmsg: z.string().optional() }).loose();

const tokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() });

const sendAnswer = z.object({ msgid: z.string().optional(), invaliduser: z.string().optional() }).loose();

const followUser = z
  .object({
    userid: z.string(),
    remark: z.string().optional(),
    createtime: z.number().optional(),
    add_way: z.number().optional(),
    state: z.string().optional(),
    oper_userid: z.string().optional(),
    remark_mobiles: z.array(z.string()).optional(),
  })
  .loose();

const externalContactAnswer = z.object({
  external_contact: z
    .object({
      external_userid: z.string(),
      name: z.string().optional(),
      type: z.number().optional(),
      gender: z.number().optional(),
    })
    .loose(),
  follow_user: z.array(followUser).default([]),
});

/** A customer's WeCom identity and the members who have them as a contact. */
export interface ExternalContact {
  externalUserId: string;
  name?: string;
  /** The members following the customer: `state` is what the add link carried (a task id). */
  followUsers: Array<{
    userId: string;
    createTime?: number;
    addWay?: number;
    state?: string;
    remark?: string;
    /** The phone numbers the member noted for the customer. */
    remarkMobiles?: string[];
  }>;
}

/** A contact way made for one member (`add_contact_way`). */
export interface ContactWay {
  /** For `del_contact_way`; ways made by the API are not listed in the WeCom console. */
  configId: string;
  /** The member's QR code: a customer who scans it is added with the way's `state`. */
  qrCode: string;
}

const contactWayAnswer = z.object({ config_id: z.string().min(1), qr_code: z.string().optional() });

const oauthAnswer = z
  .object({ userid: z.string().optional(), UserId: z.string().optional(), openid: z.string().optional() })
  .loose();

/** A WeCom user id (`zhangsan`). */
export const wecomUserId = z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'a WeCom user id');

/**
 * The WeCom server API for the tenants of one installation: `gettoken` (cached per corp and
 * secret until shortly before expiry, fetched once at a time), `message/send` and
 * `externalcontact/get`. Every call takes the tenant's settings, so one client serves every
 * corp.
 *
 * Failures throw a {@link WeComError} whose `words` an agent can read. A call whose token
 * WeCom calls expired or invalid (42001, 40014, 40001) gets a new token and is retried once.
 * No call outlives the plugin's `timeoutMs` or the caller's `signal`.
 *
 * @example
 * const client = new WeComClient({ timeoutMs: 2500, allowApiBaseUrl: false, logger })
 * await client.sendTextCard(settings, { toUsers: ['zhangsan'], title: '加微任务', description: '客户：张**', url }, { signal })
 */
export class WeComClient {
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();
  private readonly pending = new Map<string, Promise<string>>();
  private readonly clock: { now(): Date };

  constructor(private readonly opts: WeComClientOptions) {
    this.clock = opts.clock ?? { now: () => new Date() };
  }

  /** An application textcard to members (`message/send`). */
  async sendTextCard(settings: WeComTenantSettings, card: TextCard, ctx: CallContext = {}): Promise<SentMessage> {
    const c = textCardSchema.parse(card);
    const answer = await this.call(settings, 'message/send', ctx, {
      method: 'POST',
      body: {
        touser: c.toUsers.join('|'),
        agentid: settings.agentId,
        msgtype: 'textcard',
        textcard: { title: c.title, description: c.description, url: c.url, btntxt: c.buttonText ?? '详情' },
        // A retried send within 30 min is not shown twice.
        enable_duplicate_check: 1,
        duplicate_check_interval: 1800,
      },
    });
    const sent = sendAnswer.safeParse(answer);
    if (!sent.success) throw new WeComError('bad_answer', 'message/send');
    const invalid = sent.data.invaliduser ? sent.data.invaliduser.split('|').filter(Boolean) : [];
    return { msgId: sent.data.msgid ?? '', invalidUsers: invalid };
  }

  /** A customer by external user id (`externalcontact/get`). */
  async getExternalContact(
    settings: WeComTenantSettings,
    externalUserId: string,
    ctx: CallContext = {},
  ): Promise<ExternalContact> {
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(externalUserId)) throw new WeComError('bad_answer', 'externalcontact/get');
    const answer = await this.call(settings, 'externalcontact/get', ctx, {
      method: 'GET',
      query: { external_userid: externalUserId },
    });
    const parsed = externalContactAnswer.safeParse(answer);
    if (!parsed.success) throw new WeComError('bad_answer', 'externalcontact/get');
    const ec = parsed.data.external_contact;
    return {
      externalUserId: ec.external_userid,
      ...(ec.name !== undefined ? { name: ec.name } : {}),
      followUsers: parsed.data.follow_user.map((f) => ({
        userId: f.userid,
        ...(f.createtime !== undefined ? { createTime: f.createtime } : {}),
        ...(f.add_way !== undefined ? { addWay: f.add_way } : {}),
        ...(f.state !== undefined ? { state: f.state } : {}),
        ...(f.remark !== undefined ? { remark: f.remark } : {}),
        ...(f.remark_mobiles !== undefined ? { remarkMobiles: f.remark_mobiles } : {}),
      })),
    };
  }

  /**
   * A "contact me" way for one member (`externalcontact/add_contact_way`, type 1, QR code) that
   * carries `state` (≤ 30 characters) into the add event: the exact link from a customer's add
   * to the task that asked for it.
   */
  async addContactWay(
    settings: WeComTenantSettings,
    way: { userId: string; state: string; remark?: string },
    ctx: CallContext = {},
  ): Promise<ContactWay> {
    const userId = wecomUserId.parse(way.userId);
    if (!/^[A-Za-z0-9_-]{1,30}$/.test(way.state)) throw new WeComError('bad_answer', 'externalcontact/add_contact_way');
    const answer = await this.call(settings, 'externalcontact/add_contact_way', ctx, {
      method: 'POST',
      body: {
        type: 1,
        scene: 2,
        state: way.state,
        user: [userId],
        skip_verify: true,
        ...(way.remark ? { remark: way.remark.slice(0, 30) } : {}),
      },
    });
    const parsed = contactWayAnswer.safeParse(answer);
    if (!parsed.success) throw new WeComError('bad_answer', 'externalcontact/add_contact_way');
    return { configId: parsed.data.config_id, qrCode: parsed.data.qr_code ?? '' };
  }

  /**
   * Who opened a link through WeCom's OAuth (`auth/getuserinfo` with the `code` WeCom put on the
   * redirect): the member's user id, or `undefined` for someone who is not a member of the corp.
   * A code works once and for 5 minutes (WeCom: 40029 otherwise).
   */
  async memberFromOAuthCode(
    settings: WeComTenantSettings,
    code: string,
    ctx: CallContext = {},
  ): Promise<string | undefined> {
    if (!/^[A-Za-z0-9_-]{1,512}$/.test(code)) throw new WeComError('wecom', 'auth/getuserinfo', 40029);
    const answer = await this.call(settings, 'auth/getuserinfo', ctx, { method: 'GET', query: { code } });
    const parsed = oauthAnswer.safeParse(answer);
    if (!parsed.success) throw new WeComError('bad_answer', 'auth/getuserinfo');
    return parsed.data.userid ?? parsed.data.UserId ?? undefined;
  }

  /**
   * The corp's access_token: cached until {@link TOKEN_EXPIRY_MARGIN_MS} before it expires;
   * concurrent callers share one `gettoken` request (WeCom rate-limits it).
   */
  async accessToken(settings: WeComTenantSettings, ctx: CallContext = {}): Promise<string> {
    const key = this.cacheKey(settings);
    const hit = this.tokens.get(key);
    if (hit && hit.expiresAt > this.clock.now().getTime()) return hit.token;
    if (ctx.signal?.aborted) throw new WeComError('aborted', 'gettoken');
    let flight = this.pending.get(key);
    if (!flight) {
      flight = this.fetchToken(settings, key).finally(() => this.pending.delete(key));
      // Callers whose budget ran out have stopped waiting: its failure is theirs, not unhandled.
      flight.catch(() => undefined);
      this.pending.set(key, flight);
    }
    return abortable(flight, ctx.signal, 'gettoken');
  }

  /** Forgets a corp's token (WeCom said it is invalid). */
  forgetToken(settings: WeComTenantSettings): void {
    this.tokens.delete(this.cacheKey(settings));
  }

  private async fetchToken(settings: WeComTenantSettings, key: string): Promise<string> {
    // The shared request is not tied to one caller's signal (others may still wait for it),
    // only to the client's own timeout.
    const answer = await this.request(settings, 'gettoken', undefined, {
      method: 'GET',
      query: { corpid: settings.corpId, corpsecret: settings.corpSecret },
    });
    const parsed = tokenAnswer.safeParse(answer);
    if (!parsed.success) throw new WeComError('bad_answer', 'gettoken');
    const lifetimeMs = parsed.data.expires_in * 1000;
    const margin = Math.min(TOKEN_EXPIRY_MARGIN_MS, lifetimeMs / 2);
    this.tokens.set(key, {
      token: parsed.data.access_token,
      expiresAt: this.clock.now().getTime() + lifetimeMs - margin,
    });
    return parsed.data.access_token;
  }

  /** An API call with the token; on an expired/invalid token, a new one and one more try. */
  private async call(
    settings: WeComTenantSettings,
    api: string,
    ctx: CallContext,
    req: { method: 'GET' | 'POST'; query?: Record<string, string>; body?: unknown },
  ): Promise<Record<string, unknown>> {
    for (let attempt = 1; ; attempt++) {
      const token = await this.accessToken(settings, ctx);
      try {
        return await this.request(settings, api, ctx.signal, {
          ...req,
          query: { ...req.query, access_token: token },
        });
      } catch (err) {
        if (
          attempt === 1 &&
          err instanceof WeComError &&
          err.errcode !== undefined &&
          TOKEN_INVALID_CODES.has(err.errcode)
        ) {
          this.opts.logger.info({ api, errcode: err.errcode }, 'WeCom token expired or invalid: fetching a new one');
          // Only if no one refreshed it meanwhile (another call may already hold a newer one).
          if (this.tokens.get(this.cacheKey(settings))?.token === token) this.forgetToken(settings);
          continue;
        }
        throw err;
      }
    }
  }

  /** One HTTP request; a non-zero errcode, a timeout or a bad answer throws {@link WeComError}. */
  private async request(
    settings: WeComTenantSettings,
    api: string,
    parent: AbortSignal | undefined,
    req: { method: 'GET' | 'POST'; query?: Record<string, string>; body?: unknown },
  ): Promise<Record<string, unknown>> {
    const timeout = AbortSignal.timeout(this.opts.timeoutMs);
    const signal = parent ? AbortSignal.any([parent, timeout]) : timeout;
    const url = new URL(`${this.baseUrl(settings)}/${api}`);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    let res: Response;
    let text: string | undefined;
    try {
      res = await fetch(url, {
        method: req.method,
        signal,
        // The token and secret go to WeCom and nowhere else.
        redirect: 'error',
        headers: {
          accept: 'application/json',
          ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
      });
      if (res.status !== 200) {
        await res.body?.cancel();
        throw new WeComError('bad_answer', api, undefined, { status: res.status });
      }
      text = await readCapped(res, MAX_ANSWER_BYTES);
    } catch (err) {
      if (err instanceof WeComError) throw err;
      if (parent?.aborted) throw new WeComError('aborted', api, undefined, { cause: err });
      if (timeout.aborted) throw new WeComError('timeout', api, undefined, { cause: err });
      // Not the URL: it holds the token or the secret.
      const code = (err as { cause?: { code?: unknown } }).cause?.code;
      throw new WeComError('network', api, undefined, { cause: typeof code === 'string' ? code : 'fetch failed' });
    }
    if (text === undefined) throw new WeComError('bad_answer', api);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new WeComError('bad_answer', api);
    }
    const env = envelope.safeParse(json);
    if (!env.success) throw new WeComError('bad_answer', api);
    if (env.data.errcode !== 0) throw new WeComError('wecom', api, env.data.errcode);
    return env.data as Record<string, unknown>;
  }

  private baseUrl(settings: WeComTenantSettings): string {
    if (settings.apiBaseUrl && this.opts.allowApiBaseUrl) return settings.apiBaseUrl.replace(/\/+$/, '');
    return WECOM_API_BASE_URL;
  }

  /** Per base URL, corp and secret: each app secret has its own token. The secret only as a hash. */
  private cacheKey(settings: WeComTenantSettings): string {
    const secret = createHash('sha256').update(settings.corpSecret).digest('hex');
    return `${this.baseUrl(settings)}|${settings.corpId}|${secret}`;
  }
}

/** `promise`, or a rejection as soon as `signal` aborts (the promise itself runs on). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, api: string): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new WeComError('aborted', api));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new WeComError('aborted', api));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** The body as text, or undefined past `max` bytes. */
async function readCapped(res: Response, max: number): Promise<string | undefined> {
  if (Number(res.headers.get('content-length') ?? NaN) > max) {
    await res.body?.cancel();
    return undefined;
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
