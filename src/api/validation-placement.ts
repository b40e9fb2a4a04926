/**
 * karmada-webhook's checks of a PropagationSpec and its Placement (pkg/util/validation), with
 * Karmada's field paths and messages. They assume schema validation and defaulting already ran:
 * e.g. a spread constraint with neither field nor label has been defaulted to `cluster`.
 */
import { isQualifiedName, validateLabelName } from '../util/validation.js';
import { cause, fromFieldCauses } from './causes.js';
import type { ValidationCause } from './causes.js';
import type { ApplicationFailoverBehavior, ClusterAffinity, ClusterAffinityTerm, FieldSelector, Placement, SpreadConstraint, Suspension } from './placement.js';
import { isGracefulPurgeMode } from './placement.js';
import type { PropagationSpec } from './policy.js';
import type { Toleration } from './common.js';

const FIELD_KEYS = ['provider', 'region', 'zone'];

/** A field selector may use provider, region and zone with In/NotIn (zone also Exists/DoesNotExist, matched against spec.zones). */
export function fieldSelectorError(fs: FieldSelector | undefined): string | undefined {
  for (const e of fs?.matchExpressions ?? []) {
    if (!FIELD_KEYS.includes(e.key)) return `unsupported key "${e.key}", must be provider, region, or zone`;
    const ops = e.key === 'zone' ? ['In', 'NotIn', 'Exists', 'DoesNotExist'] : ['In', 'NotIn'];
    if (!ops.includes(e.operator)) return `unsupported operator "${e.operator}", must be ${e.key === 'zone' ? 'In, NotIn, Exists or DoesNotExist' : 'In or NotIn'}`;
  }
  return undefined;
}

export function validateClusterAffinity(a: ClusterAffinity | undefined, path: string): ValidationCause[] {
  const msg = fieldSelectorError(a?.fieldSelector);
  return msg ? [cause.invalid(`${path}.fieldSelector`, a?.fieldSelector, msg)] : [];
}

const isEmptyAffinity = (a: ClusterAffinity) =>
  !a.labelSelector && !a.fieldSelector && !a.clusterNames?.length && !a.exclude?.length;

/** Each term: a qualified, unique name and a valid field selector; then its overflow groups. */
export function validateClusterAffinities(terms: ClusterAffinityTerm[], path: string): ValidationCause[] {
  const out: ValidationCause[] = [];
  const seen = new Set<string>();
  terms.forEach((t, i) => {
    for (const msg of isQualifiedName(t.affinityName)) out.push(cause.invalid(`${path}[${i}]`, t.affinityName, msg));
    if (seen.has(t.affinityName)) out.push(cause.invalid(path, terms, 'each affinity term in a policy must have a unique name'));
    seen.add(t.affinityName);
    out.push(...validateClusterAffinity(t, `${path}[${i}]`));
    out.push(...validateOverflowAffinities(t, `${path}[${i}]`));
  });
  return out;
}

/** Overflow groups extend the inline affinity, so it must be set, and every group name is unique. */
export function validateOverflowAffinities(term: ClusterAffinityTerm, path: string): ValidationCause[] {
  const overflow = term.overflowAffinities ?? [];
  if (!overflow.length) return [];
  const out: ValidationCause[] = [];
  const p = `${path}.overflowAffinities`;
  if (isEmptyAffinity(term)) out.push(cause.invalid(p, overflow, 'overflowAffinities can only be used together with the inline ClusterAffinity'));
  const names = new Set([term.affinityName]);
  overflow.forEach((o, j) => {
    for (const msg of isQualifiedName(o.affinityName)) out.push(cause.invalid(`${p}[${j}].affinityName`, o.affinityName, msg));
    if (names.has(o.affinityName))
      out.push(cause.invalid(`${p}[${j}].affinityName`, o.affinityName, "overflow affinity name must be unique and must not duplicate the primary group's affinityName"));
    names.add(o.affinityName);
    out.push(...validateClusterAffinity(o, `${p}[${j}]`));
  });
  return out;
}

