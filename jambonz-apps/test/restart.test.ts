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
import { createServerDatabase } from '../../core/test/support/test-database.js';
import { RoundRobin, until } from './support/harness.js';

/**
 * Fails with the step's name instead of a bare test timeout when something hangs. A start
 * opens (and on the first start migrates) a fresh database: that takes several seconds on a
 * loaded 2-core machine, hence the longer budget of the start steps.
 */
async function step<T>(name: string, p: Promise<T>, ms = 15_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`step "${name}" did not finish in ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const SECRET = 'restart-webhook-secret';
/** Budget of one app start (16 s was seen under load; a hang still fails well before the test's limit). */
const START_MS = 40_000;

describe('restart mid-call', () => {
  let dir: string;
  let sim: JambonzSimulator;
  let second: TestApp | undefined;
  let lb: RoundRobin | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await second?.stop();
    await sim?.stop();
    await lb?.stop();
    await dropDb?.();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(
    '[IN-01] keeps a bridged call across an app restart and writes its CDR once it ends',
    { timeout: 120_000 },
    async () => {
      dir = await mkdtemp(join(tmpdir(), 'sb-restart-'));
      // jambonz lives outside the app: a standalone simulator survives the restart. It reaches the
      // app through a balancer, as in production, so the new process may listen anywhere.
      sim = await JambonzSimulator.start({ webhookSecret: SECRET, timeScale: 0.05 });
      lb = await RoundRobin.start([1]);
      // The real server where CI provides one (production's shape); embedded PGlite otherwise.
      const server = process.env.TEST_DATABASE_URL ? await createServerDatabase() : undefined;
      dropDb = server?.drop;
      const start = () =>
        startTestApp({
          ...(server ? { db: { url: server.url } } : { db: 'data-dir' as const, env: { DATA_DIR: dir } }),
          config: {
            server: { port: 0, host: '127.0.0.1', publicUrl: lb!.url },
            telephony: jambonz({
              apiBaseUrl: sim.apiBaseUrl,
              accountSid: sim.accountSid,
              apiKey: sim.apiKey,
              webhookSecret: SECRET,
            }),
            calls: { wrapUpSeconds: 0, sweepIntervalMs: 200 },
          },
        });
      const first = await step('first start', start(), START_MS);
      lb.setBackends([Number(new URL(first.url).port)]);
      sim.setApplication({ callHook: `${lb.url}/jambonz/call`, statusHook: `${lb.url}/jambonz/status` });
      const cc = await seedCallCenter(first, { slug: 'restart', agents: 1 });
      const device = sim.registerUser(cc.agents[0]!.sipUser);
      await setAgentState(first, cc.agents[0]!, 'idle');

      const call = await sim.placeCall({ from: '13955556666', to: cc.number });
      await call.expectPrompt(/press 1/);
      call.press('1');
      const leg = (await device.nextRing({ timeoutMs: 10_000 })).answer();
      await until(async () => call.conference && call.conference === leg.conference, 'bridged');
      const { id: sessionId } = (await first.app.database.pool.query('select id from call_sessions')).rows[0];

      // Kill it (the in-process equivalent: everything closed, nothing kept in memory).
      await step('stop', first.stop());
      expect(call.status).toBe('in-progress');

      second = await step('second start', start(), START_MS);
      lb.setBackends([Number(new URL(second.url).port)]);
      const before = await second.app.database.pool.query('select state, agent_id from call_sessions where id = $1', [
        sessionId,
      ]);
      expect(before.rows[0]).toEqual({ state: 'bridged', agent_id: cc.agents[0]!.id });
      // The conversation goes on in jambonz while the app is away; now the customer hangs up.
      await new Promise((r) => setTimeout(r, 100));
      call.hangup();
      await step('caller ends', call.ended);
      await step('agent leg ends', leg.ended);

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
