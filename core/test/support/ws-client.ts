import WebSocket from 'ws';

/** A frame as the server sends it. */
export type WsFrame = { type: string; data?: Record<string, unknown> };

/** A realtime client for tests: records frames, resolves `closed` with the close code. */
export class WsClient {
  readonly frames: WsFrame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      this.frames.push(JSON.parse(d.toString()) as WsFrame);
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  /** Opens `/ws` of `baseUrl` with `query`; rejects with `{ status }` when the upgrade is refused. */
  static open(baseUrl: string, query: string): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws${query}`);
      const c = new WsClient(ws);
      ws.once('open', () => resolve(c));
      ws.once('unexpected-response', (_req, res) => {
        reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode }));
        res.resume();
        ws.terminate();
      });
      ws.once('error', reject);
    });
  }

  /** The first frame matching `pred` (already received or still to come). */
  next(pred: (f: WsFrame) => boolean, timeoutMs = 10_000): Promise<WsFrame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching frame; got ${JSON.stringify(this.frames)}`)),
        timeoutMs,
      );
      const check = () => {
        const f = this.frames.find(pred);
        if (f) {
          clearTimeout(timer);
          resolve(f);
        } else this.waiters.push(check);
      };
      check();
    });
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Rejects with a clear message instead of running into the test timeout. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)),
  ]);
}
