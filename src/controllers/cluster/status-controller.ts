/**
 * clusterStatus: every Cluster is probed each --cluster-monitor-period and its status kept true
 * (Karmada's cluster-status controller and the cluster monitor in one):
 *
 *   conditions Ready (./readiness.ts) and CompleteAPIEnablements
 *   kubernetesVersion, apiEnablements   re-read every DISCOVERY_REFRESH_MS and after an outage
 *   nodeSummary, resourceSummary        from ./summary-watch.ts (one node and one pod watch)
 *   the cluster Lease                   renewed on each healthy probe (./lease.ts)
 *
 * While a member does not answer, only the conditions change: the rest keeps its last known
 * values. The status is written (PUT of the status subresource) only when something differs,
 * so a steady fleet causes no writes at all.
 */
import type { Cluster } from '../../api/cluster.js';
import type { KubeClient } from '../../client/client.js';
import { isConflict, isNotFound } from '../../client/client.js';
import { Controller } from '../../controller/controller.js';
import { jsonEqual } from '../../interpreter/object.js';
import type { StartController } from '../manager.js';
import { CLUSTERS, findCondition, setCondition, type Condition } from '../execution/index.js';
import { fetchEnablements, type Enablements } from './discovery.js';
import { ClusterLeases } from './lease.js';
import { fetchVersion, probeHealth } from './probe.js';
import { decideReady } from './readiness.js';
import { ClusterSummaryWatch } from './summary-watch.js';

// Karmada refreshes API enablements with every status update (10 s); a CRD propagated to a member
// is not schedulable for a kind until its cluster says it serves it.
const DISCOVERY_REFRESH_MS = 10_000;

interface ClusterState {
  firstSeen: number;
  lastHealthy?: number;
  leaseRead: boolean;
  failing: boolean;
  version?: string;
  enablements?: Enablements;
  discoveredAt: number;
  watch?: ClusterSummaryWatch;
}

function enablementsCondition(e: Enablements) {
  if (!e.enablements.length) return { type: 'CompleteAPIEnablements', status: 'False' as const, reason: 'Empty', message: 'collected empty APIEnablements from the cluster' };
  if (e.failed.length)
    return { type: 'CompleteAPIEnablements', status: 'False' as const, reason: 'Partial', message: `might collect partial APIEnablements(${e.enablements.length}) from the cluster` };
  return { type: 'CompleteAPIEnablements', status: 'True' as const, reason: 'Complete', message: 'collected complete APIEnablements from the cluster' };
}

