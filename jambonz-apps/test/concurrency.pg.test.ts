/**
 * Load on the real thing: 200 simultaneous callers and 20 agents, two app instances behind a
 * round-robin balancer, one PostgreSQL server. No agent may ever hold two offers, every call
 * must end in exactly one CDR.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCallCenter, setAgentState, type CallCenter } from '../../core/test/support/call-center.js';
import { createServerDatabase } from '../../core/test/support/test-database.js';
import { startTestApp, type TestApp } from '../../core/test/support/test-app.js';
import { jambonz } from '../src/app/adapter.js';
import { JambonzSimulator, type SimCall } from '../src/simulator/index.js';
import { freePorts, RoundRobin, until } from './support/harness.js';

const SECRET = 'load-webhook-secret';
const CALLERS = 200;
const AGENTS = 20;

let db: { url: string; drop(): Promise<void> };
let sim: JambonzSimulator;
let lb: RoundRobin;
let a: TestApp;
let b: TestApp;
let cc: CallCenter;

beforeAll(async () => {
  db = await createServerDatabase();
  // 1 simulated second = 200 ms: the queue's waitHook rounds come 5× faster than in life,
  // which is load enough for two instances on two cores without starving the event loops.
  // The 200 initial call hooks come at once: on a busy 2-core machine answering them all takes
  // longer than jambonz's 10 s webhook timeout, and a call whose hook timed out is refused (480)
  // before it hears anything. This test is about routing under load, not about webhook latency
  // (`npm run bench` measures that), so the hooks and the recording forks' handshakes get a
  // budget that does not race the machine.
  sim = await JambonzSimulator.start({
    webhookSecret: SECRET,
    timeScale: 0.2,
    webhookTimeoutMs: 120_000,
    forkHandshakeTimeoutMs: 120_000,
  });
  // The balancer's port is needed before the apps start (it is their public URL), and the apps'
  // ports before the balancer routes: start on fixed free ports picked by listening on 0 first.
  const ports = await freePorts(2);
  lb = await RoundRobin.start(ports);
  const config = (port: number) => ({
    server: { port, host: '127.0.0.1', publicUrl: lb.url },
    telephony: jambonz({
      apiBaseUrl: sim.apiBaseUrl,
      accountSid: sim.accountSid,
      apiKey: sim.apiKey,
      webhookSecret: SECRET,
      // The app's answer budget matches the simulator's patience (see above).
      webhookBudgetMs: 120_000,
    }),
    calls: { wrapUpSeconds: 0, sweepIntervalMs: 500 },
    // 200 calls at once on two busy cores wait long for one of the pool's connections: the
    // default 10 s wait for one would refuse calls, which is not what this test is about.
    database: { timeouts: { connectMs: 120_000 } },
  });
  a = await startTestApp({ db: { url: db.url }, config: config(ports[0]!) });
  b = await startTestApp({ db: { url: db.url }, config: config(ports[1]!) });
  sim.setApplication({ callHook: `${lb.url}/jambonz/call`, statusHook: `${lb.url}/jambonz/status` });
  cc = await seedCallCenter(a, { slug: 'load', agents: AGENTS, ringTimeoutSeconds: 30 });
  for (const [i, agent] of cc.agents.entries()) {
    sim.registerUser(agent.sipUser, { autoAnswerAfterMs: 1000 });
    await setAgentState(i % 2 ? a : b, agent, 'idle');
  }
}, 120_000);

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await sim?.stop();
  await lb?.stop();
  await db?.drop();
}, 60_000);

describe('load on two instances', () => {
  it(
    '[RT-01] 200 callers, 20 agents: every call served once, no agent ever rung twice at a time',
    { timeout: 240_000 },
    async () => {
      const calls: SimCall[] = [];
      const scripts = Array.from({ length: CALLERS }, async (_, i) => {
        const call = await sim.placeCall({ from: `1390000${String(i).padStart(4, '0')}`, to: cc.number });
        calls.push(call);
        await call.expectPrompt(/press 1/, { timeoutMs: 60_000 }).catch((err: Error) => {
          const errors = [...a.logs, ...b.logs].filter((l) => (l.level as number) >= 50).slice(0, 3);
          throw new Error(
            `${err.message}; status ${call.status}; alerts ${JSON.stringify(sim.alerts.slice(0, 3))}; errors ${JSON.stringify(errors)}`,
          );
        });
        call.press(i % 2 ? '1' : '2');
        // Wait in the queue until an agent takes the call, talk a little, hang up.
        await until(async () => call.conference, `caller ${i} bridged`, 180_000);
        await new Promise((r) => setTimeout(r, 100));
        call.hangup();
        return call.ended;
      });
      const ends = await Promise.all(scripts);
      expect(ends.every((e) => e.status === 'completed')).toBe(true);

      const pool = a.app.database.pool;
      await until(
        async () => (await pool.query(`select count(*)::int as n from cdrs`)).rows[0].n === CALLERS,
        'all CDRs',
        30_000,
      );
      const sessions = await pool.query(`select state, count(*)::int as n from call_sessions group by state`);
      expect(sessions.rows).toEqual([{ state: 'ended', n: CALLERS }]);
      const cdrs = await pool.query(`select session_id, end_status, agent_id, hung_up_side from cdrs`);
      expect(new Set(cdrs.rows.map((r) => r.session_id)).size).toBe(CALLERS);
      const odd = cdrs.rows.filter((r) => !(r.end_status === 1 && r.agent_id && r.hung_up_side === 'user'));
      expect(odd).toEqual([]);

      // Per agent, offers never overlap in time: one call at a time, ringing or talking.
      const offers = await pool.query(
        `select agent_id, created_at, coalesce(ended_at, now()) as ended_at, state from call_offers order by agent_id, created_at`,
      );
      let overlaps = 0;
      for (let i = 1; i < offers.rows.length; i++) {
        const prev = offers.rows[i - 1];
        const cur = offers.rows[i];
        if (prev.agent_id === cur.agent_id && new Date(cur.created_at) < new Date(prev.ended_at)) overlaps++;
      }
      expect(overlaps).toBe(0);
      const served = new Set(cdrs.rows.map((r) => r.agent_id));
      expect(served.size).toBeGreaterThan(AGENTS / 2);

      // Both instances did real work.
      const hooks = (t: TestApp) =>
        t.logs.filter((l) => l.msg === 'request' && String(l.url).startsWith('/jambonz/')).length;
      expect(hooks(a)).toBeGreaterThan(50);
      expect(hooks(b)).toBeGreaterThan(50);
      expect(sim.alerts).toEqual([]);
    },
  );
});
