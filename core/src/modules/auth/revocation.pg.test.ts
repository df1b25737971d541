import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type SeededUser, type TestApp } from '../../../test/support/test-app.js';
import { createServerDatabase } from '../../../test/support/test-database.js';
import { WsClient, within } from '../../../test/support/ws-client.js';
import { WS_CLOSE_REVOKED } from '../../realtime/gateway.js';

// Real PostgreSQL only (collected when TEST_DATABASE_URL is set): two app instances sharing one
// database, as a multi-instance deployment runs. Both cache "this user is active" for 30 s, the
// maximum: only the LISTEN/NOTIFY notice can make instance B refuse the token at once.
describe('sign-out and disabling across two instances', () => {
  let database: Awaited<ReturnType<typeof createServerDatabase>>;
  let a: TestApp;
  let b: TestApp;
  const sockets: WsClient[] = [];

  beforeAll(async () => {
    database = await createServerDatabase();
    // A long first delay: the attempt on B lands inside it however slow the machine is (the
    // default 1 s could be over before B's request is served).
    const config = { auth: { revocationCacheSeconds: 30, login: { baseDelaySeconds: 300 } } };
    a = await startTestApp({ db: { url: database.url }, config });
    b = await startTestApp({ db: { url: database.url }, config });
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await a?.stop();
    await b?.stop();
    await database?.drop();
  });

  async function onB(token: string): Promise<WsClient> {
    const s = await WsClient.open(b.url, `?access_token=${token}`);
    sockets.push(s);
    await s.next((f) => f.type === 'session.ready');
    return s;
  }
  const me = (app: TestApp, token: string) => app.request('GET', '/api/v1/auth/me', { token });

  it('[LOGIN-01] disabled on instance A: the token stops working on instance B and B closes the socket', async () => {
    const { users } = await a.seedTenant({ slug: 'rev-two', roles: ['admin', 'agent'] });
    const agent: SeededUser = users.agent!;
    expect((await me(b, agent.token)).status).toBe(200); // B now caches the agent as active
    const ws = await onB(agent.token);
    const res = await a.request('PATCH', `/api/v1/users/${agent.id}`, {
      token: users.admin!.token,
      body: { status: 'disabled' },
    });
    expect(res.status).toBe(200);
    // B's gateway and B's token cache hear the same notice in the same delivery.
    expect((await ws.next((f) => f.type === 'session.revoked')).data).toMatchObject({ reason: 'disabled' });
    expect((await within(ws.closed, 10_000, 'socket close on B')).code).toBe(WS_CLOSE_REVOKED);
    const refused = await me(b, agent.token);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('invalid_token');
  });

  it('[LOGIN-01] signed out on instance A: the access token stops working on instance B', async () => {
    const { users } = await a.seedTenant({ slug: 'rev-two-out', roles: ['agent'] });
    const pair = (await a.login(users.agent!.email)).body;
    expect((await me(b, pair.accessToken)).status).toBe(200);
    const ws = await onB(pair.accessToken);
    expect((await a.request('POST', '/api/v1/auth/logout', { body: { refreshToken: pair.refreshToken } })).status).toBe(
      204,
    );
    await within(ws.closed, 10_000, 'socket close on B');
    expect((await me(b, pair.accessToken)).status).toBe(401);
  });

  it('[LOGIN-01] sign-in throttling is shared: failures on A delay the same attempt on B', async () => {
    const { users } = await a.seedTenant({ slug: 'rev-two-thr', roles: ['agent'] });
    for (let i = 0; i < 5; i++) expect((await a.login(users.agent!.email, 'bad')).status).toBe(401);
    const blocked = await b.login(users.agent!.email);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('too_many_attempts');
  });
});
