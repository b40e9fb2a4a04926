/**
 * The replica arithmetic of the deployment controller, pure: maxSurge / maxUnavailable
 * (surge rounds up, unavailable rounds down, never both zero), how far the new ReplicaSet may
 * grow, how far old ones may shrink during a rolling update, and proportional scaling of every
 * active ReplicaSet when the deployment is resized mid-rollout (rolling.go, sync.go).
 */
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import {
  activeReplicaSets,
  availableReplicaCount,
  byCreation,
  byRevision,
  DESIRED_REPLICAS,
  intAnnotation,
  MAX_REPLICAS,
  replicaCount,
  specReplicas,
} from './deployment-util.js';
import { scaledValue } from './util.js';

export const isRollingUpdate = (d: Deployment): boolean => (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

/**
 * ResolveFenceposts: surge rounds up and unavailable rounds down; when both come out 0
 * (validation forbids it, rounding can cause it) unavailable becomes 1 so the rollout can move.
 */
export function resolveFenceposts(maxSurge: number | string | undefined, maxUnavailable: number | string | undefined, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/** Validation's rule: maxSurge and maxUnavailable may not both be 0 (as written, before rounding). */
export function rollingUpdateError(d: Deployment): string | undefined {
  const ru = d.spec?.strategy?.rollingUpdate;
  if (!isRollingUpdate(d) || !ru) return undefined;
  const zero = (v: number | string | undefined) => v === 0 || v === '0%' || v === '0';
  if (zero(ru.maxSurge) && zero(ru.maxUnavailable)) return 'may not be 0 when `maxSurge` is 0';
  return undefined;
}

export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, specReplicas(d)).surge;
}

export function maxUnavailable(d: Deployment): number {
  const replicas = specReplicas(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  return Math.min(resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicas).unavailable, replicas);
}

/** NewRSNewReplicas: how big the new ReplicaSet may be now without breaking maxSurge. */
export function newRSNewReplicas(d: Deployment, allRSs: ReadonlyArray<ReplicaSet | undefined>, newRS: ReplicaSet): number {
  if (!isRollingUpdate(d)) return specReplicas(d);
  const current = replicaCount(allRSs);
  const maxTotal = specReplicas(d) + maxSurge(d);
  if (current >= maxTotal) return specReplicas(newRS);
  const up = Math.min(maxTotal - current, specReplicas(d) - specReplicas(newRS));
  return specReplicas(newRS) + up;
}

/** reconcileNewReplicaSet: the size the new ReplicaSet should be scaled to, or undefined to leave it. */
export function newReplicaSetTarget(d: Deployment, allRSs: ReadonlyArray<ReplicaSet | undefined>, newRS: ReplicaSet): number | undefined {
  const want = specReplicas(d);
  if (specReplicas(newRS) === want) return undefined;
  const target = specReplicas(newRS) > want ? want : newRSNewReplicas(d, allRSs, newRS);
  return target === specReplicas(newRS) ? undefined : target;
}

export interface ScaleStep {
  rs: ReplicaSet;
  replicas: number;
}

/**
 * reconcileOldReplicaSets: the scale-downs of old ReplicaSets that keep at least
 * replicas - maxUnavailable pods available: first unhealthy (unavailable) old pods, oldest
 * ReplicaSets first, then available ones while more than the minimum are available.
 */
export function oldReplicaSetsScaleDown(d: Deployment, allRSs: ReadonlyArray<ReplicaSet | undefined>, oldRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): ScaleStep[] {
  const olds = activeReplicaSets(oldRSs).sort(byCreation);
  if (replicaCount(olds) === 0) return [];
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const newUnavailable = newRS ? specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0) : 0;
  const maxScaledDown = replicaCount(allRSs) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return [];

  const sizes = new Map(olds.map((rs) => [rs, specReplicas(rs)]));
  // cleanupUnhealthyReplicas
  let cleaned = 0;
  for (const rs of olds) {
    if (cleaned >= maxScaledDown) break;
    const size = sizes.get(rs)!;
    const available = rs.status?.availableReplicas ?? 0;
    if (size === 0 || size === available) continue;
    const down = Math.min(maxScaledDown - cleaned, size - available);
    sizes.set(rs, size - down);
    cleaned += down;
  }
  // scaleDownOldReplicaSetsForRollingUpdate: availability is what the ReplicaSets report.
  const availableNow = availableReplicaCount([...olds, newRS]);
  if (availableNow > minAvailable) {
    const total = availableNow - minAvailable;
    let done = 0;
    for (const rs of olds) {
      if (done >= total) break;
      const size = sizes.get(rs)!;
      if (size === 0) continue;
      const down = Math.min(size, total - done);
      sizes.set(rs, size - down);
      done += down;
    }
  }
  return olds.filter((rs) => sizes.get(rs) !== specReplicas(rs)).map((rs) => ({ rs, replicas: sizes.get(rs)! }));
}

