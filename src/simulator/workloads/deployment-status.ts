/**
 * Deployment status and its Available / Progressing conditions, as sync.go calculateStatus
 * and progress.go syncRolloutStatus compute them. `kubectl rollout status` and
 * `kubectl wait --for=condition=Available` read exactly these fields. Pure.
 */
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { actualReplicaCount, availableReplicaCount, readyReplicaCount, replicaCount, specReplicas } from './deployment-util.js';
import { maxUnavailable } from './deployment-scale.js';
import { parseTime, rfc3339 } from './util.js';

export const REASON = {
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
  NewReplicaSetCreated: 'NewReplicaSetCreated',
  FoundNewReplicaSet: 'FoundNewReplicaSet',
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  NewReplicaSetAvailable: 'NewReplicaSetAvailable',
  ProgressDeadlineExceeded: 'ProgressDeadlineExceeded',
  ReplicaSetCreateError: 'ReplicaSetCreateError',
  DeploymentPaused: 'DeploymentPaused',
  DeploymentResumed: 'DeploymentResumed',
} as const;

const MAX_INT32 = 2 ** 31 - 1;

export function newCondition(type: string, status: string, reason: string, message: string, nowMs: number): DeploymentCondition {
  const t = rfc3339(nowMs);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

export function getCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  const rest = (status.conditions ?? []).filter((c) => c.type !== type);
  if (rest.length) status.conditions = rest;
  else delete status.conditions;
}

/**
 * SetDeploymentCondition: nothing changes when status and reason are the same; a condition
 * keeps its lastTransitionTime while its status stays; the condition moves to the end.
 */
export function setCondition(status: DeploymentStatus, cond: DeploymentCondition): void {
  const cur = getCondition(status, cond.type);
  if (cur && cur.status === cond.status && cur.reason === cond.reason) return;
  const next = { ...cond };
  if (cur && cur.status === cond.status) next.lastTransitionTime = cur.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== cond.type), next];
}

export const hasProgressDeadline = (d: Deployment): boolean =>
  d.spec?.progressDeadlineSeconds !== undefined && d.spec.progressDeadlineSeconds !== null && d.spec.progressDeadlineSeconds !== MAX_INT32;

/** calculateStatus: counts summed over the ReplicaSets and the Available condition. */
export function calculateStatus(allRSs: ReadonlyArray<ReplicaSet | undefined>, newRS: ReplicaSet | undefined, d: Deployment, nowMs: number): DeploymentStatus {
  const available = availableReplicaCount(allRSs);
  const unavailable = Math.max(0, replicaCount(allRSs) - available);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata?.generation ?? 0,
    replicas: actualReplicaCount(allRSs),
    updatedReplicas: actualReplicaCount([newRS]),
    readyReplicas: readyReplicaCount(allRSs),
    availableReplicas: available,
    unavailableReplicas: unavailable,
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (d.status?.conditions?.length) status.conditions = d.status.conditions.map((c) => ({ ...c }));
  if (available >= specReplicas(d) - maxUnavailable(d)) {
    setCondition(status, newCondition('Available', 'True', REASON.MinimumReplicasAvailable, 'Deployment has minimum availability.', nowMs));
  } else {
    setCondition(status, newCondition('Available', 'False', REASON.MinimumReplicasUnavailable, 'Deployment does not have minimum availability.', nowMs));
  }
  return status;
}

/** Every replica updated and available, and this generation observed (DeploymentComplete). */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const want = specReplicas(d);
  return (s.updatedReplicas ?? 0) === want && (s.replicas ?? 0) === want && (s.availableReplicas ?? 0) === want && (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
}

/** More updated, fewer old, more ready or more available replicas than d.status says (DeploymentProgressing). */
export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const o = d.status ?? {};
  const oldOld = (o.replicas ?? 0) - (o.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (s.updatedReplicas ?? 0) > (o.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (s.readyReplicas ?? 0) > (o.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (o.availableReplicas ?? 0)
  );
}

/** No progress for progressDeadlineSeconds since the Progressing condition was last updated. */
export function deploymentTimedOut(d: Deployment, s: DeploymentStatus, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, 'Progressing');
  if (!c) return false;
  if (c.reason === REASON.NewReplicaSetAvailable) return false;
  if (c.reason === REASON.ProgressDeadlineExceeded) return true;
  const from = parseTime(c.lastUpdateTime) ?? 0;
  return from + (d.spec!.progressDeadlineSeconds ?? 0) * 1000 < nowMs;
}

