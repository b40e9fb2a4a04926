/**
 * Strategic merge patch (application/strategic-merge-patch+json), the server half: apply a
 * patch to an object using the patch metadata of smp-schema.ts. Semantics follow
 * k8s.io/apimachinery/pkg/util/strategicpatch (StrategicMergeMapPatch), including the exact
 * list-ordering rules, because client-side `kubectl apply` depends on them:
 *
 *   - objects merge key by key; `null` deletes a key;
 *   - lists: merge lists match items by merge key (patched recursively), primitive merge lists
 *     are unions, every other list is replaced;
 *   - `$patch: replace | delete | merge` in an object; `{"$patch":"replace"}` and
 *     `{<key>: v, "$patch":"delete"}` as merge-list items;
 *   - `$setElementOrder/<f>`, `$retainKeys`, `$deleteFromPrimitiveList/<f>`;
 *   - no directive survives into the result.
 *
 * Ordering of a merged list (upstream normalizeElementOrder / mergeSortedSlice): items named by
 * the patch (or by `$setElementOrder`) take that order; server-only items keep their relative
 * order and are interleaved by their position in the live list: a server-only item goes before
 * a patch item only when both are in the live list and it came first there. So patch items
 * that are new (not in the live list) are placed before any remaining server-only items, e.g.
 * live [a,b] + patch [{c}] (no $setElementOrder) gives [c,a,b], as in Kubernetes.
 *
 * Deliberate differences from upstream, all on inputs kubectl never produces:
 *   - `$patch: merge` in an object is accepted as a no-op (upstream: "unknown patch type");
 *   - `$patch: replace` for a key absent from the live object yields the replacement
 *     (upstream drops the key);
 *   - unknown `$`-keys are rejected (upstream leaves them to strict decoding: 422 as well);
 *   - `$deleteFromPrimitiveList` / `$setElementOrder` / `$retainKeys` with a non-list value, and
 *     null list items, are errors rather than odd results or panics.
 *
 * Pure: neither argument is modified; the result shares no objects with them.
 */
import { fieldSchema, itemSchema, type SmpList, type SmpType } from './smp-schema.js';

type JsonObject = Record<string, unknown>;

/** An invalid patch. `status` is the HTTP code the API server should answer (400 or 422). */
export class PatchError extends Error {
  override readonly name = 'PatchError';
  readonly status: 400 | 422;
  /** Dotted path of the offending field (list items as `[key=value]`); '' at the root. */
  readonly path: string;
  constructor(message: string, path = '', status: 400 | 422 = 422) {
    super(path ? `${path}: ${message}` : message);
    this.path = path;
    this.status = status;
  }
}

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList';

/** Marker: the value is dropped (a `$patch: delete` map for a key the live object lacks). */
const DROP: unique symbol = Symbol('smp.drop');
type Dropped = typeof DROP;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
/** Own-property write: a `__proto__` key from JSON stays data instead of changing the prototype. */
function put(o: JsonObject, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  else o[k] = v;
}
/** Own-property read (see put). */
const get = (o: JsonObject, k: string): unknown => (hasOwn(o, k) ? o[k] : undefined);

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  return typeof v === 'object' ? 'object' : typeof v;
}

const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 200 ? `${s.slice(0, 200)}…` : s;
};

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);
const itemPath = (path: string, mergeKey: string, value: unknown): string => `${path}[${mergeKey}=${show(value)}]`;

function noMergeKey(item: unknown, mergeKey: string, path: string): PatchError {
  return new PatchError(`map: ${show(item)} does not contain declared merge key: ${mergeKey}`, path);
}

/**
 * Apply a strategic merge patch. `original` is the live object (undefined/null = empty),
 * `patch` the decoded patch body, `schema` the kind's patch metadata (see smpSchemaFor).
 * Throws PatchError when the patch is invalid.
 */
export function strategicMergePatch(original: any, patch: any, schema: SmpType): any {
  if (!isObject(patch)) throw new PatchError(`a strategic merge patch must be a JSON object, got ${typeName(patch)}`, '', 400);
  if (original !== undefined && original !== null && !isObject(original)) {
    throw new PatchError(`cannot patch a ${typeName(original)}: the object must be a JSON object`, '', 422);
  }
  if (schema.kind === 'list') throw new PatchError('the patch schema of an object cannot be a list', '', 422);
  const live: JsonObject = original ? structuredClone(original) : {};
  const out = mergeObject(live, patch, schema, '');
  return out === DROP ? {} : out;
}

