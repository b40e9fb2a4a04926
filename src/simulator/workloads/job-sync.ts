/**
 * One pass of the Job controller over one Job (syncJob, manageJob and
 * trackJobStatusAndRemoveFinalizers): count finished pods through the tracking finalizer,
 * decide success or failure, keep the right number of pods running, and write status.
 */
import type { Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isNotFound, type KubeClient } from '../../client/client.js';
import { R } from '../../client/resources.js';
import type { Expectations } from './expectations.js';
import { completionIndex, duplicatedIndexPods, firstPendingIndexes, isIndexed, parseIndexes } from './job-indexes.js';
import { createJobPods, deletePods, removeTrackingFinalizer } from './job-pods.js';
import { cleanUncounted, enactFinished, interimCondition, recordFinishedPods, statusForWrite, type TrackedStatus } from './job-tracking.js';
import {
  backoffRemaining,
  countTerminating,
  ensureCondition,
  findCondition,
  hasTrackingFinalizer,
  isPodFailed,
  isSuspended,
  MAX_POD_CREATE_DELETE_PER_SYNC,
  newJobCondition,
  nextBackoffRecord,
  onlyReplaceFailedPods,
  failureCheck,
  wantActive,
  type BackoffRecord,
} from './job-util.js';
import { compareForDeletion } from './pod-ranking.js';
import { earliest, isPodActive, isPodReady, namespacedKey, rfc3339 } from './util.js';

export interface JobDeps {
  client: KubeClient;
  now(): number;
  expectations: Expectations;
  /** Pods whose tracking finalizer this controller removed and the informer has not shown yet. */
  removedFinalizers(key: string): Set<string>;
  backoff: Map<string, BackoffRecord>;
}

export class JobSync {
  readonly #status: TrackedStatus;
  readonly #completions: number;

  constructor(
    readonly deps: JobDeps,
    readonly key: string,
    public job: Job,
    readonly pods: Pod[],
    /** Whether the controller's earlier creations and deletions have all been observed. */
    readonly satisfied: boolean,
  ) {
    const u = job.status?.uncountedTerminatedPods ?? {};
    this.#status = { ...(job.status ?? {}), uncountedTerminatedPods: { succeeded: [...(u.succeeded ?? [])], failed: [...(u.failed ?? [])] } };
    this.#completions = job.spec?.completions ?? 0;
  }