export const startClusterStatus: StartController = (ctx) => {
  const o = ctx.options;
  const clusters = ctx.members.clusters;
  const leases = new ClusterLeases(ctx.client);
  const states = new Map<string, ClusterState>();
  const timeoutMs = Math.min(Math.max(o.clusterMonitorPeriodMs, 1_000), 5_000);
  const leaseSeconds = Math.max(1, Math.ceil(o.clusterGracePeriodMs / 1000));

  const drop = (name: string) => {
    states.get(name)?.watch?.stop();
    states.delete(name);
    leases.forget(name);
  };

  async function refreshDiscovery(st: ClusterState, client: KubeClient, name: string, now: number): Promise<void> {
    if (!st.failing && st.version !== undefined && now - st.discoveredAt < DISCOVERY_REFRESH_MS) return;
    st.discoveredAt = now;
    try {
      st.version = await fetchVersion(client, timeoutMs);
    } catch (err) {
      ctx.log.debug({ err, cluster: name }, 'reading the member version failed');
    }
    try {
      st.enablements = await fetchEnablements(client, timeoutMs * 2);
    } catch (err) {
      ctx.log.debug({ err, cluster: name }, 'reading the member discovery failed');
    }
  }

  async function reconcile(name: string) {
    const cluster = clusters.getByName(undefined, name) as Cluster | undefined;
    if (!cluster || cluster.metadata.deletionTimestamp) return drop(name);
    let st = states.get(name);
    if (!st) states.set(name, (st = { firstSeen: ctx.clock.now(), leaseRead: false, failing: false, discoveredAt: 0 }));
    const client = ctx.members.get(name);
    const probe = client ? await probeHealth(client, timeoutMs) : { reachability: 'unreachable' as const, detail: 'no credentials for the cluster' };
    const now = ctx.clock.now();
    if (!st.leaseRead) {
      st.lastHealthy ??= await leases.lastRenewed(name).catch(() => undefined);
      st.leaseRead = true;
    }
    const status: NonNullable<Cluster['status']> = structuredClone(cluster.status ?? {});
    let conditions: Condition[] = (status.conditions ?? []) as Condition[];
    if (probe.reachability === 'healthy' && client) {
      st.lastHealthy = now;
      await refreshDiscovery(st, client, name, now);
      if (st.watch?.client !== client) {
        st.watch?.stop();
        st.watch = new ClusterSummaryWatch(client, ctx.log.child({ cluster: name }));
      } else if (st.failing) st.watch.kick();
      if (st.version) status.kubernetesVersion = st.version;
      if (st.enablements) {
        if (st.enablements.enablements.length) status.apiEnablements = st.enablements.enablements;
        conditions = setCondition(conditions, enablementsCondition(st.enablements), now);
      }
      if (st.watch.synced) {
        const s = st.watch.tally.summaries();
        status.nodeSummary = s.nodeSummary;
        status.resourceSummary = { ...status.resourceSummary, ...s.resourceSummary };
      }
      await leases.renew(cluster, now, leaseSeconds).catch((err) => ctx.log.warn({ err, cluster: name }, 'renewing the cluster lease failed'));
    } else if (!st.failing) {
      ctx.log.info({ cluster: name, reachability: probe.reachability, detail: probe.detail }, 'cluster probe failed');
    }
    st.failing = probe.reachability !== 'healthy';

    const created = Date.parse(cluster.metadata.creationTimestamp ?? '') || st.firstSeen;
    const decision = decideReady({
      prev: findCondition(conditions, 'Ready'),
      probe: probe.reachability,
      now,
      lastHealthy: st.lastHealthy,
      firstSeen: st.firstSeen,
      created,
      graceMs: o.clusterGracePeriodMs,
      startupGraceMs: o.clusterStartupGracePeriodMs,
    });
    const before = findCondition(conditions, 'Ready')?.status;
    if (decision.want) conditions = setCondition(conditions, decision.want, now);
    if (conditions.length) status.conditions = conditions as any;
    let next = o.clusterMonitorPeriodMs;
    if (decision.graceEndsAt !== undefined) next = Math.max(10, Math.min(next, decision.graceEndsAt - now));
    if (jsonEqual(status, cluster.status ?? {})) return { requeueAfter: next };
    try {
      await ctx.client.update(CLUSTERS, { ...cluster, status }, { subresource: 'status' });
    } catch (e) {
      if (isNotFound(e)) return drop(name);
      if (!isConflict(e)) throw e;
      return { requeueAfter: 50 }; // the informer catches up; the next round writes
    }
    if (decision.want && before !== decision.want.status) ctx.log.info({ cluster: name, ready: decision.want.status, reason: decision.want.reason, was: before ?? 'none' }, 'cluster Ready changed');
    return { requeueAfter: next };
  }

  const controller = new Controller<string>({
    name: 'clusterStatus',
    workers: Math.max(o.workers, 16),
    clock: ctx.clock,
    logger: ctx.log,
    metrics: ctx.metrics,
    reconcile: async (name) => reconcile(name),
  });
  clusters.on({
    add: (c: any) => controller.enqueue(c.metadata.name),
    update: (a: any, b: any) => {
      // Our own status writes are most updates; only a new spec or a deletion matters here.
      if (a.metadata.generation !== b.metadata.generation || !!a.metadata.deletionTimestamp !== !!b.metadata.deletionTimestamp) controller.enqueue(b.metadata.name);
    },
    delete: (c: any) => {
      drop(c.metadata.name);
    },
  });
  // Credentials come from Secrets: probing before they are known would fail for nothing.
  void Promise.all([clusters.synced(), ctx.members.secrets.synced()]).then(() => controller.start(ctx.signal));
  return {
    async stop() {
      await controller.stop();
      for (const name of [...states.keys()]) drop(name);
    },
  };
};
