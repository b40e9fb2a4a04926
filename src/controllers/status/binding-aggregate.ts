/**
 * A binding's status.aggregatedStatus and FullyApplied condition from its Works (Karmada's
 * AggregateResourceBindingWorkStatus and generateFullyAppliedCondition):
 *
 *  - one item per Work that holds the template's manifest, for the Work's cluster, sorted by
 *    cluster name: applied from the Work's Applied condition (its message when not applied),
 *    status and health from the manifest status of the template's object (health Unknown
 *    while not applied or not yet observed);
 *  - FullyApplied=True when the binding is scheduled and every target cluster (spec.clusters,
 *    plus clusters still being evicted gracefully) has exactly one applied item.
 */
import { clusterNameOf } from '../../api/names.js';
import type { AggregatedStatusItem, ResourceBindingSpec, Work } from '../../api/work.js';
import { findCondition, splitApiVersion, type WantCondition } from '../execution/index.js';

export const FULLY_APPLIED = {
  type: 'FullyApplied',
  successReason: 'FullyAppliedSuccess',
  successMessage: 'All works have been successfully applied',
  failedReason: 'FullyAppliedFailed',
  failedMessage: 'Failed to apply all works, see status.aggregatedStatus for details',
} as const;

interface Resource {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

const sameObject = (r: Resource, group: string, kind: string, namespace: string | undefined, name: string): boolean =>
  splitApiVersion(r.apiVersion)[0] === group && r.kind === kind && (r.namespace ?? '') === (namespace ?? '') && r.name === name;

/** Whether the Work carries the template's own manifest. */
export function workHolds(work: Work, r: Resource): boolean {
  return (work.spec.workload?.manifests ?? []).some((m: any) => typeof m?.apiVersion === 'string' && sameObject(r, splitApiVersion(m.apiVersion)[0], m.kind, m.metadata?.namespace, m.metadata?.name));
}

export function aggregateItems(resource: Resource, works: readonly Work[]): AggregatedStatusItem[] {
  const items: AggregatedStatusItem[] = [];
  for (const work of works) {
    const clusterName = clusterNameOf(work.metadata.namespace ?? '');
    if (!clusterName || work.metadata.deletionTimestamp || !workHolds(work, resource)) continue;
    const applied = findCondition(work.status?.conditions, 'Applied');
    if (applied?.status !== 'True') {
      items.push({ clusterName, applied: false, ...(applied?.message ? { appliedMessage: applied.message } : {}), health: 'Unknown' });
      continue;
    }
    const ms = (work.status?.manifestStatuses ?? []).find((s) => sameObject(resource, s.identifier.group ?? '', s.identifier.kind, s.identifier.namespace, s.identifier.name));
    items.push({ clusterName, applied: true, ...(ms?.status ? { status: ms.status } : {}), health: ms?.health ?? 'Unknown' });
  }
  return items.sort((a, b) => (a.clusterName < b.clusterName ? -1 : a.clusterName > b.clusterName ? 1 : 0));
}

/** Clusters the binding still has a copy in: scheduled ones and ones being evicted gracefully. */
export function targetClusters(spec: Pick<ResourceBindingSpec, 'clusters' | 'gracefulEvictionTasks'>): Set<string> {
  const out = new Set((spec.clusters ?? []).map((c) => c.name));
  for (const t of spec.gracefulEvictionTasks ?? []) out.add(t.fromCluster);
  return out;
}

export function fullyAppliedCondition(spec: Pick<ResourceBindingSpec, 'clusters' | 'gracefulEvictionTasks'>, items: readonly AggregatedStatusItem[]): WantCondition {
  const targets = targetClusters(spec);
  const ok = targets.size > 0 && targets.size === items.length && items.every((i) => i.applied === true && targets.has(i.clusterName));
  return ok
    ? { type: FULLY_APPLIED.type, status: 'True', reason: FULLY_APPLIED.successReason, message: FULLY_APPLIED.successMessage }
    : { type: FULLY_APPLIED.type, status: 'False', reason: FULLY_APPLIED.failedReason, message: FULLY_APPLIED.failedMessage };
}
