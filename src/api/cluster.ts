/**
 * cluster.karmada.io/v1alpha1 Cluster (Karmada serves it from an aggregated API server; Flotilla
 * serves it as a CRD with the same shape, status subresource and table columns).
 */
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { ConditionsSchema, Int, Int32, KubeObject, Opt, Quantity, ResourceListSchema, StringEnum, StringList, StringMap, TaintSchema } from './common.js';

export const CLUSTER_GROUP = 'cluster.karmada.io';
export const CLUSTER_VERSION = 'v1alpha1';
export const CLUSTER_API_VERSION = 'cluster.karmada.io/v1alpha1';

export const SYNC_MODES = ['Push', 'Pull'] as const;
export type ClusterSyncMode = (typeof SYNC_MODES)[number];
/** Resource names a resource model may grade by. */
export const RESOURCE_MODEL_NAMES = ['cpu', 'memory', 'storage', 'ephemeral-storage'] as const;

/** Keys of the Secret that spec.secretRef names. */
export const SECRET_TOKEN_KEY = 'token';
export const SECRET_CA_DATA_KEY = 'caBundle';

const LocalSecretReferenceSchema = Type.Object(
  {
    namespace: Type.String({ description: 'Namespace of the Secret.' }),
    name: Type.String({ description: 'Name of the Secret.' }),
  },
  { description: 'A Secret in the control plane.' },
);
export type LocalSecretReference = Static<typeof LocalSecretReferenceSchema>;

export const ResourceModelRangeSchema = Type.Object(
  {
    name: Type.String({ description: 'cpu, memory, storage or ephemeral-storage.' }),
    min: Quantity({ description: 'Inclusive lower bound.' }),
    max: Quantity({ description: 'Exclusive upper bound (unbounded in the last grade).' }),
  },
  { description: 'The range [min, max) of one resource in a grade.' },
);
export type ResourceModelRange = Static<typeof ResourceModelRangeSchema>;

export const ResourceModelSchema = Type.Object(
  {
    grade: Int({ minimum: 0, description: 'Index of this grade.' }),
    ranges: Type.Array(ResourceModelRangeSchema),
  },
  { description: 'A class of nodes, by their allocatable resources.' },
);
export type ResourceModel = Static<typeof ResourceModelSchema>;

export const ClusterSpecSchema = Type.Object(
  {
    id: Opt(Type.String({ description: "Unique cluster ID: the ClusterProperty 'cluster.clusterset.k8s.io', else the kube-system namespace's UID." })),
    syncMode: StringEnum(SYNC_MODES, { description: 'Push: the control plane applies to the member. Pull: an agent in the member fetches.' }),
    apiEndpoint: Opt(Type.String({ description: "URL of the member's API server." })),
    secretRef: Opt(LocalSecretReferenceSchema),
    impersonatorSecretRef: Opt(LocalSecretReferenceSchema),
    insecureSkipTLSVerification: Opt(Type.Boolean({ description: "Do not verify the member's serving certificate." })),
    proxyURL: Opt(Type.String({ description: 'http, https or socks5 proxy to reach the member.' })),
    proxyHeader: Opt(StringMap({ description: 'Headers sent to the proxy; several values are comma-separated.' })),
    provider: Opt(Type.String({ description: 'Cloud provider name.' })),
    region: Opt(Type.String()),
    zone: Opt(Type.String({ description: 'Deprecated: use zones.' })),
    zones: Opt(StringList({ description: 'Failure zones the cluster spans.' })),
    taints: Opt(Type.Array(TaintSchema)),
    resourceModels: Opt(Type.Array(ResourceModelSchema, { description: 'Node grades used to estimate available replicas.' })),
  },
  { description: 'How to reach and describe a member cluster.' },
);
export type ClusterSpec = Static<typeof ClusterSpecSchema>;

export const APIEnablementSchema = Type.Object(
  {
    groupVersion: Type.String(),
    resources: Opt(Type.Array(Type.Object({ name: Type.String({ description: 'Plural resource name.' }), kind: Type.String() }))),
  },
  { description: 'Resources the member serves in one group/version.' },
);
export type APIEnablement = Static<typeof APIEnablementSchema>;

export const NodeSummarySchema = Type.Object({
  totalNum: Opt(Int32({ description: 'Number of nodes.' })),
  readyNum: Opt(Int32({ description: 'Number of ready nodes.' })),
});
export type NodeSummary = Static<typeof NodeSummarySchema>;

export const AllocatableModelingSchema = Type.Object(
  { grade: Int({ description: 'Index of the resource model.' }), count: Int({ description: 'Nodes in that grade.' }) },
  { description: 'How many nodes fall in a resource model grade.' },
);
export type AllocatableModeling = Static<typeof AllocatableModelingSchema>;

export const ResourceSummarySchema = Type.Object(
  {
    allocatable: Opt(ResourceListSchema),
    allocating: Opt(ResourceListSchema),
    allocated: Opt(ResourceListSchema),
    allocatableModelings: Opt(Type.Array(AllocatableModelingSchema)),
  },
  { description: 'Allocatable on all nodes; requested by pending (allocating) and scheduled (allocated) pods.' },
);
export type ResourceSummary = Static<typeof ResourceSummarySchema>;

export const ClusterStatusSchema = Type.Object(
  {
    kubernetesVersion: Opt(Type.String()),
    apiEnablements: Opt(Type.Array(APIEnablementSchema)),
    conditions: Opt(ConditionsSchema('Ready and CompleteAPIEnablements, among others.')),
    nodeSummary: Opt(NodeSummarySchema),
    resourceSummary: Opt(ResourceSummarySchema),
    remedyActions: Opt(StringList({ description: 'Remedy actions to perform on the cluster.' })),
  },
  { description: 'Observed state of the member cluster.' },
);
export type ClusterStatus = Static<typeof ClusterStatusSchema>;

export const ClusterSchema = KubeObject(
  CLUSTER_API_VERSION,
  'Cluster',
  { spec: ClusterSpecSchema, status: Opt(ClusterStatusSchema) },
  'A member cluster: how to reach it and its observed state.',
);
export type Cluster = Static<typeof ClusterSchema>;
