/**
 * propagateDeps as pure functions (Karmada's dependencies distributor): each dependency of a
 * workload (ConfigMap, Secret, PVC, ServiceAccount) gets an "attached" ResourceBinding named
 * after it, owned by it, labelled `resourcebinding.karmada.io/depended-by-<hash>` per parent,
 * whose spec.requiredBy lists each parent binding with the parent's clusters. The binding
 * controller sends it to the union of those clusters; when no parent is left and no policy claims
 * it, the attached binding is deleted.
 */
import { isDeepStrictEqual } from 'node:util';
import type { BindingSnapshot, ResourceBinding } from '../../api/index.js';
import { BINDING_API_VERSION } from '../../api/index.js';
import { bindingName, bindingReferenceKey } from '../../api/names.js';
import type { DependencyRef } from '../../interpreter/index.js';
import { controllerRef, type Template } from './build.js';
import { hasClaim } from './claim.js';
import { BINDING_FINALIZERS, DEPENDED_BY_LABEL_PREFIX, PERMANENT_ID_LABELS } from './keys.js';

/** The label an attached binding carries for one parent binding. */
export function dependedByLabel(parentNamespace: string, parentName: string): { key: string; value: string } {
  return { key: DEPENDED_BY_LABEL_PREFIX + bindingReferenceKey(parentNamespace, parentName), value: `${parentNamespace}_${parentName}` };
}

/** The dependencies annotation value: sorted JSON, so an unchanged list never rewrites the binding. */
export function dependenciesAnnotation(deps: readonly DependencyRef[]): string {
  const sorted = [...deps].sort((a, b) => `${a.apiVersion}|${a.kind}|${a.namespace}|${a.name}`.localeCompare(`${b.apiVersion}|${b.kind}|${b.namespace}|${b.name}`));
  return JSON.stringify(sorted.map((d) => ({ apiVersion: d.apiVersion, kind: d.kind, namespace: d.namespace, name: d.name })));
}

export function parseDependencies(annotation: string | undefined): DependencyRef[] {
  if (!annotation) return [];
  try {
    const v = JSON.parse(annotation) as unknown;
    return Array.isArray(v) ? (v as DependencyRef[]) : [];
  } catch {
    return [];
  }
}

const sameParent = (s: BindingSnapshot, ns: string, name: string) => (s.namespace ?? '') === ns && s.name === name;

/**
 * The attached binding for `dep` with `parent` in its requiredBy, and whether that differs from
 * `existing`. A new one copies the parent's conflictResolution and preserveResourcesOnDeletion.
 */
export function attachParent(parent: ResourceBinding, dep: Template, existing: ResourceBinding | undefined, newId: () => string): { binding: ResourceBinding; changed: boolean } {
  const ns = parent.metadata.namespace ?? '';
  const pname = parent.metadata.name ?? '';
  const label = dependedByLabel(ns, pname);
  const snapshot: BindingSnapshot = { namespace: ns, name: pname, clusters: structuredClone(parent.spec.clusters ?? []) };
  const requiredBy = (existing?.spec.requiredBy ?? []).filter((s) => !sameParent(s, ns, pname));
  requiredBy.push(snapshot);
  requiredBy.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  const resource = { apiVersion: dep.apiVersion, kind: dep.kind, namespace: ns, name: dep.metadata.name, uid: dep.metadata.uid, resourceVersion: dep.metadata.resourceVersion };
  if (existing) {
    const labels = { ...existing.metadata.labels, [label.key]: label.value };
    const binding: ResourceBinding = { ...existing, metadata: { ...existing.metadata, labels }, spec: { ...existing.spec, requiredBy, resource: { ...existing.spec.resource, ...resource } } };
    const changed = !isDeepStrictEqual(binding.spec, existing.spec) || !isDeepStrictEqual(labels, existing.metadata.labels);
    return { binding, changed };
  }
  const binding: ResourceBinding = {
    apiVersion: BINDING_API_VERSION,
    kind: 'ResourceBinding',
    metadata: {
      name: bindingName(dep.kind, dep.metadata.name),
      namespace: ns,
      labels: { [label.key]: label.value, [PERMANENT_ID_LABELS.ResourceBinding]: newId() },
      ownerReferences: [controllerRef(dep)],
      finalizers: [BINDING_FINALIZERS.ResourceBinding],
    },
    spec: {
      resource,
      requiredBy,
      conflictResolution: parent.spec.conflictResolution ?? 'Abort',
      ...(parent.spec.preserveResourcesOnDeletion !== undefined ? { preserveResourcesOnDeletion: parent.spec.preserveResourcesOnDeletion } : {}),
    },
  };
  return { binding, changed: true };
}

/**
 * `attached` without `parent`: 'delete' when nothing needs it any more (no parent left and no
 * policy claims it), undefined when the parent was not listed.
 */
export function detachParent(attached: ResourceBinding, parentNamespace: string, parentName: string): ResourceBinding | 'delete' | undefined {
  const label = dependedByLabel(parentNamespace, parentName);
  const listed = (attached.spec.requiredBy ?? []).some((s) => sameParent(s, parentNamespace, parentName));
  if (!listed && attached.metadata.labels?.[label.key] === undefined) return undefined;
  const requiredBy = (attached.spec.requiredBy ?? []).filter((s) => !sameParent(s, parentNamespace, parentName));
  if (!requiredBy.length && !hasClaim(attached.metadata) && !attached.spec.placement) return 'delete';
  const labels = { ...attached.metadata.labels };
  delete labels[label.key];
  return { ...attached, metadata: { ...attached.metadata, labels }, spec: { ...attached.spec, requiredBy } };
}
