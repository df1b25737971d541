import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Router from '@koa/router';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import { createError } from '../errors/registry.js';
import type { AppContext } from './types.js';

/** The `metrics` section of the resolved configuration. */
export interface MetricsAccess {
  token?: string | undefined;
  port?: number | undefined;
}

/** Constant-time check of `Authorization: Bearer <token>` (hashes first: equal lengths). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!presented) return false;
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(presented), digest(token));
}

/**
 * Mounts `/metrics` on the main router only when a token protects it and no separate port is
 * configured. Metrics name routes, plugins and load: never public. Without a token (or with a
 * metrics port) the main port answers 404, as for any unknown path.
 */
export function registerMetricsRoute(router: Router, metrics: Metrics, access: MetricsAccess): void {
  if (!access.token || access.port !== undefined) return;
  const token = access.token;
  router.get('/metrics', async (ctx: AppContext) => {
    ctx.state.routePath = '/metrics';
    if (!bearerMatches(ctx.get('authorization'), token)) {
      throw createError('unauthenticated', 'Metrics need "Authorization: Bearer <METRICS_TOKEN>"', {
        headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' },
      });
    }
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
}

/**
 * A bare HTTP server answering only `GET /metrics` on `METRICS_PORT` (and checking the token
 * too when one is configured), for scrapers on a private network.
 */
export class MetricsServer {
  private readonly server: Server;
  constructor(
    private readonly metrics: Metrics,
    private readonly access: MetricsAccess & { port: number },
    private readonly host: string,
    private readonly logger?: Logger,
  ) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n');
      return;
    }
    if (this.access.token && !bearerMatches(req.headers.authorization, this.access.token)) {
      res.writeHead(401, { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Bearer realm="metrics"' });
      res.end('Unauthorized\n');
      return;
    }
    try {
      const body = await this.metrics.registry.metrics();
      res.writeHead(200, { 'Content-Type': this.metrics.registry.contentType }).end(body);
    } catch (err) {
      // Collecting failed (a broken collector): the scraper sees a 500 and retries next round.
      this.logger?.warn({ err }, 'collecting metrics failed');
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Metrics unavailable\n');
    }
  }

  /** Listens; resolves with the base URL (port 0 in tests = any free port). */
  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.access.port, this.host, () => resolve());
    });
    const addr = this.server.address() as AddressInfo;
    const host = this.host === '0.0.0.0' ? '127.0.0.1' : this.host;
    return `http://${host}:${addr.port}`;
  }

  async stop(): Promise<void> {
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
