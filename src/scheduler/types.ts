/**
 * Plain data shapes the scheduler decides over. Field names follow Karmada's JSON
 * (cluster.karmada.io/v1alpha1 Cluster, policy.karmada.io/v1alpha1 Placement,
 * work.karmada.io/v1alpha2 ResourceBinding) so the canonical API types in src/api/ are
 * structurally assignable to these; the scheduler only declares the parts it reads.
 *
 * Everything here is read-only input: the scheduler never mutates a snapshot or a binding.
 */
import type { Toleration } from 'kubernetes-types/core/v1.js';
import type { LabelSelectorObject } from '../selectors/labels.js';
import type { NodeSelector, NodeSelectorRequirement } from '../selectors/nodeselector.js';
import type { Explanation } from './explain.js';

export type { Toleration } from 'kubernetes-types/core/v1.js';

/** A Kubernetes ResourceList: resource name → quantity ("500m", "4Gi", 10). */
export type ResourceList = Readonly<Record<string, string | number>>;

export type Labels = Readonly<Record<string, string>>;

/** cluster.spec.taints[] (corev1.Taint). */
export interface ClusterTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
  /** RFC 3339; NoExecute toleration timing counts from here (the taint manager's business). */
  readonly timeAdded?: string;
}

/** cluster.status.apiEnablements[]: the kinds a member cluster serves per group/version. */
export interface APIEnablement {
  readonly groupVersion: string;
  readonly resources?: readonly { readonly name: string; readonly kind: string }[];
}

/** cluster.status.resourceSummary. */
export interface ResourceSummary {
  readonly allocatable?: ResourceList;
  readonly allocated?: ResourceList;
  readonly allocating?: ResourceList;
}

/**
 * One node of a member cluster, for the accurate estimator (a replica must fit on one node).
 * `requested` is what the node's pods already request (including a `pods` count).
 */
export interface NodeSummary {
  readonly name?: string;
  readonly allocatable: ResourceList;
  readonly requested?: ResourceList;
  readonly labels?: Labels;
  readonly taints?: readonly ClusterTaint[];
  /** false: NotReady or cordoned; the node takes no new replicas. Default true. */
  readonly schedulable?: boolean;
}

/** What the scheduler knows about one member cluster at decision time. */
export interface ClusterSnapshot {
  readonly name: string;
  readonly labels?: Labels;
  readonly provider?: string;
  readonly region?: string;
  /** Deprecated in Karmada in favour of `zones`, still honoured. */
  readonly zone?: string;
  readonly zones?: readonly string[];
  readonly taints?: readonly ClusterTaint[];
  /** The Ready condition. A not-ready cluster is treated like one tainted not-ready:NoSchedule. */
  readonly ready: boolean;
  readonly apiEnablements?: readonly APIEnablement[];
  /**
   * The CompleteAPIEnablements condition; false means apiEnablements may be missing kinds, so a
   * cluster already running the workload is not dropped for a missing kind. Default true.
   */
  readonly completeAPIEnablements?: boolean;
  readonly resourceSummary?: ResourceSummary;
  readonly nodeSummaries?: readonly NodeSummary[];
  /** Increases each time resourceSummary is refreshed; lets the reservation ledger retire entries. */
  readonly summaryGeneration?: number;
  /** metadata.deletionTimestamp is set: nothing new is scheduled there. */
  readonly deleting?: boolean;
}

/** policy ClusterAffinity. */
export interface ClusterAffinity {
  readonly labelSelector?: LabelSelectorObject | null;
  /** Keys provider, region, zone (zone matched against spec.zones); Karmada's FieldSelector. */
  readonly fieldSelector?: { readonly matchExpressions?: readonly NodeSelectorRequirement[] | null } | null;
  readonly clusterNames?: readonly string[] | null;
  readonly exclude?: readonly string[] | null;
}

export interface ClusterAffinityTerm extends ClusterAffinity {
  readonly affinityName: string;
}

/** cluster | region | zone | provider. Input enums are typed as string so API types generated
 * from the CRD schema (which may widen enums) stay assignable; the scheduler narrows them. */
