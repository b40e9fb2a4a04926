/**
 * Validation of Flotilla's (Karmada's) kinds beyond what the CRD schema checks: what
 * karmada-webhook's validating handlers deny, on create and on update, returned as StatusCause-like
 * lists (empty = valid). Objects are expected to be schema-valid and defaulted (./defaults.ts).
 *
 * The checks themselves live next to the shapes they check: ./validation-placement.ts,
 * ./validation-override.ts, ./validation-cluster.ts. This module adds the per-kind and update rules
 * and one entry point for all kinds.
 */
import type { ValidationCause } from './causes.js';
import { cause, schemaCauses } from './causes.js';
import type { WorkloadRebalancer } from './apps.js';
import { WorkloadRebalancerSchema } from './apps.js';
import type { Cluster } from './cluster.js';
import { ClusterSchema } from './cluster.js';
import type { ClusterOverridePolicy, ClusterPropagationPolicy, ClusterTaintPolicy, OverridePolicy, PropagationPolicy } from './policy.js';
import { ClusterOverridePolicySchema, ClusterPropagationPolicySchema, ClusterTaintPolicySchema, OverridePolicySchema, PropagationPolicySchema } from './policy.js';
import type { ResourceBindingSpec, Work } from './work.js';
import { ClusterResourceBindingSchema, ResourceBindingSchema, WorkSchema } from './work.js';
import { PERMANENT_ID_LABELS } from './wellknown.js';
import { validateCluster, validateClusterTaintPolicySpec } from './validation-cluster.js';
import type { ClusterTaintPolicyOptions } from './validation-cluster.js';
import { validateOverrideSpec } from './validation-override.js';
import { validatePropagationSpec } from './validation-placement.js';
import type { TSchema } from '@sinclair/typebox';

export type { ValidationCause } from './causes.js';
export { cause, pointerToFieldPath, schemaCauses } from './causes.js';
export { fieldSelectorError, validateClusterAffinity, validateClusterTolerations, validatePlacement, validatePropagationSpec, validateSpreadConstraints } from './validation-placement.js';
export { jsonPointerError, validateOverriders, validateOverrideSpec } from './validation-override.js';
export { CLUSTER_NAME_MAX_LENGTH, clusterNameErrors, validateCluster, validateClusterSpec, validateClusterTaintPolicySpec, validateResourceModels } from './validation-cluster.js';

type Policy = PropagationPolicy | ClusterPropagationPolicy;

/** PropagationPolicy / ClusterPropagationPolicy; `old` makes it an update. */
export function validatePropagationPolicy(p: Policy, old?: Policy): ValidationCause[] {
  const out = validatePropagationSpec(p.spec);
  if (old) {
    if ((p.spec.schedulerName ?? '') !== (old.spec.schedulerName ?? '')) out.push(cause.forbidden('spec.schedulerName', 'the schedulerName should not be updated'));
    const label = PERMANENT_ID_LABELS[p.kind];
    if (p.metadata.labels?.[label] !== old.metadata.labels?.[label])
      out.push(cause.forbidden(`metadata.labels[${label}]`, `label ${label} is immutable, it can only be set by the system during creation`));
  }
  return out;
}

export function validateOverridePolicy(op: OverridePolicy | ClusterOverridePolicy): ValidationCause[] {
  return validateOverrideSpec(op.spec);
}

export function validateClusterTaintPolicy(ctp: ClusterTaintPolicy, opts: ClusterTaintPolicyOptions = {}): ValidationCause[] {
  return validateClusterTaintPolicySpec(ctp.spec, opts);
}

/**
 * Bindings are written by controllers; Flotilla rejects what would make them ambiguous: a cluster
 * listed twice, negative replicas, and an eviction task that both waits and waits forever.
 */