// ---------------------------------------------------------------------------------------------
// Objects

/**
 * Merge `patch` into `original` (mutated; a private clone). `original === undefined` means the
 * key is absent from the live object: the patch is then materialised (directives applied to
 * nothing, nulls dropped).
 */
function mergeObject(original: JsonObject | undefined, patch: JsonObject, schema: SmpType, path: string): JsonObject | Dropped {
  if (hasOwn(patch, PATCH)) {
    const directive = patch[PATCH];
    if (directive === 'delete') return original === undefined ? DROP : {};
    if (directive === 'replace') {
      const rest: JsonObject = {};
      for (const [k, v] of Object.entries(patch)) if (k !== PATCH) put(rest, k, v);
      return mergeObject(undefined, rest, schema, path);
    }
    if (directive !== 'merge') {
      throw new PatchError(`unknown patch type: ${show(directive)} in map: ${show(patch)}`, path);
    }
  }
  const out: JsonObject = original ?? {};

  // Classify the directive keys up front so a typo fails before anything is applied.
  const setOrders: [string, string, unknown][] = [];
  for (const key of Object.keys(patch)) {
    if (!key.startsWith('$') || key === PATCH || key === RETAIN_KEYS) continue;
    if (key.startsWith(SET_ORDER)) setOrders.push([key, directiveField(key, SET_ORDER, path), patch[key]]);
    else if (key.startsWith(DELETE_PRIMITIVE)) directiveField(key, DELETE_PRIMITIVE, path);
    else throw new PatchError(`unknown patch directive ${show(key)}`, path);
  }

  if (hasOwn(patch, RETAIN_KEYS)) applyRetainKeys(out, patch, path);

  // $setElementOrder lists are merged together with their list, then ordered.
  const done = new Set<string>();
  for (const [key, field, order] of setOrders) {
    if (!Array.isArray(order)) {
      throw new PatchError(`invalid patch format of setElementOrder list: ${key} must be a list`, path, 400);
    }
    const ft = fieldSchema(schema, field);
    if (ft.kind !== 'list' || ft.strategy !== 'merge') continue; // not a merge list: nothing to order
    if (setElementOrder(out, patch, field, order, ft, join(path, field))) done.add(field);
  }

  for (const [key, value] of Object.entries(patch)) {
    if (key === PATCH || key === RETAIN_KEYS || key.startsWith(SET_ORDER) || done.has(key)) continue;
    if (key.startsWith(DELETE_PRIMITIVE)) {
      deleteFromPrimitiveList(out, directiveField(key, DELETE_PRIMITIVE, path), value, path);
      continue;
    }
    const p = join(path, key);
    if (value === null) {
      delete out[key];
      continue;
    }
    const ft = fieldSchema(schema, key);
    const live = get(out, key);
    const merged = live !== undefined && live !== null ? mergeValue(live, value, ft, p) : materialize(value, ft, p);
    if (merged === DROP) delete out[key];
    else put(out, key, merged);
  }
  return out;
}

/** `$setElementOrder/containers` → `containers`; malformed prefixes are 400 as upstream. */
function directiveField(key: string, prefix: string, path: string): string {
  const field = key.startsWith(`${prefix}/`) ? key.slice(prefix.length + 1) : '';
  if (!field) {
    const what = prefix === SET_ORDER ? 'setElementOrder list' : 'primitive list';
    throw new PatchError(`invalid patch format of ${what}: ${show(key)} must be "${prefix}/<field>"`, path, 400);
  }
  return field;
}

/** `$retainKeys`: every key the patch sets must be listed; live keys not listed are cleared. */
function applyRetainKeys(out: JsonObject, patch: JsonObject, path: string): void {
  const keep = patch[RETAIN_KEYS];
  if (!Array.isArray(keep)) throw new PatchError('invalid patch format of retainKeys: $retainKeys must be a list', path, 400);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k === RETAIN_KEYS || k === PATCH || k.startsWith(SET_ORDER) || k.startsWith(DELETE_PRIMITIVE)) continue;
    if (!keep.includes(k)) {
      throw new PatchError(`invalid patch format of retainKeys: field ${show(k)} is set but not listed in $retainKeys ${show(keep)}`, path, 400);
    }
  }
  for (const k of Object.keys(out)) if (!keep.includes(k)) delete out[k];
}

