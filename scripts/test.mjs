#!/usr/bin/env node
// Runs the whole suite with Node's own test runner (TypeScript through tsx).
// Unit and route tests: src/**/*.test.ts. Browser tests: test/browser/*.test.ts, run in
// Debian's Chromium (/usr/bin/chromium). Where Chromium is missing the browser tests are
// skipped with a plain message; LOOKOUT_REQUIRE_BROWSER=1 (set by .ci/run) makes that a failure.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const onlyUnit = args.includes('--unit');
const onlyBrowser = args.includes('--browser');
const filters = args.filter((a) => !a.startsWith('--'));

function find(dir, pattern, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, pattern, out);
    else if (pattern.test(name)) out.push(p);
  }
  return out;
}

let files = [];
if (!onlyBrowser) files.push(...find('src', /\.test\.ts$/));
if (!onlyUnit) {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(chromium)) files.push(...find('test/browser', /\.test\.ts$/));
  else {
    const msg = `Browser tests SKIPPED: Chromium not found at ${chromium} (install Debian's package: apt-get install -y chromium).`;
    if (process.env.LOOKOUT_REQUIRE_BROWSER === '1') {
      console.error(`${msg} LOOKOUT_REQUIRE_BROWSER=1, so this is a failure.`);
      process.exit(1);
    }
    console.warn(msg);
  }
}
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
files.sort();
if (files.length === 0) {
  console.error('No test files found.');
  process.exit(1);
}
const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: process.env.NODE_ENV === 'production' ? 'production' : 'test' } },
);
process.exit(res.status ?? 1);
