/**
 * The binding a claimed template should have (Karmada's BuildResourceBinding and the
 * CreateOrUpdate mutate function of ApplyPolicy), as a pure function of the template, its policy,
 * the interpreter's replicas and the binding as it is now. What the policy decides (placement,
 * failover, ...) is overwritten; what others decide (spec.clusters, eviction tasks, requiredBy,
 * rescheduleTriggeredAt, suspension.scheduling) is kept.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { ClusterPropagationPolicy, ClusterResourceBinding, PropagationPolicy, ResourceBinding, ResourceBindingSpec } from '../../api/index.js';
import { BINDING_API_VERSION, ClusterResourceBindingSchema, ResourceBindingSchema, schemaDefaults } from '../../api/index.js';
import { bindingName } from '../../api/names.js';
import type { ReplicaResult } from '../../interpreter/index.js';
import { claimMetadata, withClaim } from './claim.js';
import { BINDING_FINALIZERS, DEFAULT_SCHEDULER, PERMANENT_ID_LABELS } from './keys.js';
import type { PolicyKind } from './match.js';
import { bindingKindFor } from './refs.js';

export type AnyBinding = ResourceBinding | ClusterResourceBinding;
export type AnyPolicy = PropagationPolicy | ClusterPropagationPolicy;

/** A template as stored: any kind, with the metadata the binding references. */
export interface Template {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string; generation?: number; labels?: Record<string, string>; annotations?: Record<string, string> };
  [k: string]: unknown;
}

export interface BuildInput {
  template: Template;
  policyKind: PolicyKind;
  policy: AnyPolicy;
  replicas: ReplicaResult;
  /** The binding as it is now, if any. */
  existing?: AnyBinding;
  /** For tests: the permanent id a new binding gets. */
  newId?: () => string;
}

/** The controller ownerReference a binding carries to its template (garbage collection). */
export function controllerRef(t: Template): OwnerReference {
  return { apiVersion: t.apiVersion, kind: t.kind, name: t.metadata.name, uid: t.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** Drops undefined fields so equal objects compare equal however they were built. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** The spec fields the policy and the template decide. */
function policySpec(input: BuildInput, existing: ResourceBindingSpec | undefined): ResourceBindingSpec {
  const { template: t, policy } = input;
  const ps = policy.spec;
  const suspension = ps.suspension || existing?.suspension?.scheduling !== undefined ? compact({ ...ps.suspension, scheduling: existing?.suspension?.scheduling }) : undefined;
  const replicas = input.replicas.replicas > 0 ? input.replicas.replicas : undefined;
  return compact({
    ...existing,
    resource: compact({
      apiVersion: t.apiVersion,
      kind: t.kind,
      namespace: t.metadata.namespace || undefined,
      name: t.metadata.name,
      uid: t.metadata.uid,
      resourceVersion: t.metadata.resourceVersion,
    }),
    // `association` is the deprecated spelling of propagateDeps.
    propagateDeps: ps.propagateDeps || ps.association ? true : undefined,
    replicas,
    replicaRequirements: replicas !== undefined ? (input.replicas.requirements as ResourceBindingSpec['replicaRequirements']) : undefined,
    placement: structuredClone(ps.placement ?? {}),
    schedulerName: ps.schedulerName || DEFAULT_SCHEDULER,
    failover: ps.failover ? structuredClone(ps.failover) : undefined,
    conflictResolution: ps.conflictResolution ?? 'Abort',
    preserveResourcesOnDeletion: ps.preserveResourcesOnDeletion,
    suspension,
  });
}

/**
 * The desired binding and whether it differs from `existing` (undefined existing: create it).
 * Both sides are compared after the CRD's structural defaults, so a stored default never looks
 * like a change.
 */
export function buildBinding(input: BuildInput): { binding: AnyBinding; changed: boolean } {
  const { template: t, existing } = input;
  const kind = bindingKindFor(t.metadata.namespace);
  const claim = claimMetadata(input.policyKind, input.policy);
  const meta = withClaim({ labels: existing?.metadata.labels, annotations: existing?.metadata.annotations }, claim);
  const idLabel = PERMANENT_ID_LABELS[kind];
  meta.labels[idLabel] ??= (input.newId ?? randomUUID)();
  const finalizer = BINDING_FINALIZERS[kind];
  const finalizers = existing?.metadata.finalizers ?? [];
  const binding = {
    apiVersion: BINDING_API_VERSION,
    kind,
    metadata: compact({
      ...existing?.metadata,
      name: existing?.metadata.name ?? bindingName(t.kind, t.metadata.name),
      namespace: t.metadata.namespace || undefined,
      labels: meta.labels,
      annotations: Object.keys(meta.annotations).length ? meta.annotations : undefined,
      ownerReferences: [controllerRef(t)],
      finalizers: finalizers.includes(finalizer) ? finalizers : [...finalizers, finalizer],
    }),
    spec: policySpec(input, existing?.spec),
    ...(existing?.status ? { status: existing.status } : {}),
  } as AnyBinding;
  const schema = kind === 'ResourceBinding' ? ResourceBindingSchema : ClusterResourceBindingSchema;
  const desired = schemaDefaults(schema, binding);
  if (!existing) return { binding: desired, changed: true };
  const same =
    isDeepStrictEqual(desired.spec, schemaDefaults(schema, existing).spec) &&
    isDeepStrictEqual(desired.metadata.labels ?? {}, existing.metadata.labels ?? {}) &&
    isDeepStrictEqual(desired.metadata.annotations ?? {}, existing.metadata.annotations ?? {}) &&
    isDeepStrictEqual(desired.metadata.ownerReferences, existing.metadata.ownerReferences) &&
    isDeepStrictEqual(desired.metadata.finalizers, existing.metadata.finalizers);
  return { binding: desired, changed: !same };
}

/** The owner a binding names as its controller, if any (Karmada refuses to adopt others' bindings). */
export function controllerUID(b: AnyBinding): string | undefined {
  return b.metadata.ownerReferences?.find((o) => o.controller)?.uid;
}