/** Overflow needs a division that follows free capacity: Divided with Aggregated, or with dynamic weights. */
function overflowSchedulingSupported(p: Placement): boolean {
  const rs = p.replicaScheduling;
  if (!rs || (rs.replicaSchedulingType ?? 'Divided') !== 'Divided') return false;
  return rs.replicaDivisionPreference === 'Aggregated' || (rs.replicaDivisionPreference === 'Weighted' && !!rs.weightPreference?.dynamicWeight);
}

/** Tolerations as Kubernetes checks them on pods: Equal or Exists, a real key, known effects. */
export function validateClusterTolerations(tolerations: Toleration[] | undefined, path: string): ValidationCause[] {
  const out: ValidationCause[] = [];
  (tolerations ?? []).forEach((t, i) => {
    const p = `${path}[${i}]`;
    if (t.key) out.push(...fromFieldCauses(validateLabelName(t.key, `${p}.key`)));
    if (!t.key && t.operator !== 'Exists')
      out.push(cause.invalid(`${p}.operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.operator && t.operator !== 'Equal' && t.operator !== 'Exists') out.push(cause.notSupported(`${p}.operator`, t.operator, ['Equal', 'Exists']));
    if (t.operator === 'Exists' && t.value) out.push(cause.invalid(`${p}.operator`, t.operator, "value must be empty when `operator` is 'Exists'"));
    if (t.effect && !['NoExecute', 'NoSchedule', 'PreferNoSchedule'].includes(t.effect))
      out.push(cause.notSupported(`${p}.effect`, t.effect, ['NoExecute', 'NoSchedule', 'PreferNoSchedule']));
  });
  return out;
}

/**
 * Field and label are exclusive; groups are non-negative with max >= min; one constraint per field;
 * and spreading by region, zone or provider needs a cluster constraint to say how many clusters.
 */
export function validateSpreadConstraints(constraints: SpreadConstraint[] | undefined, path: string): ValidationCause[] {
  const out: ValidationCause[] = [];
  const fields = new Map<string, boolean>(); // field -> duplicate already reported
  (constraints ?? []).forEach((c, i) => {
    const p = `${path}[${i}]`;
    if (c.spreadByField && c.spreadByLabel) out.push(cause.invalid(p, c, 'spreadByLabel should not co-exist with spreadByField'));
    const min = c.minGroups ?? 0;
    const max = c.maxGroups ?? 0;
    if (min < 0) out.push(cause.invalid(p, c, 'minGroups lower than 0 is not allowed'));
    if (max < 0) out.push(cause.invalid(p, c, 'maxGroups lower than 0 is not allowed'));
    if (max > 0 && max < min) out.push(cause.invalid(p, c, 'maxGroups lower than minGroups is not allowed'));
    if (c.spreadByField) {
      const reported = fields.get(c.spreadByField);
      if (reported === false) {
        out.push(cause.invalid(path, constraints, `multiple ${c.spreadByField} spread constraints are not allowed`));
        fields.set(c.spreadByField, true);
      } else if (reported === undefined) fields.set(c.spreadByField, false);
    }
  });
  if (fields.size > 0 && !fields.has('cluster'))
    out.push(cause.invalid(path, constraints, 'the cluster spread constraint must be enabled in one of the constraints in case of SpreadByField is enabled'));
  return out;
}

export function validatePlacement(p: Placement, path: string): ValidationCause[] {
  const out: ValidationCause[] = [];
  // Karmada compares against nil, so even an empty clusterAffinities list conflicts.
  if (p.clusterAffinity && p.clusterAffinities) out.push(cause.invalid(path, p, 'clusterAffinities cannot co-exist with clusterAffinity'));
  out.push(...validateClusterAffinity(p.clusterAffinity, `${path}.clusterAffinity`));
  out.push(...validateClusterAffinities(p.clusterAffinities ?? [], `${path}.clusterAffinities`));
  if (p.clusterAffinities?.some((t) => t.overflowAffinities?.length) && !overflowSchedulingSupported(p))
    out.push(cause.invalid(`${path}.clusterAffinities`, p.replicaScheduling ?? null, 'overflowAffinities can only be used together with dynamic weight or aggregated scheduling'));
  out.push(...validateClusterTolerations(p.clusterTolerations, `${path}.clusterTolerations`));
  out.push(...validateSpreadConstraints(p.spreadConstraints, `${path}.spreadConstraints`));
  out.push(...validateWorkloadAffinity(p, `${path}.workloadAffinity`));
  return out;
}

function validateWorkloadAffinity(p: Placement, path: string): ValidationCause[] {
  const wa = p.workloadAffinity;
  if (!wa) return [];
  const out: ValidationCause[] = [];
  for (const side of ['affinity', 'antiAffinity'] as const) {
    const key = wa[side]?.groupByLabelKey;
    if (key !== undefined) out.push(...fromFieldCauses(validateLabelName(key, `${path}.${side}.groupByLabelKey`)));
  }
  if (wa.affinity && wa.antiAffinity && wa.affinity.groupByLabelKey === wa.antiAffinity.groupByLabelKey)
    out.push(cause.invalid(path, wa, 'affinity and antiAffinity must not use the same groupByLabelKey'));
  return out;
}

export function validateApplicationFailover(app: ApplicationFailoverBehavior | undefined, path: string): ValidationCause[] {
  if (!app) return [];
  const out: ValidationCause[] = [];
  const toleration = app.decisionConditions.tolerationSeconds;
  if (toleration !== undefined && toleration < 0)
    out.push(cause.invalid(`${path}.decisionConditions.tolerationSeconds`, toleration, 'must be greater than or equal to 0'));
  const graceful = isGracefulPurgeMode(app.purgeMode ?? 'Gracefully');
  const grace = app.gracePeriodSeconds;
  if (!graceful && grace !== undefined) out.push(cause.invalid(`${path}.gracePeriodSeconds`, grace, 'only takes effect when purgeMode is Gracefully'));
  if (graceful && grace === undefined) out.push(cause.invalid(`${path}.gracePeriodSeconds`, null, 'should not be empty when purgeMode is Gracefully'));
  if (grace !== undefined && grace <= 0) out.push(cause.invalid(`${path}.gracePeriodSeconds`, grace, 'must be greater than 0'));
  return out;
}

export function validateSuspension(s: Suspension | undefined, path: string): ValidationCause[] {
  if (s?.dispatching === true && s.dispatchingOnClusters?.clusterNames?.length)
    return [cause.invalid(path, s, 'suspension dispatching cannot co-exist with dispatchingOnClusters.clusterNames')];
  return [];
}

/** ValidatePropagationSpec: placement, failover, preemption and suspension. */
export function validatePropagationSpec(spec: PropagationSpec, path = 'spec'): ValidationCause[] {
  const out: ValidationCause[] = [];
  if (spec.placement) out.push(...validatePlacement(spec.placement, `${path}.placement`));
  if (spec.failover?.application && !spec.propagateDeps)
    out.push(cause.invalid(`${path}.propagateDeps`, spec.propagateDeps ?? false, 'application failover is set, propagateDeps must be true'));
  out.push(...validateApplicationFailover(spec.failover?.application, `${path}.failover.application`));
  if (spec.preemption === 'Always') {
    spec.resourceSelectors.forEach((rs, i) => {
      if (!rs.name)
        out.push(cause.invalid(`${path}.resourceSelectors[${i}].name`, rs.name ?? '', 'name cannot be empty if preemption is Always, the empty name may cause unexpected resources preemption'));
    });
  }
  out.push(...validateSuspension(spec.suspension, `${path}.suspension`));
  return out;
}
