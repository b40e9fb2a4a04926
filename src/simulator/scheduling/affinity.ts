// Node selectors and node affinity (k8s.io/component-helpers/scheduling/corev1/nodeaffinity and the
// kube-scheduler NodeAffinity plugin).
//
// Required terms are ORed, the requirements inside a term ANDed; a term with neither
// matchExpressions nor matchFields matches nothing, and so does a required selector with no terms.
// A term that fails to parse (unknown operator, In without values, Gt with a non-integer, invalid
// label key, matchFields other than In/NotIn with one value...) never matches, as in Kubernetes.
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, Pod } from 'kubernetes-types/core/v1.js';

const NAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** validation.IsQualifiedName: [prefix/]name. */
export function isQualifiedName(key: string): boolean {
  const parts = key.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0]!;
  else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN_RE.test(prefix)) return false;
  } else return false;
  return name.length > 0 && name.length <= 63 && NAME_RE.test(name);
}

/** validation.IsValidLabelValue: empty, or up to 63 chars of [A-Za-z0-9_.-] starting and ending alphanumeric. */
export function isValidLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && NAME_RE.test(value));
}

function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v > INT64_MAX || v < INT64_MIN ? undefined : v;
}

type Labels = Readonly<Record<string, string>>;

/** A compiled label requirement, or undefined when Kubernetes would refuse to parse it. */
type LabelMatcher = (labels: Labels) => boolean;

function compileLabelRequirement(req: NodeSelectorRequirement): LabelMatcher | undefined {
  const key = req.key;
  const values = req.values ?? [];
  if (!isQualifiedName(key)) return undefined;
  switch (req.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) return undefined;
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0) return undefined;
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1 || parseInt64(values[0]!) === undefined) return undefined;
      break;
    default:
      return undefined;
  }
  if (!values.every(isValidLabelValue)) return undefined;
  const has = (labels: Labels) => Object.hasOwn(labels, key);
  switch (req.operator) {
    case 'In':
      return (l) => has(l) && values.includes(l[key]!);
    case 'NotIn':
      return (l) => !has(l) || !values.includes(l[key]!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return (l) => !has(l);
    default: {
      const bound = parseInt64(values[0]!)!;
      const gt = req.operator === 'Gt';
      return (l) => {
        if (!has(l)) return false;
        const v = parseInt64(l[key]!);
        if (v === undefined) return false;
        return gt ? v > bound : v < bound;
      };
    }
  }
}

type FieldMatcher = (node: Node) => boolean;

function nodeField(node: Node, key: string): string {
  return key === 'metadata.name' ? (node.metadata?.name ?? '') : '';
}

function compileFieldRequirement(req: NodeSelectorRequirement): FieldMatcher | undefined {
  const values = req.values ?? [];
  if ((req.operator !== 'In' && req.operator !== 'NotIn') || values.length !== 1) return undefined;
  const want = values[0]!;
  return req.operator === 'In' ? (n) => nodeField(n, req.key) === want : (n) => nodeField(n, req.key) !== want;
}

/** A compiled node selector term; `valid` false means it failed to parse and matches nothing. */
export interface CompiledTerm {
  valid: boolean;
  match(node: Node): boolean;
}

export function isEmptyTerm(term: NodeSelectorTerm): boolean {
  return (term.matchExpressions?.length ?? 0) === 0 && (term.matchFields?.length ?? 0) === 0;
}

export function compileNodeSelectorTerm(term: NodeSelectorTerm): CompiledTerm {
  if (isEmptyTerm(term)) return { valid: true, match: () => false };
  const labelMatchers = (term.matchExpressions ?? []).map(compileLabelRequirement);
  const fieldMatchers = (term.matchFields ?? []).map(compileFieldRequirement);
  if (labelMatchers.some((m) => !m) || fieldMatchers.some((m) => !m)) return { valid: false, match: () => false };
  return {
    valid: true,
    match(node) {
      const labels = node.metadata?.labels ?? {};
      if (!labelMatchers.every((m) => m!(labels))) return false;
      // Kubernetes skips field requirements for a node without a name (no fields to match).
      if (fieldMatchers.length > 0 && node.metadata?.name) return fieldMatchers.every((m) => m!(node));
      return true;
    },
  };
}

/** Whether the node matches any of the terms (ORed). An empty list matches nothing. */
export function matchesNodeSelectorTerms(terms: readonly NodeSelectorTerm[] | null | undefined, node: Node): boolean {
  return (terms ?? []).some((t) => compileNodeSelectorTerm(t).match(node));
}

/** pod.spec.nodeSelector: every key present on the node with the same value. */
export function matchesNodeSelector(selector: Readonly<Record<string, string>> | null | undefined, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  return Object.entries(selector ?? {}).every(([k, v]) => Object.hasOwn(labels, k) && labels[k] === v);
}

/** nodeSelector AND required node affinity (nodeaffinity.GetRequiredNodeAffinity(pod).Match). */
export function podMatchesNodeSelectorAndAffinity(pod: Pod, node: Node): boolean {
  if (!matchesNodeSelector(pod.spec?.nodeSelector, node)) return false;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required) return matchesNodeSelectorTerms(required.nodeSelectorTerms, node);
  return true;
}

/** Sum of the weights of the pod's preferred node-affinity terms that match the node. */
export function preferredNodeAffinityScore(pod: Pod, node: Node): number {
  let score = 0;
  for (const p of pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (!p.weight || isEmptyTerm(p.preference)) continue;
    if (compileNodeSelectorTerm(p.preference).match(node)) score += p.weight;
  }
  return score;
}

/** The most preferredNodeAffinityScore can return for this pod (sum of positive weights of usable terms). */
export function maxPreferredNodeAffinityScore(pod: Pod): number {
  let total = 0;
  for (const p of pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (!p.weight || p.weight < 0 || isEmptyTerm(p.preference)) continue;
    if (compileNodeSelectorTerm(p.preference).valid) total += p.weight;
  }
  return total;
}

/**
 * NodeAffinity PreFilter: when every required term pins metadata.name with In (as DaemonSet pods
 * do), the set of node names the pod can go to; 'conflict' when those sets are empty; undefined
 * when any node may match.
 */
export function requiredNodeNames(pod: Pod): Set<string> | 'conflict' | undefined {
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return undefined;
  let names: Set<string> | undefined;
  for (const t of terms) {
    let termNames: Set<string> | undefined;
    for (const r of t.matchFields ?? []) {
      if (r.key !== 'metadata.name' || r.operator !== 'In') continue;
      const s = new Set(r.values ?? []);
      termNames = termNames ? new Set([...termNames].filter((n) => s.has(n))) : s;
    }
    if (!termNames) return undefined;
    names = new Set([...(names ?? []), ...termNames]);
  }
  return names && names.size === 0 ? 'conflict' : names;
}
