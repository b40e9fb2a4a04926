/**
 * One label requirement (key, operator, values), as k8s.io/apimachinery/pkg/labels.Requirement.
 * newRequirement validates; the Requirement constructor trusts its input, for callers that have
 * already validated (SelectorFromValidatedSet in Go).
 */
import { SelectorParseError } from './errors.js';
import { isQualifiedName, isValidLabelValue } from '../util/validation.js';
import { aggregateMessage, fieldError, fieldPath, formatFieldCause, type FieldCause } from '../util/validation-field.js';

/** selection.Operator string values, which are also what String() prints for in/notin. */
export const Op = {
  In: 'in',
  NotIn: 'notin',
  Equals: '=',
  DoubleEquals: '==',
  NotEquals: '!=',
  Exists: 'exists',
  DoesNotExist: '!',
  GreaterThan: 'gt',
  LessThan: 'lt',
} as const;
export type Operator = (typeof Op)[keyof typeof Op];

// The order Kubernetes lists them in "supported values" (binary then unary).
const validOperators: readonly Operator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt', 'exists', '!'];

export type Labels = Readonly<Record<string, string>>;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64): optional sign, decimal digits, int64 range; undefined if invalid. */
export function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

const has = (ls: Labels | undefined, k: string): ls is Labels => ls != null && Object.hasOwn(ls, k);

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export class Requirement {
  readonly values: readonly string[];
  constructor(
    readonly key: string,
    readonly operator: Operator,
    values: readonly string[],
  ) {
    this.values = Object.freeze([...values]);
  }

  /**
   * In/=/==: key present with a listed value. NotIn/!=: key absent or value not listed.
   * Gt/Lt: key present and both sides parse as int64. Anything else (an invalid requirement)
   * matches nothing.
   */
  matches(ls: Labels | undefined): boolean {
    switch (this.operator) {
      case 'in':
      case '=':
      case '==':
        return has(ls, this.key) && this.values.includes(ls[this.key]!);
      case 'notin':
      case '!=':
        return !has(ls, this.key) || !this.values.includes(ls[this.key]!);
      case 'exists':
        return has(ls, this.key);
      case '!':
        return !has(ls, this.key);
      case 'gt':
      case 'lt': {
        if (!has(ls, this.key) || this.values.length !== 1) return false;
        const actual = parseInt64(ls[this.key]!);
        const bound = parseInt64(this.values[0]!);
        if (actual === undefined || bound === undefined) return false;
        return this.operator === 'gt' ? actual > bound : actual < bound;
      }
      default:
        return false;
    }
  }

  /** Canonical text: "k=v", "k in (a,b)" with values sorted, "!k", "k>5". */
  toString(): string {
    const k = this.key;
    const vals = () => (this.values.length === 1 ? this.values[0]! : [...this.values].sort(byString).join(','));
    switch (this.operator) {
      case '!': return '!' + k;
      case 'exists': return k;
      case 'in': return `${k} in (${vals()})`;
      case 'notin': return `${k} notin (${vals()})`;
      case 'gt': return `${k}>${vals()}`;
      case 'lt': return `${k}<${vals()}`;
      default: return `${k}${this.operator}${vals()}`;
    }
  }

  equals(o: Requirement): boolean {
    return this.key === o.key && this.operator === o.operator && this.values.length === o.values.length && this.values.every((v, i) => v === o.values[i]);
  }
}

/**
 * The field errors NewRequirement would report. `path` prefixes field names ("" means none, so
 * the fields read "key", "values[0][k]", like Go with no PathOption).
 */
export function requirementErrors(key: string, op: string, values: readonly string[] | null | undefined, path = ''): FieldCause[] {
  const errs: FieldCause[] = [];
  const vals = values ?? [];
  // Error values print as JSON, where Go distinguishes a nil slice (null) from an empty one ([]).
  const shownVals = values == null ? null : [...values];
  const keyMsgs = isQualifiedName(key);
  if (keyMsgs.length) errs.push(fieldError.invalid(fieldPath.child(path, 'key'), key, keyMsgs.join('; ')));
  const valuesPath = fieldPath.child(path, 'values');
  switch (op) {
    case 'in':
    case 'notin':
      if (vals.length === 0) errs.push(fieldError.invalid(valuesPath, shownVals, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (vals.length !== 1) errs.push(fieldError.invalid(valuesPath, shownVals, 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (vals.length !== 0) errs.push(fieldError.invalid(valuesPath, shownVals, 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (vals.length !== 1) errs.push(fieldError.invalid(valuesPath, shownVals, "for 'Gt', 'Lt' operators, exactly one value is required"));
      vals.forEach((v, i) => {
        if (parseInt64(v) === undefined) errs.push(fieldError.invalid(fieldPath.index(valuesPath, i), v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
    default:
      errs.push(fieldError.notSupported(fieldPath.child(path, 'operator'), op, validOperators));
  }
  vals.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length) errs.push(fieldError.invalid(fieldPath.key(fieldPath.index(valuesPath, i), key), v, msgs.join('; ')));
  });
  return errs;
}

/** NewRequirement: validates and throws SelectorParseError with the aggregated field errors. */
export function newRequirement(key: string, op: string, values: readonly string[] | null | undefined = [], path = ''): Requirement {
  const errs = requirementErrors(key, op, values, path);
  if (errs.length) throw new SelectorParseError(aggregateMessage(errs.map(formatFieldCause)), errs);
  return new Requirement(key, op as Operator, values ?? []);
}

/** Sort by key, keeping the given order among equal keys. */
export function sortByKey(reqs: readonly Requirement[]): Requirement[] {
  return [...reqs].sort((a, b) => byString(a.key, b.key));
}
