/**
 * Choosing which topology groups (regions, zones, providers, label values) to spread over:
 * Karmada's selectGroups (core/spreadconstraint/select_groups.go), reproduced because its
 * tie-breaking decides which regions a workload lands in.
 *
 * Karmada sorts groups by cluster count ascending, score descending, name; a depth-first search
 * enumerates combinations of minGroups..maxGroups groups, stopping a path as soon as its clusters
 * reach `target` (the cluster constraint's minGroups). Among those paths the best has the highest
 * total score, then the most clusters, then was found first; but a path whose groups are the
 * first groups (in score order) of the best one replaces it, being smaller.
 *
 * Karmada materialises and sorts every path. Here the search only tracks the best so far, and
 * the replacement rule is evaluated directly: the shorter paths that can replace the best are
 * exactly its score-order prefixes that the search would have produced, and since each has
 * fewer groups, less value and no more score, they are visited from longest to shortest, so the
 * shortest such prefix wins. Same answer, no allocation per path. The search is still
 * exponential in the worst case, so it stops after MAX_STEPS nodes with the best found so far.
 */

export interface GroupInfo {
  readonly name: string;
  /** Number of clusters in the group. */
  readonly value: number;
  /** The group's score: its best cluster's. */
  readonly weight: number;
}

const MAX_STEPS = 200_000;

const byName = (a: GroupInfo, b: GroupInfo): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
/** Score order, which paths are compared in. */
const byWeight = (a: GroupInfo, b: GroupInfo): number => (a.weight !== b.weight ? b.weight - a.weight : byName(a, b));
/** Search order. */
const byValue = (a: GroupInfo, b: GroupInfo): number => (a.value !== b.value ? a.value - b.value : byWeight(a, b));

/** The best path of the search: highest score, then most clusters, then first found. */
function bestPath(sorted: readonly GroupInfo[], min: number, max: number, target: number): GroupInfo[] | undefined {
  let best: GroupInfo[] | undefined;
  let bestWeight = -Infinity;
  let bestValue = -Infinity;
  const stack: GroupInfo[] = [];
  let steps = 0;
  const dfs = (sum: number, weight: number, begin: number): void => {
    if (++steps > MAX_STEPS) return;
    if (sum >= target && stack.length >= min && stack.length <= max) {
      if (weight > bestWeight || (weight === bestWeight && sum > bestValue)) {
        [best, bestWeight, bestValue] = [stack.slice(), weight, sum];
      }
      return;
    }
    if (stack.length >= max) return;
    for (let i = begin; i < sorted.length; i++) {
      const g = sorted[i]!;
      stack.push(g);
      dfs(sum + g.value, weight + g.weight, i + 1);
      stack.pop();
    }
  };
  dfs(0, 0, 0);
  return best;
}

/** Whether the search emits exactly `set`: feasible, and no shorter search-order prefix already was. */
function emitted(set: readonly GroupInfo[], min: number, max: number, target: number): boolean {
  if (set.length < min || set.length > max) return false;
  const ordered = set.slice().sort(byValue);
  let sum = 0;
  for (let j = 0; j < ordered.length; j++) {
    sum += ordered[j]!.value;
    if (j + 1 < ordered.length && j + 1 >= min && sum >= target) return false;
  }
  return sum >= target;
}

/**
 * The best groups (sorted by score descending, then name), or [] when no combination of
 * min..max groups holds `target` clusters. minGroups below 1 counts as 1.
 */
export function selectGroups(groups: readonly GroupInfo[], min: number, max: number, target: number): GroupInfo[] {
  if (groups.length === 0) return [];
  const lo = Math.max(1, min);
  const best = bestPath(groups.slice().sort(byValue), lo, max, target);
  if (!best) return [];
  best.sort(byWeight);
  for (let k = 1; k < best.length; k++) {
    const prefix = best.slice(0, k);
    if (emitted(prefix, lo, max, target)) return prefix;
  }
  return best;
}
