/**
 * The realtime client: one WebSocket to `/ws`, opened with a one-time ticket
 * (`POST /api/v1/realtime/tickets`), reopened after any loss with exponential backoff and
 * jitter, and closed for good when the server revokes the session (close code 4003).
 *
 * It knows nothing of Vue; `stores/realtime.ts` wraps it for the app (status banner, event
 * subscriptions, re-sync after a reconnect).
 */
import type { ServerEventType, ServerFrame } from './realtime-events';

/** Close code: the credential the socket was opened with ran out; reopen with a new ticket. */
export const WS_CLOSE_TOKEN_EXPIRED = 4001;
/** Close code after `session.revoked`: do not reconnect. */
export const WS_CLOSE_REVOKED = 4003;

/**
 * - `idle`: never started (or stopped);
 * - `connecting`: the first attempt is under way;
 * - `open`: connected;
 * - `reconnecting`: lost (or the first attempt failed); retrying with backoff;
 * - `offline`: the browser says it has no network; retried when it comes back;
 * - `revoked`: the server ended the session; nothing is retried.
 */
export type ConnectionStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'offline' | 'revoked';

/** Backoff between attempts: `base · 2^attempt`, capped, with "equal jitter". */
export interface Backoff {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 500, maxMs: 10_000 };

/**
 * Delay before retry number `attempt` (0-based): half of the capped exponential step plus a
 * random share of the other half, so a server restart is not met by every client at once and
 * no client retries in a tight loop.
 */
export function backoffDelay(attempt: number, backoff: Backoff = DEFAULT_BACKOFF, random = Math.random): number {
  const step = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(attempt, 30));
  return step / 2 + random() * (step / 2);
}

/**
 * The part of the browser's `WebSocket` the client uses (structural, so the client also runs
 * on Node's `ws` in tests).
 */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number }) => void) | null;
  close(code?: number, reason?: string): void;
}

/** `WebSocket.CONNECTING`. */
const CONNECTING = 0;

/** Where the client learns that the browser lost or regained its network. */
export interface NetworkSignals {
  target: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
  onLine(): boolean;
}

export interface RealtimeClientOptions {
  /** Fetches a ticket; resolves to the path to open (`/ws?ticket=…`). */
  ticket(): Promise<string>;
  /** Every frame from the server. */
  onFrame(frame: ServerFrame): void;
  /** Status changes; `reconnected` is true when `open` follows a lost connection. */
  onStatus(status: ConnectionStatus, info: { reconnected: boolean }): void;
  /** Base of the socket URL (default: this page's origin, http→ws). */
  origin?: string;
  backoff?: Backoff;
  random?: () => number;
  /** The WebSocket class (default: the browser's). */
  WebSocket?: new (url: string) => SocketLike;
  /** The browser's online/offline events and state (default `window`/`navigator`; null = none). */
  network?: NetworkSignals | null;
}

/** See the module comment. */
export class RealtimeClient {
  private ws: SocketLike | undefined;
  private status: ConnectionStatus = 'idle';
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private everOpened = false;
  private running = false;
  /** Bumped on every (re)start and stop, so a late ticket or socket of an old round is dropped. */
  private generation = 0;
  private readonly online = () => this.retryNow();
  private readonly offline = () => {
    if (!this.running) return;
    this.setStatus('offline');
    this.ws?.close();
  };

  constructor(private readonly opts: RealtimeClientOptions) {}

  /** Current status. */
  get current(): ConnectionStatus {
    return this.status;
  }

  /** Opens the socket (no-op while running). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.everOpened = false;
    this.attempt = 0;
    const net = this.network();
    net?.target.addEventListener('online', this.online);
    net?.target.addEventListener('offline', this.offline);
    void this.connect(this.status === 'idle' || this.status === 'revoked' ? 'connecting' : 'reconnecting');
  }

  /** Closes the socket and stops retrying. */
  stop(): void {
    this.running = false;
    this.generation++;
    clearTimeout(this.timer);
    const net = this.network();
    net?.target.removeEventListener('online', this.online);
    net?.target.removeEventListener('offline', this.offline);
    const ws = this.ws;
    this.ws = undefined;
    ws?.close(1000, 'stopped');
    this.setStatus('idle');
  }

  /** Skips the backoff wait (the banner's retry button, the browser coming back online). */
  retryNow(): void {
    if (!this.running || this.status === 'open' || this.status === 'revoked') return;
    if (this.ws && this.ws.readyState === CONNECTING) return;
    clearTimeout(this.timer);
    void this.connect('reconnecting');
  }

  private network(): NetworkSignals | undefined {
    if (this.opts.network === null) return undefined;
    if (this.opts.network) return this.opts.network;
    const g = globalThis as unknown as { window?: NetworkSignals['target']; navigator?: { onLine: boolean } };
    if (!g.window) return undefined;
    return { target: g.window, onLine: () => g.navigator?.onLine !== false };
  }

  private setStatus(status: ConnectionStatus, reconnected = false): void {
    if (this.status === status && !reconnected) return;
    this.status = status;
    this.opts.onStatus(status, { reconnected });
  }

  private async connect(status: ConnectionStatus): Promise<void> {
    const gen = ++this.generation;
    if (this.status !== 'offline') this.setStatus(status);
    let path: string;
    try {
      path = await this.opts.ticket();
    } catch {
      if (gen === this.generation) this.scheduleRetry();
      return;
    }
    if (gen !== this.generation || !this.running) return;
    const origin =
      this.opts.origin ?? (globalThis as unknown as { location?: { origin: string } }).location?.origin ?? '';
    const url = new URL(path, origin.replace(/^http/, 'ws'));
    const Impl =
      this.opts.WebSocket ?? (globalThis as unknown as { WebSocket: new (url: string) => SocketLike }).WebSocket;
    const ws = new Impl(url.toString());
    this.ws = ws;
    ws.onopen = () => {
      if (gen !== this.generation) return;
      this.attempt = 0;
      const reconnected = this.everOpened;
      this.everOpened = true;
      this.setStatus('open', reconnected);
    };
    ws.onmessage = (ev) => {
      if (gen !== this.generation || typeof ev.data !== 'string') return;
      let frame: ServerFrame;
      try {
        frame = JSON.parse(ev.data) as ServerFrame;
      } catch {
        return;
      }
      if (typeof frame?.type !== 'string') return;
      this.opts.onFrame(frame as ServerFrame<ServerEventType>);
    };
    ws.onclose = (ev) => {
      if (gen !== this.generation) return;
      this.ws = undefined;
      if (!this.running) return;
      if (ev.code === WS_CLOSE_REVOKED) {
        this.running = false;
        this.setStatus('revoked');
        return;
      }
      if (ev.code === WS_CLOSE_TOKEN_EXPIRED && this.status === 'open') {
        // Not a network problem: a new ticket now, no banner.
        void this.connect('open');
        return;
      }
      this.scheduleRetry();
    };
  }

  private scheduleRetry(): void {
    if (!this.running) return;
    const offline = this.network()?.onLine() === false;
    this.setStatus(offline ? 'offline' : 'reconnecting');
    clearTimeout(this.timer);
    const delay = backoffDelay(this.attempt++, this.opts.backoff, this.opts.random);
    this.timer = setTimeout(() => void this.connect('reconnecting'), delay);
  }
}
