/**
 * State lives in PostgreSQL, not in the process: kill the app in the middle of a call, start it
 * again on the same data, and the call goes on and ends with a complete CDR.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seedCallCenter, setAgentState } from '../../core/test/support/call-center.js';
import { startTestApp, type TestApp } from '../../core/test/support/test-app.js';
import { jambonz } from '../src/app/adapter.js';
import { JambonzSimulator } from '../src/simulator/index.js';
import { until } from './support/harness.js';

const SECRET = 'restart-webhook-secret';

describe('restart mid-call', () => {
  let dir: string;
  let sim: JambonzSimulator;
  let second: TestApp | undefined;
  afterAll(async () => {
    await second?.stop();
    await sim?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(
    '[IN-01] keeps a bridged call across an app restart and writes its CDR once it ends',
    { timeout: 60_000 },
    async () => {
      dir = await mkdtemp(join(tmpdir(), 'sb-restart-'));
      // jambonz lives outside the app: a standalone simulator survives the restart.
      sim = await JambonzSimulator.start({ webhookSecret: SECRET, timeScale: 0.05 });
      console.error('STEP 1 sim = await JambonzSimulator.s');
      const config = (port: number) => ({
        server: { port, host: '127.0.0.1' },
        telephony: jambonz({
          apiBaseUrl: sim.apiBaseUrl,
          accountSid: sim.accountSid,
          apiKey: sim.apiKey,
          webhookSecret: SECRET,
        }),
        calls: { wrapUpSeconds: 0, sweepIntervalMs: 200 },
      });
      const first = await startTestApp({ db: 'data-dir', env: { DATA_DIR: dir }, config: config(0) });
      console.error('STEP 2 const first = await startTestA');
      const port = Number(new URL(first.url).port);
      console.error('STEP 3 const port = Number(new URL(fi');
      sim.setApplication({ callHook: `${first.url}/jambonz/call`, statusHook: `${first.url}/jambonz/status` });
      const cc = await seedCallCenter(first, { slug: 'restart', agents: 1 });
      console.error('STEP 4 const cc = await seedCallCente');
      const device = sim.registerUser(cc.agents[0]!.sipUser);
      await setAgentState(first, cc.agents[0]!, 'idle');
      console.error('STEP 5 await setAgentState(first, cc.');

      const call = await sim.placeCall({ from: '13955556666', to: cc.number });
      console.error('STEP 6 const call = await sim.placeCa');
      await call.expectPrompt(/press 1/);
      console.error('STEP 7 await call.expectPrompt(/press');
      call.press('1');
      const leg = (await device.nextRing({ timeoutMs: 10_000 })).answer();
      console.error('STEP 8 const leg = (await device.next');
      await until(async () => call.conference && call.conference === leg.conference, 'bridged');
      const { id: sessionId } = (await first.app.database.pool.query('select id from call_sessions')).rows[0];

      // Kill it (the in-process equivalent: everything closed, nothing kept in memory).
      await first.stop();
      console.error('STEP 9 await first.stop();');
      expect(call.status).toBe('in-progress');

      second = await startTestApp({ db: 'data-dir', env: { DATA_DIR: dir }, config: config(port) });
      console.error('STEP 10 second = await startTestApp({ ');
      expect(second.url).toBe(first.url);
      const before = await second.app.database.pool.query('select state, agent_id from call_sessions where id = $1', [
        sessionId,
      ]);
      expect(before.rows[0]).toEqual({ state: 'bridged', agent_id: cc.agents[0]!.id });
      // The conversation goes on in jambonz while the app is away; now the customer hangs up.
      await new Promise((r) => setTimeout(r, 100));
      call.hangup();
      console.error('STEP 11 call.hangup();');
      await call.ended;
      console.error('STEP 12 await call.ended;');
      await leg.ended;
      console.error('STEP 13 await leg.ended;');

      const cdr = await until(async () => {
        const r = await second!.request('GET', `/api/v1/records/${sessionId}`, { token: cc.admin.token });
        return r.status === 200 ? r.body : undefined;
      }, 'CDR after restart');
      expect(cdr).toMatchObject({
        endStatus: 1,
        endStatusString: 'ok',
        hungUpSide: 'user',
        agentId: cc.agents[0]!.id,
        caller: '13955556666',
      });
      for (const k of ['startedAt', 'queuedAt', 'ringAt', 'acceptedAt', 'endedAt']) expect(cdr[k]).toBeTruthy();
      expect(cdr.ivrKeys).toEqual([expect.objectContaining({ key: '1' })]);
      const rows = await second.app.database.pool.query('select count(*)::int as n from cdrs');
      expect(rows.rows[0].n).toBe(1);
      await until(
        async () =>
          (await second!.request('GET', '/api/v1/agents/me', { token: cc.agents[0]!.token })).body.state === 'idle',
        'agent idle',
      );
      expect(sim.alerts.filter((a) => !/audio fork/.test(a.message))).toEqual([]);
    },
  );
});
