/**
 * A WeCom server double over real HTTP: `gettoken`, `message/send`, `externalcontact/get`,
 * `externalcontact/add_contact_way` and the OAuth `auth/getuserinfo` as WeCom answers them
 * (errcode envelope, tokens that expire, one-use OAuth codes), plus helpers that encrypt and
 * sign callbacks exactly as WeCom does, with `@wecom/crypto`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encrypt, getSignature } from '@wecom/crypto';

/** A corp the double knows. */
export interface DoubleCorp {
  corpId: string;
  corpSecret: string;
  agentId: number;
}

/** What the double does with its next answer to one API. */
type Injected = { errcode: number } | { status: number };

export class WeComDouble {
  readonly gettokenCalls: Array<{ corpid: string | null; corpsecret: string | null }> = [];
  readonly sent: Array<{ token: string; body: Record<string, unknown> }> = [];
  /** Tokens refused with 42001, in order. */
  readonly refusedTokens: string[] = [];
  readonly contactCalls: Array<{ token: string; externalUserId: string | null }> = [];
  /** Seconds a new token lives (WeCom: 7200). */
  expiresIn = 7200;
  /** External contacts by id, as `externalcontact/get` answers them. */
  readonly contacts = new Map<string, Record<string, unknown>>();
  /** Contact ways made (`add_contact_way`), in order. */
  readonly contactWays: Array<{ token: string; body: Record<string, unknown>; configId: string }> = [];
  /** OAuth codes WeCom would hand the member's browser: code → member user id (each works once). */
  readonly oauthCodes = new Map<string, string>();
  private readonly valid = new Set<string>();
  private readonly inject = new Map<string, Injected[]>();
  private seq = 0;

  private constructor(
    private readonly server: Server,
    readonly corp: DoubleCorp,
  ) {}

  static async start(corp: DoubleCorp): Promise<WeComDouble> {
    const holder: { double?: WeComDouble } = {};
    const server = createServer((req, res) => void holder.double!.handle(req, res));
    const double = new WeComDouble(server, corp);
    holder.double = double;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return double;
  }

  /** The base URL to put in a tenant's `apiBaseUrl`. */
  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/cgi-bin`;
  }

  /** Every token issued so far stops working (WeCom answers 42001), as after a secret reset or expiry. */
  expireTokens(): void {
    this.valid.clear();
  }

  /** The next answer of `api` (`message/send`…) is this error instead. */
  failNext(api: string, answer: Injected): void {
    this.inject.set(api, [...(this.inject.get(api) ?? []), answer]);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://double');
    const api = url.pathname.replace(/^\/cgi-bin\//, '');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const reply = (body: unknown, status = 200) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    const injected = this.inject.get(api)?.shift();
    if (injected)
      return 'status' in injected
        ? reply({}, injected.status)
        : reply({ errcode: injected.errcode, errmsg: 'injected' });

    if (api === 'gettoken' && req.method === 'GET') {
      const corpid = url.searchParams.get('corpid');
      const corpsecret = url.searchParams.get('corpsecret');
      this.gettokenCalls.push({ corpid, corpsecret });
      if (corpid !== this.corp.corpId) return reply({ errcode: 40013, errmsg: 'invalid corpid' });
      if (corpsecret !== this.corp.corpSecret) return reply({ errcode: 40001, errmsg: 'invalid credential' });
      const token = `token-${++this.seq}`;
      this.valid.add(token);
      return reply({ errcode: 0, errmsg: 'ok', access_token: token, expires_in: this.expiresIn });
    }
    const token = url.searchParams.get('access_token') ?? '';
    if (!token) return reply({ errcode: 41001, errmsg: 'access_token missing' });
    if (!this.valid.has(token)) {
      this.refusedTokens.push(token);
      return reply({ errcode: 42001, errmsg: 'access_token expired' });
    }

    if (api === 'message/send' && req.method === 'POST') {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      this.sent.push({ token, body });
      if (body.agentid !== this.corp.agentId) return reply({ errcode: 40056, errmsg: 'invalid agentid' });
      const users = String(body.touser ?? '').split('|');
      const invalid = users.filter((u) => u.startsWith('ghost'));
      if (invalid.length === users.length) return reply({ errcode: 81013, errmsg: 'user & party & tag all invalid' });
      return reply({ errcode: 0, errmsg: 'ok', invaliduser: invalid.join('|'), msgid: `msg-${this.sent.length}` });
    }
    if (api === 'externalcontact/get' && req.method === 'GET') {
      const id = url.searchParams.get('external_userid');
      this.contactCalls.push({ token, externalUserId: id });
      const contact = id ? this.contacts.get(id) : undefined;
      if (!contact) return reply({ errcode: 84061, errmsg: 'not external contact' });
      return reply({ errcode: 0, errmsg: 'ok', ...contact });
    }
    if (api === 'externalcontact/add_contact_way' && req.method === 'POST') {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      const configId = `cfg-${this.contactWays.length + 1}`;
      this.contactWays.push({ token, body, configId });
      if (typeof body.state === 'string' && body.state.length > 30) return reply({ errcode: 40058, errmsg: 'state' });
      return reply({
        errcode: 0,
        errmsg: 'ok',
        config_id: configId,
        qr_code: `https://wework.qpic.cn/wwpic/${configId}`,
      });
    }
    if (api === 'auth/getuserinfo' && req.method === 'GET') {
      const code = url.searchParams.get('code') ?? '';
      const userId = this.oauthCodes.get(code);
      this.oauthCodes.delete(code);
      if (!userId) return reply({ errcode: 40029, errmsg: 'invalid code' });
      // A non-member (a customer opening a forwarded link) comes back with an openid only.
      if (userId.startsWith('openid:')) return reply({ errcode: 0, errmsg: 'ok', openid: userId.slice(7) });
      return reply({ errcode: 0, errmsg: 'ok', userid: userId });
    }
    reply({ errcode: 404, errmsg: 'no such api' }, 404);
  }
}