  /** Runs the pass; returns when to look again (deadline, backoff), if ever. */
  async run(): Promise<number | undefined> {
    const { job } = this;
    const s = this.#status;
    const now = this.deps.now();
    const expectedRm = this.deps.removedFinalizers(this.key);
    const uncounted = { succeeded: new Set(s.uncountedTerminatedPods.succeeded), failed: new Set(s.uncountedTerminatedPods.failed) };
    const active = this.pods.filter(isPodActive);
    let terminating = countTerminating(this.pods);
    const validIndex = (p: Pod) => !isIndexed(job) || (completionIndex(p) >= 0 && completionIndex(p) < this.#completions);
    const fresh = (p: Pod, seen: Set<string>) => hasTrackingFinalizer(p) && !seen.has(p.metadata!.uid!) && !expectedRm.has(p.metadata!.uid!) && validIndex(p);
    const newSucceeded = this.pods.filter((p) => fresh(p, uncounted.succeeded) && p.status?.phase === 'Succeeded');
    const newFailed = this.pods.filter((p) => fresh(p, uncounted.failed) && isPodFailed(p, job));
    let succeeded = (s.succeeded ?? 0) + newSucceeded.length + uncounted.succeeded.size;
    const failed = (s.failed ?? 0) + newFailed.length + uncounted.failed.size;
    if (!s.startTime && !isSuspended(job)) s.startTime = rfc3339(now);
    const backoff = nextBackoffRecord(this.deps.backoff.get(this.key) ?? { failuresAfterLastSuccess: 0 }, newSucceeded, newFailed, now);

    let wake: number | undefined;
    const met = findCondition(job, 'SuccessCriteriaMet');
    let finished: JobCondition | undefined = met?.status === 'True' ? met : undefined;
    const target = findCondition(job, 'FailureTarget');
    if (!finished && target?.status === 'True') finished = newJobCondition('Failed', 'True', target.reason ?? '', target.message ?? '', now);
    if (!finished) {
      const check = failureCheck({ ...job, status: s }, this.pods, failed, now);
      finished = check.condition;
      wake = check.deadlineAt;
    }
    const succeededIdx = new Set<number>();
    if (isIndexed(job)) {
      for (const ix of parseIndexes(s.completedIndexes, this.#completions)) succeededIdx.add(ix);
      for (const p of this.pods) if (p.status?.phase === 'Succeeded' && validIndex(p) && hasTrackingFinalizer(p)) succeededIdx.add(completionIndex(p));
      succeeded = succeededIdx.size;
    }

    let activeCount = active.length;
    let ready = active.filter(isPodReady).length;
    let suspendChanged = false;
    let manageError: unknown;
    if (finished) {
      const r = await deletePods(this.deps.client, active, false);
      if (r.deleted !== active.length || !this.satisfied) finished = undefined; // pods or finalizers may remain
      activeCount -= r.deleted;
      terminating += r.deleted;
      ready -= r.deletedReady;
      manageError = r.error;
    } else {
      let managed = false;
      if (this.satisfied && !job.metadata?.deletionTimestamp) {
        const r = await this.#manage(active, succeeded, succeededIdx, terminating, backoff, now);
        activeCount = r.active;
        ready -= r.deletedReady;
        terminating += r.deleted;
        manageError = r.error;
        wake = earliest(wake, r.wake);
        managed = true;
      }
      const completions = job.spec?.completions;
      const complete = completions == null ? succeeded > 0 && activeCount === 0 : succeeded >= completions && activeCount === 0;
      if (complete) {
        finished = newJobCondition('SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods', now);
      } else if (managed) {
        const cond = isSuspended(job)
          ? newJobCondition('Suspended', 'True', 'JobSuspended', 'Job suspended', now)
          : newJobCondition('Suspended', 'False', 'JobResumed', 'Job resumed', now);
        const r = ensureCondition(s.conditions ?? [], cond);
        if (r.changed) {
          s.conditions = r.list;
          suspendChanged = true;
          // activeDeadlineSeconds counts continuous activity: a resumed job starts its clock again.
          if (!isSuspended(job)) s.startTime = rfc3339(now);
        }
      }
    }
    const needsFlush = suspendChanged || activeCount !== (s.active ?? 0) || ready !== s.ready || terminating !== s.terminating;
    s.active = activeCount;
    s.ready = ready;
    s.terminating = terminating;
    await this.#track(finished, needsFlush, uncounted, expectedRm, succeededIdx, terminating, backoff);
    if (manageError) throw manageError;
    return wake;
  }

  /** manageJob: delete surplus pods, or create missing ones (after the failure backoff). */
  async #manage(active: Pod[], succeeded: number, succeededIdx: Set<number>, terminating: number, backoff: BackoffRecord, now: number) {
    const { job } = this;
    const out = { active: active.length, deleted: 0, deletedReady: 0, error: undefined as unknown, wake: undefined as number | undefined };
    const remove = async (pods: Pod[]) => {
      this.deps.expectations.expect(this.key, 0, pods.map(namespacedKey));
      const r = await deletePods(this.deps.client, pods, true);
      for (const p of r.failed) this.deps.expectations.deletionObserved(this.key, namespacedKey(p));
      return { ...out, active: active.length - r.deleted, deleted: r.deleted, deletedReady: r.deletedReady, error: r.error };
    };
    if (isSuspended(job)) return remove(this.#forRemoval(active, active.length));
    const want = wantActive(job, succeeded, active.length);
    const surplus = this.#forRemoval(active, Math.max(0, active.length - want)).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
    if (surplus.length) return remove(surplus);

    let diff = want - (onlyReplaceFailedPods(job) ? terminating : 0) - active.length;
    if (diff <= 0) return out;
    const wait = backoffRemaining(backoff, now);
    if (wait > 0) return { ...out, wake: now + wait };
    diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
    const indexes = isIndexed(job) ? firstPendingIndexes(active, succeededIdx, diff, this.#completions) : [];
    if (isIndexed(job)) diff = indexes.length;
    this.deps.expectations.expectCreations(this.key, diff);
    const { created, error } = await createJobPods(this.deps.client, job, diff, indexes);
    for (let i = created; i < diff; i++) this.deps.expectations.creationObserved(this.key);
    return { ...out, active: active.length + created, error };
  }

  /** activePodsForRemoval: duplicated or invalid indexes first, then the cheapest pods. */
  #forRemoval(pods: Pod[], atLeast: number): Pod[] {
    let rm: Pod[] = [];
    let left = pods;
    if (isIndexed(this.job)) ({ remove: rm, keep: left } = duplicatedIndexPods(pods, this.#completions));
    if (rm.length < atLeast) rm = [...rm, ...[...left].sort((a, b) => compareForDeletion(a, b)).slice(0, atLeast - rm.length)];
    return rm;
  }

  async #flush(): Promise<void> {
    this.job = await this.deps.client.update<Job>(R.jobs, { ...this.job, status: statusForWrite(this.#status) }, { subresource: 'status' });
  }

  /** trackJobStatusAndRemoveFinalizers: record, flush, release finalizers, count, finish. */
  async #track(finished: JobCondition | undefined, needsFlush: boolean, uncounted: { succeeded: Set<string>; failed: Set<string> }, expectedRm: Set<string>, succeededIdx: Set<number>, terminating: number, backoff: BackoffRecord): Promise<void> {
    const s = this.#status;
    const now = this.deps.now();
    const withFinalizer = new Set(this.pods.filter((p) => hasTrackingFinalizer(p) && !expectedRm.has(p.metadata!.uid!)).map((p) => p.metadata!.uid!));
    if (cleanUncounted(s, withFinalizer)) needsFlush = true;
    const rec = recordFinishedPods({ job: this.job, status: s, pods: this.pods, finished, uncounted, expectedRemovals: expectedRm, succeededIndexes: succeededIdx });
    const interim = interimCondition(s, finished, now);
    if (rec.changed || interim.changed) needsFlush = true;
    // UIDs are in status before any finalizer goes, so no pod is ever forgotten or counted twice.
    if (needsFlush) {
      await this.#flush();
      this.deps.backoff.set(this.key, backoff);
      needsFlush = false;
    }
    let rmError: unknown;
    for (const pod of rec.toRemove) {
      const uid = pod.metadata!.uid!;
      expectedRm.add(uid);
      try {
        await removeTrackingFinalizer(this.deps.client, pod);
        withFinalizer.delete(uid);
      } catch (e) {
        if (isNotFound(e)) withFinalizer.delete(uid);
        else {
          expectedRm.delete(uid);
          rmError ??= e;
        }
      }
    }
    if (cleanUncounted(s, withFinalizer)) needsFlush = true;
    if (rmError) {
      if (needsFlush) await this.#flush();
      throw rmError;
    }
    if (!rec.reachedMax && enactFinished(s, interim.terminal, terminating, now)) needsFlush = true;
    if (needsFlush) await this.#flush();
  }
}
