/**
 * APIEnablement: the member cluster must serve the workload's kind in its group/version.
 * A cluster that already runs the workload keeps it while its API list is incomplete, so a
 * partial discovery does not evict anything (Karmada does the same).
 */
import type { APIEnablement } from '../types.js';
import type { FilterPlugin } from './types.js';

export function isAPIEnabled(enablements: readonly APIEnablement[] | undefined, apiVersion: string, kind: string): boolean {
  return (enablements ?? []).some((e) => e.groupVersion === apiVersion && (e.resources ?? []).some((r) => r.kind === kind));
}

export const apiEnablement: FilterPlugin = {
  name: 'APIEnablement',
  filter(ctx, cluster) {
    const { apiVersion, kind } = ctx.binding.resource;
    if (isAPIEnabled(cluster.apiEnablements, apiVersion, kind)) return undefined;
    if (ctx.scheduled.has(cluster.name) && cluster.completeAPIEnablements === false) return undefined;
    return 'cluster(s) did not have the API resource';
  },
};
