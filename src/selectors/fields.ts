/**
 * Field selectors (?fieldSelector=, kubectl --field-selector), as k8s.io/apimachinery/pkg/fields:
 * "path=value", "path==value", "path!=value", ANDed with ",". In values, "\," "\=" and "\\" escape
 * the three special characters; any other backslash sequence, or a bare "," / "=", is an error.
 * Fields are matched against a flat map of the object's selectable fields, where a missing
 * field reads as "" (so "spec.nodeName=" selects unscheduled pods).
 */
import { SelectorParseError } from './errors.js';

export { SelectorParseError } from './errors.js';

export type FieldOperator = '=' | '!=';

export interface FieldRequirement {
  readonly field: string;
  /** "==" parses to "=", as in Kubernetes. */
  readonly operator: FieldOperator;
  /** Unescaped. */
  readonly value: string;
}

export type FieldSet = Readonly<Record<string, string>>;

/** Rewrites one field/value pair (field label conversion); returning ["", ""] drops the term. */
export type FieldTransform = (field: string, value: string) => [field: string, value: string];

export interface FieldSelector {
  /** ANDed, in the order Kubernetes keeps them (terms sorted as raw text). */
  readonly requirements: readonly FieldRequirement[];
  readonly empty: boolean;
  /** False only for nothingFieldSelector(). */
  readonly selectable: boolean;
  matches(fields: FieldSet | undefined | null): boolean;
  /** Canonical form with values escaped, e.g. "metadata.name=a\,b,status.phase!=Running". */
  toString(): string;
  requiresExactMatch(field: string): string | undefined;
  transform(fn: FieldTransform): FieldSelector;
}

const get = (fs: FieldSet | undefined | null, f: string) => (fs != null && Object.hasOwn(fs, f) ? fs[f]! : '');

class TermsSelector implements FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  readonly selectable = true;
  constructor(reqs: readonly FieldRequirement[]) {
    this.requirements = Object.freeze(reqs.map((r) => Object.freeze({ ...r })));
  }
  get empty(): boolean {
    return this.requirements.length === 0;
  }
  matches(fields: FieldSet | undefined | null): boolean {
    return this.requirements.every((r) => (get(fields, r.field) === r.value) === (r.operator === '='));
  }
  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
  }
  requiresExactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.operator === '=' && r.field === field)?.value;
  }
  transform(fn: FieldTransform): FieldSelector {
    const out: FieldRequirement[] = [];
    for (const r of this.requirements) {
      const [field, value] = fn(r.field, r.value);
      if (field === '' && value === '') continue;
      out.push({ field, operator: r.operator, value });
    }
    return new TermsSelector(out);
  }
}

class NothingFieldSelector implements FieldSelector {
  readonly requirements: readonly FieldRequirement[] = Object.freeze([]);
  readonly empty = false;
  readonly selectable = false;
  matches(): boolean {
    return false;
  }
  toString(): string {
    return '';
  }
  requiresExactMatch(): undefined {
    return undefined;
  }
  transform(): FieldSelector {
    return this;
  }
}

const EVERYTHING: FieldSelector = new TermsSelector([]);
const NOTHING: FieldSelector = new NothingFieldSelector();

export function everythingFieldSelector(): FieldSelector {
  return EVERYTHING;
}

export function nothingFieldSelector(): FieldSelector {
  return NOTHING;
}

/** Exact match on every entry; null or {} selects everything. */
export function fieldSelectorFromSet(set: FieldSet | null | undefined): FieldSelector {
  return new TermsSelector(Object.entries(set ?? {}).map(([field, value]) => ({ field, operator: '=', value })));
}

/** ANDs requirements (fields.AndSelectors of one-term selectors). */
export function fieldSelectorFromRequirements(reqs: readonly FieldRequirement[]): FieldSelector {
  return new TermsSelector(reqs);
}

/** Escape "\", "," and "=" so any literal value survives a round trip through the string form. */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => '\\' + c);
}

/** The inverse of escapeFieldValue; throws on "\x" for other x, a trailing "\", or a bare "," / "=". */
export function unescapeFieldValue(s: string): string {
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw new SelectorParseError(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      // Go formats the rune with %v, which prints its code point number.
      throw new SelectorParseError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw new SelectorParseError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Split on commas that are not escaped; the backslashes stay in the terms. */
function splitTerms(s: string): string[] {
  if (s === '') return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

// "!=" and "==" are tried before "=" at each position, so "a==b" is not field "a", value "=b".
const termOperators = ['!=', '==', '='] as const;

/** The first operator occurrence splits; field paths cannot contain escapes. */
function splitTerm(term: string): [string, FieldOperator, string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of termOperators) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op === '!=' ? '!=' : '=', term.slice(i + op.length)];
    }
  }
  return undefined;
}

// Go sorts the raw terms as byte strings; compare UTF-8 so non-BMP text orders the same way.
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * Parse a field selector (fields.ParseSelector). Throws SelectorParseError, e.g.
 * "invalid selector: 'x'; can't understand 'x'". Whitespace is significant, as in Kubernetes.
 */
export function parseFieldSelector(selector: string): FieldSelector {
  const reqs: FieldRequirement[] = [];
  for (const part of splitTerms(selector).sort(byBytes)) {
    if (part === '') continue;
    const t = splitTerm(part);
    if (!t) throw new SelectorParseError(`invalid selector: '${selector}'; can't understand '${part}'`);
    reqs.push({ field: t[0], operator: t[1], value: unescapeFieldValue(t[2]) });
  }
  return reqs.length ? new TermsSelector(reqs) : EVERYTHING;
}

/** ParseAndTransformSelector: parse, then rewrite each term (e.g. legacy field names). */
export function parseAndTransformFieldSelector(selector: string, fn: FieldTransform): FieldSelector {
  return parseFieldSelector(selector).transform(fn);
}
