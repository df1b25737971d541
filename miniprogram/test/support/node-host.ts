/**
 * The stores' platform in Node, for tests against a real server: `fetch` for the API, `ws` for
 * the socket and a Map for storage — what `platform/taro.ts` does with Taro in the app.
 */
import WebSocket from 'ws';
import { ApiClient, type KeyValueStore, type Transport } from '../../src/core/api';
import type { Host } from '../../src/core/host';
import type { SocketHandle, SocketOpener } from '../../src/core/realtime';

export const fetchTransport: Transport = async (req) => {
  const res = await fetch(req.url, {
    method: req.method,
    headers: req.headers,
    ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
};

export function memoryStore(): KeyValueStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    get: (k) => map.get(k) ?? null,
    set: (k, v) => void map.set(k, v),
    remove: (k) => void map.delete(k),
  };
}

/** Sockets opened through {@link wsOpener}, so a test can cut them. */
export interface OpenedSockets {
  open: SocketOpener;
  sockets: WebSocket[];
  /** Refuses new sockets (a network that drops WebSockets) until `allow()`. */
  refuse(): void;
  allow(): void;
}

export function wsOpener(): OpenedSockets {
  const sockets: WebSocket[] = [];
  let refusing = false;
  const open: SocketOpener = (url) => {
    const ws = new WebSocket(refusing ? url.replace(/\/ws\?/, '/ws-refused?') : url);
    sockets.push(ws);
    const handle: SocketHandle = {
      onOpen: (cb) => void ws.on('open', cb),
      onMessage: (cb) => void ws.on('message', (d) => cb(String(d))),
      onClose: (cb) => {
        let done = false;
        ws.on('close', (code) => {
          if (!done) cb(code);
          done = true;
        });
        ws.on('error', () => {
          if (!done) cb(1006);
          done = true;
        });
      },
      close: () => ws.close(),
    };
    return handle;
  };
  return {
    open,
    sockets,
    refuse: () => {
      refusing = true;
    },
    allow: () => {
      refusing = false;
    },
  };
}

/** A host for one agent's app against `base`. */
export function nodeHost(
  base: string,
  opts: { open?: SocketOpener | null; pollMs?: number; onSignedOut?: () => void } = {},
) {
  const store = memoryStore();
  const api = new ApiClient({
    base,
    transport: fetchTransport,
    store,
    language: () => 'zh-CN',
    ...(opts.onSignedOut ? { onSignedOut: opts.onSignedOut } : {}),
  });
  const host: Host = { api, open: opts.open ?? null, ...(opts.pollMs !== undefined ? { pollMs: opts.pollMs } : {}) };
  return { host, store, api };
}
