#!/usr/bin/env node
// Makes a fresh clone runnable: installs dependencies when they are missing or older than
// package-lock.json, and (unless --no-build) compiles src/ to dist/ when a source is newer
// than the last build. `npm start` and `npm test` call this first, so they need no other step.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);

const installedMarker = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');
if (!existsSync(installedMarker) || mtime(lock) > mtime(installedMarker)) {
  console.error('flotilla: installing dependencies (first run; better-sqlite3 may build from source)...');
  execFileSync(npm, [existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}

if (!process.argv.includes('--no-build')) {
  const newest = (dir) => {
    let m = 0;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      m = Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }
    return m;
  };
  const stamp = join(root, 'dist', '.build-stamp');
  const sources = Math.max(newest(join(root, 'src')), mtime(join(root, 'tsconfig.build.json')), mtime(lock));
  if (sources > mtime(stamp)) {
    console.error('flotilla: building...');
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
    execFileSync(process.execPath, ['-e', `require('fs').writeFileSync(${JSON.stringify(stamp)}, String(Date.now()))`]);
  }
}
