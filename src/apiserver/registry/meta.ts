/**
 * ObjectMeta bookkeeping shared by every kind: identity on create, immutability on update,
 * and metadata validation with Kubernetes' messages.
 */
import { randomUUID, randomInt } from 'node:crypto';
import type { StatusCause } from '../errors.js';
import { rfc3339 } from '../../util/time.js';
import type { ResourceType } from '../resources/types.js';
import { isDNS1123Label, isDNS1123Subdomain, validateAnnotations, validateLabels, isQualifiedName, type FieldCause } from '../../util/validation.js';

const asCauses = (cs: FieldCause[]): StatusCause[] => cs.map((c) => ({ reason: c.type, message: c.message, field: c.field }));

/** RFC 3339 with whole seconds, as metadata timestamps are served (memoised per second). */
export function nowRFC3339(ms = Date.now()): string {
  return rfc3339(ms);
}

const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
export function generateName(base: string): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += NAME_ALPHABET[randomInt(NAME_ALPHABET.length)];
  return base.slice(0, 63 - 5) + s;
}

export function setCreateIdentity(obj: any, now: number): void {
  const md = obj.metadata;
  md.uid = randomUUID();
  md.creationTimestamp = nowRFC3339(now);
  delete md.deletionTimestamp;
  delete md.deletionGracePeriodSeconds;
  delete md.resourceVersion;
  delete md.generation;
  delete md.selfLink;
}

/** Fields a client may not change after create: copied back from the stored object. */
export function keepImmutableMeta(next: any, old: any): void {
  const n = next.metadata;
  const o = old.metadata;
  n.uid = o.uid;
  n.creationTimestamp = o.creationTimestamp;
  n.name = o.name;
  if (o.namespace !== undefined) n.namespace = o.namespace;
  else delete n.namespace;
  if (o.deletionTimestamp) {
    n.deletionTimestamp = o.deletionTimestamp;
    n.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds;
  } else {
    delete n.deletionTimestamp;
    delete n.deletionGracePeriodSeconds;
  }
  if (o.generation !== undefined) n.generation = o.generation;
  else delete n.generation;
  delete n.resourceVersion;
}

export function validateName(rt: ResourceType, name: unknown, field = 'metadata.name'): StatusCause[] {
  if (typeof name !== 'string' || name === '') return [{ reason: 'FieldValueRequired', field, message: 'Required value: name or generateName is required' }];
  let msgs: string[];
  if (rt.nameRule === 'label') msgs = isDNS1123Label(name);
  else if (rt.nameRule === 'path') msgs = name === '.' || name === '..' ? [`may not be '${name}'`] : /[/%]/.test(name) ? [`may not contain '/' or '%'`] : [];
  else msgs = isDNS1123Subdomain(name);
  return msgs.map((m) => ({ reason: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(name)}: ${m}` }));
}

export function validateMeta(rt: ResourceType, obj: any, old?: any): StatusCause[] {
  const md = obj.metadata;
  const causes: StatusCause[] = [];
  if (!old) causes.push(...validateName(rt, md.name));
  if (md.labels !== undefined) causes.push(...asCauses(validateLabels(md.labels, 'metadata.labels')));
  if (md.annotations !== undefined) causes.push(...asCauses(validateAnnotations(md.annotations, 'metadata.annotations')));
  if (md.finalizers !== undefined) {
    if (!Array.isArray(md.finalizers)) causes.push({ reason: 'FieldValueInvalid', field: 'metadata.finalizers', message: 'must be a list of strings' });
    else
      md.finalizers.forEach((f: unknown, i: number) => {
        const bad = typeof f !== 'string' ? ['must be a string'] : isQualifiedName(f);
        for (const m of bad) causes.push({ reason: 'FieldValueInvalid', field: `metadata.finalizers[${i}]`, message: `Invalid value: ${JSON.stringify(f)}: ${m}` });
      });
    if (old?.metadata?.deletionTimestamp && Array.isArray(md.finalizers)) {
      const had = new Set(old.metadata.finalizers ?? []);
      for (const f of md.finalizers)
        if (!had.has(f)) causes.push({ reason: 'FieldValueForbidden', field: 'metadata.finalizers', message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${JSON.stringify(f)}}` });
    }
  }
  if (md.ownerReferences !== undefined) {
    if (!Array.isArray(md.ownerReferences)) causes.push({ reason: 'FieldValueInvalid', field: 'metadata.ownerReferences', message: 'must be a list' });
    else
      md.ownerReferences.forEach((r: any, i: number) => {
        for (const f of ['apiVersion', 'kind', 'name', 'uid'])
          if (!r?.[f]) causes.push({ reason: 'FieldValueRequired', field: `metadata.ownerReferences[${i}].${f}`, message: 'Required value' });
      });
  }
  return causes;
}

/** The body's namespace must agree with the URL's (or be absent). */
export function namespaceMismatch(rt: ResourceType, obj: any, urlNamespace: string): string | null {
  const bodyNs = obj.metadata?.namespace;
  if (!rt.namespaced) {
    if (bodyNs) delete obj.metadata.namespace;
    return null;
  }
  if (bodyNs && bodyNs !== urlNamespace) return 'the namespace of the provided object does not match the namespace sent on the request';
  obj.metadata.namespace = urlNamespace;
  return null;
}
