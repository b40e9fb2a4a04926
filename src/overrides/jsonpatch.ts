/**
 * RFC 6902 add/remove/replace with the exact behaviour of github.com/evanphx/json-patch/v5
 * Patch.Apply (default options), which is what Karmada applies every overrider through:
 * - a missing parent is an error for every op (no EnsurePathExistsOnAdd), as is removing a
 *   missing key (no AllowMissingPathOnRemove);
 * - array indexes go through strconv.Atoi ("+1", "01" accepted) and negative indexes count from
 *   the end; "-" appends on add only;
 * - the first path segment is never looked at ("spec/replicas" addresses "/replicas");
 * - errors read as the Go ones ("add operation does not apply: doc is missing path: ...").
 * Plus go-openapi/jsonpointer Get/Set, which the fieldOverrider uses for fieldPath.
 */
import { isPlainObject } from './match.js';

export class PatchError extends Error {
  override name = 'PatchError';
}

export interface PatchOperation {
  op: string;
  path: string;
  /** Absent means JSON null. */
  value?: unknown;
}

/**
 * Deep copy of a JSON tree. Plain objects and arrays are copied; anything else (primitives,
 * bigints, raw-number wrappers) is immutable and shared.
 */
export function cloneJson<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneJson) as T;
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) setOwn(out, k, cloneJson(x));
    return out as T;
  }
  return v;
}

