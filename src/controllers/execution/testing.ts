/**
 * Test helpers for the execution, status and cluster controllers: Flotilla with two simulated
 * members (fast simulated time, short health timings) running only these controllers, so the
 * tests create Works and bindings by hand and depend on nothing else.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isConflict, type KubeClient } from '../../client/client.js';
import { defaultFleet } from '../../simulator/fleet.js';
import { startFlotilla, type Flotilla } from '../../up/flotilla.js';
import { createLogger } from '../../util/logger.js';
import type { ControllerOptions } from '../manager.js';
import { WORKS } from './resources.js';

export const OUR_CONTROLLERS = ['cluster', 'clusterStatus', 'execution', 'workStatus', 'bindingStatus'];

export interface TestFlotilla {
  f: Flotilla;
  dir: string;
  cp: KubeClient;
  member(name: string): KubeClient;
  stop(): Promise<void>;
}

export async function startTestFlotilla(opts: { clusters?: number; nodes?: number; controllerOptions?: Partial<ControllerOptions> } = {}): Promise<TestFlotilla> {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-ctl-'));
  const f = await startFlotilla({
    dataDir: dir,
    storage: 'memory',
    fleet: defaultFleet(opts.clusters ?? 2, opts.nodes ?? 2, { timeScale: 0.02 }),
    logger: createLogger({ level: process.env.FLOTILLA_TEST_LOG_LEVEL ?? 'silent' }),
    controllers: OUR_CONTROLLERS,
    controllerOptions: { clusterMonitorPeriodMs: 250, clusterGracePeriodMs: 1_500, clusterStartupGracePeriodMs: 3_000, clusterStabilizationMs: 500, ...opts.controllerOptions },
  });
  return {
    f,
    dir,
    cp: f.client,
    member: (name) => f.members.get(name)!,
    async stop() {
      await f.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls fn until it returns something truthy; the last error or value is in the failure message. */
export async function eventually<T>(what: string, fn: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)?.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function deployment(name: string, opts: { namespace?: string; replicas?: number; image?: string; labels?: Record<string, string>; annotations?: Record<string, string> } = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: opts.namespace ?? 'default', ...(opts.labels ? { labels: opts.labels } : {}), ...(opts.annotations ? { annotations: opts.annotations } : {}) },
    spec: {
      replicas: opts.replicas ?? 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'main', image: opts.image ?? 'nginx:1.25', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
      },
    },
  };
}

export function work(cluster: string, name: string, manifests: unknown[], extra: { labels?: Record<string, string>; annotations?: Record<string, string>; spec?: Record<string, unknown> } = {}) {
  return {
    apiVersion: 'work.karmada.io/v1alpha1',
    kind: 'Work',
    metadata: { name, namespace: `karmada-es-${cluster}`, ...(extra.labels ? { labels: extra.labels } : {}), ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: { workload: { manifests }, ...(extra.spec ?? {}) },
  };
}

export const getWork = (cp: KubeClient, cluster: string, name: string) => cp.get(WORKS, name, `karmada-es-${cluster}`);

/** Read-modify-write of a Work, retried on conflicts (controllers write its status meanwhile). */
export async function updateWork(cp: KubeClient, cluster: string, name: string, mutate: (w: any) => void): Promise<any> {
  for (let i = 0; ; i++) {
    const cur = await getWork(cp, cluster, name);
    mutate(cur);
    try {
      return await cp.update(WORKS, cur);
    } catch (e) {
      if (!isConflict(e) || i > 20) throw e;
    }
  }
}

export const condition = (obj: any, type: string) => obj?.status?.conditions?.find((c: any) => c.type === type);
