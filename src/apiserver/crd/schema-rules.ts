/**
 * What apiextensions-apiserver demands of a version's openAPIV3Schema before it accepts a CRD,
 * with its field paths and messages:
 *  - keyword rules (ValidateCustomResourceDefinitionOpenAPISchema): no $ref/definitions/
 *    patternProperties..., additionalProperties and properties exclusive, list/map type rules,
 *    no defaults in the root's metadata/apiVersion/kind;
 *  - structural invariants (schema.ValidateStructural): every node has a type unless
 *    int-or-string or preserve-unknown-fields, value validations (allOf/anyOf/oneOf/not) carry no
 *    types, defaults or extensions and name only fields the structural part declares, root
 *    metadata restricts name/generateName only;
 *  - defaults: each must validate against its schema and be pruned already.
 */
import type { ErrorObject } from 'ajv';
import type { JSONSchemaProps } from './types.js';
import { isObject } from './types.js';
import { fieldError, type FieldCause } from './causes.js';
import { mapAjvErrors, newAjv, toAjvSchema } from './schema-ajv.js';
import { checkRules } from './rules.js';
import { prune } from './prune.js';

type Level = 'root' | 'item' | 'field';
const TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const META_FIELDS = new Set(['metadata', 'kind', 'apiVersion']);
const ROOT_WITH_STATUS = [
  'description', 'type', 'format', 'title', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength',
  'pattern', 'maxItems', 'minItems', 'uniqueItems', 'multipleOf', 'required', 'items', 'properties', 'externalDocs', 'example',
  'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-validations',
];
const ROOT_WITH_STATUS_GO = '[Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties ExternalDocs Example XPreserveUnknownFields XValidations]';

/** Every keyword of apiextensions/v1 JSONSchemaProps; anything else is an unknown field. */
export const SCHEMA_KEYWORDS: ReadonlySet<string> = new Set([
  'id', '$schema', '$ref', 'description', 'type', 'format', 'title', 'default', 'maximum', 'exclusiveMaximum', 'minimum',
  'exclusiveMinimum', 'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'multipleOf', 'enum',
  'maxProperties', 'minProperties', 'required', 'items', 'allOf', 'oneOf', 'anyOf', 'not', 'properties', 'additionalProperties',
  'patternProperties', 'dependencies', 'additionalItems', 'definitions', 'externalDocs', 'example', 'nullable',
  'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource', 'x-kubernetes-int-or-string',
  'x-kubernetes-list-map-keys', 'x-kubernetes-list-type', 'x-kubernetes-map-type', 'x-kubernetes-validations',
]);

const props = (p: string, k: string) => `${p}.properties[${k}]`;
const isZero = (v: unknown) =>
  v === undefined || v === false || v === '' || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
const itemsObj = (s: JSONSchemaProps) => (isObject(s.items) ? (s.items as JSONSchemaProps) : undefined);

/** Child schemas with their paths: properties, items, additionalProperties and the junctors. */
function* children(s: JSONSchemaProps, p: string, junctors: boolean): Generator<[JSONSchemaProps, string, Level | 'junctor']> {
  if (isObject(s.properties)) for (const [k, v] of Object.entries(s.properties)) if (isObject(v)) yield [v, props(p, k), 'field'];
  if (isObject(s.items)) yield [s.items as JSONSchemaProps, `${p}.items`, 'item'];
  if (isObject(s.additionalProperties)) yield [s.additionalProperties as JSONSchemaProps, `${p}.additionalProperties`, 'field'];
  if (!junctors) return;
  for (const j of ['allOf', 'anyOf', 'oneOf'] as const)
    if (Array.isArray(s[j])) for (const [i, v] of s[j]!.entries()) if (isObject(v)) yield [v, `${p}.${j}[${i}]`, 'junctor'];
  if (isObject(s.not)) yield [s.not, `${p}.not`, 'junctor'];
}

