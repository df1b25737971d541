import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import Koa from 'koa';
import { z } from 'zod';
import { DEMO_CUSTOMERS, findByPhone, type DemoCustomer } from './customers.js';
import { customerListPage, customerPage, notFoundPage } from './page.js';

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
}

/** A running demo CRM. */
export interface DemoCrm {
  /** Where it listens, e.g. `http://127.0.0.1:3100` (no trailing slash). */
  url: string;
  /** The customer search the screen-pop plugin calls: `<url>/api/customers`. */
  searchUrl: string;
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

type ErrorCode = 'unauthenticated' | 'validation_failed' | 'not_found' | 'internal';

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
export function createDemoCrmApp(opts: { token: string; publicUrl: () => string; customers: readonly DemoCustomer[] }) {
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
    ctx.body = customerListPage(opts.customers);
  });

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
    token,
    authHeader: `Bearer ${token}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
