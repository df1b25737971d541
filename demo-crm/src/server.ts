import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import Koa from 'koa';
import { z } from 'zod';
import { DEMO_CUSTOMERS, findByPhone, type DemoCustomer } from './customers.js';
import { deskPage } from './desk.js';
import { customerListPage, customerPage, notFoundPage } from './page.js';

/** Switchboard as the CRM's server reaches it, to sign agents in to the embedded workbench. */
export interface SwitchboardLink {
  /** Switchboard's base URL (or a function: the demo knows it once the server listens). */
  url: string | (() => string);
  /** An API key with scope `sdk:login`. */
  apiKey: string;
  /** The agents the desk offers (their Switchboard emails); the first is preselected. */
  agents: readonly string[];
}

/** Options of {@link startDemoCrm}. */
export interface DemoCrmOptions {
  /** Port to listen on; 0 (default) = any free port. */
  port?: number;
  /** Interface to listen on (default `127.0.0.1`: the demo is for this machine). */
  host?: string;
  /** The bearer token the API wants; a random one by default (read it from the result). */
  token?: string;
  /** Base URL of the customer pages in API answers (default: the address it listens on). */
  publicUrl?: string;
  /** The customers (default {@link DEMO_CUSTOMERS}). */
  customers?: readonly DemoCustomer[];
  /** With it, `GET /desk` embeds the Switchboard workbench with the browser SDK (issue 14). */
  switchboard?: SwitchboardLink;
}

/** A running demo CRM. */
export interface DemoCrm {
  /** Where it listens, e.g. `http://127.0.0.1:3100` (no trailing slash). */
  url: string;
  /** The customer search the screen-pop plugin calls: `<url>/api/customers`. */
  searchUrl: string;
  /** The agent desk with the embedded workbench (`<url>/desk`), when Switchboard is linked. */
  deskUrl: string | null;
  token: string;
  /** The `Authorization` header value the API wants: `Bearer <token>`. */
  authHeader: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

const searchQuery = z
  .object({
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 ()-]{2,30}$/, 'a phone number'),
  })
  .strict();

const sdkLoginBody = z.object({ agent: z.email().max(254) }).strict();

type ErrorCode = 'unauthenticated' | 'validation_failed' | 'not_found' | 'internal' | 'upstream_failed';

/** The SDK's UMD bundle (built by `npm run build -w sdk`); null until it is built. */
function sdkBundle(): string | null {
  try {
    const file = createRequire(import.meta.url).resolve('@switchboard/sdk/umd');
    return existsSync(file) ? file : null;
  } catch {
    return null;
  }
}

/** The desk's script, next to the sources and the build. */
const DESK_JS = fileURLToPath(new URL('../public/desk.js', import.meta.url));

/** What the desk page may load: its own script and styles, Switchboard's workbench in a frame. */
function deskCsp(switchboardOrigin: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'unsafe-inline'",
    "connect-src 'self'",
    `frame-src ${switchboardOrigin}`,
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function sendError(ctx: Koa.Context, status: number, code: ErrorCode, message: string): void {
  ctx.status = status;
  ctx.body = { error: { code, message } };
}

/** Compares secrets in constant time (hashes first, so lengths do not leak either). */
function sameSecret(a: string, b: string): boolean {
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(a), h(b));
}

