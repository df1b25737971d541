#!/usr/bin/env node
/**
 * `npm run plugin:new <name> [-- --dir <folder>] [--force]`: scaffolds a plugin package with a
 * typed plugin, per-tenant settings, a README and a test on the real plugin host that passes as
 * generated (docs/plugins.md). Files come from `scripts/plugin-template/`, with `__NAME__`,
 * `__CAMEL__`, `__CORE_RANGE__`, `__ROOT__` (the path back to the repository root) filled in.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TEMPLATE = join(ROOT, 'scripts/plugin-template');
const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

function fail(message) {
  process.stderr.write(`plugin:new: ${message}\n`);
  process.exit(1);
}

const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith('--'));
const dirFlag = args.indexOf('--dir');
const parent = resolve(ROOT, dirFlag >= 0 ? (args[dirFlag + 1] ?? fail('--dir needs a folder')) : 'plugins');
const force = args.includes('--force');
if (!name) fail('usage: npm run plugin:new <name>   (kebab-case, e.g. npm run plugin:new ticket-sync)');
if (!NAME.test(name) || name.length > 50) fail(`"${name}" is not a kebab-case plugin name (e.g. ticket-sync)`);

const target = join(parent, name);
if (existsSync(target) && !force) fail(`${relative(ROOT, target)} already exists (--force to overwrite)`);

const core = JSON.parse(readFileSync(join(ROOT, 'core/package.json'), 'utf8'));
const [major, minor] = core.version.split('.');
const values = {
  __NAME__: name,
  __CAMEL__: name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase()),
  // Before 1.0 a minor release may break plugins, so the range pins the minor.
  __CORE_RANGE__: major === '0' ? `^0.${minor}.0` : `^${major}.0.0`,
  __ROOT__: relative(target, ROOT).split('\\').join('/') || '.',
};

function fill(text) {
  return text.replace(/__NAME__|__CAMEL__|__CORE_RANGE__|__ROOT__/g, (k) => values[k]);
}

const written = [];
function copy(from, to) {
  for (const entry of readdirSync(from)) {
    const src = join(from, entry);
    // Template files end in `.tpl` so the repository's own tools (tsc, eslint, vitest) skip them.
    const dest = join(to, entry.replace(/\.tpl$/, ''));
    if (statSync(src).isDirectory()) copy(src, dest);
    else {
      mkdirSync(dirname(dest), { recursive: true });
      writeFileSync(dest, fill(readFileSync(src, 'utf8')));
      written.push(relative(ROOT, dest));
    }
  }
}
copy(TEMPLATE, target);

process.stdout.write(
  [
    `Created ${relative(ROOT, target)}:`,
    ...written.map((f) => `  ${f}`),
    '',
    'Next:',
    '  1. npm install                       (links the new workspace)',
    `  2. npx vitest run ${relative(ROOT, target)}   (its test passes as generated)`,
    `  3. add { "path": "./${relative(ROOT, target)}" } to tsconfig.json references`,
    `  4. enable it in plugins.config.ts:   import { ${values.__CAMEL__} } from '@switchboard/${name}'`,
    `                                       plugins: [..., ${values.__CAMEL__}({})]`,
    '  5. read docs/plugins.md (hooks, budgets, tenant settings, UI contributions, publishing)',
    '',
  ].join('\n'),
);
