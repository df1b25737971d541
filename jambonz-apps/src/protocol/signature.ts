import { createHmac, timingSafeEqual } from 'node:crypto';

/** Name of the HTTP header jambonz puts the webhook signature in. */
export const SIGNATURE_HEADER = 'Jambonz-Signature';

/** Default tolerance for the signature timestamp, as in the jambonz SDKs (seconds). */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

function hmacHex(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/**
 * Computes a `Jambonz-Signature` header value exactly as the feature server's
 * `base-requestor.js` does: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
 *
 * @param secret - the account webhook secret
 * @param rawBody - the exact body string that is sent (jambonz signs its `JSON.stringify` output)
 * @param nowSeconds - unix time in seconds; defaults to the current time
 */
export function signPayload(secret: string, rawBody: string, nowSeconds?: number): string {
  const t = Math.floor(nowSeconds ?? Date.now() / 1000);
  return `t=${t},v1=${hmacHex(secret, t, rawBody)}`;
}

/**
 * Verifies a `Jambonz-Signature` header against the raw request body.
 *
 * Accepts several `v1=` values (jambonz may sign with more than one secret during a rotation)
 * and several candidate secrets (so an app can accept the old and the new secret while rotating).
 * The timestamp skew is checked in both directions because clocks drift either way.
 * Never throws: any malformed header simply fails verification.
 *
 * @returns true when some `v1` value matches some secret and the timestamp is within tolerance
 */
export function verifySignature(
  header: string | undefined,
  rawBody: Buffer | string,
  secret: string | string[],
  toleranceSeconds: number = DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
  nowSeconds?: number,
): boolean {
  if (!header) return false;
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') timestamp = Number(value);
    else if (key === 'v1' && value.length > 0) candidates.push(value);
  }
  if (timestamp === undefined || !Number.isInteger(timestamp) || candidates.length === 0) return false;
  const now = nowSeconds ?? Date.now() / 1000;
  if (Math.abs(now - timestamp) > toleranceSeconds) return false;

  const body = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
  const secrets = (Array.isArray(secret) ? secret : [secret]).filter((s) => s.length > 0);
  for (const s of secrets) {
    const expected = Buffer.from(hmacHex(s, timestamp, body), 'utf8');
    for (const candidate of candidates) {
      const given = Buffer.from(candidate, 'utf8');
      // timingSafeEqual requires equal lengths; a length mismatch is not secret information.
      if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
    }
  }
  return false;
}
