/**
 * Spread constraints: which of the scored clusters a workload may use (Karmada's
 * core/spreadconstraint, SelectBestClusters).
 *
 * - No constraints, or static weights (Karmada ignores spread for them): every feasible cluster.
 * - By cluster only (selectBestClustersByCluster): the top min(n, maxGroups) by score; unless
 *   the strategy is Duplicated their available replicas must cover the workload, else walk back
 *   from the lowest-scored pick, swapping in the unpicked cluster with the most available
 *   replicas when it has more than the one it replaces.
 * - By region (selectBestClustersByRegion): choose regions with selectGroups, take each chosen
 *   region's best cluster, then fill up to the cluster constraint's maxGroups from the other
 *   clusters of those regions by score, then available replicas. Without a cluster constraint
 *   that is one cluster per region, as in Karmada.
 * - Zone, provider and spreadByLabel (which Karmada accepts but ignores, kar#5355) work exactly
 *   like region with their own grouping; a cluster listing several zones belongs to each.
 *   When several group constraints are given the first of region, zone, provider, label drives
 *   the selection and the others are checked on the result.
 *
 * Flotilla defaults: minGroups 1 when unset (Karmada's webhook default); maxGroups unset or 0
 * means unbounded (Karmada would select nothing).
 */
import { clusterZones } from './affinity.js';
import { SchedulerError } from './errors.js';
import { compareScored, type ScoredCluster } from './score.js';
import { selectGroups } from './spread-groups.js';
import type { ClusterSnapshot, Placement, SpreadConstraint } from './types.js';

export interface SpreadTrace {
  /** What drove selection: 'none' (all feasible clusters), 'cluster', or a group kind. */
  readonly by: string;
  /** Groups considered, best first, and the ones chosen. */
  readonly groups?: readonly { name: string; score: number; clusters: number }[];
  readonly chosenGroups?: readonly string[];
  /** Resource-driven swaps in by-cluster selection: `out` replaced by `in`. */
  readonly swaps?: readonly { out: string; in: string }[];
  readonly note?: string;
}

export interface Selection {
  readonly clusters: ScoredCluster[];
  readonly trace: SpreadTrace;
}

interface GroupConstraint {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly keys: (c: ClusterSnapshot) => readonly string[];
}

const minOf = (c: SpreadConstraint): number => c.minGroups ?? 1;
const maxOf = (c: SpreadConstraint): number => (c.maxGroups ? c.maxGroups : Number.POSITIVE_INFINITY);

function groupConstraint(c: SpreadConstraint): GroupConstraint | undefined {
  const bounds = { min: minOf(c), max: maxOf(c) };
  switch (c.spreadByField) {
    case 'region':
      return { label: 'region', ...bounds, keys: (x) => (x.region ? [x.region] : []) };
    case 'zone':
      return { label: 'zone', ...bounds, keys: clusterZones };
    case 'provider':
      return { label: 'provider', ...bounds, keys: (x) => (x.provider ? [x.provider] : []) };
    case 'cluster':
      return undefined;
    default: {
      const key = c.spreadByLabel;
      if (!key) return undefined; // neither field nor label: the webhook makes it 'cluster'
      return { label: `label ${key}`, ...bounds, keys: (x) => (x.labels?.[key] !== undefined ? [x.labels[key]] : []) };
    }
  }
}

const PRIMARY_ORDER = ['region', 'zone', 'provider'];
const rank = (g: GroupConstraint): number => {
  const i = PRIMARY_ORDER.indexOf(g.label);
  return i < 0 ? PRIMARY_ORDER.length : i;
};

/** Karmada ignores spread constraints for static-weight division. */
export function ignoresSpread(p: Placement): boolean {
  const s = p.replicaScheduling;
  if (!s || s.replicaSchedulingType === 'Duplicated') return false;
  if ((s.replicaDivisionPreference || 'Weighted') !== 'Weighted') return false;
  const w = s.weightPreference;
  return !w || ((w.staticWeightList?.length ?? 0) !== 0 && !w.dynamicWeight);
}

/**
 * Selects clusters from `sorted` (best first). `needReplicas` < 0 means capacity does not
 * matter (Duplicated). Throws SchedulerError when the constraints cannot be met.
 */
export function selectClusters(placement: Placement, sorted: readonly ScoredCluster[], needReplicas: number): Selection {
  const constraints = placement.spreadConstraints ?? [];
  if (constraints.length === 0 || ignoresSpread(placement)) {
    return { clusters: sorted.slice(), trace: { by: 'none', note: constraints.length ? 'spread constraints are ignored for static weights' : undefined } };
  }
  let byCluster: SpreadConstraint | undefined;
  const groups: GroupConstraint[] = [];
  for (const c of constraints) {
    const g = groupConstraint(c);
    if (g) groups.push(g);
    else byCluster = c; // the last one wins, like Karmada's map by field
  }
  if (groups.length === 0) return selectByCluster(byCluster!, sorted, needReplicas);
  groups.sort((a, b) => rank(a) - rank(b));
  const selection = selectByGroup(groups[0]!, byCluster, sorted);
  for (const other of groups.slice(1)) checkGroups(other, selection.clusters);
  return selection;
}

