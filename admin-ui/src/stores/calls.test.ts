import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import {
  agentRow,
  fakeServer,
  frame,
  GROUP,
  ME,
  OFFER,
  offerData,
  OTHER,
  SESSION,
  sessionView,
  signInAgent,
  TestPhone,
} from '@/test-support/call-fixtures';
import { useAgentStore } from './agent';
import { cardsOf, locationText } from './call-model';
import { NOTES_DEBOUNCE_MS, useCallsStore } from './calls';
import { setPhoneFactory, usePhoneStore } from './phone';
import { useRealtimeStore } from './realtime';

const realFetch = globalThis.fetch;

function world(routes: Parameters<typeof fakeServer>[0] = {}) {
  const server = fakeServer({
    'GET /api/v1/tenant': { body: { id: ME, slug: 'demo', name: 'Demo', edition: 'advanced', settings: {} } },
    'GET /api/v1/me/answering': { body: { answerMode: 'webrtc', autoAnswer: false } },
    'GET /api/v1/agents/me': { body: agentRow() },
    'GET /api/v1/settings/agent': {
      body: {
        restReasons: ['Meal'],
        defaultLoginState: 'idle',
        wrapUpSeconds: 30,
        wrapUpAutoEnd: true,
        lastAgentFirst: true,
        preferredAgentWaitSeconds: 20,
        outboundMemoryDays: 0,
        outboundMemoryFallback: 'wait',
      },
    },
    [`GET /api/v1/sessions/${SESSION}`]: { body: sessionView() },
    ...routes,
  });
  globalThis.fetch = server.fetch;
  const phone = new TestPhone();
  setPhoneFactory(async () => phone);
  const realtime = useRealtimeStore();
  const agent = useAgentStore();
  const calls = useCallsStore();
  const phoneStore = usePhoneStore();
  return { server, phone, realtime, agent, calls, phoneStore };
}

/** Moves the signed-in agent's state as the server announces it. */
function status(realtime: ReturnType<typeof useRealtimeStore>, from: string, to: string) {
  realtime.dispatch(frame('agent.status', { agentId: ME, from, to, at: new Date().toISOString(), by: 'system' }));
}

