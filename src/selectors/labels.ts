/**
 * Label selectors with Kubernetes semantics: the string form (?labelSelector=, kubectl -l) and
 * the metav1.LabelSelector object form (spec.selector). Both compile to a LabelSelector.
 */
import { SelectorParseError } from './errors.js';
import { parseRequirements } from './labels-parser.js';
import { newRequirement, Requirement, sortByKey, type Labels } from './requirement.js';
import { goQuote } from '../util/validation-field.js';

export { SelectorParseError } from './errors.js';
export { Op, Requirement, newRequirement, requirementErrors, parseInt64 } from './requirement.js';
export type { Operator, Labels } from './requirement.js';

export interface LabelSelector {
  /** ANDed, sorted by key. Empty for both everything() and nothing(). */
  readonly requirements: readonly Requirement[];
  /** True when the selector does not restrict anything (matches every object). */
  readonly empty: boolean;
  /** False only for nothing(), which no list of requirements can express. */
  readonly selectable: boolean;
  matches(labels: Labels | undefined | null): boolean;
  /** Canonical form, e.g. "app=nginx,tier in (be,fe)"; "" for everything() and nothing(). */
  toString(): string;
  /** A new selector with more requirements (re-sorted by key). */
  add(...reqs: Requirement[]): LabelSelector;
  /** The value the selector pins `key` to via =, == or a one-value in, if any. */
  requiresExactMatch(key: string): string | undefined;
}

class RequirementsSelector implements LabelSelector {
  readonly requirements: readonly Requirement[];
  readonly selectable = true;
  constructor(reqs: readonly Requirement[]) {
    this.requirements = Object.freeze(sortByKey(reqs));
  }
  get empty(): boolean {
    return this.requirements.length === 0;
  }
  matches(labels: Labels | undefined | null): boolean {
    return this.requirements.every((r) => r.matches(labels ?? undefined));
  }
  toString(): string {
    return this.requirements.map((r) => r.toString()).join(',');
  }
  add(...reqs: Requirement[]): LabelSelector {
    return new RequirementsSelector([...this.requirements, ...reqs]);
  }
  requiresExactMatch(key: string): string | undefined {
    // Go looks only at the first requirement on that key.
    const r = this.requirements.find((x) => x.key === key);
    if (r && (r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0];
    return undefined;
  }
}

class NothingSelector implements LabelSelector {
  readonly requirements: readonly Requirement[] = Object.freeze([]);
  readonly empty = false;
  readonly selectable = false;
  matches(): boolean {
    return false;
  }
  toString(): string {
    return '';
  }
  add(): LabelSelector {
    return this;
  }
  requiresExactMatch(): undefined {
    return undefined;
  }
}

const EVERYTHING: LabelSelector = new RequirementsSelector([]);
const NOTHING: LabelSelector = new NothingSelector();

/** Matches every object (labels.Everything()). */
export function everything(): LabelSelector {
  return EVERYTHING;
}

/** Matches no object (labels.Nothing()); what a null metav1.LabelSelector means. */
export function nothing(): LabelSelector {
  return NOTHING;
}

/** A selector from already-validated requirements. */
export function selectorFromRequirements(reqs: readonly Requirement[]): LabelSelector {
  return reqs.length ? new RequirementsSelector(reqs) : EVERYTHING;
}

/**
 * Parse "k=v,k2 in (a,b),!k3" (labels.Parse). Throws SelectorParseError with the Go message,
 * e.g. "unable to parse requirement: found '', expected: in, notin, =, ==, !=, gt, lt".
 */
export function parseLabelSelector(s: string): LabelSelector {
  return selectorFromRequirements(parseRequirements(s));
}

/** Exact-match selector for a label map; null or {} selects everything. Validates keys/values. */
export function selectorFromSet(set: Labels | null | undefined): LabelSelector {
  const entries = Object.entries(set ?? {});
  return selectorFromRequirements(entries.map(([k, v]) => newRequirement(k, '=', [v])));
}

export interface LabelSelectorRequirementObject {
  key: string;
  operator: string;
  values?: readonly string[] | null;
}

/** metav1.LabelSelector as it appears in JSON. */
export interface LabelSelectorObject {
  matchLabels?: Readonly<Record<string, string>> | null;
  matchExpressions?: readonly LabelSelectorRequirementObject[] | null;
}

const metaOps: Readonly<Record<string, string>> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * metav1.LabelSelectorAsSelector: null/undefined selects nothing, {} selects everything.
 * Throws SelectorParseError for an unknown operator or an invalid key/value/values count.
 */
export function fromLabelSelector(sel: LabelSelectorObject | null | undefined): LabelSelector {
  if (sel == null) return NOTHING;
  const labels = Object.entries(sel.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const exprs = sel.matchExpressions ?? [];
  if (labels.length + exprs.length === 0) return EVERYTHING;
  const reqs: Requirement[] = labels.map(([k, v]) => newRequirement(k, '=', [v]));
  for (const e of exprs) {
    const op = Object.hasOwn(metaOps, e.operator) ? metaOps[e.operator] : undefined;
    if (!op) throw new SelectorParseError(`${goQuote(String(e.operator))} is not a valid pod selector operator`);
    // Go copies values with append(nil, ...), so an empty list reports as null.
    reqs.push(newRequirement(e.key, op, e.values?.length ? e.values : null));
  }
  return new RequirementsSelector(reqs);
}

/**
 * The string form of a metav1.LabelSelector, as Kubernetes writes Scale status.selector
 * ("app=nginx"); "" for a null selector. Throws like fromLabelSelector.
 */
export function labelSelectorToString(sel: LabelSelectorObject | null | undefined): string {
  return fromLabelSelector(sel).toString();
}

/** metav1.FormatLabelSelector, for human output: "<none>" when empty, "<error>" when invalid. */
export function formatLabelSelector(sel: LabelSelectorObject | null | undefined): string {
  try {
    return labelSelectorToString(sel) || '<none>';
  } catch {
    return '<error>';
  }
}