/** `$deleteFromPrimitiveList/<field>`: remove values from a primitive list (any strategy). */
function deleteFromPrimitiveList(out: JsonObject, field: string, values: unknown, path: string): void {
  const p = join(path, field);
  if (!Array.isArray(values)) throw new PatchError('invalid patch format of primitive list: the deletion list must be a list', p, 400);
  const live = get(out, field);
  if (!Array.isArray(live)) return; // absent (or not a list): nothing to delete, nothing added
  if (live.length === 0 && values.length === 0) return;
  if (elementKind(p, live, values) === 'object') {
    throw new PatchError(`${DELETE_PRIMITIVE} applies to lists of primitives only`, p);
  }
  put(out, field, live.filter((v) => !values.includes(v)));
}

// ---------------------------------------------------------------------------------------------
// Values

/** Reject a patch value whose JSON type contradicts the schema (a list patched with a map...). */
function checkShape(value: unknown, t: SmpType, path: string): void {
  if (t.kind === 'list' && !Array.isArray(value)) {
    throw new PatchError(`expected a list, got ${typeName(value)}: ${show(value)}`, path);
  }
  if ((t.kind === 'struct' || t.kind === 'map') && !isObject(value)) {
    throw new PatchError(`expected an object, got ${typeName(value)}: ${show(value)}`, path);
  }
}

/** Patch a value present in the live object. */
function mergeValue(live: unknown, value: unknown, t: SmpType, path: string): unknown {
  checkShape(value, t, path);
  if (t.kind === 'opaque') return structuredClone(value);
  if (isObject(live) && isObject(value)) return mergeObject(live, value, t, path);
  if (Array.isArray(live) && Array.isArray(value)) {
    if (t.kind === 'list' && t.strategy === 'merge') return mergeList(live, value, t, path).list;
    return materializeList(value, itemSchema(t), path);
  }
  return materialize(value, t, path); // primitives, or the JSON type changed: the patch wins
}

/** A patch value for a key the live object lacks: directives applied to nothing, nulls dropped. */
function materialize(value: unknown, t: SmpType, path: string): unknown {
  if (value === null) return DROP;
  checkShape(value, t, path);
  if (t.kind === 'opaque') return structuredClone(value);
  if (isObject(value)) return mergeObject(undefined, value, t, path);
  if (Array.isArray(value)) {
    if (t.kind === 'list' && t.strategy === 'merge') return mergeList(undefined, value, t, path).list;
    return materializeList(value, itemSchema(t), path);
  }
  return value;
}

