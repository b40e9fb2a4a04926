/** ClusterAffinity: the cluster must match the affinity (or clusterAffinities term) in force. */
import { clusterMatches } from '../affinity.js';
import type { FilterPlugin } from './types.js';

export const clusterAffinity: FilterPlugin = {
  name: 'ClusterAffinity',
  filter(ctx, cluster) {
    if (!ctx.affinity || clusterMatches(cluster, ctx.affinity)) return undefined;
    return 'cluster(s) did not match the placement cluster affinity constraint';
  },
};
