/**
 * Routing events about owned objects (pods, ReplicaSets, Jobs) to their owners' work queues,
 * as each kube-controller-manager controller's add/update/deletePod handlers do: an object
 * with a controller reference wakes that controller (and counts toward its expectations); an
 * orphan wakes every owner whose selector matches it, so one of them can adopt it.
 */
import type { Informer } from '../../client/informer.js';
import type { Expectations } from './expectations.js';
import { controllerRefOf, namespacedKey, selectorFor, type Meta } from './util.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';

type Owner = Meta & { spec?: { selector?: unknown } };

export interface OwnedRouting {
  /** Kind in the controller reference of the objects this owner controls ("ReplicaSet"). */
  ownerKind: string;
  owners: Informer<Owner>;
  enqueue(key: string): void;
  /** Observed creations and deletions are reported here, keyed by the owner's key. */
  expectations?: Expectations;
  /** Whether orphans are matched to owners by selector (false for CronJobs, which never adopt). */
  adoptOrphans?: boolean;
}

/** The owner a controller reference points at, if it is in the cache with that UID. */
export function resolveOwner(owners: Informer<Owner>, ownerKind: string, namespace: string | undefined, ref: OwnerReference | undefined): Owner | undefined {
  if (!ref || ref.kind !== ownerKind) return undefined;
  const owner = owners.getByName(namespace, ref.name);
  return owner && owner.metadata?.uid === ref.uid ? owner : undefined;
}

/** Owners in obj's namespace whose selector matches obj's labels (getPodReplicaSets and friends). */
export function matchingOwners(owners: Informer<Owner>, obj: Meta): Owner[] {
  const ns = obj.metadata?.namespace;
  const labels = obj.metadata?.labels ?? {};
  return owners.list().filter((o) => {
    if (o.metadata?.namespace !== ns) return false;
    const sel = o.spec?.selector as Parameters<typeof selectorFor>[0];
    if (!sel) return false;
    const s = selectorFor(sel);
    return !s.empty && s.matches(labels);
  });
}

/** Subscribes the routing to the owned objects' informer. */
export function routeOwned(owned: Informer<Meta>, r: OwnedRouting): void {
  const ownerOf = (obj: Meta) => resolveOwner(r.owners, r.ownerKind, obj.metadata?.namespace, controllerRefOf(obj));
  const orphanOwners = (obj: Meta) => (r.adoptOrphans === false ? [] : matchingOwners(r.owners, obj));

  const onDelete = (obj: Meta): void => {
    const owner = ownerOf(obj);
    if (!owner) return;
    const key = namespacedKey(owner);
    r.expectations?.deletionObserved(key, namespacedKey(obj));
    r.enqueue(key);
  };

  owned.on({
    add(obj) {
      if (obj.metadata?.deletionTimestamp) {
        // Already on its way out (seen after a relist): a deletion, never a creation.
        onDelete(obj);
        return;
      }
      const owner = ownerOf(obj);
      if (owner) {
        const key = namespacedKey(owner);
        r.expectations?.creationObserved(key);
        r.enqueue(key);
        return;
      }
      if (!controllerRefOf(obj)) for (const o of orphanOwners(obj)) r.enqueue(namespacedKey(o));
    },
    update(old, cur) {
      if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
      const labelsChanged = JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(cur.metadata?.labels ?? {});
      if (cur.metadata?.deletionTimestamp) {
        // Graceful deletion: the owner should replace the object now, not when it is finally gone.
        onDelete(cur);
        if (labelsChanged) onDelete(old);
        return;
      }
      const oldRef = controllerRefOf(old);
      const curRef = controllerRefOf(cur);
      const refChanged = JSON.stringify(oldRef ?? null) !== JSON.stringify(curRef ?? null);
      if (refChanged && oldRef) {
        const prev = ownerOf(old);
        if (prev) r.enqueue(namespacedKey(prev));
      }
      if (curRef) {
        const owner = ownerOf(cur);
        if (owner) r.enqueue(namespacedKey(owner));
        return;
      }
      if (labelsChanged || refChanged) for (const o of orphanOwners(cur)) r.enqueue(namespacedKey(o));
    },
    delete: onDelete,
  });
}

/** Subscribes enqueue to an owner kind's own informer; deleted owners drop their expectations. */
export function routeOwners(owners: Informer<Meta>, enqueue: (key: string) => void, expectations?: Expectations): void {
  owners.on({
    add: (o) => enqueue(namespacedKey(o)),
    update: (old, cur) => {
      if (old.metadata?.uid !== cur.metadata?.uid) expectations?.delete(namespacedKey(old));
      enqueue(namespacedKey(cur));
    },
    delete: (o) => {
      expectations?.delete(namespacedKey(o));
      enqueue(namespacedKey(o));
    },
  });
}
