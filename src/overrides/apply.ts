/**
 * Karmada's OverrideManager.ApplyOverridePolicies as a pure function: the manifest a Work for
 * `cluster` should carry, given the override policies that exist.
 *
 * Order (pkg/util/overridemanager/overridemanager.go):
 * 1. ClusterOverridePolicies, then — only for a namespaced resource — the OverridePolicies of
 *    the resource's namespace. Each group is matched and sorted once, before it runs; the
 *    namespaced group therefore sees what the cluster policies changed (a label a
 *    ClusterOverridePolicy adds can select an OverridePolicy).
 * 2. Within a group, ascending implicit priority (match-all / no selectors < labelSelector <
 *    name), ties by policy name: the most specific policy runs last and wins.
 * 3. Each policy's rules in order (or its deprecated targetCluster/overriders pair when it has no
 *    rules), those whose targetCluster is nil or matches the cluster.
 * 4. Within a rule: image → command → args → labels → annotations → field → plaintext.
 *
 * Failure: Karmada stops at the first overrider that fails and returns the error for the whole
 * cluster — no Work is written or updated for it (the binding controller records an event and
 * moves on to the next cluster). We do the same: `ok` is false, `errors` holds that one failure and
 * the caller must not dispatch `manifest` (it holds what applied before the failure, for
 * diagnosis). `continueOnError` instead skips failing overriders and reports them all.
 */
import { appliedOverridesAnnotations, type OverridePolicyShadow } from './applied.js';
import { errorMessage } from './errors.js';
import { cloneJson } from './jsonpatch.js';
import { clusterMatches, ImplicitPriority, isPlainObject, resourceMatchSelectorsPriority } from './match.js';
import {
  applyAnnotationsOverrider,
  applyArgsOverrider,
  applyCommandOverrider,
  applyFieldOverrider,
  applyImageOverrider,
  applyLabelsOverrider,
  applyPlaintextOverriders,
} from './overriders.js';
import type { Cluster, Manifest, OverridePolicyLike, Overriders, RuleWithCluster } from './types.js';

export type PolicyKind = 'ClusterOverridePolicy' | 'OverridePolicy';

export type OverriderName =
  | 'imageOverrider'
  | 'commandOverrider'
  | 'argsOverrider'
  | 'labelsOverrider'
  | 'annotationsOverrider'
  | 'fieldOverrider'
  | 'plaintext';

/** One overrider that could not be applied. */
export interface OverrideFailure {
  policyKind: PolicyKind;
  policy: string;
  /** OverridePolicy only. */
  namespace?: string;
  /** Index in spec.overrideRules; 0 for the deprecated spec.targetCluster/spec.overriders pair. */
  rule: number;
  overrider: OverriderName;
  /** Position in that overrider list; absent for plaintext, whose list is one patch. */
  index?: number;
  /** Where in the policy, e.g. "spec.overrideRules[1].overriders.imageOverrider[0]". */
  field: string;
  message: string;
}

export interface AppliedPolicy {
  policyKind: PolicyKind;
  policy: string;
  namespace?: string;
  /** Indexes of the rules that ran (0 for the deprecated pair). */
  rules: number[];
}

export interface ApplyOverridesInput {
  manifest: Manifest;
  cluster: Cluster;
  clusterOverridePolicies?: readonly OverridePolicyLike[];
  /** Any namespaces; only those in the resource's namespace are considered. */
  overridePolicies?: readonly OverridePolicyLike[];
  /** Skip failing overriders and go on (for diagnostics) instead of stopping as Karmada does. */
  continueOnError?: boolean;
}

export interface ApplyOverridesResult {
  /** No overrider failed: `manifest` may be dispatched. */
  ok: boolean;
  /** A new object; the input is never modified. */
  manifest: Manifest;
  applied: AppliedPolicy[];
  errors: OverrideFailure[];
  /** One item per applied rule, sorted by policy name (overridemanager.AppliedOverrides). */
  appliedClusterOverrides: OverridePolicyShadow[];
  appliedOverrides: OverridePolicyShadow[];
  /** policy.karmada.io/applied-cluster-overrides / applied-overrides for the Work, when non-empty. */
  annotations: Record<string, string>;
}

interface RunnableRule {
  index: number;
  field: string;
  overriders: Overriders;
}

const policyName = (p: OverridePolicyLike) => p.metadata?.name ?? '';

/** The rules Karmada runs: overrideRules, or the deprecated pair when there are none. */
function rulesOf(p: OverridePolicyLike): { rule: RuleWithCluster; index: number; field: string }[] {
  const spec = p.spec ?? {};
  const rules = spec.overrideRules ?? [];
  if (rules.length) return rules.map((rule, index) => ({ rule, index, field: `spec.overrideRules[${index}].overriders` }));
  return [{ rule: { targetCluster: spec.targetCluster, overriders: spec.overriders }, index: 0, field: 'spec.overriders' }];
}

/**
 * The policies selecting `resource` (nil/empty resourceSelectors select everything), least
 * specific first; ties by name. Stable, as Karmada's sort.SliceStable.
 */
export function sortPoliciesForResource<P extends OverridePolicyLike>(resource: Manifest, policies: readonly P[]): P[] {
  const ranked: { p: P; prio: number }[] = [];
  for (const p of policies) {
    const selectors = p.spec?.resourceSelectors ?? [];
    const prio = selectors.length === 0 ? ImplicitPriority.MatchAll : resourceMatchSelectorsPriority(resource, selectors);
    if (prio > ImplicitPriority.MisMatch) ranked.push({ p, prio });
  }
  ranked.sort((a, b) => a.prio - b.prio || (policyName(a.p) < policyName(b.p) ? -1 : policyName(a.p) > policyName(b.p) ? 1 : 0));
  return ranked.map((r) => r.p);
}

