/**
 * Gaps of the IVR's effects closed on a real (simulated) call: a protected caller number copied
 * into a flow variable stays masked for agents (RT-07), the survey's agent hears `call.ended`
 * once (IVR-22), a replay of the leg during the queue-timeout question keeps the caller's place
 * (IVR-16) and during a voicemail or a dial loses nothing (IVR-31, IVR-25), the call's ring and
 * talk durations as system variables (IVR-30), and the external transfer's conversation
 * recorded (IVR-25).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { setAgentState } from '../../core/test/support/call-center.js';
import type { IvrGraphInput } from '../../core/src/modules/ivr/flow-model.js';
import { definePlugin } from '../../core/src/plugins/define-plugin.js';
import { decodeMp3, simulatedPause, until } from './support/harness.js';
import { externalTransfer, KEEP_WAITING, queueWithTimeout, voicemailFlow } from './support/ivr-graphs.js';
import { createFlow, onHotline, say } from './support/ivr-world.js';
import { bridged, recordAs, sessionOf, socket, useLiveWorld } from './support/live-world.js';

// ── a CRM plugin answering the HTTP node: it echoes the caller's number back, as CRMs do ──
const crm = definePlugin({
  name: 'crm-echo',
  version: '1.0.0',
  config: z.object({}),
  hooks: {
    // The CRM card shows the customer's phone, as a CRM would.
    'call.incoming': (p) => ({ annotations: { crm: { name: 'Ada', phones: [p.from] } } }),
    'ivr.http': (p) => {
      if (!String(p.request.url).startsWith('https://crm.hardening.test/')) return undefined;
      const body = p.request.body as { caller?: string };
      const n = body.caller ?? '';
      return {
        contact: { phone: n, pretty: `+86 ${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}` },
        note: `Customer ${n} wants a callback`,
        tier: 'gold',
      };
    },
  },
});

const w = useLiveWorld({
  secret: 'ivr-hardening',
  timeScale: 0.05,
  calls: { wrapUpSeconds: 0, sweepIntervalMs: 250 },
  plugins: [crm({})],
  // Rings long enough (120 simulated s = 6 s here) for a test to let the phone ring a while.
  center: { slug: 'ivrhard', agents: 1, ringTimeoutSeconds: 120, settings: { numberProtection: true } },
});

const SLOW = { timeoutMs: 15_000 };

/** Creates the flow through the API (validated as an admin's would be) and puts it on the number. */
async function useFlow(graph: IvrGraphInput): Promise<void> {
  await onHotline(w, await createFlow(w, graph));
}

/** A user's realtime events, collected until the test is over. */
async function eventsOf(user: Parameters<typeof socket>[1]) {
  return (await socket(w, user)).frames;
}

beforeEach(async () => {
  await setAgentState(w.t, w.cc.agents[0]!, 'notReady');
});

