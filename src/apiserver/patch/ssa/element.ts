/**
 * Path elements of field paths, kept in their FieldsV1 spelling because that is both the
 * stored form and a cheap, canonical map key:
 *
 *   f:<name>           an object field
 *   k:{"name":"web"}   a map-list item, by its key fields (JSON, fields sorted by name)
 *   v:"x"              a set-list item, by its value (JSON)
 *   i:3                an item by index (only ever decoded: granular lists here are keyed)
 *
 * Also: printing for conflict messages (`.spec`, `[name="web"]`, `[="x"]`, `[3]`) and the
 * ordering upstream uses when it serialises a set (fields, then keys, values, indexes).
 */
import type { ListType } from './shape.js';

export type PathElement = string;
export type Path = readonly PathElement[];

/** A list item that cannot be given a path element (no key, null item, nested list in a set). */
export class ElementError extends Error {
  override readonly name = 'ElementError';
}

export const fieldElement = (name: string): PathElement => 'f:' + name;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON with object keys sorted, so equal values always encode the same way. */
export function canonicalJSON(v: unknown): string {
  if (typeof v !== 'object' || v === null) return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return '[' + v.map(canonicalJSON).join(',') + ']';
  if (isPlainObject(v)) {
    const keys = Object.keys(v).sort(compareStrings);
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJSON(v[k])).join(',') + '}';
  }
  return JSON.stringify(v) ?? 'null';
}

const sortedKeyCache = new WeakMap<object, readonly string[]>();
/** Key fields in name order: upstream sorts them before encoding the element. */
function sortedKeys(list: ListType & { type: 'map' }): readonly string[] {
  if (list.keys.length < 2) return list.keys;
  let k = sortedKeyCache.get(list);
  if (!k) sortedKeyCache.set(list, (k = [...list.keys].sort(compareStrings)));
  return k;
}

/** The path element of one item of a set or map list; throws ElementError when there is none. */
export function itemElement(list: ListType, item: unknown): PathElement {
  if (list.type === 'map') {
    if (item === null) throw new ElementError('associative list with keys may not have a null element');
    if (!isPlainObject(item)) throw new ElementError('associative list with keys may not have non-map elements');
    const keys = sortedKeys(list);
    let s = 'k:{';
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      let v = Object.prototype.hasOwnProperty.call(item, k) ? item[k] : undefined;
      if (v === undefined && list.defaults && Object.prototype.hasOwnProperty.call(list.defaults, k)) v = list.defaults[k];
      if (v === undefined) throw new ElementError(`associative list with keys has an element that omits key field ${JSON.stringify(k)} (and doesn't have default value)`);
      s += (i ? ',' : '') + JSON.stringify(k) + ':' + canonicalJSON(v);
    }
    return s + '}';
  }
  if (item === null) throw new ElementError('associative list without keys may not have a null element');
  if (typeof item === 'object') throw new ElementError(`associative list without keys has an element that's a ${Array.isArray(item) ? 'list' : 'map'} type`);
  return 'v:' + JSON.stringify(item);
}

/**
 * Small memo for the per-element work every write repeats on the same few keys (decoding
 * stored managedFields, sorting on encode). Bounded: cleared when full.
 */
function memo<T>(limit = 20_000): (key: string, compute: (k: string) => T) => T {
  let m = new Map<string, T>();
  return (key, compute) => {
    let v = m.get(key);
    if (v === undefined) {
      if (m.size >= limit) m = new Map();
      m.set(key, (v = compute(key)));
    }
    return v;
  };
}

const parsedElements = memo<PathElement>();

/** Validate and canonicalise an element read from FieldsV1; throws Error when malformed. */
export function parseElement(s: string): PathElement {
  if (s.startsWith('f:')) return s;
  return parsedElements(s, parseElementUncached);
}