export function validateBindingSpec(spec: ResourceBindingSpec, path = 'spec'): ValidationCause[] {
  const out: ValidationCause[] = [];
  if ((spec.replicas ?? 0) < 0) out.push(cause.invalid(`${path}.replicas`, spec.replicas, 'must be greater than or equal to 0'));
  const seen = new Set<string>();
  spec.clusters?.forEach((c, i) => {
    if (seen.has(c.name)) out.push(cause.duplicate(`${path}.clusters[${i}].name`, c.name));
    seen.add(c.name);
    if ((c.replicas ?? 0) < 0) out.push(cause.invalid(`${path}.clusters[${i}].replicas`, c.replicas, 'must be greater than or equal to 0'));
  });
  spec.gracefulEvictionTasks?.forEach((t, i) => {
    if (t.gracePeriodSeconds !== undefined && t.suppressDeletion !== undefined)
      out.push(cause.invalid(`${path}.gracefulEvictionTasks[${i}]`, t, 'gracePeriodSeconds and suppressDeletion can not co-exist'));
    if (t.gracePeriodSeconds !== undefined && t.gracePeriodSeconds <= 0)
      out.push(cause.invalid(`${path}.gracefulEvictionTasks[${i}].gracePeriodSeconds`, t.gracePeriodSeconds, 'must be greater than 0'));
  });
  return out;
}

/** A rebalancer's spec is fixed once created (Karmada's webhook). */
export function validateWorkloadRebalancer(wr: WorkloadRebalancer, old?: WorkloadRebalancer): ValidationCause[] {
  if (old && JSON.stringify(wr.spec) !== JSON.stringify(old.spec)) return [cause.forbidden('spec', 'the spec field should not be modified')];
  return [];
}

export interface ValidateOptions extends ClusterTaintPolicyOptions {
  /** Also check the object against its schema (the API server does that itself from the CRD). */
  schema?: boolean;
}

const SCHEMAS: Record<string, TSchema> = {
  Cluster: ClusterSchema,
  PropagationPolicy: PropagationPolicySchema,
  ClusterPropagationPolicy: ClusterPropagationPolicySchema,
  OverridePolicy: OverridePolicySchema,
  ClusterOverridePolicy: ClusterOverridePolicySchema,
  ClusterTaintPolicy: ClusterTaintPolicySchema,
  ResourceBinding: ResourceBindingSchema,
  ClusterResourceBinding: ClusterResourceBindingSchema,
  Work: WorkSchema,
  WorkloadRebalancer: WorkloadRebalancerSchema,
};

type FlotillaObject =
  | Cluster
  | PropagationPolicy
  | ClusterPropagationPolicy
  | OverridePolicy
  | ClusterOverridePolicy
  | ClusterTaintPolicy
  | { kind: 'ResourceBinding' | 'ClusterResourceBinding'; spec: ResourceBindingSpec }
  | Work
  | WorkloadRebalancer;

/**
 * One entry point for admission: the semantic checks of obj's kind (and, with `schema`, its schema
 * first; semantic checks then run only on a schema-valid object). `old` makes it an update.
 */
export function validateObject(obj: FlotillaObject, old?: FlotillaObject, opts: ValidateOptions = {}): ValidationCause[] {
  if (opts.schema) {
    const schema = SCHEMAS[obj.kind];
    const errs = schema ? schemaCauses(schema, obj) : [cause.notSupported('kind', obj.kind, Object.keys(SCHEMAS))];
    if (errs.length) return errs;
  }
  const prev = old?.kind === obj.kind ? old : undefined;
  switch (obj.kind) {
    case 'Cluster':
      return validateCluster(obj);
    case 'PropagationPolicy':
    case 'ClusterPropagationPolicy':
      return validatePropagationPolicy(obj, prev as Policy | undefined);
    case 'OverridePolicy':
    case 'ClusterOverridePolicy':
      return validateOverridePolicy(obj);
    case 'ClusterTaintPolicy':
      return validateClusterTaintPolicy(obj, opts);
    case 'ResourceBinding':
    case 'ClusterResourceBinding':
      return validateBindingSpec(obj.spec);
    case 'WorkloadRebalancer':
      return validateWorkloadRebalancer(obj, prev as WorkloadRebalancer | undefined);
    case 'Work':
      return [];
  }
}