describe('protected numbers in variables', () => {
  it('[RT-07] a variable holding the caller’s number is masked for the agent (offer, session, record) and clear for supervisors', async () => {
    await useFlow({
      start: 'lookup',
      nodes: [
        {
          id: 'lookup',
          type: 'http',
          label: 'CRM lookup',
          url: 'https://crm.hardening.test/contact',
          inputs: [{ name: 'caller', value: '${SystemCallerNumber}' }],
          outputs: [
            { variable: 'CallbackNumber', field: 'contact.phone' },
            { variable: 'PrettyNumber', field: 'contact.pretty' },
            { variable: 'Note', field: 'note' },
            { variable: 'Tier', field: 'tier' },
          ],
          next: 'to-sales',
        },
        {
          id: 'to-sales',
          type: 'transfer',
          label: 'Sales',
          target: { type: 'skillGroup', skillGroupId: w.cc.groups.presales },
        },
      ],
    });
    const agent = w.cc.agents[0]!;
    const device = w.sim.registerUser(agent.sipUser);
    const events = await eventsOf(agent);
    await setAgentState(w.t, agent, 'idle');
    const call = await w.sim.placeCall({ from: '13912345678', to: w.cc.number });
    const ring = await device.nextRing(SLOW);
    const masked = {
      CallbackNumber: '139****5678',
      PrettyNumber: '139****5678',
      Note: 'Customer 139****5678 wants a callback',
      Tier: 'gold',
    };
    const clear = {
      CallbackNumber: '13912345678',
      PrettyNumber: '+86 139 1234 5678',
      Note: 'Customer 13912345678 wants a callback',
      Tier: 'gold',
    };
    const offer = await until(async () => events.find((e) => e.type === 'call.offer'), 'call.offer');
    expect(offer.data).toMatchObject({
      caller: '139****5678',
      variables: masked,
      annotations: { crm: { name: 'Ada', phones: ['139****5678'] } },
    });
    expect(JSON.stringify(offer)).not.toContain('12345678');

    const leg = ring.answer();
    await bridged(call, leg);
    const session = await sessionOf(w, call);
    const asAgent = await w.t.request('GET', `/api/v1/sessions/${session.id}`, { token: agent.token });
    expect(asAgent.status).toBe(200);
    expect(asAgent.body).toMatchObject({
      caller: '139****5678',
      variables: masked,
      annotations: { crm: { phones: ['139****5678'] } },
    });
    expect(JSON.stringify(asAgent.body)).not.toContain('12345678');
    const asSupervisor = await w.t.request('GET', `/api/v1/sessions/${session.id}`, { token: w.cc.supervisor.token });
    expect(asSupervisor.body).toMatchObject({
      caller: '13912345678',
      variables: clear,
      annotations: { crm: { phones: ['13912345678'] } },
    });

    call.hangup();
    await Promise.all([call.ended, leg.ended]);
    const agentCdr = await recordAs(w, agent, session.id);
    expect(agentCdr).toMatchObject({ caller: '139****5678', variables: masked });
    expect(JSON.stringify(agentCdr)).not.toContain('12345678');
    const list = await w.t.request('GET', '/api/v1/records', { token: agent.token });
    const listed = list.body.items.find((r: { sessionId: string }) => r.sessionId === session.id);
    expect(listed).toMatchObject({ variables: masked });
    expect((await recordAs(w, w.cc.supervisor, session.id)).variables).toEqual(clear);
    expect((await recordAs(w, w.cc.admin, session.id)).variables).toEqual(clear);
    device.unregister();
  });
});

describe('survey after the agent', () => {
  /** Transfer, then a survey that tells the caller the call's ring and talk durations (IVR-30). */
  const surveyFlow = (): IvrGraphInput => ({
    start: 'to-sales',
    nodes: [
      {
        id: 'to-sales',
        type: 'transfer',
        label: 'Sales',
        target: { type: 'skillGroup', skillGroupId: w.cc.groups.presales },
        afterAgentNext: 'long-call',
      },
      {
        id: 'long-call',
        type: 'condition',
        label: 'Talked a while?',
        branches: [
          {
            label: 'Long',
            rules: [{ variable: 'SystemCallAcceptDuration', operator: 'ge', value: '1' }],
            next: 'survey',
          },
        ],
        elseNext: 'bye',
      },
      {
        id: 'survey',
        type: 'survey',
        label: 'Satisfaction',
        prompt: say(
          'You talked ${SystemCallAcceptDuration} seconds after ${SystemCallRingDuration} seconds of ringing. Rate us 1 or 2.',
        ),
        options: [
          { key: '1', label: 'Good' },
          { key: '2', label: 'Bad' },
        ],
        timeoutSeconds: 60,
        thanksPrompt: say('Thanks.'),
      },
      { id: 'bye', type: 'hangup', label: 'Bye', prompt: say('Too short to rate. Goodbye.') },
    ],
  });

  it('[IVR-22] [IVR-30] the agent hears call.ended once; the survey reads the ring and talk durations', async () => {
    await useFlow(surveyFlow());
    const agent = w.cc.agents[0]!;
    const device = w.sim.registerUser(agent.sipUser);
    const agentEvents = await eventsOf(agent);
    const supervisorEvents = await eventsOf(w.cc.supervisor);
    await setAgentState(w.t, agent, 'idle');
    const call = await w.sim.placeCall({ from: '13900002231', to: w.cc.number });
    const ring = await device.nextRing(SLOW);
    // Let it ring, then talk, for whole seconds of wall (= database) time.
    await new Promise((r) => setTimeout(r, 1600));
    const leg = ring.answer();
    await bridged(call, leg);
    await new Promise((r) => setTimeout(r, 2600));
    leg.hangup();
    const session = await sessionOf(w, call);

    // The agent's call is over for them at once (before the survey is answered) …
    const ended = await until(async () => agentEvents.find((e) => e.type === 'call.ended'), 'call.ended to agent');
    expect(ended.data).toEqual({ sessionId: session.id, endStatus: 1, endStatusString: 'ok', hungUpSide: 'seat' });

    const row = (
      await w.t.app.database.pool.query(
        `select s.ring_at, s.accepted_at, o.ended_at as agent_left
           from call_sessions s join call_offers o on o.session_id = s.id and o.answered_at is not null
          where s.id = $1`,
        [session.id],
      )
    ).rows[0];
    const secs = (a: Date, b: Date) => Math.round((b.getTime() - a.getTime()) / 1000);
    const ringSecs = secs(row.ring_at, row.accepted_at);
    const talkSecs = secs(row.accepted_at, row.agent_left);
    expect(ringSecs).toBeGreaterThanOrEqual(1);
    expect(talkSecs).toBeGreaterThanOrEqual(2);
    const question = `You talked ${talkSecs} seconds after ${ringSecs} seconds of ringing. Rate us 1 or 2.`;
    await call.expectPrompt(question, SLOW);
    call.press('1');
    await call.expectPrompt('Thanks.', SLOW);
    await call.ended;
    const cdr = await recordAs(w, w.cc.admin, session.id);
    expect(cdr).toMatchObject({ endStatus: 1, hungUpSide: 'seat', surveyResult: { key: '1', label: 'Good' } });

    // … and not a second time when the record is written; supervisors get it once, then.
    await until(async () => supervisorEvents.some((e) => e.type === 'call.ended'), 'call.ended to supervisor');
    await new Promise((r) => setTimeout(r, 300));
    expect(agentEvents.filter((e) => e.type === 'call.ended')).toHaveLength(1);
    expect(supervisorEvents.filter((e) => e.type === 'call.ended')).toHaveLength(1);
    device.unregister();
  });
});

