/**
 * cluster: a Cluster's life on the control plane (Karmada's cluster controller).
 *
 *   joined    the finalizer karmada.io/cluster-controller and the execution namespace
 *             karmada-es-<cluster>, where its Works live
 *   condition taints from ./taints.ts (not-ready / unreachable NoSchedule while Ready is not True)
 *   leaving   its Works are deleted (execution removes what they applied from the member, or
 *             gives up on a member that cannot be reached), then the execution namespace; only
 *             then the finalizer goes and the Cluster with it
 */
import type { Cluster } from '../../api/cluster.js';
import { executionSpaceName } from '../../api/names.js';
import { isAlreadyExists, isNotFound } from '../../client/client.js';
import { R } from '../../client/resources.js';
import { Controller } from '../../controller/controller.js';
import type { StartController } from '../manager.js';
import { CLUSTERS, patchFinalizers, WORKS } from '../execution/index.js';
import { desiredTaints } from '../../failover/taints.js';

export const CLUSTER_FINALIZER = 'karmada.io/cluster-controller';

export const startCluster: StartController = (ctx) => {
  const clusters = ctx.members.clusters;
  const works = ctx.factory.for(WORKS);
  const namespaces = new Set<string>();

  async function ensureNamespace(name: string): Promise<void> {
    if (namespaces.has(name)) return;
    try {
      await ctx.client.create(R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
    namespaces.add(name);
  }

  async function remove(cluster: Cluster): Promise<{ requeueAfter: number } | void> {
    const finalizers = cluster.metadata.finalizers ?? [];
    if (!finalizers.includes(CLUSTER_FINALIZER)) return;
    const ns = executionSpaceName(cluster.metadata.name!);
    const left = works.list().filter((w: any) => w.metadata.namespace === ns);
    for (const w of left) {
      if (w.metadata.deletionTimestamp) continue;
      await ctx.client.delete(WORKS, w.metadata.name, { namespace: ns }).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
    }
    if (left.length) return { requeueAfter: 500 };
    try {
      const nsObj = await ctx.client.get(R.namespaces, ns);
      if (!nsObj.metadata.deletionTimestamp) await ctx.client.delete(R.namespaces, ns);
      return { requeueAfter: 500 };
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    namespaces.delete(ns);
    await patchFinalizers(ctx.client, CLUSTERS, cluster, finalizers.filter((f) => f !== CLUSTER_FINALIZER));
    ctx.log.info({ cluster: cluster.metadata.name }, 'cluster removed');
  }

  async function reconcile(name: string) {
    const cluster = clusters.getByName(undefined, name) as Cluster | undefined;
    if (!cluster) return;
    if (cluster.metadata.deletionTimestamp) return remove(cluster);
    if (!(cluster.metadata.finalizers ?? []).includes(CLUSTER_FINALIZER)) {
      await patchFinalizers(ctx.client, CLUSTERS, cluster, [...(cluster.metadata.finalizers ?? []), CLUSTER_FINALIZER]);
      return; // the update brings it back
    }
    await ensureNamespace(executionSpaceName(name));
    // NoSchedule at once, NoExecute after the failover eviction timeout, removed after the
    // stabilisation window (src/failover/taints.ts). A cluster that stays down sends no events,
    // so the plan says when to look again.
    const plan = desiredTaints(cluster, undefined, ctx.clock.now(), ctx.options);
    if (plan.changed) {
      await ctx.client.patch(CLUSTERS, name, { metadata: { resourceVersion: cluster.metadata.resourceVersion }, spec: { taints: plan.taints } }, 'merge');
      ctx.log.info({ cluster: name, taints: plan.taints.map((t) => `${t.key}:${t.effect}`) }, 'cluster taints updated');
    }
    return plan.recheckAfterMs !== undefined ? { requeueAfter: plan.recheckAfterMs } : undefined;
  }

  const controller = new Controller<string>({ name: 'cluster', workers: ctx.options.workers, clock: ctx.clock, logger: ctx.log, metrics: ctx.metrics, reconcile });
  clusters.on({
    add: (c: any) => controller.enqueue(c.metadata.name),
    update: (_: any, c: any) => controller.enqueue(c.metadata.name),
  });
  // A Work leaving a leaving cluster's namespace lets that cluster go further.
  works.on({
    delete: (w: any) => {
      const name = String(w.metadata.namespace).replace(/^karmada-es-/, '');
      if (clusters.getByName(undefined, name)?.metadata?.deletionTimestamp) controller.enqueue(name);
    },
  });
  void Promise.all([clusters.synced(), works.synced()]).then(() => controller.start(ctx.signal));
  return { stop: () => controller.stop() };
};