/** obj[key] = value without ever invoking the __proto__ setter (keys come from user paths). */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** strconv.Atoi; throws with the Go message. */
export function atoi(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new PatchError(`strconv.Atoi: parsing ${goQuote(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n > INT64_MAX || n < INT64_MIN) throw new PatchError(`strconv.Atoi: parsing ${goQuote(s)}: value out of range`);
  return Number(n);
}

/** strconv.Quote for the messages above (JSON escaping is close enough for printable text). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** RFC 6901 unescape for a patch path segment: "~1" then "~0", scanning left to right. */
const decodeKey = (k: string): string => k.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~'));

const isContainer = (v: unknown): v is unknown[] | Record<string, unknown> => Array.isArray(v) || isPlainObject(v);

type Container = unknown[] | Record<string, unknown>;

/** container.get: undefined when the key or index does not exist. */
function get(con: Container, key: string): { value: unknown } | undefined {
  if (!Array.isArray(con)) return Object.hasOwn(con, key) ? { value: con[key] } : undefined;
  let idx: number;
  try {
    idx = atoi(key);
  } catch {
    return undefined;
  }
  if (idx < 0) {
    if (idx < -con.length) return undefined;
    idx += con.length;
  }
  return idx < con.length ? { value: con[idx] } : undefined;
}

/** findObject: the container holding the last segment, or undefined when a parent is missing. */
function findObject(doc: Container, path: string): { con: Container; key: string } | undefined {
  const split = path.split('/');
  if (split.length < 2) return path === '' ? { con: doc, key: '' } : undefined;
  let cur: Container = doc;
  for (const part of split.slice(1, -1)) {
    const next = get(cur, decodeKey(part));
    if (!next || !isContainer(next.value)) return undefined;
    cur = next.value;
  }
  return { con: cur, key: decodeKey(split[split.length - 1]!) };
}

const invalidIndex = (idx: number) => `Unable to access invalid index: ${idx}: invalid index referenced`;

function add(doc: Container, path: string, value: unknown): void {
  const found = findObject(doc, path);
  if (!found) throw new PatchError(`add operation does not apply: doc is missing path: "${path}": missing value`);
  const { con, key } = found;
  if (!Array.isArray(con)) return setOwn(con, key, value);
  if (key === '-') {
    con.push(value);
    return;
  }
  let idx: number;
  try {
    idx = atoi(key);
  } catch (e) {
    throw new PatchError(`error in add for path: '${path}': value was not a proper array index: '${key}': ${(e as Error).message}`);
  }
  const size = con.length + 1;
  if (idx >= size || idx < -size) throw new PatchError(`error in add for path: '${path}': ${invalidIndex(idx)}`);
  con.splice(idx < 0 ? idx + size : idx, 0, value);
}

function remove(doc: Container, path: string): void {
  const found = findObject(doc, path);
  if (!found) throw new PatchError(`remove operation does not apply: doc is missing path: "${path}": missing value`);
  const { con, key } = found;
  const fail = (msg: string) => new PatchError(`error in remove for path: '${path}': ${msg}`);
  if (!Array.isArray(con)) {
    if (!Object.hasOwn(con, key)) throw fail(`unable to remove nonexistent key: ${key}: missing value`);
    delete con[key];
    return;
  }
  let idx: number;
  try {
    idx = atoi(key);
  } catch (e) {
    throw fail((e as Error).message);
  }
  if (idx >= con.length || idx < -con.length) throw fail(invalidIndex(idx));
  con.splice(idx < 0 ? idx + con.length : idx, 1);
}

function replace(doc: Container, path: string, value: unknown): void {
  const found = findObject(doc, path);
  if (!found) throw new PatchError(`replace operation does not apply: doc is missing path: ${path}: missing value`);
  const { con, key } = found;
  if (!get(con, key)) throw new PatchError(`replace operation does not apply: doc is missing key: ${path}: missing value`);
  if (!Array.isArray(con)) return setOwn(con, key, value);
  const idx = atoi(key);
  con[idx < 0 ? idx + con.length : idx] = value;
}

/**
 * Applies the operations in order to `doc` IN PLACE and returns the resulting root (which differs
 * from `doc` only when an op targets the root path ""). On error `doc` may be half-patched: callers
 * patch a private copy and discard it on failure, which makes every patch atomic as in Go.
 * Inserted values are deep-copied so the document never aliases the policy.
 */
export function applyPatchInPlace(doc: unknown, ops: readonly PatchOperation[]): unknown {
  if (!isContainer(doc)) throw new PatchError('invalid JSON Document');
  let root: Container = doc;
  for (const op of ops) {
    const value = op.value === undefined ? null : cloneJson(op.value);
    if (op.path === '' && (op.op === 'add' || op.op === 'replace')) {
      // Replacing the whole document needs an object or array value.
      if (!isContainer(value)) throw new PatchError(`${op.op} operation value must be object or array`);
      root = value;
      continue;
    }
    switch (op.op) {
      case 'add':
        add(root, op.path, value);
        break;
      case 'remove':
        remove(root, op.path);
        break;
      case 'replace':
        replace(root, op.path, value);
        break;
      default:
        throw new PatchError(`Unexpected kind: ${op.op}`);
    }
  }
  return root;
}

/** applyPatchInPlace on a copy: `doc` is never modified. */
export function applyPatch(doc: unknown, ops: readonly PatchOperation[]): unknown {
  return applyPatchInPlace(cloneJson(doc), ops);
}

/** go-openapi/jsonpointer tokens: "" is the root; anything else must start with "/". */
function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError('JSON pointer must be empty or start with a "/"');
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function pointerStep(node: unknown, token: string): unknown {
  if (isPlainObject(node)) {
    if (!Object.hasOwn(node, token)) throw new PatchError(`object has no key ${goQuote(token)}`);
    return node[token];
  }
  if (Array.isArray(node)) {
    const idx = atoi(token);
    if (idx < 0 || idx >= node.length) throw new PatchError(`index out of bounds array[0,${node.length - 1}] index '${idx}'`);
    return node[idx];
  }
  throw new PatchError(`invalid token reference ${goQuote(token)}`);
}

/** jsonpointer.Pointer.Get. */
export function pointerGet(doc: unknown, pointer: string): unknown {
  return pointerTokens(pointer).reduce(pointerStep, doc);
}

/** jsonpointer.Pointer.Set on an existing location (the caller has just read it), in place. */
export function pointerSet(doc: unknown, pointer: string, value: unknown): void {
  const tokens = pointerTokens(pointer);
  const last = tokens.pop();
  if (last === undefined) throw new PatchError('cannot set the document root');
  const parent = tokens.reduce(pointerStep, doc);
  if (Array.isArray(parent)) parent[atoi(last)] = value;
  else if (isPlainObject(parent)) setOwn(parent, last, value);
  else throw new PatchError(`invalid token reference ${goQuote(last)}`);
}
