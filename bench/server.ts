/**
 * Shared benchmark plumbing: a `flotilla apiserver` child process with an HTTPS client pool,
 * and a driver that runs operations from N concurrent workers.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { spawn } from 'node:child_process';
import { ROOT, waitFor, type Proc } from '../test/e2e/harness.js';
import { percentile } from './lib.js';

export interface BenchServer {
  url: string;
  ca: string;
  headers: Record<string, string>;
  call(method: string, path: string, body?: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Runs bin/flotilla, which uses the compiled dist/ that `npm run bench` builds first: what users
 * run. (The tests' harness runs the sources through tsx, whose per-function naming helpers cost
 * a few per cent of a request.)
 */
export function flotillaBin(args: string[], env: NodeJS.ProcessEnv = {}): Proc {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'flotilla'), ...args], {
    cwd: ROOT,
    env: { ...process.env, FLOTILLA_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const p: Proc = { child, stdout: '', stderr: '', exited: new Promise((r) => child.on('exit', (code) => r(code))) };
  child.stdout!.on('data', (d) => (p.stdout += d));
  child.stderr!.on('data', (d) => (p.stderr += d));
  return p;
}

/** Starts `flotilla apiserver --port 0` with extra flags in a temporary data dir. */
export async function startServerProcess(extra: string[], connections = 64): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-api-'));
  const proc = flotillaBin(['apiserver', '--data-dir', dir, '--port', '0', ...extra]);
  const url = await waitFor(
    'apiserver',
    () => {
      if (proc.child.exitCode !== null) throw new Error(`apiserver exited: ${proc.stderr}`);
      return /ready url=(\S+)/.exec(proc.stdout)?.[1];
    },
    60_000,
  );
  const ca = readFileSync(join(dir, 'pki', 'ca.crt'), 'utf8');
  const token = readFileSync(join(dir, 'admin.token'), 'utf8').trim();
  const pool = new Pool(url, { connections, connect: { ca } });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  return {
    url,
    ca,
    headers,
    async call(method, path, body) {
      const r = await pool.request({ method: method as 'GET', path, body, headers });
      const text = await r.body.text();
      if (r.statusCode >= 300) throw new Error(`${method} ${path}: ${r.statusCode} ${text.slice(0, 200)}`);
      return text;
    },
    async stop() {
      await pool.close();
      proc.child.kill('SIGTERM');
      await proc.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Run `total` operations from `concurrency` workers; returns ops/s and per-op latency percentiles (ms). */
export async function drive(concurrency: number, total: number, op: (i: number) => Promise<unknown>) {
  let next = 0;
  const lat: number[] = [];
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        const s = process.hrtime.bigint();
        await op(i);
        lat.push(Number(process.hrtime.bigint() - s) / 1e6);
      }
    }),
  );
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  return { perSec: total / secs, p50: percentile(lat, 50), p99: percentile(lat, 99) };
}
