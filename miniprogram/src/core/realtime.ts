/**
 * Live events for the mini-program: the server's `/ws`, opened with a one-time ticket
 * (`POST /realtime/tickets`) through the platform's socket (`wx.connectSocket`), and while that
 * socket is closed — the app in the background, a network that drops WebSockets, the server
 * restarting — polling of the agent's state instead, so an incoming call still shows (MP-05).
 *
 * The socket is retried with exponential backoff; when it opens again the state is re-read once,
 * since events of the gap are not replayed.
 */
import type { ApiClient } from './api';

/** A socket as the platform opens it (Taro's `SocketTask`, or `ws` in tests). */
export interface SocketHandle {
  onOpen(cb: () => void): void;
  onMessage(cb: (data: string) => void): void;
  /** Closed or failed; either way the socket is gone. */
  onClose(cb: (code: number) => void): void;
  close(): void;
}

/** Opens a socket to a `ws:`/`wss:` URL. */
export type SocketOpener = (url: string) => SocketHandle;

/** `open`: events arrive; `polling`: no socket, the state is read every few seconds. */
export type LinkStatus = 'stopped' | 'connecting' | 'open' | 'polling' | 'revoked';

/** One server event as `/ws` frames it. */
export interface ServerFrame {
  type: string;
  data: unknown;
  id: string;
}

export interface RealtimeLinkOptions {
  api: ApiClient;
  /** The platform's socket; null where there is none (then the link only polls). */
  open: SocketOpener | null;
  onEvent(frame: ServerFrame): void;
  onStatus?(status: LinkStatus): void;
  /** Reads the agent's state and current call: on every poll, and once after the socket reopens. */
  resync(): Promise<void>;
  /** Between polls while the socket is closed (default 3 s). */
  pollMs?: number;
  /** First retry of the socket, doubled up to `maxRetryMs` (defaults 1 s and 30 s). */
  retryMs?: number;
  maxRetryMs?: number;
}

/** Close code after `session.revoked` (signed out elsewhere, disabled): do not reconnect. */
const WS_CLOSE_REVOKED = 4003;

/** See the module comment. */
export class RealtimeLink {
  private socket: SocketHandle | undefined;
  private running = false;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private generation = 0;
  private state: LinkStatus = 'stopped';
  private readonly seen = new Set<string>();

  constructor(private readonly opts: RealtimeLinkOptions) {}

  get status(): LinkStatus {
    return this.state;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    void this.connect();
  }

  stop(): void {
    this.running = false;
    this.generation++;
    clearTimeout(this.retryTimer);
    this.stopPolling();
    this.socket?.close();
    this.socket = undefined;
    this.set('stopped');
  }

  /** The app came back to the foreground: try the socket now rather than at the next backoff. */
  wake(): void {
    if (!this.running || this.state === 'open' || this.state === 'connecting') return;
    clearTimeout(this.retryTimer);
    void this.connect();
  }

  private set(s: LinkStatus): void {
    if (this.state === s) return;
    this.state = s;
    this.opts.onStatus?.(s);
  }

  private async connect(): Promise<void> {
    const gen = ++this.generation;
    if (!this.opts.open) {
      this.startPolling();
      return;
    }
    if (this.state !== 'polling') this.set('connecting');
    let ticket: string;
    try {
      ticket = (await this.opts.api.call<{ ticket: string }>('POST', '/realtime/tickets')).ticket;
    } catch {
      if (gen === this.generation) this.lost();
      return;
    }
    if (gen !== this.generation || !this.running) return;
    const origin = this.opts.api.base || (globalThis as { location?: { origin: string } }).location?.origin || '';
    const url = `${origin.replace(/^http/, 'ws')}/ws?ticket=${encodeURIComponent(ticket)}`;
    let socket: SocketHandle;
    try {
      socket = this.opts.open(url);
    } catch {
      this.lost();
      return;
    }
    this.socket = socket;
    socket.onOpen(() => {
      if (gen !== this.generation) return;
      this.attempt = 0;
      this.stopPolling();
      this.set('open');
      // Whatever happened while the socket was closed is not replayed: read it.
      void this.opts.resync().catch(() => undefined);
    });
    socket.onMessage((data) => {
      if (gen !== this.generation) return;
      let frame: ServerFrame;
      try {
        frame = JSON.parse(data) as ServerFrame;
      } catch {
        return;
      }
      if (typeof frame?.type !== 'string') return;
      // A frame delivered again across a reconnect is handled once.
      if (frame.id) {
        if (this.seen.has(frame.id)) return;
        this.seen.add(frame.id);
        if (this.seen.size > 500) this.seen.delete(this.seen.values().next().value as string);
      }
      this.opts.onEvent(frame);
    });
    socket.onClose((code) => {
      if (gen !== this.generation) return;
      this.socket = undefined;
      if (!this.running) return;
      if (code === WS_CLOSE_REVOKED) {
        this.running = false;
        this.stopPolling();
        this.set('revoked');
        return;
      }
      this.lost();
    });
  }

  /** No socket: poll until one opens again, and retry it with backoff. */
  private lost(): void {
    if (!this.running) return;
    this.startPolling();
    clearTimeout(this.retryTimer);
    const base = this.opts.retryMs ?? 1000;
    const delay = Math.min(this.opts.maxRetryMs ?? 30_000, base * 2 ** Math.min(this.attempt++, 10));
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private startPolling(): void {
    this.set('polling');
    if (this.pollTimer) return;
    const poll = () => void this.opts.resync().catch(() => undefined);
    poll();
    this.pollTimer = setInterval(poll, this.opts.pollMs ?? 3000);
  }

  private stopPolling(): void {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }
}
