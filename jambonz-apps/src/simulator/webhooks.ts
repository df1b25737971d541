import { SIGNATURE_HEADER, signPayload } from '../protocol/signature.js';
import { validateVerbs, VerbValidationError, type Hook, type Verb } from '../protocol/verbs.js';
import { snakeCaseKeys } from './util.js';

/** What a webhook request is for; decides how its response is treated. */
export type HookKind =
  'call_hook' | 'action' | 'redirect' | 'wait' | 'status' | 'queue_event' | 'conference_status' | 'child_call_hook';

/** Outcome of one webhook request. */
export interface HookResult {
  /** 2xx (200/202/204) and, when verbs were expected, a valid verb array (or none). */
  ok: boolean;
  /** Verbs returned, normalised to the `{verb: '…'}` form; empty when none. */
  verbs: Verb[];
}

/** A hook resolved to an absolute URL. */
export interface ResolvedHook {
  url: string;
  method: 'GET' | 'POST';
  username?: string;
  password?: string;
}

/** Dependencies of {@link WebhookSender}. */
export interface WebhookSenderOptions {
  secret: string;
  timeoutMs: number;
  /** Aborted when the simulator stops: cancels requests in flight. */
  stopSignal: AbortSignal;
  alert(callSid: string | undefined, message: string): void;
  debug(msg: string, data?: Record<string, unknown>): void;
}

const ACCEPTED = new Set([200, 202, 204]);

/**
 * Resolves a hook like FS `normalizeUrl`: a string starting with `/` is relative to the
 * application's call hook base (scheme + host), anything else must already be absolute.
 */
export function resolveHook(hook: Hook, baseUrl: string | undefined): ResolvedHook | undefined {
  const spec = typeof hook === 'string' ? { url: hook } : hook;
  let url = spec.url;
  if (url.startsWith('/')) {
    if (!baseUrl) return undefined;
    url = new URL(url, baseUrl).toString();
  } else if (!/^https?:\/\//i.test(url)) {
    return undefined;
  }
  return {
    url,
    method: spec.method === 'GET' ? 'GET' : 'POST',
    ...(spec.username !== undefined ? { username: spec.username } : {}),
    ...(spec.password !== undefined ? { password: spec.password } : {}),
  };
}

/** Converts `{say: {...}}` entries to `{verb: 'say', ...}`; verb-specifications accepts both. */
export function normalizeVerbs(verbs: Verb[]): Verb[] {
  return verbs.map((entry) => {
    const obj = entry as unknown as Record<string, unknown>;
    if ('verb' in obj) {
      return (obj.verb === 'stream' ? { ...obj, verb: 'listen' } : obj) as unknown as Verb;
    }
    const [name, data] = Object.entries(obj)[0] ?? ['', {}];
    const verb = name === 'stream' ? 'listen' : name;
    return { verb, ...(data as Record<string, unknown>) } as unknown as Verb;
  });
}

/**
 * Sends signed webhooks exactly as FS `http-requestor.js` does: POST, JSON body snake-cased
 * (except customerData/sip/env_vars), `Jambonz-Signature` over the exact body, 10 s timeout,
 * 200/202/204 accepted, body parsed only when `Content-Type` is JSON.
 */
export class WebhookSender {
  private readonly inflight = new Set<Promise<HookResult>>();
  private readonly chains = new Map<string, Promise<HookResult>>();

  constructor(private readonly opts: WebhookSenderOptions) {}

