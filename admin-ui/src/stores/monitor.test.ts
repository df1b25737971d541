/**
 * The monitor store follows the server's events (MON-01/02/03) without reading the lists again:
 * `monitor.agent` / `monitor.skillGroup` replace a row's live part (an older one is ignored),
 * `session.state` moves or removes a call (a call not listed yet is read once), and
 * `session.listen` / `session.party` show who listens.
 *
 * The server is a stub `fetch` answering the few requests the store makes, as the real routes do.
 */
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerEventType, ServerEvents, ServerFrame } from '@/api/realtime-events';
import { SESSION_KEY } from './auth';
import { useMonitorStore, type MonitorAgent, type MonitorSession, type MonitorSkillGroup } from './monitor';
import { useRealtimeStore } from './realtime';

const ME = '11111111-1111-4111-8111-111111111111';
const AMY = '22222222-2222-4222-8222-222222222222';
const GROUP = '33333333-3333-4333-8333-333333333333';
const CALL = '44444444-4444-4444-8444-444444444444';
const NEW_CALL = '55555555-5555-4555-8555-555555555555';
const LEG = '66666666-6666-4666-8666-666666666666';
const realFetch = globalThis.fetch;
const T0 = Date.parse('2026-12-03T10:00:00Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();

const amy: MonitorAgent = {
  agentId: AMY,
  name: 'Amy',
  staffNo: '3001',
  role: 'agent',
  skillGroups: [{ id: GROUP, name: 'presales' }],
  state: 'idle',
  reason: null,
  stateSince: iso(0),
  today: { online: 60, idle: 60, notReady: 0, rest: 0, busy: 0, afterCallWork: 0 },
  callsToday: 0,
  currentCall: null,
  at: iso(10),
};
const presales: MonitorSkillGroup = {
  skillGroupId: GROUP,
  name: 'presales',
  type: 'inbound',
  agents: { online: 1, idle: 1, ringing: 0, busy: 0, afterCallWork: 0, notReady: 0, rest: 0, offline: 0 },
  queueLength: 0,
  longestWaitSince: null,
  callsToday: 0,
  answeredToday: 0,
  at: iso(10),
};
const queued = (id: string): MonitorSession => ({
  sessionId: id,
  state: 'queued',
  direction: 'inbound',
  caller: '13900000001',
  callee: '4001',
  skillGroup: { id: GROUP, name: 'presales' },
  agent: null,
  roomId: id,
  accessNumber: '4001',
  startedAt: iso(0),
  queuedAt: iso(5),
  acceptedAt: null,
  held: false,
  listeners: [],
});

let serverSessions: MonitorSession[] = [];
let sessionReads = 0;

function send<T extends ServerEventType>(type: T, data: ServerEvents[T]): void {
  useRealtimeStore().dispatch({ type, data, id: crypto.randomUUID(), at: new Date().toISOString() } as ServerFrame);
}

beforeEach(() => {
  localStorage.setItem(
    SESSION_KEY,
    JSON.stringify({
      accessToken: 'a',
      refreshToken: 'r',
      expiresAt: Date.now() + 60_000,
      user: { id: ME, tenantId: ME, email: 'me@x.y', mobile: null, name: 'Sue', staffNo: '2000', role: 'supervisor' },
    }),
  );
  serverSessions = [queued(CALL)];
  sessionReads = 0;
  globalThis.fetch = (async (req: Request) => {
    const path = new URL(req.url, 'http://x').pathname;
    const json = (status: number, data: unknown) =>
      new Response(JSON.stringify(data), { status, headers: { 'Content-Type': 'application/json' } });
    if (path === '/api/v1/monitor/agents') return json(200, { items: [amy] });
    if (path === '/api/v1/monitor/skill-groups') return json(200, { items: [presales] });
    if (path === '/api/v1/monitor/sessions') {
      sessionReads++;
      return json(200, { items: serverSessions });
    }
    if (path === '/api/v1/tenant') return json(200, { id: ME, edition: 'advanced' });
    return json(404, { error: { code: 'not_found', message: 'no' } });
  }) as typeof fetch;
  setActivePinia(createPinia());
});

afterEach(() => {
  globalThis.fetch = realFetch;
  localStorage.clear();
});

describe('monitor store', () => {
  it('[MON-01] [MON-02] applies monitor.agent and monitor.skillGroup rows live, never going back in time', async () => {
    const m = useMonitorStore();
    await m.start();
    expect(m.agents.map((a) => a.state)).toEqual(['idle']);
    expect(m.canListen).toBe(true);

    send('monitor.agent', { ...amy, state: 'rest', reason: 'Meal', stateSince: iso(20), at: iso(20) });
    expect(m.agents[0]).toMatchObject({ state: 'rest', reason: 'Meal', name: 'Amy', skillGroups: amy.skillGroups });
    // An older row arriving late changes nothing.
    send('monitor.agent', { ...amy, state: 'idle', at: iso(15) });
    expect(m.agents[0]!.state).toBe('rest');

    send('monitor.skillGroup', { ...presales, queueLength: 2, longestWaitSince: iso(5), at: iso(21) });
    expect(m.groups[0]).toMatchObject({ name: 'presales', queueLength: 2, longestWaitSince: iso(5) });
  });

  it('[MON-03] follows calls: answered, listened to, ended; a new call is read once', async () => {
    const m = useMonitorStore();
    await m.start();
    send('session.state', {
      sessionId: CALL,
      state: 'bridged',
      previous: 'offering',
      reason: 'answered',
      direction: 'inbound',
      caller: '13900000001',
      callee: '4001',
      skillGroupId: GROUP,
      agentId: AMY,
      at: iso(30),
    });
    expect(m.sessions[0]).toMatchObject({
      state: 'bridged',
      agent: { id: AMY, name: 'Amy', staffNo: '3001' },
      acceptedAt: iso(30),
    });

    send('session.listen', { sessionId: CALL, supervisorId: ME, legId: LEG, listening: true });
    expect(m.sessions[0]!.listeners).toEqual([{ supervisorId: ME, legId: LEG, state: 'ringing' }]);
    expect(m.listening(CALL)).toBe(true);
    send('session.party', {
      sessionId: CALL,
      legId: LEG,
      role: 'supervisor',
      purpose: 'listen',
      state: 'joined',
      agentId: ME,
      number: null,
    });
    expect(m.sessions[0]!.listeners).toEqual([{ supervisorId: ME, legId: LEG, state: 'joined' }]);
    send('session.listen', { sessionId: CALL, supervisorId: ME, legId: LEG, listening: false });
    expect(m.sessions[0]!.listeners).toEqual([]);
    expect(m.listening(CALL)).toBe(false);

    // A call the monitor has not seen: the list is read again for its names.
    const before = sessionReads;
    serverSessions = [{ ...queued(CALL), state: 'bridged' }, queued(NEW_CALL)];
    send('session.state', {
      sessionId: NEW_CALL,
      state: 'ivr',
      previous: null,
      reason: 'incoming',
      direction: 'inbound',
      caller: '13900000002',
      callee: '4001',
      skillGroupId: null,
      agentId: null,
      at: iso(40),
    });
    await expect.poll(() => m.sessions.map((s) => s.sessionId)).toEqual([CALL, NEW_CALL]);
    expect(sessionReads).toBe(before + 1);

    send('session.state', {
      sessionId: CALL,
      state: 'ended',
      previous: 'bridged',
      reason: 'ended',
      direction: 'inbound',
      caller: '13900000001',
      callee: '4001',
      skillGroupId: GROUP,
      agentId: AMY,
      at: iso(50),
    });
    expect(m.sessions.map((s) => s.sessionId)).toEqual([NEW_CALL]);
  });
});
