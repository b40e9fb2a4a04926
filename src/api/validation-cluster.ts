/**
 * Cluster validation as Karmada's Cluster API strategy does it (pkg/apis/cluster/validation), and
 * the ClusterTaintPolicy webhook's checks.
 */
import { isDNS1123Label, isValidLabelValue, validateLabelName } from '../util/validation.js';
import { tryParseQuantity } from '../util/quantity.js';
import { cause, fromFieldCauses } from './causes.js';
import type { ValidationCause } from './causes.js';
import type { Cluster, ClusterSpec, ResourceModel } from './cluster.js';
import { RESOURCE_MODEL_NAMES, SYNC_MODES } from './cluster.js';
import { MAX_INT64_QUANTITY } from './defaults.js';
import type { ClusterTaintPolicySpec } from './policy.js';
import { MATCH_CONDITION_OPERATORS } from './policy.js';
import type { Taint } from './common.js';
import { validateClusterAffinity } from './validation-placement.js';

/** 48 = 63 (a namespace name) minus the 15 characters of the `karmada-es-` prefix and some room. */
export const CLUSTER_NAME_MAX_LENGTH = 48;
const TAINT_EFFECTS = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];

export function clusterNameErrors(name: string): string[] {
  if (name.length > CLUSTER_NAME_MAX_LENGTH) return [`must be no more than ${CLUSTER_NAME_MAX_LENGTH} characters`];
  return isDNS1123Label(name);
}

export function validateCluster(c: Cluster): ValidationCause[] {
  const out: ValidationCause[] = [];
  const name = c.metadata.name ?? '';
  if (!name) out.push(cause.required('metadata.name', 'name or generateName is required'));
  else for (const msg of clusterNameErrors(name)) out.push(cause.invalid('metadata.name', name, msg));
  out.push(...validateClusterSpec(c.spec, 'spec'));
  return out;
}

export function validateClusterSpec(spec: ClusterSpec, path: string): ValidationCause[] {
  const out: ValidationCause[] = [];
  if (!spec.syncMode) out.push(cause.required(`${path}.syncMode`));
  if (!(SYNC_MODES as readonly string[]).includes(spec.syncMode)) out.push(cause.notSupported(`${path}.syncMode`, spec.syncMode ?? '', ['Pull', 'Push']));
  if (spec.apiEndpoint) out.push(...validateAPIEndpoint(spec.apiEndpoint, `${path}.apiEndpoint`));
  for (const ref of ['secretRef', 'impersonatorSecretRef'] as const) {
    const r = spec[ref];
    if (!r) continue;
    if (!r.namespace) out.push(cause.required(`${path}.${ref}.namespace`));
    if (!r.name) out.push(cause.required(`${path}.${ref}.name`));
  }
  if (spec.proxyURL) {
    const scheme = parseURL(spec.proxyURL)?.protocol.slice(0, -1) ?? '';
    if (!['http', 'https', 'socks5'].includes(scheme))
      out.push(cause.invalid(`${path}.proxyURL`, spec.proxyURL, `unsupported scheme "${scheme}", must be http, https, or socks5`));
  }
  out.push(...validateClusterTaints(spec.taints ?? [], `${path}.taints`));
  const modelErr = validateResourceModels(spec.resourceModels ?? [], `${path}.resourceModels`);
  if (modelErr) out.push(modelErr);
  return out;
}

const parseURL = (s: string): URL | undefined => {
  try {
    return new URL(s);
  } catch {
    return undefined;
  }
};

/** A URL with a host and nothing that would be dropped or leaked: no user info, query or fragment. */
function validateAPIEndpoint(endpoint: string, path: string): ValidationCause[] {
  const form = '; desired format: hostname, hostname:port, IP or IP:port';
  const u = parseURL(endpoint);
  if (!u || !u.host) return [cause.invalid(path, u?.host ?? '', 'host must be provided' + form)];
  const out: ValidationCause[] = [];
  if (u.username || u.password) out.push(cause.invalid(path, u.username, 'user information is not permitted in the URL'));
  if (u.hash) out.push(cause.invalid(path, u.hash.slice(1), 'fragments are not permitted in the URL'));
  if (u.search) out.push(cause.invalid(path, u.search.slice(1), 'query parameters are not permitted in the URL'));
  return out;
}

