/**
 * taint-manager (Karmada's NoExecuteTaintManager, on by default here): bindings scheduled on a
 * cluster with NoExecute taints leave it unless their placement tolerates the taints (for
 * tolerationSeconds at most). Two queues: clusters (a NoExecute taint appeared or changed: look
 * at every binding on the cluster) and evictions ("cluster|binding", see ./evict.ts), the latter
 * paced by --eviction-rate.
 *
 * It also counts Ready transitions of Clusters (flotilla_cluster_ready_transitions_total), since
 * it watches every Cluster change anyway.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Cluster } from '../../api/index.js';
import { Controller } from '../../controller/controller.js';
import type { AnyBinding } from '../../failover/binding.js';
import { appliedPlacement, bindingKey, targetNames } from '../../failover/binding.js';
import { TokenBucket } from '../../failover/ratelimit.js';
import { noExecuteTaints } from '../../failover/tolerations.js';
import { sharedEventRecorder } from '../execution/events.js';
import type { Running, StartController } from '../manager.js';
import { Bindings, clusterInformer, ClusterBindingIndex } from './bindings.js';
import { evictionKey, TaintEvictor, TaintFirstSeen } from './evict.js';
import { failoverMetrics } from './metrics.js';

export { Bindings, ClusterBindingIndex, REFS, bindingRef, writeBinding, recordBoth, bindingObject, templateObject, policyInformers, clusterInformer, taintPolicyInformer } from './bindings.js';
export { failoverMetrics, type FailoverMetrics } from './metrics.js';
export { TaintEvictor, TaintFirstSeen, evictionKey, parseEvictionKey } from './evict.js';

const readyStatus = (c: Cluster | undefined) => c?.status?.conditions?.find((x) => x.type === 'Ready')?.status;

export const startTaintManager: StartController = (ctx) => {
  const clusters = clusterInformer(ctx.factory);
  const bindings = new Bindings(ctx.factory);
  const index = new ClusterBindingIndex();
  const firstSeen = new TaintFirstSeen();
  const metrics = failoverMetrics(ctx.metrics);
  const common = { clock: ctx.clock, logger: ctx.log, metrics: ctx.metrics };
  const evictor = new TaintEvictor({
    client: ctx.client,
    bindings,
    clusters,
    bucket: new TokenBucket(ctx.options.evictionRate),
    firstSeen,
    events: sharedEventRecorder(ctx),
    metrics,
    clock: ctx.clock,
    log: ctx.log,
    defaultPurgeMode: 'Gracefully',
  });
  const evictions = new Controller<string>({ ...common, name: 'taint-eviction', workers: ctx.options.workers, reconcile: (key) => evictor.reconcile(key) });
  const hasNoExecute = (name: string) => noExecuteTaints(clusters.getByName(undefined, name)?.spec.taints).length > 0;
  const clusterCtl = new Controller<string>({
    ...common,
    name: 'taint-manager',
    reconcile: async (name) => {
      if (!hasNoExecute(name)) return;
      for (const b of index.on(name)) evictions.enqueue(evictionKey(name, b));
    },
  });

  clusters.on({
    add: (c) => {
      firstSeen.observe(c.metadata.name!, c.spec.taints, ctx.clock.now());
      clusterCtl.enqueue(c.metadata.name!);
    },
    update: (old, c) => {
      const name = c.metadata.name!;
      const was = readyStatus(old);
      const now = readyStatus(c);
      if (now && was !== now) metrics.readyTransitions.inc({ cluster: name, status: now });
      if (!isDeepStrictEqual(old.spec.taints ?? [], c.spec.taints ?? [])) {
        firstSeen.observe(name, c.spec.taints, ctx.clock.now());
        clusterCtl.enqueue(name);
      }
    },
    delete: (c) => firstSeen.forget(c.metadata.name!),
  });

  // A binding newly on a tainted cluster, or with new tolerations, is judged again.
  const judge = (b: AnyBinding) => {
    for (const c of targetNames(b)) if (hasNoExecute(c)) evictions.enqueue(evictionKey(c, bindingKey(b)));
  };
  bindings.on({
    add: (b) => {
      index.set(b);
      judge(b);
    },
    update: (old, b) => {
      index.set(b);
      const moved = !isDeepStrictEqual(targetNames(old), targetNames(b));
      const tolerations = !isDeepStrictEqual(appliedPlacement(old)?.clusterTolerations, appliedPlacement(b)?.clusterTolerations);
      if (moved || tolerations || !!old.metadata.deletionTimestamp !== !!b.metadata.deletionTimestamp) judge(b);
    },
    delete: (b) => index.remove(bindingKey(b)),
  });

  void Promise.all([clusters.synced(), bindings.synced()]).then(() => {
    if (ctx.signal.aborted) return;
    evictions.start(ctx.signal);
    clusterCtl.start(ctx.signal);
  });

  const running: Running = {
    async stop() {
      await Promise.all([clusterCtl.stop(), evictions.stop()]);
    },
  };
  return running;
};
