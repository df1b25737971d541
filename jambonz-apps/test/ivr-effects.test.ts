/**
 * The IVR's outward effects on a real (simulated) call: queue timeout with "keep waiting / # to
 * leave", the survey after the agent hangs up, the HTTP node against a real local API, external
 * transfer, and voicemail — what the caller hears, in order, and what the CDR records.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { setAgentState } from '../../core/test/support/call-center.js';
import { definePlugin } from '../../core/src/plugins/define-plugin.js';
import { sayDurationMs } from '../src/simulator/media.js';
import { BEEP_TONE } from '../src/simulator/verb-exec.js';
import { decodeMp3, simulatedPause, until } from './support/harness.js';
import {
  externalTransfer,
  KEEP_WAITING,
  queueWithTimeout,
  starSurveyAfterSales,
  voicemailFlow,
} from './support/ivr-graphs.js';
import { onHotline, say, storeFlow } from './support/ivr-world.js';
import { bridged, cdrOf, sessionOf, useLiveWorld } from './support/live-world.js';

// ── a plugin answering `ivr.http` for its own URLs ──
const pluginAsked: Array<Record<string, unknown>> = [];
const crm = definePlugin({
  name: 'crm-lookup',
  version: '1.0.0',
  config: z.object({}),
  hooks: {
    'ivr.http': (p) => {
      if (!String(p.request.url).startsWith('https://crm.plugin.test/')) return undefined;
      pluginAsked.push({ ...p });
      return { account: { tier: 'gold' } };
    },
  },
});

// ── the customer's API: a real HTTP server that checks the signature ──
interface ApiHit {
  method: string;
  path: string;
  query: string;
  body: string;
  verified: boolean;
  headers: IncomingMessage['headers'];
}
const hits: ApiHit[] = [];
let api: Server;
let apiUrl = '';
let signingSecret = '';

/** What a customer would write: recompute the HMAC of "<t>.<payload>" and compare in constant time. */
function verify(header: string | undefined, payload: string): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m || Math.abs(Date.now() / 1000 - Number(m[1])) > 300) return false;
  const want = createHmac('sha256', signingSecret).update(`${m[1]}.${payload}`).digest();
  const got = Buffer.from(m[2]!, 'hex');
  return got.length === want.length && timingSafeEqual(got, want);
}

async function startApi(): Promise<void> {
  api = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const [path, query = ''] = (req.url ?? '').split('?');
      const verified = verify(
        req.headers['x-switchboard-signature'] as string | undefined,
        req.method === 'GET' ? query : body,
      );
      hits.push({ method: req.method ?? '', path: path!, query, body, verified, headers: req.headers });
      if (!verified) {
        res.writeHead(401).end();
        return;
      }
      if (path === '/customer') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ customer: { name: 'Ada', id: 17 } }));
        return;
      }
      if (path === '/slow') {
        // Answers long after the node's 1 s timeout.
        setTimeout(() => {
          if (!res.destroyed)
            res.writeHead(200, { 'content-type': 'application/json' }).end('{"customer":{"name":"Late"}}');
        }, 2500);
        return;
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
}

// The customer's API outlives the app: started before it, closed after it.
beforeAll(startApi);
afterAll(async () => {
  await new Promise((r) => api?.close(r));
});

const w = useLiveWorld({
  secret: 'ivr-effects',
  timeScale: 0.05,
  calls: { wrapUpSeconds: 2, sweepIntervalMs: 250 },
  plugins: [crm({})],
  // The HTTP node's API runs on this machine (127.0.0.1): the tenant allows private addresses.
  center: { slug: 'ivrfx', agents: 1, settings: { allowPrivateUrls: true } },
});

/** Puts `graph` on the call center's number (new calls take it). */
async function useFlow(graph: unknown): Promise<void> {
  await onHotline(w, await storeFlow(w, graph));
}

