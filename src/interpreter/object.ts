/**
 * Small accessors over untyped JSON objects. The interpreter reads objects straight from storage
 * or from member clusters, so nothing can be assumed about a field's type: every accessor
 * tolerates a missing or mistyped value instead of throwing.
 */
import type { JsonObject } from './types.js';

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value at a field path, or undefined if any step is missing or not an object. */
export function getIn(obj: unknown, ...path: string[]): unknown {
  let cur: unknown = obj;
  for (const k of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/** The object at a field path, or undefined. */
export function objAt(obj: unknown, ...path: string[]): JsonObject | undefined {
  const v = getIn(obj, ...path);
  return isObject(v) ? v : undefined;
}

/** The array at a field path, or an empty array. */
export function listAt(obj: unknown, ...path: string[]): unknown[] {
  const v = getIn(obj, ...path);
  return Array.isArray(v) ? v : [];
}

/** A finite number, or undefined (JSON integers arrive as numbers; strings are not coerced). */
export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A non-empty string, or undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Sets a field path, creating intermediate objects (replacing non-objects) as needed. */
export function setIn(obj: JsonObject, path: readonly string[], value: unknown): void {
  let cur = obj;
  for (const k of path.slice(0, -1)) {
    const next = cur[k];
    if (isObject(next)) cur = next;
    else {
      const fresh: JsonObject = {};
      cur[k] = fresh;
      cur = fresh;
    }
  }
  cur[path[path.length - 1]!] = value;
}

/** A deep copy; the interpreter never mutates its inputs. */
export function clone<T>(v: T): T {
  return structuredClone(v);
}

/** Structural equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => jsonEqual(a[k], b[k]));
  }
  return false;
}

/** metadata.labels / metadata.annotations as a string map (non-string values dropped). */
export function stringMap(obj: unknown, field: 'labels' | 'annotations'): Record<string, string> {
  const m = objAt(obj, 'metadata', field);
  const out: Record<string, string> = {};
  if (m) for (const [k, v] of Object.entries(m)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** apiVersion's group ('' for the core group). */
export function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** The registry key for a kind: group and kind (version-independent, as knowledge rarely differs by version). */
export function kindKey(apiVersion: string, kind: string): string {
  return `${groupOf(apiVersion)}/${kind}`;
}

/** kindKey of an object. */
export function kindKeyOf(obj: unknown): string {
  return kindKey(str(getIn(obj, 'apiVersion')) ?? '', str(getIn(obj, 'kind')) ?? '');
}

/** RFC 3339 with second precision, as metav1.Time serialises. */
export function rfc3339(d: Date): string {
  return new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** metadata.generation (0 when unset, as in Go). */
export function generationOf(obj: unknown): number {
  return num(getIn(obj, 'metadata', 'generation')) ?? 0;
}
