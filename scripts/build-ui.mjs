/**
 * Builds the frontends — the web app (admin-ui) and the agent mini-program (weapp and h5) — each
 * only when its sources changed since its last build: a hash of every source file is kept next
 * to the build (`<app>/dist/.source-hash`), so `npm start` and `npm run build` cost nothing
 * when nothing changed.
 *
 *   node scripts/build-ui.mjs                       build what needs it
 *   node scripts/build-ui.mjs --force               build both anyway
 *   node scripts/build-ui.mjs miniprogram [--force] one of them
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

/**
 * Each frontend: what its build reads (sources, static files, config, and the lockfile for
 * dependency versions) and the file whose presence says a build exists.
 */
const APPS = {
  'admin-ui': {
    inputs: [
      'src',
      'public',
      'index.html',
      'vite.config.ts',
      'package.json',
      'tsconfig.json',
      '../package-lock.json',
      // The SDK's protocol, which the embedded workbench speaks.
      '../sdk/src/protocol.ts',
      // Source shared with the mini-program (call cards).
      '../shared',
    ],
    built: 'dist/index.html',
  },
  miniprogram: {
    inputs: [
      'src',
      'config',
      'scripts',
      'babel.config.js',
      'project.config.json',
      'package.json',
      'tsconfig.json',
      '../package-lock.json',
      // Source shared with the web app (call cards).
      '../shared',
    ],
    built: 'dist/h5/index.html',
  },
};

function files(path) {
  if (!existsSync(path)) return [];
  const st = statSync(path);
  if (st.isFile()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => files(join(path, name)));
}

/** One hash over the relative path and content of every input file of `app` (tests excluded). */
export function sourceHash(app = 'admin-ui') {
  const h = createHash('sha256');
  for (const input of APPS[app].inputs) {
    for (const f of files(join(ROOT, app, input))) {
      if (/\.test\.ts$/.test(f)) continue;
      h.update(relative(ROOT, f)).update('\0').update(readFileSync(f)).update('\0');
    }
  }
  return h.digest('hex');
}

const force = process.argv.includes('--force');
const asked = process.argv.slice(2).filter((a) => !a.startsWith('--'));
for (const app of asked.length ? asked : Object.keys(APPS)) {
  if (!APPS[app]) {
    console.error(`unknown frontend ${app}; one of ${Object.keys(APPS).join(', ')}`);
    process.exit(2);
  }
  const hashFile = join(ROOT, app, 'dist/.source-hash');
  const hash = sourceHash(app);
  const built = existsSync(hashFile) ? readFileSync(hashFile, 'utf8').trim() : '';
  if (!force && built === hash && existsSync(join(ROOT, app, APPS[app].built))) {
    console.log(`${app}: up to date (sources unchanged since the last build)`);
    continue;
  }
  console.log(`${app}: building…`);
  const r = spawnSync('npm', ['run', 'build', '-w', app], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  writeFileSync(hashFile, `${hash}\n`);
}