async function agentState(i: number): Promise<string> {
  return (await w.t.app.database.pool.query('select state from agents where user_id = $1', [w.cc.agents[i]!.id]))
    .rows[0].state;
}

/** Prompts reached through several webhooks and REST calls: generous on a loaded machine. */
const SLOW = { timeoutMs: 15_000 };
const HOLD_MUSIC = 'https://cdn.example.com/hold.mp3';

beforeAll(async () => {
  const secret = await w.t.request('GET', '/api/v1/ivr-http-secret', { token: w.cc.admin.token });
  expect(secret.status).toBe(200);
  expect(secret.body).toMatchObject({ header: 'X-Switchboard-Signature', algorithm: 'HMAC-SHA256' });
  signingSecret = secret.body.secret;
});
beforeEach(async () => {
  hits.length = 0;
  pluginAsked.length = 0;
  await setAgentState(w.t, w.cc.agents[0]!, 'notReady');
});

describe('queue timeout', () => {
  const queueFlow = () => queueWithTimeout(w.cc.groups.presales, { holdMusic: { kind: 'play', url: HOLD_MUSIC } });

  it('[IVR-16] [IVR-17] after the queue timeout the caller is asked; # leaves the queue and hangs up (queue give-up)', async () => {
    await useFlow(queueFlow());
    const call = await w.sim.placeCall({ from: '13900001601', to: w.cc.number });
    await call.expectPrompt('Please hold.');
    await call.expectPrompt(KEEP_WAITING, SLOW);
    // Asked outside the queue: nobody can be offered the call while it answers.
    expect(call.queue).toBeUndefined();
    const session = await sessionOf(w, call);
    expect(session.state).toBe('ivr');
    call.press('#');
    expect(await call.ended).toMatchObject({ status: 'completed', by: 'jambonz' });
    const timeoutAt = call.heard.indexOf(KEEP_WAITING);
    // Queue rounds (wait prompt, hold music) until the timeout prompt, and nothing after it.
    expect(call.heard.slice(0, timeoutAt).length).toBeGreaterThan(0);
    expect(call.heard.slice(0, timeoutAt).every((h) => h === 'Please hold.' || h === HOLD_MUSIC)).toBe(true);
    expect(call.heard.slice(timeoutAt + 1)).toEqual([]);
    const cdr = await cdrOf(w, w.cc, session.id);
    expect(cdr).toMatchObject({
      endStatus: 103,
      endStatusString: 'waitingGiveUp',
      hungUpSide: 'user',
      queuedSkillGroupId: w.cc.groups.presales,
      agentId: null,
    });
    expect(cdr.queuedAt).not.toBeNull();
  });

  it('[IVR-16] [IVR-17] any key keeps the caller waiting in their place: served before a later caller', async () => {
    await useFlow(queueFlow());
    const device = w.sim.registerUser(w.cc.agents[0]!.sipUser);
    const first = await w.sim.placeCall({ from: '13900001611', to: w.cc.number });
    await first.expectPrompt('Please hold.');
    const firstSession = await sessionOf(w, first);
    const queuedAt = firstSession.queued_at!.getTime();
    const second = await w.sim.placeCall({ from: '13900001612', to: w.cc.number });
    await second.expectPrompt('Please hold.');
    const secondSession = await sessionOf(w, second);
    await first.expectPrompt(KEEP_WAITING, SLOW);
    first.press('5');
    // Back in the queue with its original queued time (its place), waiting again.
    await until(async () => (await sessionOf(w, first)).state === 'queued' && first.queue, 're-queued');
    expect((await sessionOf(w, first)).queued_at!.getTime()).toBe(queuedAt);
    await setAgentState(w.t, w.cc.agents[0]!, 'idle');
    const ring = await device.nextRing(SLOW);
    expect(ring.customerData).toMatchObject({ sessionId: firstSession.id });
    const leg = ring.answer();
    await until(async () => first.conference && first.conference === leg.conference, 'first caller bridged');
    expect(second.conference).toBeUndefined();
    expect(second.status).toBe('in-progress');
    await setAgentState(w.t, w.cc.agents[0]!, 'notReady').catch(() => undefined);
    second.hangup();
    await second.ended;
    first.hangup();
    await Promise.all([first.ended, leg.ended]);
    const cdr = await cdrOf(w, w.cc, firstSession.id);
    expect(cdr).toMatchObject({ endStatus: 1, agentId: w.cc.agents[0]!.id, hungUpSide: 'user' });
    expect((await cdrOf(w, w.cc, secondSession.id)).endStatus).toBe(103);
    device.unregister();
  });
});

