/**
 * Number protection (RT-07) on call records: an agent of a protecting tenant never reads the
 * customer's number — neither the caller of an inbound call, nor the callee of an outbound one
 * (a redial), nor inside the IVR variables — while supervisors and admins read it in clear.
 * Masked-template digits (CTL-10) stay masked for agents in the record too.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type SeededUser, type TestApp } from '../../../test/support/test-app.js';
import { collectTemplates } from '../sessions/schema.js';
import { cdrs } from './schema.js';

let t: TestApp;
let tenantId: string;
let users: Record<string, SeededUser>;

async function record(input: {
  direction: 'inbound' | 'outbound';
  caller: string;
  callee: string;
  variables: Record<string, string>;
  agentId: string;
}): Promise<string> {
  const sessionId = randomUUID();
  const at = new Date();
  await t.app.container.cradle.db.insert(cdrs).values({
    tenantId,
    sessionId,
    ...input,
    startedAt: at,
    endedAt: at,
    durationSeconds: 30,
    ivrDurationSeconds: 5,
    endStatus: 1,
    endStatusString: 'ok',
    hungUpSide: 'user',
  });
  return sessionId;
}

beforeAll(async () => {
  t = await startTestApp();
  ({ tenantId, users } = await t.seedTenant({ slug: 'recmask', roles: ['admin', 'supervisor', 'agent'] }));
  await t.app.container.cradle.tenantRepo.update(tenantId, { settings: { numberProtection: true } });
  await t.app.container.cradle.db.insert(collectTemplates).values({
    tenantId,
    name: 'Card',
    prompt: 'Your card number, please.',
    maxDigits: 16,
    variable: 'CardNumber',
    mask: true,
  });
});
afterAll(async () => {
  await t?.stop();
});

describe('records under number protection', () => {
  it('[RT-07] [CTL-10] agents read the customer masked, in the numbers and the variables; supervisors in clear', async () => {
    const agent = users.agent!;
    const inbound = await record({
      direction: 'inbound',
      caller: '13812345678',
      callee: '4001234567',
      variables: { Callback: '+86 138 1234 5678', CardNumber: '4111111111111111', Hotline: '4001234567' },
      agentId: agent.id,
    });
    const outbound = await record({
      direction: 'outbound',
      caller: '4001234567',
      callee: '13987654321',
      variables: { Dialled: '13987654321' },
      agentId: agent.id,
    });
    const get = (u: SeededUser, id: string) => t.request('GET', `/api/v1/records/${id}`, { token: u.token });

    const a = await get(agent, inbound);
    expect(a.status).toBe(200);
    // Our own number (the callee of an inbound call) is no customer data: it stays readable.
    expect(a.body).toMatchObject({
      caller: '138****5678',
      callee: '4001234567',
      variables: { Callback: '138****5678', CardNumber: '**************11', Hotline: '4001234567' },
    });
    const o = await get(agent, outbound);
    expect(o.body).toMatchObject({
      caller: '4001234567',
      callee: '139****4321',
      variables: { Dialled: '139****4321' },
    });
    const list = await t.request('GET', '/api/v1/records', { token: agent.token });
    expect(JSON.stringify(list.body)).not.toMatch(/12345678|87654321|4111111111111111/);

    for (const u of [users.supervisor!, users.admin!]) {
      expect((await get(u, inbound)).body).toMatchObject({
        caller: '13812345678',
        variables: { Callback: '+86 138 1234 5678', CardNumber: '4111111111111111' },
      });
      expect((await get(u, outbound)).body).toMatchObject({
        callee: '13987654321',
        variables: { Dialled: '13987654321' },
      });
    }
  });
});
