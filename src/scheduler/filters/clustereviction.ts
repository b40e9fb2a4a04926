/** ClusterEviction: a cluster the binding is being evicted from (a graceful-eviction task) is not a target. */
import type { FilterPlugin } from './types.js';

export const clusterEviction: FilterPlugin = {
  name: 'ClusterEviction',
  filter(ctx, cluster) {
    return ctx.evicting.has(cluster.name) ? 'cluster(s) is in the process of eviction' : undefined;
  },
};
