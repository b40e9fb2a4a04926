/**
 * Scoring feasible clusters.
 *
 * ClusterLocality (Karmada): 100 for a cluster in the binding's current result, 0 otherwise (0
 * for all when there is no result yet), so rescheduling keeps replicas where they run.
 *
 * Capacity (Flotilla): 0–100, the cluster's available replicas relative to the roomiest feasible
 * cluster. It is always computed and explained, but weighs 0 in the total by default: Karmada
 * orders equal scores by name, and spread selection must pick the same clusters Karmada picks
 * for the same fleet. Give it a weight to prefer roomier clusters among equals.
 *
 * Order (Karmada's sortClusters): score descending, then name ascending.
 */
import type { ClusterSnapshot } from './types.js';

export const MAX_CLUSTER_SCORE = 100;

export interface ScoredCluster {
  readonly name: string;
  readonly cluster: ClusterSnapshot;
  /** Plugin name → raw score (0–100). */
  readonly scores: Readonly<Record<string, number>>;
  /** Weighted total used for ordering. */
  readonly score: number;
  /** Replicas the cluster can still take (estimate minus reservations). */
  readonly free: number;
  /** Replicas of this binding already on the cluster. */
  readonly assigned: number;
  /** free + assigned: what spread selection compares (Karmada's AvailableReplicas there). */
  readonly available: number;
}

export interface ScoreInput {
  readonly cluster: ClusterSnapshot;
  readonly free: number;
}

export interface ScoreOptions {
  /** Weight of the Capacity score in the total. Default 0 (Karmada's ordering). */
  readonly capacityWeight?: number;
}

export function compareScored(a: ScoredCluster, b: ScoredCluster): number {
  if (a.score !== b.score) return b.score - a.score;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Scores and sorts feasible clusters. `current` maps cluster → replicas in the current result. */
export function scoreClusters(feasible: readonly ScoreInput[], current: ReadonlyMap<string, number>, opts: ScoreOptions = {}): ScoredCluster[] {
  const weight = opts.capacityWeight ?? 0;
  const maxFree = feasible.reduce((m, f) => Math.max(m, f.free), 0);
  const out = feasible.map(({ cluster, free }): ScoredCluster => {
    const locality = current.size > 0 && current.has(cluster.name) ? MAX_CLUSTER_SCORE : 0;
    const capacity = maxFree > 0 ? Math.floor((MAX_CLUSTER_SCORE * free) / maxFree) : 0;
    const assigned = current.get(cluster.name) ?? 0;
    return {
      name: cluster.name,
      cluster,
      scores: { ClusterLocality: locality, Capacity: capacity },
      score: locality + weight * capacity,
      free,
      assigned,
      available: free + assigned,
    };
  });
  return out.sort(compareScored);
}