/** A tenant's callback secrets, as WeCom's console shows them. */
export interface CallbackSecrets {
  corpId: string;
  callbackToken: string;
  encodingAesKey: string;
}

/** The query WeCom signs a callback with, over `encrypted`, at `nowMs`. */
export function signedQuery(s: CallbackSecrets, encrypted: string, nowMs: number, nonce = 'n0nce42'): URLSearchParams {
  const timestamp = String(Math.floor(nowMs / 1000));
  return new URLSearchParams({
    msg_signature: getSignature(s.callbackToken, timestamp, nonce, encrypted),
    timestamp,
    nonce,
  });
}

/** WeCom's URL verification: the GET query with an encrypted echostr. */
export function verificationQuery(s: CallbackSecrets, echo: string, nowMs: number): URLSearchParams {
  const echostr = encrypt(s.encodingAesKey, echo, s.corpId);
  const q = signedQuery(s, echostr, nowMs);
  q.set('echostr', echostr);
  return q;
}

/** An encrypted event as WeCom POSTs it: the signed query and the XML envelope. */
export function encryptedEvent(
  s: CallbackSecrets,
  eventXml: string,
  nowMs: number,
  receiveId = s.corpId,
): { query: URLSearchParams; body: string; encrypted: string } {
  const encrypted = encrypt(s.encodingAesKey, eventXml, receiveId);
  return {
    query: signedQuery(s, encrypted, nowMs),
    body: `<xml><ToUserName><![CDATA[${s.corpId}]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`,
    encrypted,
  };
}

/** A `change_external_contact` / `add_external_contact` event, as WeCom writes it. */
export function addContactEventXml(e: {
  corpId: string;
  userId: string;
  externalUserId: string;
  state?: string;
  createTime: number;
}): string {
  return (
    `<xml><ToUserName><![CDATA[${e.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>` +
    `<CreateTime>${e.createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType>` +
    `<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[add_external_contact]]></ChangeType>` +
    `<UserID><![CDATA[${e.userId}]]></UserID><ExternalUserID><![CDATA[${e.externalUserId}]]></ExternalUserID>` +
    (e.state !== undefined ? `<State><![CDATA[${e.state}]]></State>` : '') +
    `<WelcomeCode><![CDATA[WELCOMECODE]]></WelcomeCode></xml>`
  );
}
