import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { type ClientOptions } from 'ws';
import { startTestApp, type SeededUser, type TestApp } from '../../test/support/test-app.js';
import { LocalEventBus } from './bus.js';
import { UpgradeRouter } from '../http/upgrade-router.js';
import { RealtimeGateway, WS_CLOSE_TOKEN_EXPIRED, WS_MAX_PAYLOAD_BYTES } from './gateway.js';

type Frame = { type: string; data?: Record<string, unknown>; id?: string; at?: string };

/** A client socket that records every frame it receives, so tests can await specific ones. */
class TestSocket {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  /** Opens a socket; rejects with the HTTP status when the server refuses the upgrade. */
  static open(url: string, opts: ClientOptions = {}): Promise<TestSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, opts);
      const sock = new TestSocket(ws);
      ws.once('open', () => resolve(sock));
      ws.once('unexpected-response', (_req, res) => {
        reject(new RefusedError(res.statusCode ?? 0));
        res.resume();
        ws.terminate();
      });
      ws.once('error', (err) => reject(err));
    });
  }

  /** Resolves with the first frame (received so far or later) matching `pred`. */
  next(pred: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames)}`)),
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

  send(data: unknown): void {
    this.ws.send(typeof data === 'string' || Buffer.isBuffer(data) ? data : JSON.stringify(data));
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
  }
}

class RefusedError extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with HTTP ${status}`);
  }
}

/** Expects the upgrade to be refused and returns the HTTP status (the socket never opens). */
async function refusedStatus(url: string, opts: ClientOptions = {}): Promise<number> {
  try {
    const sock = await TestSocket.open(url, opts);
    sock.close();
  } catch (err) {
    if (err instanceof RefusedError) return err.status;
    throw err;
  }
  throw new Error('the socket opened');
}

function wsUrl(base: string, query = ''): string {
  return `${base.replace(/^http/, 'ws')}/ws${query}`;
}

async function wsGauge(t: TestApp): Promise<number> {
  const m = /^switchboard_ws_connections (\d+)$/m.exec(await t.metrics());
  if (!m) throw new Error('switchboard_ws_connections missing from /metrics');
  return Number(m[1]);
}

