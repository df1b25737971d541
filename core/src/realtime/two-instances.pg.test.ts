import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { type ClientOptions } from 'ws';
import { startTestApp, type SeededUser, type TestApp } from '../../test/support/test-app.js';
import { createServerDatabase } from '../../test/support/test-database.js';
import type { BusMessage } from './events.js';
import { PG_BUS_CHANNEL, PG_BUS_MAX_PAYLOAD_BYTES, PgNotifyEventBus } from './pg-bus.js';

// Real PostgreSQL only (collected when TEST_DATABASE_URL is set): LISTEN/NOTIFY between two
// app instances sharing one database, as a multi-instance deployment runs.

type Frame = { type: string; data?: Record<string, unknown> };

/** A client socket that records frames; `open` rejects with the HTTP status on refusal. */
class TestSocket {
  readonly frames: Frame[] = [];
  private waiters: Array<() => void> = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      this.frames.push(JSON.parse(d.toString()) as Frame);
      for (const w of this.waiters.splice(0)) w();
    });
  }
  static open(url: string, opts: ClientOptions = {}): Promise<TestSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, opts);
      const s = new TestSocket(ws);
      ws.once('open', () => resolve(s));
      ws.once('unexpected-response', (_req, res) => {
        reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode }));
        res.resume();
        ws.terminate();
      });
      ws.once('error', reject);
    });
  }
  next(pred: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching frame; got ${JSON.stringify(this.frames)}`)),
        timeoutMs,
      );
      const check = () => {
        const f = this.frames.find(pred);
        if (f) {
          clearTimeout(timer);
          resolve(f);
        } else this.waiters.push(check);
      };
      check();
    });
  }
  notices(): string[] {
    return this.frames.filter((f) => f.type === 'system.notice').map((f) => String(f.data?.message));
  }
  close(): void {
    this.ws.terminate();
  }
}

const wsUrl = (base: string, query = '') => `${base.replace(/^http/, 'ws')}/ws${query}`;

describe('realtime across two instances (PostgreSQL LISTEN/NOTIFY)', () => {
  let database: Awaited<ReturnType<typeof createServerDatabase>>;
  let a: TestApp;
  let b: TestApp;
  let users: Record<string, SeededUser>;
  const sockets: TestSocket[] = [];
  const open = async (app: TestApp, query: string) => {
    const s = await TestSocket.open(wsUrl(app.url, query), {});
    sockets.push(s);
    await s.next((f) => f.type === 'session.ready');
    return s;
  };
  const notice = (app: TestApp, body: unknown) =>
    app.request('POST', '/api/v1/realtime/notices', { token: users.admin!.token, body });

  beforeAll(async () => {
    database = await createServerDatabase();
    a = await startTestApp({ db: { url: database.url } });
    b = await startTestApp({ db: { url: database.url } });
    ({ users } = await a.seedTenant({ slug: 'rt-multi' }));
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await a?.stop();
    await b?.stop();
    await database?.drop();
  });

  it('[INT-01] a socket on instance B receives a notice POSTed to instance A, exactly once', async () => {
    const onB = await open(b, `?access_token=${users.agent!.token}`);
    const supOnB = await open(b, `?access_token=${users.supervisor!.token}`);
    const onA = await open(a, `?access_token=${users.agent!.token}`);

    const res = await notice(a, { message: 'from A', audience: { kind: 'role', role: 'agent' } });
    expect(res.status).toBe(202);
    await onB.next((f) => f.data?.message === 'from A');
    await onA.next((f) => f.data?.message === 'from A');

    // A marker after it: by then any duplicate (local + NOTIFY delivery) would have arrived.
    await notice(a, { message: 'marker' });
    for (const s of [onA, onB, supOnB]) await s.next((f) => f.data?.message === 'marker');
    expect(onA.notices()).toEqual(['from A', 'marker']);
    expect(onB.notices()).toEqual(['from A', 'marker']);
    expect(supOnB.notices()).toEqual(['marker']);
  });

  it('[INT-01] a ticket issued by instance A opens a socket on instance B, once', async () => {
    const issued = await a.request('POST', '/api/v1/realtime/tickets', { token: users.agent!.token });
    expect(issued.status).toBe(201);
    await open(b, `?ticket=${issued.body.ticket}`);
    await expect(TestSocket.open(wsUrl(a.url, `?ticket=${issued.body.ticket}`))).rejects.toMatchObject({ status: 401 });
  });

  it('[INT-01] an unauthenticated socket is refused on both instances', async () => {
    for (const app of [a, b]) {
      await expect(TestSocket.open(wsUrl(app.url))).rejects.toMatchObject({ status: 401 });
      await expect(TestSocket.open(wsUrl(app.url, '?access_token=nope'))).rejects.toMatchObject({ status: 401 });
    }
  });

  it('[INT-01] keeps delivering after the LISTEN connection is killed (reconnects)', async () => {
    const onB = await open(b, `?access_token=${users.supervisor!.token}`);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const killed = await admin.query(
        `select pg_terminate_backend(pid) from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid() and query = $1`,
        [`LISTEN ${PG_BUS_CHANNEL}`],
      );
      expect(killed.rowCount).toBeGreaterThanOrEqual(2); // both instances' listeners
    } finally {
      await admin.end();
    }
    // Events NOTIFYed while the listener is down are lost by design; retry until one lands.
    const until = Date.now() + 15_000;
    let n = 0;
    while (!onB.notices().some((m) => m.startsWith('after reconnect'))) {
      if (Date.now() > until) throw new Error('no delivery after the LISTEN connection was killed');
      await notice(a, { message: `after reconnect ${++n}`, audience: { kind: 'role', role: 'supervisor' } });
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(b.logs.some((l) => l.msg === 'realtime LISTEN connection lost; reconnecting')).toBe(true);
  });

  it('[INT-01] the bus takes one-channel messages of older instances and ignores what is not a message', async () => {
    const bus = new PgNotifyEventBus({ url: database.url, logger: pino({ level: 'silent' }) });
    await bus.start();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const got: BusMessage[] = [];
      bus.subscribe((m) => got.push(m));
      const frame = { type: 'system.notice', id: 'f1', at: new Date().toISOString(), data: { message: 'old' } };
      const notify = (payload: unknown) =>
        client.query('select pg_notify($1, $2)', [PG_BUS_CHANNEL, JSON.stringify(payload)]);
      await notify({ channels: 'tenant:x', frame });
      await notify({ channel: 'tenant:x', frame: { ...frame, type: 7 } });
      await notify({ channel: 'tenant:x', frame });
      await expect.poll(() => got).toEqual([{ channels: ['tenant:x'], frame }]);
    } finally {
      await client.end();
      await bus.stop();
    }
  });

  it('[INT-01] the bus refuses payloads too large for NOTIFY with a clear error', async () => {
    const bus = new PgNotifyEventBus({ url: database.url, logger: pino({ level: 'silent' }) });
    await bus.start();
    try {
      const got: BusMessage[] = [];
      bus.subscribe((m) => got.push(m));
      await expect(
        bus.publish({ tenantId: '00000000-0000-4000-8000-000000000000', kind: 'tenant' }, 'system.notice', {
          message: 'x'.repeat(PG_BUS_MAX_PAYLOAD_BYTES),
        }),
      ).rejects.toThrow(/NOTIFY carries at most 7900/);
      await bus.publish({ tenantId: '00000000-0000-4000-8000-000000000000', kind: 'tenant' }, 'system.notice', {
        message: 'small',
      });
      await expect.poll(() => got.map((m) => m.frame.data)).toEqual([{ message: 'small' }]);
    } finally {
      await bus.stop();
    }
  });
});
