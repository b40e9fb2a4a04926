/**
 * TaintToleration: every NoSchedule and NoExecute taint must be tolerated by
 * placement.clusterTolerations (PreferNoSchedule never filters).
 *
 * A cluster already in the binding's result skips the check entirely — for NoExecute as well as
 * NoSchedule — exactly as Karmada does: a new NoSchedule taint must not move running replicas,
 * and evicting for an untolerated NoExecute taint is the taint manager's job (it honours
 * tolerationSeconds and graceful eviction), not the scheduler's.
 */
import { findUntoleratedTaint } from '../../simulator/scheduling/taints.js';
import type { ClusterTaint } from '../types.js';
import type { FilterPlugin } from './types.js';

/** corev1 Taint.ToString(): "key=value:effect", or "key:effect" without a value. */
export function taintString(t: ClusterTaint): string {
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`;
}

export const taintToleration: FilterPlugin = {
  name: 'TaintToleration',
  filter(ctx, cluster) {
    if (ctx.scheduled.has(cluster.name)) return undefined;
    const taint = findUntoleratedTaint(cluster.taints, ctx.placement.clusterTolerations ?? []);
    return taint ? `cluster(s) had untolerated taint {${taintString(taint)}}` : undefined;
  },
};