/** Rejects with a clear message instead of running into the test timeout. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('realtime gateway', () => {
  let t: TestApp;
  let acme: { tenantId: string; users: Record<string, SeededUser> };
  let globex: { tenantId: string; users: Record<string, SeededUser> };
  const sockets: TestSocket[] = [];
  const open = async (query: string, opts?: ClientOptions) => {
    const s = await TestSocket.open(wsUrl(t.url, query), opts);
    sockets.push(s);
    return s;
  };
  const ticketFor = async (user: SeededUser): Promise<{ ticket: string; url: string; expiresInSeconds: number }> => {
    const res = await t.request('POST', '/api/v1/realtime/tickets', { token: user.token });
    expect(res.status).toBe(201);
    return res.body;
  };
  const notice = (user: { token: string }, body: unknown) =>
    t.request('POST', '/api/v1/realtime/notices', { token: user.token, body });

  beforeAll(async () => {
    t = await startTestApp({ config: { realtime: { heartbeatMs: 1000 } } });
    acme = await t.seedTenant({ slug: 'rt-acme', roles: ['admin', 'supervisor', 'agent', 'agent'] });
    globex = await t.seedTenant({ slug: 'rt-globex' });
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await t?.stop();
  });

  it('[INT-01] refuses an unauthenticated socket with 401 before it opens', async () => {
    expect(await refusedStatus(wsUrl(t.url))).toBe(401);
  });

  it('[INT-01] refuses bad access tokens and tickets with 401', async () => {
    expect(await refusedStatus(wsUrl(t.url, '?access_token=not-a-jwt'))).toBe(401);
    expect(await refusedStatus(wsUrl(t.url), { headers: { authorization: 'Bearer not-a-jwt' } })).toBe(401);
    expect(await refusedStatus(wsUrl(t.url, '?ticket=wst_forged'))).toBe(401);
    // A refresh token is not an access token.
    expect(await refusedStatus(wsUrl(t.url, `?access_token=${acme.users.agent!.refreshToken}`))).toBe(401);
  });

  it('[INT-01] does not answer upgrades on paths other than /ws', async () => {
    const err = await TestSocket.open(
      `${t.url.replace(/^http/, 'ws')}/other?access_token=${acme.users.agent!.token}`,
    ).then(
      (s) => {
        s.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    // The upgrade router answers unknown paths with a plain 404 rather than leaving them hanging.
    expect(err).toBeInstanceOf(RefusedError);
    expect((err as RefusedError).status).toBe(404);
  });

  it('[INT-01] a ticket opens one socket, sends session.ready first, and cannot be reused', async () => {
    const agent = acme.users.agent!;
    const issued = await ticketFor(agent);
    expect(issued.ticket).toMatch(/^wst_/);
    expect(issued.expiresInSeconds).toBeGreaterThan(0);
    expect(issued.url).toBe(`/ws?ticket=${encodeURIComponent(issued.ticket)}`);

    const s = await open(issued.url.slice('/ws'.length));
    const ready = await s.next((f) => f.type === 'session.ready');
    expect(s.frames[0]).toBe(ready);
    expect(ready.data).toEqual({
      userId: agent.id,
      tenantId: acme.tenantId,
      role: 'agent',
      channels: [`tenant:${acme.tenantId}`, `role:${acme.tenantId}:agent`, `user:${acme.tenantId}:${agent.id}`],
      heartbeatMs: 1000,
    });
    expect(typeof ready.id).toBe('string');

    expect(await refusedStatus(wsUrl(t.url, `?ticket=${encodeURIComponent(issued.ticket)}`))).toBe(401);
  });

  it('[INT-01] tickets are for signed-in users only', async () => {
    expect((await t.request('POST', '/api/v1/realtime/tickets')).status).toBe(401);
    const created = await t.request('POST', '/api/v1/api-keys', {
      token: acme.users.admin!.token,
      body: { name: 'rt', scopes: ['tenant:write', 'realtime:connect'] },
    });
    expect(created.status).toBe(201);
    expect((await t.request('POST', '/api/v1/realtime/tickets', { token: created.body.key })).status).toBe(403);
  });

  it('[INT-01] accepts an access token in the query or the Authorization header', async () => {
    const sup = acme.users.supervisor!;
    const a = await open(`?access_token=${sup.token}`);
    const b = await open('', { headers: { authorization: `Bearer ${sup.token}` } });
    for (const s of [a, b]) expect((await s.next((f) => f.type === 'session.ready')).data?.role).toBe('supervisor');
  });

  it('[INT-01] refuses a disabled user even with a valid token', async () => {
    const { userRepo } = t.app.container.cradle;
    const extra = await t.seedTenant({ slug: 'rt-disabled', roles: ['agent'] });
    await userRepo.update(extra.tenantId, extra.users.agent!.id, { status: 'disabled' });
    expect(await refusedStatus(wsUrl(t.url, `?access_token=${extra.users.agent!.token}`))).toBe(401);
  });

  it('[INT-01] a notice to a role reaches that role in the tenant only, never another tenant', async () => {
    const a = acme.users;
    const g = globex.users;
    const acmeAgents = [await open(`?access_token=${a.agent2!.token}`), await open(`?access_token=${a.agent3!.token}`)];
    const acmeOthers = [
      await open(`?access_token=${a.admin!.token}`),
      await open(`?access_token=${a.supervisor!.token}`),
    ];
    const globexAll = [
      await open(`?access_token=${g.admin!.token}`),
      await open(`?access_token=${g.supervisor!.token}`),
      await open(`?access_token=${g.agent!.token}`),
    ];
    for (const s of [...acmeAgents, ...acmeOthers, ...globexAll]) await s.next((f) => f.type === 'session.ready');

    const res = await notice(a.admin!, {
      message: 'agents: queue is long',
      level: 'warning',
      audience: { kind: 'role', role: 'agent' },
    });
    expect(res.status).toBe(202);
    expect(res.body.channel).toBe(`role:${acme.tenantId}:agent`);
    for (const s of acmeAgents) {
      const f = await s.next((x) => x.type === 'system.notice');
      expect(f.data).toEqual({ message: 'agents: queue is long', level: 'warning' });
    }

    // Markers sent afterwards: once a socket has its marker, the role notice would have
    // arrived before it (one bus, one ordered TCP stream per socket) if it were meant to.
    expect((await notice(a.admin!, { message: 'acme marker' })).status).toBe(202);
    expect((await notice(g.admin!, { message: 'globex marker' })).status).toBe(202);
    for (const s of [...acmeAgents, ...acmeOthers]) await s.next((f) => f.data?.message === 'acme marker');
    for (const s of globexAll) await s.next((f) => f.data?.message === 'globex marker');
    for (const s of acmeOthers) expect(s.notices()).toEqual(['acme marker']);
    for (const s of globexAll) expect(s.notices()).toEqual(['globex marker']);
    for (const s of acmeAgents) expect(s.notices()).toEqual(['agents: queue is long', 'acme marker']);
  });

  it('[INT-01] a notice to one user reaches only that user, and an API key with tenant:write may send it', async () => {
    const a = acme.users;
    const target = await open(`?access_token=${a.agent2!.token}`);
    const other = await open(`?access_token=${a.agent3!.token}`);
    await target.next((f) => f.type === 'session.ready');
    await other.next((f) => f.type === 'session.ready');
    const created = await t.request('POST', '/api/v1/api-keys', {
      token: a.admin!.token,
      body: { name: 'notices', scopes: ['tenant:write'] },
    });
    const res = await notice(
      { token: created.body.key },
      { message: 'just you', audience: { kind: 'user', userId: a.agent2!.id } },
    );
    expect(res.status).toBe(202);
    await target.next((f) => f.data?.message === 'just you');
    await notice(a.admin!, { message: 'user marker' });
    await other.next((f) => f.data?.message === 'user marker');
    expect(other.notices()).toEqual(['user marker']);
  });

  it('[INT-01] one event for several audiences reaches each socket once, even one in two of them', async () => {
    const a = acme.users;
    const supervisor = await open(`?access_token=${a.supervisor!.token}`);
    const agent = await open(`?access_token=${a.agent2!.token}`);
    const bystander = await open(`?access_token=${a.agent3!.token}`);
    for (const s of [supervisor, agent, bystander]) await s.next((f) => f.type === 'session.ready');
    const { bus } = t.app.container.cradle;
    await bus.publish(
      [
        { tenantId: acme.tenantId, kind: 'role', role: 'supervisor' },
        { tenantId: acme.tenantId, kind: 'user', userId: a.supervisor!.id },
        { tenantId: acme.tenantId, kind: 'user', userId: a.agent2!.id },
      ],
      'system.notice',
      { message: 'to several' },
    );
    await bus.publish({ tenantId: acme.tenantId, kind: 'tenant' }, 'system.notice', { message: 'marker' });
    for (const s of [supervisor, agent, bystander]) await s.next((f) => f.data?.message === 'marker');
    const ids = (s: TestSocket) => s.frames.filter((f) => f.data?.message === 'to several').map((f) => f.id);
    expect(ids(supervisor)).toHaveLength(1);
    expect(ids(agent)).toEqual(ids(supervisor));
    expect(ids(bystander)).toEqual([]);
  });

  it('[INT-01] only admins (or tenant:write keys) may send notices, and bodies are validated', async () => {
    expect((await notice(acme.users.agent!, { message: 'hi' })).status).toBe(403);
    expect((await notice(acme.users.supervisor!, { message: 'hi' })).status).toBe(403);
    const bad = await notice(acme.users.admin!, { message: '', audience: { kind: 'role', role: 'janitor' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
  });

  it('[INT-01] answers ping with pong and bad client messages with an error frame, staying open', async () => {
    const s = await open(`?access_token=${acme.users.agent!.token}`);
    await s.next((f) => f.type === 'session.ready');
    s.send('this is not json');
    await s.next((f) => f.type === 'error');
    s.send({ type: 'subscribe', channel: `tenant:${globex.tenantId}` });
    s.send(Buffer.from([1, 2, 3]));
    await eventually(() => s.frames.filter((f) => f.type === 'error').length === 3);
    for (const f of s.frames.filter((x) => x.type === 'error')) expect(f.data?.code).toBe('validation_failed');
    s.send({ type: 'ping' });
    await s.next((f) => f.type === 'pong');
    expect(s.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('[INT-01] closes a socket that sends a message larger than the limit', async () => {
    const s = await open(`?access_token=${acme.users.agent!.token}`);
    await s.next((f) => f.type === 'session.ready');
    s.send('x'.repeat(WS_MAX_PAYLOAD_BYTES + 1));
    expect((await within(s.closed, 5000, 'close on an oversized message')).code).toBe(1009);
  });

  it('[INT-01] closes an access-token socket with 4001 when the token expires', async () => {
    // A token that lives ~1-2 s, signed exactly as the app signs its own (same key and claims).
    const agent = acme.users.agent!;
    const { authKeys } = t.app.container.cradle;
    const token = await new SignJWT({ tid: acme.tenantId, role: 'agent' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(agent.id)
      .setIssuer('switchboard')
      .setAudience('switchboard-api')
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + 2)
      .sign(authKeys.jwt);
    const s = await open(`?access_token=${token}`);
    await s.next((f) => f.type === 'session.ready');
    const closed = await within(s.closed, 5000, 'close on token expiry');
    expect(closed).toEqual({ code: WS_CLOSE_TOKEN_EXPIRED, reason: 'token expired' });
  });

  it('[INT-01] closes a ticket socket with 4001 after the session lifetime', async () => {
    // A second gateway on its own HTTP server, built from this app's real services, with a
    // short lifetime so the test does not wait 15 minutes.
    const { tokenService, ticketService, userRepo, metrics, logger } = t.app.container.cradle;
    const server: Server = createServer((_req, res) => res.writeHead(404).end());
    const gateway = new RealtimeGateway({
      upgrades: new UpgradeRouter(server),
      bus: new LocalEventBus(),
      tokenService,
      ticketService,
      userRepo,
      logger,
      metrics,
      heartbeatMs: 1000,
      tokenTtlMs: 300,
    });
    gateway.start();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { ticket } = await ticketFor(acme.users.agent!);
      const s = await TestSocket.open(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws?ticket=${ticket}`);
      sockets.push(s);
      await s.next((f) => f.type === 'session.ready');
      expect(await within(s.closed, 5000, 'close after the session lifetime')).toEqual({
        code: WS_CLOSE_TOKEN_EXPIRED,
        reason: 'token expired',
      });
    } finally {
      await gateway.stop();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('realtime gateway heartbeat', () => {
  let t: TestApp;
  let users: Record<string, SeededUser>;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    // A beat long enough that a busy machine still answers each ping within it (the healthy
    // socket must not be taken for a dead one), short enough to keep the test quick.
    t = await startTestApp({ config: { realtime: { heartbeatMs: 1000 } } });
    ({ users } = await t.seedTenant({ slug: 'rt-heart', roles: ['agent', 'agent'] }));
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await t?.stop();
  });

  it('[INT-01] terminates a socket that stops answering pings and the ws gauge goes back down', async () => {
    expect(await wsGauge(t)).toBe(0);
    const healthy = await TestSocket.open(wsUrl(t.url, `?access_token=${users.agent0!.token}`));
    const silent = await TestSocket.open(wsUrl(t.url, `?access_token=${users.agent1!.token}`), { autoPong: false });
    // Counted from the start: the first ping may come before the checks below are done.
    let pings = 0;
    silent.ws.on('ping', () => pings++);
    sockets.push(healthy, silent);
    await healthy.next((f) => f.type === 'session.ready');
    await silent.next((f) => f.type === 'session.ready');
    expect(await wsGauge(t)).toBe(2);

    const closed = await within(silent.closed, 10_000, 'terminating the silent socket');
    expect(pings).toBeGreaterThanOrEqual(1);
    expect(closed.code).toBe(1006); // terminated: no closing handshake
    await eventually(async () => (await wsGauge(t)) === 1);

    // The answering socket outlives several more beats.
    await new Promise((r) => setTimeout(r, 3500));
    expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
    expect(await wsGauge(t)).toBe(1);
    healthy.close();
    await eventually(async () => (await wsGauge(t)) === 0);
  });
});
