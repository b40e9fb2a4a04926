/**
 * failback (Flotilla, opt-in; Karmada never moves workloads back): bindings evicted by failover
 * carry the clusters they ran on before; when the policy (or binding) asks for failback and those
 * clusters have been healthy for the stabilisation window, a bounded number of bindings per
 * policy at a time is rescheduled from scratch (./reconcile.ts). Decisions run on one worker so
 * the per-policy bound holds without locks.
 */
import type { Cluster } from '../../api/index.js';
import { isDeepStrictEqual } from 'node:util';
import { Controller } from '../../controller/controller.js';
import { bindingKey, type AnyBinding } from '../../failover/binding.js';
import { preferredClusters } from '../../failover/failback.js';
import { FAILBACK_STARTED_ANNOTATION } from '../../failover/wellknown.js';
import { sharedEventRecorder } from '../execution/events.js';
import type { StartController } from '../manager.js';
import { Bindings, clusterInformer, policyInformers } from '../taint/bindings.js';
import { failoverMetrics } from '../taint/metrics.js';
import { failbackReconciler, policyKey } from './reconcile.js';

export { failbackReconciler, policyKey, type FailbackDeps } from './reconcile.js';

const readiness = (c: Cluster) => [c.status?.conditions?.find((x) => x.type === 'Ready'), c.spec.taints ?? []];

export const startFailback: StartController = (ctx) => {
  const bindings = new Bindings(ctx.factory);
  const clusters = clusterInformer(ctx.factory);
  const { pps, cpps } = policyInformers(ctx.factory);
  const tracked = new Set<string>();
  let controller: Controller<string>;
  const enqueueTracked = (filter: (b: AnyBinding) => boolean = () => true) => {
    for (const k of tracked) {
      const b = bindings.get(k);
      if (b && filter(b)) controller.enqueue(k);
    }
  };
  const reconcile = failbackReconciler({
    client: ctx.client,
    bindings,
    clusters,
    pps,
    cpps,
    events: sharedEventRecorder(ctx),
    metrics: failoverMetrics(ctx.metrics),
    clock: ctx.clock,
    log: ctx.log,
    stabilizationMs: ctx.options.clusterStabilizationMs,
    inFlightTimeoutMs: ctx.options.gracefulEvictionTimeoutMs,
    tracked,
    slotFreed: (policy) => enqueueTracked((b) => policyKey(b) === policy),
  });
  controller = new Controller<string>({ name: 'failback', workers: 1, clock: ctx.clock, logger: ctx.log, metrics: ctx.metrics, reconcile });

  const seen = (b: AnyBinding) => {
    if (!preferredClusters(b) && !b.metadata.annotations?.[FAILBACK_STARTED_ANNOTATION]) return;
    const key = bindingKey(b);
    tracked.add(key);
    controller.enqueue(key);
  };
  bindings.on({ add: seen, update: (_, b) => seen(b), delete: (b) => tracked.delete(bindingKey(b)) });
  clusters.on({
    add: () => enqueueTracked(),
    update: (old, c) => {
      if (!isDeepStrictEqual(readiness(old), readiness(c))) enqueueTracked();
    },
  });
  const policyChanged = (old: { metadata: { annotations?: Record<string, string> } }, p: { metadata: { annotations?: Record<string, string> } }) => {
    if (!isDeepStrictEqual(old.metadata.annotations ?? {}, p.metadata.annotations ?? {})) enqueueTracked();
  };
  pps.on({ add: () => enqueueTracked(), update: policyChanged });
  cpps.on({ add: () => enqueueTracked(), update: policyChanged });

  void Promise.all([bindings.synced(), clusters.synced(), pps.synced(), cpps.synced()]).then(() => {
    if (!ctx.signal.aborted) controller.start(ctx.signal);
  });
  return { stop: () => controller.stop() };
};