describe('calls store', () => {
  beforeEach(() => {
    signInAgent();
    setActivePinia(createPinia());
  });
  afterEach(() => {
    globalThis.fetch = realFetch;
    vi.useRealTimers();
  });

  it('[IN-04] [IN-05] [IN-06] [IN-07] [INT-02] a call.offer rings with the masked caller, the company number, location, IVR keys and the CRM card', async () => {
    const { realtime, calls, agent } = world();
    agent.agent = agentRow() as never;
    realtime.dispatch(frame('call.offer', offerData()));
    expect(calls.phase).toBe('ringing');
    const r = calls.ringing!;
    expect(r.customer).toBe('139****5678');
    expect(r.companyNumber).toEqual({ number: '4001000000', label: 'Demo hotline' });
    expect(locationText(r.callerLocation, 'zh-CN')).toBe('广东省 广州市 · 中国移动');
    expect(locationText(r.callerLocation, 'en')).toBe('Guangzhou, Guangdong · China Mobile');
    expect(r.ivrKeys).toEqual([{ key: '1', label: 'Presales' }]);
    expect(r.ringTimeoutSeconds).toBe(20);
    expect(cardsOf(r.annotations).map((c) => [c.key, c.card.status, c.card.title])).toEqual([
      ['screenPop', 'found', 'Wei Li'],
    ]);
  });

  it('[IN-04] [CTL-06] offer → ringing → answered on the softphone → accepted → wrap-up → idle, from the server’s events', async () => {
    const { realtime, calls, agent, phone, phoneStore, server } = world();
    agent.agent = agentRow() as never;
    await phoneStore.start();
    realtime.dispatch(frame('call.offer', offerData()));
    status(realtime, 'idle', 'ringing');
    phone.ring();
    expect(phoneStore.ringing?.id).toBe('sim-call-1');

    expect(await calls.answer()).toBe(true);
    expect(phone.asked).toContain('answer');
    expect(calls.accepting).toBe(true);
    expect(calls.phase).toBe('ringing');

    realtime.dispatch(frame('call.accepted', { sessionId: SESSION, offerId: OFFER }));
    status(realtime, 'ringing', 'busy');
    expect(calls.phase).toBe('active');
    expect(calls.live?.customer).toBe('139****5678');
    expect(calls.live?.skillGroupName).toBe('presales');
    await flushPromises();
    expect(server.requests.some((r) => r.method === 'GET' && r.path === `/api/v1/sessions/${SESSION}`)).toBe(true);

    realtime.dispatch(
      frame('call.ended', { sessionId: SESSION, endStatus: 0, endStatusString: 'ok', hungUpSide: 'user' }),
    );
    status(realtime, 'busy', 'afterCallWork');
    expect(calls.phase).toBe('wrapUp');
    expect(calls.ended?.by).toBe('customer');
    expect(calls.live).toBeNull();

    status(realtime, 'afterCallWork', 'idle');
    expect(calls.phase).toBe('idle');
  });

  it('[CTL-06] ending wrap-up puts the agent in the state the server keeps for after the call', async () => {
    const { realtime, calls, agent, server } = world({
      'PUT /api/v1/agents/me/state': (req) => ({ body: agentRow({ state: (req.body as { state: string }).state }) }),
    });
    agent.agent = agentRow({ state: 'busy', currentSessionId: SESSION }) as never;
    realtime.dispatch(frame('call.offer', offerData()));
    realtime.dispatch(frame('call.accepted', { sessionId: SESSION, offerId: OFFER }));
    realtime.dispatch(
      frame('call.ended', { sessionId: SESSION, endStatus: 0, endStatusString: 'ok', hungUpSide: 'seat' }),
    );
    agent.agent = agentRow({ state: 'afterCallWork', resumeState: 'notReady', currentSessionId: SESSION }) as never;
    expect(calls.phase).toBe('wrapUp');
    expect(calls.ended?.by).toBe('agent');
    expect(calls.wrapUpResume).toEqual({ state: 'notReady', reason: null });

    expect(await calls.endWrapUp()).toBe(true);
    expect(server.requests.find((r) => r.path === '/api/v1/agents/me/state')?.body).toEqual({ state: 'notReady' });
    expect(agent.state).toBe('notReady');
    expect(calls.phase).toBe('idle');
  });

  it('[CTL-06] the wrap-up timer counts down to the server’s end, or up when only the agent ends it', () => {
    const { calls, agent } = world();
    const until = new Date(Date.now() + 25_000).toISOString();
    agent.agent = agentRow({ state: 'afterCallWork', wrapUpUntil: until }) as never;
    expect(calls.wrapUpUntil).toBe(Date.parse(until));
    agent.settings = {
      restReasons: [],
      defaultLoginState: 'idle',
      wrapUpSeconds: 30,
      wrapUpAutoEnd: false,
      lastAgentFirst: true,
      preferredAgentWaitSeconds: 0,
      outboundMemoryDays: 0,
      outboundMemoryFallback: 'wait',
    };
    agent.agent = agentRow({ state: 'afterCallWork', wrapUpUntil: null }) as never;
    expect(calls.wrapUpUntil).toBeNull();
  });

  it('[IN-04] an offer withdrawn (ring timeout) or whose caller hangs up closes with a notice', () => {
    const { realtime, calls } = world();
    realtime.dispatch(frame('call.offer', offerData()));
    realtime.dispatch(frame('call.offer.withdrawn', { sessionId: SESSION, offerId: OFFER, reason: 'ring timeout' }));
    expect(calls.phase).toBe('idle');
    expect(calls.notice).toMatchObject({ kind: 'missed', number: '139****5678' });

    realtime.dispatch(frame('call.offer', offerData({ offerId: OTHER })));
    expect(calls.phase).toBe('ringing');
    realtime.dispatch(
      frame('session.state', {
        sessionId: SESSION,
        state: 'ended',
        previous: 'offering',
        reason: 'ended',
        direction: 'inbound',
        caller: '139****5678',
        callee: '4001000000',
        skillGroupId: GROUP,
        agentId: null,
        at: new Date().toISOString(),
      }),
    );
    expect(calls.phase).toBe('idle');
    expect(calls.notice).toMatchObject({ kind: 'callerGone' });
  });

  it('[IN-03] with auto-answer on, the softphone is answered as soon as the offer rings it', async () => {
    const { realtime, calls, phone, phoneStore } = world({
      'GET /api/v1/me/answering': { body: { answerMode: 'webrtc', autoAnswer: true } },
    });
    await calls.loadSettings();
    await phoneStore.start();
    realtime.dispatch(frame('call.offer', offerData()));
    phone.ring();
    await flushPromises();
    expect(phone.asked).toContain('answer');
  });

  it('[IN-04] reject declines on the softphone, and the server’s withdrawal says so', async () => {
    const { realtime, calls, phone, phoneStore } = world();
    await phoneStore.start();
    realtime.dispatch(frame('call.offer', offerData()));
    phone.ring();
    expect(await calls.reject()).toBe(true);
    expect(phone.asked).toContain('reject');
    realtime.dispatch(frame('call.offer.withdrawn', { sessionId: SESSION, offerId: OFFER, reason: 'busy' }));
    expect(calls.notice?.kind).toBe('rejected');
  });

  it('[CTL-01] [CTL-02] hold and mute go to the session’s routes; the events keep both indicators apart', async () => {
    const { realtime, calls, server } = world({
      [`POST /api/v1/sessions/${SESSION}/hold`]: { body: { held: true } },
      [`POST /api/v1/sessions/${SESSION}/unhold`]: { body: { held: false } },
      [`POST /api/v1/sessions/${SESSION}/mute`]: { body: { muted: true } },
    });
    realtime.dispatch(frame('call.offer', offerData()));
    realtime.dispatch(frame('call.accepted', { sessionId: SESSION, offerId: OFFER }));
    await flushPromises();

    expect(await calls.toggleHold()).toBe(true);
    expect(calls.live).toMatchObject({ held: true, muted: false });
    expect(calls.live?.heldSince).not.toBeNull();
    expect(await calls.toggleMute()).toBe(true);
    expect(calls.live).toMatchObject({ held: true, muted: true });
    expect(await calls.toggleHold()).toBe(true);
    expect(calls.live).toMatchObject({ held: false, heldSince: null, muted: true });
    expect(server.requests.filter((r) => r.method === 'POST').map((r) => r.path.split('/').pop())).toEqual([
      'hold',
      'mute',
      'unhold',
    ]);

    // A supervisor's change arrives as an event.
    realtime.dispatch(frame('session.mute', { sessionId: SESSION, muted: false, byUserId: OTHER }));
    expect(calls.live?.muted).toBe(false);
    realtime.dispatch(frame('session.hold', { sessionId: SESSION, held: true, byUserId: OTHER }));
    expect(calls.live?.held).toBe(true);
  });

  it('[CTL-04] a transfer to a colleague ends the call here with a wrap-up that says where it went', async () => {
    const { realtime, calls, server, agent } = world({
      [`POST /api/v1/sessions/${SESSION}/transfer`]: { status: 202, body: { sessionId: SESSION } },
    });
    agent.agent = agentRow({ state: 'ringing' }) as never;
    realtime.dispatch(frame('call.offer', offerData()));
    realtime.dispatch(frame('call.accepted', { sessionId: SESSION, offerId: OFFER }));
    status(realtime, 'ringing', 'busy');
    expect(await calls.transfer({ type: 'agent', agentId: OTHER })).toBe(true);
    expect(server.requests.at(-1)).toMatchObject({ body: { to: { type: 'agent', agentId: OTHER } } });
    expect(calls.transferring).toEqual({ type: 'agent', agentId: OTHER });
    realtime.dispatch(
      frame('session.transferred', {
        sessionId: SESSION,
        fromAgentId: ME,
        to: { type: 'agent', agentId: OTHER },
        notes: 'wants a refund',
        variables: {},
        ivrKeys: [{ key: '1', label: 'Presales' }],
      }),
    );
    status(realtime, 'busy', 'afterCallWork');
    expect(calls.phase).toBe('wrapUp');
    expect(calls.ended).toMatchObject({ by: 'transferred', transferredTo: { type: 'agent', agentId: OTHER } });
  });

  it('[CTL-09] three-way parties ring, join and leave by their events', async () => {
    const { realtime, calls } = world({
      [`POST /api/v1/sessions/${SESSION}/conference`]: { status: 202, body: { legId: OTHER } },
    });
    realtime.dispatch(frame('call.offer', offerData()));
    realtime.dispatch(frame('call.accepted', { sessionId: SESSION, offerId: OFFER }));
    expect(await calls.addParty({ type: 'external', number: '13800138000' })).toBe(true);
    expect(calls.live?.parties).toMatchObject([{ legId: OTHER, state: 'ringing', number: '13800138000' }]);
    const party = {
      sessionId: SESSION,
      legId: OTHER,
      role: 'external',
      purpose: 'threeWay',
      agentId: null,
      number: '138****8000',
    } as const;
    realtime.dispatch(frame('session.party', { ...party, state: 'joined' }));
    expect(calls.live?.parties).toMatchObject([{ state: 'joined', number: '138****8000' }]);
    realtime.dispatch(frame('session.party', { ...party, state: 'left' }));
    expect(calls.live?.parties).toEqual([]);
  });

  it('notes typed during the call are saved once after a pause, and the status says so', async () => {
    vi.useFakeTimers();
    const { realtime, calls, server } = world({
      [`PUT /api/v1/sessions/${SESSION}/notes`]: (req) => ({ body: req.body }),
    });
    realtime.dispatch(frame('call.offer', offerData({ notes: 'from A' })));
    expect(calls.notes).toBe('from A');
    realtime.dispatch(frame('call.accepted', { sessionId: SESSION, offerId: OFFER }));
    calls.setNotes('from A; ');
    calls.setNotes('from A; asks about order 42');
    expect(calls.notesStatus).toBe('pending');
    await vi.advanceTimersByTimeAsync(NOTES_DEBOUNCE_MS);
    await flushPromises();
    const puts = server.requests.filter((r) => r.method === 'PUT');
    expect(puts).toEqual([
      { method: 'PUT', path: `/api/v1/sessions/${SESSION}/notes`, body: { notes: 'from A; asks about order 42' } },
    ]);
    expect(calls.notesStatus).toBe('saved');
  });

  it('[CTL-06] after a reload mid-call the store reads the call back from the server', async () => {
    const { calls } = world({
      'GET /api/v1/agents/me': { body: agentRow({ state: 'busy', currentSessionId: SESSION }) },
      [`GET /api/v1/sessions/${SESSION}`]: { body: sessionView({ held: true, notes: 'kept' }) },
    });
    await calls.resync();
    expect(calls.phase).toBe('active');
    expect(calls.live).toMatchObject({ sessionId: SESSION, customer: '139****5678', held: true });
    expect(calls.notes).toBe('kept');
  });

  it('[CTL-07] redial rings the agent first and becomes the call once the customer is bridged', async () => {
    const { realtime, calls, phone, phoneStore } = world({
      [`POST /api/v1/sessions/${SESSION}/redial`]: { body: { sessionId: OTHER } },
      [`GET /api/v1/sessions/${OTHER}`]: {
        body: sessionView({ id: OTHER, direction: 'outbound', caller: '4001000000', callee: '139****5678' }),
      },
    });
    await phoneStore.start();
    realtime.dispatch(frame('call.offer', offerData()));
    realtime.dispatch(frame('call.accepted', { sessionId: SESSION, offerId: OFFER }));
    realtime.dispatch(
      frame('call.ended', { sessionId: SESSION, endStatus: 0, endStatusString: 'ok', hungUpSide: 'user' }),
    );
    status(realtime, 'busy', 'afterCallWork');
    expect(await calls.redial()).toBe(true);
    expect(calls.phase).toBe('dialing');
    phone.ring(OTHER);
    await flushPromises();
    expect(phone.asked).toContain('answer');
    realtime.dispatch(
      frame('session.state', {
        sessionId: OTHER,
        state: 'bridged',
        previous: 'offering',
        reason: 'redial',
        direction: 'outbound',
        caller: '4001000000',
        callee: '139****5678',
        skillGroupId: GROUP,
        agentId: ME,
        at: new Date().toISOString(),
      }),
    );
    expect(calls.phase).toBe('active');
    expect(calls.live).toMatchObject({ sessionId: OTHER, direction: 'outbound', customer: '139****5678' });
  });

  it('[OUT-01] a call the agent places follows session.outbound: their phone is answered, then it becomes the call', async () => {
    const { realtime, calls, phone, phoneStore } = world({
      [`GET /api/v1/sessions/${OTHER}`]: {
        body: sessionView({ id: OTHER, direction: 'outbound', caller: '4001000000', callee: '139****5678' }),
      },
    });
    await phoneStore.start();
    const outbound = (stage: string, more: Record<string, unknown> = {}) =>
      frame('session.outbound', {
        sessionId: OTHER,
        stage,
        kind: 'outbound',
        agentId: ME,
        callerId: '4001000000',
        callee: '139****5678',
        skillGroupId: null,
        annotations: {},
        at: new Date().toISOString(),
        ...more,
      } as never);
    realtime.dispatch(outbound('dialingAgent'));
    expect(calls.phase).toBe('dialing');
    expect(calls.dialing).toMatchObject({
      stage: 'dialingAgent',
      info: { customer: '139****5678', direction: 'outbound' },
    });
    phone.ring(OTHER);
    await flushPromises();
    expect(phone.asked).toContain('answer');
    realtime.dispatch(outbound('customerRinging'));
    expect(calls.dialing?.stage).toBe('customerRinging');
    realtime.dispatch(outbound('connected'));
    expect(calls.phase).toBe('active');
    expect(calls.live).toMatchObject({ sessionId: OTHER, customer: '139****5678' });
  });

  it('[OUT-01] a placed call that does not connect closes with the reason', () => {
    const { realtime, calls } = world();
    const base = {
      sessionId: OTHER,
      kind: 'outbound',
      agentId: ME,
      callerId: '4001000000',
      callee: '139****5678',
      skillGroupId: null,
      annotations: {},
      at: new Date().toISOString(),
    };
    realtime.dispatch(frame('session.outbound', { ...base, stage: 'dialingCustomer' } as never));
    realtime.dispatch(
      frame('session.outbound', {
        ...base,
        stage: 'ended',
        endStatusString: 'notAnswer',
        hungUpSide: 'system',
      } as never),
    );
    expect(calls.phase).toBe('idle');
    expect(calls.notice).toMatchObject({ kind: 'dialFailed', number: '139****5678', detail: 'notAnswer' });
  });
});
