/**
 * The routing inputs of a transfer on live calls through the jambonz simulator: the overflow
 * group (IVR-20) and the preferred agent — named by the caller in the IVR or marked through the
 * API before the call (IVR-21).
 */
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { setAgentState } from '../../core/test/support/call-center.js';
import type { SeededUser } from '../../core/test/support/test-app.js';
import type { IvrGraph, IvrGraphInput } from '../../core/src/modules/ivr/flow-model.js';
import type { SimCall, SimDevice } from '../src/simulator/index.js';
import { salesQueue } from './support/ivr-graphs.js';
import { say } from './support/ivr-world.js';
import { recordAs, sessionIdOf, talkAndHangUp, useLiveWorld } from './support/live-world.js';

const live = useLiveWorld({ secret: 'inputs-live', timeScale: 0.02, calls: { wrapUpSeconds: 0 } });

interface World {
  tenantId: string;
  admin: SeededUser;
  agents: SeededUser[];
  devices: SimDevice[];
  staffNos: string[];
  groups: { sales: string; backup: string };
  number: string;
}

/** A tenant with agents 0–1 in `sales` and agent 2 in `backup`, and a number running `graph`. */
async function world(slug: string, graph: (g: World['groups']) => IvrGraphInput): Promise<World> {
  const { tenantId, users } = await live.t.seedTenant({
    slug: `${slug}-${randomInt(1e6)}`,
    edition: 'advanced',
    roles: ['admin', 'agent', 'agent', 'agent'],
  });
  const c = live.t.app.container.cradle;
  const agents = [users.agent1!, users.agent2!, users.agent3!];
  const devices: SimDevice[] = [];
  for (const a of agents) {
    const sipUser = `${slug}-${a.id.slice(0, 8)}`;
    await c.agentService.ensure(tenantId, a.id, sipUser);
    devices.push(live.sim.registerUser(sipUser));
  }
  const sales = await c.skillGroupRepo.create(tenantId, { name: 'sales', ringTimeoutSeconds: 20 });
  const backup = await c.skillGroupRepo.create(tenantId, { name: 'backup', ringTimeoutSeconds: 20 });
  await c.skillGroupRepo.addMember(tenantId, sales.id, agents[0]!.id);
  await c.skillGroupRepo.addMember(tenantId, sales.id, agents[1]!.id);
  await c.skillGroupRepo.addMember(tenantId, backup.id, agents[2]!.id);
  const groups = { sales: sales.id, backup: backup.id };
  const flow = await c.ivrRepo.create(tenantId, 'Inputs', graph(groups) as IvrGraph);
  const number = `400${randomInt(1_000_000, 9_999_999)}`;
  await c.numberRepo.create(tenantId, { number, ivrFlowId: flow.id });
  const staffNos = (
    await live.t.app.database.pool.query(
      `select staff_no from users where id = any($1) order by array_position($1, id)`,
      [agents.map((a) => a.id)],
    )
  ).rows.map((r) => r.staff_no as string);
  return { tenantId, admin: users.admin!, agents, devices, staffNos, groups, number };
}

async function state(w: World, i: number, s: 'idle' | 'notReady'): Promise<void> {
  await setAgentState(live.t, w.agents[i]!, s);
  live.signedIn(w.agents[i]!);
  await new Promise((r) => setTimeout(r, 20));
}

/** Places a call to `w`'s number; agent `i` answers once "Connecting you to sales" was heard. */
async function servedBy(w: World, i: number, from: string): Promise<{ call: SimCall; sessionId: string }> {
  const call = await live.sim.placeCall({ from, to: w.number });
  await call.expectPrompt(/Connecting you to sales/);
  const ring = await w.devices[i]!.nextRing({ timeoutMs: 10_000 });
  const sessionId = await sessionIdOf(live, call);
  await talkAndHangUp(call, ring.answer());
  return { call, sessionId };
}

/** The record of a call queued for sales and served by the backup group's agent, ok. */
const backupServed = (w: World) => ({
  agentId: w.agents[2]!.id,
  queuedSkillGroupId: w.groups.sales,
  servingSkillGroupId: w.groups.backup,
  endStatusString: 'ok',
});

