/**
 * A compact way to write Kubernetes' gogo-protobuf message shapes, and the protobufjs Root built
 * from them. Upstream's generated.proto files carry the wire facts (field numbers, types) but not
 * the Go JSON facts (pointer or value, omitempty, inline) that decide what the JSON body of the same
 * object would have looked like; each field here records both, read from k8s.io/api types.go.
 *
 * A field is `[number, type, flags?]`:
 * - type: `string | int32 | int64 | bool | bytes`, a message name (`Container`, or `meta.ObjectMeta`
 *   for another package), `[]T` for a repeated field, `map<T>` for map<string, T>.
 * - flags: `p` the Go field is a pointer (kept when present, even if zero);
 *   `r` the JSON tag has no omitempty (a zero scalar is still written, an absent list, map or
 *   pointer becomes null); `i` the struct is embedded inline in JSON (`json:",inline"`).
 *   No flag is the common case: a value field with omitempty, dropped when zero.
 * Fields are listed in Go struct order, which is the key order Go's encoding/json writes.
 */
import protobuf from 'protobufjs';
import type { Field, FieldBase, Type } from 'protobufjs';

export type FieldSpec = readonly [id: number, type: string, flags?: string];
export type MessageSpec = Readonly<Record<string, FieldSpec>>;

/** One protobuf package: its messages and the kinds clients may send in it. */
export interface GroupSpec {
  /** Package name inside the root (`core`, `apps`, ...); other groups refer to messages as `pkg.Name`. */
  readonly pkg: string;
  /** apiVersion and the top-level kinds (message names) served under it. */
  readonly kinds?: Readonly<Record<string, readonly string[]>>;
  readonly messages: Readonly<Record<string, MessageSpec>>;
}

export interface FieldFlags {
  pointer: boolean;
  required: boolean;
  inline: boolean;
}

export interface Schema {
  root: protobuf.Root;
  /** `apiVersion/kind` → the message type of that object. */
  kinds: ReadonlyMap<string, Type>;
  flags(field: Field): FieldFlags;
}

const NO_FLAGS: FieldFlags = { pointer: false, required: false, inline: false };

/** Root namespace of every package, so `meta.Time` resolves from `k8s.core` by walking up. */
const ROOT_NS = 'k8s';

export function buildSchema(groups: readonly GroupSpec[]): Schema {
  const root = new protobuf.Root();
  const flagsByField = new Map<FieldBase, FieldFlags>();
  for (const g of groups) {
    const ns = root.define(`${ROOT_NS}.${g.pkg}`);
    for (const [name, fields] of Object.entries(g.messages)) {
      if (ns.get(name)) throw new Error(`protobuf schema: ${g.pkg}.${name} defined twice`);
      const t = new protobuf.Type(name);
      for (const [fname, [id, type, flagStr = '']] of Object.entries(fields)) {
        let f: FieldBase;
        if (type.startsWith('map<')) f = new protobuf.MapField(fname, id, 'string', type.slice(4, -1));
        else if (type.startsWith('[]')) f = new protobuf.Field(fname, id, type.slice(2), 'repeated');
        else f = new protobuf.Field(fname, id, type);
        t.add(f);
        if (flagStr) flagsByField.set(f, { pointer: flagStr.includes('p'), required: flagStr.includes('r'), inline: flagStr.includes('i') });
      }
      ns.add(t);
    }
  }
  // Throws on a reference to a message nobody defined: a typo in a descriptor fails at load, not per request.
  root.resolveAll();
  const kinds = new Map<string, Type>();
  for (const g of groups) {
    for (const [apiVersion, names] of Object.entries(g.kinds ?? {})) {
      for (const kind of names) kinds.set(`${apiVersion}/${kind}`, root.lookupType(`${ROOT_NS}.${g.pkg}.${kind}`));
    }
  }
  return { root, kinds, flags: (f) => flagsByField.get(f) ?? NO_FLAGS };
}

/** Joins message tables of one package, refusing a name defined twice (a spread would hide it). */
export function mergeMessages(...parts: Readonly<Record<string, MessageSpec>>[]): Record<string, MessageSpec> {
  const out: Record<string, MessageSpec> = {};
  for (const part of parts) {
    for (const [name, spec] of Object.entries(part)) {
      if (name in out) throw new Error(`protobuf schema: message ${name} defined twice`);
      out[name] = spec;
    }
  }
  return out;
}
