/**
 * Validation results shaped like Kubernetes' StatusCause: `field` is the path, `reason` the cause
 * type (FieldValueInvalid, FieldValueRequired, ...) and `message` the text a real API server puts
 * there ("Invalid value: \"x\": detail"). The constructors reuse src/util's field errors so values
 * are rendered exactly as apimachinery renders them.
 */
import { Kind } from '@sinclair/typebox';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { fieldError } from '../util/validation.js';
import type { FieldCause, FieldErrorType } from '../util/validation.js';

export interface ValidationCause {
  field: string;
  reason: FieldErrorType;
  message: string;
}

export const fromFieldCause = (c: FieldCause): ValidationCause => ({ field: c.field, reason: c.type, message: c.message });
export const fromFieldCauses = (cs: readonly FieldCause[]): ValidationCause[] => cs.map(fromFieldCause);

/** Constructors named after apimachinery's field.Invalid, field.Required, ... */
export const cause = {
  invalid: (field: string, value: unknown, detail: string) => fromFieldCause(fieldError.invalid(field, value, detail)),
  required: (field: string, detail = '') => fromFieldCause(fieldError.required(field, detail)),
  forbidden: (field: string, detail: string) => fromFieldCause(fieldError.forbidden(field, detail)),
  duplicate: (field: string, value: unknown) => fromFieldCause(fieldError.duplicate(field, value)),
  notSupported: (field: string, value: unknown, valid: readonly string[]) => fromFieldCause(fieldError.notSupported(field, value, valid)),
};

/** `a.b[0].c` from a JSON pointer `/a/b/0/c`. */
export function pointerToFieldPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    out += /^\d+$/.test(seg) ? `[${seg}]` : out ? `.${seg}` : seg;
  }
  return out;
}

/**
 * What the schema alone rejects, as causes (in-process callers; the API server applies the CRD
 * schema itself). Missing properties are Required, enum misses NotSupported, the rest Invalid.
 */
export function schemaCauses(schema: TSchema, value: unknown): ValidationCause[] {
  const out: ValidationCause[] = [];
  for (const e of Value.Errors(schema, value)) {
    const field = pointerToFieldPath(e.path);
    if (e.value === undefined) out.push(cause.required(field));
    else if (e.schema[Kind] === 'Union' && Array.isArray(e.schema.anyOf) && e.schema.anyOf.every((a: TSchema) => a.const !== undefined))
      out.push(cause.notSupported(field, e.value, e.schema.anyOf.map((a: TSchema) => String(a.const))));
    else out.push(cause.invalid(field, e.value, e.message));
  }
  return out;
}
