/**
 * Minimal local shapes of Karmada's OverridePolicy / ClusterOverridePolicy
 * (pkg/apis/policy/v1alpha1/override_types.go) and of the Cluster fields that targetCluster
 * matching reads. Plain interfaces, deliberately wide (string operators, optional metadata,
 * readonly arrays, `| null`) so that the canonical TypeBox types in src/api/ stay assignable to
 * them and can replace them later without touching the logic.
 */

/** A resource template or its per-cluster copy: a plain JSON object with apiVersion/kind/metadata. */
export type Manifest = Record<string, unknown>;

/** "add" | "remove" | "replace" in a valid policy; anything else is reported at apply time. */
// `string & {}` keeps editor completion for the known values while accepting any string.
export type OverriderOperator = 'add' | 'remove' | 'replace' | (string & {});
export type ImageComponent = 'Registry' | 'Repository' | 'Tag' | (string & {});

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: readonly string[] | null;
}

export interface LabelSelector {
  matchLabels?: Readonly<Record<string, string>> | null;
  matchExpressions?: readonly LabelSelectorRequirement[] | null;
}

/** corev1.NodeSelectorRequirement as Karmada's ClusterAffinity.fieldSelector reuses it. */
export interface FieldSelectorRequirement {
  key: string;
  operator: string;
  values?: readonly string[] | null;
}

export interface FieldSelector {
  matchExpressions?: readonly FieldSelectorRequirement[] | null;
}

export interface ClusterAffinity {
  labelSelector?: LabelSelector | null;
  fieldSelector?: FieldSelector | null;
  clusterNames?: readonly string[] | null;
  /** Go field ExcludeClusters. */
  exclude?: readonly string[] | null;
}

export interface ResourceSelector {
  apiVersion: string;
  kind: string;
  namespace?: string | null;
  /** When set, labelSelector is ignored. */
  name?: string | null;
  labelSelector?: LabelSelector | null;
}

export interface PlaintextOverrider {
  path: string;
  operator: OverriderOperator;
  /** Any JSON; absent means JSON null, as apiextensionsv1.JSON marshals an empty value. */
  value?: unknown;
}

export interface ImagePredicate {
  path: string;
}

export interface ImageOverrider {
  predicate?: ImagePredicate | null;
  component: ImageComponent;
  operator: OverriderOperator;
  value?: string | null;
}

export interface CommandArgsOverrider {
  containerName: string;
  operator: OverriderOperator;
  value?: readonly string[] | null;
}

export interface LabelAnnotationOverrider {
  operator: OverriderOperator;
  value?: Readonly<Record<string, string>> | null;
}

/** JSONPatchOperation and YAMLPatchOperation share this shape. */
export interface FieldPatchOperation {
  subPath: string;
  operator: OverriderOperator;
  value?: unknown;
}

export interface FieldOverrider {
  fieldPath: string;
  json?: readonly FieldPatchOperation[] | null;
  yaml?: readonly FieldPatchOperation[] | null;
}

export interface Overriders {
  plaintext?: readonly PlaintextOverrider[] | null;
  imageOverrider?: readonly ImageOverrider[] | null;
  commandOverrider?: readonly CommandArgsOverrider[] | null;
  argsOverrider?: readonly CommandArgsOverrider[] | null;
  labelsOverrider?: readonly LabelAnnotationOverrider[] | null;
  annotationsOverrider?: readonly LabelAnnotationOverrider[] | null;
  fieldOverrider?: readonly FieldOverrider[] | null;
}

export interface RuleWithCluster {
  /** nil matches every cluster. */
  targetCluster?: ClusterAffinity | null;
  overriders?: Overriders | null;
}

export interface OverrideSpec {
  /** nil or empty matches every resource. */
  resourceSelectors?: readonly ResourceSelector[] | null;
  overrideRules?: readonly RuleWithCluster[] | null;
  /** Deprecated pair, used only when overrideRules is empty. */
  targetCluster?: ClusterAffinity | null;
  overriders?: Overriders | null;
}

export interface PolicyMeta {
  name?: string;
  namespace?: string;
}

/** OverridePolicy (namespaced) or ClusterOverridePolicy: the same spec. */
export interface OverridePolicyLike {
  apiVersion?: string;
  kind?: string;
  metadata?: PolicyMeta | null;
  spec?: OverrideSpec | null;
}
export type OverridePolicy = OverridePolicyLike;
export type ClusterOverridePolicy = OverridePolicyLike;

/** The Cluster fields targetCluster matching reads (cluster.karmada.io/v1alpha1). */
export interface Cluster {
  metadata?: { name?: string; labels?: Readonly<Record<string, string>> | null } | null;
  spec?: {
    provider?: string;
    region?: string;
    /** Deprecated; Karmada matches the zone key against spec.zones only. */
    zone?: string;
    zones?: readonly string[] | null;
  } | null;
}
