/**
 * ReplicaSet status as the ReplicaSet controller computes it (replica_set_utils.go): counts
 * over the active pods it controls, and a ReplicaFailure condition while creating or deleting
 * pods fails.
 */
import type { ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { selectorFromSet } from '../../selectors/labels.js';
import { availableAt, earliest, isPodAvailable, isPodReady, rfc3339 } from './util.js';

/** At most this many pods are created or deleted per sync (--replicaset-burst-replicas default). */
export const BURST_REPLICAS = 500;

/** Pods to create (positive) or delete (negative) to reach spec.replicas, capped by the burst. */
export function replicaDiff(activePods: number, specReplicas: number, burst = BURST_REPLICAS): number {
  const diff = specReplicas - activePods;
  return Math.sign(diff) * Math.min(Math.abs(diff), burst);
}

/**
 * calculateStatus: replicas, fullyLabeledReplicas (pods carrying every template label),
 * readyReplicas and availableReplicas (ready for minReadySeconds). `manageError` adds the
 * ReplicaFailure condition (FailedCreate / FailedDelete) if absent; success removes it.
 */
export function calculateReplicaSetStatus(rs: ReplicaSet, activePods: readonly Pod[], manageError: Error | undefined, nowMs: number): ReplicaSetStatus {
  const status: ReplicaSetStatus = { ...(rs.status ?? { replicas: 0 }) };
  const templateLabels = selectorFromSet(rs.spec?.template?.metadata?.labels ?? {});
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of activePods) {
    if (templateLabels.matches(pod.metadata?.labels ?? {})) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, nowMs)) available++;
    }
  }
  const conditions = [...(status.conditions ?? [])];
  const failureIdx = conditions.findIndex((c) => c.type === 'ReplicaFailure');
  if (manageError && failureIdx < 0) {
    const diff = activePods.length - (rs.spec?.replicas ?? 1);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    const cond: ReplicaSetCondition = { type: 'ReplicaFailure', status: 'True', lastTransitionTime: rfc3339(nowMs), reason, message: manageError.message };
    conditions.push(cond);
  } else if (!manageError && failureIdx >= 0) {
    conditions.splice(failureIdx, 1);
  }
  if (conditions.length) status.conditions = conditions;
  else delete status.conditions;
  status.replicas = activePods.length;
  status.fullyLabeledReplicas = fullyLabeled;
  status.readyReplicas = ready;
  status.availableReplicas = available;
  return status;
}

/**
 * Whether status differs from what rs already reports (updateReplicaSetStatus): counts,
 * conditions, or a generation not yet observed. The caller then writes status with
 * observedGeneration = metadata.generation.
 */
export function replicaSetStatusChanged(rs: ReplicaSet, next: ReplicaSetStatus): boolean {
  const cur = rs.status ?? { replicas: 0 };
  return (
    (cur.replicas ?? 0) !== next.replicas ||
    (cur.fullyLabeledReplicas ?? 0) !== (next.fullyLabeledReplicas ?? 0) ||
    (cur.readyReplicas ?? 0) !== (next.readyReplicas ?? 0) ||
    (cur.availableReplicas ?? 0) !== (next.availableReplicas ?? 0) ||
    (rs.metadata?.generation ?? 0) !== (cur.observedGeneration ?? 0) ||
    JSON.stringify(cur.conditions ?? []) !== JSON.stringify(next.conditions ?? [])
  );
}

/** When the next ready pod becomes available (for a precise requeue instead of a blind one). */
export function nextAvailabilityChange(activePods: readonly Pod[], minReadySeconds: number, nowMs: number): number | undefined {
  return earliest(...activePods.map((p) => availableAt(p, minReadySeconds, nowMs)));
}