describe('overflow', () => {
  const overflowFlow = (g: World['groups']) =>
    salesQueue(g.sales, {
      label: 'Sales',
      overflowSkillGroupId: g.backup,
      priority: 100,
      transferPrompt: say('Connecting you to sales.'),
      waitPrompt: say('Please hold.'),
    });

  it('[IVR-20] sales all busy: the backup group’s idle agent takes the call; the CDR shows both groups', async () => {
    const w = await world('overflow', overflowFlow);
    await state(w, 0, 'notReady');
    await state(w, 1, 'notReady');
    await state(w, 2, 'idle');
    const { sessionId } = await servedBy(w, 2, '13900004001');
    expect(await recordAs(live, w.admin, sessionId)).toMatchObject(backupServed(w));
    expect(w.devices[0]!.rings).toHaveLength(0);
    expect(w.devices[1]!.rings).toHaveLength(0);
  });

  it('[IVR-20] a caller already waiting goes to a backup agent the moment one frees up', async () => {
    const w = await world('overflow-later', overflowFlow);
    await state(w, 0, 'notReady');
    await state(w, 2, 'notReady');
    const call = await live.sim.placeCall({ from: '13900004002', to: w.number });
    await call.expectPrompt(/Please hold/);
    await state(w, 2, 'idle');
    const ring = await w.devices[2]!.nextRing({ timeoutMs: 10_000 });
    await talkAndHangUp(call, ring.answer());
    expect(w.devices[0]!.rings).toHaveLength(0);
  });

  it('[IVR-20] nobody of sales online: the caller queues and the backup group serves, not the no-agent path', async () => {
    const w = await world('overflow-offline', overflowFlow);
    // Agents 0 and 1 (sales) stay offline; only the backup agent is on.
    await state(w, 2, 'idle');
    const { call, sessionId } = await servedBy(w, 2, '13900004003');
    expect(await recordAs(live, w.admin, sessionId)).toMatchObject(backupServed(w));
    expect(call.heard.join(' ')).not.toMatch(/agents are offline/);

    // With the backup group offline too, the no-agent path runs as before.
    await setAgentState(live.t, w.agents[2]!, 'offline');
    const late = await live.sim.placeCall({ from: '13900004004', to: w.number });
    await late.expectPrompt(/All our agents are offline/);
    await late.ended;
    expect(w.devices[2]!.rings).toHaveLength(1);
  });
});