export type SpreadFieldValue = 'cluster' | 'region' | 'zone' | 'provider';

export interface SpreadConstraint {
  /** SpreadFieldValue, or '' / unset with spreadByLabel. */
  readonly spreadByField?: string;
  readonly spreadByLabel?: string;
  readonly maxGroups?: number;
  readonly minGroups?: number;
}

export interface StaticClusterWeight {
  readonly targetCluster: ClusterAffinity;
  readonly weight: number;
}

export interface ReplicaSchedulingStrategy {
  /** Duplicated | Divided (CRD default). */
  readonly replicaSchedulingType?: string;
  /** Aggregated | Weighted (webhook default). */
  readonly replicaDivisionPreference?: string;
  readonly weightPreference?: {
    readonly staticWeightList?: readonly StaticClusterWeight[] | null;
    /** AvailableReplicas; when set, staticWeightList is ignored. */
    readonly dynamicWeight?: string;
  } | null;
}

export interface Placement {
  readonly clusterAffinity?: ClusterAffinity | null;
  readonly clusterAffinities?: readonly ClusterAffinityTerm[] | null;
  readonly clusterTolerations?: readonly Toleration[] | null;
  readonly spreadConstraints?: readonly SpreadConstraint[] | null;
  /** nil means Duplicated. */
  readonly replicaScheduling?: ReplicaSchedulingStrategy | null;
}

export interface ReplicaRequirements {
  readonly resourceRequest?: ResourceList | null;
  readonly nodeClaim?: {
    readonly nodeSelector?: Labels | null;
    readonly hardNodeAffinity?: NodeSelector | null;
    readonly tolerations?: readonly Toleration[] | null;
  } | null;
}

/** spec.clusters[] of a binding: the scheduling result. */
export interface TargetCluster {
  readonly name: string;
  readonly replicas?: number;
}

export interface GracefulEvictionTask {
  readonly fromCluster: string;
  readonly replicas?: number;
  readonly reason?: string;
  readonly purgeMode?: string;
}

export interface BindingResource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** The resource template's UID (spec.resource.uid); Webster tie-breaks hash it. */
  readonly uid?: string;
}

/** The parts of a ResourceBinding / ClusterResourceBinding a decision depends on. */
export interface BindingInput {
  /** The binding's own UID: the reservation ledger's key. */
  readonly uid: string;
  readonly resource: BindingResource;
  /** spec.replicas; 0 for non-workloads (ConfigMap, Service…), which go to every selected cluster. */
  readonly replicas: number;
  readonly replicaRequirements?: ReplicaRequirements | null;
  readonly placement: Placement;
  /** spec.clusters: the previous result. */
  readonly currentClusters?: readonly TargetCluster[] | null;
  readonly gracefulEvictionTasks?: readonly GracefulEvictionTask[] | null;
  /** spec.rescheduleTriggeredAt (RFC 3339 or Date): set by WorkloadRebalancer. */
  readonly rescheduleTriggeredAt?: string | Date | null;
  /** status.lastScheduledTime. */
  readonly lastScheduledTime?: string | Date | null;
  /** status.schedulerObservingAffinityName: the clusterAffinities term last scheduled with. */
  readonly schedulerObservingAffinityName?: string | null;
}

/** Karmada's Scheduled condition reasons for a failed decision. */
export type ScheduleFailureReason = 'NoClusterFit' | 'Unschedulable' | 'SchedulerError';

export interface ScheduleFailure {
  readonly reason: ScheduleFailureReason;
  readonly message: string;
}

export interface Decision {
  /**
   * The new spec.clusters, sorted by name. On NoClusterFit it is empty (Karmada clears the
   * result); on any other failure it echoes currentClusters (the previous result stands).
   */
  readonly clusters: { name: string; replicas: number }[];
  /** The clusterAffinities term that produced the result (status.schedulerObservingAffinityName). */
  readonly affinityName?: string;
  readonly explanation: Explanation;
  readonly error?: ScheduleFailure;
}
