/**
 * policy.karmada.io/v1alpha1 propagation pieces shared by PropagationPolicy and the bindings that
 * copy them (ResourceBinding.spec.placement / failover / suspension): resource selectors, cluster
 * affinity, spread constraints, replica scheduling, failover behaviour and suspension.
 * Field names, enums and CRD defaults follow Karmada's propagation_types.go.
 */
import { Type } from '@sinclair/typebox';
import type { Static, TProperties } from '@sinclair/typebox';
import { Int, Int32, Int64, LabelSelectorSchema, NodeSelectorRequirementSchema, Opt, StringEnum, StringList, TolerationSchema } from './common.js';

export const ResourceSelectorSchema = Type.Object(
  {
    apiVersion: Type.String({ description: 'API version of the selected resources.' }),
    kind: Type.String({ description: 'Kind of the selected resources.' }),
    namespace: Opt(Type.String({ description: "Namespace of the resources; a PropagationPolicy's selectors default to its own." })),
    name: Opt(Type.String({ description: 'Selects one resource by name; when set, labelSelector is ignored.' })),
    labelSelector: Opt(LabelSelectorSchema),
  },
  { description: 'Selects resource templates by apiVersion and kind, then name or labels.' },
);
export type ResourceSelector = Static<typeof ResourceSelectorSchema>;

export const FieldSelectorSchema = Type.Object(
  { matchExpressions: Opt(Type.Array(NodeSelectorRequirementSchema, { description: 'Requirements on provider, region or zone.' })) },
  { description: 'Selects clusters by their provider, region and zone fields.' },
);
export type FieldSelector = Static<typeof FieldSelectorSchema>;

/** ClusterAffinity's fields, spread into the types that inline it (Go `json:",inline"`). */
const clusterAffinityProps = {
  labelSelector: Opt(LabelSelectorSchema),
  fieldSelector: Opt(FieldSelectorSchema),
  clusterNames: Opt(StringList({ description: 'Clusters to select by name.' })),
  exclude: Opt(StringList({ description: 'Clusters never selected; checked first.' })),
} satisfies TProperties;

export const ClusterAffinitySchema = Type.Object(clusterAffinityProps, {
  description: 'Selects clusters: exclude first, then labelSelector AND fieldSelector AND clusterNames; empty selects all.',
});
export type ClusterAffinity = Static<typeof ClusterAffinitySchema>;

const affinityName = (description: string) => Type.String({ minLength: 1, maxLength: 32, description });

export const OverflowClusterAffinitySchema = Type.Object(
  { affinityName: affinityName('Name of this overflow group.'), ...clusterAffinityProps },
  { description: 'A group used, in order, when the primary group lacks capacity.' },
);
export type OverflowClusterAffinity = Static<typeof OverflowClusterAffinitySchema>;

export const ClusterAffinityTermSchema = Type.Object(
  {
    affinityName: affinityName('Name of the cluster group.'),
    ...clusterAffinityProps,
    overflowAffinities: Opt(
      Type.Array(OverflowClusterAffinitySchema, {
        description: 'Groups to grow into, in order, when the inline affinity is short of capacity; shrunk in reverse order.',
      }),
    ),
  },
  { description: 'One named group of clusters, tried in order.' },
);
export type ClusterAffinityTerm = Static<typeof ClusterAffinityTermSchema>;

export const SPREAD_BY_FIELDS = ['cluster', 'region', 'zone', 'provider'] as const;
export type SpreadFieldValue = (typeof SPREAD_BY_FIELDS)[number];

export const SpreadConstraintSchema = Type.Object(
  {
    spreadByField: Opt(StringEnum(SPREAD_BY_FIELDS, { description: 'Cluster field to group by; defaults to cluster when neither field nor label is set.' })),
    spreadByLabel: Opt(Type.String({ description: 'Cluster label key to group by; exclusive with spreadByField.' })),
    maxGroups: Opt(Int({ description: 'Most groups to select.' })),
    minGroups: Opt(Int({ description: 'Fewest groups to select; defaults to 1.' })),
  },
  { description: 'Spread the workload over groups of clusters.' },
);
export type SpreadConstraint = Static<typeof SpreadConstraintSchema>;

