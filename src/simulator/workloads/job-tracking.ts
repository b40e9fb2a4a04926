/**
 * Counting finished Job pods exactly once (trackJobStatusAndRemoveFinalizers), pure: a
 * finished pod keeps the tracking finalizer until its UID is recorded in
 * status.uncountedTerminatedPods; once the finalizer is gone the UID moves into the
 * succeeded / failed counters. Terminal conditions go in two steps: SuccessCriteriaMet or
 * FailureTarget first, Complete or Failed when every pod is counted and none is terminating.
 */
import type { Job, JobCondition, JobStatus } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { completionIndex, formatIndexes, isIndexed, parseIndexes } from './job-indexes.js';
import { ensureCondition, hasTrackingFinalizer, isPodFailed, MAX_UNCOUNTED_PODS, newJobCondition } from './job-util.js';

export type Uncounted = { succeeded: string[]; failed: string[] };
export type TrackedStatus = JobStatus & { uncountedTerminatedPods: Uncounted };

/** Moves UIDs whose finalizer is gone from uncountedTerminatedPods into the counters; true when anything moved. */
export function cleanUncounted(status: TrackedStatus, withFinalizer: ReadonlySet<string>): boolean {
  const u = status.uncountedTerminatedPods;
  const s = u.succeeded.filter((uid) => withFinalizer.has(uid));
  const f = u.failed.filter((uid) => withFinalizer.has(uid));
  const changed = s.length !== u.succeeded.length || f.length !== u.failed.length;
  status.succeeded = (status.succeeded ?? 0) + u.succeeded.length - s.length;
  status.failed = (status.failed ?? 0) + u.failed.length - f.length;
  u.succeeded = s;
  u.failed = f;
  return changed;
}

export interface RecordInput {
  job: Job;
  status: TrackedStatus;
  pods: readonly Pod[];
  finished: JobCondition | undefined;
  /** UIDs in uncountedTerminatedPods when the pass started. */
  uncounted: { succeeded: ReadonlySet<string>; failed: ReadonlySet<string> };
  /** UIDs whose finalizer removal is already on its way. */
  expectedRemovals: ReadonlySet<string>;
  /** Succeeded indexes known so far (Indexed jobs); extended in place. */
  succeededIndexes: Set<number>;
}

/**
 * Records finished pods in status (uncounted UIDs, or completed indexes) and returns the pods
 * whose finalizer may now go. At most MAX_UNCOUNTED_PODS are recorded per pass.
 */
export function recordFinishedPods(i: RecordInput): { toRemove: Pod[]; changed: boolean; reachedMax: boolean } {
  const { job, status: s, finished } = i;
  const indexed = isIndexed(job);
  const completions = job.spec?.completions ?? 0;
  const prevIdx = new Set(parseIndexes(s.completedIndexes, completions));
  const pods = indexed ? [...i.pods].sort((a, b) => completionIndex(a) - completionIndex(b)) : i.pods;
  const toRemove: Pod[] = [];
  const newIdx: number[] = [];
  let changed = false;
  let reachedMax = false;
  for (const pod of pods) {
    const uid = pod.metadata!.uid!;
    if (!hasTrackingFinalizer(pod) || i.expectedRemovals.has(uid)) continue;
    const failed = isPodFailed(pod, job);
    // canRemoveFinalizer: the Job is going away or done, or the pod is done.
    if (!(job.metadata?.deletionTimestamp || finished || pod.status?.phase === 'Succeeded' || failed)) continue;
    toRemove.push(pod);
    const ix = completionIndex(pod);
    const validIx = ix >= 0 && ix < completions;
    if (pod.status?.phase === 'Succeeded' && !i.uncounted.failed.has(uid)) {
      if (indexed) {
        if (validIx && !prevIdx.has(ix)) {
          newIdx.push(ix);
          changed = true;
        }
      } else if (!i.uncounted.succeeded.has(uid)) {
        s.uncountedTerminatedPods.succeeded.push(uid);
        changed = true;
      }
    } else if (failed || (finished && finished.type !== 'SuccessCriteriaMet')) {
      // Once the Job has failed, every pod not yet succeeded counts as failed.
      if (!i.uncounted.failed.has(uid) && (!indexed || validIx)) {
        s.uncountedTerminatedPods.failed.push(uid);
        changed = true;
      }
    }
    if (newIdx.length + s.uncountedTerminatedPods.succeeded.length + s.uncountedTerminatedPods.failed.length >= MAX_UNCOUNTED_PODS) {
      reachedMax = true;
      break;
    }
  }
  if (indexed) {
    for (const ix of newIdx) i.succeededIndexes.add(ix);
    const str = formatIndexes(i.succeededIndexes);
    if (str !== (s.completedIndexes ?? '')) changed = true;
    s.succeeded = i.succeededIndexes.size;
    s.completedIndexes = str;
  }
  return { toRemove, changed, reachedMax };
}

/**
 * Writes the interim condition (FailureTarget / SuccessCriteriaMet) into status and returns
 * the terminal condition to set once the Job is drained (Failed / Complete).
 */
export function interimCondition(s: TrackedStatus, finished: JobCondition | undefined, nowMs: number): { terminal: JobCondition | undefined; changed: boolean } {
  if (finished?.type === 'FailureTarget') {
    s.conditions = [...(s.conditions ?? []), finished];
    return { terminal: newJobCondition('Failed', 'True', finished.reason ?? '', finished.message ?? '', nowMs), changed: true };
  }
  if (finished?.type === 'SuccessCriteriaMet') {
    const has = (s.conditions ?? []).some((c) => c.type === 'SuccessCriteriaMet');
    if (!has) s.conditions = [...(s.conditions ?? []), finished];
    return { terminal: newJobCondition('Complete', 'True', finished.reason ?? '', finished.message ?? '', nowMs), changed: !has };
  }
  return { terminal: finished, changed: false };
}

/** enactJobFinished: sets Complete / Failed (and completionTime) once nothing is uncounted or terminating. */
export function enactFinished(s: TrackedStatus, terminal: JobCondition | undefined, terminating: number, nowMs: number): boolean {
  const u = s.uncountedTerminatedPods;
  if (!terminal || u.succeeded.length || u.failed.length || terminating > 0) return false;
  s.conditions = ensureCondition(s.conditions ?? [], newJobCondition(terminal.type, terminal.status, terminal.reason ?? '', terminal.message ?? '', nowMs)).list;
  if (terminal.type === 'Complete') s.completionTime = terminal.lastTransitionTime!;
  return true;
}

/** The status as written: zero counters and empty uncounted lists omitted, ready/terminating kept. */
export function statusForWrite(s: TrackedStatus): JobStatus {
  const u: { succeeded?: string[]; failed?: string[] } = {};
  if (s.uncountedTerminatedPods.succeeded.length) u.succeeded = s.uncountedTerminatedPods.succeeded;
  if (s.uncountedTerminatedPods.failed.length) u.failed = s.uncountedTerminatedPods.failed;
  const status: JobStatus = { ...s, uncountedTerminatedPods: u };
  for (const k of ['active', 'succeeded', 'failed'] as const) if (!status[k]) delete status[k];
  if (!status.completedIndexes) delete status.completedIndexes;
  return status;
}
