import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestApp, type TestApp } from '../../test/support/test-app.js';
import { definePlugin } from '../plugins/define-plugin.js';
import { authorize } from './api-router.js';
import type { AppContext } from './types.js';

/**
 * The edition guard, exercised through a plugin route — the way an advanced-only module or
 * integration guards itself.
 */
const wallboard = definePlugin({
  name: 'wallboard',
  version: '1.0.0',
  config: z.object({}),
  routes: (router) => {
    router.get('/summary', async (ctx) => {
      // The host already required a signed-in user; the edition rule is the route's own.
      const principal = await authorize(ctx as unknown as AppContext, {
        roles: ['admin', 'supervisor', 'agent'],
        edition: 'advanced',
      });
      ctx.body = { tenantId: principal?.tenantId, ok: true };
    });
  },
});

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ config: { plugins: [wallboard({})] } });
});
afterAll(async () => {
  await t?.stop();
});

describe('edition guard', () => {
  it('[ED-01] refuses an advanced feature to a standard tenant with 403 edition_required', async () => {
    const { users } = await t.seedTenant({ slug: 'std', edition: 'standard', roles: ['admin'] });
    const res = await t.request('GET', '/plugins/wallboard/summary', { token: users.admin!.token });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({
      code: 'edition_required',
      details: { required: 'advanced', current: 'standard' },
    });
  });

  it('[ED-01] allows it to an advanced tenant', async () => {
    const { tenantId, users } = await t.seedTenant({ slug: 'adv', edition: 'advanced', roles: ['agent'] });
    const res = await t.request('GET', '/plugins/wallboard/summary', { token: users.agent!.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ tenantId, ok: true });
  });

  it('[ED-01] follows an edition change at once (no stale token claim)', async () => {
    const { tenantId, users } = await t.seedTenant({ slug: 'upgrade', edition: 'standard', roles: ['admin'] });
    expect((await t.request('GET', '/plugins/wallboard/summary', { token: users.admin!.token })).status).toBe(403);
    await t.app.container.cradle.tenantRepo.update(tenantId, { edition: 'advanced' });
    expect((await t.request('GET', '/plugins/wallboard/summary', { token: users.admin!.token })).status).toBe(200);
  });

  it('[ED-01] reports the edition on GET /tenant', async () => {
    const { users } = await t.seedTenant({ slug: 'show', edition: 'standard', roles: ['agent'] });
    const res = await t.request('GET', '/api/v1/tenant', { token: users.agent!.token });
    expect(res.body.edition).toBe('standard');
  });

  it('[INT-03] lists the plugin as ok in the start-up table', () => {
    expect(t.app.pluginHost.statusTable()).toMatch(/wallboard\s+1\.0\.0.*ok/);
  });
});
