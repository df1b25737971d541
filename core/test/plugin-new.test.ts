/**
 * `npm run plugin:new` (docs/plugins.md): the scaffolded package's own test passes as generated,
 * on the real plugin host, and the scaffolder refuses bad names and existing folders.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const SCRIPT = join(ROOT, 'scripts/plugin-new.mjs');

describe('plugin kit: npm run plugin:new (INT-03)', () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('[INT-03] scaffolds a plugin package whose own test passes as generated', async () => {
    // Inside the repository (a dot-folder, which the suite's own globs skip), so the package
    // resolves `@switchboard/core` as a plugin in `plugins/` would.
    dir = await mkdtemp(join(ROOT, 'plugins/.scaffold-test-'));
    const out = await run(process.execPath, [SCRIPT, 'ticket-sync', '--dir', dir], { cwd: ROOT });
    expect(out.stdout).toContain('Created');
    const pkgDir = join(dir, 'ticket-sync');
    const pkg = JSON.parse(await readFile(join(pkgDir, 'package.json'), 'utf8'));
    const core = JSON.parse(await readFile(join(ROOT, 'core/package.json'), 'utf8'));
    expect(pkg.name).toBe('@switchboard/ticket-sync');
    expect(pkg.peerDependencies['@switchboard/core']).toBe(`^0.${core.version.split('.')[1]}.0`);
    const plugin = await readFile(join(pkgDir, 'src/plugin.ts'), 'utf8');
    expect(plugin).toContain("name: 'ticket-sync'");
    expect(plugin).toContain('export const ticketSync = definePlugin');
    expect(plugin).not.toMatch(/__[A-Z_]+__/);

    const vitest = join(ROOT, 'node_modules/vitest/vitest.mjs');
    const test = await run(process.execPath, [vitest, 'run', '--reporter=verbose'], {
      cwd: pkgDir,
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(test.stdout).toMatch(/✓ .*annotates an inbound call for a tenant that turned the plugin on/);
    expect(test.stdout).toMatch(/Tests\s+1 passed/);
  });

  it('refuses a name that is not kebab-case and a folder that exists', async () => {
    await expect(run(process.execPath, [SCRIPT, 'Ticket_Sync', '--dir', dir!], { cwd: ROOT })).rejects.toMatchObject({
      stderr: expect.stringContaining('not a kebab-case plugin name'),
    });
    await expect(run(process.execPath, [SCRIPT, 'ticket-sync', '--dir', dir!], { cwd: ROOT })).rejects.toMatchObject({
      stderr: expect.stringContaining('already exists'),
    });
    expect(existsSync(join(dir!, 'Ticket_Sync'))).toBe(false);
  });
});
