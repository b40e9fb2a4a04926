/**
 * application-failover (Karmada's RB/CRB application failover controllers): a binding whose
 * policy sets failover.application is evicted from a cluster where its workload has stayed
 * Unhealthy (aggregatedStatus) for decisionConditions.tolerationSeconds, with the policy's
 * purgeMode (failover/appfailover.ts). The unhealthy clocks live in memory, as in Karmada: after
 * a restart they start again, which only delays a failover, never causes one.
 */
import { Controller } from '../../controller/controller.js';
import type { Result } from '../../controller/reconcile.js';
import { applicationTaskOptions, UnhealthyTracker } from '../../failover/appfailover.js';
import { bindingKey, targetNames, type AnyBinding } from '../../failover/binding.js';
import { evictCluster } from '../../failover/eviction.js';
import { EVENT_REASONS, EVICTION_REASONS, PRODUCERS } from '../../failover/wellknown.js';
import { sharedEventRecorder } from '../execution/events.js';
import type { StartController } from '../manager.js';
import { Bindings, recordBoth, writeBinding } from '../taint/bindings.js';
import { failoverMetrics } from '../taint/metrics.js';

const wantsAppFailover = (b: AnyBinding | undefined) => !!b?.spec.failover?.application;

export const startApplicationFailover: StartController = (ctx) => {
  const bindings = new Bindings(ctx.factory);
  const tracker = new UnhealthyTracker();
  const events = sharedEventRecorder(ctx);
  const metrics = failoverMetrics(ctx.metrics);

  async function reconcile(key: string): Promise<Result | void> {
    const b = bindings.get(key);
    const app = b?.spec.failover?.application;
    if (!b || !app || b.metadata.deletionTimestamp || !b.status?.aggregatedStatus?.length) return tracker.forget(key);
    const now = ctx.clock.now();
    const det = tracker.detect(key, b, now);
    if (det.evict.length) {
      const before = targetNames(b);
      const producer = b.kind === 'ClusterResourceBinding' ? PRODUCERS.CRBApplicationFailover : PRODUCERS.RBApplicationFailover;
      let spec = b.spec;
      for (const c of det.evict) spec = evictCluster(spec, c, applicationTaskOptions(app, producer, c, before, now)).spec;
      // Unlike the taint manager, no failback record: the cluster is fine, the workload is not,
      // and moving it back would only fail over again (the tasks still carry clustersBeforeFailover).
      try {
        await writeBinding(ctx.client, { ...b, spec } as AnyBinding);
      } catch (err) {
        for (const c of det.evict) recordBoth(events, b, 'Warning', EVENT_REASONS.EvictFailed, `Evict from cluster ${c} failed: ${(err as Error).message}`);
        throw err;
      }
      for (const c of det.evict) {
        metrics.evictions.inc({ reason: EVICTION_REASONS.ApplicationFailure });
        recordBoth(events, b, 'Normal', EVENT_REASONS.EvictSucceed, `Evict from cluster ${c} succeed: the application stayed unhealthy there, purgeMode ${app.purgeMode ?? 'Gracefully'}.`);
      }
      ctx.log.info({ binding: key, clusters: det.evict, purgeMode: app.purgeMode ?? 'Gracefully' }, 'application failover');
    }
    return det.retryAfterMs !== undefined ? { requeueAfter: det.retryAfterMs } : undefined;
  }

  const controller = new Controller<string>({ name: 'application-failover', workers: ctx.options.workers, clock: ctx.clock, logger: ctx.log, metrics: ctx.metrics, reconcile });
  bindings.on({
    add: (b) => wantsAppFailover(b) && controller.enqueue(bindingKey(b)),
    update: (old, b) => (wantsAppFailover(old) || wantsAppFailover(b)) && controller.enqueue(bindingKey(b)),
    delete: (b) => tracker.forget(bindingKey(b)),
  });
  void bindings.synced().then(() => {
    if (!ctx.signal.aborted) controller.start(ctx.signal);
  });
  return { stop: () => controller.stop() };
};
