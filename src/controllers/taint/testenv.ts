/**
 * A control plane for failover controller tests: an in-process ApiServer (memory, plain HTTP,
 * Flotilla's CRDs) whose clock is a FakeClock, a ControllerContext on it, and helpers to write
 * Clusters and bindings directly (no simulator: the tests play scheduler and status collector).
 */
import { Registry } from 'prom-client';
import type { Cluster, ClusterResourceBinding, ClusterTaintPolicy, PropagationPolicy, ResourceBinding, Taint } from '../../api/index.js';
import { flotillaCRDs } from '../../api/crds.js';
import { ApiServer } from '../../apiserver/server.js';
import { isConflict, KubeClient } from '../../client/client.js';
import { InformerFactory } from '../../client/factory.js';
import { R } from '../../client/resources.js';
import { MemberClients } from '../../member/clients.js';
import { FakeClock, flush } from '../../util/clock.js';
import { createLogger } from '../../util/logger.js';
import { DEFAULT_OPTIONS, type ControllerContext, type ControllerOptions, type Running, type StartController } from '../manager.js';
import { REFS } from './bindings.js';

export const T0 = Date.parse('2025-01-01T00:00:00Z');
export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export type AnyTestBinding = ResourceBinding | ClusterResourceBinding;

export interface TestEnv {
  clock: FakeClock;
  client: KubeClient;
  ctx: ControllerContext;
  start(...controllers: StartController[]): Promise<void>;
  stop(): Promise<void>;
  /** Steps the fake clock, letting timers and their async work run. */
  step(ms: number): Promise<void>;
  until<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, ms?: number): Promise<T>;
  createCluster(name: string, p?: { ready?: 'True' | 'False' | 'Unknown'; readySince?: number; taints?: Taint[]; labels?: Record<string, string> }): Promise<Cluster>;
  setCluster(name: string, p: { ready?: 'True' | 'False' | 'Unknown'; readySince?: number; taints?: Taint[]; conditions?: { type: string; status: string }[] }): Promise<Cluster>;
  getCluster(name: string): Promise<Cluster>;
  createBinding(name: string, spec: Partial<ResourceBinding['spec']>, p?: { namespace?: string; annotations?: Record<string, string> }): Promise<AnyTestBinding>;
  getBinding(name: string, namespace?: string): Promise<AnyTestBinding>;
  /** Plays the scheduler: writes spec.clusters (optional), then status.schedulerObservedGeneration and health. */
  schedule(name: string, p: { clusters?: [string, number][]; health?: Record<string, 'Healthy' | 'Unhealthy' | 'Unknown'>; ready?: Record<string, number>; namespace?: string }): Promise<AnyTestBinding>;
  createPolicy(name: string, annotations: Record<string, string>, namespace?: string): Promise<PropagationPolicy>;
  createTaintPolicy(p: ClusterTaintPolicy['spec'], name?: string): Promise<ClusterTaintPolicy>;
  events(namespace?: string): Promise<{ reason: string; message: string; involvedObject: { kind: string; name: string } }[]>;
}

const readyCondition = (status: string, since: number) => ({ type: 'Ready', status, reason: status === 'True' ? 'ClusterReady' : 'ClusterNotReachable', message: 'test', lastTransitionTime: iso(since) });

