/**
 * Field sets: the sets of field paths that managedFields records per manager, as upstream's
 * fieldpath.Set. A node holds the path elements that are members at its level and the child
 * sets below them; a path is in the set when its last element is a member of its parent node.
 * A node can be both (FieldsV1 writes that as `".": {}`), e.g. a list item that a manager
 * added and whose fields it also set.
 *
 * fieldSetOf computes what a value specifies (upstream ToFieldSet): every leaf, every list item
 * of a set or map list, every map entry; declared fields only through what is below them.
 *
 * Sets are built once (insert) and then treated as values: the operations return new sets,
 * which may share unchanged parts with their operands.
 */
import { childShape, isMapEntry, itemShape, listTypeOf, type ListType, type Shape } from './shape.js';
import { compareElements, ElementError, itemElement, parseElement, printElement, printPath, type Path, type PathElement } from './element.js';

export class FieldSet {
  readonly members = new Set<PathElement>();
  /** Never holds an empty set (the operations keep it that way). */
  readonly children = new Map<PathElement, FieldSet>();
  /** toFieldsV1's memo (a field, not a WeakMap: this is on every write's path). */
  #fieldsV1?: Record<string, unknown>;

  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Add one path (mutates; only while building). */
  insert(path: Path): this {
    if (!path.length) return this;
    let node: FieldSet = this;
    this.#fieldsV1 = undefined;
    for (let i = 0; i < path.length - 1; i++) {
      const pe = path[i]!;
      let c = node.children.get(pe);
      if (!c) node.children.set(pe, (c = new FieldSet()));
      node = c;
      node.#fieldsV1 = undefined;
    }
    node.members.add(path[path.length - 1]!);
    return this;
  }

