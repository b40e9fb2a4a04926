/**
 * What the API server knows about one served resource (a group/version/resource): its names
 * for discovery, scope, subresources, and the per-kind behaviour the generic registry needs.
 * Built-in kinds are declared in ./builtin.ts; CRDs produce the same shape at runtime.
 */

export interface ScaleSubresource {
  /** JSON paths as in a CRD's scale subresource, e.g. ".spec.replicas". */
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  /** Plural, lower case: "deployments". */
  resource: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: { status?: boolean; scale?: ScaleSubresource };
  /** Whether metadata.generation is kept (bumped on spec changes). */
  hasGeneration: boolean;
  /** Name validation: DNS-1123 subdomain (most kinds), DNS-1123 label (namespaces, services), or path segment. */
  nameRule: 'subdomain' | 'label' | 'path';
  /** Selectable fields beyond metadata.name and metadata.namespace. */
  fields?: Record<string, (obj: any) => string | undefined>;
  /** Per-kind defaults and validation (see ../registry/strategy.ts). */
  strategy?: string;
  /** True for CustomResourceDefinition-backed types (strategic merge patch is refused). */
  custom?: boolean;
  /** Storage version for multi-version custom resources. */
  storageVersion?: string;
}

export const STANDARD_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function apiVersionOf(rt: { group: string; version: string }): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

export function groupResource(rt: { group: string; resource: string }): string {
  return rt.group ? `${rt.resource}.${rt.group}` : rt.resource;
}
