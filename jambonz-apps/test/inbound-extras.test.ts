/**
 * Around the inbound path: number protection in everything an agent sees, plugins hearing the
 * call's life (with the CDR on `call.ended`), and the reaper for calls whose end never comes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { z } from 'zod';
import { seedCallCenter, setAgentState, type CallCenter } from '../../core/test/support/call-center.js';
import { startTestApp, type TestApp } from '../../core/test/support/test-app.js';
import { definePlugin } from '../../core/src/plugins/define-plugin.js';
import { jambonz } from '../src/app/adapter.js';
import type { JambonzSimulator } from '../src/simulator/index.js';
import { until } from './support/harness.js';

const seen: Array<{ hook: string; payload: Record<string, unknown> }> = [];
const recorder = definePlugin({
  name: 'call-recorder',
  version: '1.0.0',
  config: z.object({}),
  hooks: {
    'call.incoming': (p) => {
      seen.push({ hook: 'call.incoming', payload: { ...p } });
      return { annotations: { customerId: `crm-${p.from.slice(-4)}` } };
    },
    'call.queued': (p) => void seen.push({ hook: 'call.queued', payload: { ...p } }),
    'call.offered': (p) => void seen.push({ hook: 'call.offered', payload: { ...p } }),
    'call.answered': (p) => void seen.push({ hook: 'call.answered', payload: { ...p } }),
    'call.ended': (p) => void seen.push({ hook: 'call.ended', payload: { ...p } }),
  },
});

let t: TestApp;
let sim: JambonzSimulator;
let cc: CallCenter;

beforeAll(async () => {
  t = await startTestApp({
    config: {
      telephony: jambonz({ apiBaseUrl: 'simulator', webhookSecret: 'extras-secret', simulator: { timeScale: 0.02 } }),
      calls: { wrapUpSeconds: 0, sweepIntervalMs: 100, quietSeconds: 1 },
      plugins: [recorder({})],
    },
  });
  sim = t.app.telephony!.extra!.simulator as JambonzSimulator;
  cc = await seedCallCenter(t, { slug: 'extras', agents: 1, settings: { numberProtection: true } });
});
afterAll(async () => {
  // Every verb array the app answered passed verb-specifications in the simulator.
  expect(sim.alerts).toEqual([]);
  await t?.stop();
});

describe('number protection and plugins on a real call', () => {
  it('[RT-07] [IN-04] [INT-03] agents never see the real number; supervisors and plugins do; call.ended carries the CDR', async () => {
    const agent = cc.agents[0]!;
    const device = sim.registerUser(agent.sipUser);
    await setAgentState(t, agent, 'idle');
    const ws = new WebSocket(`${t.url.replace(/^http/, 'ws')}/ws?access_token=${agent.token}`);
    const frames: string[] = [];
    ws.on('message', (m) => frames.push(m.toString()));
    await new Promise((r) => ws.once('open', r));

    const call = await sim.placeCall({ from: '13812345678', to: cc.number });
    await call.expectPrompt(/press 1/);
    call.press('1');
    const ring = await device.nextRing({ timeoutMs: 10_000 });
    // The agent's phone shows the masked number, and so does the offer on the workbench.
    expect(ring.from).toBe('138****5678');
    const offer = await until(
      async () => frames.map((f) => JSON.parse(f)).find((f) => f.type === 'call.offer'),
      'offer',
    );
    expect(offer.data.caller).toBe('138****5678');
    expect(offer.data.annotations).toEqual({ customerId: 'crm-5678' });
    const leg = ring.answer();
    await until(async () => call.conference && call.conference === leg.conference, 'bridged');
    call.hangup();
    await leg.ended;
    const sessionId = (
      await t.app.database.pool.query('select id from call_sessions where customer_call_sid = $1', [call.callSid])
    ).rows[0].id;

    const forAgent = await until(async () => {
      const r = await t.request('GET', `/api/v1/records/${sessionId}`, { token: agent.token });
      return r.status === 200 ? r.body : undefined;
    }, 'agent record');
    expect(forAgent.caller).toBe('138****5678');
    const agentList = await t.request('GET', '/api/v1/records', { token: agent.token });
    expect(JSON.stringify(agentList.body)).not.toContain('13812345678');
    expect(frames.join('\n')).not.toContain('13812345678');
    const forSupervisor = await t.request('GET', `/api/v1/records/${sessionId}`, { token: cc.supervisor.token });
    expect(forSupervisor.body.caller).toBe('13812345678');
    expect(forSupervisor.body.annotations).toEqual({ customerId: 'crm-5678' });

    // Plugins saw the whole life of the call, in order, and call.ended exactly once with the CDR.
    await until(async () => seen.some((s) => s.hook === 'call.ended'), 'call.ended hook');
    const mine = seen.filter((s) => s.payload.sessionId === sessionId).map((s) => s.hook);
    expect(mine).toEqual(['call.incoming', 'call.queued', 'call.offered', 'call.answered', 'call.ended']);
    const ended = seen.find((s) => s.hook === 'call.ended' && s.payload.sessionId === sessionId)!;
    expect(ended.payload.cdr).toMatchObject({
      sessionId,
      endStatus: 1,
      endStatusString: 'ok',
      caller: '13812345678',
      agentId: agent.id,
    });
    ws.close();
    await setAgentState(t, agent, 'offline');
  });
});

describe('reaper', () => {
  it('[IN-01] ends a session whose completed status never comes, exactly once', async () => {
    // A session for a leg the provider does not know (its completed was lost), quiet for a while.
    const callSid = '7f1b8f6e-0000-4000-8000-00000000dead';
    await t.app.database.pool.query(
      `insert into call_sessions (tenant_id, direction, caller, callee, customer_call_sid, state, queued_skill_group_id, queued_at, last_event_at)
       values ($1, 'inbound', '13700000000', $2, $3, 'queued', $4, now() - interval '1 minute', now() - interval '1 minute')`,
      [cc.tenantId, cc.number, callSid, cc.groups.presales],
    );
    const cdr = await until(
      async () => {
        const r = await t.app.database.pool.query(
          'select c.end_status, c.hung_up_side from cdrs c join call_sessions s on s.id = c.session_id where s.customer_call_sid = $1',
          [callSid],
        );
        return r.rows[0];
      },
      'reaped CDR',
      10_000,
    );
    expect(cdr).toEqual({ end_status: 103, hung_up_side: 'system' });
    const state = await t.app.database.pool.query('select state from call_sessions where customer_call_sid = $1', [
      callSid,
    ]);
    expect(state.rows[0].state).toBe('ended');
  });
});
