/**
 * graceful-eviction (Karmada's RB/CRB graceful eviction controllers): removes eviction tasks
 * whose old copy may go (./reconcile.ts). A binding is looked at whenever it changes while it has
 * tasks (a status write may report the replacements healthy), when a cluster's Ready changes
 * (targets must be Ready to be trusted), and when its first task times out.
 */
import type { Cluster } from '../../api/index.js';
import { Controller } from '../../controller/controller.js';
import { bindingKey, type AnyBinding } from '../../failover/binding.js';
import { sharedEventRecorder } from '../execution/events.js';
import type { StartController } from '../manager.js';
import { Bindings, clusterInformer } from '../taint/bindings.js';
import { failoverMetrics } from '../taint/metrics.js';
import { evictionReconciler } from './reconcile.js';

export { evictionReconciler, type EvictionDeps } from './reconcile.js';

const readyStatus = (c: Cluster | undefined) => c?.status?.conditions?.find((x) => x.type === 'Ready')?.status;

export const startGracefulEviction: StartController = (ctx) => {
  const bindings = new Bindings(ctx.factory);
  const clusters = clusterInformer(ctx.factory);
  // Bindings with tasks: the only ones a cluster change can concern.
  const withTasks = new Set<string>();
  const reconcile = evictionReconciler({
    client: ctx.client,
    bindings,
    clusters,
    events: sharedEventRecorder(ctx),
    metrics: failoverMetrics(ctx.metrics),
    clock: ctx.clock,
    log: ctx.log,
    timeoutMs: ctx.options.gracefulEvictionTimeoutMs,
  });
  const controller = new Controller<string>({ name: 'graceful-eviction', workers: ctx.options.workers, clock: ctx.clock, logger: ctx.log, metrics: ctx.metrics, reconcile });

  const seen = (b: AnyBinding) => {
    const key = bindingKey(b);
    if (b.spec.gracefulEvictionTasks?.length) {
      withTasks.add(key);
      controller.enqueue(key);
    } else withTasks.delete(key);
  };
  bindings.on({ add: seen, update: (_, b) => seen(b), delete: (b) => withTasks.delete(bindingKey(b)) });
  clusters.on({
    update: (old, c) => {
      if (readyStatus(old) !== readyStatus(c)) for (const k of withTasks) controller.enqueue(k);
    },
  });

  void Promise.all([bindings.synced(), clusters.synced()]).then(() => {
    if (!ctx.signal.aborted) controller.start(ctx.signal);
  });
  return { stop: () => controller.stop() };
};
