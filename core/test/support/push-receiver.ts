/**
 * A push receiver (a CRM's webhook endpoint) on a real port, for push tests: records every
 * request and answers as the test planned — an HTTP status, or never (`hang`) — then 204.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver got it. */
export interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read the payload loosely
  json: { id: string; type: string; data: { n?: number; sessionId?: string; [k: string]: any } };
}

/** What the receiver does with its next requests, in order; then it answers 204. */
export type Behaviour = { status: number } | 'hang';

/** A receiver (a CRM's webhook endpoint) on a real port. */
export class Receiver {
  readonly got: Received[] = [];
  readonly plan: Behaviour[] = [];
  private readonly hanging: ServerResponse[] = [];
  private waiters: Array<() => void> = [];
  private constructor(private readonly server: Server) {}

  static async start(): Promise<Receiver> {
    const holder: { r?: Receiver } = {};
    const server = createServer((req, res) => void holder.r!.handle(req, res));
    holder.r = new Receiver(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return holder.r;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/switchboard`;
  }

  /** Waits until `pred` holds for what arrived (each request wakes it). */
  async until(pred: (got: Received[]) => boolean, what: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred(this.got)) {
      if (Date.now() > deadline) throw new Error(`receiver: timed out waiting for ${what}; got ${this.got.length}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
  }

  async close(): Promise<void> {
    for (const r of this.hanging) r.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const behaviour = this.plan.shift();
    this.got.push({ headers: req.headers, body, json: JSON.parse(body) as Received['json'] });
    for (const w of this.waiters.splice(0)) w();
    if (behaviour === 'hang') {
      // Never answers: only the sender's own timeout ends the attempt.
      this.hanging.push(res);
      return;
    }
    res.writeHead(behaviour?.status ?? 204);
    res.end();
  }
}
