/**
 * The Ready condition of a Cluster from its probes (the cluster monitor):
 *
 *   a healthy probe                      Ready=True    ClusterReady, at once
 *   failing probes, within the grace     Ready unchanged (one lost probe is not an outage)
 *   no healthy probe for the grace       Ready=Unknown ClusterNotReachable (no answer), or
 *                                        Ready=False   ClusterNotReady (answers, not healthy)
 *   already not Ready                    follows the latest failure kind at once
 *
 * The grace runs from the last healthy probe; after a controller restart, from the Cluster
 * Lease's renewTime (renewed on every healthy probe), else from when this controller first saw
 * the cluster. A cluster that never had a Ready condition gets the startup grace, counted from
 * its creation (Karmada's --cluster-startup-grace-period).
 */
import type { Condition, WantCondition } from '../execution/index.js';
import type { Reachability } from './probe.js';

export const READY_REASONS = {
  Ready: 'ClusterReady',
  NotReachable: 'ClusterNotReachable',
  NotReady: 'ClusterNotReady',
} as const;

export const READY_MESSAGES = {
  Ready: 'cluster is healthy and ready to accept workloads',
  NotReachable: 'cluster is not reachable',
  NotReady: 'cluster is reachable but health endpoint responded without ok',
} as const;

export interface ReadinessInput {
  /** The Ready condition the Cluster has now. */
  prev?: Condition;
  probe: Reachability;
  now: number;
  /** The last healthy probe (ms), if known. */
  lastHealthy?: number;
  /** When this controller first saw the cluster (ms). */
  firstSeen: number;
  /** The Cluster's creationTimestamp (ms). */
  created: number;
  graceMs: number;
  startupGraceMs: number;
}

export interface ReadinessDecision {
  /** The Ready condition to set; undefined keeps the current one. */
  want?: WantCondition;
  /** While waiting out a grace period: when it ends (ms). */
  graceEndsAt?: number;
}

const failure = (probe: Reachability): WantCondition =>
  probe === 'unhealthy'
    ? { type: 'Ready', status: 'False', reason: READY_REASONS.NotReady, message: READY_MESSAGES.NotReady }
    : { type: 'Ready', status: 'Unknown', reason: READY_REASONS.NotReachable, message: READY_MESSAGES.NotReachable };

export function decideReady(i: ReadinessInput): ReadinessDecision {
  if (i.probe === 'healthy') return { want: { type: 'Ready', status: 'True', reason: READY_REASONS.Ready, message: READY_MESSAGES.Ready } };
  if (i.prev && i.prev.status !== 'True') return { want: failure(i.probe) };
  const graceEndsAt =
    i.lastHealthy !== undefined ? i.lastHealthy + i.graceMs : i.prev ? i.firstSeen + i.graceMs : Math.max(i.created + i.startupGraceMs, i.firstSeen + i.graceMs);
  if (i.now < graceEndsAt) return { graceEndsAt };
  return { want: failure(i.probe) };
}
