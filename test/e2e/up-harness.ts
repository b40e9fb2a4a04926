/**
 * `flotilla up` for end-to-end tests: the control plane, simulated members and controllers in
 * one child process, driven with the real kubectl (one context per cluster) and `flotilla sim
 * fault`. Every file that tests the whole system starts it the same way.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { cli } from './cli-harness.js';
import { flotilla, runKubectl, waitFor, type Proc } from './harness.js';

export interface UpOptions {
  /** Simulated member clusters (member1..N); default 3. */
  sim?: number;
  /** A fleet file's YAML instead (`--fleet`): its clusters, nodes and timing replace sim/nodes. */
  fleet?: string;
  /** Nodes per member; default 2. */
  nodes?: number;
  /** More `flotilla up` flags (timings, controllers). */
  extra?: string[];
  /** Storage of the control plane; default memory (tests need no durability). */
  storage?: 'memory' | 'sqlite';
  /** Wait until every member's Cluster is Ready before returning; default true. */
  clustersReady?: boolean;
  /** kubectl --request-timeout, so a hung call fails instead of blocking the test. */
  requestTimeout?: string;
  /** How long start-up may take on a loaded machine; default 120 s. */
  timeoutMs?: number;
}

export interface Up {
  dir: string;
  kubeconfig: string;
  proc: Proc;
  kubectl(ctx: string, args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  /** kubectl that must succeed; returns stdout. */
  k(ctx: string, args: string[], input?: string): Promise<string>;
  json(ctx: string, args: string[]): Promise<any>;
  /** The object, or undefined when kubectl says NotFound. */
  maybe(ctx: string, args: string[]): Promise<any>;
  /** `flotilla sim fault CLUSTER MODE --data-dir DIR`, which must succeed. */
  fault(cluster: string, mode: 'down' | 'up' | 'partition' | 'heal'): Promise<void>;
  /** SIGTERM, wait for the exit, remove the data dir. */
  stop(): Promise<void>;
}

export const isReady = (o: any): boolean => o?.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') ?? false;

export async function startUp(o: UpOptions = {}): Promise<Up> {
  const timeoutMs = o.timeoutMs ?? 120_000;
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-up-e2e-'));
  let members: number;
  let fleetArgs: string[];
  if (o.fleet !== undefined) {
    writeFileSync(join(dir, 'fleet.yaml'), o.fleet);
    members = (parseYaml(o.fleet)?.clusters ?? []).length;
    fleetArgs = ['--fleet', join(dir, 'fleet.yaml')];
  } else {
    members = o.sim ?? 3;
    fleetArgs = ['--sim', String(members), '--nodes', String(o.nodes ?? 2), '--time-scale', '0.05'];
  }
  const args = ['up', '--data-dir', dir, '--port', '0', ...fleetArgs, '--storage', o.storage ?? 'memory', ...(o.extra ?? [])];
  const proc = flotilla(args);
  const kubeconfig = join(dir, 'kubeconfig');
  const timeout = o.requestTimeout ? [`--request-timeout=${o.requestTimeout}`] : [];
  const up: Up = {
    dir,
    kubeconfig,
    proc,
    kubectl: (ctx, a, input) => runKubectl(kubeconfig, join(dir, 'kubectl-cache'), [`--context=${ctx}`, ...timeout, ...a], input === undefined ? {} : { input }),
    async k(ctx, a, input) {
      const r = await up.kubectl(ctx, a, input);
      if (r.code !== 0) throw new Error(`kubectl --context ${ctx} ${a.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
      return r.stdout;
    },
    async json(ctx, a) {
      return JSON.parse(await up.k(ctx, [...a, '-o', 'json']));
    },
    async maybe(ctx, a) {
      const r = await up.kubectl(ctx, [...a, '-o', 'json']);
      if (r.code === 0) return JSON.parse(r.stdout);
      if (/NotFound|not found/.test(r.stderr)) return undefined;
      throw new Error(`kubectl --context ${ctx} ${a.join(' ')}: ${r.stderr}`);
    },
    async fault(cluster, mode) {
      const r = await cli(['sim', 'fault', cluster, mode, '--data-dir', dir], {}, timeoutMs);
      if (r.code !== 0) throw new Error(`flotilla sim fault ${cluster} ${mode} failed (${r.code}): ${r.stderr}${r.stdout}`);
    },
    async stop() {
      if (proc.child.exitCode === null && proc.child.signalCode === null) {
        proc.child.kill('SIGTERM');
        await proc.exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitFor(
      'flotilla up ready',
      () => {
        if (proc.child.exitCode !== null) throw new Error(`flotilla up exited (${proc.child.exitCode}): ${proc.stderr}`);
        return /flotilla up ready/.test(proc.stdout) || undefined;
      },
      timeoutMs,
    );
    if (o.clustersReady !== false)
      await eventually('clusters Ready', async () => {
        const l = await up.json('flotilla', ['get', 'clusters']);
        return l.items.length === members && l.items.every(isReady);
      }, timeoutMs);
  } catch (e) {
    await up.stop();
    throw e;
  }
  return up;
}

/** Polls until fn returns something truthy; the last value or error is in the failure message. */
export async function eventually<T>(what: string, fn: () => Promise<T | undefined | false | null>, ms = 60_000, everyMs = 250): Promise<T> {
  let last: unknown;
  try {
    return await waitFor(
      what,
      async () => {
        try {
          const v = await fn();
          last = v;
          return v || undefined;
        } catch (e) {
          last = e;
          return undefined;
        }
      },
      ms,
      everyMs,
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}; last: ${last instanceof Error ? last.message : JSON.stringify(last)?.slice(0, 600)}`);
  }
}
