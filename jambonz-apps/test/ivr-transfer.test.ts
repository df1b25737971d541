/**
 * The transfer node's own prompts, heard by a real (simulated) caller: transferring, queue wait
 * with `${WaitNo}`, no agent online, and the connect prompt with `${StaffNo}`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedCallCenter, setAgentState, type CallCenter } from '../../core/test/support/call-center.js';
import { startTestApp, type TestApp } from '../../core/test/support/test-app.js';
import type { IvrGraph } from '../../core/src/modules/ivr/flow-model.js';
import { jambonz } from '../src/app/adapter.js';
import type { JambonzSimulator } from '../src/simulator/index.js';
import { until } from './support/harness.js';

let t: TestApp;
let sim: JambonzSimulator;
let cc: CallCenter;

function flow(groupId: string): IvrGraph {
  return {
    start: 'to-sales',
    nodes: [
      {
        id: 'to-sales',
        type: 'transfer',
        label: 'Sales queue',
        target: { type: 'skillGroup', skillGroupId: groupId },
        priority: 100,
        transferPrompt: { kind: 'say', text: 'Connecting you to sales.' },
        waitPrompt: { kind: 'say', text: 'There are ${WaitNo} callers ahead of you.' },
        noAgentPrompt: { kind: 'say', text: 'Sales is closed right now.' },
        connectPrompt: { kind: 'say', text: 'Agent ${StaffNo} will help you.' },
      },
    ],
  } as IvrGraph;
}

beforeAll(async () => {
  t = await startTestApp({
    config: {
      telephony: jambonz({ apiBaseUrl: 'simulator', webhookSecret: 'ivr-transfer', simulator: { timeScale: 0.02 } }),
      calls: { wrapUpSeconds: 0, sweepIntervalMs: 200 },
    },
  });
  sim = t.app.telephony!.extra!.simulator as JambonzSimulator;
  cc = await seedCallCenter(t, { slug: 'ivrx', agents: 1 });
  const { ivrRepo } = t.app.container.cradle;
  const f = await ivrRepo.create(cc.tenantId, 'Transfer prompts', flow(cc.groups.presales));
  await t.app.database.pool.query('update numbers set ivr_flow_id = $1 where tenant_id = $2', [f.id, cc.tenantId]);
});
afterEach(() => {
  expect(sim.alerts).toEqual([]);
});
afterAll(async () => {
  await t?.stop();
});

describe('transfer prompts', () => {
  it('[IVR-18] plays the node’s no-agent prompt when nobody of the group is online', async () => {
    const call = await sim.placeCall({ from: '13911110001', to: cc.number });
    await call.expectPrompt(/Sales is closed right now/);
    await call.ended;
    expect(call.heard.join(' ')).not.toMatch(/All our agents are offline/);
    const sessionId = (
      await t.app.database.pool.query('select id from call_sessions where customer_call_sid = $1', [call.callSid])
    ).rows[0].id;
    const cdr = await until(
      async () => (await t.request('GET', `/api/v1/records/${sessionId}`, { token: cc.admin.token })).body.endStatus,
      'cdr',
    );
    expect(cdr).toBe(105);
  });

  it('[IVR-14] [IVR-15] [IVR-19] says the transferring, queue (${WaitNo}) and connect (${StaffNo}) prompts', async () => {
    const agent = cc.agents[0]!;
    await setAgentState(t, agent, 'notReady'); // online, not taking calls: the caller waits
    const device = sim.registerUser(agent.sipUser);
    const call = await sim.placeCall({ from: '13911110002', to: cc.number });
    await call.expectPrompt(/Connecting you to sales/);
    await call.expectPrompt(/There are 0 callers ahead of you/);
    await setAgentState(t, agent, 'idle');
    const leg = (await device.nextRing({ timeoutMs: 10_000 })).answer();
    const staffNo = (await t.app.database.pool.query('select staff_no from users where id = $1', [agent.id])).rows[0]
      .staff_no;
    await call.expectPrompt(new RegExp(`Agent ${staffNo} will help you`));
    await until(async () => call.conference && call.conference === leg.conference, 'bridged');
    call.hangup();
    await leg.ended;
    await setAgentState(t, agent, 'offline');
  });
});