/** An atomic list from the patch: items are materialised, null items are kept. */
function materializeList(items: unknown[], t: SmpType, path: string): unknown[] {
  const out: unknown[] = [];
  items.forEach((item, i) => {
    if (item === null) out.push(null);
    else if (t.kind === 'opaque') out.push(structuredClone(item));
    else {
      const m = materialize(item, t, `${path}[${i}]`);
      if (m !== DROP) out.push(m);
    }
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Merge lists

type Kind = 'object' | 'string' | 'number' | 'boolean';

/** The common item kind of some lists (upstream sliceElementType); undefined if all empty. */
function elementKind(path: string, ...lists: unknown[][]): Kind | undefined {
  let kind: Kind | undefined;
  for (const list of lists) {
    for (const v of list) {
      if (Array.isArray(v)) throw new PatchError('lists of lists are not supported', path);
      if (v === null) throw new PatchError('list items must not be null', path);
      const k = typeName(v) as Kind;
      if (kind === undefined) kind = k;
      else if (kind !== k) throw new PatchError(`list element types are not identical: ${show(lists)}`, path);
    }
  }
  return kind;
}

interface MergedList {
  list: unknown[];
  /**
   * The live list as upstream's caller sees it afterwards. Go deletes list items in place
   * (`append(s[:i], s[i+1:]...)`) and appends new items into the freed tail of the same array,
   * so the caller's view of the live list (length unchanged) shows shifted items and new items
   * where deleted ones were. `$setElementOrder` ordering uses this view as the live order.
   */
  view: unknown[];
}

/** Merge a patch list into a merge-strategy live list (absent live list = undefined). */
function mergeList(liveList: unknown[] | undefined, patch: unknown[], t: SmpList, path: string): MergedList {
  const live = liveList ?? [];
  const view = live.slice();
  if (live.length === 0 && patch.length === 0) return { list: [], view };
  const kind = elementKind(path, live, patch);
  const mk = t.mergeKey;

  if (kind !== 'object') {
    if (mk) throw new PatchError(`expected a list of objects with merge key ${show(mk)}, got ${kind} items`, path);
    const merged = [...new Set([...live, ...patch])];
    const inPatch = (v: unknown): boolean => patch.includes(v);
    const list = normalizeOrder(merged.filter(inPatch), merged.filter((v) => !inPatch(v)), patch, live, undefined, path);
    return { list, view };
  }
  if (!mk) throw new PatchError('cannot merge lists of objects without a merge key (a list of primitives was expected)', path);

  // Directive items first (upstream mergeSliceWithSpecialElements), in patch order.
  const working = live.slice() as JsonObject[];
  const rest: JsonObject[] = [];
  let replace = false;
  for (const item of patch as JsonObject[]) {
    if (!hasOwn(item, PATCH)) {
      rest.push(item);
      continue;
    }
    const directive = item[PATCH];
    if (directive === 'delete') {
      if (!hasOwn(item, mk)) throw noMergeKey(item, mk, path);
      for (let i = findByKey(working, mk, item[mk], path); i >= 0; i = findByKey(working, mk, item[mk], path)) {
        const len = working.length;
        working.splice(i, 1);
        for (let j = i; j < len - 1; j++) view[j] = view[j + 1];
      }
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw new PatchError('merging lists cannot yet be specified in the patch', path);
    } else {
      throw new PatchError(`unknown patch type: ${show(directive)} in map: ${show(item)}`, path);
    }
  }

  if (replace) {
    const list = rest.map((item) => {
      if (!hasOwn(item, mk)) throw noMergeKey(item, mk, path);
      return mergeObject(undefined, item, t.items, itemPath(path, mk, item[mk])) as JsonObject;
    });
    return { list, view };
  }

  const liveOrder = working.length; // upstream orders server-only items by the post-deletion live list
  for (const item of rest) {
    if (!hasOwn(item, mk)) throw noMergeKey(item, mk, path);
    const p = itemPath(path, mk, item[mk]);
    const i = findByKey(working, mk, item[mk], path);
    if (i >= 0) {
      working[i] = mergeObject(working[i], item, t.items, p) as JsonObject;
      if (i < view.length) view[i] = working[i];
    } else {
      working.push(mergeObject(undefined, item, t.items, p) as JsonObject);
      if (working.length - 1 < view.length) view[working.length - 1] = working[working.length - 1];
    }
  }

  const [patchItems, serverOnly] = partitionByKey(working, rest, mk, path);
  const list = normalizeOrder(patchItems, serverOnly, rest, working.slice(0, liveOrder), mk, path);
  return { list, view };
}

/** Index of the first object whose merge key equals `value` (Go `==` on JSON scalars). */
function findByKey(list: unknown[], mk: string, value: unknown, path: string): number {
  return list.findIndex((x) => {
    if (!isObject(x)) throw new PatchError(`list item ${show(x)} is not an object`, path);
    return hasOwn(x, mk) && x[mk] === value;
  });
}

/** Split merged items into those named by `by` (by merge key) and the server-only rest. */
function partitionByKey(merged: unknown[], by: unknown[], mk: string, path: string): [unknown[], unknown[]] {
  const named: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const item of merged) {
    if (!isObject(item) || !hasOwn(item, mk)) throw noMergeKey(item, mk, path);
    (findByKey(by, mk, item[mk], path) >= 0 ? named : serverOnly).push(item);
  }
  return [named, serverOnly];
}

/**
 * Upstream normalizeElementOrder: sort patch items by `patchOrder`, server-only items by
 * `serverOrder`, then interleave them (mergeSortedSlice) using `serverOrder` as the record.
 */
function normalizeOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mk: string | undefined,
  path: string,
): unknown[] {
  if (mk !== undefined) {
    for (const list of [patchItems, serverOnly, patchOrder, serverOrder]) {
      for (const item of list) if (!isObject(item) || !hasOwn(item, mk)) throw noMergeKey(item, mk, path);
    }
  }
  const keyOf = (v: unknown): unknown => (mk === undefined ? v : (v as JsonObject)[mk]);
  const indexIn = (list: unknown[], v: unknown): number => {
    const k = keyOf(v);
    return list.findIndex((x) => keyOf(x) === k);
  };
  const sortBy = (items: unknown[], order: unknown[]): unknown[] =>
    items
      .map((v, i) => ({ v, i, at: indexIn(order, v) }))
      .sort((a, b) => (a.at >= 0 && b.at >= 0 ? a.at - b.at : a.at >= 0 ? -1 : b.at >= 0 ? 1 : a.i - b.i))
      .map((e) => e.v);

  const right = sortBy(patchItems, patchOrder);
  const left = sortBy(serverOnly, serverOrder);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const li = indexIn(serverOrder, left[i]);
    const ri = indexIn(serverOrder, right[j]);
    if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
    else out.push(right[j++]);
  }
  return out.concat(left.slice(i), right.slice(j));
}

