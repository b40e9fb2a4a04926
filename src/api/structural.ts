/**
 * TypeBox JSON Schema -> structural OpenAPI v3 schema, the form a CRD's openAPIV3Schema must take:
 * every node typed (except int-or-string and preserve-unknown ones), maps as additionalProperties,
 * enums instead of unions of literals, and nothing Kubernetes does not know ($id, $schema,
 * patternProperties, const). An unexpected keyword throws, so a schema that would not install as a
 * CRD fails when the CRDs are built, not when a cluster rejects them.
 */
import type { TSchema } from '@sinclair/typebox';

/** apiextensions.k8s.io/v1 JSONSchemaProps, as much of it as Flotilla emits. */
export interface OpenAPISchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  required?: string[];
  properties?: Record<string, OpenAPISchema>;
  items?: OpenAPISchema;
  additionalProperties?: OpenAPISchema;
  anyOf?: OpenAPISchema[];
  nullable?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
}

/** Keywords copied as they are. */
const COPIED = [
  'type', 'format', 'description', 'default', 'enum', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern',
  'minItems', 'maxItems', 'nullable', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type',
] as const;
/** Keywords handled below, or TypeBox's own bookkeeping that has no meaning for Kubernetes. */
const HANDLED = new Set<string>([...COPIED, 'properties', 'required', 'items', 'patternProperties', 'anyOf', 'const', '$id', '$schema']);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Converts one TypeBox schema; `path` only names the node in errors. */
export function toStructural(schema: TSchema | Json, path = '<root>'): OpenAPISchema {
  // JSON round-trip drops TypeBox's symbol keys (Kind, OptionalKind) and undefined values.
  const s = JSON.parse(JSON.stringify(schema)) as Json;
  return convert(s, path);
}

function convert(s: Json, path: string): OpenAPISchema {
  for (const k of Object.keys(s)) if (!HANDLED.has(k)) throw new Error(`${path}: keyword ${k} has no structural form`);
  const out: Json = {};
  for (const k of COPIED) if (s[k] !== undefined) out[k] = s[k];

  if (s.const !== undefined) {
    out.enum = [s.const];
    out.type ??= jsonType(s.const, path);
  }
  if (Array.isArray(s.anyOf)) Object.assign(out, convertAnyOf(s, path));
  if (isObject(s.properties)) {
    const props: Record<string, OpenAPISchema> = {};
    for (const [k, v] of Object.entries(s.properties)) props[k] = convert(v as Json, `${path}.${k}`);
    out.properties = props;
    const required = Array.isArray(s.required) ? (s.required as string[]) : [];
    if (required.length) out.required = [...required];
  }
  if (isObject(s.items)) out.items = convert(s.items, `${path}[]`);
  if (isObject(s.patternProperties)) {
    const entries = Object.entries(s.patternProperties);
    if (entries.length !== 1 || entries[0]![0] !== '^(.*)$') throw new Error(`${path}: only string-keyed maps have a structural form`);
    // A preserve-unknown map keeps everything as sent; its value schema would contradict that.
    if (!s['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = convert(entries[0]![1] as Json, `${path}{}`);
  }
  if (out['x-kubernetes-preserve-unknown-fields'] && s.type === undefined && s.properties === undefined) {
    // apiextensionsv1.JSON: any value, so no type.
    return out as OpenAPISchema;
  }
  if (out.type === undefined && !out['x-kubernetes-int-or-string']) throw new Error(`${path}: schema has no type`);
  return out as OpenAPISchema;
}

/** TypeBox unions: literal unions become enums; int|string becomes x-kubernetes-int-or-string. */
function convertAnyOf(s: Json, path: string): Json {
  const alts = s.anyOf as Json[];
  if (alts.every((a) => a.const !== undefined)) {
    const types = new Set(alts.map((a) => jsonType(a.const, path)));
    if (types.size !== 1) throw new Error(`${path}: enum mixes types`);
    return { type: [...types][0], enum: alts.map((a) => a.const) };
  }
  const shape = alts.map((a) => a.type).join('|');
  if (s['x-kubernetes-int-or-string'] && shape === 'integer|string' && alts.every((a) => Object.keys(a).length === 1)) {
    // The one anyOf Kubernetes accepts next to x-kubernetes-int-or-string.
    return { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true };
  }
  throw new Error(`${path}: union has no structural form`);
}

function jsonType(v: unknown, path: string): string {
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(v) ? 'integer' : 'number';
    default:
      throw new Error(`${path}: enum value ${JSON.stringify(v)} has no scalar type`);
  }
}
