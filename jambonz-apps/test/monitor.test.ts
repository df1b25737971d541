/**
 * Live monitors through the jambonz simulator (MON-01/02/03): a real call moves the skill
 * group's queue and the agent's row on the supervisor's monitor, live over `/ws` and in the
 * REST lists; the supervisor listens in (a muted leg in the call's room) and leaves, which the
 * live call list shows.
 */
import { describe, expect, it } from 'vitest';
import { setAgentState } from '../../core/test/support/call-center.js';
import { until } from './support/harness.js';
import { callPresales, sessionIdOf, socket, useLiveWorld } from './support/live-world.js';

const w = useLiveWorld({ secret: 'monitor-secret', timeScale: 0.02, calls: { wrapUpSeconds: 0 } });

const get = (token: string, path: string) => w.t.request('GET', `/api/v1${path}`, { token });

describe('live monitors', () => {
  it('[MON-01] [MON-02] [MON-03] a call queues, is answered and listened to: the monitors follow it live', async () => {
    const cc = await w.center({ slug: 'monitor-live', agents: 1 });
    w.signedIn(cc.supervisor);
    const agent = cc.agents[0]!;
    const device = w.sim.registerUser(agent.sipUser);
    const presales = cc.groups.presales;
    // Online but not taking calls: the caller waits in the queue.
    await setAgentState(w.t, agent, 'notReady');
    const sup = await socket(w, cc.supervisor);
    const agentWs = await socket(w, agent);

    const call = await callPresales(w, cc, '13900002001');
    const sessionId = await sessionIdOf(w, call);
    // MON-02: the queue grows on the monitor.
    const queued = await sup.next('monitor.skillGroup', (d) => d.skillGroupId === presales && d.queueLength === 1);
    expect(queued.data.longestWaitSince).toEqual(expect.any(String));
    expect(queued.data.agents).toMatchObject({ online: 1, notReady: 1 });
    const live = await until(async () => {
      const r = await get(cc.supervisor.token, '/monitor/sessions');
      return r.body.items.find(
        (s: { sessionId: string; state: string }) => s.sessionId === sessionId && s.state === 'queued',
      );
    }, 'queued call in the list');
    expect(live).toMatchObject({ caller: '13900002001', skillGroup: { id: presales, name: 'presales' }, agent: null });

    // The agent becomes free and answers: their row shows the call, the queue empties.
    await setAgentState(w.t, agent, 'idle');
    const leg = (await device.nextRing({ timeoutMs: 10_000 })).answer();
    await until(async () => call.conference && call.conference === leg.conference, 'bridged');
    const busy = await sup.next('monitor.agent', (d) => d.agentId === agent.id && d.state === 'busy');
    expect(busy.data.currentCall).toMatchObject({ sessionId, direction: 'inbound', customer: '13900002001' });
    await sup.next(
      'monitor.skillGroup',
      (d) => d.skillGroupId === presales && d.queueLength === 0 && d.answeredToday === 1 && d.agents.busy === 1,
    );
    const agents = await get(cc.supervisor.token, '/monitor/agents');
    expect(agents.body.items.find((a: { agentId: string }) => a.agentId === agent.id)).toMatchObject({
      state: 'busy',
      callsToday: 1,
      currentCall: { sessionId },
    });

    // MON-03: the supervisor listens in from their own softphone, muted, then leaves.
    await w.t.app.container.cradle.agentService.ensure(cc.tenantId, cc.supervisor.id, 'monitor-live-sup');
    const supDevice = w.sim.registerUser('monitor-live-sup');
    const res = await w.t.request('POST', `/api/v1/sessions/${sessionId}/listen`, { token: cc.supervisor.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const ear = (await supDevice.nextRing({ timeoutMs: 10_000 })).answer();
    await until(async () => ear.conference === call.conference, 'supervisor in the room');
    const listening = await until(async () => {
      const r = await get(cc.supervisor.token, '/monitor/sessions');
      const s = r.body.items.find((x: { sessionId: string }) => x.sessionId === sessionId);
      return s?.listeners.some((l: { state: string }) => l.state === 'joined') ? s : undefined;
    }, 'listener in the list');
    expect(listening).toMatchObject({
      state: 'bridged',
      agent: { id: agent.id },
      listeners: [{ supervisorId: cc.supervisor.id, legId: res.body.legId, state: 'joined' }],
    });
    call.speak('my order number is 42');
    expect(ear.heard).toContain('my order number is 42');
    leg.speak('let me look');
    expect(call.heard).toContain('let me look');
    ear.speak('psst');
    expect(call.heard).not.toContain('psst');
    expect(leg.heard).not.toContain('psst');
    expect(
      (await w.t.request('POST', `/api/v1/sessions/${sessionId}/listen/leave`, { token: cc.supervisor.token })).status,
    ).toBe(200);
    await ear.ended;
    await until(async () => {
      const r = await get(cc.supervisor.token, '/monitor/sessions');
      return r.body.items.find(
        (x: { sessionId: string; listeners: unknown[] }) => x.sessionId === sessionId && x.listeners.length === 0,
      );
    }, 'listener gone');

    // The call ends: gone from the live list; the agent is free again.
    call.hangup();
    await leg.ended;
    await sup.next('monitor.agent', (d) => d.agentId === agent.id && d.state === 'idle' && d.currentCall === null);
    await until(async () => {
      const r = await get(cc.supervisor.token, '/monitor/sessions');
      return r.body.items.every((x: { sessionId: string }) => x.sessionId !== sessionId) ? true : undefined;
    }, 'call gone from the list');
    // The agent's own socket never carried a monitor row.
    expect(agentWs.frames.filter((f) => f.type.startsWith('monitor.'))).toEqual([]);
  });
});
