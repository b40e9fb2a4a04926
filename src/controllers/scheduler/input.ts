/**
 * Which bindings this scheduler decides for, and what a decision reads from one. Karmada's
 * scheduler takes a binding only when a PropagationPolicy or ClusterPropagationPolicy claims it
 * (a binding whose policy went away keeps its clusters), when it names this scheduler, has a
 * placement, and its scheduling is not suspended.
 */
import { rescheduleRequired, type BindingInput, type Placement } from '../../scheduler/index.js';
import { APPLIED_PLACEMENT_ANNOTATION, DEFAULT_SCHEDULER, PERMANENT_ID_LABELS, type AnyBinding } from '../detector/index.js';

/** Why the binding is not ours to schedule now, or undefined when it is. */
export function skipReason(b: AnyBinding, schedulerName = DEFAULT_SCHEDULER): string | undefined {
  if (b.metadata.deletionTimestamp) return 'deleting';
  const labels = b.metadata.labels ?? {};
  if (!labels[PERMANENT_ID_LABELS.PropagationPolicy] && !labels[PERMANENT_ID_LABELS.ClusterPropagationPolicy]) return 'not claimed by a policy';
  if ((b.spec.schedulerName || DEFAULT_SCHEDULER) !== schedulerName) return `scheduler ${b.spec.schedulerName}`;
  if (!b.spec.placement) return 'no placement';
  if (b.spec.suspension?.scheduling) return 'scheduling suspended';
  return undefined;
}

/** The decision's input; objects are shared with the cached binding (the scheduler never mutates). */
export function bindingInput(b: AnyBinding): BindingInput {
  return {
    uid: b.metadata.uid ?? `${b.metadata.namespace ?? ''}/${b.metadata.name}`,
    resource: b.spec.resource,
    replicas: b.spec.replicas ?? 0,
    replicaRequirements: b.spec.replicaRequirements as BindingInput['replicaRequirements'],
    placement: (b.spec.placement ?? {}) as Placement,
    currentClusters: b.spec.clusters,
    gracefulEvictionTasks: b.spec.gracefulEvictionTasks,
    rescheduleTriggeredAt: b.spec.rescheduleTriggeredAt,
    lastScheduledTime: b.status?.lastScheduledTime,
    schedulerObservingAffinityName: b.status?.schedulerObservingAffinityName,
  };
}

/** spec.clusters in a canonical form (sorted, replicas explicit) for comparison. */
export function canonicalClusters(cs: readonly { name: string; replicas?: number }[] | undefined): { name: string; replicas: number }[] {
  return (cs ?? []).map((c) => ({ name: c.name, replicas: c.replicas ?? 0 })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function sameClusters(a: readonly { name: string; replicas?: number }[] | undefined, b: readonly { name: string; replicas?: number }[] | undefined): boolean {
  const x = canonicalClusters(a);
  const y = canonicalClusters(b);
  return x.length === y.length && x.every((c, i) => c.name === y[i]!.name && c.replicas === y[i]!.replicas);
}

/**
 * Why the binding must be decided now, or undefined when its spec.clusters stays as it is.
 * Karmada's doScheduleBinding, in its order: the placement differs from the one last applied; the
 * workload is duplicated (or not a workload: always decided); the replicas placed do not add up
 * to spec.replicas (first schedule, scale, a cluster evicted by failover); a reschedule was
 * requested (WorkloadRebalancer, failback). Otherwise a divided workload stays put — a cluster
 * that recovers, gains labels or loses a taint does not pull replicas back (Karmada's "TODO:
 * reschedule bindings on cluster change"). Flotilla adds one case: a target cluster that no
 * longer exists or is being deleted.
 */
export function scheduleTrigger(b: AnyBinding, clusterUsable: (name: string) => boolean): string | undefined {
  const placement = b.spec.placement;
  if (b.metadata.annotations?.[APPLIED_PLACEMENT_ANNOTATION] !== JSON.stringify(placement ?? {})) return 'placement changed';
  const replicas = b.spec.replicas ?? 0;
  const rs = placement?.replicaScheduling;
  if (replicas === 0 || !rs || rs.replicaSchedulingType === 'Duplicated') return 'duplicated';
  const placed = (b.spec.clusters ?? []).reduce((n, c) => n + (c.replicas ?? 0), 0);
  if (placed !== replicas) return 'replicas changed';
  if (rescheduleRequired({ rescheduleTriggeredAt: b.spec.rescheduleTriggeredAt, lastScheduledTime: b.status?.lastScheduledTime })) return 'reschedule requested';
  if ((b.spec.clusters ?? []).some((c) => !clusterUsable(c.name))) return 'target cluster gone';
  return undefined;
}