describe('replays while the IVR waits', () => {
  it('[IVR-16] the leg redirected during the queue-timeout question is asked again and keeps its place', async () => {
    await useFlow(queueWithTimeout(w.cc.groups.presales, { priority: 7 }));
    const call = await w.sim.placeCall({ from: '13900001631', to: w.cc.number });
    await call.expectPrompt('Please hold.');
    const queued = await sessionOf(w, call);
    expect(queued).toMatchObject({ state: 'queued', queue_priority: 7 });
    const queuedAt = (queued.queued_at as Date).getTime();
    await call.expectPrompt(KEEP_WAITING, SLOW);

    // The provider asks again for the leg (a redirect, as a retried or replaced webhook does).
    await w.t.app.container.cradle.telephony.redirect(call.callSid, {
      sessionId: queued.id,
      tenantId: w.cc.tenantId,
      role: 'customer',
    });
    await until(async () => call.heard.filter((h) => h === KEEP_WAITING).length === 2, 'asked again', 10_000);
    const asking = await sessionOf(w, call);
    // Still out of the queue being asked, with the place it had: not queued anew.
    expect(asking).toMatchObject({ state: 'ivr', queue_priority: 7 });
    expect((asking.queued_at as Date).getTime()).toBe(queuedAt);
    expect(asking.ivr_state).toMatchObject({ node: 'to-sales', wait: 'queueTimeout' });

    call.press('5');
    await until(async () => (await sessionOf(w, call)).state === 'queued' && call.queue, 're-queued');
    const back = await sessionOf(w, call);
    expect((back.queued_at as Date).getTime()).toBe(queuedAt);
    expect(back.queue_priority).toBe(7);
    call.hangup();
    await call.ended;
    expect((await recordAs(w, w.cc.admin, queued.id)).endStatus).toBe(103);
  });
});

describe('replays while recording a voicemail', () => {
  it('[IVR-31] a leg redirected while recording starts the message again; the part cut short is kept too', async () => {
    await useFlow(voicemailFlow());
    const call = await w.sim.placeCall({ from: '13900003131', to: w.cc.number });
    await call.expectPrompt('Please leave a message after the tone.');
    await until(async () => call.forks.find((f) => f.source === 'listen' && f.state === 'open'), 'recording');
    call.speak('Hello, this is Ada, about my order');
    await simulatedPause(w.sim, 3000);
    const session = await sessionOf(w, call);
    await w.t.app.container.cradle.telephony.redirect(call.callSid, {
      sessionId: session.id,
      tenantId: w.cc.tenantId,
      role: 'customer',
    });
    // The node starts again: prompt, beep, a second recording.
    await until(
      async () => call.forks.filter((f) => f.source === 'listen').length === 2 && call.forks.at(-1)!.state === 'open',
      'second recording',
      10_000,
    );
    call.speak('Sorry, I was cut off. Please call me back.');
    await simulatedPause(w.sim, 4000);
    call.press('#');
    await call.expectPrompt('Thank you, goodbye.', SLOW);
    await call.ended;
    expect(call.heard.filter((h) => h === 'Please leave a message after the tone.')).toHaveLength(2);

    // Both parts are messages of this call; the record and the flow's variable name the last one.
    const mine = await until(async () => {
      const r = await w.t.request('GET', '/api/v1/voicemails', { token: w.cc.supervisor.token });
      const items = (r.body.items ?? []).filter(
        (v: { sessionId: string; status: string }) => v.sessionId === session.id && v.status === 'ready',
      );
      return items.length === 2 ? items : undefined;
    }, 'two messages listed');
    const cdr = await recordAs(w, w.cc.admin, session.id);
    const newest = mine.reduce((a: { startedAt: string }, b: { startedAt: string }) =>
      Date.parse(b.startedAt) > Date.parse(a.startedAt) ? b : a,
    );
    expect(cdr).toMatchObject({ voicemailId: newest.id, variables: { MessageId: newest.id } });
  });
});