/** A ReplicaSet's ReplicaFailure condition as the deployment reports it (the new one's first). */
function replicaFailure(allRSs: ReadonlyArray<ReplicaSet | undefined>, newRS: ReplicaSet | undefined): DeploymentCondition | undefined {
  for (const rs of [newRS, ...allRSs]) {
    const c = rs?.status?.conditions?.find((x) => x.type === 'ReplicaFailure');
    if (c) return { type: c.type, status: c.status, lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message };
  }
  return undefined;
}

/**
 * syncRolloutStatus: status plus the Progressing condition (ReplicaSetUpdated while anything
 * moves, NewReplicaSetAvailable when done, ProgressDeadlineExceeded after the deadline) and any
 * ReplicaFailure. `recheckAt` is when to look again for a timeout (requeueStuckDeployment).
 */
export function rolloutStatus(d: Deployment, allRSs: ReadonlyArray<ReplicaSet | undefined>, newRS: ReplicaSet | undefined, nowMs: number): { status: DeploymentStatus; recheckAt?: number } {
  const status = calculateStatus(allRSs, newRS, d, nowMs);
  if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
  const current = getCondition(d.status, 'Progressing');
  const completeBefore = status.replicas === status.updatedReplicas && current?.reason === REASON.NewReplicaSetAvailable;
  if (hasProgressDeadline(d) && !completeBefore) {
    const rsName = newRS?.metadata?.name;
    if (deploymentComplete(d, status)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : `Deployment "${d.metadata?.name}" has successfully progressed.`;
      setCondition(status, newCondition('Progressing', 'True', REASON.NewReplicaSetAvailable, msg, nowMs));
    } else if (deploymentProgressing(d, status)) {
      const msg = rsName ? `ReplicaSet "${rsName}" is progressing.` : `Deployment "${d.metadata?.name}" is progressing.`;
      // Progress refreshes lastUpdateTime even with the same reason; the transition time stays while True.
      const cond = newCondition('Progressing', 'True', REASON.ReplicaSetUpdated, msg, nowMs);
      if (current?.status === 'True') cond.lastTransitionTime = current.lastTransitionTime;
      removeCondition(status, 'Progressing');
      setCondition(status, cond);
    } else if (deploymentTimedOut(d, status, nowMs)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : `Deployment "${d.metadata?.name}" has timed out progressing.`;
      setCondition(status, newCondition('Progressing', 'False', REASON.ProgressDeadlineExceeded, msg, nowMs));
    }
  }
  const failure = replicaFailure(allRSs, newRS);
  if (failure) setCondition(status, failure);
  else removeCondition(status, 'ReplicaFailure');

  let recheckAt: number | undefined;
  const cond = getCondition(status, 'Progressing');
  if (hasProgressDeadline(d) && cond && cond.reason !== REASON.ProgressDeadlineExceeded && !deploymentComplete(d, status)) {
    // A second of slack, as the controller adds, so the deadline has surely passed.
    recheckAt = (parseTime(cond.lastUpdateTime) ?? nowMs) + (d.spec!.progressDeadlineSeconds ?? 0) * 1000 + 1000;
  }
  return recheckAt === undefined ? { status } : { status, recheckAt };
}

/**
 * checkPausedConditions: Progressing=Unknown DeploymentPaused while paused, DeploymentResumed
 * once resumed (so a pause never counts against the deadline). undefined when nothing changes.
 */
export function pausedConditionStatus(d: Deployment, nowMs: number): DeploymentStatus | undefined {
  if (!hasProgressDeadline(d)) return undefined;
  const cond = getCondition(d.status, 'Progressing');
  if (cond?.reason === REASON.ProgressDeadlineExceeded) return undefined;
  const pausedCond = cond?.reason === REASON.DeploymentPaused;
  const status: DeploymentStatus = { ...(d.status ?? {}), conditions: [...(d.status?.conditions ?? [])] };
  if (d.spec?.paused && !pausedCond) {
    setCondition(status, newCondition('Progressing', 'Unknown', REASON.DeploymentPaused, 'Deployment is paused', nowMs));
    return status;
  }
  if (!d.spec?.paused && pausedCond) {
    setCondition(status, newCondition('Progressing', 'Unknown', REASON.DeploymentResumed, 'Deployment is resumed', nowMs));
    return status;
  }
  return undefined;
}
