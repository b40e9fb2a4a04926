/**
 * Work.status.manifestStatuses: for each manifest whose object this Work applied and the member
 * informer holds, its identifier, the interpreter's reflected status and health (Karmada's
 * reflectStatus / interpretHealth in the work-status controller). Manifests not observed (yet)
 * have no entry, as in Karmada.
 */
import type { ManifestStatus } from '../../api/work.js';
import { interpreterFor } from '../../interpreter/index.js';
import type { Mapping } from '../execution/index.js';

export interface Observed {
  ordinal: number;
  mapping: Pick<Mapping, 'group' | 'version' | 'resource' | 'kind'>;
  /** The member object as the informer holds it. */
  obj: Record<string, any>;
}

/** One manifest's entry. List items carry no apiVersion/kind, so they are set from the mapping. */
export function manifestStatus(o: Observed): ManifestStatus {
  const { group, version, resource, kind } = o.mapping;
  const apiVersion = group ? `${group}/${version}` : version;
  const obj: Record<string, any> = { ...o.obj, apiVersion, kind };
  const interp = interpreterFor(apiVersion, kind);
  const status = interp.reflectStatus(obj);
  const namespace = obj.metadata?.namespace;
  return {
    identifier: { ordinal: o.ordinal, group, version, kind, resource, ...(namespace ? { namespace } : {}), name: obj.metadata?.name },
    ...(status !== undefined ? { status } : {}),
    health: interp.interpretHealth(obj),
  };
}

export function manifestStatuses(observed: readonly Observed[]): ManifestStatus[] {
  return [...observed].sort((a, b) => a.ordinal - b.ordinal).map(manifestStatus);
}
