/**
 * Builds the web app (admin-ui) only when its sources changed since the last build: a hash of
 * every source file is kept next to the build (`admin-ui/dist/.source-hash`), so `npm start`
 * and `npm run build` cost nothing when the UI is unchanged.
 *
 *   node scripts/build-ui.mjs          build if needed
 *   node scripts/build-ui.mjs --force  build anyway
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const UI = join(ROOT, 'admin-ui');
const DIST = join(UI, 'dist');
const HASH_FILE = join(DIST, '.source-hash');

/** What the build reads: sources, static files, config, and the lockfile (dependency versions). */
const INPUTS = [
  'src',
  'public',
  'index.html',
  'vite.config.ts',
  'package.json',
  'tsconfig.json',
  '../package-lock.json',
  // The SDK's protocol, which the embedded workbench speaks.
  '../sdk/src/protocol.ts',
];

function files(path) {
  if (!existsSync(path)) return [];
  const st = statSync(path);
  if (st.isFile()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => files(join(path, name)));
}

/** One hash over the relative path and content of every input file (tests excluded). */
export function sourceHash() {
  const h = createHash('sha256');
  for (const input of INPUTS) {
    for (const f of files(join(UI, input))) {
      if (/\.test\.ts$/.test(f)) continue;
      h.update(relative(ROOT, f)).update('\0').update(readFileSync(f)).update('\0');
    }
  }
  return h.digest('hex');
}

const force = process.argv.includes('--force');
const hash = sourceHash();
const built = existsSync(HASH_FILE) ? readFileSync(HASH_FILE, 'utf8').trim() : '';
if (!force && built === hash && existsSync(join(DIST, 'index.html'))) {
  console.log('admin-ui: up to date (sources unchanged since the last build)');
  process.exit(0);
}
console.log('admin-ui: building…');
const r = spawnSync('npm', ['run', 'build', '-w', 'admin-ui'], { cwd: ROOT, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
writeFileSync(HASH_FILE, `${hash}\n`);
