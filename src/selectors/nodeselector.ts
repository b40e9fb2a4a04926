/**
 * corev1.NodeSelector matching, as k8s.io/component-helpers/scheduling/corev1/nodeaffinity:
 * terms are ORed, the requirements inside a term ANDed, and a term with neither
 * matchExpressions nor matchFields matches nothing. matchExpressions use label semantics with
 * In, NotIn, Exists, DoesNotExist, Gt, Lt; matchFields only In/NotIn with exactly one value.
 *
 * Karmada's ClusterAffinity.fieldSelector reuses NodeSelectorRequirement but matches it with
 * label semantics against the cluster's fields map: use nodeSelectorRequirementsAsSelector.
 */
import { SelectorParseError } from './errors.js';
import { nothing, selectorFromRequirements, type LabelSelector } from './labels.js';
import { requirementErrors, Requirement, type Labels, type Operator } from './requirement.js';
import { fieldSelectorFromRequirements, nothingFieldSelector, type FieldSelector, type FieldSet } from './fields.js';
import { aggregateMessage, fieldError, fieldPath, formatFieldCause, type FieldCause } from '../util/validation-field.js';

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: readonly string[] | null;
}

export interface NodeSelectorTerm {
  matchExpressions?: readonly NodeSelectorRequirement[] | null;
  matchFields?: readonly NodeSelectorRequirement[] | null;
}

export interface NodeSelector {
  nodeSelectorTerms?: readonly NodeSelectorTerm[] | null;
}

const labelOps: Readonly<Record<string, Operator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
  Gt: 'gt',
  Lt: 'lt',
};

const fail = (causes: FieldCause[]): never => {
  throw new SelectorParseError(aggregateMessage(causes.map(formatFieldCause)), causes);
};

function labelCauses(reqs: readonly NodeSelectorRequirement[], path: string): { causes: FieldCause[]; reqs: Requirement[] } {
  const causes: FieldCause[] = [];
  const out: Requirement[] = [];
  reqs.forEach((r, i) => {
    const p = fieldPath.index(path, i);
    const op = Object.hasOwn(labelOps, r.operator) ? labelOps[r.operator] : undefined;
    if (!op) {
      // Kubernetes lists no supported values here.
      causes.push(fieldError.notSupported(fieldPath.child(p, 'operator'), r.operator, []));
      return;
    }
    const errs = requirementErrors(r.key, op, r.values, p);
    if (errs.length) causes.push(...errs);
    else out.push(new Requirement(r.key, op, r.values ?? []));
  });
  return { causes, reqs: out };
}

/**
 * Node-label requirements as a label selector; an empty list selects nothing. `path` prefixes
 * error fields (e.g. "spec.affinity...matchExpressions"). Throws SelectorParseError.
 */
export function nodeSelectorRequirementsAsSelector(reqs: readonly NodeSelectorRequirement[] | null | undefined, path = ''): LabelSelector {
  if (!reqs?.length) return nothing();
  const { causes, reqs: parsed } = labelCauses(reqs, path);
  if (causes.length) fail(causes);
  return selectorFromRequirements(parsed);
}

function fieldCauses(reqs: readonly NodeSelectorRequirement[], path: string): { causes: FieldCause[]; sel: FieldSelector } {
  const causes: FieldCause[] = [];
  const out: { field: string; operator: '=' | '!='; value: string }[] = [];
  reqs.forEach((r, i) => {
    const p = fieldPath.index(path, i);
    if (r.operator !== 'In' && r.operator !== 'NotIn') {
      causes.push(fieldError.notSupported(fieldPath.child(p, 'operator'), r.operator, ['In', 'NotIn']));
      return;
    }
    const vals = r.values ?? [];
    if (vals.length !== 1) {
      causes.push(fieldError.invalid(fieldPath.child(p, 'values'), r.values == null ? null : [...r.values], 'must have one element'));
      return;
    }
    out.push({ field: r.key, operator: r.operator === 'In' ? '=' : '!=', value: vals[0]! });
  });
  return { causes, sel: fieldSelectorFromRequirements(out) };
}

