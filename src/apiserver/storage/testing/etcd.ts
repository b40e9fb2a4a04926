/**
 * A real etcd for tests: the `etcd` binary from PATH (Debian: etcd-server), one member on free
 * loopback ports with its data in a temporary directory, stopped by PID (SIGTERM, then SIGKILL).
 *
 *   const etcd = await startEtcd();   // etcd.endpoint = http://127.0.0.1:PORT
 *   ...
 *   await etcd.cleanup();
 *
 * Outside CI a missing etcd skips the tests that need it (etcdSkip() says how to install it);
 * under CI=true it must be there, so etcdSkip() returns false and startEtcd() fails loudly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export const ETCD_MISSING = 'etcd is not installed: `apt-get install etcd-server` (or put `etcd` on PATH) to run these tests';

/** The etcd binary on PATH (or $ETCD_BIN), or null. */
export function findEtcd(): string | null {
  const candidates = process.env.ETCD_BIN ? [process.env.ETCD_BIN] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'etcd'));
  for (const p of candidates) {
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

/** For `describe(name, { skip: etcdSkip() }, ...)`: a reason to skip, or false to run. */
export function etcdSkip(): string | false {
  if (findEtcd()) return false;
  // Under CI the tests run anyway and fail in startEtcd: a missing etcd must not pass silently.
  if (process.env.CI === 'true') return false;
  return ETCD_MISSING;
}

export interface EtcdTLS {
  certFile: string;
  keyFile: string;
  /** With a CA, clients must present a certificate it signed (--client-cert-auth). */
  caFile?: string;
  /** A client certificate for the health check (needed with caFile). */
  clientCertFile?: string;
  clientKeyFile?: string;
}

export interface EtcdServer {
  /** http(s)://127.0.0.1:PORT */
  readonly endpoint: string;
  readonly dataDir: string;
  /** PID of the running etcd, undefined while stopped. */
  readonly pid: number | undefined;
  /** Start again on the same data dir and ports (after stop or kill9). */
  start(): Promise<void>;
  /** SIGTERM, then SIGKILL after 5 s; resolves when the process is gone. */
  stop(): Promise<void>;
  kill9(): Promise<void>;
  /** SIGSTOP / SIGCONT: an etcd that hangs (connections stay open, nothing answers). */
  pause(): void;
  resume(): void;
  /** Stop and delete the data dir. */
  cleanup(): Promise<void>;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

const running = new Set<ChildProcess>();
const dirs = new Set<string>();
// A test process that dies must not leave etcd, or its data, behind.
process.once('exit', () => {
  for (const c of running) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

export interface StartOptions {
  tls?: EtcdTLS;
  startTimeoutMs?: number;
}

/** One etcd member alone: its own cluster. */
export async function startEtcd(opts: StartOptions = {}): Promise<EtcdServer> {
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  // One member: a short election timeout makes it leader in ~100 ms instead of ~1 s.
  return member(opts, { name: 'test', clientPort, peerPort, initialCluster: `test=http://127.0.0.1:${peerPort}`, heartbeatMs: 10, electionMs: 100 });
}

/** n members forming one cluster (all must come up before any is healthy). */
export async function startEtcdCluster(n: number, opts: StartOptions = {}): Promise<EtcdServer[]> {
  const specs: MemberSpec[] = [];
  for (let i = 0; i < n; i++) specs.push({ name: `m${i}`, clientPort: await freePort(), peerPort: await freePort(), initialCluster: '', heartbeatMs: 50, electionMs: 500 });
  const initialCluster = specs.map((m) => `${m.name}=http://127.0.0.1:${m.peerPort}`).join(',');
  const started = await Promise.allSettled(specs.map((m) => member(opts, { ...m, initialCluster })));
  const ok = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(ok.map((m) => m.cleanup()));
    throw failed.reason;
  }
  return ok;
}

interface MemberSpec {
  name: string;
  clientPort: number;
  peerPort: number;
  initialCluster: string;
  heartbeatMs: number;
  electionMs: number;
}

async function member(opts: StartOptions, m: MemberSpec): Promise<EtcdServer> {
  const bin = findEtcd();
  if (!bin) throw new Error(ETCD_MISSING);
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-etcd-'));
  dirs.add(dir);
  const dataDir = join(dir, 'data');
  const scheme = opts.tls ? 'https' : 'http';
  const endpoint = `${scheme}://127.0.0.1:${m.clientPort}`;
  const peer = `http://127.0.0.1:${m.peerPort}`;
  const args = [
    `--name=${m.name}`,
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${endpoint}`,
    `--advertise-client-urls=${endpoint}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=${m.initialCluster}`,
    '--initial-cluster-state=new',
    `--heartbeat-interval=${m.heartbeatMs}`,
    `--election-timeout=${m.electionMs}`,
    '--logger=zap',
    '--log-outputs=stderr',
    '--log-level=error',
    ...(opts.tls ? [`--cert-file=${opts.tls.certFile}`, `--key-file=${opts.tls.keyFile}`] : []),
    ...(opts.tls?.caFile ? [`--trusted-ca-file=${opts.tls.caFile}`, '--client-cert-auth'] : []),
  ];

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let stderr = '';

  const healthy = (): Promise<boolean> =>
    new Promise((resolve) => {
      const tls = opts.tls;
      const req = (tls ? httpsRequest : httpRequest)(
        `${endpoint}/health`,
        tls ? { rejectUnauthorized: false, ...(tls.clientCertFile ? { cert: readFileSync(tls.clientCertFile), key: readFileSync(tls.clientKeyFile!) } : {}), timeout: 1000 } : { timeout: 1000 },
        (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve(res.statusCode === 200 && body.includes('"health":"true"')));
        },
      );
      req.on('error', () => resolve(false));
      req.on('timeout', () => req.destroy());
      req.end();
    });

  const start = async () => {
    if (child) return;
    stderr = '';
    const c = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child = c;
    running.add(c);
    c.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    exited = new Promise<void>((resolve) =>
      c.once('exit', () => {
        running.delete(c);
        if (child === c) child = undefined;
        resolve();
      }),
    );
    const deadline = Date.now() + (opts.startTimeoutMs ?? 20_000);
    while (!(await healthy())) {
      if (child !== c) throw new Error(`etcd exited during start: ${stderr}`);
      if (Date.now() > deadline) {
        await stopWith(c);
        throw new Error(`etcd did not become healthy in time: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  const stopWith = async (c: ChildProcess, signal: NodeJS.Signals = 'SIGTERM') => {
    const done = exited;
    if (c.pid !== undefined && c.exitCode === null && c.signalCode === null) {
      process.kill(c.pid, 'SIGCONT'); // a paused etcd cannot act on SIGTERM
      process.kill(c.pid, signal);
    }
    const timer = setTimeout(() => {
      if (c.pid !== undefined && c.exitCode === null && c.signalCode === null) process.kill(c.pid, 'SIGKILL');
    }, 5000);
    await done;
    clearTimeout(timer);
  };

  const server: EtcdServer = {
    endpoint,
    dataDir,
    get pid() {
      return child?.pid;
    },
    start,
    async stop() {
      if (child) await stopWith(child);
    },
    async kill9() {
      if (child) await stopWith(child, 'SIGKILL');
    },
    pause() {
      if (child?.pid !== undefined) process.kill(child.pid, 'SIGSTOP');
    },
    resume() {
      if (child?.pid !== undefined) process.kill(child.pid, 'SIGCONT');
    },
    async cleanup() {
      if (child) await stopWith(child);
      rmSync(dir, { recursive: true, force: true });
      dirs.delete(dir);
    },
  };
  try {
    await start();
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    dirs.delete(dir);
    throw e;
  }
  return server;
}
