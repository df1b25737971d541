/**
 * ADM-12 across instances (real PostgreSQL only, collected when TEST_DATABASE_URL is set): an
 * admin forces an agent offline through instance A; the agent's sockets on A and on B are both
 * closed, carried by `session.revoked` over LISTEN/NOTIFY.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestApp, type SeededUser, type TestApp } from '../../../test/support/test-app.js';
import { createServerDatabase } from '../../../test/support/test-database.js';

async function open(app: TestApp, token: string) {
  const ws = new WebSocket(`${app.url.replace(/^http/, 'ws')}/ws?access_token=${token}`);
  const types: string[] = [];
  ws.on('message', (m) => types.push((JSON.parse(m.toString()) as { type: string }).type));
  const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  return { ws, types, closed };
}

describe('force offline on every instance', () => {
  let database: Awaited<ReturnType<typeof createServerDatabase>>;
  let a: TestApp;
  let b: TestApp;
  let tenantId: string;
  let users: Record<string, SeededUser>;

  beforeAll(async () => {
    database = await createServerDatabase();
    a = await startTestApp({ db: { url: database.url } });
    b = await startTestApp({ db: { url: database.url } });
    ({ tenantId, users } = await a.seedTenant({ slug: 'force-multi' }));
    await a.app.container.cradle.agentService.ensure(tenantId, users.agent!.id, 'force-multi-agent');
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await database?.drop();
  });

  it('[ADM-12] the agent’s sockets on both instances are closed with 4003', async () => {
    await a.request('POST', '/api/v1/agents/me/login', { token: users.agent!.token });
    const onA = await open(a, users.agent!.token);
    const onB = await open(b, users.agent!.token);
    const supOnB = await open(b, users.supervisor!.token);

    const res = await a.request('POST', `/api/v1/agents/${users.agent!.id}/force-offline`, {
      token: users.admin!.token,
    });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('offline');
    expect(await onA.closed).toBe(4003);
    expect(await onB.closed).toBe(4003);
    expect(onB.types).toContain('session.revoked');
    await new Promise((r) => setTimeout(r, 100));
    expect(supOnB.ws.readyState).toBe(WebSocket.OPEN);
    expect(supOnB.types).toContain('agent.status');
    supOnB.ws.close();
  });
});
