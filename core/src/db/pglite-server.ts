import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

/**
 * Serves one PGlite instance over the PostgreSQL wire protocol on a loopback port, so the app,
 * pg-boss and tests talk plain `pg` to the embedded database exactly as to a real server.
 *
 * Why not `@electric-sql/pglite-socket` (0.2.17)? PGlite has a single backend session, and that
 * library interleaves the *messages* of concurrent connections. With the extended query protocol
 * (Parse/Bind/Execute/Sync — what `pg` uses for every parameterised query) one client's Bind can
 * land on another client's unnamed statement: "bind message supplies 1 parameters, but prepared
 * statement "" requires 3". Here a connection owns the backend from its first message until the
 * backend is idle again (ReadyForQuery with status `I`): a whole extended-protocol exchange, or a
 * whole transaction, runs without anyone else's messages in between.
 *
 * Consequence for callers: code inside a transaction must use the transaction's client only; a
 * query on another connection would wait for the transaction to end, which waits for the query.
 */

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const GSSENC_REQUEST = 80877104;
const PROTOCOL_3 = 196608;

interface Conn {
  socket: Socket;
  buffer: Buffer;
  startedUp: boolean;
  /** Tail of an unfinished backend message, for spotting ReadyForQuery across chunks. */
  out: OutScanner;
  closed: boolean;
  chain: Promise<void>;
  /** Armed while the connection holds the backend in a transaction with nothing running. */
  idleTimer?: NodeJS.Timeout | undefined;
}

/** ReadyForQuery statuses: in a transaction block, or in a failed one. */
const IN_TRANSACTION = 0x54; // 'T'
const FAILED_TRANSACTION = 0x45; // 'E'

/** A FATAL ErrorResponse, as PostgreSQL sends before it ends a session. */
function fatal(code: string, message: string): Buffer {
  const fields = Buffer.concat(
    [
      ['S', 'FATAL'],
      ['V', 'FATAL'],
      ['C', code],
      ['M', message],
    ].map(([k, v]) => Buffer.from(`${k}${v}\0`, 'utf8')),
  );
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(4 + fields.length + 1, 1);
  return Buffer.concat([head, fields, Buffer.from([0])]);
}

/** Finds ReadyForQuery ('Z', len 5, status) in the backend's byte stream. */
class OutScanner {
  private pending = Buffer.alloc(0);
  /** Status byte of the last ReadyForQuery seen, if any, since the last reset. */
  ready: number | undefined;

  feed(chunk: Uint8Array): void {
    let buf = this.pending.length ? Buffer.concat([this.pending, Buffer.from(chunk)]) : Buffer.from(chunk);
    while (buf.length >= 5) {
      const len = buf.readInt32BE(1);
      if (buf.length < 1 + len) break;
      if (buf[0] === 0x5a /* Z */ && len === 5) this.ready = buf[5];
      buf = buf.subarray(1 + len);
    }
    this.pending = Buffer.from(buf);
  }
}

/** A lock on the single backend, handed over in arrival order. */
class BackendLock {
  private owner: Conn | undefined;
  private readonly waiters: Array<{ conn: Conn; grant: () => void }> = [];

  async acquire(conn: Conn): Promise<void> {
    if (this.owner === conn) return;
    if (!this.owner) {
      this.owner = conn;
      return;
    }
    await new Promise<void>((grant) => this.waiters.push({ conn, grant }));
  }

  release(conn: Conn): void {
    if (this.owner !== conn) return;
    const next = this.waiters.shift();
    this.owner = next?.conn;
    next?.grant();
  }

  owns(conn: Conn): boolean {
    return this.owner === conn;
  }

  /** Drops a connection's place in line (it closed while waiting). */
  forget(conn: Conn): void {
    const i = this.waiters.findIndex((w) => w.conn === conn);
    if (i >= 0) this.waiters.splice(i, 1);
  }
}