  /** Resolves once no webhook request is in flight. */
  async drain(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  /**
   * Sends one webhook. Never throws: failures are recorded as alerts and reported as
   * `ok: false`, which is how the feature server treats them too.
   */
  send(
    kind: HookKind,
    hook: Hook,
    payload: Record<string, unknown>,
    ctx: { callSid?: string; baseUrl?: string; signal?: AbortSignal },
  ): Promise<HookResult> {
    const p = this.doSend(kind, hook, payload, ctx).catch((err: unknown) => this.crashed(ctx.callSid, err));
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
    return p;
  }

  /**
   * Sends after every earlier request with the same `key` finished, so e.g. status hooks of one
   * leg arrive in order (the app sees trying before in-progress before completed).
   */
  sendOrdered(
    key: string,
    kind: HookKind,
    hook: Hook,
    payload: Record<string, unknown>,
    ctx: { callSid?: string; baseUrl?: string },
  ): Promise<HookResult> {
    const prev = this.chains.get(key);
    const p = (prev ?? Promise.resolve())
      .then(() => this.doSend(kind, hook, payload, ctx))
      .catch((err: unknown) => this.crashed(ctx.callSid, err));
    this.chains.set(key, p);
    this.inflight.add(p);
    void p.finally(() => {
      this.inflight.delete(p);
      if (this.chains.get(key) === p) this.chains.delete(key);
    });
    return p;
  }

  private crashed(callSid: string | undefined, err: unknown): HookResult {
    this.opts.alert(callSid, `simulator webhook error: ${(err as Error).stack ?? String(err)}`);
    return { ok: false, verbs: [] };
  }

  private async doSend(
    kind: HookKind,
    hook: Hook,
    payload: Record<string, unknown>,
    ctx: { callSid?: string; baseUrl?: string; signal?: AbortSignal },
  ): Promise<HookResult> {
    const fail: HookResult = { ok: false, verbs: [] };
    const resolved = resolveHook(hook, ctx.baseUrl);
    const rawUrl = typeof hook === 'string' ? hook : hook.url;
    if (!resolved) {
      this.opts.alert(
        ctx.callSid,
        `${kind}: cannot resolve hook url "${rawUrl}" (relative hooks need to start with /)`,
      );
      return fail;
    }
    const body = JSON.stringify(snakeCaseKeys(payload));
    const headers: Record<string, string> = { 'User-Agent': 'jambonz' };
    if (resolved.username && resolved.password) {
      headers.Authorization = `Basic ${Buffer.from(`${resolved.username}:${resolved.password}`).toString('base64')}`;
    }
    if (resolved.method === 'GET') {
      // 0.9.8 sends no call payload on GET hooks; apps almost always want POST.
      this.opts.alert(ctx.callSid, `${kind}: GET hook ${resolved.url} receives no payload in jambonz 0.9.x`);
    } else {
      headers['Content-Type'] = 'application/json';
      headers[SIGNATURE_HEADER] = signPayload(this.opts.secret, body);
    }
    const signals = [this.opts.stopSignal, AbortSignal.timeout(this.opts.timeoutMs)];
    if (ctx.signal) signals.push(ctx.signal);
    let res: Response;
    let text: string;
    try {
      res = await fetch(resolved.url, {
        method: resolved.method,
        headers,
        body: resolved.method === 'POST' ? body : undefined,
        signal: AbortSignal.any(signals),
      });
      text = await res.text();
    } catch (err) {
      if (!this.opts.stopSignal.aborted && !ctx.signal?.aborted) {
        this.opts.alert(ctx.callSid, `${kind}: request to ${resolved.url} failed: ${(err as Error).message}`);
      }
      return fail;
    }
    this.opts.debug('webhook', { kind, url: resolved.url, status: res.status });
    if (!ACCEPTED.has(res.status)) {
      this.opts.alert(ctx.callSid, `${kind}: ${resolved.url} answered HTTP ${res.status}`);
      return fail;
    }
    if (kind === 'status' || kind === 'queue_event' || kind === 'conference_status') return { ok: true, verbs: [] };

    const contentType = res.headers.get('content-type') ?? '';
    if (!contentType.includes('application/json') || text.trim().length === 0) {
      if (text.trim().length > 0) {
        this.opts.alert(ctx.callSid, `${kind}: ${resolved.url} answered a body with content-type "${contentType}"`);
      }
      return { ok: true, verbs: [] };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.opts.alert(ctx.callSid, `${kind}: ${resolved.url} answered invalid JSON`);
      return fail;
    }
    try {
      validateVerbs(parsed);
    } catch (err) {
      const message = err instanceof VerbValidationError ? err.message : String(err);
      this.opts.alert(ctx.callSid, `${kind}: ${resolved.url} answered invalid verbs: ${message}`);
      return fail;
    }
    return { ok: true, verbs: normalizeVerbs(parsed) };
  }
}