function parseElementUncached(s: string): PathElement {
  const kind = s.slice(0, 2);
  const rest = s.slice(2);
  switch (kind) {
    case 'f:':
      return s;
    case 'i:':
      if (!/^(0|[1-9]\d*)$/.test(rest)) throw new Error(`invalid index path element ${JSON.stringify(s)}`);
      return s;
    case 'v:':
      return 'v:' + canonicalJSON(parseJSON(rest, s));
    case 'k:': {
      const key = parseJSON(rest, s);
      if (!isPlainObject(key) || !Object.keys(key).length) throw new Error(`invalid key path element ${JSON.stringify(s)}`);
      return 'k:' + canonicalJSON(key);
    }
    default:
      throw new Error(`unknown path element ${JSON.stringify(s)}`);
  }
}

function parseJSON(text: string, whole: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`invalid path element ${JSON.stringify(whole)}`);
  }
}

/** A value as upstream prints it in paths: strings quoted, maps as {k=v}, lists as [a,b]. */
function showValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map(showValue).join(',') + ']';
  if (isPlainObject(v)) return '{' + Object.keys(v).sort(compareStrings).map((k) => `${k}=${showValue(v[k])}`).join(',') + '}';
  return String(v);
}

export function printElement(pe: PathElement): string {
  const rest = pe.slice(2);
  switch (pe.slice(0, 2)) {
    case 'f:':
      return '.' + rest;
    case 'k:': {
      const key = JSON.parse(rest) as Record<string, unknown>;
      return '[' + Object.keys(key).map((k) => `${k}=${showValue(key[k])}`).join(',') + ']';
    }
    case 'v:':
      return '[=' + showValue(JSON.parse(rest)) + ']';
    default:
      return '[' + rest + ']';
  }
}

/** `.spec.template.spec.containers[name="web"].image` */
export const printPath = (p: Path): string => p.map(printElement).join('');

// ---------------------------------------------------------------------------------------------
// Ordering (upstream PathElement.Compare / value.Compare), used when serialising sets.

/** Byte-wise for ASCII, which is what Go's strings.Compare amounts to for field names. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const ELEMENT_RANK: Record<string, number> = { 'f:': 0, 'k:': 1, 'v:': 2, 'i:': 3 };

export function compareElements(a: PathElement, b: PathElement): number {
  const ka = a.slice(0, 2);
  const kb = b.slice(0, 2);
  if (ka !== kb) return (ELEMENT_RANK[ka] ?? 4) - (ELEMENT_RANK[kb] ?? 4);
  switch (ka) {
    case 'f:':
      return compareStrings(a, b);
    case 'i:':
      return Number(a.slice(2)) - Number(b.slice(2));
    case 'v:':
      return compareValues(decodedValue(a), decodedValue(b));
    default: {
      // Key field lists, compared field by field (name, then value); fields are sorted.
      const x = decodedKey(a);
      const y = decodedKey(b);
      for (let i = 0; ; i++) {
        if (i >= x.length || i >= y.length) return x.length - y.length;
        const c = compareStrings(x[i]![0], y[i]![0]) || compareValues(x[i]![1], y[i]![1]);
        if (c) return c;
      }
    }
  }
}

const decodedKeys = memo<[string, unknown][]>();
const decodedKey = (pe: PathElement) => decodedKeys(pe, (k) => Object.entries(JSON.parse(k.slice(2)) as Record<string, unknown>));
const decodedValues = memo<{ v: unknown }>();
const decodedValue = (pe: PathElement) => decodedValues(pe, (k) => ({ v: JSON.parse(k.slice(2)) })).v;

/** Total order over JSON values: numbers < strings < booleans < lists < maps < null. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = valueRank(a);
  const rb = valueRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return (a as number) - (b as number);
    case 1:
      return compareStrings(a as string, b as string);
    case 2:
      return Number(a) - Number(b);
    case 3: {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compareValues(x[i], y[i]);
        if (c) return c;
      }
      return x.length - y.length;
    }
    case 4:
      return compareStrings(canonicalJSON(a), canonicalJSON(b));
    default:
      return 0;
  }
}

function valueRank(v: unknown): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (isPlainObject(v)) return 4;
  return 5;
}
