/**
 * `npm run tenant` (scripts/tenant.ts): the platform operator's CLI, on the embedded database
 * directly and through a running server's platform API; and the clear refusal when the server
 * holds the embedded data directory.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../scripts/tenant.js';
import { mailedPassword, platformEnv, TEST_PLATFORM_KEY } from './support/platform.js';
import { startTestApp } from './support/test-app.js';

const ROOT = resolve(import.meta.dirname, '../..');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sb-tenant-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI in this process, collecting what it prints. */
async function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await run(args, { LOG_LEVEL: 'warn', ...env }, (s) => lines.push(s));
  return { code, out: lines.join('\n') };
}

describe('npm run tenant on the database', () => {
  it('creates a tenant (printing the first admin’s mail without SMTP), lists, shows, disables and enables it', async () => {
    const env = { DATA_DIR: join(dir, 'direct') };
    const created = await cli(
      [
        'create',
        '--name',
        'Acme Co',
        '--slug',
        'acme',
        '--edition',
        'advanced',
        '--time-zone',
        'Asia/Shanghai',
        '--admin-email',
        'boss@acme.test',
        '--admin-name',
        'Boss',
      ],
      env,
    );
    expect(created.code, created.out).toBe(0);
    expect(created.out).toMatch(/Created tenant acme \([0-9a-f-]{36}\), advanced edition, Asia\/Shanghai/);
    expect(created.out).toMatch(/^Password: [A-Za-z0-9]{14}$/m);

    const list = await cli(['list', '--json'], env);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.out)).toMatchObject({
      total: 1,
      items: [{ slug: 'acme', edition: 'advanced', status: 'active', timeZone: 'Asia/Shanghai', userCount: 1 }],
    });
    // Options are checked before the database is opened.
    const bad = await cli(['create', '--name', 'X', '--slug', 'Not A Slug', '--admin-email', 'nope'], env);
    expect(bad.code).toBe(2);

    expect((await cli(['disable', 'acme'], env)).out).toBe('acme is disabled');
    expect((await cli(['enable', 'acme'], env)).out).toBe('acme is active');
    // Each call opens the embedded database anew (seconds each on a busy machine).
  }, 180_000);

  it('while the server holds the embedded data directory, says so and how to go through the server', async () => {
    const env = { DATA_DIR: join(dir, 'held') };
    const app = await startTestApp({ db: 'data-dir', env });
    try {
      const child = spawn('npm', ['run', '-s', 'tenant', '--', 'list'], {
        cwd: ROOT,
        env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((r) => child.on('close', r));
      expect(code, stderr).toBe(3);
      expect(stderr).toContain('is in use by another Switchboard process');
      expect(stderr).toContain(`pid ${process.pid}`);
      expect(stderr).toContain('npm run tenant -- --server http://localhost:');
    } finally {
      await app.stop();
    }
  }, 120_000);
});

describe('npm run tenant --server', () => {
  it('creates, lists and disables through the platform API; the disabled tenant’s admin cannot sign in', async () => {
    const t = await startTestApp({ env: platformEnv });
    try {
      const env = { PLATFORM_API_KEY: TEST_PLATFORM_KEY };
      const created = await cli(
        [
          '--server',
          t.url,
          'create',
          '--name',
          'Remote',
          '--slug',
          'remote',
          '--admin-email',
          'boss@remote.test',
          '--json',
        ],
        env,
      );
      expect(created.code, created.out).toBe(0);
      const answer = JSON.parse(created.out);
      expect(answer).toMatchObject({ tenant: { slug: 'remote', edition: 'standard' }, passwordSent: true });
      const password = await mailedPassword(t, answer.tenant.id, 'boss@remote.test');
      const list = await cli(['--server', t.url, 'list', '--q', 'remote'], env);
      expect(list.out).toMatch(/^remote\s+standard\s+active\s+1\s+UTC\s+Remote$/m);
      expect((await cli(['--server', t.url, 'disable', 'remote'], env)).out).toBe('remote is disabled');
      const login = await t.login('boss@remote.test', password);
      expect(login.status).toBe(403);
      expect(login.body.error.code).toBe('tenant_disabled');
      const wrongKey = await cli(['--server', t.url, 'list'], { PLATFORM_API_KEY: 'x'.repeat(40) });
      expect(wrongKey.code).toBe(1);
      const noKey = await cli(['--server', t.url, 'list'], {});
      expect(noKey.code).toBe(2);
    } finally {
      await t.stop();
    }
  });
});
