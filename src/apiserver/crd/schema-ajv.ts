/**
 * A CRD's OpenAPI v3 schema as a JSON Schema ajv can compile, and ajv's errors worded the way
 * kube-openapi words them (`spec.replicas in body must be of type integer: "string"`).
 *
 * The translation keeps only what validates values: `nullable` widens the type, int-or-string
 * becomes ["integer","string"], OpenAPI 3.0's boolean exclusiveMinimum/Maximum become draft-07
 * numbers, formats Kubernetes does not check are dropped, and the root `metadata` keeps only its
 * name/generateName restrictions (ObjectMeta itself is validated by the registry).
 * The x-kubernetes-* list, embedded-resource and CEL rules are checked by ./rules.ts.
 */
import { Ajv, type ErrorObject } from 'ajv';
import type { JSONSchemaProps } from './types.js';
import { isObject } from './types.js';
import { fieldError, goFloat, jsonType, more, pointerToPath, type FieldCause } from './causes.js';

const uuidRe = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** The formats kube-openapi's default registry checks; any other format is annotation only. */
export const FORMATS: Record<string, RegExp | ((s: string) => boolean)> = {
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  hostname: /^(?=.{1,253}$)[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*$/,
  ipv4: /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/,
  ipv6: (s) => s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s) && isIPv6(s),
  cidr: (s) => {
    const [ip, bits, extra] = s.split('/');
    if (extra !== undefined || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
    const v4 = (FORMATS.ipv4 as RegExp).test(ip!);
    return v4 ? Number(bits) <= 32 : isIPv6(ip!) && Number(bits) <= 128;
  },
  mac: /^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$/,
  uuid: uuidRe,
  uuid3: (s) => uuidRe.test(s) && /^.{8}-?.{4}-?3/.test(s),
  uuid4: (s) => uuidRe.test(s) && /^.{8}-?.{4}-?4/.test(s),
  uuid5: (s) => uuidRe.test(s) && /^.{8}-?.{4}-?5/.test(s),
  byte: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
  date: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
  'date-time': /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/,
  datetime: /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/,
  duration: /^-?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h|d|w))+$|^0$/,
  uri: /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/,
  hexcolor: /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/,
  rgbcolor: /^rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\)$/,
  password: () => true,
};

function isIPv6(s: string): boolean {
  try {
    return new URL(`http://[${s}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

export function newAjv(): Ajv {
  // ajv's code optimizer costs more than it saves for validators compiled once per CRD generation.
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: false, logger: false, unicodeRegExp: false, code: { optimize: false } });
  for (const [name, f] of Object.entries(FORMATS)) ajv.addFormat(name, typeof f === 'function' ? { validate: f } : f);
  return ajv;
}

/** Patterns are RE2 in Kubernetes; one that JavaScript cannot compile is skipped rather than refused. */
function jsPattern(p: string): string | undefined {
  try {
    new RegExp(p);
    return p;
  } catch {
    return undefined;
  }
}

/** Translate one schema node. `resourceRoot` marks the object root, where metadata is ObjectMeta. */
export function toAjvSchema(s: JSONSchemaProps | undefined, resourceRoot = false): object {
  if (!isObject(s)) return {};
  const out: Record<string, unknown> = {};
  const types = s.type ? [s.type] : s['x-kubernetes-int-or-string'] ? ['integer', 'string'] : undefined;
  if (types) out.type = s.nullable ? [...types, 'null'] : types.length === 1 ? types[0] : types;
  if (Array.isArray(s.enum)) out.enum = s.nullable && !s.enum.includes(null) ? [...s.enum, null] : s.enum;
  if (typeof s.maximum === 'number') out[s.exclusiveMaximum ? 'exclusiveMaximum' : 'maximum'] = s.maximum;
  if (typeof s.minimum === 'number') out[s.exclusiveMinimum ? 'exclusiveMinimum' : 'minimum'] = s.minimum;
  for (const k of ['maxLength', 'minLength', 'maxItems', 'minItems', 'multipleOf', 'maxProperties', 'minProperties'] as const)
    if (typeof s[k] === 'number') out[k] = s[k];
  if (typeof s.pattern === 'string' && jsPattern(s.pattern) !== undefined) out.pattern = s.pattern;
  if (typeof s.format === 'string' && s.format in FORMATS) out.format = s.format;
  if (Array.isArray(s.required)) out.required = s.required;
  if (isObject(s.items)) out.items = toAjvSchema(s.items as JSONSchemaProps);
  if (isObject(s.properties)) {
    const props: Record<string, object> = {};
    for (const [k, v] of Object.entries(s.properties)) {
      props[k] = resourceRoot && k === 'metadata' ? metadataSchema(v) : toAjvSchema(v);
    }
    out.properties = props;
  }
  if (isObject(s.additionalProperties)) out.additionalProperties = toAjvSchema(s.additionalProperties as JSONSchemaProps);
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) if (Array.isArray(s[k])) out[k] = s[k]!.map((x) => toAjvSchema(x));
  if (isObject(s.not)) out.not = toAjvSchema(s.not);
  return out;
}

/** At the root, a schema may restrict only metadata.name and metadata.generateName. */
function metadataSchema(m: JSONSchemaProps): object {
  const props: Record<string, object> = {};
  for (const k of ['name', 'generateName']) if (isObject(m?.properties?.[k])) props[k] = toAjvSchema(m.properties![k]);
  return { type: 'object', properties: props };
}

/**
 * ajv errors as Kubernetes field errors. `base` prefixes paths (a default's location in a CRD);
 * `names` says whether messages repeat the path ("spec.x in body ...") as they do for objects.
 */
export function mapAjvErrors(errs: readonly ErrorObject[] | null | undefined, data: unknown, base = ''): FieldCause[] {
  if (!errs?.length) return [];
  // anyOf/oneOf/not report once at the junctor, as kube-openapi does; the branches' own failures are noise.
  const junctors = errs.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'not').map((e) => e.schemaPath + '/');
  const typeFailed = new Set(errs.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const out: FieldCause[] = [];
  const seen = new Set<string>();
  for (const e of errs) {
    if (junctors.some((j) => e.schemaPath.startsWith(j))) continue;
    if (e.keyword !== 'type' && typeFailed.has(e.instancePath)) continue;
    const c = mapOne(e, data, base);
    if (!c) continue;
    const k = `${c.field}\0${c.message}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(c);
    }
  }
  return out;
}

