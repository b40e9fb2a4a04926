/**
 * The CustomResourceDefinitions through which Flotilla serves Karmada's APIs, generated from the
 * TypeBox schemas: names, short names, categories, scope, status subresource and printer columns as
 * Karmada's CRDs (and, for Cluster, its aggregated API server's table) have them.
 *
 * Each kind is served in one version, which is also its storage version. ResourceBinding and
 * ClusterResourceBinding are served as work.karmada.io/v1alpha2 only: Karmada also serves a legacy
 * v1alpha1 with a conversion webhook, and Flotilla runs no webhooks.
 */
import type { TSchema } from '@sinclair/typebox';
import { ClusterSchema } from './cluster.js';
import { ClusterOverridePolicySchema, ClusterPropagationPolicySchema, ClusterTaintPolicySchema, OverridePolicySchema, PropagationPolicySchema } from './policy.js';
import { ClusterResourceBindingSchema, ResourceBindingSchema, WorkSchema } from './work.js';
import { WorkloadRebalancerSchema } from './apps.js';
import { toStructural } from './structural.js';
import type { OpenAPISchema } from './structural.js';

export const FLOTILLA_GROUPS = ['cluster.karmada.io', 'policy.karmada.io', 'work.karmada.io', 'apps.karmada.io'] as const;
export type FlotillaGroup = (typeof FLOTILLA_GROUPS)[number];

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  /** 1 = shown only with -o wide. */
  priority?: number;
}

/** One served kind: what its CRD is made from. */
export interface FlotillaResource {
  group: FlotillaGroup;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames?: string[];
  categories?: string[];
  scope: 'Namespaced' | 'Cluster';
  schema: TSchema;
  /** Whether status is a subresource (so spec writes cannot change it, and the reverse). */
  statusSubresource: boolean;
  columns?: PrinterColumn[];
}

/** The CRD object, as apiextensions.k8s.io/v1 defines it (kubernetes-types lacks the x-kubernetes-* keys). */
export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    group: string;
    names: { plural: string; singular: string; kind: string; listKind: string; shortNames?: string[]; categories?: string[] };
    scope: 'Namespaced' | 'Cluster';
    versions: {
      name: string;
      served: boolean;
      storage: boolean;
      schema: { openAPIV3Schema: OpenAPISchema };
      subresources?: { status?: Record<string, never> };
      additionalPrinterColumns?: PrinterColumn[];
    }[];
  };
}

