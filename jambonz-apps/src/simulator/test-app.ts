import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { SIGNATURE_HEADER, verifySignature } from '../protocol/signature.js';
import { validateVerbs } from '../protocol/verbs.js';
import { AUDIO_FORK_SUBPROTOCOL } from './audio-fork.js';
import { JambonzRestClient } from '../protocol/rest-client.js';
import { JambonzSimulator } from './simulator.js';

/** One webhook request the test app received. */
export interface ReceivedHook {
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  raw: string;
  signature: string | undefined;
  signatureValid: boolean;
}

/** One audio fork connection the test app accepted. */
export interface ReceivedFork {
  path: string;
  protocol: string;
  textFrames: string[];
  binaryBytes: number;
  binaryFrames: number;
  /** First few KB of PCM, to check the signal is not silent. */
  pcmHead: Buffer;
  closed: Promise<void>;
}

/** What a route answers: a verb array (validated), or a raw reply. */
export type RouteResult = unknown[] | { status: number; body?: string; contentType?: string } | undefined;

/**
 * A tiny real webhook application (node:http + ws) for simulator tests: routes return verb
 * arrays, every request's `Jambonz-Signature` is verified with {@link verifySignature}, and audio
 * forks are accepted on `/audio/*` with the `audio.drachtio.org` subprotocol.
 */
export class TestApp {
  readonly hooks: ReceivedHook[] = [];
  readonly forks: ReceivedFork[] = [];
  private readonly routes = new Map<string, (hook: ReceivedHook) => RouteResult | Promise<RouteResult>>();
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    readonly baseUrl: string,
  ) {}

  /** Starts the app on 127.0.0.1:0. */
  static async start(secret: string): Promise<TestApp> {
    const server = createServer();
    const wss = new WebSocketServer({
      server,
      handleProtocols: (protocols) => (protocols.has(AUDIO_FORK_SUBPROTOCOL) ? AUDIO_FORK_SUBPROTOCOL : false),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const app = new TestApp(server, wss, `http://127.0.0.1:${port}`);
    server.on('request', (req, res) => {
      void app.onRequest(req, secret).then(
        (reply) => {
          res.writeHead(reply.status, reply.contentType ? { 'Content-Type': reply.contentType } : {});
          res.end(reply.body);
        },
        (err: unknown) => {
          res.writeHead(500);
          res.end(String(err));
        },
      );
    });
    wss.on('connection', (ws, req) => app.onFork(ws, req));
    return app;
  }

  /** Absolute URL of `path` on this app. */
  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  /** `ws://` URL of `path` on this app. */
  wsUrl(path: string): string {
    return this.url(path).replace(/^http/, 'ws');
  }

  /** Registers what `path` answers (the path without query string). */
  route(path: string, handler: (hook: ReceivedHook) => RouteResult | Promise<RouteResult>): void {
    this.routes.set(path, handler);
  }

  /** Requests received on `path`. */
  received(path: string): ReceivedHook[] {
    return this.hooks.filter((h) => h.path === path);
  }

  /** Waits for a request on `path` matching `predicate`. */
  waitFor(path: string, predicate: (h: ReceivedHook) => boolean = () => true, timeoutMs = 5000): Promise<ReceivedHook> {
    return this.waitUntil(() => this.hooks.find((h) => h.path === path && predicate(h)), timeoutMs, `hook ${path}`);
  }

  /** Waits for the `n`-th (1-based) audio fork connection. */
  waitForFork(n = 1, timeoutMs = 5000): Promise<ReceivedFork> {
    return this.waitUntil(() => this.forks[n - 1], timeoutMs, `fork #${n}`);
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private waitUntil<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const hit = check();
    if (hit !== undefined) return Promise.resolve(hit);
    return new Promise<T>((resolve, reject) => {
      const waiter = (): void => {
        const v = check();
        if (v !== undefined) {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(v);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(
          new Error(`test app: no ${what} within ${timeoutMs} ms; got ${this.hooks.map((h) => h.path).join(', ')}`),
        );
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  private async onRequest(
    req: IncomingMessage,
    secret: string,
  ): Promise<{ status: number; body?: string; contentType?: string }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.baseUrl);
    const signature = req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined;
    const hook: ReceivedHook = {
      path: url.pathname,
      query: url.searchParams,
      body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
      raw,
      signature,
      signatureValid: verifySignature(signature, raw, secret),
    };
    this.hooks.push(hook);
    this.wake();
    const handler = this.routes.get(url.pathname);
    if (!handler) return { status: 404, body: 'no route' };
    const result = await handler(hook);
    if (result === undefined) return { status: 200, body: '[]', contentType: 'application/json' };
    if (Array.isArray(result)) {
      // The app side validates its own verbs too, as Switchboard's tests do.
      validateVerbs(result);
      return { status: 200, body: JSON.stringify(result), contentType: 'application/json' };
    }
    return result;
  }

  private onFork(ws: WebSocket, req: IncomingMessage): void {
    let closeResolve!: () => void;
    const fork: ReceivedFork = {
      path: new URL(req.url ?? '/', this.baseUrl).pathname,
      protocol: ws.protocol,
      textFrames: [],
      binaryBytes: 0,
      binaryFrames: 0,
      pcmHead: Buffer.alloc(0),
      closed: new Promise<void>((resolve) => (closeResolve = resolve)),
    };
    this.forks.push(fork);
    ws.on('message', (data, isBinary) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (isBinary) {
        fork.binaryBytes += buf.length;
        fork.binaryFrames++;
        if (fork.pcmHead.length < 8192) fork.pcmHead = Buffer.concat([fork.pcmHead, buf]).subarray(0, 8192);
      } else {
        fork.textFrames.push(buf.toString('utf8'));
      }
      this.wake();
    });
    ws.on('close', () => {
      closeResolve();
      this.wake();
    });
    this.wake();
  }
}

/** Speech settings the REST API requires on a create-call without an application. */
export const TEST_SPEECH = {
  speech_synthesis_vendor: 'google',
  speech_synthesis_language: 'en-US',
  speech_synthesis_voice: 'en-US-Standard-C',
  speech_recognizer_vendor: 'google',
  speech_recognizer_language: 'en-US',
} as const;

/**
 * The usual simulator test set-up: a small signed-webhook app, a simulator whose application
 * points at it, and a REST client for the simulator.
 */
export async function startSimulatorFixture(
  secret: string,
  opts: { timeScale?: number } = {},
): Promise<{ app: TestApp; sim: JambonzSimulator; rest: JambonzRestClient }> {
  const app = await TestApp.start(secret);
  const sim = await JambonzSimulator.start({
    webhookSecret: secret,
    timeScale: opts.timeScale ?? 0.02,
    application: { callHook: app.url('/call'), statusHook: app.url('/status') },
  });
  const rest = new JambonzRestClient({ baseUrl: sim.apiBaseUrl, accountSid: sim.accountSid, apiKey: sim.apiKey });
  return { app, sim, rest };
}
