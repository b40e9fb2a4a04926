/**
 * Scheduler: the pure algorithm's latency per decision (p50/p99) for 10,000 bindings over 100
 * clusters with a mix of affinity, spread and divided policies, and in the same run the
 * scheduler controller end to end: the same bindings as ResourceBinding objects in a control
 * plane (SQLite, as `flotilla up` runs it) with 100 Cluster objects carrying realistic status
 * (the scheduler reads only Cluster objects, so no member needs to run), counted through a watch
 * from each binding's creation to its spec.clusters (or its failed Scheduled condition) written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setMaxListeners } from 'node:events';
import { Registry } from 'prom-client';
import { schedule, ReservationLedger } from '../src/scheduler/index.js';
import { cluster, binding, staticWeights, DYNAMIC, AGGREGATED } from '../src/scheduler/testing.js';
import type { ClusterSnapshot, BindingInput } from '../src/scheduler/types.js';
import { startFlotilla } from '../src/up/flotilla.js';
import { InformerFactory } from '../src/client/factory.js';
import { MemberClients } from '../src/member/clients.js';
import { R } from '../src/client/resources.js';
import type { KubeClient } from '../src/client/client.js';
import { startControllers, DEFAULT_OPTIONS } from '../src/controllers/manager.js';
import { startScheduler } from '../src/controllers/scheduler/index.js';
import { REFS } from '../src/controllers/detector/refs.js';
import { PERMANENT_ID_LABELS } from '../src/api/wellknown.js';
import { realClock } from '../src/util/clock.js';
import { createLogger } from '../src/util/logger.js';
import { Report, percentile, median } from './lib.js';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-south-1'];

export function fleet(n: number): ClusterSnapshot[] {
  return Array.from({ length: n }, (_, i) =>
    cluster(`member${i + 1}`, {
      labels: { tier: i % 3 === 0 ? 'gold' : 'standard', env: i % 2 ? 'prod' : 'staging' },
      region: REGIONS[i % REGIONS.length],
      zones: [`${REGIONS[i % REGIONS.length]}${'abc'[i % 3]}`],
      provider: i % 4 === 0 ? 'gcp' : 'aws',
      resourceSummary: { allocatable: { cpu: '400', memory: '1600Gi', pods: '11000' }, allocated: { cpu: String(i % 50), memory: '10Gi', pods: '100' } },
    }),
  );
}

/** A mix: duplicated by label, static weights, dynamic weights, aggregated, spread by region. */
export function bindings(n: number, clusters: number): BindingInput[] {
  const req = { resourceRequest: { cpu: '250m', memory: '256Mi' } };
  return Array.from({ length: n }, (_, i) => {
    const uid = `uid-${i}`;
    const rest = { uid, replicaRequirements: req, resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: `app-${i}` } };
    switch (i % 5) {
      case 0:
        return binding({ clusterAffinity: { labelSelector: { matchLabels: { tier: 'gold' } } } }, 3, rest);
      case 1: {
        const a = (i % clusters) + 1;
        const b = ((i + 7) % clusters) + 1;
        const c = ((i + 13) % clusters) + 1;
        return binding({ clusterAffinity: { clusterNames: [`member${a}`, `member${b}`, `member${c}`] }, replicaScheduling: staticWeights({ [`member${a}`]: 3, [`member${b}`]: 2, [`member${c}`]: 1 }) }, 12, rest);
      }
      case 2:
        return binding({ clusterAffinity: { labelSelector: { matchLabels: { env: 'prod' } } }, replicaScheduling: DYNAMIC }, 20, rest);
      case 3:
        return binding({ replicaScheduling: AGGREGATED, clusterAffinity: { labelSelector: { matchLabels: { tier: 'standard' } } } }, 8, rest);
      default:
        return binding(
          { spreadConstraints: [{ spreadByField: 'region', minGroups: 2, maxGroups: 2 }, { spreadByField: 'cluster', minGroups: 2, maxGroups: 4 }], replicaScheduling: DYNAMIC },
          10,
          rest,
        );
    }
  });
}

const QUANTITY = (milli: number) => `${milli}m`;

/** A Cluster object as the cluster and cluster-status controllers leave it for a healthy member. */
function clusterObject(s: ClusterSnapshot) {
  return {
    apiVersion: 'cluster.karmada.io/v1alpha1',
    kind: 'Cluster',
    metadata: { name: s.name, labels: s.labels },
    spec: { syncMode: 'Push', apiEndpoint: `https://${s.name}.example:6443`, provider: s.provider, region: s.region, zones: s.zones },
  };
}