export const REPLICA_SCHEDULING_TYPES = ['Duplicated', 'Divided'] as const;
export type ReplicaSchedulingType = (typeof REPLICA_SCHEDULING_TYPES)[number];
export const REPLICA_DIVISION_PREFERENCES = ['Aggregated', 'Weighted'] as const;
export type ReplicaDivisionPreference = (typeof REPLICA_DIVISION_PREFERENCES)[number];
export const DYNAMIC_WEIGHT_FACTORS = ['AvailableReplicas'] as const;
export type DynamicWeightFactor = (typeof DYNAMIC_WEIGHT_FACTORS)[number];

export const StaticClusterWeightSchema = Type.Object(
  {
    targetCluster: ClusterAffinitySchema,
    weight: Int64({ minimum: 1, description: 'Weight of the matching clusters.' }),
  },
  { description: 'A static weight for the clusters targetCluster selects.' },
);
export type StaticClusterWeight = Static<typeof StaticClusterWeightSchema>;

export const ClusterPreferencesSchema = Type.Object(
  {
    staticWeightList: Opt(Type.Array(StaticClusterWeightSchema)),
    dynamicWeight: Opt(StringEnum(DYNAMIC_WEIGHT_FACTORS, { description: 'Weigh clusters by this factor; staticWeightList is then ignored.' })),
  },
  { description: 'How to weigh clusters when dividing replicas.' },
);
export type ClusterPreferences = Static<typeof ClusterPreferencesSchema>;

export const ReplicaSchedulingStrategySchema = Type.Object(
  {
    replicaSchedulingType: Opt(StringEnum(REPLICA_SCHEDULING_TYPES, { default: 'Divided', description: 'Duplicated copies all replicas to each cluster; Divided splits them.' })),
    replicaDivisionPreference: Opt(StringEnum(REPLICA_DIVISION_PREFERENCES, { description: 'How Divided splits replicas; defaults to Weighted.' })),
    weightPreference: Opt(ClusterPreferencesSchema),
  },
  { description: 'How replicas are assigned to the selected clusters; unset means Duplicated.' },
);
export type ReplicaSchedulingStrategy = Static<typeof ReplicaSchedulingStrategySchema>;

const groupByLabelKey = Type.Object({ groupByLabelKey: Type.String({ description: 'Workload label whose value names the group.' }) });
export const WorkloadAffinitySchema = Type.Object(
  { affinity: Opt(groupByLabelKey), antiAffinity: Opt(groupByLabelKey) },
  { description: 'Co-locate (or keep apart) workloads whose label values match (alpha).' },
);
export type WorkloadAffinity = Static<typeof WorkloadAffinitySchema>;

export const PlacementSchema = Type.Object(
  {
    clusterAffinity: Opt(ClusterAffinitySchema),
    clusterAffinities: Opt(Type.Array(ClusterAffinityTermSchema, { description: 'Cluster groups tried in order; exclusive with clusterAffinity.' })),
    clusterTolerations: Opt(Type.Array(TolerationSchema, { description: 'Taints on clusters that the workload tolerates.' })),
    spreadConstraints: Opt(Type.Array(SpreadConstraintSchema)),
    replicaScheduling: Opt(ReplicaSchedulingStrategySchema),
    workloadAffinity: Opt(WorkloadAffinitySchema),
  },
  { description: 'Which clusters receive the resources and how replicas are divided.' },
);
export type Placement = Static<typeof PlacementSchema>;

