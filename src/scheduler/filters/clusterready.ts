/**
 * ClusterReady: a not-ready cluster takes no new workloads. Karmada gets this from the
 * cluster controller, which taints such clusters cluster.karmada.io/not-ready:NoSchedule; a
 * snapshot may not carry that taint yet, so the filter applies the same rule itself: tolerating
 * the not-ready taint lets a binding in, and clusters already running the workload stay
 * (failover, not the scheduler, decides to move them).
 */
import { tolerates } from '../../simulator/scheduling/taints.js';
import type { FilterPlugin } from './types.js';

export const TAINT_CLUSTER_NOT_READY = 'cluster.karmada.io/not-ready';
export const TAINT_CLUSTER_UNREACHABLE = 'cluster.karmada.io/unreachable';

export const clusterReady: FilterPlugin = {
  name: 'ClusterReady',
  filter(ctx, cluster) {
    if (cluster.ready || ctx.scheduled.has(cluster.name)) return undefined;
    // An explicit not-ready/unreachable taint is TaintToleration's to judge.
    if (cluster.taints?.some((t) => t.key === TAINT_CLUSTER_NOT_READY || t.key === TAINT_CLUSTER_UNREACHABLE)) return undefined;
    if (tolerates(ctx.placement.clusterTolerations ?? [], { key: TAINT_CLUSTER_NOT_READY, effect: 'NoSchedule' })) return undefined;
    return 'cluster(s) were not ready';
  },
};
