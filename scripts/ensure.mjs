#!/usr/bin/env node
// Makes a fresh clone runnable: installs dependencies when they are missing or older than
// package-lock.json, and (unless --no-build) compiles src/ to dist/ when a source is newer
// than the last build. `npm start` and `npm test` call this first, so they need no other step.
//
// FLOTILLA_NODE_MODULES=DIR: when node_modules is missing, link it to DIR (an installed
// node_modules of the same package-lock.json) instead of installing; for tests and CI caches
// (test/e2e/fresh-clone.test.ts). A linked node_modules is checked against package-lock.json by
// version and never installed into.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);

const installedMarker = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');
const nodeModules = join(root, 'node_modules');
if (process.env.FLOTILLA_NODE_MODULES && !existsSync(nodeModules)) {
  console.error(`flotilla: linking node_modules to ${process.env.FLOTILLA_NODE_MODULES} (FLOTILLA_NODE_MODULES)`);
  symlinkSync(process.env.FLOTILLA_NODE_MODULES, nodeModules, 'dir');
}
const linked = existsSync(nodeModules) && lstatSync(nodeModules).isSymbolicLink();
if (linked) {
  // A shared install: compare versions, not times (a clone's package-lock.json is always newer).
  const want = JSON.parse(readFileSync(lock, 'utf8')).packages ?? {};
  const have = existsSync(installedMarker) ? (JSON.parse(readFileSync(installedMarker, 'utf8')).packages ?? {}) : {};
  const differ = Object.entries(want).filter(([k, p]) => k !== '' && !p.optional && have[k]?.version !== p.version).map(([k]) => k);
  if (differ.length) {
    console.error(`flotilla: node_modules is linked to an install that does not match package-lock.json (${differ.slice(0, 3).join(', ')}${differ.length > 3 ? ', ...' : ''}); not installing into it`);
    process.exit(1);
  }
}
const needsInstall = () => !linked && (!existsSync(installedMarker) || mtime(lock) > mtime(installedMarker));
if (needsInstall()) {
  // One installer at a time: `npm ci` empties node_modules first, so two at once (say, `npm
  // start` and `npm test` on a fresh clone) would delete each other's work. The others wait.
  const guard = join(root, '.install.lock');
  for (;;) {
    try {
      mkdirSync(guard);
      break;
    } catch {
      const owner = Number(readIfExists(join(guard, 'pid')));
      if (owner && !alive(owner)) rmSync(guard, { recursive: true, force: true });
      else execFileSync(process.execPath, ['-e', 'setTimeout(() => {}, 1000)']);
    }
  }
  try {
    writeFileSync(join(guard, 'pid'), String(process.pid));
    if (needsInstall()) {
      console.error('flotilla: installing dependencies (first run; better-sqlite3 may build from source)...');
      execFileSync(npm, [existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
    }
  } finally {
    rmSync(guard, { recursive: true, force: true });
  }
}

function readIfExists(p) {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
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
    // The stamp is dated when the build began: a source saved while tsc runs is newer than the
    // stamp, so the next run (and bin/flotilla) sees the build as stale.
    const began = Date.now();
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
    writeFileSync(stamp, String(began));
    utimesSync(stamp, began / 1000, began / 1000);
  }
}
