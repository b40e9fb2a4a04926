/**
 * The filter chain. Deleting clusters are dropped first (Karmada skips them before any plugin);
 * then each plugin in order, the first rejection being the one reported.
 */
import type { ClusterSnapshot } from '../types.js';
import { apiEnablement } from './apienablement.js';
import { clusterAffinity } from './clusteraffinity.js';
import { clusterEviction } from './clustereviction.js';
import { clusterReady } from './clusterready.js';
import { spreadConstraint } from './spreadconstraint.js';
import { taintToleration } from './tainttoleration.js';
import type { FilterContext, FilterPlugin } from './types.js';

export type { FilterContext, FilterPlugin } from './types.js';
export { isAPIEnabled } from './apienablement.js';
export { taintString } from './tainttoleration.js';
export { TAINT_CLUSTER_NOT_READY, TAINT_CLUSTER_UNREACHABLE } from './clusterready.js';

/** Affinity first: "did not match" is the most telling reason for a cluster the policy never wanted. */
export const FILTER_PLUGINS: readonly FilterPlugin[] = [
  clusterAffinity,
  apiEnablement,
  taintToleration,
  clusterReady,
  spreadConstraint,
  clusterEviction,
];

export interface Rejection {
  readonly plugin: string;
  readonly reason: string;
}

/** The first plugin to reject `cluster`, or undefined when it is feasible. */
export function runFilters(ctx: FilterContext, cluster: ClusterSnapshot, plugins: readonly FilterPlugin[] = FILTER_PLUGINS): Rejection | undefined {
  if (cluster.deleting) return { plugin: 'ClusterDeleting', reason: 'cluster(s) were being deleted' };
  for (const p of plugins) {
    const reason = p.filter(ctx, cluster);
    if (reason !== undefined) return { plugin: p.name, reason };
  }
  return undefined;
}
