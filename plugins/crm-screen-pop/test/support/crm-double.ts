/**
 * A stand-in for a company's CRM: a real HTTP server on a free port whose answers the test
 * chooses — JSON, any status, broken bodies, or an answer held back until the test releases it.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the CRM received. */
export interface CrmRequest {
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

/** An answer held back: the test decides when (and whether) it goes out. */
export interface HeldAnswer {
  /** Resolves once a request is waiting. */
  arrived: Promise<void>;
  /** Resolves once the client gave up on the waiting request (closed the connection). */
  clientGone: Promise<void>;
  /** Sends the answer now (to a client that may be long gone). */
  release(status: number, body: unknown): void;
}

type Behaviour = (req: IncomingMessage, res: ServerResponse) => void;

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed || res.writableEnded) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json' }).end(text);
}

export class CrmDouble {
  readonly requests: CrmRequest[] = [];
  /** `http://127.0.0.1:<port>` once started. */
  origin = '';
  private behaviour: Behaviour = (_req, res) => send(res, 200, { items: [] });
  private readonly server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://crm.test');
    this.requests.push({ path: url.pathname, query: url.searchParams, headers: req.headers });
    this.behaviour(req, res);
  });

  private constructor() {}

  static async start(): Promise<CrmDouble> {
    const double = new CrmDouble();
    await new Promise<void>((resolve) => double.server.listen(0, '127.0.0.1', resolve));
    double.origin = `http://127.0.0.1:${(double.server.address() as AddressInfo).port}`;
    return double;
  }

  /** The customer search address the plugin is configured with. */
  get searchUrl(): string {
    return `${this.origin}/api/customers`;
  }

  /** Every request from now on gets `status` with `body` (JSON unless it is a string). */
  reply(status: number, body: unknown): void {
    this.behaviour = (_req, res) => send(res, status, body);
  }

  /** Every request from now on is answered `{ items }`. */
  customers(...items: unknown[]): void {
    this.reply(200, { items });
  }

  /** The next requests wait until the test releases them. */
  hold(): HeldAnswer {
    let arrived!: () => void;
    let gone!: () => void;
    const waiting: ServerResponse[] = [];
    const held: HeldAnswer = {
      arrived: new Promise<void>((r) => (arrived = r)),
      clientGone: new Promise<void>((r) => (gone = r)),
      release: (status, body) => {
        for (const res of waiting.splice(0)) send(res, status, body);
      },
    };
    this.behaviour = (_req, res) => {
      waiting.push(res);
      res.on('close', () => {
        if (!res.writableEnded) gone();
      });
      arrived();
    };
    return held;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}

/** An address nothing listens on: a server is started, its port noted, and it is stopped. */
export async function refusedUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return `http://127.0.0.1:${port}/api/customers`;
}
