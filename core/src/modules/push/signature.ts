import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers every push delivery carries. */
export const PUSH_HEADERS = {
  /** The delivery's id: the same on every retry and re-send, so a receiver drops duplicates. */
  delivery: 'x-switchboard-delivery',
  /** `record.created` or `recording.ready`. */
  event: 'x-switchboard-event',
  /** Seconds since the epoch when this attempt was signed. */
  timestamp: 'x-switchboard-timestamp',
  /** `v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with the subscription's signing secret>`. */
  signature: 'x-switchboard-signature',
} as const;

/** How old a signed attempt a receiver should still accept, in seconds (replays). */
export const PUSH_SIGNATURE_TOLERANCE_S = 300;

/** The `X-Switchboard-Signature` value of `body` signed at `timestamp` (seconds). */
export function signPush(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * The receiver's check, as documented in `docs/push.md`: the HMAC over `<timestamp>.<raw body>`
 * must match (compared in constant time) and the timestamp be within
 * {@link PUSH_SIGNATURE_TOLERANCE_S} of the receiver's clock.
 *
 * @example
 * verifyPush(secret, req.headers['x-switchboard-timestamp'], req.headers['x-switchboard-signature'], rawBody)
 */
export function verifyPush(
  secret: string,
  timestamp: string | undefined,
  signature: string | undefined,
  rawBody: string,
  nowMs = Date.now(),
): boolean {
  const ts = Number(timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowMs / 1000 - ts) > PUSH_SIGNATURE_TOLERANCE_S) return false;
  const expected = Buffer.from(signPush(secret, ts, rawBody));
  const given = Buffer.from(signature ?? '');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
