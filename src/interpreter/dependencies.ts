/**
 * InterpretDependency for built-in kinds (Karmada dependencies.go + helper.GetDependenciesFromPodTemplate,
 * which visits pods the way Kubernetes' VisitPodSecretNames / VisitPodConfigmapNames do): what
 * must exist in a member cluster before a workload can run there, so propagateDeps can send it
 * along.
 *
 * From the pod spec of Deployment, StatefulSet, ReplicaSet, DaemonSet, Job, CronJob and Pod:
 *   ConfigMap       configMap and projected volumes; env valueFrom; envFrom
 *   Secret          secret and projected volumes, volume plugins' secretRefs (CSI, RBD, CephFS...);
 *                   env valueFrom; envFrom; imagePullSecrets
 *   PVC             persistentVolumeClaim volumes (not ephemeral volumes: their claims are created
 *                   in the cluster from the template)
 *   ServiceAccount  serviceAccountName unless it is "default" (every namespace has one)
 * Containers, init containers and ephemeral containers are all visited; optional references are
 * included (the pod works without them, but better with). Ingress contributes its TLS Secrets.
 * The result is deduplicated and sorted.
 */
import type { Container, EphemeralContainer, PodSpec, Volume } from 'kubernetes-types/core/v1.js';
import { isObject, kindKeyOf, listAt, str } from './object.js';
import { namespaceOf, podSpecOf } from './pod-template.js';
import type { DependencyRef, JsonObject } from './types.js';

type Kind = 'ConfigMap' | 'Secret' | 'PersistentVolumeClaim' | 'ServiceAccount';

class Refs {
  readonly names = new Map<Kind, Set<string>>();
  add(kind: Kind, name: unknown): void {
    const n = str(name);
    if (!n) return;
    let set = this.names.get(kind);
    if (!set) this.names.set(kind, (set = new Set()));
    set.add(n);
  }
  toList(namespace: string): DependencyRef[] {
    const out: DependencyRef[] = [];
    for (const [kind, names] of this.names) for (const name of names) out.push({ apiVersion: 'v1', kind, namespace, name });
    return sortRefs(out);
  }
}

/** Volume plugins that name a Secret through secretRef (VisitPodSecretNames). */
const SECRET_REF_PLUGINS = ['cephfs', 'cinder', 'flexVolume', 'rbd', 'scaleIO', 'iscsi', 'storageos'] as const;

function visitVolume(v: Volume, refs: Refs): void {
  refs.add('ConfigMap', v.configMap?.name);
  refs.add('Secret', v.secret?.secretName);
  refs.add('Secret', v.azureFile?.secretName);
  refs.add('Secret', v.csi?.nodePublishSecretRef?.name);
  for (const plugin of SECRET_REF_PLUGINS) {
    const src = (v as unknown as Record<string, unknown>)[plugin];
    if (isObject(src) && isObject(src['secretRef'])) refs.add('Secret', src['secretRef']['name']);
  }
  for (const source of v.projected?.sources ?? []) {
    refs.add('ConfigMap', source.configMap?.name);
    refs.add('Secret', source.secret?.name);
  }
  refs.add('PersistentVolumeClaim', v.persistentVolumeClaim?.claimName);
}

function visitContainer(c: Container | EphemeralContainer, refs: Refs): void {
  for (const e of c.env ?? []) {
    refs.add('ConfigMap', e.valueFrom?.configMapKeyRef?.name);
    refs.add('Secret', e.valueFrom?.secretKeyRef?.name);
  }
  for (const e of c.envFrom ?? []) {
    refs.add('ConfigMap', e.configMapRef?.name);
    refs.add('Secret', e.secretRef?.name);
  }
}

/** Dependencies of a pod spec, in the given namespace. */
export function podSpecDependencies(spec: PodSpec, namespace: string): DependencyRef[] {
  const refs = new Refs();
  for (const s of spec.imagePullSecrets ?? []) refs.add('Secret', s.name);
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])]) visitContainer(c, refs);
  for (const v of spec.volumes ?? []) visitVolume(v, refs);
  // serviceAccount is the deprecated alias the API server still fills in.
  const sa = spec.serviceAccountName || spec.serviceAccount;
  if (sa !== 'default') refs.add('ServiceAccount', sa);
  return refs.toList(namespace);
}

function ingressDependencies(obj: JsonObject): DependencyRef[] {
  const refs = new Refs();
  for (const tls of listAt(obj, 'spec', 'tls')) if (isObject(tls)) refs.add('Secret', tls['secretName']);
  return refs.toList(namespaceOf(obj));
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Sorted by apiVersion, kind, namespace, name, without duplicates. */
export function sortRefs(refs: readonly DependencyRef[]): DependencyRef[] {
  const seen = new Map<string, DependencyRef>();
  for (const r of refs) seen.set(`${r.apiVersion}\n${r.kind}\n${r.namespace}\n${r.name}`, r);
  return [...seen.values()].sort(
    (a, b) => byText(a.apiVersion, b.apiVersion) || byText(a.kind, b.kind) || byText(a.namespace, b.namespace) || byText(a.name, b.name),
  );
}

function workloadDependencies(obj: JsonObject): DependencyRef[] {
  const spec = podSpecOf(obj);
  return spec ? podSpecDependencies(spec, namespaceOf(obj)) : [];
}

/** Native InterpretDependency, by kindKey. */
export const NATIVE_DEPENDENCIES: Readonly<Record<string, (obj: JsonObject) => DependencyRef[]>> = {
  'apps/Deployment': workloadDependencies,
  'apps/StatefulSet': workloadDependencies,
  'apps/ReplicaSet': workloadDependencies,
  'apps/DaemonSet': workloadDependencies,
  'batch/Job': workloadDependencies,
  'batch/CronJob': workloadDependencies,
  '/Pod': workloadDependencies,
  'networking.k8s.io/Ingress': ingressDependencies,
};

/** What obj needs in a member cluster (built-in knowledge); [] for other kinds. */
export function getDependencies(obj: JsonObject): DependencyRef[] {
  return NATIVE_DEPENDENCIES[kindKeyOf(obj)]?.(obj) ?? [];
}
