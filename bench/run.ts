/**
 * `npm run bench`: HTTP throughput and latency of Switchboard's hot paths, each as a ratio of a
 * bare Koa JSON endpoint measured in the same run on the same machine. The load generator
 * (autocannon) runs in its own process so it does not share the servers' event loop.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Koa from 'koa';
import { createApp } from '../core/src/app.js';

const run = promisify(execFile);
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);

interface Result {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
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
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

async function main(): Promise<void> {
  const bare = new Koa();
  bare.use((ctx) => {
    ctx.body = { status: 'ok' };
  });
  const bareServer = createServer(bare.callback()).listen(0, '127.0.0.1');
  await new Promise((r) => bareServer.once('listening', r));
  const bareUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}`;

  const results: Result[] = [];
  results.push(await load('bare Koa JSON (baseline)', bareUrl));

  // Embedded PGlite always; a real server too when BENCH_DATABASE_URL names one (a scratch
  // database: the demo tenant is seeded into it).
  const targets: Array<{ label: string; env: Record<string, string> }> = [{ label: 'PGlite', env: {} }];
  if (process.env.BENCH_DATABASE_URL)
    targets.push({ label: 'PostgreSQL', env: { DATABASE_URL: process.env.BENCH_DATABASE_URL } });
  for (const target of targets) {
    const dataDir = await mkdtemp(join(tmpdir(), 'sb-bench-'));
    const app = await createApp(
      { server: { port: 0, host: '127.0.0.1' }, log: { level: 'silent' } },
      { env: { DATA_DIR: dataDir, DEMO_PASSWORD: 'bench-password', SEED_DEMO: '1', ...target.env } },
    );
    const url = await app.listen();
    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@demo.local', password: 'bench-password' }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const auth = { authorization: `Bearer ${accessToken}` };
    const tag = `[${target.label}]`;
    if (target.label === 'PGlite') results.push(await load('GET /healthz (middleware only)', `${url}/healthz`));
    results.push(await load(`${tag} GET /api/v1/auth/me (JWT + 1 query)`, `${url}/api/v1/auth/me`, { headers: auth }));
    results.push(await load(`${tag} GET /api/v1/users (JWT + list)`, `${url}/api/v1/users`, { headers: auth }));
    // Sign-in is argon2id-bound by design; measured with few connections, not for speed.
    results.push(
      await load(`${tag} POST /api/v1/auth/login (argon2id, 4 conns)`, `${url}/api/v1/auth/login`, {
        connections: 4,
        method: 'POST',
        body: JSON.stringify({ email: 'admin@demo.local', password: 'bench-password' }),
        headers: { 'content-type': 'application/json' },
      }),
    );
    await app.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  bareServer.close();

  const base = results[0]!.rps;
  console.log(
    `\nSwitchboard HTTP bench — ${new Date().toISOString()} — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
  );
  console.log(`node ${process.version}, ${DURATION} s per scenario, 50 connections unless noted\n`);
  console.log('| scenario | req/s | p50 ms | p99 ms | vs baseline | errors |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(
      `| ${r.name} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${(r.rps / base).toFixed(2)}× | ${r.errors} |`,
    );
  }
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
