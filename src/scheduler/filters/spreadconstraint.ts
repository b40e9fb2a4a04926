/**
 * SpreadConstraint: a cluster without the property a constraint spreads by cannot be placed in
 * any group, so it is filtered out. Zone counts spec.zones or the deprecated spec.zone;
 * spreadByLabel needs the label (Karmada does not check labels; Flotilla spreads by them).
 */
import { clusterZones } from '../affinity.js';
import type { FilterPlugin } from './types.js';

export const spreadConstraint: FilterPlugin = {
  name: 'SpreadConstraint',
  filter(ctx, cluster) {
    for (const sc of ctx.placement.spreadConstraints ?? []) {
      if (sc.spreadByField === 'provider' && !cluster.provider) return "cluster(s) didn't have provider property";
      if (sc.spreadByField === 'region' && !cluster.region) return "cluster(s) didn't have region property";
      if (sc.spreadByField === 'zone' && clusterZones(cluster).length === 0) return "cluster(s) didn't have zone property";
      if (!sc.spreadByField && sc.spreadByLabel && cluster.labels?.[sc.spreadByLabel] === undefined) {
        return `cluster(s) didn't have label ${sc.spreadByLabel}`;
      }
    }
    return undefined;
  },
};
