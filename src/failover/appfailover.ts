/**
 * Application failover (Karmada's applicationfailover controllers): per binding and cluster,
 * remember when aggregatedStatus first reported the workload Unhealthy there; once it has stayed
 * so for decisionConditions.tolerationSeconds (default 300; 0 = at once), evict that cluster
 * with the policy's purgeMode:
 *
 *   Gracefully (default)  gracePeriodSeconds (default 600): the old copy goes when the
 *                         replacements are healthy, or at the latest after the grace period
 *   Directly              the old copy goes at once
 *   Never                 suppressDeletion: the old copy stays until a person releases it
 *
 * Healthy clears a cluster's clock; Unknown keeps it (a status gap is not a recovery); clusters
 * no longer targeted are forgotten. Clusters already in an eviction task are not judged again.
 */
import type { ApplicationFailoverBehavior, PurgeMode } from '../api/index.js';
import { isDirectPurgeMode, isGracefulPurgeMode } from '../api/index.js';
import type { AnyBinding } from './binding.js';
import { inEvictionTasks, targetNames } from './binding.js';
import type { TaskOptions } from './eviction.js';
import { EVICTION_REASONS } from './wellknown.js';

export const DEFAULT_APP_TOLERATION_SECONDS = 300;
export const DEFAULT_APP_GRACE_PERIOD_SECONDS = 600;

export interface Detection {
  /** Clusters to evict now. */
  evict: string[];
  /** When the next cluster's toleration runs out (ms); undefined when none is counting. */
  retryAfterMs?: number;
}

/** When the workload became Unhealthy in each cluster, per binding key. Not persisted (Karmada neither). */
export class UnhealthyTracker {
  readonly #since = new Map<string, Map<string, number>>();

  forget(key: string): void {
    this.#since.delete(key);
  }

  /** The time first seen Unhealthy, for tests and events. */
  since(key: string, cluster: string): number | undefined {
    return this.#since.get(key)?.get(cluster);
  }

  /** Updates the clocks from the binding's status and decides who goes. */
  detect(key: string, b: AnyBinding, now: number): Detection {
    const app = b.spec.failover?.application;
    if (!app) {
      this.forget(key);
      return { evict: [] };
    }
    const toleration = Math.max(0, app.decisionConditions?.tolerationSeconds ?? DEFAULT_APP_TOLERATION_SECONDS) * 1000;
    const targeted = new Set(targetNames(b));
    let clocks = this.#since.get(key);
    if (!clocks) this.#since.set(key, (clocks = new Map()));
    for (const cluster of [...clocks.keys()]) if (!targeted.has(cluster)) clocks.delete(cluster);
    const evict: string[] = [];
    let next: number | undefined;
    for (const item of b.status?.aggregatedStatus ?? []) {
      const c = item.clusterName;
      if (item.health === 'Healthy') {
        clocks.delete(c);
        continue;
      }
      if (item.health !== 'Unhealthy' || !targeted.has(c) || inEvictionTasks(b, c)) continue;
      let since = clocks.get(c);
      if (since === undefined) clocks.set(c, (since = now));
      const due = since + toleration;
      if (now >= due) evict.push(c);
      else next = Math.min(next ?? Infinity, due - now);
    }
    if (!clocks.size) this.#since.delete(key);
    return { evict, ...(next !== undefined ? { retryAfterMs: next } : {}) };
  }
}

/** The task options for an application failover eviction. */
export function applicationTaskOptions(app: ApplicationFailoverBehavior, producer: string, cluster: string, clustersBefore: string[], now: number): TaskOptions {
  const purgeMode: PurgeMode = app.purgeMode ?? 'Gracefully';
  const o: TaskOptions = {
    purgeMode,
    reason: EVICTION_REASONS.ApplicationFailure,
    producer,
    message: `the application stayed unhealthy in cluster ${cluster} for more than ${app.decisionConditions?.tolerationSeconds ?? DEFAULT_APP_TOLERATION_SECONDS}s`,
    clustersBeforeFailover: clustersBefore,
    now,
  };
  if (isGracefulPurgeMode(purgeMode)) o.gracePeriodSeconds = app.gracePeriodSeconds ?? DEFAULT_APP_GRACE_PERIOD_SECONDS;
  else if (!isDirectPurgeMode(purgeMode)) o.suppressDeletion = true; // Never
  return o;
}
