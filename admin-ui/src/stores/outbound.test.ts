/**
 * The dialling card follows `session.outbound` (OUT-01): stages only move forward, the first
 * event or the dial's answer — whichever comes first — starts the card, other agents' calls are
 * not shown, and the pad says why it cannot dial while the agent is on a call.
 */
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerEvents, ServerFrame } from '@/api/realtime-events';
import { useAgentStore, type Agent } from './agent';
import { SESSION_KEY } from './auth';
import { useOutboundStore } from './outbound';
import { useRealtimeStore } from './realtime';

const ME = '11111111-1111-4111-8111-111111111111';
const SESSION = '44444444-4444-4444-8444-444444444444';
const realFetch = globalThis.fetch;
let posted: Array<{ path: string; body: unknown }> = [];
let eventsBeforeAnswer: Array<ServerEvents['session.outbound']['stage']> = [];

function progress(
  stage: ServerEvents['session.outbound']['stage'],
  patch: Partial<ServerEvents['session.outbound']> = {},
): ServerFrame {
  return {
    type: 'session.outbound',
    id: crypto.randomUUID(),
    at: new Date().toISOString(),
    data: {
      sessionId: SESSION,
      stage,
      kind: 'outbound',
      agentId: ME,
      callerId: '4001000000',
      callee: '139****1003',
      skillGroupId: null,
      annotations: {},
      at: new Date().toISOString(),
      ...patch,
    },
  };
}

function agentRow(state: Agent['state']): Agent {
  return {
    userId: ME,
    state,
    reason: null,
    stateSince: new Date().toISOString(),
    sipUser: 'agent1',
    currentSessionId: null,
    wrapUpUntil: null,
    callsTaken: 0,
    missedOffers: 0,
  } as Agent;
}

beforeEach(() => {
  localStorage.setItem(
    SESSION_KEY,
    JSON.stringify({
      accessToken: 'a',
      refreshToken: 'r',
      expiresAt: Date.now() + 60_000,
      user: { id: ME, tenantId: ME, email: 'me@x.y', mobile: null, name: 'Me', staffNo: '3003', role: 'agent' },
    }),
  );
  posted = [];
  eventsBeforeAnswer = [];
  globalThis.fetch = (async (req: Request) => {
    const url = new URL(req.url, 'http://x');
    posted.push({
      path: url.pathname,
      body: await req
        .clone()
        .json()
        .catch(() => undefined),
    });
    if (url.pathname === '/api/v1/calls/outbound') {
      // The socket may be quicker than the answer: the first progress events arrive first.
      for (const stage of eventsBeforeAnswer) useRealtimeStore().dispatch(progress(stage));
      return new Response(JSON.stringify({ sessionId: SESSION, callerId: '4001000000', callee: '139****1003' }), {
        status: 202,
        headers: { 'Content-Type': 'application/json' },
      });
    }
    return new Response('{}', { status: 200, headers: { 'Content-Type': 'application/json' } });
  }) as typeof fetch;
  setActivePinia(createPinia());
});
afterEach(() => {
  globalThis.fetch = realFetch;
});

