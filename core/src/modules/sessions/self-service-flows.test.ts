/**
 * CTL-11 for agents: the self-service picker lists the tenant's IVR flows an agent may send a
 * caller into, by id and name only (no graphs, no numbers), in the advanced edition only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.js';

const GRAPH = {
  start: 'hi',
  nodes: [
    { id: 'hi', type: 'play', prompt: { kind: 'say', text: 'Please confirm with 1' }, next: 'bye' },
    { id: 'bye', type: 'hangup' },
  ],
};

describe('self-service flows', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.stop());

  it('[CTL-11] an agent of an advanced tenant lists the published flows by id and name, only its own', async () => {
    const acme = await t.seedTenant({ slug: 'ssf-acme', edition: 'advanced' });
    const other = await t.seedTenant({ slug: 'ssf-other', edition: 'advanced', roles: ['admin'] });
    const create = async (token: string, name: string) => {
      const res = await t.request('POST', '/api/v1/ivr-flows', { token, body: { name, graph: GRAPH } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    const confirm = await create(acme.users.admin!.token, 'Confirm order');
    const survey = await create(acme.users.admin!.token, 'Survey');
    await create(other.users.admin!.token, 'Not yours');

    // Agents still may not read the flows themselves.
    expect((await t.request('GET', '/api/v1/ivr-flows', { token: acme.users.agent!.token })).status).toBe(403);
    const res = await t.request('GET', '/api/v1/self-service-flows', { token: acme.users.agent!.token });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(2);
    expect(res.body.items).toEqual(
      expect.arrayContaining([
        { id: confirm, name: 'Confirm order' },
        { id: survey, name: 'Survey' },
      ]),
    );
  });

  it('[CTL-11] a standard tenant has no self-service: 403 edition_required', async () => {
    const basic = await t.seedTenant({ slug: 'ssf-basic', edition: 'standard', roles: ['agent'] });
    const res = await t.request('GET', '/api/v1/self-service-flows', { token: basic.users.agent!.token });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('edition_required');
  });
});
