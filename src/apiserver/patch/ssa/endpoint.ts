/**
 * Which parts of an object a write through a given endpoint can own, as upstream's reset
 * fields (GetResetFields) and its strip-meta manager decide:
 *
 *   - identity and bookkeeping (apiVersion, kind, metadata.name/namespace/uid/...) are never
 *     owned by anyone;
 *   - the main resource of a kind with a status subresource does not own .status (the
 *     registry resets it); /status owns only .status; /scale only the replicas.
 */
import type { ResourceType } from '../../resources/types.js';
import type { Subresource } from '../../registry/strategy.js';
import { FieldSet } from './fieldset.js';

type Obj = Record<string, any>;

/** metadata fields nobody owns (upstream stripMetaManager), besides the `metadata` node itself. */
export const UNOWNED_METADATA = ['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'];
const UNOWNED_TOP = ['apiVersion', 'kind'];

/** Top-level keys a write through `subresource` may own; undefined means all but `ignored`. */
export interface OwnableFields {
  only?: ReadonlySet<string>;
  ignored: ReadonlySet<string>;
}

export function ownableFields(rt: ResourceType, subresource: Subresource | string): OwnableFields {
  switch (subresource) {
    case 'status':
      return { only: new Set(['metadata', 'status']), ignored: new Set() };
    case 'scale':
      return { only: new Set(['metadata', 'spec']), ignored: new Set() };
    default:
      return { ignored: rt.subresources.status || rt.strategy === 'namespace' ? new Set(['status']) : new Set() };
  }
}

const ownable = (o: OwnableFields, key: string) => !UNOWNED_TOP.includes(key) && !o.ignored.has(key) && (!o.only || o.only.has(key));

/** A shallow view of `obj` with only what can be owned (for comparisons). */
export function ownableView(obj: Obj, o: OwnableFields): Obj {
  const out: Obj = {};
  for (const k of Object.keys(obj)) {
    if (!ownable(o, k)) continue;
    if (k === 'metadata' && obj.metadata && typeof obj.metadata === 'object' && !Array.isArray(obj.metadata)) {
      const md: Obj = {};
      for (const mk of Object.keys(obj.metadata)) if (!UNOWNED_METADATA.includes(mk)) md[mk] = obj.metadata[mk];
      out.metadata = md;
    } else out[k] = obj[k];
  }
  return out;
}

/** `set` without what cannot be owned through this endpoint. */
export function ownableSet(set: FieldSet, o: OwnableFields): FieldSet {
  const drop: string[] = [];
  for (const pe of [...set.members, ...set.children.keys()]) if (pe.startsWith('f:') && !ownable(o, pe.slice(2))) drop.push(pe);
  let s = drop.length ? set.withoutTop(drop) : set;
  // The metadata node itself (a create adds it) and its bookkeeping fields.
  s = s.without(['f:metadata']);
  const md = s.child('f:metadata');
  if (md) for (const f of UNOWNED_METADATA) if (md.members.has('f:' + f)) s = s.without(['f:metadata', 'f:' + f]);
  return s;
}