describe('outbound store', () => {
  it('[OUT-01] follows session.outbound forward only, and ignores other agents’ calls', () => {
    const outbound = useOutboundStore();
    const realtime = useRealtimeStore();
    realtime.dispatch(progress('dialingAgent', { agentId: '99999999-9999-4999-8999-999999999999' }));
    expect(outbound.call).toBeNull();
    realtime.dispatch(progress('dialingAgent'));
    expect(outbound.call).toMatchObject({ stage: 'dialingAgent', callee: '139****1003', callerId: '4001000000' });
    realtime.dispatch(progress('dialingCustomer'));
    realtime.dispatch(progress('agentAnswered')); // late: ignored
    expect(outbound.call?.stage).toBe('dialingCustomer');
    realtime.dispatch(progress('connected'));
    expect(outbound.call?.connectedAt).not.toBeNull();
    expect(outbound.live).toBe(true);
    realtime.dispatch(progress('ended', { endStatusString: 'ok', hungUpSide: 'user' }));
    expect(outbound.call).toMatchObject({ stage: 'ended', endStatusString: 'ok', hungUpSide: 'user' });
    expect(outbound.live).toBe(false);
    outbound.dismiss();
    expect(outbound.call).toBeNull();
  });

  it('[OUT-01] the dial’s answer and an earlier event make one card; the number goes as typed', async () => {
    const outbound = useOutboundStore();
    useAgentStore().agent = agentRow('notReady');
    eventsBeforeAnswer = ['dialingAgent', 'agentAnswered'];
    expect(await outbound.dial('13900001003', '8001')).toBe(true);
    expect(posted.find((p) => p.path === '/api/v1/calls/outbound')?.body).toEqual({ to: '13900001003' });
    expect(outbound.call).toMatchObject({ sessionId: SESSION, stage: 'agentAnswered', extension: '8001' });
  });

  it('[OUT-10] a customer’s ID is sent as the ID, never as the digits in it', async () => {
    const outbound = useOutboundStore();
    useAgentStore().agent = agentRow('notReady');
    expect(await outbound.dial('U10023')).toBe(true);
    expect(posted.find((p) => p.path === '/api/v1/calls/outbound')?.body).toEqual({ customerId: 'U10023' });
  });

  it('[OUT-01] cannot dial while on a call, ringing, in wrap-up, offline or already dialling — and says which', async () => {
    const outbound = useOutboundStore();
    const agent = useAgentStore();
    const cases: Array<[Agent['state'], string | null]> = [
      ['busy', 'onCall'],
      ['ringing', 'ringing'],
      ['afterCallWork', 'wrapUp'],
      ['offline', 'offline'],
      ['idle', null],
      ['rest', null],
    ];
    for (const [state, block] of cases) {
      agent.agent = agentRow(state);
      expect(outbound.block, state).toBe(block);
    }
    agent.agent = agentRow('busy');
    expect(await outbound.dial('13900001003')).toBe(false);
    expect(posted).toEqual([]);
    agent.agent = agentRow('idle');
    useRealtimeStore().dispatch(progress('dialingAgent'));
    expect(outbound.block).toBe('dialling');
  });

  it('[OUT-06] sends extension digits only once connected, and remembers what was sent', async () => {
    const outbound = useOutboundStore();
    const realtime = useRealtimeStore();
    realtime.dispatch(progress('customerRinging'));
    expect(await outbound.sendDigits('1')).toBe(false);
    realtime.dispatch(progress('connected'));
    expect(await outbound.sendDigits('80')).toBe(true);
    expect(await outbound.sendDigits('1#')).toBe(true);
    expect(posted.filter((p) => p.path === `/api/v1/sessions/${SESSION}/dtmf`).map((p) => p.body)).toEqual([
      { digits: '80' },
      { digits: '1#' },
    ]);
    expect(outbound.call?.digitsSent).toBe('801#');
  });

  it('[OUT-01] "call again" dials the number typed here again; a call placed elsewhere is called back', async () => {
    const outbound = useOutboundStore();
    const realtime = useRealtimeStore();
    useAgentStore().agent = agentRow('idle');
    expect(await outbound.dial('13900001003')).toBe(true);
    realtime.dispatch(progress('ended', { endStatusString: 'notAnswer' }));
    expect(await outbound.callAgain()).toBe(true);
    expect(posted.filter((p) => p.path === '/api/v1/calls/outbound').map((p) => p.body)).toEqual([
      { to: '13900001003' },
      { to: '13900001003' },
    ]);
    // A call this tab did not dial (another tab, a redial): the server's callback of it.
    const other = '55555555-5555-4555-8555-555555555555';
    realtime.dispatch(progress('dialingAgent', { sessionId: other }));
    realtime.dispatch(progress('ended', { sessionId: other, endStatusString: 'busy' }));
    await outbound.callAgain();
    expect(posted.at(-1)?.path).toBe(`/api/v1/sessions/${other}/redial`);
  });
});
