/**
 * What server-side apply must know about an object's structure, and nothing more: how each
 * list merges (atomic, set, or map keyed by some fields), which objects are atomic, and which
 * object keys are declared fields rather than map entries (the two differ in field ownership:
 * a map entry is owned as a whole, a declared field only through its leaves).
 *
 * A Shape is a plain tree (shared sub-trees allowed, cycles allowed) so that both the built-in
 * tables (./builtin-shapes.ts, from the strategic-merge-patch schema) and CRD schemas
 * (jsonSchemaShape below) can produce it cheaply. ListTypeInfo hands out the root Shape of a
 * resource type; the SSA code takes one and never looks anything up elsewhere.
 */
import type { ResourceType } from '../../resources/types.js';

export type ListType =
  | { readonly type: 'atomic' }
  | { readonly type: 'set' }
  | {
      readonly type: 'map';
      /** x-kubernetes-list-map-keys / listMapKey, in declaration order. */
      readonly keys: readonly string[];
      /** Values used for key fields an item omits (e.g. ports' protocol "TCP"). */
      readonly defaults?: Readonly<Record<string, unknown>>;
    };

export interface Shape {
  /** How a list here merges; absent means atomic (the Kubernetes default for lists). */
  readonly list?: ListType;
  /** An object here is one leaf: x-kubernetes-map-type: atomic, +structType=atomic. */
  readonly atomic?: boolean;
  /** Declared fields of an object here. */
  readonly fields?: Readonly<Record<string, Shape>>;
  /**
   * Shape of keys that are not declared fields, which makes them map entries (labels, data,
   * additionalProperties, preserve-unknown-fields). Absent: such keys are unknown declared fields.
   */
  readonly values?: Shape;
  /** Shape of list items. */
  readonly items?: Shape;
}

/** Provides the root Shape for objects of a resource type (built-in kinds and CRDs alike). */
export interface ListTypeInfo {
  shapeFor(rt: ResourceType): Shape;
}

export const ATOMIC_LIST: ListType = Object.freeze({ type: 'atomic' });
export const SET_LIST: ListType = Object.freeze({ type: 'set' });
export const mapList = (keys: readonly string[], defaults?: Record<string, unknown>): ListType =>
  Object.freeze({ type: 'map', keys: Object.freeze([...keys]), ...(defaults ? { defaults: Object.freeze({ ...defaults }) } : {}) });

/** Nothing known: objects are structs of unknown fields, lists are atomic. */
export const UNKNOWN: Shape = Object.freeze({});

/**
 * Untyped data (x-kubernetes-preserve-unknown-fields, embedded raw JSON): as upstream's
 * "deduced" type, every key is a map entry and lists are atomic, all the way down.
 */
export const DEDUCED: Shape = (() => {
  const d: { values?: Shape; items?: Shape } = {};
  d.values = d;
  d.items = d;
  return Object.freeze(d);
})();

/** An object owned as a single leaf. */
export const ATOMIC_OBJECT: Shape = Object.freeze({ atomic: true });

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** Shape of key `key` of an object described by `s`. */
export function childShape(s: Shape, key: string): Shape {
  const f = s.fields;
  if (f !== undefined && hasOwn(f, key)) return f[key]!;
  return s.values ?? UNKNOWN;
}

/** Whether `key` of an object described by `s` is a map entry (as opposed to a declared field). */
export function isMapEntry(s: Shape, key: string): boolean {
  if (s.values === undefined) return false;
  return s.fields === undefined || !hasOwn(s.fields, key);
}

export const itemShape = (s: Shape): Shape => s.items ?? UNKNOWN;
export const listTypeOf = (s: Shape): ListType => s.list ?? ATOMIC_LIST;

// ---------------------------------------------------------------------------------------------
// OpenAPI v3 / CRD structural schemas

type Schema = Record<string, any>;
const fromSchemaCache = new WeakMap<object, Shape>();

/**
 * The Shape described by an OpenAPI v3 (CRD structural) schema: properties are declared
 * fields, additionalProperties and x-kubernetes-preserve-unknown-fields make map entries,
 * x-kubernetes-list-type / -list-map-keys / -map-type give list and object semantics, and a
 * key field's `default` becomes the key default. Memoised per schema object.
 */
export function jsonSchemaShape(schema: unknown): Shape {
  if (!schema || typeof schema !== 'object') return UNKNOWN;
  const cached = fromSchemaCache.get(schema);
  if (cached) return cached;
  const s = schema as Schema;
  // Built before recursing so recursive schemas terminate (the entry is filled in below).
  const out: { list?: ListType; atomic?: boolean; fields?: Record<string, Shape>; values?: Shape; items?: Shape } = {};
  fromSchemaCache.set(schema, out);
  if (s['x-kubernetes-map-type'] === 'atomic') out.atomic = true;
  if (s.properties && typeof s.properties === 'object') {
    out.fields = {};
    for (const [k, v] of Object.entries(s.properties as Schema)) out.fields[k] = jsonSchemaShape(v);
  }
  if (s.additionalProperties && typeof s.additionalProperties === 'object') out.values = jsonSchemaShape(s.additionalProperties);
  else if (s.additionalProperties === true || s['x-kubernetes-preserve-unknown-fields'] === true) out.values = DEDUCED;
  if (s.items && typeof s.items === 'object' && !Array.isArray(s.items)) out.items = jsonSchemaShape(s.items);
  switch (s['x-kubernetes-list-type']) {
    case 'set':
      out.list = SET_LIST;
      break;
    case 'map': {
      const keys: string[] = Array.isArray(s['x-kubernetes-list-map-keys']) ? s['x-kubernetes-list-map-keys'].filter((k: unknown) => typeof k === 'string') : [];
      if (!keys.length) break; // invalid per apiextensions validation; keep atomic
      const defaults: Record<string, unknown> = {};
      const props = (s.items as Schema | undefined)?.properties ?? {};
      for (const k of keys) if (props[k] && props[k].default !== undefined) defaults[k] = props[k].default;
      out.list = mapList(keys, Object.keys(defaults).length ? defaults : undefined);
      break;
    }
    default:
      out.list = ATOMIC_LIST;
  }
  return out;
}
