/**
 * Structural comparison of two objects (upstream typed.Compare): which fields the new object
 * added, modified or removed, seen through list semantics (items matched by key or value, not
 * position). Update operations take ownership of added + modified; everyone loses removed.
 *
 * Leaves (scalars, atomic lists and objects, empty containers on both sides) are compared by
 * value. An object or list item that appears or disappears is itself added or removed, along
 * with everything below it.
 */
import { FieldSet, listElements } from './fieldset.js';
import { childShape, itemShape, listTypeOf, type Shape } from './shape.js';
import type { PathElement } from './element.js';

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Compare `lhs` (old; undefined for a create) with `rhs` (new). */
export function compareObjects(lhs: Record<string, unknown> | undefined, rhs: Record<string, unknown>, shape: Shape): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  compareMaps(lhs ?? {}, rhs, shape, [], c);
  return c;
}

function compareMaps(l: Record<string, unknown>, r: Record<string, unknown>, shape: Shape, path: PathElement[], c: Comparison): void {
  for (const k of Object.keys(l)) {
    if (l[k] === undefined) continue;
    path.push('f:' + k);
    compareValues(l[k], r[k], childShape(shape, k), path, c);
    path.pop();
  }
  for (const k of Object.keys(r)) {
    if (r[k] === undefined || (l[k] !== undefined && Object.prototype.hasOwnProperty.call(l, k))) continue;
    path.push('f:' + k);
    compareValues(undefined, r[k], childShape(shape, k), path, c);
    path.pop();
  }
}

const emptyish = (v: unknown): boolean =>
  v === undefined || v === null || (Array.isArray(v) ? v.length === 0 : isPlainObject(v) && Object.keys(v).length === 0);

function compareValues(l: unknown, r: unknown, shape: Shape, path: PathElement[], c: Comparison): void {
  // A value with nothing on the left is added whole: build its subtree in one pass (every
  // create takes this path for every field) instead of inserting path by path from the root.
  if (l === undefined && r !== undefined) return c.added.graft(path, addedBelow(r, shape));
  if (!shape.atomic && (isPlainObject(l) || isPlainObject(r)) && (l == null || isPlainObject(l)) && (r == null || isPlainObject(r))) {
    if (emptyish(l) && emptyish(r)) return leaf(l, r, path, c);
    compareMaps(isPlainObject(l) ? l : {}, isPlainObject(r) ? r : {}, shape, path, c);
    return node(l, r, path, c);
  }
  if ((Array.isArray(l) || Array.isArray(r)) && (l == null || Array.isArray(l)) && (r == null || Array.isArray(r))) {
    const lt = listTypeOf(shape);
    if (lt.type === 'atomic' || (emptyish(l) && emptyish(r))) return leaf(l, r, path, c);
    const la = (l ?? []) as unknown[];
    const ra = (r ?? []) as unknown[];
    const lp = listElements(la, lt, false, path);
    const rp = listElements(ra, lt, false, path);
    if (!lp || !rp) return leaf(l, r, path, c); // un-keyable: the list is one value
    const left = new Map<PathElement, unknown>();
    for (let i = 0; i < la.length; i++) if (!left.has(lp[i]!)) left.set(lp[i]!, la[i]);
    const right = new Set<PathElement>();
    const is = itemShape(shape);
    for (let i = 0; i < ra.length; i++) {
      const pe = rp[i]!;
      if (right.has(pe)) continue;
      right.add(pe);
      path.push(pe);
      compareValues(left.get(pe), ra[i], is, path, c);
      path.pop();
    }
    for (const [pe, v] of left) {
      if (right.has(pe)) continue;
      path.push(pe);
      compareValues(v, undefined, is, path, c);
      path.pop();
    }
    return node(l, r, path, c);
  }
  leaf(l, r, path, c);
}

/**
 * What compareValues(undefined, r) adds below the path of `r` (the path itself is added by the
 * caller): every field, map entry and keyed list item, recursively; null for a leaf.
 */
function addedBelow(r: unknown, shape: Shape): FieldSet | null {
  if (Array.isArray(r)) {
    const lt = listTypeOf(shape);
    if (lt.type === 'atomic' || r.length === 0) return null;
    const pes = listElements(r, lt, false, []);
    if (!pes) return null; // un-keyable: the list is one value
    const s = new FieldSet();
    const is = itemShape(shape);
    for (let i = 0; i < r.length; i++) {
      const pe = pes[i]!;
      if (s.members.has(pe)) continue; // the first of repeated keys wins, as in compareValues
      s.members.add(pe);
      const below = addedBelow(r[i], is);
      if (below && !below.empty()) s.children.set(pe, below);
    }
    return s;
  }
  if (shape.atomic || !isPlainObject(r)) return null;
  let s: FieldSet | null = null;
  for (const k of Object.keys(r)) {
    const v = r[k];
    if (v === undefined) continue;
    const pe = 'f:' + k;
    s ??= new FieldSet();
    s.members.add(pe);
    const below = addedBelow(v, childShape(shape, k));
    if (below && !below.empty()) s.children.set(pe, below);
  }
  return s; // null for {}: an empty object is a leaf
}

function node(l: unknown, r: unknown, path: PathElement[], c: Comparison): void {
  if (l === undefined) c.added.insert(path);
  else if (r === undefined) c.removed.insert(path);
}

function leaf(l: unknown, r: unknown, path: PathElement[], c: Comparison): void {
  if (l === undefined) c.added.insert(path);
  else if (r === undefined) c.removed.insert(path);
  else if (!jsonEqual(l, r)) c.modified.insert(path);
}

/** Deep equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k) || !jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}
