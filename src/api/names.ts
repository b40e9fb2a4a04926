/**
 * Object names derived exactly as Karmada derives them (pkg/util/names/names.go), so that bindings,
 * Works and execution namespaces created by Flotilla have the names Karmada users and tools expect.
 */

/** Prefix of the namespace that holds a member cluster's Works. */
export const EXECUTION_SPACE_PREFIX = 'karmada-es-';
export const KUBERNETES_RESERVED_NS_PREFIX = 'kube-';
export const NAMESPACE_KARMADA_SYSTEM = 'karmada-system';
export const NAMESPACE_KARMADA_CLUSTER = 'karmada-cluster';

/** `karmada-es-<cluster>`. */
export function executionSpaceName(clusterName: string): string {
  if (!clusterName) throw new Error('the member cluster name is empty');
  return EXECUTION_SPACE_PREFIX + clusterName;
}

/** The cluster an execution namespace belongs to, or undefined when it is not one. */
export function clusterNameOf(executionSpace: string): string | undefined {
  return executionSpace.startsWith(EXECUTION_SPACE_PREFIX) ? executionSpace.slice(EXECUTION_SPACE_PREFIX.length) : undefined;
}

/** Namespaces no policy may propagate from (system ones and execution spaces). */
export function isReservedNamespace(namespace: string): boolean {
  return (
    namespace === NAMESPACE_KARMADA_SYSTEM ||
    namespace === NAMESPACE_KARMADA_CLUSTER ||
    namespace.startsWith(EXECUTION_SPACE_PREFIX) ||
    namespace.startsWith(KUBERNETES_RESERVED_NS_PREFIX)
  );
}

// RBAC object names may hold ':' which is not valid in a DNS subdomain (a CRD object's name);
// Karmada replaces only that character.
const dnsSafe = (name: string) => name.replaceAll(':', '.');

/** (Cluster)ResourceBinding name: lower(`<name>-<kind>`) with ':' replaced by '.'. */
export function bindingName(kind: string, name: string): string {
  return `${dnsSafe(name)}-${kind}`.toLowerCase();
}

/**
 * Work name: `<name>-<hash>` where name is lowered and ':'-safe, and hash is FNV-1a (32 bit) of
 * lower(`<namespace>-<name>-<kind>`) (or lower(`<name>-<kind>`) for cluster-scoped resources),
 * printed in decimal and passed through SafeEncodeString. Karmada hashes the string through
 * kr/pretty's "%v", which writes it unchanged, so the hash input is the bare string.
 */
export function workName(kind: string, name: string, namespace = ''): string {
  const safe = dnsSafe(name).toLowerCase();
  const key = (namespace ? `${namespace}-${safe}-${kind}` : `${safe}-${kind}`).toLowerCase();
  return `${safe}-${safeEncodeString(String(fnv32a(key)))}`;
}

/** Key of a binding in requiredBy indexes: hash of `<namespace>/<name>` (or `<name>`). */
export function bindingReferenceKey(namespace: string, name: string): string {
  return safeEncodeString(String(fnv32a(namespace ? `${namespace}/${name}` : name)));
}

/** FNV-1a, 32 bit, over the UTF-8 bytes (Go's hash/fnv New32a). */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(s)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

// k8s.io/apimachinery/pkg/util/rand: consonants and digits only, so the result never spells words.
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: maps each byte to ALPHANUMS[byte % 27]. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(s)) out += ALPHANUMS[b % ALPHANUMS.length];
  return out;
}
