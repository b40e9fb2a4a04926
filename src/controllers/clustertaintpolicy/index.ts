/**
 * cluster-taint-policy (Karmada's ClusterTaintPolicy controller): keeps each Cluster's taints
 * in line with the ClusterTaintPolicies that target it (failover/taintpolicy.ts). A Cluster is
 * looked at when its conditions (or what targeting reads: labels, provider, region, zones)
 * change, and when a policy that targets it is created or changes. A deleted policy takes none
 * of its taints away.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Cluster, ClusterTaintPolicy } from '../../api/index.js';
import { isNotFound } from '../../client/client.js';
import { Controller } from '../../controller/controller.js';
import { applyTaintPolicies, policyTargets } from '../../failover/taintpolicy.js';
import { taintString } from '../../failover/tolerations.js';
import { EVENT_REASONS } from '../../failover/wellknown.js';
import { sharedEventRecorder } from '../execution/events.js';
import type { StartController } from '../manager.js';
import { clusterInformer, REFS, taintPolicyInformer } from '../taint/bindings.js';

const targeting = (c: Cluster) => [c.status?.conditions?.map((x) => [x.type, x.status]), c.metadata.labels, c.spec.provider, c.spec.region, c.spec.zone, c.spec.zones];

export const startClusterTaintPolicy: StartController = (ctx) => {
  const clusters = clusterInformer(ctx.factory);
  const policies = taintPolicyInformer(ctx.factory);
  const events = sharedEventRecorder(ctx);

  async function reconcile(name: string): Promise<void> {
    const c = clusters.getByName(undefined, name);
    if (!c || c.metadata.deletionTimestamp) return;
    const r = applyTaintPolicies(c, policies.list(), ctx.clock.now());
    if (!r.changed) return;
    const involved = { apiVersion: c.apiVersion, kind: c.kind, name, uid: c.metadata.uid };
    try {
      // resourceVersion precondition: the cluster controller writes taints too.
      await ctx.client.update(REFS.clusters, { ...c, spec: { ...c.spec, taints: r.taints } });
    } catch (err) {
      if (isNotFound(err)) return;
      events.event(involved, 'Warning', EVENT_REASONS.TaintClusterFailed, `Update Cluster(${name}) taints failed: ${(err as Error).message}`);
      throw err;
    }
    const list = r.taints.map(taintString).join(', ');
    events.event(involved, 'Normal', EVENT_REASONS.TaintClusterSucceed, `Update Cluster(${name}) with taints(${list}) succeed`);
    ctx.log.info({ cluster: name, taints: list }, 'cluster taints updated by ClusterTaintPolicy');
  }

  const controller = new Controller<string>({ name: 'cluster-taint-policy', workers: ctx.options.workers, clock: ctx.clock, logger: ctx.log, metrics: ctx.metrics, reconcile });
  const enqueueTargets = (...ps: ClusterTaintPolicy[]) => {
    for (const c of clusters.list()) if (ps.some((p) => policyTargets(p, c))) controller.enqueue(c.metadata.name!);
  };
  clusters.on({
    add: (c) => controller.enqueue(c.metadata.name!),
    update: (old, c) => {
      if (!isDeepStrictEqual(targeting(old), targeting(c))) controller.enqueue(c.metadata.name!);
    },
  });
  policies.on({
    add: (p) => enqueueTargets(p),
    update: (old, p) => {
      if (!isDeepStrictEqual(old.spec, p.spec)) enqueueTargets(old, p);
    },
  });

  void Promise.all([clusters.synced(), policies.synced()]).then(() => {
    if (!ctx.signal.aborted) controller.start(ctx.signal);
  });
  return { stop: () => controller.stop() };
};