function mapOne(e: ErrorObject, data: unknown, base: string): FieldCause | undefined {
  const rel = pointerToPath(e.instancePath, data);
  const field = rel ? (base ? `${base}.${rel}` : rel) : base;
  // kube-openapi names the value by its path relative to the validated object.
  const name = (rel ? `${rel} ` : '') + 'in body';
  const v = e.data;
  const p = e.params as Record<string, any>;
  switch (e.keyword) {
    case 'type': {
      const want = Array.isArray(p.type) ? p.type.filter((t: string) => t !== 'null').join(',') : String(p.type);
      return more.typeInvalid(field, jsonType(v), `${name} must be of type ${want}: ${JSON.stringify(jsonType(v))}`);
    }
    case 'required': {
      const f = field ? `${field}.${p.missingProperty}` : String(p.missingProperty);
      return fieldError.required(f);
    }
    case 'enum':
      return fieldError.notSupported(field, v, (p.allowedValues as unknown[]).filter((x) => x !== null).map((x) => (typeof x === 'string' ? x : JSON.stringify(x))));
    case 'format':
      return more.typeInvalid(field, v, `${name} must be of type ${p.format}: ${JSON.stringify(v)}`);
    case 'maximum':
      return fieldError.invalid(field, v, `${name} should be less than or equal to ${goFloat(p.limit)}`);
    case 'exclusiveMaximum':
      return fieldError.invalid(field, v, `${name} should be less than ${goFloat(p.limit)}`);
    case 'minimum':
      return fieldError.invalid(field, v, `${name} should be greater than or equal to ${goFloat(p.limit)}`);
    case 'exclusiveMinimum':
      return fieldError.invalid(field, v, `${name} should be greater than ${goFloat(p.limit)}`);
    case 'multipleOf':
      return fieldError.invalid(field, v, `${name} should be a multiple of ${goFloat(p.multipleOf)}`);
    case 'maxLength':
      return more.tooLong(field, p.limit);
    case 'minLength':
      return fieldError.invalid(field, v, `${name} should be at least ${p.limit} chars long`);
    case 'pattern':
      return fieldError.invalid(field, v, `${name} should match '${p.pattern}'`);
    case 'maxItems':
      return more.tooMany(field, Array.isArray(v) ? v.length : 0, p.limit);
    case 'minItems':
      return fieldError.invalid(field, Array.isArray(v) ? v.length : 0, `${name} should have at least ${p.limit} items`);
    case 'maxProperties':
      return more.tooMany(field, isObject(v) ? Object.keys(v).length : 0, p.limit);
    case 'minProperties':
      return fieldError.invalid(field, isObject(v) ? Object.keys(v).length : 0, `${name} should have at least ${p.limit} properties`);
    case 'anyOf':
      return fieldError.invalid(field, v, `${name} must validate at least one schema (anyOf)`);
    case 'oneOf':
      return fieldError.invalid(field, v, `${name} must validate one and only one schema (oneOf)`);
    case 'not':
      return fieldError.invalid(field, v, `${name} must not validate the schema (not)`);
    default:
      return fieldError.invalid(field, v, `${name} ${e.message ?? 'is invalid'}`);
  }
}
