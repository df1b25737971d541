/**
 * The realtime client against a real WebSocket server (Node's `ws`, as the gateway uses):
 * connecting with a ticket, reconnecting with backoff after a loss, a new ticket after token
 * expiry, and no reconnecting after the session is revoked.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import {
  backoffDelay,
  RealtimeClient,
  WS_CLOSE_REVOKED,
  WS_CLOSE_TOKEN_EXPIRED,
  type ConnectionStatus,
  type SocketLike,
} from '../src/api/realtime.js';
import type { ServerFrame } from '../src/api/realtime-events.js';

interface Harness {
  wss: WebSocketServer;
  origin: string;
  client: RealtimeClient;
  statuses: Array<{ status: ConnectionStatus; reconnected: boolean }>;
  frames: ServerFrame[];
  tickets: string[];
  /** Server side of each accepted socket, in order. */
  sockets: WebSocket[];
  /** Resolves when `pred` holds for the statuses seen so far. */
  until(pred: () => boolean): Promise<void>;
  failTickets: number;
}

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) {
    h.client.stop();
    for (const s of h.sockets) s.terminate();
    await new Promise<void>((r) => h.wss.close(() => r()));
  }
});

async function harness(): Promise<Harness> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const origin = `http://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  const waiters: Array<() => void> = [];
  const poke = () => waiters.splice(0).forEach((w) => w());
  const h: Harness = {
    wss,
    origin,
    statuses: [],
    frames: [],
    tickets: [],
    sockets: [],
    failTickets: 0,
    client: undefined as unknown as RealtimeClient,
    async until(pred) {
      while (!pred()) await new Promise<void>((r) => waiters.push(r));
    },
  };
  wss.on('connection', (ws, req) => {
    h.sockets.push(ws);
    ws.send(JSON.stringify({ type: 'system.notice', id: `n${h.sockets.length}`, at: '', data: { message: req.url } }));
    poke();
  });
  h.client = new RealtimeClient({
    origin,
    network: null,
    backoff: { baseMs: 20, maxMs: 100 },
    WebSocket: WebSocket as unknown as new (url: string) => SocketLike,
    async ticket() {
      if (h.failTickets > 0) {
        h.failTickets--;
        poke();
        throw new Error('server unreachable');
      }
      const t = `wst_${h.tickets.length + 1}`;
      h.tickets.push(t);
      return `/ws?ticket=${t}`;
    },
    onFrame(f) {
      h.frames.push(f);
      poke();
    },
    onStatus(status, { reconnected }) {
      h.statuses.push({ status, reconnected });
      poke();
    },
  });
  open.push(h);
  return h;
}

describe('realtime client', () => {
  it('opens /ws with a fresh ticket and hands over frames', async () => {
    const h = await harness();
    h.client.start();
    await h.until(() => h.frames.length === 1);
    expect(h.frames[0]!.data).toEqual({ message: '/ws?ticket=wst_1' });
    expect(h.statuses.map((s) => s.status)).toEqual(['connecting', 'open']);
    expect(h.statuses.at(-1)!.reconnected).toBe(false);
  });

  it('reconnects after the connection drops, with a new ticket, and says it reconnected', async () => {
    const h = await harness();
    h.client.start();
    await h.until(() => h.client.current === 'open');
    h.sockets[0]!.terminate();
    await h.until(() => h.statuses.some((s) => s.status === 'reconnecting'));
    await h.until(() => h.statuses.at(-1)?.status === 'open');
    expect(h.statuses.at(-1)!.reconnected).toBe(true);
    expect(h.tickets).toEqual(['wst_1', 'wst_2']);
  });

  it('keeps retrying while the ticket cannot be had (server unreachable)', async () => {
    const h = await harness();
    h.failTickets = 3;
    h.client.start();
    await h.until(() => h.client.current === 'open');
    expect(h.statuses.map((s) => s.status)).toEqual(['connecting', 'reconnecting', 'open']);
    expect(h.tickets).toEqual(['wst_1']);
  });

  it('takes a new ticket without a reconnecting phase when the token ran out (4001)', async () => {
    const h = await harness();
    h.client.start();
    await h.until(() => h.client.current === 'open');
    h.sockets[0]!.close(WS_CLOSE_TOKEN_EXPIRED, 'token expired');
    await h.until(() => h.sockets.length === 2 && h.frames.length === 2);
    expect(h.statuses.map((s) => s.status)).not.toContain('reconnecting');
    expect(h.client.current).toBe('open');
  });

  it('[LOGIN-01] stops for good when the server revokes the session (4003)', async () => {
    const h = await harness();
    h.client.start();
    await h.until(() => h.client.current === 'open');
    h.sockets[0]!.close(WS_CLOSE_REVOKED, 'session revoked');
    await h.until(() => h.client.current === 'revoked');
    h.client.retryNow();
    expect(h.tickets).toEqual(['wst_1']);
    expect(h.statuses.map((s) => s.status)).toEqual(['connecting', 'open', 'revoked']);
  });

  it('backs off exponentially with jitter, within bounds', () => {
    const b = { baseMs: 500, maxMs: 10_000 };
    expect(backoffDelay(0, b, () => 0)).toBe(250);
    expect(backoffDelay(0, b, () => 1)).toBe(500);
    expect(backoffDelay(3, b, () => 0)).toBe(2000);
    expect(backoffDelay(3, b, () => 1)).toBe(4000);
    expect(backoffDelay(20, b, () => 0.5)).toBe(7500);
    for (let i = 0; i < 50; i++) {
      const d = backoffDelay(i, b);
      expect(d).toBeGreaterThanOrEqual(Math.min(b.maxMs, b.baseMs * 2 ** i) / 2);
      expect(d).toBeLessThanOrEqual(b.maxMs);
    }
  });
});
