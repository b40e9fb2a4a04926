/**
 * work.karmada.io: ResourceBinding and ClusterResourceBinding (v1alpha2, the storage version; the
 * legacy v1alpha1 binding is not served because Flotilla runs no conversion webhooks) and Work
 * (v1alpha1), the per-cluster bundle of manifests in namespace karmada-es-<cluster>.
 */
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import {
  ConditionsSchema,
  EmbeddedResource,
  Int,
  Int32,
  Int64,
  KubeObject,
  NodeSelectorSchema,
  Opt,
  PreserveUnknownObject,
  RESOURCE_HEALTH,
  ResourceListSchema,
  StringEnum,
  StringList,
  StringMap,
  Time,
  TolerationSchema,
} from './common.js';
import { conflictResolutionSchema } from './policy.js';
import { BindingSuspensionSchema, FailoverBehaviorSchema, PlacementSchema, PURGE_MODES } from './placement.js';

export const WORK_GROUP = 'work.karmada.io';
export const BINDING_VERSION = 'v1alpha2';
export const WORK_VERSION = 'v1alpha1';
export const BINDING_API_VERSION = 'work.karmada.io/v1alpha2';
export const WORK_API_VERSION = 'work.karmada.io/v1alpha1';

export const BindingObjectReferenceSchema = Type.Object(
  {
    apiVersion: Type.String(),
    kind: Type.String(),
    namespace: Opt(Type.String({ description: 'Empty for cluster-scoped resources.' })),
    name: Type.String(),
    uid: Opt(Type.String()),
    resourceVersion: Opt(Type.String({ description: 'Version of the template this binding was built from.' })),
  },
  { description: 'The resource template being propagated.' },
);
export type BindingObjectReference = Static<typeof BindingObjectReferenceSchema>;

export const NodeClaimSchema = Type.Object(
  {
    hardNodeAffinity: Opt(NodeSelectorSchema),
    nodeSelector: Opt(StringMap()),
    tolerations: Opt(Type.Array(TolerationSchema)),
  },
  { description: "A replica's required node affinity, node selector and tolerations." },
);
export type NodeClaim = Static<typeof NodeClaimSchema>;

const replicaRequirementProps = {
  nodeClaim: Opt(NodeClaimSchema),
  resourceRequest: Opt(ResourceListSchema),
  priorityClassName: Opt(Type.String()),
};

export const ReplicaRequirementsSchema = Type.Object(
  { ...replicaRequirementProps, namespace: Opt(Type.String()) },
  { description: 'What each replica needs.' },
);
export type ReplicaRequirements = Static<typeof ReplicaRequirementsSchema>;

export const ComponentSchema = Type.Object(
  {
    name: Type.String({ maxLength: 32, description: 'Unique within the resource.' }),
    replicas: Int32(),
    replicaRequirements: Opt(Type.Object(replicaRequirementProps)),
  },
  { description: 'One pod template of a multi-template workload (MultiplePodTemplatesScheduling).' },
);
export type Component = Static<typeof ComponentSchema>;

export const TargetClusterSchema = Type.Object(
  {
    name: Type.String({ description: 'Cluster name.' }),
    replicas: Opt(Int32({ description: 'Replicas assigned to this cluster.' })),
    components: Opt(Type.Array(Type.Object({ name: Type.String(), replicas: Int32() }))),
  },
  { description: 'A scheduled cluster and its share.' },
);
export type TargetCluster = Static<typeof TargetClusterSchema>;

export const GracefulEvictionTaskSchema = Type.Object(
  {
    fromCluster: Type.String({ description: 'Cluster the workload is evicted from.' }),
    purgeMode: Opt(StringEnum(PURGE_MODES)),
    replicas: Opt(Int32({ description: 'Replicas being evicted.' })),
    reason: Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$', description: 'CamelCase reason.' }),
    message: Opt(Type.String({ maxLength: 1024 })),
    producer: Type.String({ description: 'Controller that created the task.' }),
    gracePeriodSeconds: Opt(Int32({ description: 'Longest wait before the old copy goes; exclusive with suppressDeletion.' })),
    suppressDeletion: Opt(Type.Boolean({ description: 'Keep the old copy until a person or tool releases it.' })),
    preservedLabelState: Opt(StringMap({ description: 'State carried to the new cluster as labels.' })),
    clustersBeforeFailover: Opt(StringList()),
    creationTimestamp: Opt(Time({ description: 'Set by the system.' })),
  },
  { description: 'Removes the old copy once replacements are healthy elsewhere, or at the grace period.' },
);
export type GracefulEvictionTask = Static<typeof GracefulEvictionTaskSchema>;

export const BindingSnapshotSchema = Type.Object(
  {
    namespace: Opt(Type.String({ description: 'Empty for a ClusterResourceBinding.' })),
    name: Type.String(),
    clusters: Opt(Type.Array(TargetClusterSchema)),
  },
  { description: 'A binding that depends on this resource, and where it is scheduled.' },
);
export type BindingSnapshot = Static<typeof BindingSnapshotSchema>;

