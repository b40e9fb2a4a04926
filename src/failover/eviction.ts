/**
 * Evicting a binding from a cluster (Karmada's ResourceBindingSpec.GracefulEvictCluster): the
 * cluster leaves spec.clusters, so the scheduler places its share elsewhere at once, and a
 * GracefulEvictionTask records the step. The old copy stays until ./graceful.ts releases it,
 * except with purgeMode Directly: such tasks do not keep their cluster's Work (retainedClusters),
 * so the binding controller deletes it at once. The task still keeps the scheduler from putting
 * the workload straight back (the ClusterEviction filter) until it is removed.
 */
import type { FailoverBehavior, GracefulEvictionTask, PurgeMode, ResourceBindingSpec, TargetCluster } from '../api/index.js';
import { isDirectPurgeMode } from '../api/index.js';
import { rfc3339 } from './binding.js';

export type ClusterPurgeMode = 'Directly' | 'Gracefully';

/**
 * The purge mode of a cluster failover (taint manager): the policy's failover.cluster.purgeMode
 * (Gracefully when the block is there without one), else the controller default.
 */
export function clusterPurgeMode(failover: FailoverBehavior | undefined, defaultMode: ClusterPurgeMode = 'Gracefully'): ClusterPurgeMode {
  if (failover?.cluster) return failover.cluster.purgeMode === 'Directly' ? 'Directly' : 'Gracefully';
  return defaultMode;
}

export interface TaskOptions {
  purgeMode: PurgeMode;
  reason: string;
  producer: string;
  message?: string;
  gracePeriodSeconds?: number;
  suppressDeletion?: boolean;
  preservedLabelState?: Record<string, string>;
  /** spec.clusters names before this eviction (what failback returns to). */
  clustersBeforeFailover?: string[];
  now: number;
}

/** The task for evicting `target` (its replicas are recorded when it had any). */
export function buildEvictionTask(target: TargetCluster, o: TaskOptions): GracefulEvictionTask {
  const task: GracefulEvictionTask = {
    fromCluster: target.name,
    purgeMode: o.purgeMode,
    reason: o.reason,
    producer: o.producer,
    creationTimestamp: rfc3339(o.now),
  };
  if (target.replicas && target.replicas > 0) task.replicas = target.replicas;
  if (o.message) task.message = o.message.slice(0, 1024);
  // gracePeriodSeconds and suppressDeletion are exclusive; suppressDeletion wins (as Karmada reads it).
  if (o.suppressDeletion !== undefined) task.suppressDeletion = o.suppressDeletion;
  else if (o.gracePeriodSeconds !== undefined) task.gracePeriodSeconds = o.gracePeriodSeconds;
  if (o.preservedLabelState && Object.keys(o.preservedLabelState).length) task.preservedLabelState = { ...o.preservedLabelState };
  if (o.clustersBeforeFailover?.length) task.clustersBeforeFailover = [...o.clustersBeforeFailover];
  return task;
}

export interface EvictResult {
  spec: ResourceBindingSpec;
  /** The task added; undefined when the cluster already had one (it only left spec.clusters). */
  task?: GracefulEvictionTask;
  /** false: the cluster was not in spec.clusters, nothing changed. */
  evicted: boolean;
}

/** The spec after evicting `cluster`; `spec` itself is not modified. */
export function evictCluster(spec: ResourceBindingSpec, cluster: string, o: TaskOptions): EvictResult {
  const clusters = spec.clusters ?? [];
  const target = clusters.find((c) => c.name === cluster);
  if (!target) return { spec, evicted: false };
  const next: ResourceBindingSpec = { ...spec, clusters: clusters.filter((c) => c !== target) };
  const tasks = spec.gracefulEvictionTasks ?? [];
  if (tasks.some((t) => t.fromCluster === cluster)) return { spec: next, evicted: true };
  const task = buildEvictionTask(target, { ...o, clustersBeforeFailover: o.clustersBeforeFailover ?? clusters.map((c) => c.name) });
  next.gracefulEvictionTasks = [...tasks, task];
  return { spec: next, task, evicted: true };
}

/**
 * Clusters whose Work the binding controller must keep: spec.clusters plus clusters in eviction
 * tasks that are not purged Directly.
 */
export function retainedClusters(spec: Pick<ResourceBindingSpec, 'clusters' | 'gracefulEvictionTasks'>): Set<string> {
  const keep = new Set((spec.clusters ?? []).map((c) => c.name));
  for (const t of spec.gracefulEvictionTasks ?? []) if (!isDirectPurgeMode(t.purgeMode)) keep.add(t.fromCluster);
  return keep;
}
