import type { Cradle } from '../container.js';
import type { IvrGraph } from '../modules/ivr/flow-model.js';

/** The demo number: call it (from the simulator or a real jambonz) to reach the demo IVR. */
export const DEMO_NUMBER = '4001000000';

/**
 * The demo's line for ringing agents' mobiles (ADM-05): what an agent's phone shows when the
 * mini-program (or an agent who answers on their mobile) is called first for a call (OUT-05).
 */
export const DEMO_AGENT_LINE = '4001000009';

/** The demo IVR: welcome, then 1 → presales, 2 → after-sales. */
export function demoIvr(presalesId: string, afterSalesId: string): IvrGraph {
  return {
    start: 'welcome',
    nodes: [
      {
        id: 'welcome',
        type: 'play',
        label: 'Welcome',
        prompt: { kind: 'say', text: 'Welcome to the Switchboard demo contact center.' },
        next: 'menu',
      },
      {
        id: 'menu',
        type: 'menu',
        label: 'Main menu',
        prompt: { kind: 'say', text: 'For sales, press 1. For after-sales service, press 2.' },
        options: [
          { key: '1', label: 'Presales', next: 'to-presales' },
          { key: '2', label: 'After-sales', next: 'to-after-sales' },
        ],
        timeoutSeconds: 8,
        maxRetries: 2,
        invalidPrompt: { kind: 'say', text: 'Sorry, that is not a valid choice.' },
        onFail: 'goodbye',
      },
      {
        id: 'to-presales',
        type: 'transfer',
        label: 'Presales queue',
        target: { type: 'skillGroup', skillGroupId: presalesId },
        priority: 100,
      },
      {
        id: 'to-after-sales',
        type: 'transfer',
        label: 'After-sales queue',
        target: { type: 'skillGroup', skillGroupId: afterSalesId },
        priority: 100,
      },
      { id: 'goodbye', type: 'hangup', label: 'Goodbye', prompt: { kind: 'say', text: 'Goodbye.' } },
    ],
  };
}

/**
 * The demo's call path, idempotently: agents with WebRTC users `agent1`…, two skill groups
 * holding them, the demo IVR and number 4001000000 bound to it, and 4001000009 for ringing
 * agents' mobiles.
 */
export async function seedDemoCallCenter(
  deps: Pick<Cradle, 'agentService' | 'skillGroupRepo' | 'ivrRepo' | 'numberRepo'>,
  tenantId: string,
  agentUsers: Array<{ userId: string; sipUser: string }>,
): Promise<void> {
  for (const a of agentUsers) await deps.agentService.ensure(tenantId, a.userId, a.sipUser);
  const groups: string[] = [];
  for (const name of ['presales', 'after-sales']) {
    const g =
      (await deps.skillGroupRepo.findByName(tenantId, name)) ?? (await deps.skillGroupRepo.create(tenantId, { name }));
    for (const a of agentUsers) await deps.skillGroupRepo.addMember(tenantId, g.id, a.userId);
    groups.push(g.id);
  }
  const flow =
    (await deps.ivrRepo.findByName(tenantId, 'Demo IVR')) ??
    (await deps.ivrRepo.create(tenantId, 'Demo IVR', demoIvr(groups[0]!, groups[1]!)));
  if (!(await deps.numberRepo.findByNumber(DEMO_NUMBER))) {
    await deps.numberRepo.create(tenantId, { number: DEMO_NUMBER, label: 'Demo hotline', ivrFlowId: flow.id });
  }
  if (!(await deps.numberRepo.findByNumber(DEMO_AGENT_LINE))) {
    const line = await deps.numberRepo.create(tenantId, { number: DEMO_AGENT_LINE, label: 'Agent mobiles' });
    await deps.numberRepo.setAgentMobile(tenantId, line.id, true);
  }
}
