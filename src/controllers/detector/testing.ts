/**
 * Integration-test environment shared by the detector, scheduler and binding tests: `flotilla up`
 * in process (startFlotilla) with simulated member clusters and only the controllers under test.
 * Without the cluster-status controller nothing reports cluster health, so the clusters are
 * marked Ready here, with the API enablements and capacity a status controller would report.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeClient, ResourceRef } from '../../client/client.js';
import { isNotFound } from '../../client/client.js';
import { defaultFleet } from '../../simulator/fleet.js';
import { startFlotilla, type Flotilla } from '../../up/flotilla.js';
import { createLogger } from '../../util/logger.js';
import { REFS } from './refs.js';

export interface TestEnv {
  f: Flotilla;
  client: KubeClient;
  clusters: string[];
  /** Polls fn until it returns something truthy. */
  until<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs?: number): Promise<T>;
  /** GET that answers undefined for 404. */
  get<T = any>(ref: ResourceRef, name: string, namespace?: string): Promise<T | undefined>;
  setClusterStatus(name: string, status?: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

export const API_ENABLEMENTS = [
  { groupVersion: 'v1', resources: ['ConfigMap:configmaps', 'Secret:secrets', 'Service:services', 'ServiceAccount:serviceaccounts', 'PersistentVolumeClaim:persistentvolumeclaims', 'Namespace:namespaces'] },
  { groupVersion: 'apps/v1', resources: ['Deployment:deployments', 'StatefulSet:statefulsets', 'DaemonSet:daemonsets', 'ReplicaSet:replicasets'] },
  { groupVersion: 'batch/v1', resources: ['Job:jobs', 'CronJob:cronjobs'] },
  { groupVersion: 'rbac.authorization.k8s.io/v1', resources: ['ClusterRole:clusterroles', 'ClusterRoleBinding:clusterrolebindings'] },
  { groupVersion: 'example.io/v1', resources: ['Widget:widgets'] },
].map((e) => ({ groupVersion: e.groupVersion, resources: e.resources.map((r) => ({ kind: r.split(':')[0]!, name: r.split(':')[1]! })) }));

export function readyStatus(pods = 1000): Record<string, unknown> {
  return {
    conditions: [{ type: 'Ready', status: 'True', reason: 'ClusterReady', message: 'ready for tests', lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') }],
    apiEnablements: API_ENABLEMENTS,
    resourceSummary: { allocatable: { cpu: '100', memory: '400Gi', pods: String(pods) }, allocated: {}, allocating: {} },
  };
}

export async function startEnv(opts: { clusters?: number; labels?: Record<string, Record<string, string>>; controllers?: string[] } = {}): Promise<TestEnv> {
  const n = opts.clusters ?? 3;
  const fleet = defaultFleet(n, 1, { timeScale: 0.05 });
  for (const c of fleet.clusters) c.labels = { ...c.labels, ...opts.labels?.[c.name] };
  const dataDir = mkdtempSync(join(tmpdir(), 'flotilla-ctl-'));
  const f = await startFlotilla({
    dataDir,
    storage: 'memory',
    fleet,
    logger: createLogger({ level: (process.env.FLOTILLA_TEST_LOG_LEVEL ?? 'silent') as 'silent' }),
    controllers: opts.controllers ?? ['detector', 'scheduler', 'binding'],
    controllerOptions: { workers: 4 },
  });
  const client = f.client;
  const env: TestEnv = {
    f,
    client,
    clusters: fleet.clusters.map((c) => c.name),
    async until(what, fn, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      let last: unknown;
      for (;;) {
        try {
          const v = await fn();
          if (v) return v;
        } catch (e) {
          last = e;
        }
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async get(ref, name, namespace) {
      try {
        return await client.get(ref, name, namespace);
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },
    async setClusterStatus(name, status = readyStatus()) {
      const c = await client.get(REFS.clusters, name);
      await client.update(REFS.clusters, { ...c, status }, { subresource: 'status' });
    },
    async stop() {
      await f.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  for (const name of env.clusters) await env.setClusterStatus(name);
  return env;
}

/** The live (not deleting) Works carrying `kind`/`name`, by execution namespace. */
export async function workManifests(env: TestEnv, kind: string, name: string): Promise<{ namespace: string; cluster: string; work: any; manifest: any }[]> {
  const l = await env.client.list(REFS.works);
  return l.items
    .filter((w: any) => !w.metadata.deletionTimestamp && w.spec.workload.manifests[0].kind === kind && w.spec.workload.manifests[0].metadata.name === name)
    .map((w: any) => ({ namespace: w.metadata.namespace as string, cluster: (w.metadata.namespace as string).replace('karmada-es-', ''), work: w, manifest: w.spec.workload.manifests[0] }))
    .sort((a, b) => a.namespace.localeCompare(b.namespace));
}

export const deployment = (name: string, replicas: number, extra: { labels?: Record<string, string>; namespace?: string; podSpec?: Record<string, unknown> } = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: extra.namespace ?? 'default', labels: { app: name, ...extra.labels } },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'main', image: 'nginx:1.25', resources: { requests: { cpu: '100m', memory: '64Mi' } } }], ...extra.podSpec },
    },
  },
});

export const propagationPolicy = (name: string, spec: Record<string, unknown>, namespace = 'default') => ({
  apiVersion: 'policy.karmada.io/v1alpha1',
  kind: 'PropagationPolicy',
  metadata: { name, namespace },
  spec,
});
