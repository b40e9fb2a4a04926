/**
 * Deterministic hashes of pod templates and revision data, as kube-controller-manager names
 * ReplicaSets (`<deployment>-<pod-template-hash>`) and ControllerRevisions. Kubernetes hashes
 * the Go struct dump; we hash canonical JSON (keys sorted) with the same FNV functions and the
 * same SafeEncodeString alphabet, so names look and behave alike (stable across restarts and
 * key order, different when the template changes) without matching real hashes bit for bit.
 */

const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/** k8s.io/apimachinery/pkg/util/rand: no vowels (no words) and no look-alikes (0/o, 1/l/i). */
export const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a, 32 bits (hash/fnv New32a), over the bytes given. */
export function fnv32a(bytes: Uint8Array, seed = FNV32_OFFSET): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, FNV32_PRIME) >>> 0;
  }
  return h >>> 0;
}

/** FNV-1, 32 bits (hash/fnv New32): multiply, then xor. ControllerRevision names use this one. */
export function fnv32(bytes: Uint8Array, seed = FNV32_OFFSET): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h = Math.imul(h, FNV32_PRIME) >>> 0;
    h ^= b;
  }
  return h >>> 0;
}

/** rand.SafeEncodeString: every character mapped into the safe alphabet by its byte value. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) out += SAFE_ALPHABET[b % SAFE_ALPHABET.length];
  return out;
}

/**
 * JSON with object keys sorted at every level and null or undefined fields dropped: equal
 * values, equal text. A null field means "unset" to Kubernetes (clients such as kubectl send
 * `"creationTimestamp": null` inside templates), so it must not make two templates differ.
 */
export function canonicalJSON(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonicalJSON(x))).join(',')}]`;
  const keys = Object.keys(v as object)
    .filter((k) => (v as Record<string, unknown>)[k] !== undefined && (v as Record<string, unknown>)[k] !== null)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJSON((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');

/**
 * controller.ComputeHash: FNV-32a of the template, then the collision count as 4 little-endian
 * bytes padded to 8 when there is one, written as decimal and safe-encoded.
 */
export function computeTemplateHash(template: unknown, collisionCount?: number | null): string {
  let h = fnv32a(utf8(canonicalJSON(template ?? {})));
  if (collisionCount !== undefined && collisionCount !== null) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(b, h);
  }
  return safeEncodeString(String(h));
}

/** history.HashControllerRevision: FNV-32 of the data, then the probe (collision count) as decimal. */
export function hashRevisionData(data: unknown, collisionCount?: number | null): string {
  let h = fnv32(utf8(canonicalJSON(data ?? {})));
  if (collisionCount !== undefined && collisionCount !== null) h = fnv32(utf8(String(collisionCount)), h);
  return safeEncodeString(String(h));
}

/** history.ControllerRevisionName: the prefix is cut to keep the name a valid object name. */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}
