import { randomInt } from 'node:crypto';
import { demoIvr } from '../../src/demo/call-center.js';
import type { Edition } from '../../src/modules/tenants/schema.js';
import type { SeededUser, TestApp } from './test-app.js';

/** A tenant with a working inbound path: number → demo IVR → two skill groups → agents. */
export interface CallCenter {
  tenantId: string;
  number: string;
  admin: SeededUser;
  supervisor: SeededUser;
  agents: Array<SeededUser & { sipUser: string }>;
  groups: { presales: string; afterSales: string };
}

/**
 * Seeds a call center through the app's own repositories. Agents start offline (as after a
 * fresh login); tests put them idle through the API, as a workbench would.
 */
export async function seedCallCenter(
  t: TestApp,
  opts: {
    slug: string;
    agents?: number;
    edition?: Edition;
    ringTimeoutSeconds?: number;
    settings?: Record<string, unknown>;
  },
): Promise<CallCenter> {
  const n = opts.agents ?? 3;
  const roles = ['admin', 'supervisor', ...Array.from({ length: n }, () => 'agent' as const)] as const;
  const { tenantId, users } = await t.seedTenant({
    slug: opts.slug,
    edition: opts.edition ?? 'advanced',
    roles: [...roles],
  });
  const c = t.app.container.cradle;
  if (opts.settings) await c.tenantRepo.update(tenantId, { settings: opts.settings });
  const agents: CallCenter['agents'] = [];
  for (let i = 0; i < n; i++) {
    const u = users[`agent${i + 2}`]!;
    const sipUser = `${opts.slug}-agent${i + 1}`;
    await c.agentService.ensure(tenantId, u.id, sipUser);
    agents.push({ ...u, sipUser });
  }
  const presales = await c.skillGroupRepo.create(tenantId, {
    name: 'presales',
    ringTimeoutSeconds: opts.ringTimeoutSeconds ?? 20,
  });
  const afterSales = await c.skillGroupRepo.create(tenantId, {
    name: 'after-sales',
    ringTimeoutSeconds: opts.ringTimeoutSeconds ?? 20,
  });
  for (const a of agents) {
    await c.skillGroupRepo.addMember(tenantId, presales.id, a.id);
    await c.skillGroupRepo.addMember(tenantId, afterSales.id, a.id);
  }
  const flow = await c.ivrRepo.create(tenantId, 'Main IVR', demoIvr(presales.id, afterSales.id));
  const number = `400${randomInt(1_000_000, 9_999_999)}`;
  await c.numberRepo.create(tenantId, { number, label: 'Hotline', ivrFlowId: flow.id });
  return {
    tenantId,
    number,
    admin: users.admin!,
    supervisor: users.supervisor!,
    agents,
    groups: { presales: presales.id, afterSales: afterSales.id },
  };
}

/** Puts agents in a state through the API, as their workbench would. */
export async function setAgentState(
  t: TestApp,
  agent: SeededUser,
  state: 'idle' | 'notReady' | 'offline',
): Promise<void> {
  const res = await t.request('PUT', '/api/v1/agents/me/state', { token: agent.token, body: { state } });
  if (res.status !== 200) throw new Error(`could not set ${agent.email} ${state}: ${JSON.stringify(res.body)}`);
}
