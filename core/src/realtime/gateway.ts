import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { Logger } from 'pino';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import type { UpgradeRouter } from '../http/upgrade-router.js';
import { isAppError } from '../errors/registry.js';
import type { Metrics } from '../metrics.js';
import type { TokenRevocation } from '../modules/auth/revocation.js';
import type { TokenService } from '../modules/auth/tokens.js';
import type { TicketService } from '../modules/realtime/tickets.js';
import type { UserRepo } from '../modules/users/repo.js';
import type { Role } from '../modules/users/schema.js';
import type { EventBus } from './bus.js';
import type { BusMessage, ServerFrame } from './events.js';
import { channelOf } from './events.js';

/** URL path the gateway answers; every other upgrade request is refused. */
export const WS_PATH = '/ws';

/** Largest client→server message accepted (clients only send tiny control frames). */
export const WS_MAX_PAYLOAD_BYTES = 64 * 1024;

/** Close code sent when the credential the socket was opened with runs out. */
export const WS_CLOSE_TOKEN_EXPIRED = 4001;

/**
 * Close code sent after a `session.revoked` event (an admin forced the agent offline, ADM-12).
 * Clients should not reconnect on their own.
 */
export const WS_CLOSE_REVOKED = 4003;

/**
 * Outgoing bytes a socket may have queued before it is dropped. A client that stops reading
 * (a frozen tab, a dead network path the heartbeat has not caught yet) would otherwise make the
 * server buffer every event for it without bound.
 */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** Options of {@link RealtimeGateway}. */
export interface RealtimeGatewayOptions {
  /** Where the gateway claims upgrade requests for {@link WS_PATH}. */
  upgrades: UpgradeRouter;
  bus: EventBus;
  tokenService: TokenService;
  ticketService: TicketService;
  userRepo: UserRepo;
  /**
   * Sign-out and disabling: checked at the upgrade and again on every heartbeat, so a socket
   * whose user was revoked closes even if the `session.revoked` notice never reached this
   * instance.
   */
  tokenRevocation?: TokenRevocation;
  logger: Logger;
  metrics: Metrics;
  /** Ping interval; a socket that has not answered the previous ping is terminated. */
  heartbeatMs: number;
  /**
   * Lifetime of a ticket-opened socket (default 15 min, the access-token maximum). A ticket is
   * traded for an access token's worth of session, so both kinds of socket end alike and the
   * client re-authenticates (new ticket) on close code {@link WS_CLOSE_TOKEN_EXPIRED}.
   */
  tokenTtlMs?: number;
  /** Largest accepted client message (default {@link WS_MAX_PAYLOAD_BYTES}). */
  maxPayload?: number;
}

/** Who a socket belongs to, settled during the upgrade. */
interface SocketSession {
  tenantId: string;
  userId: string;
  role: Role;
  /** Epoch ms after which the socket is closed with {@link WS_CLOSE_TOKEN_EXPIRED}. */
  expiresAt: number;
  /** When the credential the socket was opened with was issued (for revocation checks). */
  issuedAtMs: number;
}

/** Book-keeping for one open socket. */
interface Connection {
  ws: WebSocket;
  session: SocketSession;
  channels: string[];
  /** Cleared on each ping, set again by the pong; still false at the next beat = dead. */
  alive: boolean;
  expiryTimer: NodeJS.Timeout | undefined;
  closed: boolean;
}

/** Thrown inside the upgrade path when the request carries no usable credential. */
class UpgradeRefused extends Error {}

/**
 * The realtime WebSocket endpoint at `/ws`.
 *
 * Authentication happens in the HTTP upgrade, before the socket exists: a refused client gets
 * a plain `401` and never sees an open socket, so no unauthenticated code path runs on a live
 * connection. Credentials, in order: `?ticket=wst_…` (one-time, what browsers use because they
 * cannot set headers on a WebSocket), `?access_token=` or `Authorization: Bearer` (servers and
 * SDKs that can).
 *
 * Each socket joins three channels — its tenant, its role within the tenant, and its user — and
 * the gateway, subscribed once to the {@link EventBus}, forwards every bus message to the local
 * sockets of its channel. Because every channel name contains the tenant id, an event can never
 * reach another tenant's sockets.
 */
