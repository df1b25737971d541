import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { send } from '@koa/send';
import type { Middleware, Next } from 'koa';
import type { AppContext } from './types.js';

/**
 * Paths that never fall back to the web app's `index.html`: the API, telephony webhooks, the
 * realtime socket, plugins and the operational endpoints keep their own 404s.
 */
export const UI_EXCLUDED_PREFIXES = ['/api', '/jambonz', '/ws', '/plugins', '/metrics', '/healthz', '/readyz'];

/** One year: files under `/assets/` carry a content hash in their name and never change. */
const IMMUTABLE_MAX_AGE_MS = 365 * 24 * 3600 * 1000;

/**
 * Content-Security-Policy of the web app's pages: its own scripts and styles only (inline
 * styles are allowed: TDesign positions popups with them), API calls and the realtime socket
 * to this server plus WebSockets elsewhere (the softphone registers with the telephony SBC),
 * media from blobs (recordings, ring tones), and never framed.
 */
const UI_CSP_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "media-src 'self' blob:",
  "connect-src 'self' ws: wss:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
];
export const UI_CSP = [...UI_CSP_DIRECTIVES, "frame-ancestors 'none'"].join('; ');

/** `/embed/<tenant id>`: the workbench as the browser SDK frames it. */
const EMBED_PATH = /^\/embed\/([0-9a-f-]{36})\/?$/i;

/**
 * The policy of an embedded workbench page: as {@link UI_CSP}, but framed by the tenant's SDK
 * origins only (none listed: by nobody).
 */
export function embedCsp(origins: readonly string[]): string {
  const ancestors = origins.length > 0 ? origins.join(' ') : "'none'";
  return [...UI_CSP_DIRECTIVES, `frame-ancestors ${ancestors}`].join('; ');
}

/** What the web app needs of the rest of the server. */
export interface StaticUiOptions {
  /** The origins that may frame a tenant's embedded workbench (its `sdkOrigins` setting). */
  embedAncestors?: (tenantId: string) => Promise<readonly string[]>;
}

function excluded(path: string): boolean {
  return UI_EXCLUDED_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

/** Browsers navigating to a page ask for HTML; scripts and `fetch` asking for JSON do not. */
function wantsHtml(ctx: AppContext): boolean {
  const accept = ctx.get('accept');
  return accept === '' || accept.includes('text/html') || accept.includes('*/*');
}

/**
 * Serves the built web app (`admin-ui/dist`, or `ui.dir`) at `/`, mounted after every router:
 * - `/assets/*` (hashed names) with `Cache-Control: public, max-age=31536000, immutable`;
 * - other files of the directory (favicon…) as they are, revalidated;
 * - any other GET for a page (no file extension, outside {@link UI_EXCLUDED_PREFIXES}) gets
 *   `index.html` with `Cache-Control: no-cache` (history-mode routing: the app reads the URL);
 * - `/embed/<tenant id>` the same page, framable by the tenant's SDK origins only.
 *
 * Returns undefined when the directory holds no `index.html` (UI not built): the server then
 * runs API-only, as before.
 */
export function staticUi(
  dir: string,
  opts: StaticUiOptions = {},
): Middleware<AppContext['state'], AppContext> | undefined {
  const root = resolve(dir);
  const index = join(root, 'index.html');
  if (!existsSync(index) || !statSync(index).isFile()) return undefined;

  return async function serveUi(ctx: AppContext, next: Next): Promise<void> {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || ctx.body != null || excluded(ctx.path)) {
      return next();
    }
    const isAsset = ctx.path.startsWith('/assets/');
    // A dot in the last segment names a file (app.js, favicon.svg, .hidden), never a page.
    const hasExtension = /\.[^/]*$/.test(ctx.path);
    if (isAsset || hasExtension) {
      try {
        await send(ctx, ctx.path, {
          root,
          immutable: isAsset,
          maxage: isAsset ? IMMUTABLE_MAX_AGE_MS : 0,
          gzip: false,
          brotli: false,
          setHeaders: (res) => {
            // Cache-Control must be set here: send() writes its own after setHeaders is skipped.
            if (isAsset) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
            else res.setHeader('Cache-Control', 'no-cache');
          },
        });
        ctx.state.routePath = isAsset ? '/assets/*' : '/(ui file)';
        return;
      } catch (err) {
        if ((err as { status?: number }).status !== 404) throw err;
        // A missing file is a 404, never index.html: a stale page must not run HTML as script.
        return next();
      }
    }
    if (!wantsHtml(ctx)) return next();
    await send(ctx, 'index.html', {
      root,
      gzip: false,
      brotli: false,
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    });
    const embed = EMBED_PATH.exec(ctx.path);
    if (embed && opts.embedAncestors) {
      const origins = await opts.embedAncestors(embed[1]!);
      ctx.set('Content-Security-Policy', embedCsp(origins));
      // Browsers that know frame-ancestors ignore X-Frame-Options; older ones would refuse every
      // frame with DENY, so the header goes where some origin may frame the page.
      if (origins.length > 0) ctx.remove('X-Frame-Options');
      ctx.state.routePath = '/embed/:tenantId';
      return;
    }
    ctx.set('Content-Security-Policy', UI_CSP);
    ctx.state.routePath = '/(ui page)';
  };
}

/** Where the agent mini-program's h5 build is served (its `publicPath`). */
export const MOBILE_PREFIX = '/m/';

/**
 * Serves the agent mini-program's h5 build (`miniprogram/dist/h5`, or `ui.mobileDir`) at `/m/`:
 * agents without WeChat open it in the phone's browser. Files with a content hash in their name
 * (`js/app.1a2b3c4d.js`) are cached for a year, `index.html` is revalidated; the app routes by
 * hash, so there is no history fallback. Undefined when it is not built.
 */
export function staticMobile(dir: string): Middleware<AppContext['state'], AppContext> | undefined {
  const root = resolve(dir);
  if (!existsSync(join(root, 'index.html'))) return undefined;
  return async function serveMobile(ctx: AppContext, next: Next): Promise<void> {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || ctx.body != null) return next();
    if (ctx.path === '/m') {
      ctx.redirect(MOBILE_PREFIX);
      return;
    }
    if (!ctx.path.startsWith(MOBILE_PREFIX)) return next();
    const file = ctx.path.slice(MOBILE_PREFIX.length) || 'index.html';
    const hashed = /\.[0-9a-f]{8}\.(js|css)$/.test(file);
    try {
      await send(ctx, file, {
        root,
        immutable: hashed,
        maxage: hashed ? IMMUTABLE_MAX_AGE_MS : 0,
        gzip: false,
        brotli: false,
        setHeaders: (res) =>
          res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache'),
      });
    } catch (err) {
      if ((err as { status?: number }).status !== 404) throw err;
      return next();
    }
    if (file === 'index.html') ctx.set('Content-Security-Policy', UI_CSP);
    ctx.state.routePath = '/m/*';
  };
}
