/**
 * Structural pruning, as apiextensions-apiserver does it on every write: fields the schema does
 * not declare are dropped, except under x-kubernetes-preserve-unknown-fields (where declared
 * fields are still pruned inside) and the apiVersion/kind/metadata of the root and of embedded
 * resources, whose metadata is cut down to ObjectMeta's fields instead.
 * The pruned paths come back so that fieldValidation=Strict can refuse them.
 */
import type { JSONSchemaProps } from './types.js';
import { isObject } from './types.js';

export const OBJECT_META_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

const child = (path: string, k: string) => (path ? `${path}.${k}` : k);

/** Prune `obj` in place; `resourceRoot` treats it as a whole object (apiVersion, kind, metadata kept). */
export function prune(obj: unknown, schema: JSONSchemaProps | undefined, o: { resourceRoot?: boolean } = {}): string[] {
  const out: string[] = [];
  let s = schema;
  if (o.resourceRoot) s = { ...(schema ?? {}), 'x-kubernetes-embedded-resource': true };
  pruneRec(obj, s, '', out);
  return out;
}

function pruneRec(x: unknown, s: JSONSchemaProps | undefined, path: string, out: string[]): void {
  if (s?.['x-kubernetes-preserve-unknown-fields']) return skipPrune(x, s, path, out);
  if (Array.isArray(x)) {
    const items = isObject(s?.items) ? (s!.items as JSONSchemaProps) : undefined;
    x.forEach((v, i) => pruneRec(v, items, `${path}[${i}]`, out));
    return;
  }
  if (!isObject(x)) return;
  for (const k of Object.keys(x)) {
    const p = child(path, k);
    if (s && keepsResourceField(s, k, x[k], p, out)) continue;
    const prop = s?.properties?.[k];
    if (prop) pruneRec(x[k], prop, p, out);
    else if (isObject(s?.additionalProperties)) pruneRec(x[k], s!.additionalProperties as JSONSchemaProps, p, out);
    // additionalProperties: true keeps values whole (Kubernetes would empty nested objects; nobody relies on that).
    else if (s?.additionalProperties === true) continue;
    else {
      out.push(p);
      delete x[k];
    }
  }
}

/** Under preserve-unknown-fields: keep unknown fields, prune inside the declared ones. */
function skipPrune(x: unknown, s: JSONSchemaProps, path: string, out: string[]): void {
  if (Array.isArray(x)) {
    if (isObject(s.items)) x.forEach((v, i) => skipPrune(v, s.items as JSONSchemaProps, `${path}[${i}]`, out));
    return;
  }
  if (!isObject(x)) return;
  for (const k of Object.keys(x)) {
    const p = child(path, k);
    if (keepsResourceField(s, k, x[k], p, out)) continue;
    const prop = s.properties?.[k];
    if (prop) pruneRec(x[k], prop, p, out);
    else if (isObject(s.additionalProperties)) pruneRec(x[k], s.additionalProperties as JSONSchemaProps, p, out);
  }
}

/** apiVersion and kind strings and the metadata object of a resource are not the schema's to prune. */
function keepsResourceField(s: JSONSchemaProps, k: string, v: unknown, path: string, out: string[]): boolean {
  if (!s['x-kubernetes-embedded-resource']) return false;
  if ((k === 'apiVersion' || k === 'kind') && typeof v === 'string') return true;
  if (k === 'metadata' && isObject(v)) {
    for (const mk of Object.keys(v)) {
      if (OBJECT_META_FIELDS.has(mk)) continue;
      out.push(`${path}.${mk}`);
      delete v[mk];
    }
    return true;
  }
  return false;
}
