import pg from 'pg';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { EventBus } from './bus.js';
import { toMessage, type Audiences } from './bus.js';
import type { BusMessage, ServerEvents, ServerEventType } from './events.js';

/** Default PostgreSQL channel all instances LISTEN on. */
export const PG_BUS_CHANNEL = 'switchboard_events';

/**
 * Largest payload we hand to `pg_notify`, in bytes (UTF-8).
 *
 * PostgreSQL refuses NOTIFY payloads of 8000 bytes or more ("payload string too long").
 * The usual workaround — store the body in a table and NOTIFY its id — needs a table this
 * module may not add, so oversized messages are rejected up front with a clear error instead
 * of failing inside the database. Realtime frames are small by design (ids and short texts);
 * anything bigger belongs behind a REST call that the event merely points to.
 */
export const PG_BUS_MAX_PAYLOAD_BYTES = 7900;

/** Options of {@link PgNotifyEventBus}. */
export interface PgNotifyEventBusOptions {
  /** Connection string of the shared PostgreSQL server. */
  url: string;
  logger: Logger;
  /** LISTEN/NOTIFY channel (default {@link PG_BUS_CHANNEL}). */
  channel?: string;
  /** First reconnect delay after the LISTEN connection drops (default 250 ms). */
  reconnectBaseMs?: number;
  /** Upper bound of the exponential reconnect delay (default 10 s). */
  reconnectMaxMs?: number;
}

const frameSchema = z.looseObject({ type: z.string(), id: z.string(), at: z.string(), data: z.unknown() });

/**
 * A NOTIFY payload. `channel` (one string) is what instances before multi-audience messages
 * sent: accepted, so a rolling upgrade does not drop events between old and new instances.
 */
const busMessageSchema = z.union([
  z.object({ channels: z.array(z.string()), frame: frameSchema }),
  z
    .object({ channel: z.string(), frame: frameSchema })
    .transform(({ channel, frame }) => ({ channels: [channel], frame })),
]);

/**
 * Event bus across instances over PostgreSQL `LISTEN/NOTIFY`.
 *
 * - One dedicated `pg.Client` LISTENs (a pooled connection cannot: LISTEN is per session and
 *   the pool would hand the session to someone else). If it drops, it reconnects with
 *   exponential backoff; events NOTIFYed while it is down are lost — realtime events are
 *   best-effort hints and clients re-read state over REST after reconnecting.
 * - A tiny pool (max 2) sends `select pg_notify(channel, payload)`, so publishing never waits
 *   behind the application's own queries.
 * - PostgreSQL delivers a NOTIFY to every listening session, including the sender's, so this
 *   instance's own messages come back through the listener. Delivery happens **only** from
 *   notifications, never locally on publish, so every subscriber sees each message exactly once.
 * - NOTIFY is transactional and per-database: instances sharing a database share events;
 *   different databases (e.g. parallel test runs) are isolated for free.
 */
export class PgNotifyEventBus implements EventBus {
  private readonly url: string;
  private readonly logger: Logger;
  private readonly channel: string;
  private readonly reconnectBaseMs: number;
  private readonly reconnectMaxMs: number;
  private readonly listeners = new Set<(msg: BusMessage) => void>();
  private pool: pg.Pool | undefined;
  private listener: pg.Client | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectAttempt = 0;
  private stopped = false;

  constructor(opts: PgNotifyEventBusOptions) {
    this.url = opts.url;
    this.logger = opts.logger;
    this.channel = opts.channel ?? PG_BUS_CHANNEL;
    this.reconnectBaseMs = opts.reconnectBaseMs ?? 250;
    this.reconnectMaxMs = opts.reconnectMaxMs ?? 10_000;
    if (!/^[a-z_][a-z0-9_]*$/.test(this.channel)) {
      // The channel is interpolated into LISTEN (it cannot be a bind parameter).
      throw new Error(`Invalid LISTEN channel name: ${this.channel}`);
    }
  }