export class RealtimeGateway {
  private readonly opts: RealtimeGatewayOptions;
  private readonly log: Logger;
  private readonly wss: WebSocketServer;
  private readonly tokenTtlMs: number;
  /** channel → sockets in it; the fan-out index. */
  private readonly byChannel = new Map<string, Set<Connection>>();
  private readonly connections = new Set<Connection>();
  private heartbeat: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private started = false;
  private stopped = false;
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    this.handleUpgrade(req, socket, head).catch((err: unknown) => {
      this.log.error({ err }, 'WebSocket upgrade failed');
      refuse(socket, 500, 'Internal Server Error');
    });
  };

  constructor(opts: RealtimeGatewayOptions) {
    this.opts = opts;
    this.log = opts.logger;
    this.tokenTtlMs = opts.tokenTtlMs ?? 15 * 60 * 1000;
    // noServer: the HTTP server is Koa's; we only claim its upgrade requests, after auth.
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: opts.maxPayload ?? WS_MAX_PAYLOAD_BYTES,
      clientTracking: false,
    });
  }

  /** Number of open sockets on this instance. */
  get size(): number {
    return this.connections.size;
  }

  /** Starts answering upgrades, listening to the bus and beating the heart. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.opts.upgrades.route(WS_PATH, this.onUpgrade);
    this.unsubscribe = this.opts.bus.subscribe((msg) => this.fanOut(msg));
    this.heartbeat = setInterval(() => this.beat(), this.opts.heartbeatMs);
    // The server's own handles keep the process alive; the heartbeat alone should not.
    this.heartbeat.unref();
  }

  /** Terminates every socket, stops timers and closes the WebSocket server. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.opts.upgrades.unroute(WS_PATH);
    for (const conn of [...this.connections]) {
      // Detach first so metrics and the index are settled now, not when 'close' fires later.
      this.detach(conn);
      conn.ws.terminate();
    }
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    // Until ws owns the socket, a client reset would otherwise surface as an unhandled error.
    const onSocketError = (err: Error) => this.log.debug({ err }, 'socket error during upgrade');
    socket.on('error', onSocketError);
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (this.stopped) {
      socket.destroy();
      return;
    }
    let session: SocketSession;
    try {
      session = await this.authenticate(req, url);
    } catch (err) {
      if (err instanceof UpgradeRefused || isAppError(err)) {
        this.log.info({ reason: err.message }, 'WebSocket refused');
        refuse(socket, 401, 'Unauthorized');
        return;
      }
      throw err;
    }
    // The app may have stopped (or the client gone) while we were reading the database.
    if (this.stopped || socket.destroyed) {
      socket.destroy();
      return;
    }
    socket.off('error', onSocketError);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws, session));
  }

  /** Resolves the credential to an active user; throws for anything else. */
  private async authenticate(req: IncomingMessage, url: URL): Promise<SocketSession> {
    const ticket = url.searchParams.get('ticket');
    let tenantId: string;
    let userId: string;
    let expiresAt: number;
    let issuedAtMs: number;
    if (ticket) {
      ({ tenantId, userId, issuedAtMs } = await this.opts.ticketService.redeem(ticket));
      expiresAt = Date.now() + this.tokenTtlMs;
      if (this.opts.tokenRevocation && !(await this.opts.tokenRevocation.isValid(tenantId, userId, issuedAtMs))) {
        throw new UpgradeRefused('session ended');
      }
    } else {
      const header = req.headers.authorization;
      const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
      const token = url.searchParams.get('access_token') ?? bearer;
      if (!token) throw new UpgradeRefused('no credential');
      const principal = await this.opts.tokenService.verifyAccessToken(token);
      ({ tenantId, userId } = principal);
      // Verified just above, so decoding for `exp` is safe; the socket must not outlive it.
      const claims = decodeJwt(token);
      expiresAt = claims.exp ? claims.exp * 1000 : Date.now() + this.tokenTtlMs;
      issuedAtMs = typeof claims.iat_ms === 'number' ? claims.iat_ms : (claims.iat ?? 0) * 1000;
    }
    // The role comes from the user row, not the token: a demoted or disabled user must not
    // keep receiving supervisor events for the rest of a token's life.
    const user = await this.opts.userRepo.findById(tenantId, userId);
    if (!user) throw new UpgradeRefused('unknown user');
    if (user.status !== 'active') throw new UpgradeRefused('user disabled');
    return { tenantId, userId, role: user.role, expiresAt, issuedAtMs };
  }

  private attach(ws: WebSocket, session: SocketSession): void {
    const { tenantId, userId, role } = session;
    const channels = [
      channelOf({ tenantId, kind: 'tenant' }),
      channelOf({ tenantId, kind: 'role', role }),
      channelOf({ tenantId, kind: 'user', userId }),
    ];
    const conn: Connection = { ws, session, channels, alive: true, expiryTimer: undefined, closed: false };
    this.connections.add(conn);
    for (const ch of channels) {
      let set = this.byChannel.get(ch);
      if (!set) this.byChannel.set(ch, (set = new Set()));
      set.add(conn);
    }
    this.opts.metrics.wsConnections.inc();

    ws.on('pong', () => {
      conn.alive = true;
    });
    ws.on('message', (data, isBinary) => this.onClientMessage(conn, data, isBinary));
    ws.on('close', () => this.detach(conn));
    ws.on('error', (err) => {
      // e.g. a message over maxPayload; ws closes the socket itself (1009), we just log.
      this.log.debug({ err, userId }, 'WebSocket error');
    });

    const ttl = session.expiresAt - Date.now();
    conn.expiryTimer = setTimeout(() => ws.close(WS_CLOSE_TOKEN_EXPIRED, 'token expired'), Math.max(0, ttl));
    conn.expiryTimer.unref();

    const ready: ServerFrame<'session.ready'> = {
      type: 'session.ready',
      data: { userId, tenantId, role, channels, heartbeatMs: this.opts.heartbeatMs },
      id: randomUUID(),
      at: new Date().toISOString(),
    };
    ws.send(JSON.stringify(ready));
    this.log.debug({ userId, tenantId, role }, 'WebSocket open');
  }

  /** Removes a socket from every index (idempotent: stop() and 'close' may both call it). */
  private detach(conn: Connection): void {
    if (conn.closed) return;
    conn.closed = true;
    clearTimeout(conn.expiryTimer);
    this.connections.delete(conn);
    for (const ch of conn.channels) {
      const set = this.byChannel.get(ch);
      if (!set) continue;
      set.delete(conn);
      if (set.size === 0) this.byChannel.delete(ch);
    }
    this.opts.metrics.wsConnections.dec();
  }

  /** Client→server: only `{type:'ping'}` today; everything else gets an error frame. */
  private onClientMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    let type: unknown;
    if (!isBinary) {
      try {
        const parsed: unknown = JSON.parse(rawToString(data));
        if (typeof parsed === 'object' && parsed !== null) type = (parsed as { type?: unknown }).type;
      } catch {
        // Fall through to the error frame: a bad client must never take the gateway down.
      }
    }
    if (type === 'ping') {
      this.send(conn, JSON.stringify({ type: 'pong', at: new Date().toISOString() }));
      return;
    }
    this.send(
      conn,
      JSON.stringify({
        type: 'error',
        data: { code: 'validation_failed', message: 'Expected a JSON text message {"type":"ping"}' },
      }),
    );
  }

  private fanOut(msg: BusMessage): void {
    // A socket in two of the message's channels (e.g. its user and its role) gets it once.
    const targets = new Set<Connection>();
    for (const channel of msg.channels) {
      for (const conn of this.byChannel.get(channel) ?? []) targets.add(conn);
    }
    if (targets.size === 0) return;
    // Serialise once per message, not once per socket.
    const text = JSON.stringify(msg.frame);
    for (const conn of targets) {
      if (this.send(conn, text)) this.opts.metrics.wsEvents.inc();
    }
    if (msg.frame.type === 'session.revoked') {
      // The frame goes out first (close waits for queued data), then the socket closes.
      for (const conn of targets) {
        this.log.info({ userId: conn.session.userId }, 'WebSocket closed: session revoked');
        conn.ws.close(WS_CLOSE_REVOKED, 'session revoked');
      }
    }
  }

  private send(conn: Connection, text: string): boolean {
    if (conn.ws.readyState !== WebSocket.OPEN) return false;
    if (conn.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.log.warn({ userId: conn.session.userId }, 'dropping a WebSocket that stopped reading');
      conn.ws.terminate();
      return false;
    }
    conn.ws.send(text);
    return true;
  }

  /** Closes the socket if its user signed out or was disabled since it opened. */
  private async recheck(conn: Connection, revocation: TokenRevocation): Promise<void> {
    const { tenantId, userId, issuedAtMs } = conn.session;
    if (await revocation.isValid(tenantId, userId, issuedAtMs)) return;
    if (conn.closed) return;
    this.log.info({ userId }, 'WebSocket closed: session ended');
    conn.ws.close(WS_CLOSE_REVOKED, 'session revoked');
  }

  private beat(): void {
    const revocation = this.opts.tokenRevocation;
    if (revocation) {
      for (const conn of this.connections) {
        this.recheck(conn, revocation).catch((err: unknown) =>
          // A database hiccup: the next beat asks again; the bus notice usually came first anyway.
          this.log.warn({ err, userId: conn.session.userId }, 'WebSocket revocation check failed'),
        );
      }
    }
    for (const conn of this.connections) {
      if (!conn.alive) {
        // No pong since the last ping: the peer or the path is gone. terminate() skips the
        // closing handshake, which a dead peer would never complete anyway.
        this.log.debug({ userId: conn.session.userId }, 'WebSocket missed a heartbeat; terminating');
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      try {
        conn.ws.ping();
      } catch (err) {
        this.log.debug({ err }, 'ping failed');
      }
    }
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** Answers a refused upgrade with a bare HTTP response and closes the TCP socket. */
function refuse(socket: Duplex, status: number, reason: string): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({
    error: { code: status === 401 ? 'unauthenticated' : 'internal', message: reason },
  });
  // Destroy only once the response is flushed; destroying right away could drop it.
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      '\r\n' +
      body,
  );
}