function clusterStatus(s: ClusterSnapshot, now: string) {
  return {
    kubernetesVersion: 'v1.32.0',
    conditions: [
      { type: 'Ready', status: 'True', reason: 'ClusterReady', message: 'cluster is healthy and ready to accept workloads', lastTransitionTime: now },
      { type: 'CompleteAPIEnablements', status: 'True', reason: 'Complete', message: 'collected complete APIs from the cluster', lastTransitionTime: now },
    ],
    apiEnablements: [
      { groupVersion: 'v1', resources: ['configmaps', 'secrets', 'services', 'pods'].map((r) => ({ name: r, kind: r[0]!.toUpperCase() + r.slice(1, -1) })) },
      { groupVersion: 'apps/v1', resources: [{ name: 'deployments', kind: 'Deployment' }, { name: 'statefulsets', kind: 'StatefulSet' }, { name: 'daemonsets', kind: 'DaemonSet' }] },
    ],
    nodeSummary: { totalNum: 100, readyNum: 100 },
    resourceSummary: { ...s.resourceSummary, allocating: { cpu: QUANTITY(0), memory: '0', pods: '0' } },
  };
}

function bindingObject(b: BindingInput, i: number) {
  return {
    apiVersion: 'work.karmada.io/v1alpha2',
    kind: 'ResourceBinding',
    metadata: {
      name: `${b.resource.name}-deployment`,
      namespace: 'default',
      // Claimed by a policy, as the detector leaves it: only claimed bindings are scheduled.
      labels: { [PERMANENT_ID_LABELS.PropagationPolicy]: `bench-policy-${i % 5}`, [PERMANENT_ID_LABELS.ResourceBinding]: `bench-rb-${i}` },
    },
    spec: {
      resource: { ...b.resource, uid: `template-${i}` },
      replicas: b.replicas,
      replicaRequirements: b.replicaRequirements,
      placement: b.placement,
    },
  };
}

