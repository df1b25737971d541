/**
 * `npm run bench`: HTTP throughput and latency of Switchboard's hot paths, each as a ratio of a
 * bare Koa JSON endpoint measured in the same run on the same machine. The load generators
 * (autocannon, and `bench/webhook-load.ts` where every request needs its own body) run in their
 * own processes so they do not share the servers' event loop.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Koa from 'koa';
import { pino } from 'pino';
import { createApp } from '../core/src/app.js';
import { DEMO_NUMBER } from '../core/src/demo/call-center.js';
import { signPayload } from '../jambonz-apps/src/protocol/signature.js';
import { callLoad, type CallLoadResult } from './call-load.js';
import { offerToCard, type OfferToCardResult } from './offer-to-card.js';
import { recordsPaging, type RecordsPagingResult } from './records-paging.js';
import { callHookBody, type LoadOptions, type LoadResult } from './webhook-load.js';

const run = promisify(execFile);
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
/** Known secret of the simulator-mode adapter, so the bench can sign webhooks. */
const WEBHOOK_SECRET = randomBytes(24).toString('hex');
/** Calling number of the bench's call hooks; their sessions are deleted afterwards. */
const BENCH_CALLER = '19990000000';
/** A number no tenant has: the call hook answers `sip:decline` after one lookup. */
const UNKNOWN_NUMBER = '4009999999';
/** New calls per second of the paced (open-loop) call hook scenario. */
const PACED_RATE = Number(process.env.BENCH_WEBHOOK_RATE ?? 50);
/** Callers and agents of the whole-call scenario (`bench/call-load.ts`). */
const LOAD_CALLS = Number(process.env.BENCH_CALLS ?? 200);
const LOAD_AGENTS = Number(process.env.BENCH_AGENTS ?? 20);
/** Arrival rate of the paced whole-call run (new calls per second). */
const LOAD_RATE = Number(process.env.BENCH_CALL_RATE ?? 10);
/** Agents signed in and offers timed in the browser scenario (`bench/offer-to-card.ts`). */
const OFFER_AGENTS = Number(process.env.BENCH_OFFER_AGENTS ?? 50);
const OFFER_SAMPLES = Number(process.env.BENCH_OFFER_SAMPLES ?? 40);
/** Records in the pull-API paging scenario (`bench/records-paging.ts`), and timed requests per page. */
const PAGING_RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const PAGING_SAMPLES = Number(process.env.BENCH_PAGING_SAMPLES ?? 30);
/**
 * Scenario groups to run (`BENCH_ONLY=paging`, comma-separated: http, calls, browser, paging);
 * all by default. The baselines always run: every ratio needs one measured in the same run.
 */
const ONLY = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const runs = (group: 'http' | 'calls' | 'browser' | 'paging') => ONLY.length === 0 || ONLY.includes(group);
/** Issue 10: from the server's offer event to the call card on screen, p99 ≤ 500 ms. */
const OFFER_CARD_P99_BUDGET_MS = 500;
/** DESIGN "Telephony": webhook answers within p99 < 50 ms. */
const WEBHOOK_P99_BUDGET_MS = 50;

interface Result {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Which baseline the ratio is taken against (the same client); none = no ratio. */
  baseline: 'autocannon' | 'webhook-load' | 'none';
}

async function load(
  name: string,
  url: string,
  opts: { connections?: number; method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Result> {
  const args = [
    'node_modules/autocannon/autocannon.js',
    '-j',
    '-c',
    String(opts.connections ?? 50),
    '-d',
    String(DURATION),
  ];
  if (opts.method) args.push('-m', opts.method);
  if (opts.body) args.push('-b', opts.body);
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push('-H', `${k}=${v}`);
  args.push(url);
  const { stdout } = await run('node', args, { maxBuffer: 16 * 1024 * 1024 });
  const r = JSON.parse(stdout) as {
    requests: { average: number };
    latency: { p50: number; p99: number };
    errors: number;
    non2xx: number;
  };
  return {
    name,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx,
    baseline: opts.connections === undefined ? 'autocannon' : 'none',
  };
}

/** Runs `bench/webhook-load.ts` in its own process (see there). */
async function webhookLoad(name: string, opts: LoadOptions): Promise<Result> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/webhook-load.ts', JSON.stringify(opts)], {
    env: { ...process.env, BENCH_WEBHOOK_SECRET: WEBHOOK_SECRET },
    maxBuffer: 16 * 1024 * 1024,
  });
  const r = JSON.parse(stdout) as LoadResult;
  return {
    name,
    rps: r.rps,
    p50: r.p50,
    p99: r.p99,
    errors: r.errors + r.unexpected,
    baseline: opts.rate === undefined ? 'webhook-load' : 'none',
  };
}

