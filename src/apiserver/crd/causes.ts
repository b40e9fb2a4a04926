/**
 * Field errors the way apiextensions-apiserver words them, on top of util/validation-field's
 * field.Error clone: the few constructors it lacks (TypeInvalid, TooMany, TooLong as of 1.32),
 * Go's number formatting for schema limits, and the JSON-pointer to field-path conversion that
 * turns `/spec/items/0/name` into `spec.items[0].name`.
 */
import type { StatusCause } from '../errors.js';
import { goQuote, type FieldCause, type FieldErrorType } from '../../util/validation-field.js';

export { goQuote } from '../../util/validation-field.js';
export type { FieldCause } from '../../util/validation-field.js';

/** Go's json.Marshal of a decoded value: map keys sorted; <, > and & escaped. */
function goJSON(v: unknown): string {
  const sorted = (x: unknown): unknown =>
    Array.isArray(x) ? x.map(sorted) : x && typeof x === 'object' ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sorted((x as Record<string, unknown>)[k])])) : x;
  const s = JSON.stringify(sorted(v)) ?? 'null';
  return s.replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

export function renderValue(v: unknown): string {
  if (typeof v === 'string') return goQuote(v);
  // JSON whole numbers decode to int64 in Go and print plainly; the rest are float64.
  if (typeof v === 'number') return Number.isSafeInteger(v) ? String(v) : goFloat(v);
  if (typeof v === 'boolean') return String(v);
  return goJSON(v === undefined ? null : v);
}

function make(type: FieldErrorType, field: string, text: string, badValue: unknown, withValue: boolean, detail: string): FieldCause {
  let message = text;
  if (withValue) message += ': ' + renderValue(badValue);
  if (detail) message += ': ' + detail;
  return { field, type, message, detail, ...(badValue !== undefined ? { badValue } : {}) };
}

/** field.Invalid, field.Required... with values printed as Go's json.Marshal would (sorted keys). */
export const fieldError = {
  invalid: (field: string, value: unknown, detail: string) => make('FieldValueInvalid', field, 'Invalid value', value, true, detail),
  required: (field: string, detail = '') => make('FieldValueRequired', field, 'Required value', undefined, false, detail),
  forbidden: (field: string, detail: string) => make('FieldValueForbidden', field, 'Forbidden', undefined, false, detail),
  duplicate: (field: string, value: unknown) => make('FieldValueDuplicate', field, 'Duplicate value', value, true, ''),
  notSupported: (field: string, value: unknown, valid: readonly string[]) =>
    make('FieldValueNotSupported', field, 'Unsupported value', value, true, valid.length ? 'supported values: ' + valid.map(goQuote).join(', ') : ''),
};

export const more = {
  /** field.TypeInvalid: the schema saw the wrong JSON type (or a bad format). */
  typeInvalid: (field: string, value: unknown, detail: string) => make('FieldValueTypeInvalid', field, 'Invalid value', value, true, detail),
  tooMany: (field: string, actual: number, max: number) => make('FieldValueTooMany', field, 'Too many', actual, true, `must have at most ${max} items`),
  tooLong: (field: string, max: number) => make('FieldValueTooLong', field, 'Too long', undefined, false, `may not be more than ${max} bytes`),
  /** An Invalid without a bad value: apiextensions' "<path>: Invalid value: null: ..." has no better one. */
  invalidNull: (field: string, detail: string) => make('FieldValueInvalid', field, 'Invalid value', null, true, detail),
};

/** Go's %v of a float64 (schema limits are float64): shortest digits, exponent form outside [1e-4, 1e6). */
export function goFloat(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  if (n === 0) return '0';
  const exp = Number(n.toExponential().split('e')[1]);
  if (exp < -4 || exp >= 6) {
    const [m, e] = n.toExponential().split('e') as [string, string];
    const x = Number(e);
    return `${m}e${x < 0 ? '-' : '+'}${String(Math.abs(x)).padStart(2, '0')}`;
  }
  return String(n);
}

export function toStatusCauses(cs: readonly FieldCause[]): StatusCause[] {
  return cs.map((c) => ({ reason: c.type, message: c.message, field: c.field }));
}

/** JSON pointer (as ajv reports it) to a Kubernetes field path, reading `data` to tell indexes from keys. */
export function pointerToPath(pointer: string, data: unknown, base = ''): string {
  if (!pointer) return base;
  let path = base;
  let cur: any = data;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      path += `[${seg}]`;
      cur = cur[Number(seg)];
    } else {
      path = path ? `${path}.${seg}` : seg;
      cur = cur?.[seg];
    }
  }
  return path;
}

/** The JSON type name kube-openapi reports for a value ("integer" for whole numbers, as Go decodes them). */
export function jsonType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v === 'object' ? 'object' : typeof v;
}
