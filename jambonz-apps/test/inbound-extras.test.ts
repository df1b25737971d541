/**
 * Around the inbound path: number protection in everything an agent sees, plugins hearing the
 * call's life (with the CDR on `call.ended`), and the reaper for calls whose end never comes.
 */
import { describe, expect, it } from 'vitest';
import { setAgentState } from '../../core/test/support/call-center.js';
import { until } from './support/harness.js';
import { hookRecorder } from './support/hook-recorder.js';
import { callPresales, recordAs, sessionIdOf, socket, talkAndHangUp, useLiveWorld } from './support/live-world.js';

/** What a plugin hears of the call's life; it annotates the call with a CRM id. */
const { plugin: recorder, heard: seen } = hookRecorder(
  'call-recorder',
  ['call.incoming', 'call.queued', 'call.offered', 'call.answered', 'call.ended'],
  { 'call.incoming': (p) => ({ annotations: { customerId: `crm-${p.from.slice(-4)}` } }) },
);

const w = useLiveWorld({
  secret: 'extras-secret',
  timeScale: 0.02,
  calls: { wrapUpSeconds: 0, sweepIntervalMs: 100, quietSeconds: 1 },
  plugins: [recorder({})],
  center: { slug: 'extras', agents: 1, settings: { numberProtection: true } },
});

describe('number protection and plugins on a real call', () => {
  it('[RT-07] [IN-04] [INT-03] agents never see the real number; supervisors and plugins do; call.ended carries the CDR', async () => {
    const agent = w.cc.agents[0]!;
    const device = w.sim.registerUser(agent.sipUser);
    await setAgentState(w.t, agent, 'idle');
    const ws = await socket(w, agent);

    const call = await callPresales(w, w.cc, '13812345678');
    const ring = await device.nextRing({ timeoutMs: 10_000 });
    // The agent's phone shows the masked number, and so does the offer on the workbench.
    expect(ring.from).toBe('138****5678');
    const offer = await ws.next('call.offer');
    expect(offer.data.caller).toBe('138****5678');
    expect(offer.data.annotations).toEqual({ customerId: 'crm-5678' });
    const leg = ring.answer();
    await talkAndHangUp(call, leg);
    const sessionId = await sessionIdOf(w, call);

    const forAgent = await recordAs(w, agent, sessionId);
    expect(forAgent.caller).toBe('138****5678');
    const agentList = await w.t.request('GET', '/api/v1/records', { token: agent.token });
    expect(JSON.stringify(agentList.body)).not.toContain('13812345678');
    expect(JSON.stringify(ws.frames)).not.toContain('13812345678');
    const forSupervisor = await w.t.request('GET', `/api/v1/records/${sessionId}`, { token: w.cc.supervisor.token });
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
  });
});

describe('reaper', () => {
  it('[IN-01] ends a session whose completed status never comes, exactly once', async () => {
    // A session for a leg the provider does not know (its completed was lost), quiet for a while.
    const callSid = '7f1b8f6e-0000-4000-8000-00000000dead';
    await w.t.app.database.pool.query(
      `insert into call_sessions (tenant_id, direction, caller, callee, customer_call_sid, state, queued_skill_group_id, queued_at, last_event_at)
       values ($1, 'inbound', '13700000000', $2, $3, 'queued', $4, now() - interval '1 minute', now() - interval '1 minute')`,
      [w.cc.tenantId, w.cc.number, callSid, w.cc.groups.presales],
    );
    const cdr = await until(
      async () => {
        const r = await w.t.app.database.pool.query(
          'select c.end_status, c.hung_up_side from cdrs c join call_sessions s on s.id = c.session_id where s.customer_call_sid = $1',
          [callSid],
        );
        return r.rows[0];
      },
      'reaped CDR',
      10_000,
    );
    expect(cdr).toEqual({ end_status: 103, hung_up_side: 'system' });
    const state = await w.t.app.database.pool.query('select state from call_sessions where customer_call_sid = $1', [
      callSid,
    ]);
    expect(state.rows[0].state).toBe('ended');
  });
});
