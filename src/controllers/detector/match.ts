/**
 * Which policy a resource template belongs to, with Karmada's rules (pkg/detector/policy.go,
 * preemption.go, pkg/util/selector.go), as pure functions:
 *  - PropagationPolicies of the template's namespace are tried first; a ClusterPropagationPolicy
 *    only when none matches (cluster-scoped templates only ever get a CPP).
 *  - Among matching policies of one kind: higher spec.priority wins, then the more specific match
 *    (name > labelSelector > apiVersion+kind only), then the smaller policy name.
 *  - A claimed template stays with its policy while that policy exists and still matches, unless
 *    another matching policy with preemption Always may take it: a PP over a PP of lower
 *    priority, a PP over any CPP, a CPP over a CPP of lower priority. Karmada only preempts for
 *    name selectors; here any selector can (a superset, never a different answer for name ones).
 */
import { ImplicitPriority, resourceMatchSelectorsPriority } from '../../overrides/match.js';
import type { ResourceSelector } from '../../overrides/types.js';
import { CLAIM_ANNOTATIONS, PERMANENT_ID_LABELS } from './keys.js';

export type PolicyKind = 'PropagationPolicy' | 'ClusterPropagationPolicy';

/** The parts of a PropagationPolicy / ClusterPropagationPolicy that matching reads. */
export interface PolicyLike {
  metadata: { name?: string; namespace?: string; uid?: string; labels?: Record<string, string>; deletionTimestamp?: string };
  spec: { resourceSelectors: readonly ResourceSelector[]; priority?: number; preemption?: string };
}

export interface TemplateLike {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [k: string]: unknown;
}

/** The policy a template names in its claim metadata. */
export interface Claim {
  kind: PolicyKind;
  namespace?: string;
  name: string;
}

export interface Selection<P extends PolicyLike = PolicyLike> {
  kind: PolicyKind;
  policy: P;
  /** claimed: it already had the template; matched: it was free; preempted: taken from `from`. */
  how: 'claimed' | 'matched' | 'preempted';
  from?: Claim;
}

const nameOf = (p: PolicyLike) => p.metadata.name ?? '';
const priorityOf = (p: PolicyLike) => p.spec.priority ?? 0;
const preempts = (p: PolicyLike) => p.spec.preemption === 'Always';

/** The claim recorded on a template (PP annotations win: a PP claim replaces a CPP one). */
export function claimOf(t: TemplateLike): Claim | undefined {
  const a = t.metadata?.annotations ?? {};
  const l = t.metadata?.labels ?? {};
  const ppName = a[CLAIM_ANNOTATIONS.ppName];
  if (ppName && (a[CLAIM_ANNOTATIONS.ppNamespace] || l[PERMANENT_ID_LABELS.PropagationPolicy])) {
    return { kind: 'PropagationPolicy', namespace: a[CLAIM_ANNOTATIONS.ppNamespace] ?? t.metadata?.namespace ?? '', name: ppName };
  }
  const cppName = a[CLAIM_ANNOTATIONS.cppName];
  if (cppName) return { kind: 'ClusterPropagationPolicy', name: cppName };
  return undefined;
}

/**
 * A PropagationPolicy's selectors with the namespace the admission webhook would have filled in
 * (Flotilla serves the policy kinds without Karmada's webhook).
 */
export function effectiveSelectors(kind: PolicyKind, p: PolicyLike): readonly ResourceSelector[] {
  if (kind !== 'PropagationPolicy' || !p.metadata.namespace) return p.spec.resourceSelectors;
  return p.spec.resourceSelectors.map((rs) => (rs.namespace ? rs : { ...rs, namespace: p.metadata.namespace }));
}

/** How specifically the policy selects the template (MisMatch = 0 when it does not). */
export function matchLevel(kind: PolicyKind, p: PolicyLike, t: TemplateLike): number {
  if (p.metadata.deletionTimestamp) return ImplicitPriority.MisMatch;
  const ns = t.metadata?.namespace ?? '';
  if (kind === 'PropagationPolicy' && (!ns || p.metadata.namespace !== ns)) return ImplicitPriority.MisMatch;
  return resourceMatchSelectorsPriority(t, effectiveSelectors(kind, p));
}

interface Ranked<P> {
  policy: P;
  level: number;
}

/** Karmada's precedence: explicit priority, then match level, then the smaller name. */
export function compareRanked<P extends PolicyLike>(a: Ranked<P>, b: Ranked<P>): number {
  return priorityOf(b.policy) - priorityOf(a.policy) || b.level - a.level || (nameOf(a.policy) < nameOf(b.policy) ? -1 : nameOf(a.policy) > nameOf(b.policy) ? 1 : 0);
}

function ranked<P extends PolicyLike>(kind: PolicyKind, policies: readonly P[], t: TemplateLike): Ranked<P>[] {
  const out: Ranked<P>[] = [];
  for (const policy of policies) {
    const level = matchLevel(kind, policy, t);
    if (level > ImplicitPriority.MisMatch) out.push({ policy, level });
  }
  return out.sort(compareRanked);
}

/** The highest-precedence matching policy of one kind. */
export function bestPolicy<P extends PolicyLike>(kind: PolicyKind, policies: readonly P[], t: TemplateLike): P | undefined {
  return ranked(kind, policies, t)[0]?.policy;
}

const isClaimed = (c: Claim, kind: PolicyKind, p: PolicyLike) =>
  c.kind === kind && c.name === nameOf(p) && (kind === 'ClusterPropagationPolicy' || (c.namespace ?? '') === (p.metadata.namespace ?? ''));

/**
 * The policy that should own `t` now, or undefined when none may. `pps` may hold policies of any
 * namespace (only the template's count).
 */
export function selectPolicy<P extends PolicyLike>(t: TemplateLike, pps: readonly P[], cpps: readonly P[]): Selection<P> | undefined {
  const claim = claimOf(t);
  const matchPP = ranked('PropagationPolicy', pps, t);
  const matchCPP = ranked('ClusterPropagationPolicy', cpps, t);
  if (claim) {
    const pool = claim.kind === 'PropagationPolicy' ? matchPP : matchCPP;
    const held = pool.find((r) => isClaimed(claim, claim.kind, r.policy));
    if (held) {
      const holder = held.policy;
      // Candidates are already in precedence order, so the first eligible one is the best.
      const ppTaker = matchPP.find(
        (r) => r.policy !== holder && preempts(r.policy) && (claim.kind === 'ClusterPropagationPolicy' || priorityOf(r.policy) > priorityOf(holder)),
      );
      if (ppTaker) return { kind: 'PropagationPolicy', policy: ppTaker.policy, how: 'preempted', from: claim };
      if (claim.kind === 'ClusterPropagationPolicy') {
        const cppTaker = matchCPP.find((r) => r.policy !== holder && preempts(r.policy) && priorityOf(r.policy) > priorityOf(holder));
        if (cppTaker) return { kind: 'ClusterPropagationPolicy', policy: cppTaker.policy, how: 'preempted', from: claim };
      }
      return { kind: claim.kind, policy: holder, how: 'claimed' };
    }
    // The claimed policy is gone or no longer selects the template: it is free again.
  }
  const pp = matchPP[0];
  if (pp) return { kind: 'PropagationPolicy', policy: pp.policy, how: 'matched' };
  const cpp = matchCPP[0];
  if (cpp) return { kind: 'ClusterPropagationPolicy', policy: cpp.policy, how: 'matched' };
  return undefined;
}
