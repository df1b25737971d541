import type { Next } from 'koa';
import type { AppContext } from './types.js';

/**
 * Headers every response carries, errors included (set before the handler runs, and the error
 * handler keeps them):
 * - `X-Content-Type-Options: nosniff`: a browser never guesses a type other than the one sent,
 *   so an uploaded or echoed body cannot be run as script or style;
 * - `Content-Security-Policy: frame-ancestors 'none'` and `X-Frame-Options: DENY` (for older
 *   browsers): no page of ours — `/api/docs` above all — can be framed and clickjacked. A
 *   route that sets its own policy (the docs page) must keep `frame-ancestors 'none'` in it.
 */
export function securityHeaders() {
  return async function withSecurityHeaders(ctx: AppContext, next: Next): Promise<void> {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Content-Security-Policy', "frame-ancestors 'none'");
    ctx.set('X-Frame-Options', 'DENY');
    await next();
  };
}

/** Marks a response as never to be stored by a browser or proxy (tokens, secrets). */
export function noStore(ctx: AppContext): void {
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Pragma', 'no-cache');
}