/** The one ReplicaSet that should have pods, or the newest when none should (FindActiveOrLatest). */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const sorted = [...oldRSs].sort(byCreation).reverse();
  const all = newRS ? [newRS, ...sorted] : sorted;
  const active = activeReplicaSets(all);
  if (active.length === 0) return newRS ?? sorted[0];
  return active.length === 1 ? active[0] : undefined;
}

/** The new ReplicaSet has all its replicas and they are available (IsSaturated). */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = intAnnotation(rs, DESIRED_REPLICAS);
  if (desired === undefined) return false;
  return specReplicas(rs) === specReplicas(d) && desired === specReplicas(d) && (rs.status?.availableReplicas ?? 0) === specReplicas(d);
}

/** getReplicaSetFraction: this ReplicaSet's share of a resize, from the max-replicas it was last sized for. */
function fraction(rs: ReplicaSet, d: Deployment): number {
  if (specReplicas(d) === 0) return -specReplicas(rs);
  const maxNow = specReplicas(d) + maxSurge(d);
  let before = intAnnotation(rs, MAX_REPLICAS);
  if (!before) before = d.status?.replicas ?? 0;
  if (!before) return 0;
  // Go's math.Round rounds half away from zero.
  const x = (specReplicas(rs) * maxNow) / before;
  return Math.sign(x) * Math.round(Math.abs(x)) - specReplicas(rs);
}

/** GetProportion: the fraction, bounded by what is left to add (or remove). */
function proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const f = fraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(f, allowed) : Math.max(f, allowed);
}

/**
 * scale(): the sizes every ReplicaSet should get when the deployment's replicas changed. One
 * active ReplicaSet takes the whole count; a saturated new ReplicaSet zeroes the old ones;
 * otherwise (rolling updates only) the difference is spread in proportion to each active
 * ReplicaSet's size, bigger first, leftovers to the biggest.
 */
export function scaleSteps(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ScaleStep[] {
  const want = specReplicas(d);
  const single = findActiveOrLatest(newRS, oldRSs);
  if (single) return specReplicas(single) === want ? [] : [{ rs: single, replicas: want }];
  if (isSaturated(d, newRS)) return activeReplicaSets(oldRSs).map((rs) => ({ rs, replicas: 0 }));
  if (!isRollingUpdate(d)) return [];

  const all = activeReplicaSets([...oldRSs, newRS]);
  const allowed = want > 0 ? want + maxSurge(d) : 0;
  const toAdd = allowed - replicaCount(all);
  const newerFirst = (a: ReplicaSet, b: ReplicaSet) => specReplicas(b) - specReplicas(a) || byCreation(b, a);
  const olderFirst = (a: ReplicaSet, b: ReplicaSet) => specReplicas(b) - specReplicas(a) || byCreation(a, b);
  if (toAdd > 0) all.sort(newerFirst);
  else if (toAdd < 0) all.sort(olderFirst);
  let added = 0;
  const sizes = all.map((rs) => {
    if (toAdd === 0) return specReplicas(rs);
    const p = proportion(rs, d, toAdd, added);
    added += p;
    return specReplicas(rs) + p;
  });
  if (toAdd !== 0 && sizes.length) sizes[0] = Math.max(0, sizes[0]! + toAdd - added);
  // Every active ReplicaSet is written (scaleReplicaSet also refreshes its replicas annotations).
  return all.map((rs, i) => ({ rs, replicas: sizes[i]! }));
}

/** Old ReplicaSets beyond revisionHistoryLimit that are empty and settled, oldest revision first (cleanupDeployment). */
export function replicaSetsToCleanUp(d: Deployment, oldRSs: readonly ReplicaSet[]): ReplicaSet[] {
  const limit = d.spec?.revisionHistoryLimit;
  if (limit === undefined || limit === null) return [];
  const alive = oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp);
  const diff = alive.length - limit;
  if (diff <= 0) return [];
  return [...alive]
    .sort(byRevision)
    .slice(0, diff)
    .filter((rs) => (rs.status?.replicas ?? 0) === 0 && specReplicas(rs) === 0 && (rs.metadata?.generation ?? 0) <= (rs.status?.observedGeneration ?? 0));
}