/** The demo CRM's Koa app. */
export function createDemoCrmApp(opts: {
  token: string;
  publicUrl: () => string;
  customers: readonly DemoCustomer[];
  switchboard?: SwitchboardLink;
}) {
  const app = new Koa();
  const router = new Router();

  app.use(async (ctx, next) => {
    // Pages of made-up customers still get the headers a real CRM page should have.
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'");
    try {
      await next();
    } catch (err) {
      console.error('[demo-crm] request failed:', err);
      sendError(ctx, 500, 'internal', 'Internal error');
    }
  });

  /**
   * `GET /api/customers?phone=…` with `Authorization: Bearer <token>` → `{ items: [customer] }`
   * (empty when nobody has the number).
   */
  router.get('/api/customers', (ctx) => {
    const header = ctx.get('authorization');
    const given = /^Bearer (.+)$/i.exec(header)?.[1];
    if (!given || !sameSecret(given, opts.token)) {
      ctx.set('WWW-Authenticate', 'Bearer realm="demo-crm"');
      return sendError(ctx, 401, 'unauthenticated', 'A valid bearer token is required');
    }
    const query = searchQuery.safeParse(ctx.query);
    if (!query.success) {
      return sendError(ctx, 400, 'validation_failed', 'Query: phone=<a phone number> is required');
    }
    const base = opts.publicUrl();
    ctx.body = {
      items: findByPhone(opts.customers, query.data.phone).map((c) => ({
        ...c,
        url: `${base}/customers/${encodeURIComponent(c.id)}`,
      })),
    };
  });

  /** The customer's page (public: a demo has no sign-in). */
  router.get('/customers/:id', (ctx) => {
    const c = opts.customers.find((x) => x.id === ctx.params.id);
    ctx.type = 'html';
    if (!c) {
      ctx.status = 404;
      ctx.body = notFoundPage();
      return;
    }
    ctx.body = customerPage(c);
  });

  router.get('/', (ctx) => {
    ctx.type = 'html';
    ctx.body = customerListPage(opts.customers, opts.switchboard ? '/desk' : null);
  });

  const sb = opts.switchboard;
  if (sb) {
    const base = () => (typeof sb.url === 'function' ? sb.url() : sb.url).replace(/\/+$/, '');

    /** The agent desk: customers, the caller popped on `callIn`, the embedded workbench. */
    router.get('/desk', (ctx) => {
      ctx.type = 'html';
      ctx.set('Content-Security-Policy', deskCsp(new URL(base()).origin));
      ctx.body = deskPage(opts.customers, sb.agents);
    });
    router.get('/desk.js', (ctx) => {
      ctx.type = 'application/javascript';
      ctx.body = readFileSync(DESK_JS);
    });
    router.get('/sdk/switchboard-sdk.umd.js', (ctx) => {
      const file = sdkBundle();
      if (!file) return sendError(ctx, 404, 'not_found', 'The SDK is not built: run npm run build');
      ctx.type = 'application/javascript';
      ctx.body = readFileSync(file);
    });

    /**
     * The CRM's server side of the SDK sign-in: asks Switchboard for a one-time login token for
     * the agent with its API key (which never reaches the browser) and hands the page the token.
     * JSON only, so another site's form cannot post here.
     */
    router.post('/api/sdk-login', async (ctx) => {
      if (!ctx.is('application/json'))
        return sendError(ctx, 400, 'validation_failed', 'Send JSON: { "agent": "<email>" }');
      const raw = await readBody(ctx.req);
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        return sendError(ctx, 400, 'validation_failed', 'Send JSON: { "agent": "<email>" }');
      }
      const body = sdkLoginBody.safeParse(parsed);
      if (!body.success || !sb.agents.includes(body.data.agent)) {
        return sendError(ctx, 400, 'validation_failed', `agent: one of ${sb.agents.join(', ')}`);
      }
      const res = await fetch(`${base()}/api/v1/sdk/login-tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sb.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ seatUserId: body.data.agent }),
      }).catch((err: Error) => err);
      if (res instanceof Error || !res.ok) {
        const why = res instanceof Error ? res.message : `HTTP ${res.status}: ${await res.text()}`;
        return sendError(ctx, 502, 'upstream_failed', `Switchboard refused the sign-in (${why})`);
      }
      const token = (await res.json()) as { token: string; sdkUrl: string };
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { token: token.token, sdkUrl: token.sdkUrl };
    });

    /** The desk's screen pop: the customers with this number (the page has no sign-in: a demo). */
    router.get('/api/lookup', (ctx) => {
      const query = searchQuery.safeParse(ctx.query);
      if (!query.success) return sendError(ctx, 400, 'validation_failed', 'Query: phone=<a phone number> is required');
      ctx.body = { items: findByPhone(opts.customers, query.data.phone) };
    });
  }

  app.use(router.routes());
  app.use(router.allowedMethods());
  app.use((ctx) => {
    if (ctx.status === 404 && ctx.body === undefined) sendError(ctx, 404, 'not_found', 'Not found');
  });
  return app;
}

/**
 * Starts the demo CRM: `GET /api/customers?phone=` (bearer token) answers the customer search
 * the screen-pop plugin makes; `GET /customers/:id` is a customer's page; `GET /` lists them.
 * Rejects when the port is taken (`EADDRINUSE`).
 *
 * @example
 * const crm = await startDemoCrm({ port: 3100 })
 * crmScreenPop({ url: crm.searchUrl, authHeader: crm.authHeader })
 * await crm.close()
 */
export async function startDemoCrm(opts: DemoCrmOptions = {}): Promise<DemoCrm> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  let url = '';
  const app = createDemoCrmApp({
    token,
    publicUrl: () => opts.publicUrl?.replace(/\/+$/, '') ?? url,
    customers: opts.customers ?? DEMO_CUSTOMERS,
    ...(opts.switchboard ? { switchboard: opts.switchboard } : {}),
  });
  const server: Server = createServer(app.callback());
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  // Listening on every interface: links still need a name a browser can open.
  const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  url = `http://${name}:${port}`;
  return {
    url,
    searchUrl: `${url}/api/customers`,
    deskUrl: opts.switchboard ? `${url}/desk` : null,
    token,
    authHeader: `Bearer ${token}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** The request body as text (at most 16 KB: the desk sends a few dozen bytes). */
function readBody(req: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 16_384) reject(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
