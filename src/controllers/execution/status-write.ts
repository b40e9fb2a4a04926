/**
 * Writing part of an object's status, computed from the object as last seen: a JSON merge patch
 * of the status subresource with the object's resourceVersion as precondition. When someone
 * wrote in between (409), the object is read again and the part recomputed, once; a patch that
 * would change nothing is not sent. Fields are written whole (lists are replaced by a merge
 * patch anyway), so each controller owns distinct status fields and they never undo each other.
 */
import { isConflict, isNotFound, type KubeClient, type ResourceRef } from '../../client/client.js';

type Obj = { metadata: { name?: string; namespace?: string; resourceVersion?: string }; status?: Record<string, unknown> };

/**
 * compute(obj) returns the status fields to set, or undefined when obj already has them.
 * precondition false: for fields computed from elsewhere (not from obj), where the last writer
 * is right anyway; skips the resourceVersion check and with it needless conflicts. A deleted
 * object is not an error: there is nothing left to report on.
 */
export async function patchStatus<T extends Obj>(
  client: KubeClient,
  ref: ResourceRef,
  obj: T,
  compute: (obj: T) => Record<string, unknown> | undefined,
  opts: { precondition?: boolean } = {},
): Promise<T | undefined> {
  const withRV = opts.precondition ?? true;
  const send = (cur: T, fields: Record<string, unknown>) =>
    client.patch<T>(ref, cur.metadata.name!, { ...(withRV ? { metadata: { resourceVersion: cur.metadata.resourceVersion } } : {}), status: fields }, 'merge', {
      namespace: cur.metadata.namespace,
      subresource: 'status',
    });
  const fields = compute(obj);
  if (!fields) return obj;
  try {
    return await send(obj, fields);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    if (!isConflict(e)) throw e;
  }
  let fresh: T;
  try {
    fresh = await client.get<T>(ref, obj.metadata.name!, obj.metadata.namespace);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
  const again = compute(fresh);
  return again ? send(fresh, again) : fresh;
}

/** Merge-patches metadata.finalizers to `finalizers`, with the object's resourceVersion as precondition. */
export function patchFinalizers(client: KubeClient, ref: ResourceRef, obj: Obj, finalizers: string[]): Promise<unknown> {
  return client.patch(ref, obj.metadata.name!, { metadata: { resourceVersion: obj.metadata.resourceVersion, finalizers } }, 'merge', { namespace: obj.metadata.namespace });
}
