/**
 * A Work manifest as an applied configuration: what identifies it, and the copy that is sent to
 * the member with server-side apply.
 */

export interface ManifestId {
  apiVersion: string;
  kind: string;
  /** '' for cluster-scoped objects. */
  namespace: string;
  name: string;
}

type Json = Record<string, any>;

/** apiVersion, kind, namespace and name of a manifest; undefined when one of them is missing. */
export function manifestId(manifest: unknown): ManifestId | undefined {
  if (!manifest || typeof manifest !== 'object') return undefined;
  const m = manifest as Json;
  const name = m.metadata?.name;
  if (typeof m.apiVersion !== 'string' || typeof m.kind !== 'string' || typeof name !== 'string' || !m.apiVersion || !m.kind || !name) return undefined;
  return { apiVersion: m.apiVersion, kind: m.kind, namespace: typeof m.metadata.namespace === 'string' ? m.metadata.namespace : '', name };
}

export const describeId = (id: ManifestId): string => `${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}`;

/** Group and version of an apiVersion ("apps/v1" → ["apps", "v1"], "v1" → ["", "v1"]). */
export function splitApiVersion(apiVersion: string): [string, string] {
  const i = apiVersion.indexOf('/');
  return i < 0 ? ['', apiVersion] : [apiVersion.slice(0, i), apiVersion.slice(i + 1)];
}

// Fields the control plane's API server wrote on the template: they mean nothing on the member,
// and resourceVersion in an applied configuration would even act as a precondition.
const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink', 'generateName'];
// Owners on the control plane do not exist on the member; finalizers there would block deletion
// forever, since no member controller knows them.
const CONTROL_PLANE_ONLY = ['ownerReferences', 'finalizers'];

/**
 * The configuration Flotilla applies for a manifest: a copy without server-written metadata,
 * control-plane-only metadata and status (a member's status is its own).
 */
export function appliedConfiguration(manifest: Json): Json {
  const out = structuredClone(manifest);
  delete out.status;
  const md = (out.metadata ??= {});
  for (const k of [...SERVER_METADATA, ...CONTROL_PLANE_ONLY]) delete md[k];
  if (md.namespace === '') delete md.namespace;
  return out;
}
