import { MPEGDecoder } from 'mpg123-decoder';
import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * Waits until `fn` returns a truthy value (wall clock). The budget is for a busy machine: the
 * wait ends as soon as the condition holds.
 */
export async function until<T>(
  fn: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Lets `simMs` of simulated time pass on `sim` (a wait on the simulator's clock, not a wall-clock
 * budget): for a scripted party that acts "a little later" in simulated terms, e.g. presses #
 * some seconds after speaking. Bounded by `timeoutMs` of wall time.
 */
export async function simulatedPause(sim: { now(): number }, simMs: number, timeoutMs = 10_000): Promise<void> {
  const target = sim.now() + simMs;
  await until(async () => sim.now() >= target, `${simMs} simulated ms`, timeoutMs);
}

/**
 * A TCP round-robin load balancer on loopback, as a stand-in for the one in front of several
 * app instances: each new connection (HTTP or WebSocket) goes to the next live backend.
 */
export class RoundRobin {
  private next = 0;
  private readonly sockets = new Set<Socket>();
  readonly counts: number[];

  private constructor(
    private readonly server: Server,
    private ports: number[],
  ) {
    this.counts = ports.map(() => 0);
  }

  static async start(ports: number[]): Promise<RoundRobin> {
    const server = createServer();
    const lb = new RoundRobin(server, ports);
    server.on('connection', (client) => lb.route(client));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return lb;
  }

  /** Points new connections at other backends (e.g. a restarted instance). */
  setBackends(ports: number[]): void {
    this.ports = ports;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  private route(client: Socket): void {
    const i = this.next++ % this.ports.length;
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    const upstream = connect(this.ports[i]!, '127.0.0.1');
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
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/**
 * Free local ports, found by listening on port 0 and closing again: for servers whose ports
 * must be known before they start (a balancer in front of apps that need its URL).
 */
export async function freePorts(n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    out.push((s.address() as { port: number }).port);
    await new Promise<void>((r) => s.close(() => r()));
  }
  return out;
}

/** Fails with the step's name instead of a bare test timeout when something hangs. */
export async function step<T>(name: string, p: Promise<T>, ms = 15_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`step "${name}" did not finish in ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Decodes an MP3 (a recording as the API serves it): its channels, and its length in seconds. */
export async function decodeMp3(mp3: Uint8Array) {
  const decoder = new MPEGDecoder();
  await decoder.ready;
  try {
    const decoded = decoder.decode(mp3);
    return {
      channelData: decoded.channelData,
      seconds: decoded.samplesDecoded / decoded.sampleRate,
      sampleRate: decoded.sampleRate,
    };
  } finally {
    decoder.free();
  }
}