/** Paths of schema keywords apiextensions does not know (a strict decoder refuses them). */
export function unknownSchemaKeywords(s: unknown, p: string, out: string[] = []): string[] {
  if (!isObject(s)) return out;
  for (const k of Object.keys(s)) if (!SCHEMA_KEYWORDS.has(k)) out.push(`${p}.${k}`);
  for (const [c, cp] of children(s, p, true)) unknownSchemaKeywords(c, cp, out);
  if (Array.isArray(s.items)) s.items.forEach((c, i) => unknownSchemaKeywords(c, `${p}.items[${i}]`, out));
  return out;
}

/** Drop unknown keywords in place, as decoding into JSONSchemaProps does. */
export function stripUnknownSchemaKeywords(s: unknown): void {
  if (!isObject(s)) return;
  for (const k of Object.keys(s)) if (!SCHEMA_KEYWORDS.has(k)) delete s[k];
  for (const [c] of children(s, '', true)) stripUnknownSchemaKeywords(c);
}

/**
 * All rules for `spec.versions[i].schema`. `path` is that schema's path; the result is sorted
 * the way Kubernetes sorts structural errors, after the keyword errors.
 */
export function validateVersionSchema(schema: unknown, path: string, statusEnabled: boolean): FieldCause[] {
  const p = `${path}.openAPIV3Schema`;
  const s = isObject(schema) ? schema.openAPIV3Schema : undefined;
  if (!isObject(s)) return [fieldError.required(p, 'schemas are required')];
  const out: FieldCause[] = [];
  if (statusEnabled) {
    if (s.type !== undefined && s.type !== 'object')
      out.push(fieldError.invalid(`${p}.type`, s.type, 'only "object" is allowed as the type at the root of the schema if the status subresource is enabled'));
    // Go compares struct fields with their zero value: only false and "" count as unset here.
    const bad = Object.keys(s).find((k) => !ROOT_WITH_STATUS.includes(k) && s[k] !== undefined && s[k] !== false && s[k] !== '');
    if (bad) out.push(fieldError.invalid(p, bad, `only ${ROOT_WITH_STATUS_GO} fields are allowed at the root of the schema if the status subresource is enabled`));
  }
  if (s.nullable === true) out.push(fieldError.forbidden(`${p}.nullable`, 'nullable cannot be true at the root'));
  // Wrongly-typed keywords would fail decoding in Kubernetes; nothing else is meaningful then.
  const badShapes = shapes(s, p);
  if (badShapes.length) return [...out, ...badShapes];
  keywords(s, p, { allowDefaults: true, insideMeta: false }, true, out);
  const structural: FieldCause[] = [];
  invariants(s, 'root', p, structural);
  completeness(s, p, structural);
  structural.sort((a, b) => (`${a.field}: ${a.message}` < `${b.field}: ${b.message}` ? -1 : 1));
  if (structural.length) return [...out, ...structural];
  return validateDefaults(s, p, out);
}

interface Ctx {
  allowDefaults: boolean;
  reason?: string;
  insideMeta: boolean;
}
const noDefaults = (c: Ctx, reason: string): Ctx => ({ ...c, allowDefaults: false, reason });

function shapes(s: JSONSchemaProps, p: string, out: FieldCause[] = []): FieldCause[] {
  shape(s, p, out);
  if (out.length) return out;
  for (const [c, cp] of children(s, p, true)) shapes(c, cp, out);
  return out;
}