async function pool<T>(items: readonly T[], concurrency: number, fn: (x: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

/** Watches ResourceBindings and records when each one's decision is persisted. */
function watchDecisions(client: KubeClient, signal: AbortSignal, onDecided: (name: string, ok: boolean) => void): Promise<void> {
  const seen = new Set<string>();
  return client.watch(REFS.resourceBindings, { namespace: 'default' }, (ev) => {
    const b = ev.object as any;
    const name = b?.metadata?.name as string | undefined;
    if (!name || seen.has(name) || (ev.type !== 'MODIFIED' && ev.type !== 'ADDED')) return;
    const ok = (b.spec?.clusters?.length ?? 0) > 0;
    const failed = b.status?.conditions?.some((c: any) => c.type === 'Scheduled' && c.status === 'False');
    if (!ok && !failed) return;
    seen.add(name);
    onDecided(name, ok);
  }, signal);
}

interface EndToEnd {
  createsPerSec: number;
  drainPerSec: number;
  drainFailed: number;
  streamPerSec: number;
  streamP50: number;
  streamP99: number;
}

/**
 * Two phases over one control plane: (1) `n` bindings created while no scheduler runs (their
 * create rate is the same-run baseline), then the scheduler controller started on the backlog:
 * decisions persisted per second until the last; (2) `stream` more bindings created at the same
 * concurrency while the scheduler runs: per-binding latency from create to decision persisted.
 */
export async function endToEnd(n: number, stream: number, snapshots: ClusterSnapshot[], inputs: BindingInput[], workers: number): Promise<EndToEnd> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sched-'));
  const log = createLogger({ level: 'warn' });
  // '-*': no controller at all (an empty list means all); the scheduler is started below, on the backlog.
  const f = await startFlotilla({ dataDir: dir, controllers: ['-*'], logger: log });
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  try {
    const c = f.client;
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    await pool(snapshots, 16, async (s) => {
      const created = await c.create(REFS.clusters, clusterObject(s));
      await c.update(REFS.clusters, { ...created, status: clusterStatus(s, now) }, { subresource: 'status' });
    });
    const objs = inputs.slice(0, n + stream).map(bindingObject);

    const decidedAt = new Map<string, number>();
    let failed = 0;
    let last = 0;
    const watching = watchDecisions(c, abort.signal, (name, ok) => {
      last = performance.now();
      decidedAt.set(name, last);
      if (!ok) failed++;
    }).catch(() => undefined);

    const t0 = performance.now();
    await pool(objs.slice(0, n), 64, async (o) => {
      await c.create(REFS.resourceBindings, o);
    });
    const createsPerSec = n / ((performance.now() - t0) / 1000);

    const factory = new InformerFactory(c, { clock: realClock, log });
    const members = new MemberClients(factory.for(REFS.clusters), factory.for(R.secrets, { namespace: 'karmada-cluster' }), log);
    const s0 = performance.now();
    const running = await startControllers(
      { scheduler: startScheduler },
      { client: c, factory, members, clock: realClock, log, metrics: new Registry(), options: { ...DEFAULT_OPTIONS, workers }, signal: abort.signal },
    );
    const until = async (what: string, done: () => boolean, ms: number) => {
      const end = Date.now() + ms;
      while (!done()) {
        if (Date.now() > end) throw new Error(`timed out: ${what} (${decidedAt.size} decided)`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    await until('backlog scheduled', () => decidedAt.size >= n, 600_000);
    const drainPerSec = n / ((last - s0) / 1000);
    const drainFailed = failed;

    const createdAt = new Map<string, number>();
    const st0 = performance.now();
    await pool(objs.slice(n), 64, async (o) => {
      createdAt.set(o.metadata.name, performance.now());
      await c.create(REFS.resourceBindings, o);
    });
    await until('stream scheduled', () => decidedAt.size >= n + stream, 600_000);
    const streamPerSec = stream ? stream / ((last - st0) / 1000) : 0;
    const lat = [...createdAt].map(([name, t]) => decidedAt.get(name)! - t);
    if (!lat.length) lat.push(0);
    abort.abort();
    await running.stop();
    await members.close();
    await watching;
    return { createsPerSec, drainPerSec, drainFailed, streamPerSec, streamP50: percentile(lat, 50), streamP99: percentile(lat, 99) };
  } finally {
    abort.abort();
    await f.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(args: string[]) {
  const quick = args.includes('--quick');
  const n = quick ? 2000 : 10000;
  const clusters = fleet(100);
  const all = bindings(n, 100);
  const report = new Report('scheduler', { bindings: n, clusters: 100 });
  console.log(`scheduler benchmark: ${n} bindings over 100 clusters`);
  // Warm up the JIT on a slice, as a long-running scheduler would be.
  for (const b of all.slice(0, 500)) schedule(b, clusters);
  const runs: { p50: number; p99: number; perSec: number; failed: number }[] = [];
  for (let r = 0; r < (quick ? 1 : 3); r++) {
    const ledger = new ReservationLedger();
    const lat: number[] = [];
    let failed = 0;
    const t0 = process.hrtime.bigint();
    for (const b of all) {
      const s = process.hrtime.bigint();
      const d = schedule(b, clusters, { ledger });
      lat.push(Number(process.hrtime.bigint() - s) / 1e6);
      if (d.error) failed++;
    }
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    runs.push({ p50: percentile(lat, 50), p99: percentile(lat, 99), perSec: n / secs, failed });
  }
  const p99 = median(runs.map((x) => x.p99));
  report.add({ metric: 'pure decision latency p50', value: median(runs.map((x) => x.p50)), unit: 'ms' });
  report.add({ metric: 'pure decision latency p99', value: p99, unit: 'ms', target: '<= 1 ms' });
  const pure = { metric: 'pure decisions/s (one core)', value: median(runs.map((x) => x.perSec)), unit: 'ops/s' };
  report.add(pure);
  report.add({ metric: 'unschedulable decisions', value: runs[0]!.failed, unit: 'bindings' });

  if (!args.includes('--pure-only')) {
    const wi = args.indexOf('--workers');
    const workers = wi >= 0 ? Number(args[wi + 1]) : DEFAULT_OPTIONS.workers;
    const stream = quick ? 1000 : 2000;
    console.log(`end to end: ${n} ResourceBindings backlog + ${stream} streamed, 100 Cluster objects, scheduler controller with ${workers} workers, SQLite`);
    const all2 = bindings(n + stream, 100);
    const e = await endToEnd(n, stream, clusters, all2, workers);
    const creates = { metric: 'ResourceBinding creates/s (no scheduler, same server)', value: e.createsPerSec, unit: 'ops/s' };
    report.add({ metric: 'e2e decisions persisted/s (backlog)', value: e.drainPerSec, unit: 'ops/s', baseline: creates, target: '>= 1,000/s' });
    report.add({ metric: 'e2e unschedulable (persisted as Scheduled=False)', value: e.drainFailed, unit: 'bindings' });
    report.add({ metric: 'e2e decisions/s while creating', value: e.streamPerSec, unit: 'ops/s' });
    report.add({ metric: 'e2e create → spec.clusters p50', value: e.streamP50, unit: 'ms' });
    report.add({ metric: 'e2e create → spec.clusters p99', value: e.streamP99, unit: 'ms' });
    report.add({ metric: 'pure decisions/s, same run', value: pure.value, unit: 'ops/s' });
  }
  console.log(`results: ${report.write()}`);
}