describe('survey after the agent hangs up', () => {
  it('[IVR-22] [IVR-23] [IVR-24] the agent leaves, the caller rates the call; keys → labels → variables → CDR', async () => {
    await useFlow({
      start: 'menu',
      nodes: [
        {
          id: 'menu',
          type: 'menu',
          label: 'Main menu',
          prompt: say('Press 1 for sales.'),
          options: [{ key: '1', label: 'Sales', next: 'to-sales' }],
          timeoutSeconds: 30,
          maxRetries: 1,
          onFail: 'bye',
        },
        {
          id: 'to-sales',
          type: 'transfer',
          label: 'Sales',
          target: { type: 'skillGroup', skillGroupId: w.cc.groups.presales },
          connectPrompt: say('You are connected.'),
          afterAgentNext: 'survey',
        },
        {
          id: 'survey',
          type: 'survey',
          label: 'Satisfaction',
          prompt: say('Please rate us: 1 for good, 2 for bad.'),
          options: [
            { key: '1', label: 'Good' },
            { key: '2', label: 'Bad' },
          ],
          timeoutSeconds: 60,
          variable: 'Rating',
          labelVariable: 'RatingLabel',
          thanksPrompt: say('Thanks for your feedback.'),
        },
        { id: 'bye', type: 'hangup', label: 'Bye', prompt: say('Goodbye.') },
      ],
    });
    const agent = w.cc.agents[0]!;
    const device = w.sim.registerUser(agent.sipUser);
    await setAgentState(w.t, agent, 'idle');
    const call = await w.sim.placeCall({ from: '13900002201', to: w.cc.number });
    await call.expectPrompt('Press 1 for sales.');
    call.press('1');
    const leg = (await device.nextRing(SLOW)).answer();
    await call.expectPrompt('You are connected.', SLOW);
    await bridged(call, leg);
    const session = await sessionOf(w, call);

    // The agent hangs up first: the caller stays, hears the survey, and the agent is in wrap-up.
    leg.hangup();
    await call.expectPrompt('Please rate us: 1 for good, 2 for bad.', SLOW);
    expect(call.status).toBe('in-progress');
    const noCdr = await w.t.request('GET', `/api/v1/records/${session.id}`, { token: w.cc.admin.token });
    expect(noCdr.status).toBe(404);

    call.press('1');
    await call.expectPrompt('Thanks for your feedback.', SLOW);
    expect(await call.ended).toMatchObject({ status: 'completed', by: 'jambonz' });
    // (The queue rounds before the agent answered, if any, are the default announcement.)
    expect(call.heard.filter((h) => !h.includes('in the queue'))).toEqual([
      'Press 1 for sales.',
      'You are connected.',
      'Please rate us: 1 for good, 2 for bad.',
      'Thanks for your feedback.',
    ]);
    const cdr = await cdrOf(w, w.cc, session.id);
    expect(cdr).toMatchObject({
      endStatus: 1,
      endStatusString: 'ok',
      hungUpSide: 'seat',
      agentId: agent.id,
      surveyResult: { nodeId: 'survey', key: '1', label: 'Good' },
      satisfaction: [expect.objectContaining({ key: '1', label: 'Good' })],
      variables: { Rating: '1', RatingLabel: 'Good' },
    });
    expect(cdr.ivrKeys).toEqual([expect.objectContaining({ key: '1', label: 'Sales', nodeLabel: 'Main menu' })]);
    expect(cdr.serveParticipants).toEqual([expect.objectContaining({ agentId: agent.id, endStatusString: 'ok' })]);
    // The agent went to wrap-up when they hung up, while the caller was still answering the survey.
    await until(async () => (await agentState(0)) === 'idle', 'agent idle after wrap-up', 10_000);
    const log = (
      await w.t.app.database.pool.query(
        `select to_state, at from agent_state_log where user_id = $1 and at >= $2 order by at`,
        [agent.id, new Date(Date.parse(cdr.startedAt) - 1000)],
      )
    ).rows;
    expect(log.map((r) => r.to_state).slice(-4)).toEqual(['ringing', 'busy', 'afterCallWork', 'idle']);
    const wrapUpAt = (log.find((r) => r.to_state === 'afterCallWork')!.at as Date).getTime();
    expect(wrapUpAt).toBeLessThan(Date.parse(cdr.endedAt));
    device.unregister();
  });

  it('[IVR-22] a caller who hangs up instead of rating still ends ok, ended by the seat, without a rating', async () => {
    await useFlow(starSurveyAfterSales(w.cc.groups.presales));
    const agent = w.cc.agents[0]!;
    const device = w.sim.registerUser(agent.sipUser);
    await setAgentState(w.t, agent, 'idle');
    const call = await w.sim.placeCall({ from: '13900002202', to: w.cc.number });
    const leg = (await device.nextRing(SLOW)).answer();
    await bridged(call, leg);
    leg.hangup();
    await call.expectPrompt('How did we do? Press 1 to 5.', SLOW);
    call.hangup();
    await call.ended;
    const cdr = await cdrOf(w, w.cc, (await sessionOf(w, call)).id);
    expect(cdr).toMatchObject({
      endStatus: 1,
      hungUpSide: 'seat',
      agentId: agent.id,
      surveyResult: null,
      satisfaction: null,
      variables: {},
    });
    await until(async () => (await agentState(0)) === 'idle', 'agent idle after wrap-up', 10_000);
    device.unregister();
  });

  it('[IVR-22] the workbench’s hang-up is the agent hanging up first: the caller is asked the survey', async () => {
    await useFlow(starSurveyAfterSales(w.cc.groups.presales));
    const agent = w.cc.agents[0]!;
    const device = w.sim.registerUser(agent.sipUser);
    await setAgentState(w.t, agent, 'idle');
    const call = await w.sim.placeCall({ from: '13900002203', to: w.cc.number });
    const leg = (await device.nextRing(SLOW)).answer();
    await bridged(call, leg);
    const session = await sessionOf(w, call);
    const res = await w.t.request('POST', `/api/v1/sessions/${session.id}/hangup`, { token: agent.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await leg.ended;
    await call.expectPrompt('How did we do? Press 1 to 5.', SLOW);
    call.hangup();
    await call.ended;
    expect(await cdrOf(w, w.cc, session.id)).toMatchObject({ endStatus: 1, hungUpSide: 'seat', agentId: agent.id });
    await until(async () => (await agentState(0)) === 'idle', 'agent idle after wrap-up', 10_000);
    device.unregister();
  });
});

describe('HTTP node', () => {
  const httpFlow = (node: Record<string, unknown>) => ({
    start: 'welcome',
    nodes: [
      { id: 'welcome', type: 'play', label: 'Welcome', prompt: say('Welcome.'), next: 'lookup' },
      { id: 'lookup', type: 'http', label: 'CRM lookup', next: 'greet', ...node },
      { id: 'greet', type: 'play', label: 'Greet', prompt: say('Hello ${CustomerName}.'), next: 'bye' },
      { id: 'bye', type: 'hangup', label: 'Bye' },
    ],
  });

  it('[IVR-29] POSTs the inputs signed, maps the JSON answer to variables, and the flow goes on', async () => {
    await useFlow(
      httpFlow({
        url: `${apiUrl}/customer`,
        method: 'POST',
        inputs: [
          { name: 'account', value: 'A-17' },
          { name: 'caller', value: '${SystemCallerNumber}' },
        ],
        outputs: [
          { variable: 'CustomerName', field: 'customer.name', default: 'friend' },
          { variable: 'CustomerId', field: 'customer.id', default: '0' },
        ],
        // A real-time budget the local API meets even on a busy machine (not a race).
        timeoutSeconds: 10,
        maxRetries: 1,
      }),
    );
    const call = await w.sim.placeCall({ from: '13900002901', to: w.cc.number });
    await call.expectPrompt('Hello Ada.', SLOW);
    await call.ended;
    expect(call.heard).toEqual(['Welcome.', 'Hello Ada.']);
    expect(hits).toHaveLength(1);
    const session = await sessionOf(w, call);
    expect(hits[0]).toMatchObject({ method: 'POST', path: '/customer', verified: true });
    expect(JSON.parse(hits[0]!.body)).toEqual({ account: 'A-17', caller: '13900002901' });
    expect(hits[0]!.headers['content-type']).toBe('application/json');
    expect(hits[0]!.headers['x-switchboard-session']).toBe(session.id);
    const cdr = await cdrOf(w, w.cc, session.id);
    expect(cdr.variables).toEqual({ CustomerName: 'Ada', CustomerId: '17' });
    expect(cdr.endStatusString).toBe('ivrEnd');
  });

  it('[IVR-29] a private or loopback address is refused unless the tenant allows it (SSRF guard)', async () => {
    const allow = (allowPrivateUrls: boolean) =>
      w.t.request('PATCH', '/api/v1/tenant/settings', { token: w.cc.admin.token, body: { allowPrivateUrls } });
    expect((await allow(false)).status).toBe(200);
    try {
      await useFlow(
        httpFlow({
          url: `${apiUrl}/customer`,
          method: 'POST',
          inputs: [{ name: 'account', value: 'A-17' }],
          outputs: [{ variable: 'CustomerName', field: 'customer.name', default: 'friend' }],
          timeoutSeconds: 10,
          maxRetries: 0,
        }),
      );
      const call = await w.sim.placeCall({ from: '13900002903', to: w.cc.number });
      await call.expectPrompt('Hello friend.', SLOW);
      await call.ended;
      // Never sent: the defaults were taken, and the log says why.
      expect(hits).toEqual([]);
      expect(
        w.t.logs.some((l) => l.msg === 'IVR HTTP node attempt failed' && /private_address/.test(String(l.error))),
      ).toBe(true);
    } finally {
      expect((await allow(true)).status).toBe(200);
    }
  });

  it('[IVR-29] a GET timing out on every attempt takes the defaults after maxRetries + 1 tries', async () => {
    await useFlow(
      httpFlow({
        url: `${apiUrl}/slow`,
        method: 'GET',
        inputs: [{ name: 'account', value: 'A 17' }],
        outputs: [{ variable: 'CustomerName', field: 'customer.name', default: 'friend' }],
        timeoutSeconds: 1,
        maxRetries: 1,
      }),
    );
    const call = await w.sim.placeCall({ from: '13900002902', to: w.cc.number });
    await call.expectPrompt('Hello friend.', SLOW);
    await call.ended;
    expect(call.heard).toEqual(['Welcome.', 'Hello friend.']);
    // Two attempts, both signed over the query string, both given up after the 1 s timeout.
    expect(hits.map((h) => [h.method, h.path, h.query, h.verified])).toEqual([
      ['GET', '/slow', 'account=A+17', true],
      ['GET', '/slow', 'account=A+17', true],
    ]);
    expect(hits.map((h) => h.headers['x-switchboard-attempt'])).toEqual(['1', '2']);
    const cdr = await cdrOf(w, w.cc, (await sessionOf(w, call)).id);
    expect(cdr.variables).toEqual({ CustomerName: 'friend' });
  });

  it('[IVR-29] a plugin answering the ivr.http hook supplies the output instead of the HTTP call', async () => {
    await useFlow(
      httpFlow({
        url: 'https://crm.plugin.test/lookup',
        method: 'POST',
        inputs: [{ name: 'account', value: 'A-17' }],
        outputs: [{ variable: 'CustomerName', field: 'account.tier', default: 'friend' }],
        timeoutSeconds: 2,
        maxRetries: 0,
      }),
    );
    const call = await w.sim.placeCall({ from: '13900002903', to: w.cc.number });
    await call.expectPrompt('Hello gold.', SLOW);
    await call.ended;
    const session = await sessionOf(w, call);
    expect(pluginAsked).toEqual([
      expect.objectContaining({
        tenantId: w.cc.tenantId,
        sessionId: session.id,
        nodeId: 'lookup',
        request: expect.objectContaining({
          url: 'https://crm.plugin.test/lookup',
          method: 'POST',
          body: { account: 'A-17' },
        }),
      }),
    ]);
    expect(hits).toEqual([]);
    expect((await cdrOf(w, w.cc, session.id)).variables).toEqual({ CustomerName: 'gold' });
  });
});

describe('external transfer', () => {
  const externalFlow = (ringingPrompt: Parameters<typeof externalTransfer>[0]['ringingPrompt']) =>
    externalTransfer({ number: '5550001', ringingPrompt, timeoutSeconds: 10, fail: true });

  it('[IVR-25] dials the number, bridges the caller on answer; the far end hanging up ends the call (ok, seat)', async () => {
    await useFlow(externalFlow(say('Transferring you now.')));
    const phone = w.sim.phone('5550001');
    const call = await w.sim.placeCall({ from: '13900002501', to: w.cc.number });
    await call.expectPrompt('Transferring you now.');
    const ring = await phone.nextRing();
    expect(ring.from).toBe('13900002501');
    const far = ring.answer();
    await until(
      async () => w.sim.calls().find((c) => c.callSid === call.callSid)?.bridgedTo === far.callSid,
      'bridged',
    );
    // The far end's answer reaches core through its status hook (talk time starts there).
    const sessionId = (await sessionOf(w, call)).id;
    await until(
      async () =>
        (await w.t.app.database.pool.query('select accepted_at from call_sessions where id = $1', [sessionId])).rows[0]
          ?.accepted_at,
      'answer recorded',
    );
    far.hangup();
    expect(await call.ended).toMatchObject({ status: 'completed', by: 'jambonz' });
    expect(call.heard).toEqual(['Transferring you now.']);
    const cdr = await cdrOf(w, w.cc, sessionId);
    expect(cdr).toMatchObject({ endStatus: 1, endStatusString: 'ok', hungUpSide: 'seat', agentId: null });
    expect(cdr.acceptedAt).not.toBeNull();
  });

  it('[IVR-25] plays the ringing music while it rings; not answered → the fail prompt and branch', async () => {
    const music = 'https://cdn.example.com/ringing.mp3';
    await useFlow(externalFlow({ kind: 'play', url: music }));
    const phone = w.sim.phone('5550001');
    const call = await w.sim.placeCall({ from: '13900002502', to: w.cc.number });
    const ring = await phone.nextRing();
    ring.ignore();
    await call.expectPrompt('Nobody answered.', SLOW);
    await call.expectPrompt('Goodbye.', SLOW);
    await call.ended;
    expect(call.heard[0]).toBe(music);
    expect(call.heard.slice(-2)).toEqual(['Nobody answered.', 'Goodbye.']);
    expect(call.heard.slice(0, -2).every((h) => h === music)).toBe(true);
    const cdr = await cdrOf(w, w.cc, (await sessionOf(w, call)).id);
    expect(cdr).toMatchObject({ endStatusString: 'ivrEnd', hungUpSide: 'system', acceptedAt: null });
  });
});

describe('voicemail', () => {
  const MESSAGE = 'Hello, this is Ada. Please call me back about my order.';

  it('[IVR-31] records the message after the beep, lists it with the caller, and serves it as MP3', async () => {
    await useFlow(voicemailFlow());
    const call = await w.sim.placeCall({ from: '13900003101', to: w.cc.number });
    // Quiet until it speaks its message: the recording's loud part is that message alone, however
    // long the machine takes between the beep and the caller starting to talk.
    call.keepQuiet();
    await call.expectPrompt('Please leave a message after the tone.');
    await until(async () => call.forks.find((f) => f.source === 'listen' && f.state === 'open'), 'recording');
    // The caller says its message (3.3 s of speech), then presses # a little later.
    call.speak(MESSAGE);
    await simulatedPause(w.sim, 6000);
    call.press('#');
    await call.expectPrompt('Thank you, goodbye.', SLOW);
    await call.ended;
    expect(call.heard).toEqual(['Please leave a message after the tone.', BEEP_TONE, 'Thank you, goodbye.']);
    const fork = call.forks.find((f) => f.source === 'listen')!;
    expect(fork.metadata).toMatchObject({ kind: 'voicemail' });

    const session = await sessionOf(w, call);
    const list = await until(async () => {
      const r = await w.t.request('GET', '/api/v1/voicemails', { token: w.cc.supervisor.token });
      return r.body.items?.find(
        (v: { sessionId: string; status: string }) => v.sessionId === session.id && v.status === 'ready',
      );
    }, 'voicemail listed');
    expect(list).toMatchObject({ caller: '13900003101', callee: w.cc.number, url: `/api/v1/recordings/${list.id}` });
    expect(Date.parse(list.startedAt)).toBeGreaterThan(Date.now() - 60_000);
    const cdr = await cdrOf(w, w.cc, session.id);
    expect(cdr).toMatchObject({ voicemailId: list.id, recordingId: null, variables: { MessageId: list.id } });

    const res = await fetch(`${w.t.url}${list.url}`, { headers: { authorization: `Bearer ${w.cc.supervisor.token}` } });
    expect(res.headers.get('content-type')).toBe('audio/mpeg');
    const mp3 = new Uint8Array(await res.arrayBuffer());
    const decoded = await decodeMp3(mp3);
    // The message is the caller's audio streamed between the beep and `#` (simulated time).
    expect(fork.simulatedMs).toBeGreaterThanOrEqual(5000);
    expect(Math.abs(decoded.seconds - fork.simulatedMs! / 1000)).toBeLessThan(0.1);
    expect(Math.abs(list.durationMs - fork.simulatedMs!)).toBeLessThan(100);
    // The spoken part of the message is as long as what the caller said: loud 20 ms windows.
    const ch = decoded.channelData[0]!;
    const win = Math.round(decoded.sampleRate / 50);
    let loud = 0;
    for (let i = 0; i + win <= ch.length; i += win) {
      let e = 0;
      for (let j = i; j < i + win; j++) e += ch[j]! * ch[j]!;
      if (Math.sqrt(e / win) > 0.1) loud++;
    }
    // (MP3 frames of 1152 samples smear each edge of the speech by a few windows.)
    expect(Math.abs(loud * 0.02 - sayDurationMs(MESSAGE) / 1000)).toBeLessThan(0.2);
    expect(decoded.seconds - loud * 0.02).toBeGreaterThan(1.5); // and the rest of the message is quiet
    const range = await fetch(`${w.t.url}${list.url}`, {
      headers: { authorization: `Bearer ${w.cc.supervisor.token}`, range: 'bytes=0-99' },
    });
    expect(range.status).toBe(206);

    // Agents do not get the voicemail list.
    const agentTry = await w.t.request('GET', '/api/v1/voicemails', { token: w.cc.agents[0]!.token });
    expect(agentTry.status).toBe(403);
  });
});