  /** Connects the LISTEN client. Fails if the database is unreachable at start-up (fail fast). */
  async start(): Promise<void> {
    this.stopped = false;
    this.pool = new pg.Pool({ connectionString: this.url, max: 2 });
    this.pool.on('error', (err) => this.logger.warn({ err }, 'idle NOTIFY client error'));
    await this.connectListener();
  }

  async publish<T extends ServerEventType>(audience: Audiences, type: T, data: ServerEvents[T]): Promise<void> {
    if (!this.pool || this.stopped) throw new Error('PgNotifyEventBus is not started');
    const payload = JSON.stringify(toMessage(audience, type, data));
    const bytes = Buffer.byteLength(payload, 'utf8');
    if (bytes > PG_BUS_MAX_PAYLOAD_BYTES) {
      throw new Error(
        `Realtime event "${type}" is ${bytes} bytes; PostgreSQL NOTIFY carries at most ${PG_BUS_MAX_PAYLOAD_BYTES}. ` +
          'Send an id in the event and let clients fetch the details over REST.',
      );
    }
    await this.pool.query('select pg_notify($1, $2)', [this.channel, payload]);
  }

  subscribe(listener: (msg: BusMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const listener = this.listener;
    this.listener = undefined;
    const pool = this.pool;
    this.pool = undefined;
    this.listeners.clear();
    await listener?.end().catch((err: unknown) => this.logger.debug({ err }, 'LISTEN client end failed'));
    await pool?.end().catch((err: unknown) => this.logger.debug({ err }, 'NOTIFY pool end failed'));
  }

  private async connectListener(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    // Attach before connecting: an 'error' without a listener would crash the process.
    client.on('error', (err) => this.onListenerLost(client, err));
    client.on('end', () => this.onListenerLost(client));
    client.on('notification', (n) => this.onNotification(n));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (err) {
      client.removeAllListeners('end');
      // Silent on purpose: the client never listened, and the connect error is thrown below.
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.stopped) {
      // Silent on purpose: the bus is stopping and this client carries nothing yet.
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
    this.reconnectAttempt = 0;
  }

  private onNotification(n: pg.Notification): void {
    if (n.channel !== this.channel || !n.payload) return;
    let json: unknown;
    try {
      json = JSON.parse(n.payload);
    } catch (err) {
      this.logger.warn({ err }, 'ignoring a NOTIFY payload that is not JSON');
      return;
    }
    const parsed = busMessageSchema.safeParse(json);
    if (!parsed.success) {
      this.logger.warn('ignoring a NOTIFY payload that is not a bus message');
      return;
    }
    const msg = parsed.data as BusMessage;
    for (const l of this.listeners) {
      // One failing subscriber must not starve the others (or kill the LISTEN client).
      try {
        l(msg);
      } catch (err) {
        this.logger.error({ err }, 'realtime bus subscriber threw');
      }
    }
  }

  private onListenerLost(client: pg.Client, err?: Error): void {
    // 'error' and 'end' usually both fire for one drop; only the current client counts once.
    if (this.stopped || client !== this.listener) return;
    this.listener = undefined;
    client.removeAllListeners('end');
    // Silent on purpose: the connection is already lost (logged below) and a new one replaces it.
    client.end().catch(() => undefined);
    this.logger.warn({ err }, 'realtime LISTEN connection lost; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const delay = Math.min(this.reconnectMaxMs, this.reconnectBaseMs * 2 ** this.reconnectAttempt);
    this.reconnectAttempt += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connectListener().then(
        () => {
          if (!this.stopped) this.logger.info({ channel: this.channel }, 'realtime LISTEN connection restored');
        },
        (err: unknown) => {
          this.logger.warn({ err, attempt: this.reconnectAttempt }, 'realtime LISTEN reconnect failed');
          this.scheduleReconnect();
        },
      );
    }, delay);
    this.reconnectTimer.unref();
  }
}
