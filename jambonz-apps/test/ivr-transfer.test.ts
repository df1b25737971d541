/**
 * The transfer node's own prompts, heard by a real (simulated) caller: transferring, queue wait
 * with `${WaitNo}`, no agent online, and the connect prompt with `${StaffNo}`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { setAgentState } from '../../core/test/support/call-center.js';
import type { IvrGraphInput } from '../../core/src/modules/ivr/flow-model.js';
import { salesQueue } from './support/ivr-graphs.js';
import { cdrOfCall, onHotline, say, storeFlow } from './support/ivr-world.js';
import { talkAndHangUp, useLiveWorld } from './support/live-world.js';

const w = useLiveWorld({
  secret: 'ivr-transfer',
  timeScale: 0.02,
  calls: { wrapUpSeconds: 0, sweepIntervalMs: 200 },
  center: { slug: 'ivrx', agents: 1 },
});

function flow(groupId: string): IvrGraphInput {
  return salesQueue(groupId, {
    priority: 100,
    transferPrompt: say('Connecting you to sales.'),
    waitPrompt: say('There are ${WaitNo} callers ahead of you.'),
    noAgentPrompt: say('Sales is closed right now.'),
    connectPrompt: say('Agent ${StaffNo} will help you.'),
  });
}

beforeAll(async () => {
  await onHotline(w, await storeFlow(w, flow(w.cc.groups.presales), 'Transfer prompts'));
});

describe('transfer prompts', () => {
  it('[IVR-18] plays the node’s no-agent prompt when nobody of the group is online', async () => {
    const call = await w.sim.placeCall({ from: '13911110001', to: w.cc.number });
    await call.expectPrompt(/Sales is closed right now/);
    await call.ended;
    expect(call.heard.join(' ')).not.toMatch(/All our agents are offline/);
    expect((await cdrOfCall(w, call)).endStatus).toBe(105);
  });

  it('[IVR-14] [IVR-15] [IVR-19] says the transferring, queue (${WaitNo}) and connect (${StaffNo}) prompts', async () => {
    const agent = w.cc.agents[0]!;
    await setAgentState(w.t, agent, 'notReady'); // online, not taking calls: the caller waits
    const device = w.sim.registerUser(agent.sipUser);
    const call = await w.sim.placeCall({ from: '13911110002', to: w.cc.number });
    await call.expectPrompt(/Connecting you to sales/);
    await call.expectPrompt(/There are 0 callers ahead of you/);
    await setAgentState(w.t, agent, 'idle');
    const leg = (await device.nextRing({ timeoutMs: 10_000 })).answer();
    const staffNo = (await w.t.app.database.pool.query('select staff_no from users where id = $1', [agent.id])).rows[0]
      .staff_no;
    await call.expectPrompt(new RegExp(`Agent ${staffNo} will help you`));
    await talkAndHangUp(call, leg);
  });
});
