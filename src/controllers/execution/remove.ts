/**
 * Taking a Work's objects off a member: deleting what it applied (only objects carrying this
 * Work's mark, and with the uid seen, so an object recreated by someone else meanwhile
 * survives; in the background, so ReplicaSets and Pods follow), or releasing them when the Work
 * asked to preserve them.
 */
import { isConflict, isNotFound } from '../../client/client.js';
import type { AppliedObject } from './applied-index.js';
import { locate, observe, type MemberTarget } from './apply.js';
import { manifestId } from './manifest.js';
import { gvrKey } from './member-informers.js';
import { FIELD_MANAGER, OWNERSHIP_ANNOTATIONS, OWNERSHIP_LABELS, ownerOf, sameWork, type WorkRef } from './ownership.js';
import { NotServedError, type Mapping } from './restmapper.js';
import { VersionRecord } from './versions.js';

/** Removes what the Work applied for this manifest; throws when the member must be asked again. */
export async function deleteManifest(t: MemberTarget, work: WorkRef, manifest: any): Promise<void> {
  const id = manifestId(manifest);
  if (!id) return;
  let loc: { mapping: Mapping; namespace: string };
  try {
    loc = await locate(t, id);
  } catch (e) {
    if (e instanceof NotServedError) return; // the member cannot hold such an object
    throw e;
  }
  const { mapping, namespace } = loc;
  const observed = await observe(t, mapping, namespace, id.name, work);
  const key = VersionRecord.key(t.cluster, gvrKey(mapping), namespace, id.name);
  t.versions.forget(key);
  if (!observed || !sameWork(ownerOf(observed), work)) return; // gone, or never ours: leave it
  try {
    await t.client.delete(mapping, id.name, { namespace: namespace || undefined, propagationPolicy: 'Background', preconditions: { uid: observed.metadata.uid } });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

/**
 * Leaves the object of this manifest on the member but takes Flotilla's marks off it
 * (preserveResourcesOnDeletion): it is then an ordinary member object, which no Work owns and
 * a later Work only takes over under Overwrite (Karmada's cleanup of claim metadata).
 */
export async function releaseManifest(t: MemberTarget, work: WorkRef, manifest: any): Promise<void> {
  const id = manifestId(manifest);
  if (!id) return;
  let loc: { mapping: Mapping; namespace: string };
  try {
    loc = await locate(t, id);
  } catch (e) {
    if (e instanceof NotServedError) return;
    throw e;
  }
  const { mapping, namespace } = loc;
  const observed = await observe(t, mapping, namespace, id.name, work);
  t.versions.forget(VersionRecord.key(t.cluster, gvrKey(mapping), namespace, id.name));
  if (!observed || !sameWork(ownerOf(observed), work)) return;
  const unset = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, null]));
  const patch = { metadata: { resourceVersion: observed.metadata.resourceVersion, labels: unset(OWNERSHIP_LABELS), annotations: unset(OWNERSHIP_ANNOTATIONS) } };
  try {
    await t.client.patch(mapping, id.name, patch, 'merge', { namespace: namespace || undefined, fieldManager: FIELD_MANAGER });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

/** Removes an object the Work applied earlier and no longer declares (known by its uid). */
export async function deleteApplied(t: MemberTarget, obj: AppliedObject): Promise<void> {
  t.versions.forget(VersionRecord.key(t.cluster, gvrKey(obj.gvr), obj.namespace, obj.name));
  try {
    await t.client.delete(obj.gvr, obj.name, { namespace: obj.namespace || undefined, propagationPolicy: 'Background', preconditions: { uid: obj.uid } });
  } catch (e) {
    if (!isNotFound(e) && !isConflict(e)) throw e; // gone, or replaced by someone else: leave it
  }
}

