/**
 * ClusterTaintPolicy (policy.karmada.io, Karmada's pkg/controllers/taint): taints put on, and
 * taken off, the clusters a policy targets, from their status conditions.
 *
 *   - Policies apply oldest first (creationTimestamp, then name), each on the result of the
 *     previous, so conflicting policies settle instead of flapping.
 *   - targetClusters unset targets every cluster (ClusterAffinity semantics otherwise).
 *   - addOnConditions, then removeOnConditions, each ANDed; an empty list never matches.
 *   - A condition type the cluster lacks matches neither In nor NotIn; an unknown operator
 *     matches nothing.
 *   - Taints are the same when key and effect are; an added taint gets timeAdded = now.
 *   - Deleting a policy removes nothing: its taints stay until removed by hand or by another
 *     policy (Karmada's rule; a policy deleted by mistake must not untaint a broken cluster).
 */
import type { Cluster, ClusterTaintPolicy, Condition, MatchCondition, Taint } from '../api/index.js';
import { clusterMatches } from '../scheduler/affinity.js';
import type { ClusterSnapshot } from '../scheduler/types.js';
import { rfc3339, timeOf } from './binding.js';

export function conditionMatches(conditions: readonly Condition[] | undefined, match: readonly MatchCondition[] | undefined): boolean {
  if (!match?.length) return false;
  return match.every((m) => {
    const c = (conditions ?? []).find((x) => x.type === m.conditionType);
    if (!c) return false;
    if (m.operator === 'In') return m.statusValues.includes(c.status);
    if (m.operator === 'NotIn') return !m.statusValues.includes(c.status);
    return false;
  });
}

/** What ClusterAffinity matching reads of a Cluster. */
export function affinityView(c: Cluster): ClusterSnapshot {
  return {
    name: c.metadata.name ?? '',
    labels: c.metadata.labels ?? {},
    provider: c.spec.provider,
    region: c.spec.region,
    zone: c.spec.zone,
    zones: c.spec.zones,
    ready: c.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') ?? false,
  };
}

export const policyTargets = (p: ClusterTaintPolicy, c: Cluster): boolean => !p.spec.targetClusters || clusterMatches(affinityView(c), p.spec.targetClusters);

function byAge(a: ClusterTaintPolicy, b: ClusterTaintPolicy): number {
  const ta = timeOf(a.metadata.creationTimestamp) ?? 0;
  const tb = timeOf(b.metadata.creationTimestamp) ?? 0;
  return ta - tb || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

const same = (a: Pick<Taint, 'key' | 'effect'>, b: Pick<Taint, 'key' | 'effect'>) => a.key === b.key && a.effect === b.effect;

/** The cluster's taints after every policy, and whether they differ from now. */
export function applyTaintPolicies(cluster: Cluster, policies: readonly ClusterTaintPolicy[], now: number): { taints: Taint[]; changed: boolean } {
  const before = cluster.spec.taints ?? [];
  let taints: Taint[] = before.map((t) => ({ ...t }));
  const conditions = cluster.status?.conditions;
  for (const p of [...policies].sort(byAge)) {
    if (!policyTargets(p, cluster)) continue;
    if (conditionMatches(conditions, p.spec.addOnConditions)) {
      for (const t of p.spec.taints) {
        if (taints.some((x) => same(x, t))) continue;
        taints.push({ key: t.key, effect: t.effect, ...(t.value ? { value: t.value } : {}), timeAdded: rfc3339(now) });
      }
    }
    if (conditionMatches(conditions, p.spec.removeOnConditions)) taints = taints.filter((x) => !p.spec.taints.some((t) => same(x, t)));
  }
  const changed = taints.length !== before.length || taints.some((t) => !before.some((b) => same(b, t)));
  return { taints: changed ? taints : before.map((t) => ({ ...t })), changed };
}
