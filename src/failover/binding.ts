/**
 * Small pure readers over (Cluster)ResourceBindings shared by the failover decisions: keys, the
 * clusters a binding targets, its placement as last applied, whether the scheduler has caught up.
 */
import type { ClusterResourceBinding, Placement, ResourceBinding, Toleration } from '../api/index.js';
import { APPLIED_PLACEMENT_ANNOTATION, CLAIM_ANNOTATIONS } from './wellknown.js';

export type AnyBinding = ResourceBinding | ClusterResourceBinding;

/** "namespace/name" for a ResourceBinding, "name" for a ClusterResourceBinding (informer keys). */
export function bindingKey(b: { metadata: { name?: string; namespace?: string } }): string {
  return b.metadata.namespace ? `${b.metadata.namespace}/${b.metadata.name}` : (b.metadata.name ?? '');
}

/** Names in spec.clusters, in order. */
export function targetNames(b: AnyBinding): string[] {
  return (b.spec.clusters ?? []).map((c) => c.name);
}

export const targets = (b: AnyBinding, cluster: string): boolean => (b.spec.clusters ?? []).some((c) => c.name === cluster);

export const inEvictionTasks = (b: AnyBinding, cluster: string): boolean => (b.spec.gracefulEvictionTasks ?? []).some((t) => t.fromCluster === cluster);

/**
 * The placement the current scheduling result was decided with: Karmada's taint manager reads
 * tolerations from the applied-placement annotation, so a policy edit not yet scheduled does not
 * change who is evicted. Falls back to spec.placement when the annotation is missing or bad.
 */
export function appliedPlacement(b: AnyBinding): Placement | undefined {
  const raw = b.metadata.annotations?.[APPLIED_PLACEMENT_ANNOTATION];
  if (raw) {
    try {
      const p = JSON.parse(raw) as unknown;
      if (p && typeof p === 'object') return p as Placement;
    } catch {
      // a hand-edited annotation: fall through to spec.placement
    }
  }
  return b.spec.placement;
}

export function clusterTolerations(b: AnyBinding): Toleration[] {
  return appliedPlacement(b)?.clusterTolerations ?? [];
}

/** The scheduler has acted on the current spec (Karmada's schedulerObservedGeneration check). */
export function isScheduled(b: AnyBinding): boolean {
  const observed = b.status?.schedulerObservedGeneration;
  return observed !== undefined && observed === (b.metadata.generation ?? 0);
}

/** The claiming policy, from the claim annotations: "ns/name" for a PP, "name" for a CPP. */
export function policyOf(b: AnyBinding): { kind: 'PropagationPolicy' | 'ClusterPropagationPolicy'; key: string } | undefined {
  const a = b.metadata.annotations ?? {};
  if (a[CLAIM_ANNOTATIONS.ppName]) return { kind: 'PropagationPolicy', key: `${a[CLAIM_ANNOTATIONS.ppNamespace] ?? ''}/${a[CLAIM_ANNOTATIONS.ppName]}` };
  if (a[CLAIM_ANNOTATIONS.cppName]) return { kind: 'ClusterPropagationPolicy', key: a[CLAIM_ANNOTATIONS.cppName]! };
  return undefined;
}

/** metav1.Time (seconds, UTC). */
export { rfc3339 } from '../util/time.js';

/** A time field as ms, or undefined when absent or unparsable. */
export function timeOf(t: string | Date | undefined | null): number | undefined {
  if (t == null) return undefined;
  const ms = t instanceof Date ? t.getTime() : Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}
