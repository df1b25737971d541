import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import type { ApiRouter } from '../../http/api-router.js';
import { OutboundError, outboundRequest } from '../../net/outbound-http.js';
import { getOrCreateSecret } from '../auth/secrets.js';

/**
 * The HTTP node's outgoing request (IVR-29).
 *
 * Every request is signed so the customer's API can tell it comes from this contact center:
 *
 * ```
 * X-Switchboard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<payload>")>
 * ```
 *
 * `payload` is the raw JSON body for POST, and the query string as sent (without `?`) for GET.
 * The secret is the tenant's, created on first use; admins read it with
 * `GET /api/v1/ivr-http-secret`. Verify by recomputing the HMAC, comparing in constant time, and
 * refusing timestamps older than a few minutes (replays). {@link verifyIvrHttpSignature} does it.
 */
export const IVR_HTTP_SIGNATURE_HEADER = 'X-Switchboard-Signature';

/** The tenant's signing secret (created on first use, shared by every instance through the database). */
export function ivrHttpSecret(db: Db, tenantId: string): Promise<string> {
  return getOrCreateSecret(db, `ivr-http:${tenantId}`);
}

/** `t=…,v1=…` for `payload` at `timestamp` (unix seconds). */
export function signIvrHttp(secret: string, timestamp: number, payload: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/** Checks a signature header against `payload`; false when wrong, malformed or older than `toleranceSeconds`. */
export function verifyIvrHttpSignature(
  header: string | undefined,
  payload: string,
  secret: string,
  toleranceSeconds = 300,
  now = Date.now(),
): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) return false;
  const t = Number(m[1]);
  if (Math.abs(now / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signIvrHttp(secret, t, payload).slice(`t=${t},v1=`.length), 'hex');
  const got = Buffer.from(m[2]!, 'hex');
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** One HTTP node request. */
export interface IvrHttpRequest {
  url: string;
  method: 'GET' | 'POST';
  body: Record<string, string>;
  timeoutSeconds: number;
  secret: string;
  /** Sent as headers so the API can correlate and deduplicate retries. */
  sessionId: string;
  nodeId: string;
  attempt: number;
  /** The tenant lets requests reach private and loopback addresses (`allowPrivateUrls`). */
  allowPrivate: boolean;
}

/** Largest answer an HTTP node reads: its JSON becomes flow variables, not a download. */
const MAX_ANSWER_BYTES = 256 * 1024;

/**
 * Sends the request and reads the JSON answer. Never throws: an error, a timeout, a non-2xx
 * status, a body that is not JSON or a private address the tenant does not allow is
 * `ok: false` (the interpreter counts it and retries or takes the defaults). Redirects are not
 * followed.
 */
export async function sendIvrHttp(req: IvrHttpRequest): Promise<{ ok: boolean; output?: unknown; error?: string }> {
  const timestamp = Math.floor(Date.now() / 1000);
  let url = req.url;
  let payload: string;
  let body: string | undefined;
  if (req.method === 'GET') {
    payload = new URLSearchParams(req.body).toString();
    if (payload) url += (url.includes('?') ? '&' : '?') + payload;
  } else {
    payload = JSON.stringify(req.body);
    body = payload;
  }
  try {
    // The SSRF guard: a flow's URL may not reach the server's own network unless the tenant allows it.
    const res = await outboundRequest({
      url,
      method: req.method,
      headers: {
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        [IVR_HTTP_SIGNATURE_HEADER]: signIvrHttp(req.secret, timestamp, payload),
        'X-Switchboard-Session': req.sessionId,
        'X-Switchboard-Node': req.nodeId,
        'X-Switchboard-Attempt': String(req.attempt),
      },
      ...(body !== undefined ? { body } : {}),
      timeoutMs: req.timeoutSeconds * 1000,
      allowPrivate: req.allowPrivate,
      maxAnswerBytes: MAX_ANSWER_BYTES,
    });
    if (res.status < 200 || res.status > 299) return { ok: false, error: `HTTP ${res.status}` };
    if (res.truncated) return { ok: false, error: 'answer too large' };
    try {
      return { ok: true, output: res.body ? JSON.parse(res.body) : {} };
    } catch {
      return { ok: false, error: 'answer is not JSON' };
    }
  } catch (err) {
    return { ok: false, error: err instanceof OutboundError ? `${err.reason}: ${err.message}` : String(err) };
  }
}

/** `GET /ivr-http-secret`: the tenant's signing secret for HTTP nodes (admins). */
export function registerIvrHttpRoutes(api: ApiRouter): void {
  api.route({
    method: 'get',
    path: '/ivr-http-secret',
    summary: 'The secret HTTP nodes sign their requests with',
    tags: ['ivr'],
    access: { roles: ['admin'], scopes: ['ivr:write'] },
    response: z
      .object({ header: z.string(), algorithm: z.literal('HMAC-SHA256'), secret: z.string() })
      .meta({ id: 'IvrHttpSecret' }),
    handler: async ({ principal, deps }) => ({
      header: IVR_HTTP_SIGNATURE_HEADER,
      algorithm: 'HMAC-SHA256' as const,
      secret: await ivrHttpSecret(deps.db, principal.tenantId),
    }),
  });
}
