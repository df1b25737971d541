import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ServerFrame } from '@/api/realtime-events';
import { useAgentStore, type Agent } from './agent';
import { SESSION_KEY, useAuthStore } from './auth';
import { useRealtimeStore } from './realtime';

const ME = '11111111-1111-4111-8111-111111111111';

function agentRow(patch: Partial<Agent> = {}): Agent {
  return {
    userId: ME,
    state: 'idle',
    reason: null,
    stateSince: '2026-01-01T10:00:00.000Z',
    sipUser: 'agent1',
    currentSessionId: null,
    wrapUpUntil: null,
    resumeState: null,
    callsTaken: 0,
    missedOffers: 0,
    ...patch,
  };
}

function statusFrame(data: Partial<ServerFrame<'agent.status'>['data']>, id = crypto.randomUUID()): ServerFrame {
  return {
    type: 'agent.status',
    id,
    at: data.at ?? '2026-01-01T10:05:00.000Z',
    data: { agentId: ME, from: 'idle', to: 'rest', at: '2026-01-01T10:05:00.000Z', ...data },
  };
}

describe('agent store', () => {
  beforeEach(() => {
    localStorage.setItem(
      SESSION_KEY,
      JSON.stringify({
        accessToken: 'a',
        refreshToken: 'r',
        expiresAt: Date.now() + 60_000,
        user: { id: ME, tenantId: ME, email: 'a@b.c', mobile: null, name: 'A', staffNo: '1', role: 'agent' },
      }),
    );
    setActivePinia(createPinia());
  });

  it('[AGT-01] follows agent.status events for the signed-in agent, with reason and time', () => {
    const agent = useAgentStore();
    const realtime = useRealtimeStore();
    expect(useAuthStore().user?.id).toBe(ME);
    agent.agent = agentRow();
    realtime.dispatch(statusFrame({ to: 'rest', reason: 'Meal' }));
    expect(agent.state).toBe('rest');
    expect(agent.reason).toBe('Meal');
    expect(agent.stateSince).toBe(Date.parse('2026-01-01T10:05:00.000Z'));
  });

  it('ignores other agents, repeated frames and events older than what it knows', () => {
    const agent = useAgentStore();
    const realtime = useRealtimeStore();
    agent.agent = agentRow({ state: 'notReady', stateSince: '2026-01-01T10:10:00.000Z' });
    realtime.dispatch(statusFrame({ agentId: '22222222-2222-4222-8222-222222222222', to: 'idle' }));
    realtime.dispatch(statusFrame({ to: 'idle', at: '2026-01-01T10:09:00.000Z' }));
    expect(agent.state).toBe('notReady');
    const frame = statusFrame({ to: 'idle', at: '2026-01-01T10:11:00.000Z' });
    realtime.dispatch(frame);
    expect(agent.state).toBe('idle');
    agent.agent = { ...agent.agent!, state: 'notReady' };
    realtime.dispatch(frame);
    expect(agent.state).toBe('notReady');
  });

  it('[AGT-01] offers only the changes the server allows from each state', () => {
    const agent = useAgentStore();
    agent.agent = agentRow({ state: 'offline' });
    expect(agent.allows('idle')).toBe(true);
    expect(agent.allows('rest')).toBe(false);
    agent.agent = agentRow({ state: 'busy' });
    expect(agent.canChoose).toBe(false);
    agent.agent = agentRow({ state: 'afterCallWork' });
    expect(agent.allows('idle')).toBe(true);
  });
});
