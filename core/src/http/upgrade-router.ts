import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

/** Handles one HTTP upgrade (WebSocket handshake) request. */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Routes HTTP upgrade requests by path. Several WebSocket endpoints share the server (the
 * realtime gateway at `/ws`, the telephony audio fork, …); each claims its own path, and a
 * request for any other path is answered 404 instead of hanging.
 */
export class UpgradeRouter {
  private readonly routes = new Map<string, UpgradeHandler>();
  private readonly listener = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const handler = this.routes.get(path);
    if (handler) return handler(req, socket, head);
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  };

  constructor(server: Server) {
    server.on('upgrade', this.listener);
  }

  /** Claims a path; a second claim of the same path is a programming error. */
  route(path: string, handler: UpgradeHandler): void {
    if (this.routes.has(path)) throw new Error(`upgrade path ${path} is already routed`);
    this.routes.set(path, handler);
  }

  unroute(path: string): void {
    this.routes.delete(path);
  }
}
