/**
 * Which bindings this scheduler decides for, and what a decision reads from one. Karmada's
 * scheduler takes a binding only when a PropagationPolicy or ClusterPropagationPolicy claims it
 * (a binding whose policy went away keeps its clusters), when it names this scheduler, has a
 * placement, and its scheduling is not suspended.
 */
import type { BindingInput, Placement } from '../../scheduler/index.js';
import { DEFAULT_SCHEDULER, PERMANENT_ID_LABELS, type AnyBinding } from '../detector/index.js';

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
