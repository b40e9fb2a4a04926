/**
 * StatefulSet identity and revisions (stateful_set_utils.go): pods named `<set>-<ordinal>`
 * with stable hostnames and claims `<template>-<set>-<ordinal>`, revisions that snapshot the
 * pod template, and the status counts. Pure.
 */
import type { ControllerRevision, StatefulSet, StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod, PodTemplateSpec, Volume } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { canonicalJSON, controllerRevisionName, hashRevisionData } from './hash.js';
import { podFromTemplate } from './podcontrol.js';
import { isPodAvailable, isPodReady, isPodTerminating, newControllerRef, omitEmpty } from './util.js';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
/** Pods carry the name of the revision they were made from. */
export const REVISION_LABEL = 'controller-revision-hash';
export const REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';

const ORDINAL = /^(.*)-(\d+)$/;

/** The pod's ordinal when its name is `<set>-<n>`, else -1 (getParentNameAndOrdinal). */
export function ordinalOf(setName: string, podName: string | undefined): number {
  const m = ORDINAL.exec(podName ?? '');
  if (!m || m[1] !== setName) return -1;
  const n = Number(m[2]);
  return Number.isSafeInteger(n) && n <= 2 ** 31 - 1 ? n : -1;
}

export const startOrdinal = (set: StatefulSet): number => set.spec?.ordinals?.start ?? 0;
export const replicasOf = (set: StatefulSet): number => set.spec?.replicas ?? 1;
export const podName = (set: StatefulSet, ordinal: number): string => `${set.metadata?.name}-${ordinal}`;
export const claimName = (claim: string, set: StatefulSet, ordinal: number): string => `${claim}-${set.metadata?.name}-${ordinal}`;
export const podRevision = (pod: Pod): string => pod.metadata?.labels?.[REVISION_LABEL] ?? '';

/** isCreated: the pod exists (a placeholder for a missing ordinal has no phase). */
export const isCreated = (pod: Pod): boolean => !!pod.status?.phase;
export const isRunningAndReady = (pod: Pod): boolean => pod.status?.phase === 'Running' && isPodReady(pod);
export const isRunningAndAvailable = (pod: Pod, minReadySeconds: number, nowMs: number): boolean =>
  pod.status?.phase === 'Running' && isPodAvailable(pod, minReadySeconds, nowMs);
export const isHealthy = (pod: Pod): boolean => isRunningAndReady(pod) && !isPodTerminating(pod);
export const isFinished = (pod: Pod): boolean => pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded';

/** What a revision stores: the template, replacing (not merging into) the set's (getPatch). */
export function revisionData(set: StatefulSet): { spec: { template: unknown } } {
  return { spec: { template: { ...structuredClone(set.spec?.template ?? {}), $patch: 'replace' } } };
}

/** The template a revision snapshots (ApplyRevision). */
export function templateOf(rev: ControllerRevision): PodTemplateSpec {
  const t = structuredClone((rev.data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec?.template ?? {});
  delete t.$patch;
  return t as PodTemplateSpec;
}

/** A new ControllerRevision for the set's current template (newRevision). */
export function newRevision(set: StatefulSet, revision: number, collisionCount: number): ControllerRevision {
  const data = revisionData(set);
  const hash = hashRevisionData(data, collisionCount);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(set.metadata?.name ?? '', hash),
      namespace: set.metadata?.namespace,
      labels: { ...(set.spec?.template?.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash },
      ...(set.metadata?.annotations ? { annotations: { ...set.metadata.annotations } } : {}),
      ownerReferences: [newControllerRef(set, 'apps/v1', 'StatefulSet')],
    },
    data,
    revision,
  };
}

/** Same snapshot (history.EqualRevision). */
export const equalRevision = (a: ControllerRevision, b: ControllerRevision): boolean => canonicalJSON(a.data) === canonicalJSON(b.data);

