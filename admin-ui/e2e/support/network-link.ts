import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP link between the browser and the app that a test can cut and restore, like a network
 * outage: cutting drops every open connection (HTTP keep-alive and the realtime WebSocket) and
 * refuses new ones until restored. The app itself keeps running and never knows.
 */
export class NetworkLink {
  private readonly sockets = new Set<Socket>();
  private up = true;

  private constructor(
    private readonly server: Server,
    private readonly targetPort: number,
  ) {}

  /** Listens on a free local port and forwards to `targetPort`. */
  static async start(targetPort: number): Promise<NetworkLink> {
    const server = createServer();
    const link = new NetworkLink(server, targetPort);
    server.on('connection', (client) => link.forward(client));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return link;
  }

  /** Base URL the browser should use. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  get isUp(): boolean {
    return this.up;
  }

  /** Drops every connection and refuses new ones. */
  cut(): void {
    this.up = false;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  /** Lets connections through again. */
  restore(): void {
    this.up = true;
  }

  private forward(client: Socket): void {
    if (!this.up) {
      client.destroy();
      return;
    }
    const upstream = connect(this.targetPort, '127.0.0.1');
    this.sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
