/**
 * The graceful-eviction decision (Karmada's gracefuleviction/evictiontask.go): which tasks stay
 * and which go. A task going lets the binding controller delete the old cluster's Work, since the
 * cluster is then neither in spec.clusters nor in a task. A task goes when
 *
 *   suppressDeletion is false                         released by a person (purgeMode Never)
 *   now > creationTimestamp + grace                   gracePeriodSeconds, else the controller's
 *                                                     graceful-eviction timeout
 *   the replacements are ready (replacementsReady)    scheduled, and every target cluster healthy
 *
 * and stays otherwise; suppressDeletion true stays until a person says otherwise. A task without
 * creationTimestamp (another producer's) is stamped now and kept.
 *
 * Flotilla is stricter than Karmada about "replacements are ready", so the workload never runs
 * fewer replicas than desired while it moves: an empty spec.clusters or a failed schedule is not
 * ready (Karmada's check is vacuously true there, and deletes the only copy), a target whose
 * reported ready counter is below its assigned replicas is not ready (its status predates the new
 * share), and a target cluster that is not Ready is not trusted (its last status is stale).
 */
import type { AggregatedStatusItem, GracefulEvictionTask, TargetCluster } from '../api/index.js';
import { isScheduled, rfc3339, timeOf, type AnyBinding } from './binding.js';

export type TaskCause = 'released' | 'timeout' | 'healthy';

export interface AssessInput {
  binding: AnyBinding;
  now: number;
  /** The controller's --graceful-eviction-timeout (ms), for tasks without gracePeriodSeconds. */
  defaultTimeoutMs: number;
  /** Whether a cluster is Ready; unknown clusters are not. Omit to trust every status. */
  clusterReady?: (name: string) => boolean;
}

export interface Assessment {
  kept: GracefulEvictionTask[];
  removed: { task: GracefulEvictionTask; cause: TaskCause }[];
  /** Whether spec.gracefulEvictionTasks must be written (a task removed or stamped). */
  changed: boolean;
  /** When to look again for time-based removals; undefined when nothing is waiting on time. */
  retryAfterMs?: number;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The replicas a member reports ready, when its status has such a counter. */
function readyCounter(item: AggregatedStatusItem): number | undefined {
  const s = item.status as Record<string, unknown> | undefined;
  if (!s) return undefined;
  return num(s['availableReplicas']) ?? num(s['readyReplicas']) ?? num(s['numberAvailable']);
}

/** Why the replacements are not ready yet, or undefined when they are. */
export function replacementsNotReady(b: AnyBinding, clusterReady?: (name: string) => boolean): string | undefined {
  if (!isScheduled(b)) return 'the scheduler has not acted on the latest spec';
  const scheduled = b.status?.conditions?.find((c) => c.type === 'Scheduled');
  if (scheduled?.status === 'False') return `scheduling failed: ${scheduled.reason}`;
  const targets: TargetCluster[] = b.spec.clusters ?? [];
  if (!targets.length) return 'no cluster holds a replacement';
  const items = b.status?.aggregatedStatus ?? [];
  for (const t of targets) {
    const item = items.find((i) => i.clusterName === t.name);
    if (!item) return `no status from ${t.name} yet`;
    if (item.health !== 'Healthy') return `${t.name} is ${item.health ?? 'Unknown'}`;
    if (clusterReady && !clusterReady(t.name)) return `${t.name} is not Ready`;
    const ready = readyCounter(item);
    if (t.replicas && ready !== undefined && ready < t.replicas) return `${t.name} has ${ready}/${t.replicas} replicas ready`;
  }
  return undefined;
}

export const replacementsReady = (b: AnyBinding, clusterReady?: (name: string) => boolean): boolean => replacementsNotReady(b, clusterReady) === undefined;

const timeoutOf = (t: GracefulEvictionTask, defaultMs: number) => (t.gracePeriodSeconds != null ? t.gracePeriodSeconds * 1000 : defaultMs);

export function assessEvictionTasks(i: AssessInput): Assessment {
  const tasks = i.binding.spec.gracefulEvictionTasks ?? [];
  const kept: GracefulEvictionTask[] = [];
  const removed: Assessment['removed'] = [];
  let stamped = false;
  let healthy: boolean | undefined; // computed once, only if some task needs it
  for (const task of tasks) {
    const created = timeOf(task.creationTimestamp);
    if (created === undefined) {
      kept.push({ ...task, creationTimestamp: rfc3339(i.now) });
      stamped = true;
      continue;
    }
    if (task.suppressDeletion === true) {
      kept.push(task);
      continue;
    }
    if (task.suppressDeletion === false) {
      removed.push({ task, cause: 'released' });
      continue;
    }
    if (i.now > created + timeoutOf(task, i.defaultTimeoutMs)) {
      removed.push({ task, cause: 'timeout' });
      continue;
    }
    healthy ??= replacementsReady(i.binding, i.clusterReady);
    if (healthy) removed.push({ task, cause: 'healthy' });
    else kept.push(task);
  }
  const retryAfterMs = nextRetry(kept, i.defaultTimeoutMs, i.now);
  return { kept, removed, changed: stamped || removed.length > 0, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

/**
 * When the first kept task times out, capped at a tenth of the default timeout (a periodic look
 * in case a status change went unseen). Suppressed tasks wait for a person, not for time.
 */
export function nextRetry(tasks: readonly GracefulEvictionTask[], defaultTimeoutMs: number, now: number): number | undefined {
  let next: number | undefined;
  for (const t of tasks) {
    if (t.suppressDeletion === true) continue;
    const created = timeOf(t.creationTimestamp) ?? now;
    // +1 ms: removal needs now strictly past the deadline.
    const left = created + timeoutOf(t, defaultTimeoutMs) - now + 1;
    next = Math.min(next ?? Infinity, Math.max(1, left), Math.max(1, Math.floor(defaultTimeoutMs / 10)));
  }
  return next;
}
