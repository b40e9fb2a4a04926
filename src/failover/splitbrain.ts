/**
 * Partition heal without split brain, and the replica invariant of a move.
 *
 * A cluster coming back from Unreachable may still run copies the control plane moved away. The
 * normal path removes them: the Work of an evicted cluster is deleted, its execution finalizer
 * waits for the member to answer, then the copy goes. What that path cannot see is a copy whose
 * Work is already gone (finalizer removed by hand, execution namespace recreated, control plane
 * restored from a backup). orphanedMemberObjects finds those from the member's inventory.
 *
 * Only positive evidence deletes (never delete on a disconnected cluster without a purge
 * decision): the object carries Flotilla's managed label, its Work annotation names a Work in
 * this cluster's execution namespace, that Work does not exist, and its binding is gone or no
 * longer keeps this cluster. A copy whose binding dropped the cluster but whose Work still exists
 * is "pending": the binding controller deletes the Work, and execution then the copy. A copy whose
 * binding still exists and asks to preserve resources on deletion is never judged an orphan.
 * src/controllers/splitbrain runs this on every member that turns Ready again.
 */
import { executionSpaceName } from '../api/names.js';
import { retainedClusters } from './eviction.js';
import type { AnyBinding } from './binding.js';

export const MANAGED_LABEL = 'karmada.io/managed';
const WORK_NS = 'work.karmada.io/namespace';
const WORK_NAME = 'work.karmada.io/name';
const RB_NS = 'resourcebinding.karmada.io/namespace';
const RB_NAME = 'resourcebinding.karmada.io/name';
const CRB_NAME = 'clusterresourcebinding.karmada.io/name';

export interface MemberObject {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
}

export interface BindingRef {
  kind: 'ResourceBinding' | 'ClusterResourceBinding';
  namespace?: string;
  name: string;
}

export interface OrphanInput {
  cluster: string;
  /** Objects found in the member (any kinds). */
  members: readonly MemberObject[];
  /** Whether the Work "namespace/name" exists on the control plane (from a synced cache). */
  workExists: (namespace: string, name: string) => boolean;
  binding: (ref: BindingRef) => AnyBinding | undefined;
}

export interface Orphan {
  object: MemberObject;
  reason: string;
}

export function bindingRefOf(o: MemberObject): BindingRef | undefined {
  const a = o.metadata.annotations ?? {};
  if (a[RB_NAME]) return { kind: 'ResourceBinding', namespace: a[RB_NS] ?? '', name: a[RB_NAME]! };
  if (a[CRB_NAME]) return { kind: 'ClusterResourceBinding', name: a[CRB_NAME]! };
  return undefined;
}

/** Copies to delete now, and copies whose removal is already on its way (pending). */
export function orphanedMemberObjects(i: OrphanInput): { delete: Orphan[]; pending: Orphan[] } {
  const ns = executionSpaceName(i.cluster);
  const del: Orphan[] = [];
  const pending: Orphan[] = [];
  for (const o of i.members) {
    if (o.metadata.labels?.[MANAGED_LABEL] !== 'true') continue;
    const a = o.metadata.annotations ?? {};
    const workNs = a[WORK_NS];
    const workName = a[WORK_NAME];
    // A copy stamped for another cluster's Work is not ours to judge here.
    if (!workName || workNs !== ns) continue;
    const ref = bindingRefOf(o);
    const b = ref ? i.binding(ref) : undefined;
    const kept = b ? retainedClusters(b.spec).has(i.cluster) && !b.metadata.deletionTimestamp : false;
    if (kept) continue;
    // Asked to keep its copies: removing the Work releases them rather than deleting them.
    if (b?.spec.preserveResourcesOnDeletion === true) continue;
    const why = b ? `binding ${ref!.namespace ? `${ref!.namespace}/` : ''}${ref!.name} no longer targets ${i.cluster}` : 'its binding is gone';
    if (i.workExists(workNs, workName)) pending.push({ object: o, reason: `${why}; Work ${workNs}/${workName} is being removed` });
    else del.push({ object: o, reason: `${why} and Work ${workNs}/${workName} was deleted while the cluster was away` });
  }
  return { delete: del, pending };
}

export interface ReplicaSample {
  at: number;
  /** Ready replicas per cluster at that time (every cluster, the old copy included). */
  ready: Readonly<Record<string, number>>;
}

export interface ReplicaReport {
  /** Most replicas missing below the desired total at any sample. */
  peakDeficit: number;
  /** Most replicas above the desired total at any sample. */
  peakSurplus: number;
  /** Time spent below the desired total (ms, sample to sample). */
  deficitMs: number;
  /** Samples below the desired total. */
  violations: { at: number; total: number }[];
}

const total = (r: Readonly<Record<string, number>>) => Object.values(r).reduce((s, n) => s + n, 0);

/**
 * The invariant of a move: ready replicas, summed over all clusters, never below `desired`
 * (replacements are ready before the old copy goes). Samples before `from` (the initial
 * rollout, or the outage itself, when the failed cluster's replicas are lost) are ignored.
 */
export function checkReplicaInvariant(samples: readonly ReplicaSample[], desired: number, from = -Infinity): ReplicaReport {
  const r: ReplicaReport = { peakDeficit: 0, peakSurplus: 0, deficitMs: 0, violations: [] };
  const list = [...samples].filter((s) => s.at >= from).sort((a, b) => a.at - b.at);
  list.forEach((s, idx) => {
    const t = total(s.ready);
    if (t < desired) {
      r.violations.push({ at: s.at, total: t });
      r.peakDeficit = Math.max(r.peakDeficit, desired - t);
      const next = list[idx + 1];
      if (next) r.deficitMs += next.at - s.at;
    }
    r.peakSurplus = Math.max(r.peakSurplus, t - desired);
  });
  return r;
}
