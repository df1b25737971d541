/**
 * Whole calls under load, end to end: callers dial the hotline through the jambonz simulator,
 * pick a menu key, wait in the queue, are answered by auto-answering agents, talk and hang up,
 * on two app instances behind a round-robin balancer sharing one PostgreSQL (or one instance on
 * embedded PGlite). Measures what the single-webhook rows of `run.ts` cannot: every webhook of a
 * call (IVR, queue rounds, agent leg, statuses) and the events the call publishes on the bus.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedCallCenter, setAgentState } from '../core/test/support/call-center.js';
import { startTestApp, type TestApp } from '../core/test/support/test-app.js';
import { freePorts, RoundRobin } from '../jambonz-apps/test/support/harness.js';

/** What one call-load run measured. */
export interface CallLoadResult {
  calls: number;
  agents: number;
  instances: number;
  /** Wall seconds from the first call placed to the last CDR written. */
  seconds: number;
  /** Webhook requests (`/jambonz/…`) answered by the apps, and their latency. */
  webhooks: number;
  p50: number;
  p99: number;
  /** Bus messages (one per event, ADR 0007) and the audiences they were for, per call. */
  messagesPerCall: number;
  audiencesPerCall: number;
  /** Calls that did not end served by an agent, webhook errors, simulator alerts. */
  failures: number;
  /** Calls whose script went wrong (no menu prompt, never bridged, not completed). */
  failedCalls: number;
  /** Calls with no CDR served by an agent; error logs of the apps; simulator alerts. */
  unserved: number;
  errorLogs: number;
  alerts: number;
  /** Why calls failed, most frequent first (call sids and numbers left out so they group). */
  reasons: Array<{ reason: string; n: number }>;
  /** Per webhook path: requests, p50 and p99 ms. */
  hooks: Array<{ path: string; n: number; p50: number; p99: number }>;
}