/** Oldest revision first; ties by creation then name (history.SortControllerRevisions). */
export function byRevisionNumber(a: ControllerRevision, b: ControllerRevision): number {
  if (a.revision !== b.revision) return a.revision - b.revision;
  return (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? '') || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

/** The pod for one ordinal, made from a revision's template (newStatefulSetPod + setPodRevision). */
export function newStatefulSetPod(set: StatefulSet, template: PodTemplateSpec, revisionName: string, ordinal: number): Pod {
  const name = podName(set, ordinal);
  const pod = podFromTemplate(template, set.metadata?.name ?? '', newControllerRef(set, 'apps/v1', 'StatefulSet'), {
    name,
    labels: { [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [REVISION_LABEL]: revisionName },
  });
  pod.metadata!.namespace = set.metadata?.namespace;
  pod.spec!.hostname = name;
  if (set.spec?.serviceName) pod.spec!.subdomain = set.spec.serviceName;
  // Claims replace template volumes of the same name (updateStorage).
  const claims = set.spec?.volumeClaimTemplates ?? [];
  if (claims.length) {
    const names = new Set(claims.map((c) => c.metadata?.name));
    const volumes: Volume[] = (pod.spec!.volumes ?? []).filter((v) => !names.has(v.name));
    for (const c of claims) volumes.push({ name: c.metadata!.name!, persistentVolumeClaim: { claimName: claimName(c.metadata!.name!, set, ordinal) } });
    pod.spec!.volumes = volumes;
  }
  return pod;
}

/**
 * The claims an ordinal needs, already Bound (the simulation has no provisioner: capacity is
 * what was requested). With whenDeleted: Delete they are owned by the set.
 */
export function claimsFor(set: StatefulSet, ordinal: number): PersistentVolumeClaim[] {
  const selectorLabels = set.spec?.selector?.matchLabels ?? {};
  const ownedBySet = set.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete';
  return (set.spec?.volumeClaimTemplates ?? []).map((t) => {
    const spec = structuredClone(t.spec ?? {});
    const ownerReferences: OwnerReference[] | undefined = ownedBySet ? [{ ...newControllerRef(set, 'apps/v1', 'StatefulSet'), controller: false }] : undefined;
    const requested = spec.resources?.requests?.storage;
    return {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: claimName(t.metadata!.name!, set, ordinal),
        namespace: set.metadata?.namespace,
        labels: { ...(t.metadata?.labels ?? {}), ...selectorLabels },
        ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
        ...(ownerReferences ? { ownerReferences } : {}),
      },
      spec: { volumeMode: 'Filesystem', ...spec },
      status: { phase: 'Bound', accessModes: spec.accessModes ?? [], ...(requested !== undefined ? { capacity: { storage: requested } } : {}) },
    };
  });
}

/** StatefulSet status fields Kubernetes omits when zero (replicas and availableReplicas it always writes). */
const OMIT_ZERO: readonly (keyof StatefulSetStatus)[] = ['readyReplicas', 'currentReplicas', 'updatedReplicas', 'observedGeneration'];

/** Counts over pods (computeReplicaStatus): created, ready, available, at the current and update revisions. */
export function countPods(pods: readonly Pod[], minReadySeconds: number, currentRevision: string, updateRevision: string, nowMs: number) {
  const s = { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0 };
  for (const pod of pods) {
    if (isCreated(pod)) s.replicas++;
    if (isRunningAndReady(pod)) {
      s.readyReplicas++;
      if (isRunningAndAvailable(pod, minReadySeconds, nowMs)) s.availableReplicas++;
    }
    if (isCreated(pod) && !isPodTerminating(pod)) {
      if (podRevision(pod) === currentRevision) s.currentReplicas++;
      if (podRevision(pod) === updateRevision) s.updatedReplicas++;
    }
  }
  return s;
}

/**
 * The status to write: counts, revisions, generation, and a finished rolling update folded in
 * (completeRollingUpdate: every replica updated and ready makes the update revision current).
 */
export function statefulSetStatus(set: StatefulSet, counts: ReturnType<typeof countPods>, currentRevision: string, updateRevision: string, collisionCount: number): StatefulSetStatus {
  const status: StatefulSetStatus = {
    observedGeneration: set.metadata?.generation ?? 0,
    ...counts,
    currentRevision,
    updateRevision,
    collisionCount,
  };
  const want = replicasOf(set);
  if ((set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && counts.updatedReplicas === want && counts.readyReplicas === want && counts.replicas === want) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = updateRevision;
  }
  if (set.status?.conditions) status.conditions = set.status.conditions;
  return omitEmpty(status, OMIT_ZERO);
}

/** inconsistentStatus: whether the computed status differs from the set's. */
export function statusDiffers(set: StatefulSet, next: StatefulSetStatus): boolean {
  const cur = set.status ?? { replicas: 0 };
  const keys: (keyof StatefulSetStatus)[] = ['observedGeneration', 'replicas', 'readyReplicas', 'availableReplicas', 'currentReplicas', 'updatedReplicas', 'currentRevision', 'updateRevision', 'collisionCount'];
  return keys.some((k) => (cur[k] ?? 0) !== (next[k] ?? 0));
}
