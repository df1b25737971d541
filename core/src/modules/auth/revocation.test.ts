import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type SeededUser, type TestApp } from '../../../test/support/test-app.js';
import { WsClient, within } from '../../../test/support/ws-client.js';
import { WS_CLOSE_REVOKED } from '../../realtime/gateway.js';

// One instance on PGlite. The multi-instance run (LISTEN/NOTIFY) is revocation.pg.test.ts; the
// last test here plays the instance that missed the notice, which only the cache bound covers.
let t: TestApp;
const sockets: WsClient[] = [];

beforeAll(async () => {
  // A short heartbeat: open sockets are re-checked on every beat.
  t = await startTestApp({ config: { auth: { revocationCacheSeconds: 2 }, realtime: { heartbeatMs: 300 } } });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await t?.stop();
});

async function seed(slug: string): Promise<Record<string, SeededUser>> {
  return (await t.seedTenant({ slug, roles: ['admin', 'agent'] })).users;
}
const me = (token: string) => t.request('GET', '/api/v1/auth/me', { token });
async function socket(token: string): Promise<WsClient> {
  const s = await WsClient.open(t.url, `?access_token=${token}`);
  sockets.push(s);
  await s.next((f) => f.type === 'session.ready');
  return s;
}

describe('access tokens end with the session', () => {
  it('[LOGIN-01] signing out ends the access token and closes the user’s sockets; a new sign-in works', async () => {
    const u = await seed('rev-out');
    const pair = (await t.login(u.agent!.email)).body;
    expect((await me(pair.accessToken)).status).toBe(200);
    const ws = await socket(pair.accessToken);

    expect((await t.request('POST', '/api/v1/auth/logout', { body: { refreshToken: pair.refreshToken } })).status).toBe(
      204,
    );
    const gone = await me(pair.accessToken);
    expect(gone.status).toBe(401);
    expect(gone.body.error.code).toBe('invalid_token');
    const revoked = await ws.next((f) => f.type === 'session.revoked');
    expect(revoked.data).toMatchObject({ reason: 'signed-out' });
    expect((await within(ws.closed, 10_000, 'socket close')).code).toBe(WS_CLOSE_REVOKED);
    // The dead token cannot open a new socket either.
    await expect(WsClient.open(t.url, `?access_token=${pair.accessToken}`)).rejects.toMatchObject({ status: 401 });

    const again = (await t.login(u.agent!.email)).body;
    expect((await me(again.accessToken)).status).toBe(200);
  });

  it('[LOGIN-01] another device’s session survives a sign-out: its refresh token still trades for a working token', async () => {
    const u = await seed('rev-device');
    const phone = (await t.login(u.agent!.email)).body;
    const desk = (await t.login(u.agent!.email)).body;
    await t.request('POST', '/api/v1/auth/logout', { body: { refreshToken: phone.refreshToken } });
    // Every access token issued before the sign-out ends (documented); the desk refreshes.
    expect((await me(desk.accessToken)).status).toBe(401);
    const renewed = await t.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: desk.refreshToken } });
    expect(renewed.status).toBe(200);
    expect((await me(renewed.body.accessToken)).status).toBe(200);
    expect(
      (await t.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: phone.refreshToken } })).status,
    ).toBe(401);
  });

  it('[LOGIN-01] disabling a user ends their access token and sockets at once; enabling again does not revive old tokens', async () => {
    const u = await seed('rev-disable');
    const token = u.agent!.token;
    expect((await me(token)).status).toBe(200);
    const ws = await socket(token);
    const patch = (status: string) =>
      t.request('PATCH', `/api/v1/users/${u.agent!.id}`, { token: u.admin!.token, body: { status } });
    expect((await patch('disabled')).status).toBe(200);
    expect((await me(token)).status).toBe(401);
    expect((await ws.next((f) => f.type === 'session.revoked')).data).toMatchObject({ reason: 'disabled' });
    expect((await within(ws.closed, 10_000, 'socket close')).code).toBe(WS_CLOSE_REVOKED);
    expect((await patch('active')).status).toBe(200);
    expect((await me(token)).status).toBe(401);
    expect((await t.login(u.agent!.email)).status).toBe(200);
  });

  it('[LOGIN-01] an instance that missed the notice refuses the token once its cache lapses (≤ revocationCacheSeconds)', async () => {
    const u = await seed('rev-cache');
    const token = u.agent!.token;
    expect((await me(token)).status).toBe(200); // cached as valid now
    // Another instance signed the user out; this one never heard (no bus notice, only the row).
    await t.app.database.pool.query(`update users set tokens_valid_after = now() + interval '1 second' where id = $1`, [
      u.agent!.id,
    ]);
    // Wait on the outcome, bounded well above the 2 s cache: it must flip to 401 and stay there.
    const deadline = Date.now() + 30_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      status = (await me(token)).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(401);
    expect((await me(token)).status).toBe(401);
  });

  it('[LOGIN-01] a socket whose user was revoked without a notice reaching this instance closes on a heartbeat', async () => {
    const u = await seed('rev-beat');
    const ws = await socket(u.agent!.token);
    // Revoked elsewhere: only the row changed; no session.revoked event crossed this instance.
    await t.app.database.pool.query(`update users set status = 'disabled' where id = $1`, [u.agent!.id]);
    const closed = await within(ws.closed, 30_000, 'heartbeat close');
    expect(closed.code).toBe(WS_CLOSE_REVOKED);
    expect(ws.frames.some((f) => f.type === 'session.revoked')).toBe(false);
  });
});