/** The rules of the sorted policies that target `cluster`, in application order. */
function plan(resource: Manifest, cluster: Cluster, policies: readonly OverridePolicyLike[]): { policy: OverridePolicyLike; rules: RunnableRule[] }[] {
  return sortPoliciesForResource(resource, policies).map((policy) => ({
    policy,
    rules: rulesOf(policy)
      .filter(({ rule }) => rule.targetCluster == null || clusterMatches(cluster, rule.targetCluster))
      .map(({ rule, index, field }) => ({ index, field, overriders: rule.overriders ?? {} })),
  }));
}

type Step = { name: OverriderName; index?: number; run: (m: Manifest) => Manifest };

/** A rule's overriders as steps, in Karmada's order. */
function steps(o: Overriders): Step[] {
  const each = <T>(name: OverriderName, list: readonly T[] | null | undefined, fn: (m: Manifest, x: T) => Manifest): Step[] =>
    (list ?? []).map((x, index) => ({ name, index, run: (m: Manifest) => fn(m, x) }));
  return [
    ...each('imageOverrider', o.imageOverrider, applyImageOverrider),
    ...each('commandOverrider', o.commandOverrider, applyCommandOverrider),
    ...each('argsOverrider', o.argsOverrider, applyArgsOverrider),
    ...each('labelsOverrider', o.labelsOverrider, applyLabelsOverrider),
    ...each('annotationsOverrider', o.annotationsOverrider, applyAnnotationsOverrider),
    ...each('fieldOverrider', o.fieldOverrider, applyFieldOverrider),
    // Karmada applies the plaintext patch even when the list is empty (a no-op).
    { name: 'plaintext', run: (m: Manifest) => applyPlaintextOverriders(m, o.plaintext ?? []) },
  ];
}

export interface RuleFailure {
  overrider: OverriderName;
  index?: number;
  message: string;
}

/**
 * One rule's overriders on `manifest` (not modified). Stops at the first failure unless
 * `continueOnError`; a failed overrider leaves no trace in the result.
 */
export function applyOverriders(manifest: Manifest, overriders: Overriders, continueOnError = false): { manifest: Manifest; failures: RuleFailure[] } {
  let m = manifest;
  const failures: RuleFailure[] = [];
  for (const s of steps(overriders)) {
    try {
      m = s.run(m);
    } catch (e) {
      // Anything thrown is a failure to report, never a crash (OverriderError carries Karmada's text).
      failures.push({ overrider: s.name, ...(s.index === undefined ? {} : { index: s.index }), message: errorMessage(e) });
      if (!continueOnError) break;
    }
  }
  return { manifest: m === manifest ? cloneJson(manifest) : m, failures };
}

const namespaceOf = (m: Manifest): string => {
  const meta = m['metadata'];
  return isPlainObject(meta) && typeof meta['namespace'] === 'string' ? meta['namespace'] : '';
};

export function applyOverrides(input: ApplyOverridesInput): ApplyOverridesResult {
  const continueOnError = input.continueOnError ?? false;
  let manifest = cloneJson(input.manifest);
  const errors: OverrideFailure[] = [];
  const applied: AppliedPolicy[] = [];
  const shadows: Record<PolicyKind, OverridePolicyShadow[]> = { ClusterOverridePolicy: [], OverridePolicy: [] };

  const runGroup = (kind: PolicyKind, policies: readonly OverridePolicyLike[]): boolean => {
    for (const { policy, rules } of plan(manifest, input.cluster, policies)) {
      const name = policyName(policy);
      const ns = kind === 'OverridePolicy' ? { namespace: policy.metadata?.namespace ?? '' } : {};
      const ran: number[] = [];
      for (const rule of rules) {
        const r = applyOverriders(manifest, rule.overriders, continueOnError);
        manifest = r.manifest;
        for (const f of r.failures) {
          const at = f.index === undefined ? f.overrider : `${f.overrider}[${f.index}]`;
          errors.push({ policyKind: kind, policy: name, ...ns, rule: rule.index, ...f, field: `${rule.field}.${at}` });
        }
        if (r.failures.length && !continueOnError) {
          if (ran.length) applied.push({ policyKind: kind, policy: name, ...ns, rules: ran });
          return false;
        }
        ran.push(rule.index);
        shadows[kind].push({ policyName: name, overriders: cloneJson(rule.overriders) });
      }
      if (ran.length) applied.push({ policyKind: kind, policy: name, ...ns, rules: ran });
    }
    return true;
  };

  // The namespace is read after the cluster policies ran, as Karmada reads rawObj then.
  if (runGroup('ClusterOverridePolicy', input.clusterOverridePolicies ?? [])) {
    const namespace = namespaceOf(manifest);
    if (namespace) {
      runGroup('OverridePolicy', (input.overridePolicies ?? []).filter((p) => (p.metadata?.namespace ?? '') === namespace));
    }
  }

  return {
    ok: errors.length === 0,
    manifest,
    applied,
    errors,
    appliedClusterOverrides: sortedShadows(shadows.ClusterOverridePolicy),
    appliedOverrides: sortedShadows(shadows.OverridePolicy),
    annotations: appliedOverridesAnnotations(shadows.ClusterOverridePolicy, shadows.OverridePolicy),
  };
}

const sortedShadows = (s: OverridePolicyShadow[]) => [...s].sort((a, b) => (a.policyName < b.policyName ? -1 : a.policyName > b.policyName ? 1 : 0));