export async function startEnv(options: Partial<ControllerOptions> = {}): Promise<TestEnv> {
  const clock = new FakeClock(T0);
  const log = createLogger({ name: 'test', level: process.env.FLOTILLA_TEST_LOG ?? 'silent' });
  const server = await new ApiServer({ storage: 'memory', tls: false, authenticator: null, crds: flotillaCRDs(), logger: log, now: () => clock.now() }).start();
  const client = new KubeClient({ server: server.url });
  const factory = new InformerFactory(client, { clock, log });
  const members = new MemberClients(factory.for(REFS.clusters), factory.for(R.secrets, { namespace: 'karmada-cluster' }), log);
  const abort = new AbortController();
  const ctx: ControllerContext = { client, factory, members, clock, log, metrics: new Registry(), options: { ...DEFAULT_OPTIONS, ...options }, signal: abort.signal };
  const running: Running[] = [];
  const bindingRefFor = (ns?: string) => (ns ? REFS.resourceBindings : REFS.clusterResourceBindings);

async function scheduleOnce(name: string, p: Parameters<TestEnv['schedule']>[1]): Promise<AnyTestBinding> {
    const namespace = p.namespace ?? 'default';
    const ref = bindingRefFor(namespace);
    let b = await client.get<AnyTestBinding>(ref, name, namespace || undefined);
    if (p.clusters) b = await client.update<AnyTestBinding>(ref, { ...b, spec: { ...b.spec, clusters: p.clusters.map(([n, replicas]) => ({ name: n, replicas })) } });
    const aggregatedStatus = Object.entries(p.health ?? {}).map(([clusterName, health]) => ({
      clusterName,
      health,
      applied: true,
      ...(p.ready?.[clusterName] !== undefined ? { status: { availableReplicas: p.ready[clusterName] } } : {}),
    }));
    const status = {
      ...b.status,
      schedulerObservedGeneration: b.metadata.generation,
      lastScheduledTime: iso(clock.now()),
      conditions: [{ type: 'Scheduled', status: 'True', reason: 'Success', message: '', lastTransitionTime: iso(clock.now()) }],
      ...(p.health ? { aggregatedStatus } : {}),
    };
    return client.update<AnyTestBinding>(ref, { ...b, status }, { subresource: 'status' });
  }

  const env: TestEnv = {
    clock,
    client,
    ctx,
    async start(...controllers) {
      for (const c of controllers) running.push(await c(ctx));
      factory.start(abort.signal);
      await factory.synced();
    },
    async stop() {
      abort.abort();
      await Promise.all(running.map((r) => r.stop()));
      factory.stop();
      await client.close();
      await server.stop();
    },
    async step(ms) {
      await clock.stepAsync(ms);
      await flush();
    },
    async until(what, fn, ms = 5_000) {
      const end = Date.now() + ms;
      for (;;) {
        const v = await fn();
        if (v) return v;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async createCluster(name, p = {}) {
      const c = await client.create<Cluster>(REFS.clusters, {
        apiVersion: 'cluster.karmada.io/v1alpha1',
        kind: 'Cluster',
        metadata: { name, labels: p.labels ?? {} },
        spec: { syncMode: 'Push', ...(p.taints ? { taints: p.taints } : {}) },
      });
      if (!p.ready) return c;
      return env.setCluster(name, { ready: p.ready, readySince: p.readySince ?? clock.now() });
    },
    async setCluster(name, p) {
      const cur = await client.get<Cluster>(REFS.clusters, name);
      let c = cur;
      if (p.taints) c = await client.update<Cluster>(REFS.clusters, { ...cur, spec: { ...cur.spec, taints: p.taints } });
      if (p.ready || p.conditions) {
        const conditions = [
          ...(p.ready ? [readyCondition(p.ready, p.readySince ?? clock.now())] : (c.status?.conditions ?? []).filter((x) => x.type === 'Ready')),
          ...(p.conditions ?? []).map((x) => ({ ...x, reason: 'Test', message: '', lastTransitionTime: iso(clock.now()) })),
        ];
        c = await client.update<Cluster>(REFS.clusters, { ...c, status: { ...c.status, conditions } }, { subresource: 'status' });
      }
      return c;
    },
    getCluster: (name) => client.get<Cluster>(REFS.clusters, name),
    async createBinding(name, spec, p = {}) {
      const namespace = p.namespace ?? 'default';
      return client.create<AnyTestBinding>(bindingRefFor(namespace), {
        apiVersion: 'work.karmada.io/v1alpha2',
        kind: namespace ? 'ResourceBinding' : 'ClusterResourceBinding',
        metadata: { name, ...(namespace ? { namespace } : {}), ...(p.annotations ? { annotations: p.annotations } : {}) },
        spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: name.replace(/-deployment$/, ''), ...(namespace ? { namespace } : {}) }, replicas: 6, ...spec },
      });
    },
    getBinding: (name, namespace = 'default') => client.get<AnyTestBinding>(bindingRefFor(namespace), name, namespace || undefined),
    async schedule(name, p) {
      // The controllers under test write the same bindings: retry on conflicts, as a scheduler would.
      for (let attempt = 0; ; attempt++) {
        try {
          return await scheduleOnce(name, p);
        } catch (e) {
          if (!isConflict(e) || attempt >= 10) throw e;
        }
      }
    },
    createPolicy: (name, annotations, namespace = 'default') =>
      client.create<PropagationPolicy>(REFS.propagationPolicies, {
        apiVersion: 'policy.karmada.io/v1alpha1',
        kind: 'PropagationPolicy',
        metadata: { name, namespace, annotations },
        spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment' }] },
      }),
    createTaintPolicy: (spec, name = 'policy') =>
      client.create<ClusterTaintPolicy>(REFS.clusterTaintPolicies, { apiVersion: 'policy.karmada.io/v1alpha1', kind: 'ClusterTaintPolicy', metadata: { name }, spec }),
    async events(namespace = 'default') {
      const list = await client.list(R.events, { namespace });
      return list.items as never;
    },
  };
  return env;
}