/** Options of {@link callLoad}. */
export interface CallLoadOptions {
  calls: number;
  agents: number;
  /** New calls per second; absent: every call at once (a burst). */
  rate?: number;
  /** A shared PostgreSQL database (two instances); absent: one instance on PGlite. */
  databaseUrl?: string;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs one call-load scenario and tears everything down again. */
export async function callLoad(opts: CallLoadOptions): Promise<CallLoadResult> {
  const { jambonz } = await import('../jambonz-apps/src/app/adapter.js');
  const { JambonzSimulator } = await import('../jambonz-apps/src/simulator/index.js');
  const secret = 'call-load-secret';
  // 1 simulated second = 200 ms: prompts, ringing and queue rounds run 5× faster than in life.
  const sim = await JambonzSimulator.start({ webhookSecret: secret, timeScale: 0.2 });
  const instances = opts.databaseUrl ? 2 : 1;
  const ports = await freePorts(instances);
  const lb = await RoundRobin.start(ports);
  const apps: TestApp[] = [];
  // Without a server: embedded PGlite in a scratch data directory, as `npm start` runs.
  const dataDir = await mkdtemp(join(tmpdir(), 'sb-call-load-'));
  try {
    for (const port of ports) {
      apps.push(
        await startTestApp({
          ...(opts.databaseUrl ? { db: { url: opts.databaseUrl } } : { db: 'data-dir', env: { DATA_DIR: dataDir } }),
          logLevel: 'info',
          config: {
            server: { port, host: '127.0.0.1', publicUrl: lb.url },
            telephony: jambonz({
              apiBaseUrl: sim.apiBaseUrl,
              accountSid: sim.accountSid,
              apiKey: sim.apiKey,
              webhookSecret: secret,
            }),
            calls: { wrapUpSeconds: 0, sweepIntervalMs: 500 },
          },
        }),
      );
    }
    const a = apps[0]!;
    sim.setApplication({ callHook: `${lb.url}/jambonz/call`, statusHook: `${lb.url}/jambonz/status` });
    const slug = `load-${Date.now().toString(36)}`;
    const cc = await seedCallCenter(a, { slug, agents: opts.agents, ringTimeoutSeconds: 30 });
    for (const [i, agent] of cc.agents.entries()) {
      sim.registerUser(agent.sipUser, { autoAnswerAfterMs: 1000 });
      await setAgentState(apps[i % apps.length]!, agent, 'idle');
    }
    let messages = 0;
    let audiences = 0;
    a.app.container.cradle.bus.subscribe((m) => {
      messages++;
      audiences += m.channels.length;
    });
    const logStart = apps.map((t) => t.logs.length);

    const started = performance.now();
    // Every call is settled, failed or not: one call that goes wrong is counted with its reason
    // and never throws away what the others measured.
    const outcomes = await Promise.allSettled(
      Array.from({ length: opts.calls }, async (_, i) => {
        // Open-loop arrivals: call i comes at i / rate seconds, whatever the earlier ones do.
        if (opts.rate) await new Promise((r) => setTimeout(r, (i * 1000) / opts.rate!));
        const call = await sim.placeCall({ from: `1380000${String(i).padStart(4, '0')}`, to: cc.number });
        try {
          await call.expectPrompt(/press 1/, { timeoutMs: 60_000 });
          call.press(i % 2 ? '1' : '2');
          const deadline = Date.now() + 180_000;
          while (!call.conference && !call.isFinal && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 20));
          }
          if (!call.conference) throw new Error(`never bridged (status ${call.status})`);
          await new Promise((r) => setTimeout(r, 100));
        } finally {
          call.hangup();
        }
        const end = await call.ended;
        if (end.status !== 'completed') throw new Error(`ended ${end.status} (${end.sipStatus})`);
      }),
    );
    const reasons = new Map<string, number>();
    for (const o of outcomes) {
      if (o.status === 'fulfilled') continue;
      const msg = o.reason instanceof Error ? o.reason.message : String(o.reason);
      const reason = msg.replace(/call [0-9a-f-]{36}: /, '').replace(/\d{6,}/g, 'N');
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    const failedCalls = outcomes.filter((o) => o.status === 'rejected').length;
    const pool = a.app.database.pool;
    const countCdrs = async () =>
      (
        await pool.query(
          `select count(*)::int as n from cdrs c join tenants t on t.id = c.tenant_id where t.slug = $1`,
          [slug],
        )
      ).rows[0].n as number;
    const cdrDeadline = Date.now() + 30_000;
    while ((await countCdrs()) < opts.calls && Date.now() < cdrDeadline) await new Promise((r) => setTimeout(r, 100));
    const seconds = (performance.now() - started) / 1000;

    const served = (
      await pool.query(
        `select count(*)::int as n from cdrs c join tenants t on t.id = c.tenant_id
         where t.slug = $1 and c.end_status = 1 and c.agent_id is not null`,
        [slug],
      )
    ).rows[0].n as number;
    const hooks = apps.flatMap((t, i) =>
      t.logs.slice(logStart[i]).filter((l) => l.msg === 'request' && String(l.url).startsWith('/jambonz/')),
    );
    const ms = hooks.map((l) => Number(l.ms)).sort((x, y) => x - y);
    const byHook = new Map<string, number[]>();
    for (const l of hooks) {
      const path = String(l.url).split('?')[0]!;
      byHook.set(path, [...(byHook.get(path) ?? []), Number(l.ms)]);
    }
    const errors = apps.flatMap((t, i) => t.logs.slice(logStart[i]).filter((l) => (l.level as number) >= 50)).length;
    return {
      calls: opts.calls,
      agents: opts.agents,
      instances,
      seconds,
      webhooks: hooks.length,
      p50: percentile(ms, 50),
      p99: percentile(ms, 99),
      messagesPerCall: messages / opts.calls,
      audiencesPerCall: audiences / opts.calls,
      hooks: [...byHook].map(([path, v]) => {
        v.sort((x, y) => x - y);
        return { path, n: v.length, p50: percentile(v, 50), p99: percentile(v, 99) };
      }),
      failures: failedCalls + (opts.calls - served) + errors + sim.alerts.length,
      failedCalls,
      unserved: opts.calls - served,
      errorLogs: errors,
      alerts: sim.alerts.length,
      reasons: [...reasons].map(([reason, n]) => ({ reason, n })).sort((x, y) => y.n - x.n),
    };
  } finally {
    for (const t of apps) await t.stop();
    await sim.stop();
    await lb.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