describe('the skill group’s own settings (set through the admin API)', () => {
  /** The IVR names no overflow group: only the group's own setting can send callers to backup. */
  const plainFlow = (g: World['groups']) =>
    salesQueue(g.sales, { label: 'Sales', transferPrompt: say('Connecting you to sales.') });

  async function patchGroup(w: World, id: string, body: Record<string, unknown>): Promise<void> {
    const res = await live.t.request('PATCH', `/api/v1/skill-groups/${id}`, { token: w.admin.token, body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  it('[IVR-20] a group that names an overflow group: its callers reach the backup agent when sales is all busy', async () => {
    const w = await world('group-overflow', plainFlow);
    await state(w, 0, 'notReady');
    await state(w, 1, 'notReady');
    await state(w, 2, 'idle');
    // Without the group's setting, the caller would wait for sales (nobody idle there).
    await patchGroup(w, w.groups.sales, { overflowSkillGroupId: w.groups.backup });
    const { sessionId } = await servedBy(w, 2, '13900004101');
    expect(await recordAs(live, w.admin, sessionId)).toMatchObject(backupServed(w));
    expect(w.devices[0]!.rings).toHaveLength(0);
  });

  it('[RT-06] [CTL-06] a group’s own wrap-up applies to calls served through it; without one, the tenant’s', async () => {
    const w = await world('group-wrap-up', plainFlow);
    // The tenant's wrap-up is 0 (straight back to idle); sales asks for a wrap-up the agent ends.
    await patchGroup(w, w.groups.sales, { wrapUpSeconds: 600, wrapUpAutoEnd: false });
    await state(w, 0, 'idle');
    await servedBy(w, 0, '13900004102');
    const me = (i: number) =>
      live.t.request('GET', '/api/v1/agents/me', { token: w.agents[i]!.token }).then((r) => r.body);
    await expect.poll(async () => (await me(0)).state).toBe('afterCallWork');
    // Ended by the agent only (no timer), as CTL-06 says for wrapUpAutoEnd false.
    expect((await me(0)).wrapUpUntil ?? null).toBeNull();

    // The same agent served through a group without its own wrap-up: the tenant's (none).
    await patchGroup(w, w.groups.sales, { wrapUpSeconds: null, wrapUpAutoEnd: null });
    await state(w, 0, 'idle');
    await servedBy(w, 0, '13900004103');
    await expect.poll(async () => (await me(0)).state).toBe('idle');
  });
});

describe('preferred agent', () => {
  it('[IVR-21] the caller keys in the staff number of their agent in the IVR: that agent rings first', async () => {
    const w = await world(
      'prefer-ivr',
      (g) =>
        ({
          start: 'ask',
          variables: [{ name: 'myAgent', default: '' }],
          nodes: [
            {
              id: 'ask',
              type: 'collect',
              label: 'Your agent',
              prompt: { kind: 'say', text: 'Enter the staff number of your agent, then hash.' },
              mode: 'terminated',
              digits: 8,
              timeoutSeconds: 8,
              maxRetries: 1,
              variable: 'myAgent',
              next: 'to-sales',
            },
            {
              id: 'to-sales',
              type: 'transfer',
              label: 'Sales',
              target: { type: 'skillGroup', skillGroupId: g.sales },
              preferredAgentVariable: 'myAgent',
              priority: 100,
              waitPrompt: { kind: 'say', text: 'Please hold for your agent.' },
            },
          ],
        }) as IvrGraph,
    );
    // Agent 0 has been idle longest, but the caller asks for agent 1, who is busy at first.
    await state(w, 0, 'idle');
    await state(w, 1, 'notReady');
    await live.t.request('PUT', '/api/v1/settings/agent', {
      token: w.admin.token,
      body: { preferredAgentWaitSeconds: 60 },
    });
    await live.t.app.database.pool.query(`update agents set state = 'busy' where user_id = $1`, [w.agents[1]!.id]);
    const call = await live.sim.placeCall({ from: '13900004101', to: w.number });
    await call.expectPrompt(/staff number of your agent/);
    call.press(`${w.staffNos[1]}#`);
    await call.expectPrompt(/Please hold for your agent/);
    // Held for agent 1 while they are busy: a dispatch for the group (what the sweeper would
    // run next) offers it to nobody, so agent 0 stays quiet.
    expect(await live.t.app.container.cradle.acdService.dispatch(w.tenantId, w.groups.sales)).toBe(0);
    expect(w.devices[0]!.rings).toHaveLength(0);
    // Agent 1 frees up within the window and gets the call.
    await live.t.app.database.pool.query(`update agents set state = 'idle' where user_id = $1`, [w.agents[1]!.id]);
    await live.t.app.container.cradle.acdService.dispatchForAgent(w.tenantId, w.agents[1]!.id);
    live.signedIn(w.agents[1]!);
    const ring = await w.devices[1]!.nextRing({ timeoutMs: 10_000 });
    const sessionId = await sessionIdOf(live, call);
    await talkAndHangUp(call, ring.answer());
    const cdr = await recordAs(live, w.admin, sessionId);
    expect(cdr.agentId).toBe(w.agents[1]!.id);
    expect(w.devices[0]!.rings).toHaveLength(0);
  });

  it('[IVR-21] a CRM marks the caller’s number through the API before the call; an unavailable agent falls back to the group', async () => {
    const w = await world('prefer-api', (g) =>
      salesQueue(g.sales, { label: 'Sales', priority: 100, waitPrompt: say('Please hold.') }),
    );
    const key = (
      await live.t.request('POST', '/api/v1/api-keys', {
        token: w.admin.token,
        body: { name: 'crm', scopes: ['routing:write'] },
      })
    ).body.key as string;
    const mark = await live.t.request('POST', '/api/v1/routing/preferred-agents', {
      token: key,
      body: { callerNumber: '+8613900004201', staffNo: w.staffNos[1], expiresInSeconds: 600 },
    });
    expect(mark.status, JSON.stringify(mark.body)).toBe(201);
    await state(w, 0, 'idle');
    await state(w, 1, 'idle');
    const call = await live.sim.placeCall({ from: '+8613900004201', to: w.number });
    const ring = await w.devices[1]!.nextRing({ timeoutMs: 10_000 });
    await talkAndHangUp(call, ring.answer());
    expect(w.devices[0]!.rings).toHaveLength(0);

    // The same caller again, while the preferred agent is notReady: the group serves at once.
    await state(w, 1, 'notReady');
    const again = await live.sim.placeCall({ from: '+8613900004201', to: w.number });
    const ring2 = await w.devices[0]!.nextRing({ timeoutMs: 10_000 });
    await talkAndHangUp(again, ring2.answer());
    expect(w.devices[1]!.rings).toHaveLength(1);
  });
});