/** Node-taint rules: a label-name key, a label-value value, a known effect, unique key+effect. */
export function validateClusterTaints(taints: Taint[], path: string): ValidationCause[] {
  const out: ValidationCause[] = [];
  const seen = new Set<string>();
  taints.forEach((t, i) => {
    const p = `${path}[${i}]`;
    out.push(...fromFieldCauses(validateLabelName(t.key, `${p}.key`)));
    const valueErrs = isValidLabelValue(t.value ?? '');
    if (valueErrs.length) out.push(cause.invalid(`${p}.value`, t.value, valueErrs.join(';')));
    if (!t.effect) out.push(cause.required(`${p}.effect`));
    else if (!TAINT_EFFECTS.includes(t.effect)) out.push(cause.notSupported(`${p}.effect`, t.effect, TAINT_EFFECTS));
    const id = `${t.key}\u0000${t.effect}`;
    if (seen.has(id)) out.push(cause.invalid(p, t, 'taints must be unique by key and effect pair'));
    seen.add(id);
  });
  return out;
}

/**
 * Grades are distinct and have the same resources in the same order; each range has max > min;
 * grades are contiguous, starting at 0 and ending unbounded. Like Karmada, the first problem only.
 */
export function validateResourceModels(models: ResourceModel[], path: string): ValidationCause | undefined {
  const bad = (msg: string) => cause.invalid(path, models, msg);
  for (let i = 0; i < models.length; i++) {
    const m = models[i]!;
    const prev = models[i - 1];
    if (prev && m.grade === prev.grade) return bad('The grade of each models should not be the same');
    if (prev && prev.ranges.length !== m.ranges.length) return bad('The number of resource types should be the same');
    for (let j = 0; j < m.ranges.length; j++) {
      const r = m.ranges[j]!;
      if (!(RESOURCE_MODEL_NAMES as readonly string[]).includes(r.name)) return cause.notSupported(`${path}.ranges.name`, r.name, [...RESOURCE_MODEL_NAMES].sort());
      const min = tryParseQuantity(r.min);
      const max = tryParseQuantity(r.max);
      if (!min || !max) return bad('min and max must be quantities');
      if (max.cmp(min) <= 0) return bad('The max value of each resource must be greater than the min value');
      if (!prev) {
        if (!min.isZero()) return bad('The min value of each resource in the first model should be 0');
      } else if (prev.ranges[j]!.name !== r.name) {
        return bad('The resource types of each models should be the same');
      } else if (tryParseQuantity(prev.ranges[j]!.max)?.cmp(min) !== 0) {
        return bad('Model intervals for resources must be contiguous and non-overlapping');
      }
      if (i === models.length - 1 && max.cmp(MAX_INT64_QUANTITY) !== 0) return bad('The max value of each resource in the last model should be MaxInt64');
    }
  }
  return undefined;
}

export interface ClusterTaintPolicyOptions {
  /** Karmada forbids NoExecute policy taints unless the administrator enables them (--allow-no-execute-taint-policy). */
  allowNoExecute?: boolean;
}

/** No NoExecute unless allowed; unique key+effect; In/NotIn operators; a valid target selector. */
export function validateClusterTaintPolicySpec(spec: ClusterTaintPolicySpec, opts: ClusterTaintPolicyOptions = {}, path = 'spec'): ValidationCause[] {
  const out: ValidationCause[] = [];
  spec.taints.forEach((t, i) => {
    const p = `${path}.taints[${i}]`;
    if (!opts.allowNoExecute && t.effect === 'NoExecute')
      out.push(cause.forbidden(p, 'Configuring taint with NoExecute effect is not allowed, this capability must be explicitly enabled by administrators through command-line flags'));
    if (spec.taints.slice(i + 1).some((u) => u.key === t.key && u.effect === t.effect))
      out.push(cause.duplicate(p, `Duplicate taint with the same key(${t.key}) and effect(${t.effect}) is not allowed`));
    if (!TAINT_EFFECTS.includes(t.effect)) out.push(cause.notSupported(`${p}.effect`, t.effect, TAINT_EFFECTS));
  });
  for (const list of ['addOnConditions', 'removeOnConditions'] as const) {
    spec[list]?.forEach((m, i) => {
      if (!(MATCH_CONDITION_OPERATORS as readonly string[]).includes(m.operator))
        out.push(cause.notSupported(`${path}.${list}[${i}].operator`, m.operator, MATCH_CONDITION_OPERATORS));
    });
  }
  out.push(...validateClusterAffinity(spec.targetClusters, `${path}.targetClusters`));
  return out;
}
