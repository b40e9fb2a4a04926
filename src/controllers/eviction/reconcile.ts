/**
 * One binding's graceful-eviction tasks, judged by failover/graceful.ts: tasks whose old copy may
 * go are removed from spec.gracefulEvictionTasks (one write, resourceVersion precondition); the
 * binding controller then deletes that cluster's Work, since nothing keeps it any more. The key
 * comes back when the first remaining task times out.
 */
import type { Logger } from 'pino';
import type { Cluster, GracefulEvictionTask } from '../../api/index.js';
import type { KubeClient } from '../../client/client.js';
import type { Informer } from '../../client/informer.js';
import type { Result } from '../../controller/reconcile.js';
import { timeOf, type AnyBinding } from '../../failover/binding.js';
import { assessEvictionTasks, type TaskCause } from '../../failover/graceful.js';
import { EVENT_REASONS, EVICTION_REASONS } from '../../failover/wellknown.js';
import type { Clock } from '../../util/clock.js';
import type { EventRecorder } from '../execution/events.js';
import { writeBinding, type Bindings } from '../taint/bindings.js';
import type { FailoverMetrics } from '../taint/metrics.js';

export interface EvictionDeps {
  client: KubeClient;
  bindings: Bindings;
  clusters: Informer<Cluster>;
  events: EventRecorder;
  metrics: FailoverMetrics;
  clock: Clock;
  log: Logger;
  /** --graceful-eviction-timeout (ms). */
  timeoutMs: number;
}

const readyOf = (c: Cluster | undefined) => c?.status?.conditions?.find((x) => x.type === 'Ready');

function describeCause(task: GracefulEvictionTask, cause: TaskCause, defaultMs: number): string {
  if (cause === 'released') return 'released (suppressDeletion=false)';
  if (cause === 'timeout') return `its grace period (${task.gracePeriodSeconds ?? Math.round(defaultMs / 1000)}s) is over`;
  return 'the replacements are ready';
}

export function evictionReconciler(d: EvictionDeps): (key: string) => Promise<Result | void> {
  /** Metrics for a finished task: its life, and for a cluster failure, failure to ready elsewhere. */
  function observe(task: GracefulEvictionTask, cause: TaskCause, now: number): void {
    const created = timeOf(task.creationTimestamp);
    if (created !== undefined) d.metrics.taskSeconds.observe({ reason: task.reason, cause }, Math.max(0, now - created) / 1000);
    if (cause !== 'healthy' || task.reason !== EVICTION_REASONS.TaintUntolerated) return;
    // The failure time is on the Cluster while it is still down; once it is back it is gone.
    const ready = readyOf(d.clusters.getByName(undefined, task.fromCluster));
    const failedAt = ready && ready.status !== 'True' ? timeOf(ready.lastTransitionTime) : undefined;
    if (failedAt !== undefined) d.metrics.failoverSeconds.observe(Math.max(0, now - failedAt) / 1000);
  }

  return async (key) => {
    const b = d.bindings.get(key);
    if (!b || b.metadata.deletionTimestamp || !b.spec.gracefulEvictionTasks?.length) return;
    const now = d.clock.now();
    const a = assessEvictionTasks({
      binding: b,
      now,
      defaultTimeoutMs: d.timeoutMs,
      clusterReady: (name) => readyOf(d.clusters.getByName(undefined, name))?.status === 'True',
    });
    if (a.changed) {
      const spec = { ...b.spec };
      if (a.kept.length) spec.gracefulEvictionTasks = a.kept;
      else delete spec.gracefulEvictionTasks;
      await writeBinding(d.client, { ...b, spec } as AnyBinding);
      for (const { task, cause } of a.removed) {
        observe(task, cause, now);
        const msg = `Graceful eviction from cluster ${task.fromCluster} is complete: ${describeCause(task, cause, d.timeoutMs)}; its copy there is removed.`;
        d.events.event({ apiVersion: b.apiVersion, kind: b.kind, name: b.metadata.name ?? '', namespace: b.metadata.namespace, uid: b.metadata.uid }, 'Normal', EVENT_REASONS.EvictionTaskRemoved, msg);
        d.log.info({ binding: key, cluster: task.fromCluster, cause }, 'graceful eviction task removed');
      }
    }
    return a.retryAfterMs !== undefined ? { requeueAfter: a.retryAfterMs } : undefined;
  };
}
