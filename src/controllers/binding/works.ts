/**
 * Which Works a binding should have, as pure functions: one per target cluster (spec.clusters
 * plus the clusters of the bindings that require it, for propagateDeps), kept for clusters being
 * gracefully evicted (the old copy stays until the new one is healthy), deleted everywhere else.
 */
import { isDeepStrictEqual } from 'node:util';
import type { TargetCluster, Work } from '../../api/index.js';
import { isDirectPurgeMode, WORK_API_VERSION } from '../../api/index.js';
import { clusterNameOf, executionSpaceName } from '../../api/names.js';
import { EXECUTION_FINALIZER, type AnyBinding } from '../detector/index.js';

/** spec.clusters, then each requiring binding's clusters not already there (Karmada's mergeTargetClusters). */
export function targetClusters(b: AnyBinding): TargetCluster[] {
  const out = [...(b.spec.clusters ?? [])];
  const seen = new Set(out.map((c) => c.name));
  for (const r of b.spec.requiredBy ?? []) {
    for (const c of r.clusters ?? []) {
      if (seen.has(c.name)) continue;
      seen.add(c.name);
      out.push(c);
    }
  }
  return out;
}

/**
 * Clusters whose Work must stay: targets, and clusters of graceful-eviction tasks except those
 * purged Directly (their Work goes at once).
 */
export function keptClusters(b: AnyBinding): Set<string> {
  const keep = new Set(targetClusters(b).map((c) => c.name));
  for (const t of b.spec.gracefulEvictionTasks ?? []) if (!isDirectPurgeMode(t.purgeMode)) keep.add(t.fromCluster);
  return keep;
}

/** The binding's Works whose cluster is not kept. */
export function orphanWorks<W extends { metadata: { namespace?: string } }>(works: readonly W[], keep: ReadonlySet<string>): W[] {
  return works.filter((w) => {
    const cluster = clusterNameOf(w.metadata.namespace ?? '');
    return cluster === undefined || !keep.has(cluster);
  });
}

/** suspension.dispatching, or the cluster listed in suspension.dispatchingOnClusters. */
export function suspendDispatching(b: AnyBinding, cluster: string): boolean {
  const s = b.spec.suspension;
  if (!s) return false;
  if (s.dispatching) return true;
  return s.dispatchingOnClusters?.clusterNames?.includes(cluster) ?? false;
}

export interface DesiredWorkInput {
  binding: AnyBinding;
  cluster: string;
  name: string;
  manifest: Record<string, unknown>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The Work as it is now (its permanent id, labels and annotations others added are kept). */
  existing?: Work;
}

/** The Work for one cluster, and whether it differs from the existing one. */
export function desiredWork(i: DesiredWorkInput): { work: Work; changed: boolean } {
  const ex = i.existing;
  const spec: Work['spec'] = { workload: { manifests: [i.manifest] } };
  if (suspendDispatching(i.binding, i.cluster)) spec.suspendDispatching = true;
  if (i.binding.spec.preserveResourcesOnDeletion) spec.preserveResourcesOnDeletion = true;
  const labels = { ...ex?.metadata.labels, ...i.labels };
  const annotations = { ...ex?.metadata.annotations, ...i.annotations };
  // Overrides that no longer apply must not linger on the Work.
  for (const k of OVERRIDE_ANNOTATIONS) if (!(k in i.annotations)) delete annotations[k];
  const finalizers = ex?.metadata.finalizers ?? [EXECUTION_FINALIZER];
  const work: Work = {
    apiVersion: WORK_API_VERSION,
    kind: 'Work',
    metadata: { ...ex?.metadata, name: i.name, namespace: executionSpaceName(i.cluster), labels, annotations, finalizers },
    spec,
  };
  if (!ex) return { work, changed: true };
  const changed =
    !isDeepStrictEqual(ex.spec ?? {}, spec) || !isDeepStrictEqual(ex.metadata.labels ?? {}, labels) || !isDeepStrictEqual(ex.metadata.annotations ?? {}, annotations);
  return { work, changed };
}

const OVERRIDE_ANNOTATIONS = ['policy.karmada.io/applied-overrides', 'policy.karmada.io/applied-cluster-overrides'];