  /** Add `path` and, below it, the paths of `below` (mutates; only while building). */
  graft(path: Path, below: FieldSet | null): void {
    if (!path.length) return;
    this.insert(path);
    if (!below || below.empty()) return;
    let node: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) node = node.children.get(path[i]!)!;
    const pe = path[path.length - 1]!;
    const existing = node.children.get(pe);
    node.children.set(pe, existing ? existing.union(below) : below);
  }

  has(path: Path): boolean {
    let node: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && node; i++) node = node.children.get(path[i]!);
    return !!node && path.length > 0 && node.members.has(path[path.length - 1]!);
  }

  child(pe: PathElement): FieldSet | undefined {
    return this.children.get(pe);
  }

  empty(): boolean {
    return this.members.size === 0 && this.children.size === 0;
  }

  clone(): FieldSet {
    const s = new FieldSet();
    for (const m of this.members) s.members.add(m);
    for (const [pe, c] of this.children) s.children.set(pe, c.clone());
    return s;
  }

  // The operations below share unchanged sub-sets between their operands and results (sets
  // are values once built), which keeps per-write bookkeeping cheap.

  union(o: FieldSet): FieldSet {
    if (o.empty()) return this;
    if (this.empty()) return o;
    const s = new FieldSet();
    for (const m of this.members) s.members.add(m);
    for (const m of o.members) s.members.add(m);
    for (const [pe, c] of this.children) {
      const theirs = o.children.get(pe);
      s.children.set(pe, theirs ? c.union(theirs) : c);
    }
    for (const [pe, c] of o.children) if (!this.children.has(pe)) s.children.set(pe, c);
    return s;
  }

  /** Members of `o` leave; children are subtracted level by level (not whole subtrees). */
  difference(o: FieldSet): FieldSet {
    if (o.empty() || this.empty()) return this;
    let changed = false;
    const s = new FieldSet();
    for (const m of this.members) {
      if (o.members.has(m)) changed = true;
      else s.members.add(m);
    }
    for (const [pe, c] of this.children) {
      const theirs = o.children.get(pe);
      const d = theirs ? c.difference(theirs) : c;
      if (d !== c) changed = true;
      if (!d.empty()) s.children.set(pe, d);
    }
    return changed ? s : this;
  }

  intersection(o: FieldSet): FieldSet {
    const s = new FieldSet();
    if (o.empty() || this.empty()) return s;
    for (const m of this.members) if (o.members.has(m)) s.members.add(m);
    for (const [pe, c] of this.children) {
      const theirs = o.children.get(pe);
      if (!theirs) continue;
      const i = c.intersection(theirs);
      if (!i.empty()) s.children.set(pe, i);
    }
    return s;
  }

  /** The set without the given top-level elements, members and everything below them. */
  withoutTop(pes: Iterable<PathElement>): FieldSet {
    const drop = new Set(pes);
    const s = new FieldSet();
    for (const m of this.members) if (!drop.has(m)) s.members.add(m);
    for (const [pe, c] of this.children) if (!drop.has(pe)) s.children.set(pe, c);
    return s;
  }

  /** The set with one path removed (its descendants stay); copies only along the path. */
  without(path: Path, from = 0): FieldSet {
    if (from >= path.length) return this;
    const pe = path[from]!;
    const s = new FieldSet();
    for (const m of this.members) s.members.add(m);
    for (const [k, c] of this.children) s.children.set(k, c);
    if (from === path.length - 1) {
      if (!this.members.has(pe)) return this;
      s.members.delete(pe);
      return s;
    }
    const c = this.children.get(pe);
    if (!c) return this;
    const d = c.without(path, from + 1);
    if (d === c) return this;
    if (d.empty()) s.children.delete(pe);
    else s.children.set(pe, d);
    return s;
  }

  equals(o: FieldSet): boolean {
    if (this.members.size !== o.members.size || this.children.size !== o.children.size) return false;
    for (const m of this.members) if (!o.members.has(m)) return false;
    for (const [pe, c] of this.children) {
      const theirs = o.children.get(pe);
      if (!theirs || !c.equals(theirs)) return false;
    }
    return true;
  }

  /** Every path in the set, in serialisation order (parents before children). */
  paths(): PathElement[][] {
    const out: PathElement[][] = [];
    const walk = (s: FieldSet, prefix: PathElement[]) => {
      for (const pe of sortedElements(s)) {
        const p = [...prefix, pe];
        if (s.members.has(pe)) out.push(p);
        const c = s.children.get(pe);
        if (c) walk(c, p);
      }
    };
    walk(this, []);
    return out;
  }

  /**
   * The FieldsV1 JSON form: `{"f:spec":{"f:replicas":{}}}`. Memoised per set (sets are values
   * and share unchanged parts), so the result must not be modified.
   */
  toFieldsV1(): Record<string, unknown> {
    if (this.#fieldsV1) return this.#fieldsV1;
    const out: Record<string, unknown> = {};
    for (const pe of sortedElements(this)) {
      const c = this.children.get(pe);
      if (!c) {
        out[pe] = {};
        continue;
      }
      const sub = c.toFieldsV1();
      if (!this.members.has(pe)) {
        out[pe] = sub;
        continue;
      }
      const both: Record<string, unknown> = { '.': {} };
      for (const k in sub) both[k] = sub[k];
      out[pe] = both;
    }
    return (this.#fieldsV1 = out);
  }

  /** Parse FieldsV1 JSON; throws Error on anything malformed. Keys come out canonical. */
  static fromFieldsV1(v: unknown): FieldSet {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('FieldsV1 must be a JSON object');
    const s = new FieldSet();
    for (const [k, sub] of Object.entries(v)) {
      if (k === '.') continue; // handled by the parent
      if (typeof sub !== 'object' || sub === null || Array.isArray(sub)) throw new Error(`FieldsV1 value for ${JSON.stringify(k)} must be an object`);
      const pe = parseElement(k);
      const c = FieldSet.fromFieldsV1(sub);
      if (Object.prototype.hasOwnProperty.call(sub, '.') || c.empty()) s.members.add(pe);
      if (!c.empty()) s.children.set(pe, c);
    }
    return s;
  }

  /** Human-readable, one path per line (tests and debugging). */
  toString(): string {
    return this.paths().map(printPath).join('\n');
  }
}

function sortedElements(s: FieldSet): PathElement[] {
  const all = [...s.members];
  for (const pe of s.children.keys()) if (!s.members.has(pe)) all.push(pe);
  return all.length > 1 ? all.sort(compareElements) : all;
}

/** Shape below one path element. */
export function elementShape(shape: Shape, pe: PathElement): Shape {
  return pe.startsWith('f:') ? childShape(shape, pe.slice(2)) : itemShape(shape);
}

/**
 * Upstream EnsureNamedFieldsAreMembers: declared fields that have owned fields below them
 * become members themselves, so removing what a manager owned also removes the emptied
 * parents it implied. Map entries are not added (they are members already when owned).
 */
export function ensureNamedMembers(set: FieldSet, shape: Shape): FieldSet {
  const s = new FieldSet();
  for (const m of set.members) s.members.add(m);
  for (const [pe, c] of set.children) {
    if (pe.startsWith('f:') && !isMapEntry(shape, pe.slice(2))) s.members.add(pe);
    s.children.set(pe, ensureNamedMembers(c, elementShape(shape, pe)));
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// What a value specifies

/** Invalid applied configuration (400): a list item without its keys, duplicate keys, ... */
export class SsaInputError extends Error {
  override readonly name = 'SsaInputError';
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The path elements of a granular list's items. Strict (applied configurations): a missing
 * key or a duplicate is an SsaInputError. Lenient (stored objects): null means "treat the list
 * as atomic", and repeated keys are left to the caller (first occurrence wins).
 */
export function listElements(list: unknown[], lt: ListType, strict: boolean, path: Path): PathElement[] | null {
  const pes: PathElement[] = new Array(list.length);
  const seen = strict ? new Set<PathElement>() : undefined;
  for (let i = 0; i < list.length; i++) {
    try {
      pes[i] = itemElement(lt, list[i]);
    } catch (e) {
      if (!(e instanceof ElementError)) throw e;
      if (strict) throw new SsaInputError(`${printPath(path)}: element ${i}: ${e.message}`);
      return null;
    }
    if (seen) {
      if (seen.has(pes[i]!)) throw new SsaInputError(`${printPath(path)}: duplicate entries for key ${printElement(pes[i]!)}`);
      seen.add(pes[i]!);
    }
  }
  return pes;
}

/**
 * The fields `obj` (an object, e.g. an applied configuration) specifies. `strict` validates
 * list keys as for an applied configuration; otherwise un-keyable lists count as one leaf.
 */
export function fieldSetOf(obj: Record<string, unknown>, shape: Shape, strict = false): FieldSet {
  const set = new FieldSet();
  walkObject(obj, shape, set, [], strict);
  return set;
}

function walkObject(obj: Record<string, unknown>, shape: Shape, set: FieldSet, path: PathElement[], strict: boolean): void {
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (v === undefined) continue;
    path.push('f:' + key);
    walkValue(v, childShape(shape, key), set, path, strict);
    if (isMapEntry(shape, key)) set.insert(path);
    path.pop();
  }
}

function walkValue(v: unknown, shape: Shape, set: FieldSet, path: PathElement[], strict: boolean): void {
  if (Array.isArray(v)) {
    const lt = listTypeOf(shape);
    if (lt.type === 'atomic') return void set.insert(path);
    if (!v.length) return;
    const pes = listElements(v, lt, strict, path);
    if (!pes) return void set.insert(path);
    const is = itemShape(shape);
    const done = strict ? undefined : new Set<PathElement>();
    for (let i = 0; i < v.length; i++) {
      const pe = pes[i]!;
      if (done) {
        if (done.has(pe)) continue;
        done.add(pe);
      }
      path.push(pe);
      walkValue(v[i], is, set, path, strict);
      set.insert(path);
      path.pop();
    }
    return;
  }
  if (isPlainObject(v)) {
    if (shape.atomic) return void set.insert(path);
    return walkObject(v, shape, set, path, strict);
  }
  set.insert(path);
}
