/**
 * State lives in PostgreSQL, not in the process: kill the app in the middle of a call, start it
 * again on the same data, and the call goes on and ends with a complete CDR.
 */
import { describe, expect, it } from 'vitest';
import { setAgentState } from '../../core/test/support/call-center.js';
import { step, until } from './support/harness.js';
import { bridged, callPresales, recordAs, useLiveWorld } from './support/live-world.js';

// jambonz lives outside the app: a standalone simulator survives the restart. It reaches the
// app through a balancer, as in production, so the new process may listen anywhere.
const w = useLiveWorld({
  secret: 'restart-webhook-secret',
  timeScale: 0.05,
  calls: { wrapUpSeconds: 0, sweepIntervalMs: 200 },
  center: { slug: 'restart', agents: 1 },
  restartable: true,
  // Killing the app cuts the customer's audio fork.
  expectedAlerts: /audio fork/,
});

describe('restart mid-call', () => {
  it(
    '[IN-01] keeps a bridged call across an app restart and writes its CDR once it ends',
    { timeout: 120_000 },
    async () => {
      const { cc, sim } = w;
      const device = sim.registerUser(cc.agents[0]!.sipUser);
      await setAgentState(w.t, cc.agents[0]!, 'idle');

      const call = await callPresales(w, cc, '13955556666');
      const leg = (await device.nextRing({ timeoutMs: 10_000 })).answer();
      await bridged(call, leg);
      const { id: sessionId } = (await w.t.app.database.pool.query('select id from call_sessions')).rows[0];

      // Kill it (the in-process equivalent: everything closed, nothing kept in memory).
      await w.stopApp();
      expect(call.status).toBe('in-progress');

      await w.startApp();
      const before = await w.t.app.database.pool.query('select state, agent_id from call_sessions where id = $1', [
        sessionId,
      ]);
      expect(before.rows[0]).toEqual({ state: 'bridged', agent_id: cc.agents[0]!.id });
      // The conversation goes on in jambonz while the app is away; now the customer hangs up.
      await new Promise((r) => setTimeout(r, 100));
      call.hangup();
      await step('caller ends', call.ended);
      await step('agent leg ends', leg.ended);

      const cdr = await recordAs(w, cc.admin, sessionId);
      expect(cdr).toMatchObject({
        endStatus: 1,
        endStatusString: 'ok',
        hungUpSide: 'user',
        agentId: cc.agents[0]!.id,
        caller: '13955556666',
      });
      for (const k of ['startedAt', 'queuedAt', 'ringAt', 'acceptedAt', 'endedAt']) expect(cdr[k]).toBeTruthy();
      expect(cdr.ivrKeys).toEqual([expect.objectContaining({ key: '1' })]);
      const rows = await w.t.app.database.pool.query('select count(*)::int as n from cdrs');
      expect(rows.rows[0].n).toBe(1);
      await until(
        async () =>
          (await w.t.request('GET', '/api/v1/agents/me', { token: cc.agents[0]!.token })).body.state === 'idle',
        'agent idle',
      );
      expect(sim.alerts.filter((a) => !/audio fork/.test(a.message))).toEqual([]);
    },
  );
});
