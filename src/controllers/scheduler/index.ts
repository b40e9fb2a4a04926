/**
 * The scheduler controller: decides spec.clusters for every ResourceBinding and
 * ClusterResourceBinding a policy claims (src/scheduler does the deciding), when the binding
 * changes (generation) and when a cluster changes in a way that can move it (see affected.ts);
 * and the WorkloadRebalancer controller that asks for fresh reschedules.
 */
import type { Cluster, ClusterResourceBinding, ResourceBinding, WorkloadRebalancer } from '../../api/index.js';
import { BINDING_CONDITIONS } from '../../api/wellknown.js';
import { Controller } from '../../controller/index.js';
import { ReservationLedger } from '../../scheduler/index.js';
import { EventRecorder, REFS, type AnyBinding } from '../detector/index.js';
import type { Running, StartController } from '../manager.js';
import { affectedBy } from './affected.js';
import { bindingKey, reconcileBinding, type SchedulerDeps } from './reconcile.js';
import { reconcileRebalancer } from './rebalancer.js';
import { FleetSnapshot, type ClusterChange } from './snapshot.js';

export { affectedBy } from './affected.js';
export { bindingInput, skipReason, sameClusters, canonicalClusters } from './input.js';
export { FleetSnapshot, toSnapshot, capacityMoved, type ClusterChange } from './snapshot.js';
export { nextStatus, scheduledCondition, specClusters } from './status.js';
export { syncObserved, needsTrigger } from './rebalancer.js';
export { bindingKey } from './reconcile.js';

export const startScheduler: StartController = (ctx) => {
  const { client, factory, log } = ctx;
  const common = { clock: ctx.clock, logger: log, metrics: ctx.metrics, workers: ctx.options.workers };
  const ledger = new ReservationLedger({ now: () => ctx.clock.now() });
  const fleet = new FleetSnapshot(ledger);
  const clusters = factory.for<Cluster>(REFS.clusters);
  const rbs = factory.for<ResourceBinding>(REFS.resourceBindings);
  const crbs = factory.for<ClusterResourceBinding>(REFS.clusterResourceBindings);
  const rebalancers = factory.for<WorkloadRebalancer>(REFS.workloadRebalancers);
  const deps: SchedulerDeps = { client, rbs, crbs, fleet, ledger, events: new EventRecorder(client, 'flotilla-scheduler', ctx.clock, log), clock: ctx.clock, log, written: new Map() };

  const scheduler = new Controller<string>({ ...common, name: 'scheduler', reconcile: (key) => reconcileBinding(deps, key) });
  const rebalancer = new Controller<string>({
    ...common,
    name: 'workload-rebalancer',
    reconcile: (key) => reconcileRebalancer({ client, rebalancers, rbs, crbs, clock: ctx.clock, log }, key),
  });

  // Bindings not scheduled yet: the only ones a capacity change can help.
  const unscheduled = new Set<string>();
  const track = (b: AnyBinding) => {
    const ok = b.status?.conditions?.find((c) => c.type === BINDING_CONDITIONS.Scheduled)?.status === 'True';
    if (ok) unscheduled.delete(bindingKey(b));
    else unscheduled.add(bindingKey(b));
  };
  const onBinding = {
    add: (b: AnyBinding) => {
      track(b);
      scheduler.enqueue(bindingKey(b));
    },
    update: (a: AnyBinding, b: AnyBinding) => {
      track(b);
      // Spec changes bump the generation; a claim added or removed does not, but changes ownership.
      const claimChanged = JSON.stringify(a.metadata.labels ?? {}) !== JSON.stringify(b.metadata.labels ?? {});
      if (a.metadata.generation !== b.metadata.generation || claimChanged) scheduler.enqueue(bindingKey(b));
    },
    delete: (b: AnyBinding) => {
      unscheduled.delete(bindingKey(b));
      deps.written.delete(bindingKey(b));
      ledger.release(b.metadata.uid ?? '');
    },
  };
  rbs.on(onBinding);
  crbs.on(onBinding);

  const requeue = (change: Exclude<ClusterChange, 'none'> | 'removed', before: ReturnType<FleetSnapshot['get']>, after: ReturnType<FleetSnapshot['get']>) => {
    if (change === 'capacity') {
      for (const key of unscheduled) scheduler.enqueue(key);
      return;
    }
    for (const b of [...rbs.list(), ...crbs.list()]) if (affectedBy(b, change, before, after)) scheduler.enqueue(bindingKey(b));
  };
  const onCluster = (c: Cluster) => {
    const name = c.metadata.name ?? '';
    const before = fleet.get(name);
    const change = fleet.update(c);
    if (change !== 'none') requeue(change, before, fleet.get(name));
  };
  clusters.on({
    add: onCluster,
    update: (_a, b) => onCluster(b),
    delete: (c) => {
      const name = c.metadata.name ?? '';
      const before = fleet.get(name);
      fleet.remove(name);
      requeue('removed', before, undefined);
    },
  });

  const rebalance = (r: WorkloadRebalancer) => rebalancer.enqueue(r.metadata.name ?? '');
  rebalancers.on({ add: rebalance, update: (a, b) => (a.metadata.generation !== b.metadata.generation ? rebalance(b) : undefined) });

  // Deciding over a half-filled fleet would move replicas for nothing: wait for the caches.
  void Promise.all([clusters.synced(), rbs.synced(), crbs.synced(), rebalancers.synced()]).then(() => {
    if (ctx.signal.aborted) return;
    scheduler.start(ctx.signal);
    rebalancer.start(ctx.signal);
  });

  const running: Running = {
    async stop() {
      await Promise.all([scheduler.stop(), rebalancer.stop()]);
    },
  };
  return running;
};