function shape(s: JSONSchemaProps, p: string, out: FieldCause[]): void {
  const want = (k: string, ok: boolean, what: string) => {
    if (s[k] !== undefined && !ok) out.push(fieldError.invalid(`${p}.${k}`, s[k], `must be ${what}`));
  };
  want('type', typeof s.type === 'string', 'a string');
  want('properties', isObject(s.properties) && Object.values(s.properties).every(isObject), 'a map of schemas');
  want('required', Array.isArray(s.required) && s.required.every((x) => typeof x === 'string'), 'a list of strings');
  want('enum', Array.isArray(s.enum), 'a list');
  want('pattern', typeof s.pattern === 'string', 'a string');
  want('format', typeof s.format === 'string', 'a string');
  want('not', isObject(s.not), 'a schema');
  want('additionalProperties', typeof s.additionalProperties === 'boolean' || isObject(s.additionalProperties), 'a boolean or a schema');
  for (const k of ['maximum', 'minimum', 'maxLength', 'minLength', 'maxItems', 'minItems', 'multipleOf', 'maxProperties', 'minProperties'])
    want(k, typeof s[k] === 'number', 'a number');
  for (const k of ['nullable', 'uniqueItems', 'exclusiveMaximum', 'exclusiveMinimum', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource', 'x-kubernetes-int-or-string'])
    want(k, typeof s[k] === 'boolean', 'a boolean');
  for (const k of ['allOf', 'anyOf', 'oneOf']) want(k, Array.isArray(s[k]) && (s[k] as unknown[]).every(isObject), 'a list of schemas');
  want('x-kubernetes-list-map-keys', Array.isArray(s['x-kubernetes-list-map-keys']) && s['x-kubernetes-list-map-keys'].every((x) => typeof x === 'string'), 'a list of strings');
  want('x-kubernetes-validations', Array.isArray(s['x-kubernetes-validations']) && s['x-kubernetes-validations'].every(isObject), 'a list of rules');
}

/** ValidateCustomResourceDefinitionOpenAPISchema and specStandardValidatorV3.validate. */
function keywords(s: JSONSchemaProps, p: string, ctx: Ctx, isRoot: boolean, out: FieldCause[]): void {
  if (typeof s.type === 'string' && s.type !== '' && !TYPES.includes(s.type)) out.push(fieldError.notSupported(`${p}.type`, s.type, TYPES));
  if (s.default !== undefined && !ctx.allowDefaults) out.push(fieldError.forbidden(`${p}.default`, 'must not be set' + (ctx.reason ? ` ${ctx.reason}` : '')));
  for (const [k, what] of [['id', 'id'], ['additionalItems', 'additionalItems'], ['patternProperties', 'patternProperties'], ['definitions', 'definitions'], ['dependencies', 'dependencies'], ['$ref', '$ref']])
    if (s[k!] !== undefined) out.push(fieldError.forbidden(`${p}.${k}`, `${what} is not supported`));
  if (s.type === 'null') out.push(fieldError.forbidden(`${p}.type`, 'type cannot be set to null, use nullable as an alternative'));
  if (Array.isArray(s.items)) out.push(fieldError.forbidden(`${p}.items`, 'items must be a schema object and not an array'));
  if (ctx.insideMeta && s['x-kubernetes-embedded-resource']) out.push(fieldError.forbidden(`${p}.x-kubernetes-embedded-resource`, 'must not be used inside of resource meta'));
  if (s.uniqueItems === true) out.push(fieldError.forbidden(`${p}.uniqueItems`, 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  const hasProps = isObject(s.properties) && Object.keys(s.properties).length > 0;
  if (s.additionalProperties !== undefined) {
    if (hasProps && (s.additionalProperties === false || isObject(s.additionalProperties)))
      out.push(fieldError.forbidden(`${p}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'));
    if (isObject(s.additionalProperties))
      keywords(s.additionalProperties as JSONSchemaProps, `${p}.additionalProperties`, ctx.insideMeta ? noDefaults(ctx, 'inside additionalProperties applying to object metadata') : ctx, false, out);
  }
  if (isObject(s.properties))
    for (const [k, v] of Object.entries(s.properties)) {
      if (!isObject(v)) continue;
      let sub = ctx;
      if ((isRoot || s['x-kubernetes-embedded-resource']) && META_FIELDS.has(k)) {
        sub = { ...ctx, insideMeta: true };
        if (isRoot) sub = noDefaults(sub, `in top-level ${k}`);
      }
      keywords(v, props(p, k), sub, false, out);
    }
  if (isObject(s.not)) keywords(s.not, `${p}.not`, ctx, false, out);
  for (const j of ['allOf', 'oneOf', 'anyOf'] as const)
    if (Array.isArray(s[j])) s[j]!.forEach((v, i) => isObject(v) && keywords(v, `${p}.${j}[${i}]`, ctx, false, out));
  if (isObject(s.items)) keywords(s.items as JSONSchemaProps, `${p}.items`, ctx, false, out);
  if (s['x-kubernetes-preserve-unknown-fields'] === false)
    out.push(fieldError.invalid(`${p}.x-kubernetes-preserve-unknown-fields`, false, 'must be true or undefined'));
  listAndMapTypes(s, p, out);
  validationRules(s, p, out);
}

function listAndMapTypes(s: JSONSchemaProps, p: string, out: FieldCause[]): void {
  const mapType = s['x-kubernetes-map-type'];
  if (mapType !== undefined) {
    if (s.type !== 'object')
      out.push(s.type ? fieldError.invalid(`${p}.type`, s.type, 'must be object if x-kubernetes-map-type is specified') : fieldError.required(`${p}.type`, 'must be object if x-kubernetes-map-type is specified'));
    if (mapType !== 'atomic' && mapType !== 'granular') out.push(fieldError.notSupported(`${p}.x-kubernetes-map-type`, mapType, ['atomic', 'granular']));
  }
  const listType = s['x-kubernetes-list-type'];
  const items = itemsObj(s);
  if (listType !== undefined && s.type !== 'array') {
    out.push(s.type ? fieldError.invalid(`${p}.type`, s.type, 'must be array if x-kubernetes-list-type is specified') : fieldError.required(`${p}.type`, 'must be array if x-kubernetes-list-type is specified'));
  } else if (listType === 'set' && items) {
    if (items.type === 'array' && items['x-kubernetes-list-type'] !== undefined && items['x-kubernetes-list-type'] !== 'atomic')
      out.push(fieldError.invalid(`${p}.items.x-kubernetes-list-type`, items['x-kubernetes-list-type'], 'must be atomic as item of a list with x-kubernetes-list-type=set'));
    if (items.type === 'object' && items['x-kubernetes-map-type'] !== 'atomic')
      out.push(fieldError.invalid(`${p}.items.x-kubernetes-map-type`, listType, 'must be atomic as item of a list with x-kubernetes-list-type=set'));
  }
  if (listType !== undefined && !['atomic', 'set', 'map'].includes(listType)) out.push(fieldError.notSupported(`${p}.x-kubernetes-list-type`, listType, ['atomic', 'set', 'map']));
  const keys = s['x-kubernetes-list-map-keys'] ?? [];
  if (keys.length > 0) {
    if (listType === undefined) out.push(fieldError.required(`${p}.x-kubernetes-list-type`, 'must be map if x-kubernetes-list-map-keys is non-empty'));
    else if (listType !== 'map') out.push(fieldError.invalid(`${p}.x-kubernetes-list-type`, listType, 'must be map if x-kubernetes-list-map-keys is non-empty'));
  }
  if (listType === 'map') {
    if (keys.length === 0) out.push(fieldError.required(`${p}.x-kubernetes-list-map-keys`, 'must not be empty if x-kubernetes-list-type is map'));
    if (s.items === undefined) out.push(fieldError.required(`${p}.items`, 'must have a schema if x-kubernetes-list-type is map'));
    else if (!items) out.push(fieldError.invalid(`${p}.items`, s.items, 'must only have a single schema if x-kubernetes-list-type is map'));
    else if (items.type !== 'object') out.push(fieldError.invalid(`${p}.items.type`, items.type ?? '', "must be object if parent array's x-kubernetes-list-type is map"));
    else {
      const seen = new Set<string>();
      for (const k of keys) {
        const ks = items.properties?.[k];
        if (!ks) out.push(fieldError.invalid(`${p}.x-kubernetes-list-map-keys`, keys, 'entries must all be names of item properties'));
        else if (ks.type === 'array' || ks.type === 'object')
          out.push(fieldError.invalid(`${props(`${p}.items`, k)}.type`, items.type, "must be a scalar type if parent array's x-kubernetes-list-type is map"));
        if (seen.has(k)) out.push(fieldError.invalid(`${p}.x-kubernetes-list-map-keys`, keys, 'must not contain duplicate entries'));
        seen.add(k);
      }
    }
  }
  // validateMapListKeysMapSet
  if (items && (listType === 'set' || listType === 'map')) {
    if (items.nullable) out.push(fieldError.forbidden(`${p}.items.nullable`, `cannot be nullable when x-kubernetes-list-type is ${listType}`));
    if (listType === 'map')
      for (const k of keys) {
        const ks = items.properties?.[k];
        if (!ks) continue;
        if (!(items.required ?? []).includes(k) && ks.default === undefined)
          out.push(fieldError.required(`${props(`${p}.items`, k)}.default`, 'this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property'));
        if (ks.nullable) out.push(fieldError.forbidden(`${props(`${p}.items`, k)}.nullable`, 'this property is in x-kubernetes-list-map-keys, so it cannot be nullable'));
      }
  }
}

const RULE_REASONS = ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'];

function validationRules(s: JSONSchemaProps, p: string, out: FieldCause[]): void {
  const rules = s['x-kubernetes-validations'];
  if (!Array.isArray(rules)) return;
  rules.forEach((r, i) => {
    const rp = `${p}.x-kubernetes-validations[${i}]`;
    const rule = typeof r.rule === 'string' ? r.rule.trim() : '';
    const msg = typeof r.message === 'string' ? r.message.trim() : '';
    if (!rule) out.push(fieldError.required(`${rp}.rule`, 'rule is not specified'));
    else if (r.message !== undefined && r.message !== '' && !msg) out.push(fieldError.invalid(`${rp}.message`, r.message, 'message must be non-empty if specified'));
    else if (/[\n\r]/.test(msg)) out.push(fieldError.invalid(`${rp}.message`, r.message, 'message must not contain line breaks'));
    else if (/[\n\r]/.test(rule) && !msg) out.push(fieldError.required(`${rp}.message`, 'message must be specified if rule contains line breaks'));
    if (r.reason !== undefined && !RULE_REASONS.includes(r.reason)) out.push(fieldError.notSupported(`${rp}.reason`, r.reason, RULE_REASONS));
  });
}

const INT_OR_STRING = JSON.stringify([{ type: 'integer' }, { type: 'string' }]);
const isIntOrStringAnyOf = (s: JSONSchemaProps | undefined) => !!s && Array.isArray(s.anyOf) && JSON.stringify(s.anyOf) === INT_OR_STRING;

/** schema.validateStructuralInvariants. */
function invariants(s: JSONSchemaProps, lvl: Level, p: string, out: FieldCause[]): void {
  if (s.type === 'array' && s.items === undefined) out.push(fieldError.required(`${p}.items`, 'must be specified'));
  for (const [c, cp, l] of children(s, p, false)) if (l !== 'junctor') invariants(c, l, cp, out);
  if (s.additionalProperties !== undefined && lvl === 'root') out.push(fieldError.forbidden(`${p}.additionalProperties`, 'must not be used at the root'));
  const ios = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  if (ios && preserve) out.push(fieldError.invalid(`${p}.x-kubernetes-preserve-unknown-fields`, true, 'must be false if x-kubernetes-int-or-string is true'));
  if (ios && embedded) out.push(fieldError.invalid(`${p}.x-kubernetes-embedded-resource`, true, 'must be false if x-kubernetes-int-or-string is true'));
  valueValidation(s, isIntOrStringAnyOf(s), isIntOrStringAnyOf(s.allOf?.[0]), lvl, p, out);
  if (embedded && s.type !== 'object') {
    const msg = 'must be object if x-kubernetes-embedded-resource is true';
    out.push(s.type ? fieldError.invalid(`${p}.type`, s.type, msg) : fieldError.required(`${p}.type`, msg));
  } else if (!s.type && !ios && !preserve) {
    const msg = lvl === 'root' ? 'must not be empty at the root' : lvl === 'item' ? 'must not be empty for specified array items' : 'must not be empty for specified object fields';
    out.push(fieldError.required(`${p}.type`, msg));
  }
  if (embedded && s.additionalProperties !== undefined) out.push(fieldError.forbidden(`${p}.additionalProperties`, 'must not be used if x-kubernetes-embedded-resource is set'));
  if (lvl === 'root' && s.type && s.type !== 'object') out.push(fieldError.invalid(`${p}.type`, s.type, 'must be object at the root'));
  if (lvl === 'root' || embedded) {
    const pr = s.properties ?? {};
    for (const k of ['kind', 'apiVersion'])
      if (pr[k] && pr[k]!.type !== 'string') out.push(fieldError.invalid(`${props(p, k)}.type`, pr[k]!.type ?? '', 'must be string'));
    if (pr.metadata && pr.metadata.type !== 'object') out.push(fieldError.invalid(`${props(p, 'metadata')}.type`, pr.metadata.type ?? '', 'must be object'));
  }
  if (lvl === 'root' && s.properties?.metadata) rootMetadata(s.properties.metadata, props(p, 'metadata'), out);
  if (embedded && !preserve && !(isObject(s.properties) && Object.keys(s.properties).length))
    out.push(fieldError.required(`${p}.properties`, 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'));
}

/** The root's metadata may only restrict name and generateName (descriptions are tolerated). */
function rootMetadata(m: JSONSchemaProps, p: string, out: FieldCause[]): void {
  const rest: Record<string, unknown> = { ...m };
  for (const k of ['type', 'default', 'description', 'title']) delete rest[k];
  const names = Object.keys(m.properties ?? {});
  if (names.length > 0 && names.every((n) => n === 'name' || n === 'generateName')) delete rest.properties;
  if (Object.values(rest).some((v) => !isZero(v)))
    out.push(fieldError.forbidden(p, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
}

function valueValidation(s: JSONSchemaProps, skipAnyOf: boolean, skipFirstAllOfAnyOf: boolean, lvl: Level, p: string, out: FieldCause[]): void {
  if (!skipAnyOf) s.anyOf?.forEach((v, i) => nested(v, false, false, lvl, `${p}.anyOf[${i}]`, out));
  s.allOf?.forEach((v, i) => nested(v, skipFirstAllOfAnyOf && i === 0, false, lvl, `${p}.allOf[${i}]`, out));
  s.oneOf?.forEach((v, i) => nested(v, false, false, lvl, `${p}.oneOf[${i}]`, out));
  if (isObject(s.not)) nested(s.not, false, false, lvl, `${p}.not`, out);
}

/** Inside allOf/anyOf/oneOf/not only value validations are allowed. */
function nested(v: JSONSchemaProps, skipAnyOf: boolean, skipAllOfAnyOf: boolean, lvl: Level, p: string, out: FieldCause[]): void {
  if (!isObject(v)) return;
  valueValidation(v, skipAnyOf, skipAllOfAnyOf, lvl, p, out);
  if (isObject(v.items)) nested(v.items as JSONSchemaProps, false, false, lvl, `${p}.items`, out);
  for (const [k, c] of Object.entries(v.properties ?? {})) nested(c, false, false, 'field', props(p, k), out);
  const forbid = (k: string, msg: string) => out.push(fieldError.forbidden(`${p}.${k}`, msg));
  if (v.type) forbid('type', 'must be empty to be structural');
  if (v.additionalProperties !== undefined) forbid('additionalProperties', 'must be undefined to be structural');
  if (v.default !== undefined) forbid('default', 'must be undefined to be structural');
  if (v.title) forbid('title', 'must be empty to be structural');
  if (v.description) forbid('description', 'must be empty to be structural');
  if (v.nullable) forbid('nullable', 'must be false to be structural');
  for (const x of ['x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource', 'x-kubernetes-int-or-string'])
    if (v[x]) forbid(x, 'must be false to be structural');
  if (v['x-kubernetes-list-map-keys']?.length) forbid('x-kubernetes-list-map-keys', 'must be empty to be structural');
  if (v['x-kubernetes-list-type'] !== undefined) forbid('x-kubernetes-list-type', 'must be undefined to be structural');
  if (v.properties?.metadata) out.push(fieldError.forbidden(props(p, 'metadata'), 'must not be specified in a nested context'));
}

/** schema.validateStructuralCompleteness: value validations may only name declared fields. */
function completeness(s: JSONSchemaProps, p: string, out: FieldCause[]): void {
  junctorCompleteness(s, s, p, p, out);
  for (const [c, cp, l] of children(s, p, false)) if (l !== 'junctor') completeness(c, cp, out);
}

function junctorCompleteness(v: JSONSchemaProps, s: JSONSchemaProps, sp: string, vp: string, out: FieldCause[]): void {
  if (isObject(v.not)) nestedCompleteness(v.not, s, sp, `${vp}.not`, out);
  for (const j of ['allOf', 'anyOf', 'oneOf'] as const) v[j]?.forEach((x, i) => nestedCompleteness(x, s, sp, `${vp}.${j}[${i}]`, out));
}

function nestedCompleteness(v: JSONSchemaProps, s: JSONSchemaProps | undefined, sp: string, vp: string, out: FieldCause[]): void {
  if (!isObject(v)) return;
  if (!s) {
    out.push(fieldError.required(sp, `because it is defined in ${vp}`));
    return;
  }
  junctorCompleteness(v, s, sp, vp, out);
  if (isObject(v.items)) nestedCompleteness(v.items as JSONSchemaProps, itemsObj(s), `${sp}.items`, `${vp}.items`, out);
  for (const [k, c] of Object.entries(v.properties ?? {})) {
    const target = s.properties?.[k] ?? (isObject(s.additionalProperties) ? (s.additionalProperties as JSONSchemaProps) : undefined);
    if (!target) out.push(fieldError.required(props(sp, k), `because it is defined in ${props(vp, k)}`));
    else nestedCompleteness(c, target, props(sp, k), props(vp, k), out);
  }
}

function collectDefaults(s: JSONSchemaProps, p: string, out: { node: JSONSchemaProps; path: string }[] = []) {
  if (s.default !== undefined) out.push({ node: s, path: p });
  for (const [c, cp, l] of children(s, p, false)) if (l !== 'junctor') collectDefaults(c, cp, out);
  return out;
}

/**
 * structuraldefaulting.ValidateDefaults: each default validates against its own schema and is
 * already pruned. All defaults of a version are checked with one ajv compile (as properties
 * d0, d1... of a synthetic object), which keeps big CRDs cheap to admit.
 */
function validateDefaults(s: JSONSchemaProps, p: string, out: FieldCause[]): FieldCause[] {
  const entries = collectDefaults(s, p);
  if (!entries.length) return out;
  const data: Record<string, unknown> = {};
  const props: Record<string, object> = {};
  entries.forEach((e, i) => {
    if (prune(structuredClone(e.node.default), e.node, { resourceRoot: e.node['x-kubernetes-embedded-resource'] === true }).length)
      out.push(fieldError.invalid(`${e.path}.default`, e.node.default, 'must not have unknown fields'));
    data[`d${i}`] = structuredClone(e.node.default);
    props[`d${i}`] = toAjvSchema(e.node);
  });
  let errs: ErrorObject[];
  try {
    const fn = newAjv().compile({ type: 'object', properties: props });
    fn(data);
    errs = fn.errors ?? [];
  } catch (e) {
    return [...out, fieldError.invalid(p, '', `error building validator: ${(e as Error).message}`)];
  }
  const rules = { skipped: new Set<string>(), compiled: new Map() };
  entries.forEach((e, i) => {
    const at = `/d${i}`;
    const mine = errs
      .filter((x) => x.instancePath === at || x.instancePath.startsWith(`${at}/`))
      .map((x) => ({ ...x, instancePath: x.instancePath.slice(at.length) }));
    const base = `${e.path}.default`;
    out.push(...mapAjvErrors(mine, data[`d${i}`], base));
    out.push(...checkRules(e.node, data[`d${i}`], undefined, base, { ...rules, cel: mine.length === 0 }));
  });
  return out;
}
