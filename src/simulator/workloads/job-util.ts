/**
 * Job semantics (job_controller.go, backoff_utils.go), pure: conditions, which pods count as
 * failed, how many pods should run, the backoff before replacing failed pods, deadlines, and
 * the labels and finalizer every Job pod carries.
 */
import type { Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { parseTime, podReadyCondition, rfc3339 } from './util.js';

/** Keeps a finished pod until the Job controller has counted it. */
export const TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
/** Counted-but-unflushed pods per sync are capped (MaxUncountedPods). */
export const MAX_UNCOUNTED_PODS = 500;
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
export const DEFAULT_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 6 * 60_000;

/** Labels that tie pods to their Job; the API server would have put them on the template. */
export function jobPodLabels(job: Job): Record<string, string> {
  const name = job.metadata?.name ?? '';
  const uid = job.metadata?.uid ?? '';
  return { [CONTROLLER_UID_LABEL]: uid, 'controller-uid': uid, [JOB_NAME_LABEL]: name, 'job-name': name };
}

/** spec.selector, or the controller-uid selector the API server generates when there is none. */
export function jobSelector(job: Job): LabelSelector {
  return job.spec?.selector ?? { matchLabels: { [CONTROLLER_UID_LABEL]: job.metadata?.uid ?? '' } };
}

export const hasTrackingFinalizer = (pod: Pod): boolean => (pod.metadata?.finalizers ?? []).includes(TRACKING_FINALIZER);
export const isSuspended = (job: Job): boolean => job.spec?.suspend === true;
/** podReplacementPolicy Failed (or a pod failure policy): terminating pods are not replaced until they fail. */
export const onlyReplaceFailedPods = (job: Job): boolean => job.spec?.podReplacementPolicy === 'Failed' || !!job.spec?.podFailurePolicy;

export function newJobCondition(type: string, status: string, reason: string, message: string, nowMs: number): JobCondition {
  const t = rfc3339(nowMs);
  return { type, status, lastProbeTime: t, lastTransitionTime: t, reason, message };
}

export const findCondition = (job: Job, type: string): JobCondition | undefined => job.status?.conditions?.find((c) => c.type === type);

/** Complete or Failed is True (IsJobFinished). */
export const isJobFinished = (job: Job): boolean =>
  (job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');

/**
 * ensureJobConditionStatus: replaces a condition whose status, reason or message differ;
 * appends a missing one unless it would be False (nothing → False says nothing).
 */
export function ensureCondition(list: JobCondition[], cond: JobCondition): { list: JobCondition[]; changed: boolean } {
  const i = list.findIndex((c) => c.type === cond.type);
  if (i >= 0) {
    const c = list[i]!;
    if (c.status === cond.status && c.reason === cond.reason && c.message === cond.message) return { list, changed: false };
    const next = [...list];
    next[i] = cond;
    return { list: next, changed: true };
  }
  if (cond.status === 'False') return { list, changed: false };
  return { list: [...list, cond], changed: true };
}

/** A pod that counts as failed: Failed, or deleted before succeeding (unless only failed pods are replaced). */
export function isPodFailed(pod: Pod, job: Job): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!pod.metadata?.deletionTimestamp && pod.status?.phase !== 'Succeeded';
}

/** Pods being deleted that have not finished (CountTerminatingPods). */
export const countTerminating = (pods: readonly Pod[]): number =>
  pods.filter((p) => p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed').length;

/** restartPolicy OnFailure: container restarts of running pods reach backoffLimit. */
export function pastBackoffLimitOnFailure(job: Job, pods: readonly Pod[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const s of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) restarts += s.restartCount ?? 0;
  }
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** Active for activeDeadlineSeconds or longer (never while suspended). */
export function pastActiveDeadline(job: Job, nowMs: number): boolean {
  const ads = job.spec?.activeDeadlineSeconds;
  const start = parseTime(job.status?.startTime);
  if (ads === undefined || ads === null || start === undefined || isSuspended(job)) return false;
  return nowMs - start >= ads * 1000;
}

/**
 * Why a Job must fail now (backoffLimit exceeded, counting failed pods or OnFailure restarts;
 * activeDeadlineSeconds passed), as an interim FailureTarget condition; otherwise when the
 * deadline will pass, if there is one.
 */
export function failureCheck(job: Job, pods: readonly Pod[], failed: number, nowMs: number): { condition?: JobCondition; deadlineAt?: number } {
  if (failed > (job.spec?.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, pods)) {
    return { condition: newJobCondition('FailureTarget', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', nowMs) };
  }
  if (pastActiveDeadline(job, nowMs)) {
    return { condition: newJobCondition('FailureTarget', 'True', 'DeadlineExceeded', 'Job was active longer than specified deadline', nowMs) };
  }
  const ads = job.spec?.activeDeadlineSeconds;
  if (ads != null && !isSuspended(job)) return { deadlineAt: (parseTime(job.status?.startTime) ?? nowMs) + ads * 1000 };
  return {};
}

/** How many pods should be active (manageJob). */
export function wantActive(job: Job, succeeded: number, active: number): number {
  const parallelism = job.spec?.parallelism ?? 1;
  const completions = job.spec?.completions;
  if (completions === undefined || completions === null) return succeeded > 0 ? active : parallelism;
  return Math.max(0, Math.min(completions - succeeded, parallelism));
}

/** When a pod finished: its last container exit, else when it stopped being ready, else its deletion. */
export function finishedTime(pod: Pod, nowMs: number): number {
  let t: number | undefined;
  for (const s of [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])]) {
    const f = parseTime(s.state?.terminated?.finishedAt);
    if (f !== undefined && (t === undefined || f > t)) t = f;
  }
  if (t !== undefined) return t;
  const ready = podReadyCondition(pod);
  return parseTime(ready?.status === 'False' ? ready.lastTransitionTime : undefined) ?? parseTime(pod.metadata?.deletionTimestamp) ?? nowMs;
}

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
}

/** newBackoffRecord: failures since the last success, and when the last of them happened. */
export function nextBackoffRecord(prev: BackoffRecord, succeeded: readonly Pod[], failed: readonly Pod[], nowMs: number): BackoffRecord {
  const fin = (ps: readonly Pod[]) => ps.map((p) => finishedTime(p, nowMs)).sort((a, b) => a - b);
  const s = fin(succeeded);
  const f = fin(failed);
  if (!s.length) {
    if (!f.length) return prev;
    return { failuresAfterLastSuccess: prev.failuresAfterLastSuccess + f.length, lastFailureTime: f[f.length - 1]! };
  }
  const lastSuccess = s[s.length - 1]!;
  const after = f.filter((t) => t > lastSuccess);
  return after.length ? { failuresAfterLastSuccess: after.length, lastFailureTime: after[after.length - 1]! } : { failuresAfterLastSuccess: 0 };
}

/** Time left before a replacement pod may be created: 10 s doubling per failure, at most 6 min. */
export function backoffRemaining(r: BackoffRecord, nowMs: number, base = DEFAULT_BACKOFF_MS, max = MAX_BACKOFF_MS): number {
  if (!r.failuresAfterLastSuccess || r.lastFailureTime === undefined) return 0;
  let d = base;
  for (let i = 1; i < r.failuresAfterLastSuccess && d < max; i++) d = Math.min(d * 2, max);
  const elapsed = nowMs - r.lastFailureTime;
  return elapsed > d ? 0 : d - elapsed;
}
