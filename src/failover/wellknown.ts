/**
 * Names the failover controllers write: Karmada's where Karmada has one (producers, event
 * reasons), Flotilla's own under failover.flotilla.io for what goes beyond Karmada (failback).
 */
export { CLUSTER_TAINTS, EVICTION_PRODUCER_TAINT_MANAGER, EVICTION_REASONS } from '../api/wellknown.js';

/** GracefulEvictionTask.producer per controller (Karmada's controller names). */
export const PRODUCERS = {
  TaintManager: 'TaintManager',
  RBApplicationFailover: 'resource-binding-application-failover-controller',
  CRBApplicationFailover: 'cluster-resource-binding-application-failover-controller',
} as const;

/** Event reasons on bindings and templates (Karmada's pkg/events where it has them). */
export const EVENT_REASONS = {
  EvictSucceed: 'EvictWorkloadFromClusterSucceed',
  EvictFailed: 'EvictWorkloadFromClusterFailed',
  /** Flotilla: a graceful-eviction task finished and the old copy is released. */
  EvictionTaskRemoved: 'GracefulEvictionTaskRemoved',
  TaintClusterSucceed: 'TaintClusterSucceed',
  TaintClusterFailed: 'TaintClusterFailed',
  /** Flotilla: a failback reschedule was requested / finished. */
  FailbackStarted: 'FailbackStarted',
  FailbackCompleted: 'FailbackCompleted',
} as const;

/** The annotation that asks for failback, on a (Cluster)PropagationPolicy or on a binding. */
export const FAILBACK_ANNOTATION = 'failover.flotilla.io/failback';
/** How long the preferred clusters must have been healthy before workloads move back ("60s", "2m"). */
export const FAILBACK_STABILIZATION_ANNOTATION = 'failover.flotilla.io/failback-stabilization';
/** How many bindings of one policy may be moving back at the same time. */
export const FAILBACK_MAX_CONCURRENT_ANNOTATION = 'failover.flotilla.io/failback-max-concurrent';

/**
 * On a binding: the clusters it ran on before its first cluster failover (comma-separated),
 * written by the taint manager with the eviction. The eviction tasks that also record them go
 * away once the move is over; this stays until failback has used it (or nothing is left to move
 * back). Application failover does not write it: the cluster is fine, the workload is not.
 */
export const CLUSTERS_BEFORE_FAILOVER_ANNOTATION = 'failover.flotilla.io/clusters-before-failover';
/** On a binding: when failback asked the scheduler to move it back (RFC 3339); gone when done. */
export const FAILBACK_STARTED_ANNOTATION = 'failover.flotilla.io/failback-started-at';

/** Karmada's: the placement (JSON) the current spec.clusters was decided with. */
export const APPLIED_PLACEMENT_ANNOTATION = 'policy.karmada.io/applied-placement';

/** Claim annotations (pkg/detector/claim.go): which policy owns a binding. */
export const CLAIM_ANNOTATIONS = {
  ppNamespace: 'propagationpolicy.karmada.io/namespace',
  ppName: 'propagationpolicy.karmada.io/name',
  cppName: 'clusterpropagationpolicy.karmada.io/name',
} as const;
