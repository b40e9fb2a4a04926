// `npm start` from a fresh clone (issue #9), as the README's quickstart says: clone this
// repository's HEAD (committed files only), run `npm start` there, wait until it prints how to use
// kubectl, run kubectl with the kubeconfig it printed, stop it with SIGTERM.
//
// Installing node_modules from scratch takes minutes (better-sqlite3 builds from source), so the
// clone links this checkout's node_modules through FLOTILLA_NODE_MODULES, which scripts/ensure.mjs
// honours only when node_modules is missing. Everything else is ensure.mjs's own work on a tree
// without dist/: it finds node_modules missing, links it, checks it against package-lock.json,
// finds no build and compiles src/ before `flotilla up` starts. scripts/fresh-clone-check.sh does
// the whole thing with a real `npm ci` (for humans and CI; not part of `npm test`).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { ROOT, runKubectl, waitFor } from './harness.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

// A clone has HEAD only: before the commit that taught ensure.mjs FLOTILLA_NODE_MODULES, this
// would run a full `npm ci` in the clone, which is scripts/fresh-clone-check.sh's job.
const headEnsure = (() => {
  try {
    return execFileSync('git', ['show', 'HEAD:scripts/ensure.mjs'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
})();
const skip = headEnsure.includes('FLOTILLA_NODE_MODULES') ? false : 'HEAD (what a clone gets) has no FLOTILLA_NODE_MODULES in scripts/ensure.mjs yet';

describe('npm start from a fresh clone', { skip }, () => {
  const work = mkdtempSync(join(tmpdir(), 'flotilla-fresh-clone-'));
  const clone = join(work, 'flotilla');
  let pid: number | undefined;
  after(() => {
    // npm start runs in its own process group: whatever is left of it goes.
    if (pid !== undefined) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    rmSync(work, { recursive: true, force: true });
  });

  it('installs what is missing, builds, starts, prints how to use kubectl; kubectl works; SIGTERM stops it', { timeout: 20 * 60_000 }, async () => {
    execFileSync('git', ['clone', '--quiet', '--no-hardlinks', ROOT, clone], { stdio: 'pipe' });
    assert.equal(existsSync(join(clone, 'node_modules')), false);
    assert.equal(existsSync(join(clone, 'dist')), false, 'a clone has no build: ensure.mjs must make one');

    const child = spawn(npm, ['start', '--', '--port', '0'], {
      cwd: clone,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FLOTILLA_NODE_MODULES: join(ROOT, 'node_modules'), FLOTILLA_LOG_LEVEL: 'warn' },
    });
    pid = child.pid;
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));

    // The build of the whole tree dominates: minutes on a busy 2-core machine.
    const printed = await waitFor(
      'npm start ready with kubectl instructions',
      () => {
        if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${stderr}`);
        return /^flotilla up ready /m.test(stdout) ? /^ *export KUBECONFIG=(\S+)$/m.exec(stderr)?.[1] : undefined;
      },
      18 * 60_000,
      500,
    );
    assert.match(stderr, /flotilla: linking node_modules to /);
    assert.match(stderr, /flotilla: building\.\.\./);
    assert.ok(lstatSync(join(clone, 'node_modules')).isSymbolicLink());
    assert.ok(existsSync(join(clone, 'dist', 'cli', 'main.js')) && existsSync(join(clone, 'dist', '.build-stamp')), 'dist/ built');
    // The README's quickstart: the default data dir, and a command to paste as printed.
    assert.equal(printed, '$PWD/.flotilla/kubeconfig');
    const kubeconfig = join(clone, printed.replace(/^\$PWD\//, ''));
    assert.ok(isAbsolute(kubeconfig) && existsSync(kubeconfig));
    for (const w of ['kubectl get clusters', 'kubectl apply -f examples/nginx-propagation.yaml', 'Ctrl-C stops everything; state stays in .flotilla']) assert.ok(stderr.includes(w), w);

    const ns = await runKubectl(kubeconfig, join(work, 'kubectl-cache'), ['get', 'ns', '-o', 'name']);
    assert.equal(ns.code, 0, ns.stderr);
    for (const n of ['default', 'kube-system', 'karmada-cluster']) assert.match(ns.stdout, new RegExp(`^namespace/${n}$`, 'm'));
    const contexts = await runKubectl(kubeconfig, join(work, 'kubectl-cache'), ['config', 'get-contexts', '-o', 'name']);
    assert.deepEqual(contexts.stdout.trim().split('\n').sort(), ['flotilla', 'member1', 'member2', 'member3']);

    // Stop `flotilla up` itself by its PID (DIR/sim.json has it); npm start then exits.
    const upPid = JSON.parse(readFileSync(join(clone, '.flotilla', 'sim.json'), 'utf8')).pid as number;
    process.kill(upPid, 'SIGTERM');
    const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000))]);
    assert.equal(code, 0, `npm start exits 0 once flotilla up is stopped:\n${stderr}`);
    pid = undefined;
    assert.equal(existsSync(join(clone, '.flotilla', 'sim.json')), false, 'a clean stop removes sim.json');
  });
});
