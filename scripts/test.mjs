#!/usr/bin/env node
// Runs the whole suite with node:test through tsx: unit tests beside the code (src/**/*.test.ts)
// and end-to-end tests (test/e2e/*.test.ts). Files run in parallel processes; each test starts
// its own servers on ephemeral ports with temporary data dirs, so they share nothing.
// Usage: npm test [-- FILE_OR_DIR_SUBSTRING...]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const collect = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : collect(p);
    return e.name.endsWith('.test.ts') ? [relative(root, p)] : [];
  });
const filters = process.argv.slice(2);
let files = [...collect(join(root, 'src')), ...collect(join(root, 'test'))].sort();
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (!files.length) {
  console.error('no test files match', filters.join(' '));
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? '3';
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, FLOTILLA_LOG_LEVEL: process.env.FLOTILLA_LOG_LEVEL ?? 'silent' } },
);
process.exit(r.status ?? 1);