describe('external transfer', () => {
  it('[IVR-25] a leg redirected while the number rings dials it again; the replaced dial does not end the transfer', async () => {
    await useFlow(
      externalTransfer({
        number: '5550026',
        ringingPrompt: say('Transferring you now.'),
        timeoutSeconds: 60,
        fail: true,
      }),
    );
    const phone = w.sim.phone('5550026');
    const call = await w.sim.placeCall({ from: '13900002526', to: w.cc.number });
    await call.expectPrompt('Transferring you now.');
    const first = await phone.nextRing(SLOW);
    const session = await sessionOf(w, call);
    await w.t.app.container.cradle.telephony.redirect(call.callSid, {
      sessionId: session.id,
      tenantId: w.cc.tenantId,
      role: 'customer',
    });
    // The replaced dial stops ringing; the number is dialled again and answers this time.
    await first.whenCancelled;
    const second = await phone.nextRing(SLOW);
    const far = second.answer();
    await until(
      async () => w.sim.calls().find((c) => c.callSid === call.callSid)?.bridgedTo === far.callSid,
      'bridged',
    );
    await simulatedPause(w.sim, 3000);
    far.hangup();
    await call.ended;
    expect(call.heard).toEqual(['Transferring you now.', 'Transferring you now.']);
    const cdr = await recordAs(w, w.cc.admin, session.id);
    expect(cdr).toMatchObject({ endStatus: 1, endStatusString: 'ok', hungUpSide: 'seat' });
    expect(cdr.acceptedAt).not.toBeNull();
  });

  it('[IVR-25] the conversation with the external number is recorded, from the answer, as the call’s recording', async () => {
    await useFlow(
      externalTransfer({ number: '5550025', ringingPrompt: say('Transferring you now.'), timeoutSeconds: 30 }),
    );
    const phone = w.sim.phone('5550025');
    const call = await w.sim.placeCall({ from: '13900002525', to: w.cc.number });
    await call.expectPrompt('Transferring you now.');
    const ring = await phone.nextRing(SLOW);
    // Ringing is not recorded: nothing is forked until the far end answers.
    expect(call.forks).toEqual([]);
    const far = ring.answer();
    await until(async () => call.forks.find((f) => f.source === 'dial' && f.state === 'open'), 'recording');
    // Talk for 4 simulated seconds, then the external party hangs up.
    await simulatedPause(w.sim, 4000);
    far.hangup();
    await call.ended;
    const session = await sessionOf(w, call);
    const cdr = await until(async () => {
      const c = await recordAs(w, w.cc.admin, session.id);
      return c.recordingId ? c : undefined;
    }, 'recording on the record');
    expect(cdr).toMatchObject({ endStatus: 1, hungUpSide: 'seat', voicemailId: null });
    const res = await until(async () => {
      const r = await fetch(`${w.t.url}/api/v1/recordings/${cdr.recordingId}`, {
        headers: { authorization: `Bearer ${w.cc.admin.token}` },
      });
      return r.status === 200 ? r : undefined;
    }, 'recording stored');
    expect(res.headers.get('content-type')).toBe('audio/mpeg');
    const decoded = await decodeMp3(new Uint8Array(await res.arrayBuffer()));
    // Stereo (the caller, and what they hear), and about the time they talked.
    expect(decoded.channelData).toHaveLength(2);
    expect(decoded.seconds).toBeGreaterThan(2);
    expect(decoded.seconds).toBeLessThan(8);
  });
});
