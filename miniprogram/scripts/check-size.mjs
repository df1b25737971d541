#!/usr/bin/env node
// The weapp main package must stay within the budget (issue 13: 1.5 MB; WeChat refuses more than
// 2 MB). Prints the size of each build and fails the build when the budget is exceeded.
// Subpackages (app.json `subPackages`/`subpackages` roots) do not count towards the main package.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const BUDGET = 1.5 * 1024 * 1024;
const weapp = new URL('../dist/weapp/', import.meta.url).pathname;
const h5 = new URL('../dist/h5/', import.meta.url).pathname;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

const app = JSON.parse(readFileSync(join(weapp, 'app.json'), 'utf8'));
const subRoots = [...(app.subPackages ?? []), ...(app.subpackages ?? [])].map((s) => s.root.replace(/\/?$/, '/'));
let main = 0;
let sub = 0;
for (const f of files(weapp)) {
  const rel = relative(weapp, f);
  const size = statSync(f).size;
  if (subRoots.some((r) => rel.startsWith(r))) sub += size;
  else main += size;
}
const h5Size = files(h5).reduce((n, f) => n + statSync(f).size, 0);
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
console.log(
  `miniprogram weapp main package: ${kb(main)} of ${kb(BUDGET)} budget; subpackages ${kb(sub)}; h5 ${kb(h5Size)}`,
);
if (main > BUDGET) {
  console.error(`the weapp main package is over its budget by ${kb(main - BUDGET)}: move pages into subpackages`);
  process.exit(1);
}
