/**
 * The value half of server-side apply (upstream typed.Merge / RemoveItems / Updater.prune):
 *
 *   - mergeApplied: the applied configuration laid over the live object. Objects merge key by
 *     key, map lists item by item (by key), set lists by value, everything else (scalars, atomic
 *     lists and objects) is replaced. Item order: live items keep their places, applied items
 *     follow the applied order, new ones go where the applied list puts them.
 *   - removeItems: drop the paths of a field set from a value (a member drops its whole subtree).
 *   - prune: after a merge, drop what the applier owned last time, no longer sends, and nobody
 *     else (applier or updater) owns; never touch fields that were not the applier's.
 *
 * Pure: inputs are not modified; results share no objects with the applied configuration
 * (they may share with `live`, which the caller owns).
 */
import { ensureNamedMembers, fieldSetOf, listElements, type FieldSet } from './fieldset.js';
import { childShape, itemShape, listTypeOf, type Shape } from './shape.js';
import type { PathElement } from './element.js';

type Obj = Record<string, unknown>;
const isPlainObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** Own-property write: a `__proto__` key from JSON stays data instead of changing the prototype. */
function put(o: Obj, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  else o[k] = v;
}

/** Deep copy of a JSON value (own-property safe). */
export function cloneJSON<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneJSON) as T;
  if (isPlainObject(v)) {
    const o: Obj = {};
    for (const k of Object.keys(v)) put(o, k, cloneJSON(v[k]));
    return o as T;
  }
  return v;
}

/**
 * Merge an applied configuration (validated: list keys present, no duplicates) into `live`.
 * `ownConfig`: the caller hands over `applied` (a private copy), which may then be reused in
 * the result instead of copied.
 */
export function mergeApplied(live: Obj, applied: Obj, shape: Shape, ownConfig = false): Obj {
  return mergeValue(live, applied, shape, ownConfig ? same : cloneJSON) as Obj;
}

const same = <T>(v: T): T => v;
type Copy = <T>(v: T) => T;

function mergeValue(l: unknown, r: unknown, shape: Shape, copy: Copy): unknown {
  if (l === undefined) return copy(r);
  if (isPlainObject(l) && isPlainObject(r) && !shape.atomic) {
    const out: Obj = {};
    for (const k of Object.keys(l)) put(out, k, hasOwn(r, k) && r[k] !== undefined ? mergeValue(l[k], r[k], childShape(shape, k), copy) : l[k]);
    for (const k of Object.keys(r)) if (!hasOwn(l, k) && r[k] !== undefined) put(out, k, copy(r[k]));
    return out;
  }
  if (Array.isArray(l) && Array.isArray(r)) {
    const lt = listTypeOf(shape);
    if (lt.type === 'atomic' || (!l.length && !r.length)) return copy(r);
    const lp = listElements(l, lt, false, []);
    const rp = listElements(r, lt, false, []);
    if (!lp || !rp) return copy(r); // a live list that cannot be keyed is replaced whole
    return mergeList(l, lp, r, rp, itemShape(shape), copy);
  }
  return copy(r);
}

/**
 * Upstream's list-merge order. Walk both lists together: a live item the applier does not
 * mention stays where it is; an item both have is emitted when both walks reach it, and a
 * shared live item met "out of turn" waits for the applied walk; applied-only items come out
 * in applied order. Live duplicates of a key the applier sets are folded into one item.
 */
function mergeList(l: unknown[], lp: PathElement[], r: unknown[], rp: PathElement[], is: Shape, copy: Copy): unknown[] {
  const firstLive = new Map<PathElement, number>();
  for (let i = 0; i < l.length; i++) if (!firstLive.has(lp[i]!)) firstLive.set(lp[i]!, i);
  const inApplied = new Set(rp);
  const shared = rp.filter((pe) => firstLive.has(pe));
  let next = 0; // index in `shared` of the shared item due next
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < l.length || j < r.length) {
    if (i < l.length) {
      const pe = lp[i]!;
      if (!inApplied.has(pe)) {
        out.push(l[i]);
        i++;
        continue;
      }
      if (firstLive.get(pe) !== i) {
        i++; // a duplicate of an item the applier sets
        continue;
      }
      if (j < r.length && rp[j] === pe) {
        out.push(mergeValue(l[i], r[j], is, copy));
        i++;
        j++;
        next++;
        continue;
      }
      if (j >= r.length || shared[next] !== pe) {
        i++; // emitted (or to be emitted) when the applied walk reaches it
        continue;
      }
    }
    const pe = rp[j]!;
    const li = firstLive.get(pe);
    out.push(li === undefined ? copy(r[j]) : mergeValue(l[li], r[j], is, copy));
    if (shared[next] === pe) next++;
    j++;
  }
  return out;
}

/** `value` without the paths in `set` (members go with everything below them). */
export function removeItems(value: Obj, set: FieldSet, shape: Shape): Obj {
  return removeFromObject(value, set, shape);
}

/** `keep`: key fields of a map-list item, which only go with the item (never alone). */
function removeFromObject(obj: Obj, set: FieldSet, shape: Shape, keep?: readonly string[]): Obj {
  const out: Obj = {};
  for (const k of Object.keys(obj)) {
    const pe = 'f:' + k;
    if (set.members.has(pe) && !keep?.includes(k)) continue;
    const c = set.children.get(pe);
    if (!c) {
      put(out, k, obj[k]);
      continue;
    }
    const v = removeFromValue(obj[k], c, childShape(shape, k));
    // A list whose items all went is dropped, as upstream's null result is when stored.
    if (!(Array.isArray(v) && v.length === 0 && Array.isArray(obj[k]) && (obj[k] as unknown[]).length > 0)) put(out, k, v);
  }
  return out;
}

function removeFromValue(v: unknown, set: FieldSet, shape: Shape, keep?: readonly string[]): unknown {
  if (isPlainObject(v)) return shape.atomic ? v : removeFromObject(v, set, shape, keep);
  if (!Array.isArray(v)) return v;
  const lt = listTypeOf(shape);
  if (lt.type === 'atomic') return v;
  const pes = listElements(v, lt, false, []);
  if (!pes) return v;
  const is = itemShape(shape);
  const keys = lt.type === 'map' ? lt.keys : undefined;
  const out: unknown[] = [];
  for (let i = 0; i < v.length; i++) {
    const pe = pes[i]!;
    if (set.members.has(pe)) continue;
    const c = set.children.get(pe);
    out.push(c ? removeFromValue(v[i], c, is, keys) : v[i]);
  }
  return out;
}

/**
 * Remove what the applier owned last time (`last`), no longer applies, and no manager owns
 * now (`managed`: every manager's set, the applier's new one included). Upstream's three
 * steps, in the same order: remove the old set; add back anything owned; then only let
 * removals stand for paths that were the applier's.
 */
export function prune(merged: Obj, last: FieldSet | undefined, managed: FieldSet, shape: Shape): Obj {
  if (!last || last.empty()) return merged;
  // Nothing owned before is missing now: nothing to prune (the common re-apply).
  if (last.difference(managed).empty()) return merged;
  const named = (s: FieldSet) => ensureNamedMembers(s, shape);
  const lastN = named(last);
  const mergedSet = named(fieldSetOf(merged, shape));
  const pruned = removeItems(merged, lastN, shape);
  const ownedBack = removeItems(merged, mergedSet.difference(named(fieldSetOf(pruned, shape)).union(named(managed))), shape);
  const gone = mergedSet.difference(named(fieldSetOf(ownedBack, shape))).intersection(lastN);
  return gone.empty() ? merged : removeItems(merged, gone, shape);
}
