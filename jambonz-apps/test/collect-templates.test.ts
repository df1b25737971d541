/**
 * Digit collection templates on live calls (CTL-10): the template's fixed or min/max length,
 * its timeout with retries, its failure prompt and its maximum tries, each heard by the
 * customer and reported to the agent. The simulator runs in real time (time scale 1): the
 * customer answers after hearing a prompt, which must not race a gather timeout.
 */
import { describe, expect, it } from 'vitest';
import { setAgentState, type CallCenter } from '../../core/test/support/call-center.js';
import type { SeededUser } from '../../core/test/support/test-app.js';
import type { SimDevice } from '../src/simulator/index.js';
import { until } from './support/harness.js';
import { socket, useLiveWorld } from './support/live-world.js';

const w = useLiveWorld({ secret: 'collect-templates-secret', timeScale: 1, calls: { wrapUpSeconds: 0 } });

/** Generous waits: every prompt is heard at its real length. */
const WAIT = { timeoutMs: 30_000 };

const post = (user: SeededUser, path: string, body?: unknown) =>
  w.t.request('POST', `/api/v1${path}`, { token: user.token, ...(body !== undefined ? { body } : {}) });

async function center(slug: string) {
  const cc = await w.center({ slug, agents: 1 });
  const devices = cc.agents.map((a) => w.sim.registerUser(a.sipUser));
  await setAgentState(w.t, cc.agents[0]!, 'idle');
  return { cc, devices };
}

/** Caller → IVR key 1 (pressed as soon as the menu starts) → the agent answers → one room. */
async function connect(cc: CallCenter, devices: SimDevice[], from: string) {
  const call = await w.sim.placeCall({ from, to: cc.number });
  await call.expectPrompt(/press 1/, WAIT);
  call.press('1');
  const agent = (await devices[0]!.nextRing(WAIT)).answer();
  const sessionId = await until(async () => {
    const r = await w.t.app.database.pool.query('select id from call_sessions where customer_call_sid = $1', [
      call.callSid,
    ]);
    return r.rows[0]?.id as string | undefined;
  }, 'session');
  await until(async () => call.conference && call.conference === agent.conference, 'customer and agent in the room');
  return { call, agent, sessionId };
}