const KARMADA = ['karmada-io'];
const AGE: PrinterColumn = { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' };
const condition = (name: string, type: string): PrinterColumn => ({ name, type: 'string', jsonPath: `.status.conditions[?(@.type=="${type}")].status` });
const policyColumns: PrinterColumn[] = [
  { name: 'CONFLICT-RESOLUTION', type: 'string', jsonPath: '.spec.conflictResolution' },
  // Karmada prints priority as a string column; kept so `kubectl get pp` reads the same.
  { name: 'PRIORITY', type: 'string', jsonPath: '.spec.priority' },
  AGE,
];
const bindingColumns: PrinterColumn[] = [condition('SCHEDULED', 'Scheduled'), condition('FULLYAPPLIED', 'FullyApplied'), AGE];
const clusterColumns: PrinterColumn[] = [
  { name: 'VERSION', type: 'string', jsonPath: '.status.kubernetesVersion' },
  { name: 'MODE', type: 'string', jsonPath: '.spec.syncMode' },
  condition('READY', 'Ready'),
  AGE,
  { name: 'ZONES', type: 'string', jsonPath: '.spec.zones', priority: 1 },
  { name: 'REGION', type: 'string', jsonPath: '.spec.region', priority: 1 },
  { name: 'PROVIDER', type: 'string', jsonPath: '.spec.provider', priority: 1 },
  { name: 'API-ENDPOINT', type: 'string', jsonPath: '.spec.apiEndpoint', priority: 1 },
  { name: 'PROXY-URL', type: 'string', jsonPath: '.spec.proxyURL', priority: 1 },
];

const policy = { group: 'policy.karmada.io', version: 'v1alpha1' } as const;
const binding = { group: 'work.karmada.io', version: 'v1alpha2', statusSubresource: true, columns: bindingColumns, categories: KARMADA } as const;

export const FLOTILLA_RESOURCES: readonly FlotillaResource[] = [
  { group: 'cluster.karmada.io', version: 'v1alpha1', kind: 'Cluster', plural: 'clusters', singular: 'cluster', scope: 'Cluster', schema: ClusterSchema, statusSubresource: true, columns: clusterColumns },
  { ...policy, kind: 'PropagationPolicy', plural: 'propagationpolicies', singular: 'propagationpolicy', shortNames: ['pp'], categories: KARMADA, scope: 'Namespaced', schema: PropagationPolicySchema, statusSubresource: false, columns: policyColumns },
  { ...policy, kind: 'ClusterPropagationPolicy', plural: 'clusterpropagationpolicies', singular: 'clusterpropagationpolicy', shortNames: ['cpp'], categories: KARMADA, scope: 'Cluster', schema: ClusterPropagationPolicySchema, statusSubresource: false, columns: policyColumns },
  { ...policy, kind: 'OverridePolicy', plural: 'overridepolicies', singular: 'overridepolicy', shortNames: ['op'], categories: KARMADA, scope: 'Namespaced', schema: OverridePolicySchema, statusSubresource: false },
  { ...policy, kind: 'ClusterOverridePolicy', plural: 'clusteroverridepolicies', singular: 'clusteroverridepolicy', shortNames: ['cop'], categories: KARMADA, scope: 'Cluster', schema: ClusterOverridePolicySchema, statusSubresource: false },
  { ...policy, kind: 'ClusterTaintPolicy', plural: 'clustertaintpolicies', singular: 'clustertaintpolicy', scope: 'Cluster', schema: ClusterTaintPolicySchema, statusSubresource: false },
  { ...binding, kind: 'ResourceBinding', plural: 'resourcebindings', singular: 'resourcebinding', shortNames: ['rb'], scope: 'Namespaced', schema: ResourceBindingSchema },
  { ...binding, kind: 'ClusterResourceBinding', plural: 'clusterresourcebindings', singular: 'clusterresourcebinding', shortNames: ['crb'], scope: 'Cluster', schema: ClusterResourceBindingSchema },
  {
    group: 'work.karmada.io', version: 'v1alpha1', kind: 'Work', plural: 'works', singular: 'work', shortNames: ['wk'], categories: KARMADA, scope: 'Namespaced', schema: WorkSchema, statusSubresource: true,
    columns: [{ name: 'WORKLOAD-KIND', type: 'string', jsonPath: '.spec.workload.manifests[*].kind' }, condition('APPLIED', 'Applied'), AGE],
  },
  { group: 'apps.karmada.io', version: 'v1alpha1', kind: 'WorkloadRebalancer', plural: 'workloadrebalancers', singular: 'workloadrebalancer', scope: 'Cluster', schema: WorkloadRebalancerSchema, statusSubresource: true },
];

/** The resource-root schema: Kubernetes owns apiVersion, kind and metadata there. */
export function rootSchema(r: FlotillaResource): OpenAPISchema {
  const s = toStructural(r.schema, r.kind);
  return {
    ...s,
    properties: { ...s.properties, apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } },
    required: (s.required ?? []).filter((k) => k !== 'apiVersion' && k !== 'kind' && k !== 'metadata'),
  };
}

export function crdFor(r: FlotillaResource): CustomResourceDefinition {
  const version: CustomResourceDefinition['spec']['versions'][number] = {
    name: r.version,
    served: true,
    storage: true,
    schema: { openAPIV3Schema: rootSchema(r) },
  };
  if (r.statusSubresource) version.subresources = { status: {} };
  if (r.columns?.length) version.additionalPrinterColumns = r.columns.map((c) => ({ ...c }));
  const names: CustomResourceDefinition['spec']['names'] = { plural: r.plural, singular: r.singular, kind: r.kind, listKind: `${r.kind}List` };
  if (r.shortNames) names.shortNames = [...r.shortNames];
  if (r.categories) names.categories = [...r.categories];
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${r.plural}.${r.group}` },
    spec: { group: r.group, names, scope: r.scope, versions: [version] },
  };
}

/** Every CRD Flotilla installs at start, fresh objects on each call (callers may mutate them). */
export function flotillaCRDs(): CustomResourceDefinition[] {
  return FLOTILLA_RESOURCES.map(crdFor);
}

/** The resource a kind is served as, for controllers that need plural or scope. */
export function resourceForKind(group: string, kind: string): FlotillaResource | undefined {
  return FLOTILLA_RESOURCES.find((r) => r.group === group && r.kind === kind);
}
