/**
 * End-to-end harness for the CLI: one `flotilla up --sim 2` per test file (fast simulated time,
 * temporary data dir), the real CLI run from the sources for each command, and kubectl with the
 * kubeconfig `up` wrote (contexts flotilla, member1, member2).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { CONTROLLERS } from '../../src/controllers/registry.js';
import { flotilla, KUBECTL, ROOT, runKubectl, waitFor, type Proc } from './harness.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `flotilla ARGS` to completion, from the sources (as harness.ts's flotilla() starts it). */
export function cli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args],
      { cwd: ROOT, timeout: timeoutMs, env: { ...process.env, FLOTILLA_LOG_LEVEL: 'warn', ...env } },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** `kubectl flotilla ARGS`, with kubectl finding the plugin through a PATH symlink as after an install. */
export function kubectlPlugin(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const bin = mkdtempSync(join(tmpdir(), 'flotilla-plugin-'));
  symlinkSync(join(ROOT, 'bin', 'kubectl-flotilla'), join(bin, 'kubectl-flotilla'));
  return new Promise((resolve) => {
    const child = spawn(KUBECTL, ['flotilla', ...args], { env: { ...process.env, FLOTILLA_LOG_LEVEL: 'warn', ...env, PATH: `${bin}${delimiter}${process.env.PATH}` } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => {
      rmSync(bin, { recursive: true, force: true });
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

/** Which of `names` the controller manager does not run (yet): tests that need them skip. */
export function missingControllers(...names: string[]): string[] {
  return names.filter((n) => !(n in CONTROLLERS));
}

export interface Fleet {
  dir: string;
  kubeconfig: string;
  proc: Proc;
  /** flotilla ARGS against this fleet (KUBECONFIG set). */
  run(args: string[], env?: NodeJS.ProcessEnv): Promise<Run>;
  /** flotilla ARGS that must succeed; returns stdout. */
  ok(args: string[]): Promise<string>;
  /** kubectl --context CONTEXT ARGS that must succeed; returns stdout. */
  k(context: string, args: string[], input?: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startFleet(): Promise<Fleet> {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-cli-e2e-'));
  const proc = flotilla(['up', '--sim', '2', '--port', '0', '--data-dir', dir, '--time-scale', '0.05']);
  await waitFor(
    'flotilla up ready',
    () => {
      if (proc.child.exitCode !== null) throw new Error(`flotilla up exited (${proc.child.exitCode}): ${proc.stderr}`);
      return /flotilla up ready /.test(proc.stdout) || undefined;
    },
    90_000,
  );
  const kubeconfig = join(dir, 'kubeconfig');
  const fleet: Fleet = {
    dir,
    kubeconfig,
    proc,
    run: (args, env = {}) => cli(args, { KUBECONFIG: kubeconfig, ...env }),
    async ok(args) {
      const r = await fleet.run(args);
      if (r.code !== 0) throw new Error(`flotilla ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
      return r.stdout;
    },
    async k(context, args, input) {
      const r = await runKubectl(kubeconfig, join(dir, 'kubectl-cache'), [`--context=${context}`, ...args], { input });
      if (r.code !== 0) throw new Error(`kubectl --context ${context} ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
      return r.stdout;
    },
    async stop() {
      if (proc.child.exitCode === null && proc.child.signalCode === null) {
        proc.child.kill('SIGTERM');
        await proc.exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fleet;
}

/** The rows of a printed table as arrays of cells (columns are separated by 3+ spaces). */
export function rows(table: string): string[][] {
  return table
    .trimEnd()
    .split('\n')
    .map((l) => l.split(/ {3,}/));
}

export { waitFor };