/**
 * The jambonz adapter imports `@switchboard/core`; without the `source` export condition that is
 * `core/dist`, a second copy of core beside the `core/src` this file runs (its errors would not
 * be the server's `AppError`). `npm run bench` starts plain tsx, so re-run with the condition.
 */
function resolvesSources(): boolean {
  try {
    return import.meta.resolve('@switchboard/core').endsWith('/core/src/index.ts');
  } catch {
    return false;
  }
}

/** Scenarios that went wrong: reported with the results, never in place of them. */
const failed: Array<{ name: string; error: string }> = [];

/**
 * Runs one scenario; an error is recorded in `failed` (and the scenario left out of the
 * tables) instead of ending the bench, so every scenario that did finish is still reported.
 */
async function attempt<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    failed.push({ name, error });
    console.error(`bench: "${name}" failed: ${error}`);
    return undefined;
  }
}

async function main(): Promise<void> {
  if (!resolvesSources()) {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
      { stdio: 'inherit' },
    );
    const code = await new Promise<number>((r) => child.on('exit', (c) => r(c ?? 1)));
    process.exit(code);
  }
  const { jambonz } = await import('../jambonz-apps/src/app/adapter.js');

  const bare = new Koa();
  bare.use((ctx) => {
    ctx.body = { status: 'ok' };
  });
  const bareServer = createServer(bare.callback()).listen(0, '127.0.0.1');
  await new Promise((r) => bareServer.once('listening', r));
  const bareUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}`;

  const results: Result[] = [];
  /** Runs a scenario and keeps its result; a failed one is recorded in `failed`. */
  const measure = async (name: string, fn: () => Promise<Result>): Promise<Result | undefined> => {
    const r = await attempt(name, fn);
    if (r) results.push(r);
    return r;
  };
  const callRuns: Array<{ target: string; r: CallLoadResult }> = [];
  const budget: Array<{ target: string; unknown?: Result; saturated?: Result; paced?: Result }> = [];
  let offerCard: OfferToCardResult | undefined;
  const paging: Array<{ target: string; r: RecordsPagingResult }> = [];
  try {
    await measureAll();
  } finally {
    bareServer.close();
    report(results, callRuns, budget, offerCard, paging);
  }
  if (failed.length > 0) process.exitCode = 1;

  async function measureAll(): Promise<void> {
    await measure('bare Koa JSON (baseline)', () => load('bare Koa JSON (baseline)', bareUrl));
    await measure('bare Koa JSON (baseline, webhook-load client)', () =>
      webhookLoad('bare Koa JSON (baseline, webhook-load client)', {
        url: bareUrl,
        kind: 'plain',
        connections: 50,
        durationSeconds: DURATION,
      }),
    );

    // Embedded PGlite always; a real server too when BENCH_DATABASE_URL names one (a scratch
    // database: the demo tenant is seeded into it).
    const targets: Array<{ label: string; env: Record<string, string> }> = [{ label: 'PGlite', env: {} }];
    if (process.env.BENCH_DATABASE_URL)
      targets.push({ label: 'PostgreSQL', env: { DATABASE_URL: process.env.BENCH_DATABASE_URL } });
    for (const target of runs('http') ? targets : []) {
      await attempt(`[${target.label}] HTTP scenarios`, () => httpScenarios(target));
    }

    // Whole calls: every webhook of a call and its bus events, not one request type.
    // Paced arrivals (a busy centre's steady state, and more), then all callers at once (a burst).
    for (const target of runs('calls') ? targets : []) {
      const databaseUrl = target.env.DATABASE_URL;
      for (const rate of [LOAD_RATE, undefined]) {
        const name = `${target.label}, ${rate ? `${rate} new calls/s` : 'all at once'}`;
        const r = await attempt(`whole calls ${name}`, () =>
          callLoad({
            calls: LOAD_CALLS,
            agents: LOAD_AGENTS,
            ...(rate ? { rate } : {}),
            ...(databaseUrl ? { databaseUrl } : {}),
          }),
        );
        if (r) callRuns.push({ target: name, r });
      }
    }

    // The browser: offer event → call card painted, with 50 agents signed in (PGlite).
    if (process.env.BENCH_SKIP_BROWSER !== '1' && runs('browser')) {
      offerCard = await attempt('offer to card (browser)', () =>
        offerToCard({ agents: OFFER_AGENTS, samples: OFFER_SAMPLES }),
      );
    }

    // The pull API over a large history: the oldest page as fast as the newest (issue 14).
    for (const target of runs('paging') ? targets : []) {
      const databaseUrl = target.env.DATABASE_URL;
      const r = await attempt(`records paging ${target.label}`, () =>
        recordsPaging({ total: PAGING_RECORDS, samples: PAGING_SAMPLES, ...(databaseUrl ? { databaseUrl } : {}) }),
      );
      if (r) paging.push({ target: target.label, r });
    }
  }

  async function httpScenarios(target: { label: string; env: Record<string, string> }): Promise<void> {
    const dataDir = await mkdtemp(join(tmpdir(), 'sb-bench-'));
    // Only errors are written (and counted): a webhook that fails in core still answers 200
    // with fallback verbs, so the error log is how such answers show up in the table.
    let errorLogs = 0;
    const logger = pino(
      { level: 'error' },
      new Writable({
        write(chunk: Buffer, _enc, cb) {
          errorLogs += chunk.toString().split('\n').filter(Boolean).length;
          cb();
        },
      }),
    );
    // The jambonz adapter in simulator mode: the webhook secret is ours, so we can sign. The
    // demo seed gives the call center (number 4001000000 → demo IVR → skill groups → agents).
    const app = await createApp(
      {
        server: { port: 0, host: '127.0.0.1' },
        telephony: jambonz({ apiBaseUrl: 'simulator', webhookSecret: WEBHOOK_SECRET }),
      },
      { logger, env: { DATA_DIR: dataDir, DEMO_PASSWORD: 'bench-password', SEED_DEMO: '1', ...target.env } },
    );
    try {
      const url = await app.listen();
      const login = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@demo.local', password: 'bench-password' }),
      });
      const { accessToken } = (await login.json()) as { accessToken: string };
      const auth = { authorization: `Bearer ${accessToken}` };
      const tag = `[${target.label}]`;
      const row = (name: string, path: string, opts?: Parameters<typeof load>[2]) =>
        measure(name, () => load(name, `${url}${path}`, opts));
      if (target.label === 'PGlite') await row('GET /healthz (middleware only)', '/healthz');
      await row(`${tag} GET /api/v1/auth/me (JWT + 1 query)`, '/api/v1/auth/me', { headers: auth });
      await row(`${tag} GET /api/v1/users (JWT + list)`, '/api/v1/users', { headers: auth });
      // Sign-in is argon2id-bound by design; measured with few connections, not for speed.
      await row(`${tag} POST /api/v1/auth/login (argon2id, 4 conns)`, '/api/v1/auth/login', {
        connections: 4,
        method: 'POST',
        body: JSON.stringify({ email: 'admin@demo.local', password: 'bench-password' }),
        headers: { 'content-type': 'application/json' },
      });

      // The inbound call webhook. Unknown number: signature check, payload parse, two lookups,
      // `sip:decline`; one fixed body, signed once (the 300 s tolerance outlasts the run).
      const cleanup = () =>
        app.database.pool.query('delete from call_sessions where caller = $1', [BENCH_CALLER]).catch((err: unknown) => {
          console.warn('could not delete the bench call sessions', err);
        });
      await cleanup();
      const unknownBody = callHookBody('0a0c3b7e-2c8b-4a53-9a3f-00000000bench', BENCH_CALLER, UNKNOWN_NUMBER);
      // Errors logged by core while a webhook scenario ran count as that scenario's errors.
      const hookRow = async (name: string, fn: () => Promise<Result>) =>
        measure(name, async () => {
          const before = errorLogs;
          const r = await fn();
          r.errors += errorLogs - before;
          return r;
        });
      const unknownName = `${tag} POST /jambonz/call unknown number → sip:decline`;
      const unknown = await hookRow(unknownName, () =>
        load(unknownName, `${url}/jambonz/call`, {
          method: 'POST',
          body: unknownBody,
          headers: {
            'content-type': 'application/json',
            'jambonz-signature': signPayload(WEBHOOK_SECRET, unknownBody),
          },
        }),
      );
      // Known number: a new session, the IVR's first step and its verbs; every request is a new
      // call (own call_sid, own signature). At saturation, then at a steady rate of new calls.
      const known: LoadOptions = {
        url: `${url}/jambonz/call`,
        kind: 'call-hook',
        from: BENCH_CALLER,
        to: DEMO_NUMBER,
        expect: '"verb":"gather"',
        connections: 50,
        durationSeconds: DURATION,
      };
      const saturatedName = `${tag} POST /jambonz/call known number → IVR (new session)`;
      const saturated = await hookRow(saturatedName, () => webhookLoad(saturatedName, known));
      const pacedName = `${tag} POST /jambonz/call known number, paced ${PACED_RATE} calls/s`;
      const paced = await hookRow(pacedName, () => webhookLoad(pacedName, { ...known, rate: PACED_RATE }));
      budget.push({
        target: target.label,
        ...(unknown ? { unknown } : {}),
        ...(saturated ? { saturated } : {}),
        ...(paced ? { paced } : {}),
      });
      await cleanup();
    } finally {
      await app.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }
}

/** Prints every result measured (and every scenario that failed), whatever went wrong. */
function report(
  results: Result[],
  callRuns: Array<{ target: string; r: CallLoadResult }>,
  budget: Array<{ target: string; unknown?: Result; saturated?: Result; paced?: Result }>,
  offerCard: OfferToCardResult | undefined,
  paging: Array<{ target: string; r: RecordsPagingResult }>,
): void {
  const base: Record<Result['baseline'], number | undefined> = {
    autocannon: results.find((r) => r.baseline === 'autocannon')?.rps,
    'webhook-load': results.find((r) => r.baseline === 'webhook-load')?.rps,
    none: undefined,
  };
  console.log(
    `\nSwitchboard HTTP bench — ${new Date().toISOString()} — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
  );
  console.log(
    `node ${process.version}, ${DURATION} s per scenario, 50 connections unless noted; ` +
      'ratios against the bare-Koa baseline measured with the same client\n',
  );
  console.log('| scenario | req/s | p50 ms | p99 ms | vs baseline | errors |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const b = base[r.baseline];
    const ratio = b ? `${(r.rps / b).toFixed(2)}×` : '—';
    console.log(`| ${r.name} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${ratio} | ${r.errors} |`);
  }
  console.log(
    `\nWhole calls (bench/call-load.ts): ${LOAD_CALLS} callers, ${LOAD_AGENTS} auto-answering agents, ` +
      'simulator at 1 s = 200 ms; IVR menu, queue, answer, 100 ms talk, hang-up. Simulator, balancer and ' +
      'both instances share this one process (and its event loop)\n',
  );
  console.log(
    '| target | instances | calls/s | webhooks | webhook p50 ms | webhook p99 ms | bus messages / call | audiences / call | failures |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const { target, r } of callRuns) {
    const hooks = r.hooks.map((h) => `${h.path} ${h.n}× p50 ${h.p50} p99 ${h.p99}`).join('; ');
    console.log(`\n${target} webhooks by path (ms): ${hooks}`);
  }
  for (const { target, r } of callRuns) {
    console.log(
      `| ${target} | ${r.instances} | ${(r.calls / r.seconds).toFixed(1)} | ${r.webhooks} | ${r.p50} | ${r.p99} | ` +
        `${r.messagesPerCall.toFixed(1)} | ${r.audiencesPerCall.toFixed(1)} | ${r.failures} |`,
    );
  }
  console.log(`\nWebhook budget (DESIGN "Telephony"): p99 < ${WEBHOOK_P99_BUDGET_MS} ms`);
  for (const b of budget) {
    const verdict = (r: Result | undefined) =>
      r ? `p99 ${r.p99} ms ${r.p99 < WEBHOOK_P99_BUDGET_MS && r.errors === 0 ? 'met' : 'NOT met'}` : 'not measured';
    console.log(
      `- ${b.target}: paced ${PACED_RATE} new calls/s ${verdict(b.paced)}; at saturation (50 conns) ` +
        `unknown number ${verdict(b.unknown)}, known number ${verdict(b.saturated)}`,
    );
  }
  for (const { target, r } of callRuns) {
    const met = r.p99 < WEBHOOK_P99_BUDGET_MS && r.failures === 0;
    console.log(`- ${target}: every webhook of ${r.calls} whole calls p99 ${r.p99} ms ${met ? 'met' : 'NOT met'}`);
  }
  for (const { target, r } of callRuns) {
    if (r.failures === 0) continue;
    console.log(
      `\n${target}: ${r.failedCalls} of ${r.calls} calls failed, ${r.unserved} not served by an agent, ` +
        `${r.errorLogs} error logs, ${r.alerts} simulator alerts` +
        (r.reasons.length > 0 ? `; why calls failed: ${r.reasons.map((x) => `${x.n}× ${x.reason}`).join('; ')}` : ''),
    );
  }
  if (offerCard) {
    const o = offerCard;
    const met = o.p99 <= OFFER_CARD_P99_BUDGET_MS && o.missing === 0;
    console.log(
      `\nOffer → call card in the browser (bench/offer-to-card.ts): ${o.agents} agents signed in (1 in ` +
        `headless Chromium, ${o.agents - 1} on their realtime sockets), ${o.samples} offers one after another; ` +
        'from the server publishing `call.offer` to the first frame painted with the card\n',
    );
    console.log('| agents | offers | p50 ms | p95 ms | p99 ms | max ms | first offer ms | no card |');
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
    console.log(
      `| ${o.agents} | ${o.samples} | ${o.p50} | ${o.p95} | ${o.p99} | ${o.max} | ${o.first} | ${o.missing} |`,
    );
    console.log(
      `- Budget (issue 10): p99 ≤ ${OFFER_CARD_P99_BUDGET_MS} ms with ${o.agents} agents: p99 ${o.p99} ms ${met ? 'met' : 'NOT met'}`,
    );
  }
  if (paging.length > 0) {
    console.log(
      '\nPull API paging (bench/records-paging.ts): GET /api/v1/records, 50 per page, one tenant; the oldest ' +
        'page by cursor (`before`) and by page number (OFFSET), as a ratio of the newest page\n',
    );
    console.log(
      '| target | records | insert s | newest p50/p99 ms | oldest by cursor p50/p99 ms | vs newest | oldest by OFFSET p50/p99 ms | vs newest |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const { target, r } of paging) {
      const ratio = (x: number) => `${(x / Math.max(r.newest.p50, 0.1)).toFixed(2)}×`;
      console.log(
        `| ${target} | ${r.records} | ${r.insertSeconds} | ${r.newest.p50} / ${r.newest.p99} | ` +
          `${r.oldestByCursor.p50} / ${r.oldestByCursor.p99} | ${ratio(r.oldestByCursor.p50)} | ` +
          `${r.oldestByOffset.p50} / ${r.oldestByOffset.p99} | ${ratio(r.oldestByOffset.p50)} |`,
      );
    }
  }
  if (failed.length > 0) {
    console.log(`\nScenarios that failed (${failed.length}; left out of the tables above):`);
    for (const f of failed) console.log(`- ${f.name}: ${f.error}`);
  }
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
