/**
 * End-to-end harness for the simulator: starts the real `flotilla sim` command in a temporary
 * data dir, runs the real kubectl against its contexts, and the real `flotilla sim fault`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flotilla, runKubectl, waitFor, type Proc } from './harness.js';

export interface Sim {
  dir: string;
  kubeconfig: string;
  proc: Proc;
  info: { admin: { url: string; port: number }; clusters: Record<string, { url: string; port: number }> };
  kubectl(context: string, args: string[], opts?: { input?: string; timeoutMs?: number }): Promise<{ code: number; stdout: string; stderr: string }>;
  /** kubectl that must succeed; returns stdout. */
  k(context: string, args: string[], opts?: { input?: string; timeoutMs?: number }): Promise<string>;
  /** kubectl get -o json, parsed. */
  json(context: string, args: string[]): Promise<any>;
  /** `flotilla sim fault CLUSTER MODE ...` */
  fault(cluster: string, mode: string, extra?: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** POST /clusters/CLUSTER/fault on the admin endpoint directly (quicker than spawning the CLI). */
  admin(cluster: string, body: Record<string, unknown>): Promise<{ status: number; json: any }>;
  stop(): Promise<number | null>;
}

/** Starts `flotilla sim` with fast simulated time (stage delays x timeScale). */
export async function startSim(opts: { clusters?: number; nodes?: number; timeScale?: number; fleet?: string; extra?: string[] } = {}): Promise<Sim> {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-sim-e2e-'));
  const args = ['sim', '--data-dir', dir, '--time-scale', String(opts.timeScale ?? 0.05)];
  if (opts.fleet) {
    writeFileSync(join(dir, 'fleet.yaml'), opts.fleet);
    args.push('--fleet', join(dir, 'fleet.yaml'));
  } else args.push('--clusters', String(opts.clusters ?? 2));
  if (opts.nodes !== undefined) args.push('--nodes', String(opts.nodes));
  const proc = flotilla([...args, ...(opts.extra ?? [])]);
  await waitFor(
    'sim ready',
    () => {
      if (proc.child.exitCode !== null) throw new Error(`flotilla sim exited (${proc.child.exitCode}): ${proc.stderr}`);
      return /flotilla sim ready kubeconfig=(\S+)/.exec(proc.stdout)?.[1];
    },
    60_000,
  );
  const kubeconfig = join(dir, 'kubeconfig');
  const sim: Sim = {
    dir,
    kubeconfig,
    proc,
    info: JSON.parse(readFileSync(join(dir, 'sim.json'), 'utf8')),
    kubectl: (context, a, o) => runKubectl(kubeconfig, join(dir, 'kubectl-cache'), [`--context=${context}`, ...a], o),
    async k(context, a, o) {
      const r = await sim.kubectl(context, a, o);
      if (r.code !== 0) throw new Error(`kubectl --context ${context} ${a.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
      return r.stdout;
    },
    async json(context, a) {
      return JSON.parse(await sim.k(context, [...a, '-o', 'json']));
    },
    async fault(cluster, mode, extra = []) {
      const p = flotilla(['sim', 'fault', cluster, mode, '--data-dir', dir, ...extra]);
      const code = await p.exited;
      return { code, stdout: p.stdout, stderr: p.stderr };
    },
    async admin(cluster, body) {
      const { Agent, request } = await import('undici');
      const dispatcher = new Agent({ connect: { ca: readFileSync(join(dir, 'pki', 'ca.crt'), 'utf8') } });
      const token = readFileSync(join(dir, 'sim-admin.token'), 'utf8').trim();
      try {
        const r = await request(`${sim.info.admin.url}/clusters/${cluster}/fault`, {
          method: 'POST',
          dispatcher,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return { status: r.statusCode, json: await r.body.json() };
      } finally {
        await dispatcher.close();
      }
    },
    async stop() {
      if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGTERM');
      const code = await proc.exited;
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
  return sim;
}

/** Polls with kubectl until fn returns something truthy (fast: simulated time is scaled down). */
export function eventually<T>(what: string, fn: () => Promise<T | undefined | false | null>, timeoutMs = 30_000): Promise<T> {
  return waitFor(what, fn as () => Promise<T | undefined>, timeoutMs, 100);
}

export const readyOf = (o: any): string | undefined => o?.status?.conditions?.find((c: any) => c.type === 'Ready')?.status;
