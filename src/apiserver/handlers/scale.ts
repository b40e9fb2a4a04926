/**
 * The autoscaling/v1 Scale view of an object with a scale subresource (Deployment,
 * ReplicaSet, StatefulSet, CRDs that declare one): read it, and write spec.replicas back.
 */
import { errors } from '../errors.js';
import type { ResourceType } from '../resources/types.js';
import { labelSelectorToString } from '../../selectors/labels.js';

function at(obj: any, path: string): any {
  let cur = obj;
  for (const p of path.replace(/^\./, '').split('.')) {
    if (cur == null) return undefined;
    cur = cur[p];
  }
  return cur;
}

function setAt(obj: any, path: string, value: unknown): void {
  const parts = path.replace(/^\./, '').split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) cur = cur[p] ??= {};
  cur[parts[parts.length - 1]!] = value;
}

export function toScale(rt: ResourceType, obj: any): any {
  const sc = rt.subresources.scale!;
  const md = obj.metadata;
  const sel = sc.labelSelectorPath ? at(obj, sc.labelSelectorPath) : undefined;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: md.name,
      namespace: md.namespace,
      uid: md.uid,
      resourceVersion: md.resourceVersion,
      creationTimestamp: md.creationTimestamp,
    },
    spec: { replicas: at(obj, sc.specReplicasPath) ?? 0 },
    status: {
      replicas: at(obj, sc.statusReplicasPath) ?? 0,
      ...(sel !== undefined ? { selector: typeof sel === 'string' ? sel : labelSelectorToString(sel) } : {}),
    },
  };
}

/** Apply a desired Scale to the object; validates replicas and honours the Scale's resourceVersion. */
export function applyScale(rt: ResourceType, obj: any, scale: any): any {
  if (!scale || typeof scale !== 'object') throw errors.badRequest('the request body must be a Scale object');
  if (scale.kind !== undefined && scale.kind !== 'Scale') throw errors.badRequest(`the kind in the data (${scale.kind}) does not match the expected kind (Scale)`);
  const replicas = scale.spec?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)
    throw errors.invalid('autoscaling', 'Scale', obj.metadata.name, [
      { reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` },
    ]);
  setAt(obj, rt.subresources.scale!.specReplicasPath, replicas);
  const rv = scale.metadata?.resourceVersion;
  if (rv) obj.metadata.resourceVersion = rv;
  else delete obj.metadata.resourceVersion;
  return obj;
}
