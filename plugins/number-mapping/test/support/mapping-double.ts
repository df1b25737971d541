/**
 * A stand-in for a company's number mapping API: a real HTTP server on a free port. It knows the
 * customers the test gives it; the test may make it fail, or hold its answers back (slow).
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the API received. */
export interface MappingRequest {
  path: string;
  authorization: string | undefined;
}

export class MappingDouble {
  readonly requests: MappingRequest[] = [];
  origin = '';
  private readonly byNumber = new Map<string, string>();
  private mode: 'normal' | 'failing' | 'slow' = 'normal';
  private readonly held: ServerResponse[] = [];
  private heldArrived: (() => void) | undefined;
  private readonly server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://mapping.test');
    this.requests.push({ path: url.pathname, authorization: req.headers.authorization });
    if (this.mode === 'failing') return send(res, 503, { error: 'maintenance' });
    if (this.mode === 'slow') {
      this.held.push(res);
      this.heldArrived?.();
      return;
    }
    const [, kind, raw] = url.pathname.split('/').slice(1);
    const key = decodeURIComponent(raw ?? '');
    if (kind === 'by-number') {
      const userId = this.byNumber.get(key);
      return userId ? send(res, 200, { userId }) : send(res, 404, { error: 'no such customer' });
    }
    if (kind === 'by-id') {
      const number = [...this.byNumber].find(([, id]) => id === key)?.[0];
      return number ? send(res, 200, { number }) : send(res, 404, { error: 'no such customer' });
    }
    send(res, 404, { error: 'no such route' });
  });

  private constructor() {}

  static async start(): Promise<MappingDouble> {
    const d = new MappingDouble();
    await new Promise<void>((resolve) => d.server.listen(0, '127.0.0.1', resolve));
    d.origin = `http://127.0.0.1:${(d.server.address() as AddressInfo).port}`;
    return d;
  }

  /** The tenant's settings pointing at this API. */
  get identifyUrl(): string {
    return `${this.origin}/api/by-number/{number}`;
  }

  get resolveUrl(): string {
    return `${this.origin}/api/by-id/{id}`;
  }

  /** The company knows `number` as `userId`. */
  customer(number: string, userId: string): void {
    this.byNumber.set(number, userId);
  }

  /** Answers normally from now on. */
  normal(): void {
    this.mode = 'normal';
  }

  /** Every request from now on fails with 503. */
  failing(): void {
    this.mode = 'failing';
  }

  /** Requests from now on get no answer until {@link release}; resolves when one arrives. */
  slow(): Promise<void> {
    this.mode = 'slow';
    return new Promise<void>((resolve) => (this.heldArrived = resolve));
  }

  /** Drops the held requests (their clients gave up long ago) and answers normally again. */
  release(): void {
    for (const res of this.held.splice(0)) res.destroy();
    this.normal();
  }

  async close(): Promise<void> {
    this.release();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