/**
 * `$setElementOrder/<field>` (upstream mergePatchIntoOriginal): merge the field's patch list,
 * then put the items named by the order list in that order and interleave the server-only ones
 * by their live position. Returns false when there is neither a live nor a patch list.
 */
function setElementOrder(out: JsonObject, patch: JsonObject, field: string, order: unknown[], t: SmpList, path: string): boolean {
  const liveV = get(out, field);
  const hasLive = liveV !== undefined && liveV !== null;
  const hasPatch = hasOwn(patch, field);
  const patchV = get(patch, field);
  if (hasLive && !Array.isArray(liveV)) throw new PatchError(`expected a list in the live object, got ${typeName(liveV)}`, path);
  if (hasPatch && !Array.isArray(patchV)) throw new PatchError(`expected a list, got ${typeName(patchV)}: ${show(patchV)}`, path);
  const live = hasLive ? (liveV as unknown[]) : undefined;
  const patchList = hasPatch ? (patchV as unknown[]) : undefined;
  const mk = t.mergeKey;

  validateOrder(patchList ?? [], order, mk, path);

  let merged: unknown[];
  let view: unknown[];
  if (live && !patchList) {
    merged = live;
    view = live;
  } else if (!live && patchList) {
    merged = mergeList(undefined, patchList, t, path).list;
    view = [];
  } else if (live && patchList) {
    ({ list: merged, view } = mergeList(live, patchList, t, path));
  } else {
    return false;
  }

  if (elementKind(path, live ?? [], patchList ?? []) === undefined) {
    put(out, field, merged);
    return true;
  }
  let named: unknown[];
  let serverOnly: unknown[];
  if (mk === undefined) {
    named = merged.filter((v) => order.includes(v));
    serverOnly = merged.filter((v) => !order.includes(v));
  } else {
    [named, serverOnly] = partitionByKey(merged, order, mk, path);
  }
  put(out, field, normalizeOrder(named, serverOnly, order, view, mk, path));
  return true;
}

/**
 * The patch list must name its items in the relative order of the `$setElementOrder` list
 * (deletions and directive items are ignored); otherwise the patch is inconsistent.
 */
function validateOrder(patchList: unknown[], order: unknown[], mk: string | undefined, path: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  let items = patchList;
  if (mk !== undefined) {
    items = patchList.filter((x) => {
      if (!isObject(x)) throw new PatchError(`expected a list of objects, got item ${show(x)}`, path);
      return x[PATCH] !== 'delete';
    });
  }
  const equal = (a: unknown, b: unknown): boolean => {
    if (mk === undefined) return a === b;
    if (!isObject(b)) throw new PatchError(`invalid ${SET_ORDER} item ${show(b)}: expected an object`, path);
    if (!hasOwn(a as JsonObject, mk)) throw noMergeKey(a, mk, path);
    if (!hasOwn(b, mk)) throw noMergeKey(b, mk, path);
    return (a as JsonObject)[mk] === b[mk];
  };
  let pi = 0;
  let oi = 0;
  while (pi < items.length && oi < order.length) {
    const item = items[pi];
    if (isObject(item) && hasOwn(item, PATCH)) {
      pi++;
      continue;
    }
    if (equal(item, order[oi])) pi++;
    oi++;
  }
  if (pi < items.length) {
    throw new PatchError(`the order in patch list ${show(patchList)} doesn't match ${SET_ORDER} list ${show(order)}`, path);
  }
}