function selectByCluster(c: SpreadConstraint, sorted: readonly ScoredCluster[], needReplicas: number): Selection {
  const min = minOf(c);
  if (sorted.length < min) {
    throw new SchedulerError(`the number of feasible clusters is less than spreadConstraint.MinGroups (${sorted.length} < ${min})`);
  }
  const needCnt = Math.min(sorted.length, maxOf(c));
  const picked = sorted.slice(0, needCnt);
  if (needReplicas < 0) return { clusters: picked, trace: { by: 'cluster' } };
  const rest = sorted.slice(needCnt);
  const enough = () => picked.reduce((s, x) => s + x.available, 0) >= needReplicas;
  const swaps: { out: string; in: string }[] = [];
  for (let i = picked.length - 1; i >= 0 && !enough(); i--) {
    let best = -1;
    let max = picked[i]!.available;
    rest.forEach((r, j) => {
      if (r.available > max) [best, max] = [j, r.available];
    });
    if (best < 0) continue;
    swaps.push({ out: picked[i]!.name, in: rest[best]!.name });
    [picked[i], rest[best]] = [rest[best]!, picked[i]!];
  }
  if (!enough()) {
    const room = picked.reduce((s, x) => s + x.available, 0);
    throw new SchedulerError(
      `no enough resource when selecting ${needCnt} clusters: need ${needReplicas} replicas, the best ${needCnt} of ${sorted.length} feasible clusters have room for ${room}`,
    );
  }
  return { clusters: picked, trace: { by: 'cluster', swaps: swaps.length ? swaps : undefined } };
}

interface Group {
  readonly name: string;
  readonly clusters: ScoredCluster[];
}

function buildGroups(g: GroupConstraint, sorted: readonly ScoredCluster[]): Group[] {
  const byName = new Map<string, Group>();
  for (const c of sorted) {
    for (const key of g.keys(c.cluster)) {
      let grp = byName.get(key);
      if (!grp) byName.set(key, (grp = { name: key, clusters: [] }));
      grp.clusters.push(c); // `sorted` order, so clusters[0] is the group's best
    }
  }
  return [...byName.values()];
}

function selectByGroup(g: GroupConstraint, byCluster: SpreadConstraint | undefined, sorted: readonly ScoredCluster[]): Selection {
  const all = buildGroups(g, sorted);
  if (all.length < g.min) {
    throw new SchedulerError(`the number of feasible ${g.label} is less than spreadConstraint.MinGroups (${all.length} < ${g.min})`);
  }
  const infos = all.map((x) => ({ name: x.name, value: x.clusters.length, weight: x.clusters[0]!.score }));
  const target = byCluster ? minOf(byCluster) : 0;
  const chosen = selectGroups(infos, g.min, g.max, target);
  const trace = {
    by: g.label,
    groups: infos.slice().sort((a, b) => b.weight - a.weight || (a.name < b.name ? -1 : 1)).map((i) => ({ name: i.name, score: i.weight, clusters: i.value })),
    chosenGroups: chosen.map((x) => x.name),
  };
  if (chosen.length === 0) {
    throw new SchedulerError(
      `the number of clusters is less than the cluster spreadConstraint.MinGroups (no combination of ${g.min} to ${g.max === Infinity ? 'any number of' : g.max} ${g.label} groups has ${target} clusters)`,
    );
  }
  const groups = new Map(all.map((x) => [x.name, x]));
  const picked: ScoredCluster[] = [];
  const taken = new Set<string>();
  const candidates: ScoredCluster[] = [];
  for (const { name } of chosen) {
    const members = groups.get(name)!.clusters;
    const best = members.find((c) => !taken.has(c.name));
    if (best) {
      picked.push(best);
      taken.add(best.name);
    }
    candidates.push(...members);
  }
  const rest = [...new Map(candidates.filter((c) => !taken.has(c.name)).map((c) => [c.name, c])).values()];
  const needCnt = Math.min(picked.length + rest.length, byCluster ? maxOf(byCluster) : 0);
  if (needCnt > picked.length) {
    // Karmada: score, then available replicas, then name.
    rest.sort((a, b) => (a.score !== b.score ? b.score - a.score : b.available - a.available || compareScored(a, b)));
    picked.push(...rest.slice(0, needCnt - picked.length));
  }
  return { clusters: picked, trace };
}

function checkGroups(g: GroupConstraint, clusters: readonly ScoredCluster[]): void {
  const seen = new Set(clusters.flatMap((c) => g.keys(c.cluster)));
  if (seen.size < g.min || seen.size > g.max) {
    throw new SchedulerError(
      `the selected clusters span ${seen.size} ${g.label} group(s), outside spreadConstraint [${g.min}, ${g.max === Infinity ? 'unbounded' : g.max}]`,
    );
  }
}
