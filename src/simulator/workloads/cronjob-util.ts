/**
 * CronJob scheduling arithmetic (cronjob/utils.go), pure: the most recent missed schedule,
 * when to look again, the Job made for a scheduled time and which finished Jobs to prune.
 */
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { ObjectReference } from 'kubernetes-types/core/v1.js';
import { CronParseError, parseCron, zoneOf, type CronSchedule } from './cron.js';
import { newControllerRef, parseTime } from './util.js';

export const SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** Look again a little after the next schedule, so it has surely passed (nextScheduleDelta). */
export const NEXT_SCHEDULE_DELTA_MS = 100;

export type Missed = 'none' | 'few' | 'many';

/** The schedule with the CronJob's time zone (a TZ= prefix in the schedule wins, as in the cron library). */
export function scheduleOf(cj: CronJob): CronSchedule {
  return parseCron(cj.spec?.schedule ?? '', cj.spec?.timeZone ?? 'UTC');
}

/**
 * mostRecentScheduleTime: from the last schedule (or creation, or now - startingDeadlineSeconds
 * when asked and later), the latest activation at or before now, if any.
 */
export function mostRecentScheduleTime(cj: CronJob, nowMs: number, sched: CronSchedule, withStartingDeadline: boolean): { earliest: number; mostRecent?: number; missed: Missed } {
  let earliest = parseTime(cj.status?.lastScheduleTime) ?? parseTime(cj.metadata?.creationTimestamp) ?? nowMs;
  const deadline = cj.spec?.startingDeadlineSeconds;
  if (withStartingDeadline && deadline != null) earliest = Math.max(earliest, nowMs - deadline * 1000);
  const t1 = sched.next(earliest);
  if (t1 === undefined || nowMs < t1) return { earliest, missed: 'none' };
  const t2 = sched.next(t1);
  if (t2 === undefined || nowMs < t2) return { earliest, mostRecent: t1, missed: 'none' };
  const between = Math.round((t2 - t1) / 1000);
  if (between < 1) throw new CronParseError('time difference between two schedules is less than 1 second');
  const missedCount = Math.trunc((nowMs - t1) / 1000 / between) + 1;
  // Jump close to now, then walk the last few activations (exact for irregular schedules too).
  let mostRecent: number | undefined;
  for (let t = sched.next(t1 + (missedCount - 2) * between * 1000); t !== undefined && t <= nowMs; t = sched.next(t)) mostRecent = t;
  const missed: Missed = missedCount > 100 ? 'many' : 'few';
  return mostRecent === undefined ? { earliest, missed } : { earliest, mostRecent, missed };
}

/** nextScheduleTime: the unmet activation to run now, if any. */
export function nextScheduleTime(cj: CronJob, nowMs: number, sched: CronSchedule): { time?: number; missed: Missed } {
  const r = mostRecentScheduleTime(cj, nowMs, sched, true);
  if (r.mostRecent === undefined || r.mostRecent > nowMs) return { missed: r.missed };
  return { time: r.mostRecent, missed: r.missed };
}

/** nextScheduleTimeDuration: how long until the activation after the latest one (plus a small delta). */
export function nextScheduleDelay(cj: CronJob, nowMs: number, sched: CronSchedule): number | undefined {
  let r: ReturnType<typeof mostRecentScheduleTime>;
  try {
    r = mostRecentScheduleTime(cj, nowMs, sched, false);
  } catch {
    return undefined;
  }
  const next = sched.next(r.mostRecent ?? r.earliest);
  return next === undefined ? undefined : next + NEXT_SCHEDULE_DELTA_MS - nowMs;
}

/** Jobs are named after their scheduled minute, which makes creation idempotent. */
export const jobName = (cj: CronJob, scheduledMs: number): string => `${cj.metadata?.name}-${Math.floor(scheduledMs / 60_000)}`;

/** RFC 3339 in the CronJob's zone, with its offset (Go's time.RFC3339). */
export function formatInZone(ms: number, timeZone: string | undefined): string {
  const wall = zoneOf(timeZone ?? 'UTC').toWall(ms);
  const off = Math.round((wall - ms) / 60_000);
  const base = new Date(wall).toISOString().replace(/\.\d{3}Z$/, '');
  if (off === 0) return `${base}Z`;
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${base}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** getJobFromTemplate2: the Job for one scheduled time. */
export function jobFromTemplate(cj: CronJob, scheduledMs: number): Job {
  const t = cj.spec?.jobTemplate;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName(cj, scheduledMs),
      namespace: cj.metadata?.namespace,
      labels: { ...(t?.metadata?.labels ?? {}) },
      annotations: { ...(t?.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP]: formatInZone(scheduledMs, cj.spec?.timeZone) },
      ownerReferences: [newControllerRef(cj, 'batch/v1', 'CronJob')],
    },
    spec: structuredClone(t?.spec ?? { template: { spec: { containers: [] } } }),
  };
}

/** An ObjectReference for status.active. */
export function jobRef(job: Job): ObjectReference {
  return { kind: 'Job', namespace: job.metadata?.namespace, name: job.metadata?.name, uid: job.metadata?.uid, apiVersion: 'batch/v1', resourceVersion: job.metadata?.resourceVersion };
}

/** The finished condition of a Job: 'Complete', 'Failed' or undefined. */
export function finishedType(job: Job): 'Complete' | 'Failed' | undefined {
  const c = (job.status?.conditions ?? []).find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  return c?.type as 'Complete' | 'Failed' | undefined;
}

/** Started first, then by start time, then by name; never-started last (byJobStartTime). */
export function byJobStartTime(a: Job, b: Job): number {
  const ta = parseTime(a.status?.startTime);
  const tb = parseTime(b.status?.startTime);
  if (ta === undefined && tb !== undefined) return 1;
  if (ta !== undefined && tb === undefined) return -1;
  if (ta === tb) return (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
  return ta! - tb!;
}

/** Finished Jobs beyond successfulJobsHistoryLimit / failedJobsHistoryLimit, oldest first (cleanupFinishedJobs). */
export function jobsToPrune(cj: CronJob, jobs: readonly Job[]): Job[] {
  const out: Job[] = [];
  const prune = (list: Job[], limit: number | undefined | null) => {
    if (limit == null) return;
    out.push(...[...list].sort(byJobStartTime).slice(0, Math.max(0, list.length - limit)));
  };
  prune(jobs.filter((j) => finishedType(j) === 'Complete'), cj.spec?.successfulJobsHistoryLimit);
  prune(jobs.filter((j) => finishedType(j) === 'Failed'), cj.spec?.failedJobsHistoryLimit);
  return out;
}
