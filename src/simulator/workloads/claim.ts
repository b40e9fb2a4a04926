/**
 * Adoption and orphaning by controller reference (controller.BaseControllerRefManager): an
 * owner claims the objects its selector matches that have no controller, and releases the ones
 * it controls that its selector no longer matches. Objects controlled by someone else are
 * never touched.
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { isNotFound } from '../../client/client.js';
import type { LabelSelector } from '../../selectors/labels.js';
import { controllerRefOf, newControllerRef, type Meta } from './util.js';

export interface ClaimManager<T extends Meta> {
  owner: Meta;
  ownerApiVersion: string;
  ownerKind: string;
  selector: LabelSelector;
  /**
   * Re-reads the owner from the API server (not the cache): adoption is allowed only when it
   * still exists with the same UID and is not being deleted (RecheckDeletionTimestamp).
   */
  canAdopt(): Promise<boolean>;
  /** Applies a JSON merge patch to obj and returns the result. */
  patch(obj: T, patch: Record<string, unknown>): Promise<T>;
  /** Finalizers added on adoption (the Job controller's tracking finalizer). */
  adoptFinalizers?: readonly string[];
}

/** What claiming would do with one object, decided without I/O. */
export type ClaimDecision = 'keep' | 'ignore' | 'release' | 'adopt';

export function claimDecision(obj: Meta, owner: Meta, selector: LabelSelector): ClaimDecision {
  const ref = controllerRefOf(obj);
  const ownerDeleting = !!owner.metadata?.deletionTimestamp;
  const matches = selector.matches(obj.metadata?.labels ?? {});
  if (ref) {
    if (ref.uid !== owner.metadata?.uid) return 'ignore';
    if (matches) return 'keep';
    return ownerDeleting ? 'ignore' : 'release';
  }
  if (ownerDeleting || !matches || obj.metadata?.deletionTimestamp) return 'ignore';
  return 'adopt';
}

/** The merge patch that adds owner as controller (and finalizers), guarded by resourceVersion. */
export function adoptPatch(obj: Meta, ref: OwnerReference, finalizers: readonly string[] = []): Record<string, unknown> {
  const metadata: Record<string, unknown> = {
    resourceVersion: obj.metadata?.resourceVersion,
    ownerReferences: [...(obj.metadata?.ownerReferences ?? []).filter((r) => r.uid !== ref.uid), ref],
  };
  const have = obj.metadata?.finalizers ?? [];
  const add = finalizers.filter((f) => !have.includes(f));
  if (add.length) metadata.finalizers = [...have, ...add];
  return { metadata };
}

/** The merge patch that removes ownerUID from obj's owner references, guarded by resourceVersion. */
export function releasePatch(obj: Meta, ownerUID: string): Record<string, unknown> {
  const refs = (obj.metadata?.ownerReferences ?? []).filter((r) => r.uid !== ownerUID);
  return { metadata: { resourceVersion: obj.metadata?.resourceVersion, ownerReferences: refs.length ? refs : null } };
}

/**
 * Claims objs for the owner: returns those it controls afterwards. Adoption and release
 * failures (other than the object being gone) are thrown after trying the rest, so the
 * caller retries; an owner that is gone or being deleted adopts nothing.
 */
export async function claimObjects<T extends Meta>(objs: readonly T[], m: ClaimManager<T>): Promise<T[]> {
  const claimed: T[] = [];
  let adoptable: boolean | undefined;
  let firstError: unknown;
  const ref = newControllerRef(m.owner, m.ownerApiVersion, m.ownerKind);
  for (const obj of objs) {
    const decision = claimDecision(obj, m.owner, m.selector);
    if (decision === 'keep') {
      claimed.push(obj);
      continue;
    }
    if (decision === 'ignore') continue;
    try {
      if (decision === 'release') {
        await m.patch(obj, releasePatch(obj, ref.uid));
        continue;
      }
      adoptable ??= await m.canAdopt();
      if (!adoptable) {
        firstError ??= new Error(`${m.ownerKind} ${m.owner.metadata?.namespace}/${m.owner.metadata?.name} is gone or being deleted; not adopting`);
        continue;
      }
      claimed.push(await m.patch(obj, adoptPatch(obj, ref, m.adoptFinalizers)));
    } catch (e) {
      if (!isNotFound(e)) firstError ??= e;
    }
  }
  if (firstError !== undefined) throw firstError;
  return claimed;
}