/** Node-field requirements (In/NotIn, one value each) as a field selector; empty selects nothing. */
export function nodeSelectorRequirementsAsFieldSelector(reqs: readonly NodeSelectorRequirement[] | null | undefined, path = ''): FieldSelector {
  if (!reqs?.length) return nothingFieldSelector();
  const { causes, sel } = fieldCauses(reqs, path);
  if (causes.length) fail(causes);
  return sel;
}

/** A parsed term; `causes` is non-empty when the term is invalid (it then matches nothing). */
interface CompiledTerm {
  labels?: LabelSelector;
  fields?: FieldSelector;
  causes: FieldCause[];
}

const isEmptyTerm = (t: NodeSelectorTerm) => !t.matchExpressions?.length && !t.matchFields?.length;

function compileTerm(t: NodeSelectorTerm, path: string): CompiledTerm {
  const out: CompiledTerm = { causes: [] };
  if (t.matchExpressions?.length) {
    const r = labelCauses(t.matchExpressions, fieldPath.child(path, 'matchExpressions'));
    out.causes.push(...r.causes);
    out.labels = selectorFromRequirements(r.reqs);
  }
  if (t.matchFields?.length) {
    const r = fieldCauses(t.matchFields, fieldPath.child(path, 'matchFields'));
    out.causes.push(...r.causes);
    out.fields = r.sel;
  }
  return out;
}

function termMatches(t: CompiledTerm, labels: Labels | undefined | null, fields: FieldSet | undefined | null): boolean {
  if (t.causes.length) return false;
  if (t.labels && !t.labels.matches(labels)) return false;
  // Kubernetes skips matchFields when the node yields no fields (it has no name yet).
  if (t.fields && fields && Object.keys(fields).length > 0 && !t.fields.matches(fields)) return false;
  return true;
}

export interface CompiledNodeSelector {
  /** Any term matches. `fields` is the node's selectable fields, i.e. {"metadata.name": name}. */
  matches(labels: Labels | undefined | null, fields?: FieldSet | null): boolean;
}

function compileTerms(ns: NodeSelector, path: string): CompiledTerm[] {
  const termsPath = fieldPath.child(path, 'nodeSelectorTerms');
  const out: CompiledTerm[] = [];
  (ns.nodeSelectorTerms ?? []).forEach((t, i) => {
    if (!isEmptyTerm(t)) out.push(compileTerm(t, fieldPath.index(termsPath, i)));
  });
  return out;
}

/**
 * nodeaffinity.NewNodeSelector: compiles all terms and throws SelectorParseError listing every
 * invalid requirement (fields like "nodeSelectorTerms[0].matchExpressions[1].operator").
 */
export function compileNodeSelector(ns: NodeSelector, path = ''): CompiledNodeSelector {
  const terms = compileTerms(ns, path);
  const causes = terms.flatMap((t) => t.causes);
  if (causes.length) fail(causes);
  return { matches: (labels, fields) => terms.some((t) => termMatches(t, labels, fields)) };
}

/**
 * Lenient matching as the scheduler does it (LazyErrorNodeSelector): invalid terms never match
 * but do not stop a valid term from matching. A selector with no terms matches nothing.
 */
export function matchNodeSelector(ns: NodeSelector, labels: Labels | undefined | null, fields?: FieldSet | null): boolean {
  return compileTerms(ns, '').some((t) => termMatches(t, labels, fields));
}

/** One term: empty or invalid terms match nothing. */
export function matchNodeSelectorTerm(term: NodeSelectorTerm, labels: Labels | undefined | null, fields?: FieldSet | null): boolean {
  return !isEmptyTerm(term) && termMatches(compileTerm(term, ''), labels, fields);
}

/** ANDed requirements with label semantics; an empty or invalid list matches nothing. */
export function matchNodeSelectorRequirements(reqs: readonly NodeSelectorRequirement[] | null | undefined, labels: Labels | undefined | null): boolean {
  try {
    return nodeSelectorRequirementsAsSelector(reqs).matches(labels);
  } catch (e) {
    if (e instanceof SelectorParseError) return false;
    throw e;
  }
}

/** The fields a node exposes to matchFields: only metadata.name, and only when set. */
export function nodeFields(node: { metadata?: { name?: string | null } | null } | null | undefined): Record<string, string> {
  const name = node?.metadata?.name;
  return name ? { 'metadata.name': name } : {};
}
