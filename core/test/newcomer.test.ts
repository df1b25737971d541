/**
 * The newcomer's path: `npm start` on a fresh data directory, then sign in as the demo admin
 * with the password the banner printed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

interface Started {
  child: ChildProcess;
  output: () => string;
  url: string;
}

async function npmStart(env: Record<string, string>): Promise<Started> {
  // A process group of its own, so stopping it also stops the node process npm spawned.
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 120_000;
  for (;;) {
    const m = /URL:\s+(http:\/\/\S+)/.exec(out);
    if (m) return { child, output: () => out, url: m[1]! };
    if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}:\n${out}`);
    if (Date.now() > deadline) throw new Error(`npm start printed no URL in time:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stop(s: Started | undefined): Promise<void> {
  if (!s || s.child.exitCode !== null || s.child.signalCode !== null) return;
  const exited = new Promise((r) => s.child.once('exit', r));
  process.kill(-s.child.pid!, 'SIGTERM');
  await exited;
}

describe('npm start on a fresh machine', () => {
  let dir: string;
  let first: Started | undefined;
  let second: Started | undefined;
  afterAll(async () => {
    await stop(first);
    await stop(second);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(
    '[LOGIN-01] starts, becomes ready and lets the demo admin sign in with the printed password',
    { timeout: 240_000 },
    async () => {
      dir = await mkdtemp(join(tmpdir(), 'sb-newcomer-'));
      first = await npmStart({ DATA_DIR: dir });
      let ready = 0;
      for (let i = 0; i < 100 && ready !== 200; i++) {
        ready = (await fetch(`${first.url}/readyz`)).status;
        if (ready !== 200) await new Promise((r) => setTimeout(r, 200));
      }
      expect(ready).toBe(200);
      const banner = first.output();
      for (const email of [
        'admin@demo.local',
        'supervisor@demo.local',
        'agent1@demo.local',
        'agent2@demo.local',
        'agent3@demo.local',
      ]) {
        expect(banner).toContain(email);
      }
      const password = /admin\s+admin@demo\.local\s+(\S+)/.exec(banner)?.[1];
      expect(password).toBeDefined();
      const login = await fetch(`${first.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@demo.local', password }),
      });
      expect(login.status).toBe(200);
      const body = (await login.json()) as { user: { role: string }; accessToken: string };
      expect(body.user.role).toBe('admin');
      const tenant = await fetch(`${first.url}/api/v1/tenant`, {
        headers: { authorization: `Bearer ${body.accessToken}` },
      });
      expect(((await tenant.json()) as { edition: string }).edition).toBe('advanced');
      await stop(first);
      expect(first.child.exitCode ?? first.child.signalCode).not.toBeNull();

      // Second start on the same data: seeding is idempotent, passwords are left alone.
      second = await npmStart({ DATA_DIR: dir });
      expect(second.output()).toMatch(/admin\s+admin@demo\.local\s+\(unchanged/);
      const again = await fetch(`${second.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@demo.local', password }),
      });
      expect(again.status).toBe(200);
    },
  );

  it('[LOGIN-01] DEMO_PASSWORD fixes one password for every demo user', { timeout: 240_000 }, async () => {
    const d = await mkdtemp(join(tmpdir(), 'sb-newcomer-'));
    const s = await npmStart({ DATA_DIR: d, DEMO_PASSWORD: 'switchboard-demo' });
    try {
      for (const email of ['supervisor@demo.local', 'agent3@demo.local']) {
        const res = await fetch(`${s.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password: 'switchboard-demo' }),
        });
        expect(res.status, email).toBe(200);
      }
    } finally {
      await stop(s);
      await rm(d, { recursive: true, force: true });
    }
  });
});
