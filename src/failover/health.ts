/**
 * Cluster health with damping, as pure functions of time.
 *
 * Ready from probes (the cluster monitor; the same rules as controllers/cluster/readiness.ts):
 *
 *   a healthy probe (or a renewed Lease)   Ready=True at once
 *   failing probes within the grace        Ready unchanged: one lost probe is not an outage
 *   no healthy probe for the grace         Unknown (no answer) or False (answers, unhealthy)
 *   already not Ready                      follows the latest failure kind at once
 *   never Ready                            the startup grace, from creation, instead
 *
 * What a Ready condition means for the fleet (healthPhase), from its status and
 * lastTransitionTime only, so any controller can read it from the Cluster object:
 *
 *   Ready=True, for less than clusterStabilizationMs    Stabilizing  no new work yet (flapping);
 *     (or less since the last failed probe, if known)
 *   Ready=True, longer                                  Healthy
 *   Ready=False/Unknown, for less than eviction timeout Failing      no new work, nothing moves
 *   Ready=False/Unknown, longer                         Evicting     NoExecute: workloads leave
 *
 * A negative failoverEvictionTimeoutMs turns automatic eviction off (Karmada's default since
 * v1.15: NoExecute only from ClusterTaintPolicies or by hand).
 */
import { timeOf } from './binding.js';

export type ProbeOutcome = 'healthy' | 'unhealthy' | 'unreachable';
export type ReadyStatus = 'True' | 'False' | 'Unknown';

export interface HealthOptions {
  clusterGracePeriodMs: number;
  clusterStartupGracePeriodMs: number;
  failoverEvictionTimeoutMs: number;
  clusterStabilizationMs: number;
}

/** A Ready condition as far as timing goes; lastTransitionTime as RFC 3339 or ms. */
export interface ReadyLike {
  status: string;
  lastTransitionTime?: string | number;
  /**
   * The last failed probe (ms), when the caller knows it. Probes failing within the grace do not
   * change the condition, so a cluster flapping faster than the grace looks Ready throughout;
   * with this, any failed probe restarts the stabilisation window.
   */
  lastFailureAt?: number;
}

export interface ReadyDecision {
  status: ReadyStatus;
  reason: string;
  message: string;
}

export const READY = {
  True: { status: 'True', reason: 'ClusterReady', message: 'cluster is healthy and ready to accept workloads' },
  NotReady: { status: 'False', reason: 'ClusterNotReady', message: 'cluster is reachable but health endpoint responded without ok' },
  Unreachable: { status: 'Unknown', reason: 'ClusterNotReachable', message: 'cluster is not reachable' },
} as const satisfies Record<string, ReadyDecision>;

export interface ReadinessInput {
  /** The Ready condition now (undefined before the first decision). */
  prev?: ReadyLike;
  probe: ProbeOutcome;
  now: number;
  /** Last healthy probe or Lease renewal (ms), if known. */
  lastHealthy?: number;
  /** When the monitor first saw the cluster (ms). */
  firstSeen: number;
  /** The Cluster's creationTimestamp (ms). */
  created: number;
}

/** The Ready condition to set (undefined: keep it) and, while damping, when the grace ends. */
export function decideReadiness(i: ReadinessInput, o: Pick<HealthOptions, 'clusterGracePeriodMs' | 'clusterStartupGracePeriodMs'>): { ready?: ReadyDecision; graceEndsAt?: number } {
  if (i.probe === 'healthy') return { ready: READY.True };
  const failed = i.probe === 'unhealthy' ? READY.NotReady : READY.Unreachable;
  if (i.prev && i.prev.status !== 'True') return { ready: failed };
  const graceEndsAt =
    i.lastHealthy !== undefined
      ? i.lastHealthy + o.clusterGracePeriodMs
      : i.prev
        ? i.firstSeen + o.clusterGracePeriodMs
        : Math.max(i.created + o.clusterStartupGracePeriodMs, i.firstSeen + o.clusterGracePeriodMs);
  return i.now < graceEndsAt ? { graceEndsAt } : { ready: failed };
}

export type HealthPhase = 'Unknown' | 'Healthy' | 'Stabilizing' | 'Failing' | 'Evicting';

export interface PhaseInfo {
  phase: HealthPhase;
  /** When Ready last changed (ms); undefined for Unknown. */
  since?: number;
  /** When the phase ends by itself (Stabilizing → Healthy, Failing → Evicting). */
  until?: number;
}

const msOf = (t: string | number | undefined): number | undefined => (typeof t === 'number' ? t : timeOf(t));

/** The phase a Ready condition puts a cluster in at `now` (see the table above). */
export function healthPhase(ready: ReadyLike | undefined, now: number, o: Pick<HealthOptions, 'failoverEvictionTimeoutMs' | 'clusterStabilizationMs'>): PhaseInfo {
  if (!ready) return { phase: 'Unknown' };
  // A condition without a time is treated as having just changed: the conservative reading.
  const since = msOf(ready.lastTransitionTime) ?? now;
  if (ready.status === 'True') {
    const until = Math.max(since, ready.lastFailureAt ?? -Infinity) + Math.max(0, o.clusterStabilizationMs);
    return now < until ? { phase: 'Stabilizing', since, until } : { phase: 'Healthy', since };
  }
  if (o.failoverEvictionTimeoutMs < 0) return { phase: 'Failing', since };
  const until = since + o.failoverEvictionTimeoutMs;
  return now < until ? { phase: 'Failing', since, until } : { phase: 'Evicting', since };
}

/** Whether the cluster may take new work: Ready and past the stabilisation window. */
export const isStable = (ready: ReadyLike | undefined, now: number, o: Pick<HealthOptions, 'failoverEvictionTimeoutMs' | 'clusterStabilizationMs'>): boolean =>
  healthPhase(ready, now, o).phase === 'Healthy';

/** Ready=True for at least `windowMs` (failback's own stabilisation window). */
export function healthyFor(ready: ReadyLike | undefined, now: number, windowMs: number): { ok: boolean; at?: number } {
  if (!ready || ready.status !== 'True') return { ok: false };
  const at = (msOf(ready.lastTransitionTime) ?? now) + Math.max(0, windowMs);
  return { ok: now >= at, at };
}
