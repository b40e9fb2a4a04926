/**
 * Job and CronJob status (Karmada aggregatestatus.go + helper.ParsingJobStatus).
 *
 * Job: counters summed; Failed when any cluster's Job failed (naming the clusters), Complete when
 * every target cluster's Job completed; startTime is the earliest, completionTime the latest and
 * only once every cluster has one. A template whose Job already finished is never changed again,
 * as in Karmada: a finished Job is final, even if members are later re-created.
 * CronJob: active references concatenated; lastScheduleTime / lastSuccessfulTime the latest.
 */
import { findCondition, nextCondition } from './conditions.js';
import { clone, isObject, listAt, num, objAt, str } from './object.js';
import type { AggregateOptions, AggregatedStatusItem, JsonObject } from './types.js';

const JOB_REFLECTED = ['active', 'succeeded', 'failed', 'ready', 'conditions', 'startTime', 'completionTime'] as const;

export function reflectJobStatus(obj: JsonObject): JsonObject | undefined {
  const status = objAt(obj, 'status');
  if (!status) return undefined;
  const out: JsonObject = {};
  for (const f of JOB_REFLECTED) if (status[f] !== undefined) out[f] = clone(status[f]);
  return out;
}

/** GetJobFinishedStatus: the Complete or Failed condition that is True, if any. */
export function jobFinished(status: unknown): 'Complete' | 'Failed' | undefined {
  for (const c of listAt(status, 'conditions')) {
    if (!isObject(c) || c['status'] !== 'True') continue;
    if (c['type'] === 'Complete' || c['type'] === 'Failed') return c['type'];
  }
  return undefined;
}

const time = (v: unknown): number | undefined => {
  const s = str(v);
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
};

/** The earliest (or latest) of some timestamps, as the original string. */
function pickTime(values: readonly unknown[], latest: boolean): string | undefined {
  let best: { s: string; t: number } | undefined;
  for (const v of values) {
    const t = time(v);
    if (t === undefined) continue;
    if (!best || (latest ? t > best.t : t < best.t)) best = { s: v as string, t };
  }
  return best?.s;
}

export function aggregateJobStatus(template: JsonObject, items: readonly AggregatedStatusItem[], opts?: AggregateOptions): JsonObject | undefined {
  const prev = objAt(template, 'status');
  if (prev && jobFinished(prev)) return clone(prev);
  const now = opts?.now ?? new Date();
  const out: JsonObject = prev ? clone(prev) : {};
  const statuses = items.map((i) => i.status).filter((s): s is JsonObject => !!s);
  for (const f of ['active', 'succeeded', 'failed'] as const) out[f] = statuses.reduce((n, s) => n + (num(s[f]) ?? 0), 0);
  if (statuses.some((s) => s['ready'] !== undefined)) out['ready'] = statuses.reduce((n, s) => n + (num(s['ready']) ?? 0), 0);

  const failedIn = items.filter((i) => jobFinished(i.status) === 'Failed').map((i) => i.clusterName);
  const completeIn = items.filter((i) => jobFinished(i.status) === 'Complete');
  const conditions = [];
  if (failedIn.length) {
    conditions.push(
      nextCondition(
        findCondition(prev, 'Failed'),
        { type: 'Failed', status: 'True', reason: 'JobFailed', message: `Job executed failed in member clusters ${failedIn.join(',')}` },
        now,
        'lastProbeTime',
      ),
    );
  }
  // No statuses yet (a just-created binding) must not read as complete.
  if (items.length > 0 && completeIn.length === items.length) {
    conditions.push(nextCondition(findCondition(prev, 'Complete'), { type: 'Complete', status: 'True', reason: 'Completed', message: 'Job completed' }, now, 'lastProbeTime'));
  }
  if (conditions.length) out['conditions'] = conditions;
  else delete out['conditions'];

  const start = pickTime(statuses.map((s) => s['startTime']), false);
  if (start) out['startTime'] = start;
  const completions = statuses.map((s) => s['completionTime']).filter((v) => time(v) !== undefined);
  const end = completions.length === items.length && items.length > 0 ? pickTime(completions, true) : undefined;
  if (end) out['completionTime'] = end;
  else delete out['completionTime'];
  return out;
}

export function aggregateCronJobStatus(template: JsonObject, items: readonly AggregatedStatusItem[]): JsonObject | undefined {
  const out: JsonObject = clone(objAt(template, 'status') ?? {});
  const statuses = items.map((i) => i.status).filter((s): s is JsonObject => !!s);
  const active = statuses.flatMap((s) => clone(listAt(s, 'active')));
  if (active.length) out['active'] = active;
  else delete out['active'];
  for (const f of ['lastScheduleTime', 'lastSuccessfulTime'] as const) {
    const t = pickTime(statuses.map((s) => s[f]), true);
    if (t) out[f] = t;
    else delete out[f];
  }
  return out;
}
