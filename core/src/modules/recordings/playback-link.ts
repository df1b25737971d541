import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Short-lived signed links to a recording's audio (REC-05). A browser `<audio>` element cannot
 * send `Authorization`, and fetching the whole file first defeats HTTP Range requests; so the
 * API, after checking the caller may hear the recording, hands out a link the element plays
 * directly: it then asks for byte ranges and seeks without downloading everything.
 *
 * The signature (HMAC-SHA256 with the installation's media key) covers the tenant, the
 * recording and the expiry, so a link opens that one recording until it expires and nothing else.
 */

/** How long a playback link stays valid: long enough to listen to a long call, then gone. */
export const PLAYBACK_LINK_TTL_SECONDS = 2 * 60 * 60;

/** What a playback link names. */
export interface PlaybackGrant {
  tenantId: string;
  recordingId: string;
  /** Expiry, epoch seconds. */
  exp: number;
}

/** The signature of a grant, base64url. */
export function signPlayback(key: Buffer, g: PlaybackGrant): string {
  return createHmac('sha256', key)
    .update(`recording-playback:${g.tenantId}:${g.recordingId}:${g.exp}`)
    .digest('base64url');
}

/** Why a link does not open: `invalid` (wrong signature), `expired`, or null when it does. */
export function checkPlayback(
  key: Buffer,
  g: PlaybackGrant,
  sig: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): 'invalid' | 'expired' | null {
  const want = Buffer.from(signPlayback(key, g));
  const got = Buffer.from(sig);
  if (got.length !== want.length || !timingSafeEqual(got, want)) return 'invalid';
  return g.exp < nowSeconds ? 'expired' : null;
}