/** Application failover purge modes; Immediately and Graciously are the deprecated spellings. */
export const PURGE_MODES = ['Directly', 'Gracefully', 'Never', 'Immediately', 'Graciously'] as const;
export type PurgeMode = (typeof PURGE_MODES)[number];
export const CLUSTER_PURGE_MODES = ['Directly', 'Gracefully'] as const;
/** Both spellings of "wait for the replacement before removing the old copy". */
export const isGracefulPurgeMode = (m: string | undefined) => m === 'Gracefully' || m === 'Graciously';
/** Both spellings of "remove the old copy at once". */
export const isDirectPurgeMode = (m: string | undefined) => m === 'Directly' || m === 'Immediately';

export const StatePreservationSchema = Type.Object(
  {
    rules: Type.Array(
      Type.Object({
        aliasLabelName: Type.String({ description: 'Label key under which the value is passed to the new cluster.' }),
        jsonPath: Type.String({ description: 'JSONPath into the old object\'s status, e.g. "{.availableReplicas}".' }),
      }),
    ),
  },
  { description: 'State to carry from the old copy to the new one on failover (alpha).' },
);
export type StatePreservation = Static<typeof StatePreservationSchema>;

export const ApplicationFailoverBehaviorSchema = Type.Object(
  {
    decisionConditions: Type.Object(
      { tolerationSeconds: Opt(Int32({ default: 300, description: 'How long the application may be unhealthy before failover.' })) },
      { description: 'When failover happens.' },
    ),
    purgeMode: Opt(StringEnum(PURGE_MODES, { default: 'Gracefully', description: 'How the old copy is removed.' })),
    gracePeriodSeconds: Opt(Int32({ description: 'Longest wait for the new copy before the old one goes (Gracefully only); defaults to 600.' })),
    statePreservation: Opt(StatePreservationSchema),
  },
  { description: 'Move the workload when it stays unhealthy in a cluster.' },
);
export type ApplicationFailoverBehavior = Static<typeof ApplicationFailoverBehaviorSchema>;

export const ClusterFailoverBehaviorSchema = Type.Object(
  {
    purgeMode: Opt(StringEnum(CLUSTER_PURGE_MODES, { default: 'Gracefully', description: 'How the old copy is removed.' })),
    statePreservation: Opt(StatePreservationSchema),
  },
  { description: 'Move the workload off a failed cluster.' },
);
export type ClusterFailoverBehavior = Static<typeof ClusterFailoverBehaviorSchema>;

export const FailoverBehaviorSchema = Type.Object(
  { application: Opt(ApplicationFailoverBehaviorSchema), cluster: Opt(ClusterFailoverBehaviorSchema) },
  { description: 'How workloads move on failure; unset disables failover.' },
);
export type FailoverBehavior = Static<typeof FailoverBehaviorSchema>;

const suspensionProps = {
  dispatching: Opt(Type.Boolean({ description: 'Stop changes reaching every cluster; exclusive with dispatchingOnClusters.' })),
  dispatchingOnClusters: Opt(
    Type.Object({ clusterNames: Opt(StringList()) }, { description: 'Stop changes reaching these clusters.' }),
  ),
} satisfies TProperties;

export const SuspensionSchema = Type.Object(suspensionProps, { description: 'Pause parts of propagation.' });
export type Suspension = Static<typeof SuspensionSchema>;

/** A binding's suspension adds scheduling (set by third parties at creation). */
export const BindingSuspensionSchema = Type.Object(
  { ...suspensionProps, scheduling: Opt(Type.Boolean({ description: 'Pause scheduling of this binding.' })) },
  { description: 'Pause parts of propagation.' },
);
export type BindingSuspension = Static<typeof BindingSuspensionSchema>;

export const PRIORITY_CLASS_SOURCES = ['KubePriorityClass'] as const;
export const SchedulePrioritySchema = Type.Object(
  {
    priorityClassSource: StringEnum(PRIORITY_CLASS_SOURCES, { description: 'Where the priority class is defined.' }),
    priorityClassName: Type.String(),
  },
  { description: 'Scheduling priority of the workloads (alpha).' },
);
export type SchedulePriority = Static<typeof SchedulePrioritySchema>;
