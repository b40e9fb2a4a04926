/**
 * End-to-end harness: starts the real `flotilla` command as a child process on a free port
 * with a temporary data dir, and runs the real kubectl against it.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const KUBECTL = process.env.KUBECTL ?? 'kubectl';

export interface Proc {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

/** Run `flotilla ARGS` from the TypeScript sources (no build needed). */
export function flotilla(args: string[], env: NodeJS.ProcessEnv = {}): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, FLOTILLA_LOG_LEVEL: process.env.FLOTILLA_E2E_LOG_LEVEL ?? 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const p: Proc = { child, stdout: '', stderr: '', exited: new Promise((r) => child.on('exit', (code) => r(code))) };
  child.stdout!.on('data', (d) => (p.stdout += d));
  child.stderr!.on('data', (d) => (p.stderr += d));
  return p;
}

export async function waitFor<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== null && (v as unknown) !== false) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface TestServer {
  dir: string;
  url: string;
  kubeconfig: string;
  proc: Proc;
  kubectl(args: string[], opts?: { input?: string; timeoutMs?: number }): Promise<{ code: number; stdout: string; stderr: string }>;
  /** kubectl that must succeed; returns stdout. */
  k(args: string[], opts?: { input?: string }): Promise<string>;
  stop(): Promise<void>;
  kill9(): Promise<void>;
  /** Start again on the same data dir and the same port (clients keep their kubeconfig). */
  restart(): Promise<void>;
  cleanup(): Promise<void>;
}

export async function startApiServer(extra: string[] = [], dir = mkdtempSync(join(tmpdir(), 'flotilla-e2e-'))): Promise<TestServer> {
  const t: TestServer = {
    dir,
    url: '',
    kubeconfig: join(dir, 'kubeconfig'),
    proc: undefined as unknown as Proc,
    async kubectl(args, opts = {}) {
      return runKubectl(t.kubeconfig, join(dir, 'kubectl-cache'), args, opts);
    },
    async k(args, opts) {
      const r = await t.kubectl(args, opts);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
      return r.stdout;
    },
    async stop() {
      t.proc.child.kill('SIGTERM');
      await t.proc.exited;
    },
    async kill9() {
      t.proc.child.kill('SIGKILL');
      await t.proc.exited;
    },
    async restart() {
      await launch(new URL(t.url).port);
    },
    async cleanup() {
      if (t.proc.child.exitCode === null && t.proc.child.signalCode === null) await t.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const launch = async (port = '0') => {
    t.proc = flotilla(['apiserver', '--data-dir', dir, '--port', port, ...extra]);
    const line = await waitFor('apiserver ready', () => {
      if (t.proc.child.exitCode !== null) throw new Error(`apiserver exited: ${t.proc.stderr}`);
      return /ready url=(\S+)/.exec(t.proc.stdout)?.[1];
    });
    t.url = line;
  };
  await launch();
  return t;
}

export function runKubectl(kubeconfig: string, cacheDir: string, args: string[], opts: { input?: string; timeoutMs?: number } = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      KUBECTL,
      [`--kubeconfig=${kubeconfig}`, `--cache-dir=${cacheDir}`, ...args],
      { timeout: opts.timeoutMs ?? 60_000, env: { ...process.env, KUBECONFIG: '' } },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}

export function writeManifest(dir: string, name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** A raw HTTPS client for the server in dir (its CA and admin token), for requests kubectl would never send. */
export async function rawClient(dir: string, url: string) {
  const { Agent, request } = await import('undici');
  const { readFileSync } = await import('node:fs');
  const ca = readFileSync(join(dir, 'pki', 'ca.crt'), 'utf8');
  const token = readFileSync(join(dir, 'admin.token'), 'utf8').trim();
  const dispatcher = new Agent({ connect: { ca } });
  return async (method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}) => {
    const r = await request(url + path, {
      method: method as 'GET',
      body,
      dispatcher,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    });
    const text = await r.body.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: r.statusCode, headers: r.headers, text, json };
  };
}
