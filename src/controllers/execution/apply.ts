/**
 * Applying one manifest of a Work to its member cluster (removal is ./remove.ts).
 *
 * Server-side apply with field manager `flotilla` and force (the control plane is the
 * source of truth for every field the manifest declares; what it does not declare stays with
 * whoever set it on the member), after the retain rules (./retain.ts). An object that exists
 * on the member without Flotilla's mark of this Work is a conflict: left alone under Abort (the
 * default), taken over under Overwrite. Ownership is read from the member informer when it has
 * the object, else from the member itself, so nothing is ever taken over on a stale cache.
 * An object found absent in a synced informer is created (one request, and it fails rather
 * than overwrite an object someone else created meanwhile).
 */
import { ApiError, isAlreadyExists, isNotFound, type KubeClient } from '../../client/client.js';
import { interpreterFor } from '../../interpreter/index.js';
import { objectKey } from './applied-index.js';
import { appliedConfiguration, describeId, manifestId, type ManifestId } from './manifest.js';
import type { MemberInformers } from './member-informers.js';
import { gvrKey } from './member-informers.js';
import type { MemberNamespaces } from './namespaces.js';
import { conflictResolutionOf, FIELD_MANAGER, ownerOf, sameWork, stampOwnership, type WorkRef } from './ownership.js';
import { NotServedError, type Mapping, type RestMapper } from './restmapper.js';
import { retainForApply } from './retain.js';
import { VersionRecord } from './versions.js';

export interface MemberTarget {
  cluster: string;
  client: KubeClient;
  mapper: RestMapper;
  informers: MemberInformers;
  namespaces: MemberNamespaces;
  versions: VersionRecord;
}

export interface WorkInfo extends WorkRef {
  permanentId?: string;
  metadata?: { annotations?: Record<string, string> };
}

export type ManifestResult =
  /** key: the member object's objectKey. */
  | { ordinal: number; id?: ManifestId; ok: true; key: string }
  /** conflict: a member object not applied by this Work; retry: a later attempt may succeed. */
  | { ordinal: number; id?: ManifestId; ok: false; conflict: boolean; retry: boolean; message: string };

/** Where a manifest lives on the member: its mapping and namespace ('' when cluster-scoped). */
export async function locate(t: MemberTarget, id: ManifestId): Promise<{ mapping: Mapping; namespace: string }> {
  const mapping = await t.mapper.resolve(t.client, t.cluster, id.apiVersion, id.kind);
  // A namespaced manifest without a namespace goes where kubectl would put it.
  return { mapping, namespace: mapping.namespaced ? id.namespace || 'default' : '' };
}

/** The member's object: from the informer when it shows this Work's object, else asked for. */
export async function observe(t: MemberTarget, mapping: Mapping, namespace: string, name: string, work: WorkRef): Promise<any | undefined> {
  const inf = t.informers.ensure(t.cluster, mapping);
  const cached = inf?.hasSynced ? inf.getByName(namespace || undefined, name) : undefined;
  if (cached && sameWork(ownerOf(cached), work)) return cached;
  return getOrUndefined(t, mapping, namespace, name);
}

async function getOrUndefined(t: MemberTarget, mapping: Mapping, namespace: string, name: string): Promise<any | undefined> {
  try {
    return await t.client.get(mapping, name, namespace || undefined);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** Runs a write of the object at vkey, so its own watch event is not taken for someone else's change. */
async function recorded<T>(t: MemberTarget, vkey: string, write: () => Promise<T>): Promise<T> {
  t.versions.begin(vkey);
  let out: T;
  try {
    out = await write();
  } catch (e) {
    t.versions.settle(vkey);
    throw e;
  }
  t.versions.record(vkey, out as any);
  return out;
}

export async function applyManifest(t: MemberTarget, work: WorkInfo, manifest: any, ordinal: number): Promise<ManifestResult> {
  const id = manifestId(manifest);
  if (!id) return { ordinal, ok: false, conflict: false, retry: false, message: `manifest ${ordinal} has no apiVersion, kind or metadata.name` };
  const what = describeId(id);
  try {
    const { mapping, namespace } = await locate(t, id);
    if (namespace) await t.namespaces.ensure(t.client, t.cluster, namespace);
    const ok = { ordinal, id, ok: true as const, key: objectKey(mapping.group, mapping.resource, namespace, id.name) };
    const vkey = VersionRecord.key(t.cluster, gvrKey(mapping), namespace, id.name);
    let desired = appliedConfiguration(manifest);
    if (namespace) desired.metadata.namespace = namespace;
    stampOwnership(desired, work);

    const inf = t.informers.ensure(t.cluster, mapping);
    const cached = inf?.hasSynced ? inf.getByName(namespace || undefined, id.name) : undefined;
    let observed: any;
    if (cached && sameWork(ownerOf(cached), work)) observed = cached;
    else if (inf?.hasSynced && !cached) {
      // Nothing of Flotilla's there: a create costs one request, and fails rather than
      // overwrite if someone else's object exists (then it is looked at below).
      try {
        await recorded(t, vkey, () => t.client.create(mapping, desired, { fieldManager: FIELD_MANAGER, namespace: namespace || undefined }));
        return ok;
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
      }
      observed = await getOrUndefined(t, mapping, namespace, id.name);
    } else observed = await getOrUndefined(t, mapping, namespace, id.name);

    const owner = ownerOf(observed);
    if (observed && !sameWork(owner, work) && conflictResolutionOf(manifest, work) === 'Abort') {
      const by = owner ? `applied by Work ${owner.namespace}/${owner.name}` : 'not managed by Flotilla';
      return {
        ordinal,
        id,
        ok: false,
        conflict: true,
        retry: false,
        message: `${what} already exists in cluster ${t.cluster} and is ${by}; conflictResolution is Abort, so it is left alone (set conflictResolution: Overwrite on the policy to take it over)`,
      };
    }
    if (observed) desired = retainForApply(desired, observed, interpreterFor(id.apiVersion, id.kind));
    await recorded(t, vkey, () => t.client.apply(mapping, desired, { fieldManager: FIELD_MANAGER, force: true, namespace: namespace || undefined }));
    return ok;
  } catch (e) {
    if (e instanceof ApiError && e.code === 404 && /namespaces? .*not found/i.test(e.message)) t.namespaces.forget(t.cluster, id.namespace);
    return { ordinal, id, ok: false, conflict: false, retry: retryable(e), message: `failed to apply ${what} to cluster ${t.cluster}: ${(e as Error).message}` };
  }
}

/** Whether trying again later can help: not for requests the member rejected as invalid. */
export function retryable(e: unknown): boolean {
  if (e instanceof NotServedError) return true; // a CRD may be installed later
  if (!(e instanceof ApiError)) return true;
  return !(e.code === 400 || e.code === 422);
}