async function template(cc: CallCenter, body: Record<string, unknown>): Promise<string> {
  const res = await post(cc.admin, '/collect-templates', { variable: 'code', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

/** The agent's `session.digits` event (one per collection), waited for as long as prompts take. */
async function digitsEvent(ws: Awaited<ReturnType<typeof socket>>) {
  const f = await until(async () => ws.frames.find((x) => x.type === 'session.digits'), 'session.digits', 60_000);
  return f.data;
}

async function variables(cc: CallCenter, sessionId: string): Promise<Record<string, string>> {
  return (await w.t.request('GET', `/api/v1/sessions/${sessionId}`, { token: cc.supervisor.token })).body.variables;
}

describe('digit collection templates', () => {
  it('[CTL-10] the template round-trips its failure prompt and maximum tries through the API', async () => {
    const { cc } = await center('tpl-api');
    const id = await template(cc, {
      name: 'Order',
      prompt: 'Enter your order number.',
      minDigits: 6,
      maxDigits: 6,
      failurePrompt: 'That order number is not valid.',
      maxTries: 4,
    });
    const list = await w.t.request('GET', '/api/v1/collect-templates', { token: cc.admin.token });
    expect(list.body.items).toEqual([
      expect.objectContaining({
        id,
        minDigits: 6,
        maxDigits: 6,
        failurePrompt: 'That order number is not valid.',
        maxTries: 4,
      }),
    ]);
    const bad = await post(cc.admin, '/collect-templates', {
      name: 'x',
      prompt: 'x',
      maxDigits: 4,
      variable: 'x',
      maxTries: 0,
    });
    expect(bad.status).toBe(400);
  });

  it('[CTL-10] a fixed length: too few digits are refused with the failure prompt and asked again; the right length is taken', async () => {
    const { cc, devices } = await center('tpl-fixed');
    const id = await template(cc, {
      name: 'Order number',
      prompt: 'Enter your six digit order number.',
      minDigits: 6,
      maxDigits: 6,
      finishOnKey: '#',
      timeoutSeconds: 20,
      failurePrompt: 'That order number is not valid.',
      maxTries: 3,
    });
    const { call, agent, sessionId } = await connect(cc, devices, '13900002001');
    const ws = await socket(w, cc.agents[0]!);
    expect((await post(cc.agents[0]!, `/sessions/${sessionId}/collect`, { templateId: id })).status).toBe(202);

    await call.expectPrompt(/six digit order number/, WAIT);
    call.press('123#'); // ended by the finish key below the length
    await call.expectPrompt(/That order number is not valid\. Enter your six digit order number/, WAIT);
    expect(ws.frames.filter((f) => f.type === 'session.digits')).toEqual([]); // no result yet
    call.press('6543217'); // the gather stops at six: the seventh key is not part of it
    expect(await digitsEvent(ws)).toMatchObject({
      sessionId,
      templateId: id,
      digits: '654321',
      failed: false,
      tries: 2,
    });
    expect(await variables(cc, sessionId)).toMatchObject({ code: '654321' });
    await until(async () => call.conference === agent.conference && call.conference, 'customer back in the room');
    call.hangup();
    await agent.ended;
  });

  it('[CTL-10] a length range: below the minimum is refused; within it, the digits typed when the timeout strikes count', async () => {
    const { cc, devices } = await center('tpl-range');
    const id = await template(cc, {
      name: 'Member id',
      prompt: 'Enter your member id.',
      minDigits: 4,
      maxDigits: 8,
      finishOnKey: '#',
      timeoutSeconds: 3,
      failurePrompt: 'Too short.',
      maxTries: 2,
    });
    const { call, agent, sessionId } = await connect(cc, devices, '13900002002');
    const ws = await socket(w, cc.agents[0]!);
    expect((await post(cc.agents[0]!, `/sessions/${sessionId}/collect`, { templateId: id })).status).toBe(202);

    await call.expectPrompt(/Enter your member id/, WAIT);
    call.press('12#');
    await call.expectPrompt(/Too short\. Enter your member id/, WAIT);
    call.press('12345'); // no finish key: the timeout ends it with the minimum reached
    expect(await digitsEvent(ws)).toMatchObject({ digits: '12345', failed: false, timedOut: false, tries: 2 });
    expect(await variables(cc, sessionId)).toMatchObject({ code: '12345' });
    await until(async () => call.conference === agent.conference && call.conference, 'customer back in the room');
    call.hangup();
    await agent.ended;
  });

  it('[CTL-10] timeouts are retried up to the maximum tries; then the failure prompt, the agent is told and the customer is back', async () => {
    const { cc, devices } = await center('tpl-fail');
    const id = await template(cc, {
      name: 'PIN',
      prompt: 'Enter your PIN.',
      minDigits: 4,
      maxDigits: 4,
      timeoutSeconds: 1,
      failurePrompt: 'No PIN received.',
      maxTries: 2,
    });
    const { call, agent, sessionId } = await connect(cc, devices, '13900002003');
    const ws = await socket(w, cc.agents[0]!);
    expect((await post(cc.agents[0]!, `/sessions/${sessionId}/collect`, { templateId: id })).status).toBe(202);

    // The customer keys in nothing, twice.
    expect(await digitsEvent(ws)).toMatchObject({
      sessionId,
      templateId: id,
      variable: 'code',
      digits: '',
      failed: true,
      reason: 'timeout',
      tries: 2,
    });
    const heard = call.heard.slice(call.heard.findIndex((h) => /^Enter your PIN/.test(h)));
    expect(heard.slice(0, 3)).toEqual(['Enter your PIN.', 'No PIN received. Enter your PIN.', 'No PIN received.']);
    expect(await variables(cc, sessionId)).not.toHaveProperty('code');
    await until(async () => call.conference === agent.conference && call.conference, 'customer back in the room');
    expect(agent.status).toBe('in-progress'); // the agent stayed on the line
    const back = await until(
      async () => ws.frames.find((f) => f.type === 'session.customer' && f.data.away === null),
      'customer back event',
    );
    expect(back.data.sessionId).toBe(sessionId);
    call.hangup();
    await agent.ended;
  });
});
