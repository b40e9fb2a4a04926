/**
 * Which member objects each Work applied, as the member informers report them (by the Work's
 * mark on the object). Lets execution remove an object whose manifest left the Work, and find
 * everything a deleted Work applied even when its manifests no longer say.
 */
import type { ResourceRef } from '../../client/client.js';
import { ownerOf } from './ownership.js';

export interface AppliedObject {
  cluster: string;
  gvr: ResourceRef;
  namespace: string;
  name: string;
  uid: string;
}

/**
 * Identity of an object across API versions: group, resource, namespace, name. (Not the kind:
 * list items from a real API server carry no kind.)
 */
export const objectKey = (group: string, resource: string, namespace: string, name: string): string => `${group}|${resource}|${namespace}/${name}`;

export class AppliedIndex {
  readonly #byWork = new Map<string, Map<string, AppliedObject>>();

  /** Feeds one member informer event. */
  observe(cluster: string, gvr: ResourceRef, type: 'add' | 'update' | 'delete', obj: any, old?: any): void {
    if (old) this.#remove(old, gvr);
    if (type === 'delete') return this.#remove(obj, gvr);
    const owner = ownerOf(obj);
    if (!owner) return;
    const workKey = `${owner.namespace}/${owner.name}`;
    let m = this.#byWork.get(workKey);
    if (!m) this.#byWork.set(workKey, (m = new Map()));
    const namespace = obj.metadata?.namespace ?? '';
    m.set(objectKey(gvr.group, gvr.resource, namespace, obj.metadata.name), { cluster, gvr, namespace, name: obj.metadata.name, uid: obj.metadata.uid });
  }

  /** Objects the Work applied, by objectKey. */
  of(workKey: string): ReadonlyMap<string, AppliedObject> {
    return this.#byWork.get(workKey) ?? new Map();
  }

  forgetCluster(cluster: string): void {
    for (const [k, m] of this.#byWork) {
      for (const [ok, o] of m) if (o.cluster === cluster) m.delete(ok);
      if (!m.size) this.#byWork.delete(k);
    }
  }

  #remove(obj: any, gvr: ResourceRef): void {
    const owner = ownerOf(obj);
    if (!owner) return;
    const workKey = `${owner.namespace}/${owner.name}`;
    const m = this.#byWork.get(workKey);
    if (!m) return;
    m.delete(objectKey(gvr.group, gvr.resource, obj.metadata?.namespace ?? '', obj.metadata?.name));
    if (!m.size) this.#byWork.delete(workKey);
  }
}
