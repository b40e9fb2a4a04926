/**
 * Well-known labels, finalizers, taints, condition types and reasons of Karmada's APIs, with the
 * exact strings Karmada uses, so objects written by Flotilla read the same to Karmada tooling.
 */

/** Set once, at creation, by the defaulting of each kind (see ./defaults.ts); never changed. */
export const PERMANENT_ID_LABELS = {
  PropagationPolicy: 'propagationpolicy.karmada.io/permanent-id',
  ClusterPropagationPolicy: 'clusterpropagationpolicy.karmada.io/permanent-id',
  ResourceBinding: 'resourcebinding.karmada.io/permanent-id',
  ClusterResourceBinding: 'clusterresourcebinding.karmada.io/permanent-id',
  Work: 'work.karmada.io/permanent-id',
} as const;

/** Held by a policy until the resources it claimed are released. */
export const FINALIZERS = {
  PropagationPolicy: 'karmada.io/propagation-policy-controller',
  ClusterPropagationPolicy: 'karmada.io/cluster-propagation-policy-controller',
} as const;

/** Taints the cluster controllers put on unhealthy or cordoned clusters. */
export const CLUSTER_TAINTS = {
  NotReady: 'cluster.karmada.io/not-ready',
  Unreachable: 'cluster.karmada.io/unreachable',
  Unschedulable: 'cluster.karmada.io/unschedulable',
} as const;

export const CLUSTER_CONDITIONS = { Ready: 'Ready', CompleteAPIEnablements: 'CompleteAPIEnablements' } as const;

export const BINDING_CONDITIONS = { Scheduled: 'Scheduled', FullyApplied: 'FullyApplied' } as const;
/** Reasons of a binding's Scheduled condition. */
export const SCHEDULED_REASONS = {
  Success: 'Success',
  SchedulerError: 'SchedulerError',
  NoClusterFit: 'NoClusterFit',
  Unschedulable: 'Unschedulable',
  QuotaExceeded: 'QuotaExceeded',
} as const;

export const WORK_CONDITIONS = {
  Applied: 'Applied',
  Progressing: 'Progressing',
  Available: 'Available',
  Degraded: 'Degraded',
  Dispatching: 'Dispatching',
} as const;

/** GracefulEvictionTask.reason values and the producer name Karmada's taint manager uses. */
export const EVICTION_REASONS = { TaintUntolerated: 'TaintUntolerated', ApplicationFailure: 'ApplicationFailure' } as const;
export const EVICTION_PRODUCER_TAINT_MANAGER = 'TaintManager';

/** A selector for this kind makes the PropagationPolicy webhook turn propagateDeps on. */
export const SERVICE_IMPORT = { apiVersion: 'multicluster.x-k8s.io/v1alpha1', kind: 'ServiceImport' } as const;