export const ResourceBindingSpecSchema = Type.Object(
  {
    resource: BindingObjectReferenceSchema,
    propagateDeps: Opt(Type.Boolean()),
    replicaRequirements: Opt(ReplicaRequirementsSchema),
    replicas: Opt(Int32({ description: "The template's replicas." })),
    components: Opt(Type.Array(ComponentSchema)),
    clusters: Opt(Type.Array(TargetClusterSchema, { description: 'The scheduling result.' })),
    placement: Opt(PlacementSchema),
    gracefulEvictionTasks: Opt(Type.Array(GracefulEvictionTaskSchema)),
    requiredBy: Opt(Type.Array(BindingSnapshotSchema)),
    schedulerName: Opt(Type.String()),
    failover: Opt(FailoverBehaviorSchema),
    conflictResolution: Opt(conflictResolutionSchema()),
    rescheduleTriggeredAt: Opt(Time({ description: 'A reschedule from scratch runs when this is later than status.lastScheduledTime.' })),
    suspension: Opt(BindingSuspensionSchema),
    preserveResourcesOnDeletion: Opt(Type.Boolean()),
    schedulePriority: Opt(Type.Object({ priority: Opt(Int32({ description: 'Higher is scheduled first; 0 when unset.' })) })),
    workloadAffinityGroups: Opt(Type.Object({ affinityGroup: Opt(Type.String()), antiAffinityGroup: Opt(Type.String()) })),
  },
  { description: 'A resource template bound to a policy, and where it is scheduled.' },
);
export type ResourceBindingSpec = Static<typeof ResourceBindingSpecSchema>;

export const AggregatedStatusItemSchema = Type.Object(
  {
    clusterName: Type.String(),
    status: Opt(PreserveUnknownObject({ description: "The member object's status." })),
    applied: Opt(Type.Boolean()),
    appliedMessage: Opt(Type.String({ description: 'Why applying failed.' })),
    health: Opt(StringEnum(RESOURCE_HEALTH)),
  },
  { description: 'The resource in one member cluster.' },
);
export type AggregatedStatusItem = Static<typeof AggregatedStatusItemSchema>;

export const ResourceBindingStatusSchema = Type.Object(
  {
    schedulerObservedGeneration: Opt(Int64({ description: 'Generation the scheduler last acted on.' })),
    schedulerObservingAffinityName: Opt(Type.String({ description: 'The clusterAffinities term the current scheduling is based on.' })),
    lastScheduledTime: Opt(Time()),
    conditions: Opt(ConditionsSchema('Scheduled and FullyApplied.')),
    aggregatedStatus: Opt(Type.Array(AggregatedStatusItemSchema)),
  },
  { description: 'Scheduling and per-cluster status.' },
);
export type ResourceBindingStatus = Static<typeof ResourceBindingStatusSchema>;

const bindingProps = { spec: ResourceBindingSpecSchema, status: Opt(ResourceBindingStatusSchema) };
export const ResourceBindingSchema = KubeObject(BINDING_API_VERSION, 'ResourceBinding', bindingProps, 'Binds a namespaced resource template to a policy.');
export type ResourceBinding = Static<typeof ResourceBindingSchema>;
export const ClusterResourceBindingSchema = KubeObject(
  BINDING_API_VERSION,
  'ClusterResourceBinding',
  bindingProps,
  'Binds a cluster-scoped resource template to a ClusterPropagationPolicy.',
);
export type ClusterResourceBinding = Static<typeof ClusterResourceBindingSchema>;

export const ResourceIdentifierSchema = Type.Object(
  {
    ordinal: Int({ description: 'Index in spec.workload.manifests.' }),
    group: Opt(Type.String()),
    version: Type.String(),
    kind: Type.String(),
    resource: Type.String(),
    namespace: Opt(Type.String()),
    name: Type.String(),
  },
  { description: 'Identifies one manifest.' },
);
export type ResourceIdentifier = Static<typeof ResourceIdentifierSchema>;

export const ManifestStatusSchema = Type.Object(
  {
    identifier: ResourceIdentifierSchema,
    status: Opt(PreserveUnknownObject({ description: "The member object's status." })),
    health: Opt(StringEnum(RESOURCE_HEALTH)),
  },
  { description: 'Status of one manifest in the member cluster.' },
);
export type ManifestStatus = Static<typeof ManifestStatusSchema>;

export const WorkSpecSchema = Type.Object(
  {
    workload: Opt(
      Type.Object({ manifests: Opt(Type.Array(EmbeddedResource({ description: 'A Kubernetes object to apply.' }))) }, { description: 'Objects to apply to the member.' }),
    ),
    suspendDispatching: Opt(Type.Boolean({ description: 'Do not apply changes to the member.' })),
    preserveResourcesOnDeletion: Opt(Type.Boolean({ description: 'Leave the member objects when the Work is deleted.' })),
  },
  { description: 'What to apply to one member cluster.' },
);
export type WorkSpec = Static<typeof WorkSpecSchema>;

export const WorkStatusSchema = Type.Object(
  {
    conditions: Opt(ConditionsSchema('Applied, Progressing, Available, Degraded, Dispatching.')),
    manifestStatuses: Opt(Type.Array(ManifestStatusSchema)),
  },
  { description: 'How the manifests fare in the member.' },
);
export type WorkStatus = Static<typeof WorkStatusSchema>;

export const WorkSchema = KubeObject(WORK_API_VERSION, 'Work', { spec: WorkSpecSchema, status: Opt(WorkStatusSchema) }, 'Objects to apply to one member cluster.');
export type Work = Static<typeof WorkSchema>;