/** Starts the server on 127.0.0.1 (port 0 = any free port). */
export async function servePglite(
  pglite: PGlite,
  opts: {
    port?: number;
    host?: string;
    /**
     * PostgreSQL's `idle_in_transaction_session_timeout`, done here because PGlite cannot: a
     * connection that holds the one backend in a transaction and sends nothing for this long
     * is ended (FATAL 25P03), its transaction rolled back, and the backend handed on. Without
     * it one forgotten transaction stops every other connection for good. 0 = off.
     */
    idleInTransactionMs?: number;
  } = {},
): Promise<{ url: string; stop(): Promise<void> }> {
  const lock = new BackendLock();
  const conns = new Set<Conn>();

  const exec = async (conn: Conn, message: Uint8Array, releaseWhenIdle: boolean): Promise<void> => {
    await lock.acquire(conn);
    if (conn.closed) {
      lock.release(conn);
      return;
    }
    conn.out.ready = undefined;
    await pglite.runExclusive(() =>
      pglite.execProtocolRawStream(message, {
        onRawData: (chunk: Uint8Array) => {
          conn.out.feed(chunk);
          if (!conn.closed && conn.socket.writable) conn.socket.write(chunk);
        },
      }),
    );
    // Idle ('I') after a Sync or simple Query: the exchange (and any transaction) is over.
    if (releaseWhenIdle && conn.out.ready === 0x49) lock.release(conn);
    const idleMs = opts.idleInTransactionMs ?? 0;
    if (
      idleMs > 0 &&
      releaseWhenIdle &&
      (conn.out.ready === IN_TRANSACTION || conn.out.ready === FAILED_TRANSACTION) &&
      !conn.closed
    ) {
      clearTimeout(conn.idleTimer);
      conn.idleTimer = setTimeout(() => {
        if (conn.closed) return;
        conn.socket.end(fatal('25P03', 'terminating connection due to idle-in-transaction timeout'));
        // onClose rolls the transaction back and hands the backend to the next connection.
        conn.socket.destroySoon();
      }, idleMs);
      conn.idleTimer.unref();
    }
  };

  const onData = async (conn: Conn): Promise<void> => {
    for (;;) {
      const buf = conn.buffer;
      if (!conn.startedUp) {
        if (buf.length < 8) return;
        const len = buf.readInt32BE(0);
        if (buf.length < len) return;
        const code = buf.readInt32BE(4);
        const msg = buf.subarray(0, len);
        conn.buffer = buf.subarray(len);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          conn.socket.write('N'); // no TLS on loopback
          continue;
        }
        if (code === CANCEL_REQUEST) {
          conn.socket.end();
          return;
        }
        if (code !== PROTOCOL_3) {
          conn.socket.destroy();
          return;
        }
        conn.startedUp = true;
        await exec(conn, msg, true);
        continue;
      }
      if (buf.length < 5) return;
      const len = buf.readInt32BE(1);
      if (buf.length < 1 + len) return;
      const type = buf[0]!;
      const msg = Buffer.from(buf.subarray(0, 1 + len));
      conn.buffer = buf.subarray(1 + len);
      if (type === 0x58 /* X: Terminate */) {
        conn.socket.end();
        return;
      }
      // Only Sync ('S') and Query ('Q') end an exchange; Parse/Bind/Execute keep the lock.
      await exec(conn, msg, type === 0x53 || type === 0x51);
    }
  };

  const onClose = async (conn: Conn): Promise<void> => {
    if (conn.closed) return;
    conn.closed = true;
    clearTimeout(conn.idleTimer);
    conns.delete(conn);
    lock.forget(conn);
    // Silent on purpose: a failed message already destroyed the socket; the chain only orders.
    await conn.chain.catch(() => undefined);
    if (lock.owns(conn)) {
      // A client that died mid-transaction must not leave the backend stuck in it.
      // Silent on purpose: inside a transaction (checked just above) ROLLBACK fails only when the
      // database is closing, and then there is nothing left to unstick.
      if (pglite.isInTransaction()) await pglite.exec('ROLLBACK').catch(() => undefined);
      lock.release(conn);
    }
  };

  const server: Server = createServer((socket) => {
    socket.setNoDelay(true);
    const conn: Conn = {
      socket,
      buffer: Buffer.alloc(0),
      startedUp: false,
      out: new OutScanner(),
      closed: false,
      chain: Promise.resolve(),
    };
    conns.add(conn);
    socket.on('data', (chunk: Buffer) => {
      // The client spoke: its transaction is not idle any more.
      clearTimeout(conn.idleTimer);
      conn.idleTimer = undefined;
      conn.buffer = conn.buffer.length ? Buffer.concat([conn.buffer, chunk]) : chunk;
      // One chain per connection keeps its messages in order.
      conn.chain = conn.chain
        .then(() => onData(conn))
        .catch(() => {
          socket.destroy();
        });
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => void onClose(conn));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as { port: number };
  return {
    url: `postgres://postgres@${opts.host ?? '127.0.0.1'}:${addr.port}/postgres`,
    async stop() {
      for (const c of conns) c.socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
