/**
 * Which pods go first when a controller has too many (controller.ActivePods and
 * ActivePodsWithRanks): pods earlier in their life are cheaper to lose, so the order is
 * unscheduled < scheduled, Pending < Unknown < Running, not ready < ready, lower
 * pod-deletion-cost, more of the owner's pods on the same node, ready for less time, more
 * restarts, newer. ReplicaSets compare ages on a log2 scale (LogarithmicScaleDown, on by
 * default) so that pods created moments apart count as the same age.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isPodActive, isPodReady, parseTime, podReadyTime } from './util.js';

export const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const phaseOrdinal = (p: Pod): number => PHASE_ORDINAL[p.status?.phase ?? ''] ?? 0;

/** The pod-deletion-cost annotation as an int32; anything else counts as 0. */
export function deletionCost(pod: Pod): number {
  const v = pod.metadata?.annotations?.[POD_DELETION_COST];
  if (v === undefined || !/^[-+]?\d+$/.test(v)) return 0;
  const n = Number(v);
  return n >= -(2 ** 31) && n < 2 ** 31 ? n : 0;
}

/** Highest restart count among regular containers, and among restartable (sidecar) init containers. */
function maxRestarts(pod: Pod): { regular: number; sidecar: number } {
  let regular = 0;
  let sidecar = 0;
  for (const s of pod.status?.containerStatuses ?? []) regular = Math.max(regular, s.restartCount ?? 0);
  const sidecars = new Set((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  for (const s of pod.status?.initContainerStatuses ?? []) if (sidecars.has(s.name)) sidecar = Math.max(sidecar, s.restartCount ?? 0);
  return { regular, sidecar };
}

/** afterOrZero as a comparison: a missing time sorts first, then later before earlier. */
function newerFirst(t1: number | undefined, t2: number | undefined): number {
  if (t1 === t2) return 0;
  if (t1 === undefined) return -1;
  if (t2 === undefined) return 1;
  return t1 > t2 ? -1 : 1;
}

/** floor(log2(age in ns)) of t1 minus that of t2; ages <= 0 count as -1. */
export function logarithmicRankDiff(t1: number, t2: number, nowMs: number): number {
  const rank = (t: number): number => {
    const ns = (nowMs - t) * 1e6;
    return ns > 0 ? Math.floor(Math.log2(ns)) : -1;
  };
  return rank(t1) - rank(t2);
}

interface Ranked {
  pod: Pod;
  /** Active pods of the same owner (or its siblings) on this pod's node. */
  rank: number;
}

function byAge(a: Pod, b: Pod, t1: number | undefined, t2: number | undefined, nowMs: number | undefined): number {
  if (t1 === t2) return 0;
  if (nowMs === undefined || t1 === undefined || t2 === undefined) return newerFirst(t1, t2);
  const diff = logarithmicRankDiff(t1, t2, nowMs);
  if (diff !== 0) return diff;
  const u1 = a.metadata?.uid ?? '';
  const u2 = b.metadata?.uid ?? '';
  return u1 < u2 ? -1 : u1 > u2 ? 1 : 0;
}

/**
 * Negative when a should be deleted before b. Without ranks (rank undefined) and without now
 * this is controller.ActivePods; with them, ActivePodsWithRanks.
 */
export function compareForDeletion(a: Ranked | Pod, b: Ranked | Pod, nowMs?: number): number {
  const ra = 'pod' in a ? a : { pod: a, rank: undefined };
  const rb = 'pod' in b ? b : { pod: b, rank: undefined };
  const pa = ra.pod;
  const pb = rb.pod;
  const na = pa.spec?.nodeName ?? '';
  const nb = pb.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
  if (phaseOrdinal(pa) !== phaseOrdinal(pb)) return phaseOrdinal(pa) - phaseOrdinal(pb);
  const readyA = isPodReady(pa);
  const readyB = isPodReady(pb);
  if (readyA !== readyB) return readyA ? 1 : -1;
  const ranked = ra.rank !== undefined && rb.rank !== undefined;
  if (ranked) {
    const ca = deletionCost(pa);
    const cb = deletionCost(pb);
    if (ca !== cb) return ca - cb;
    if (ra.rank !== rb.rank) return rb.rank! - ra.rank!;
  }
  if (readyA && readyB) {
    const c = ranked ? byAge(pa, pb, podReadyTime(pa), podReadyTime(pb), nowMs) : newerFirst(podReadyTime(pa), podReadyTime(pb));
    if (c !== 0) return c;
  }
  const xa = maxRestarts(pa);
  const xb = maxRestarts(pb);
  if (xa.regular !== xb.regular) return xb.regular - xa.regular;
  if (xa.sidecar !== xb.sidecar) return xb.sidecar - xa.sidecar;
  const ta = parseTime(pa.metadata?.creationTimestamp);
  const tb = parseTime(pb.metadata?.creationTimestamp);
  return ranked ? byAge(pa, pb, ta, tb, nowMs) : newerFirst(ta, tb);
}

/**
 * The diff pods of filteredPods a ReplicaSet should delete (getPodsToDelete): ranked by how many
 * active related pods (those of the RS and its sibling RSs) share each pod's node.
 */
export function podsToDelete(filteredPods: readonly Pod[], relatedPods: readonly Pod[], diff: number, nowMs: number): Pod[] {
  if (diff >= filteredPods.length) return [...filteredPods];
  const onNode = new Map<string, number>();
  for (const p of relatedPods) {
    if (!isPodActive(p)) continue;
    const n = p.spec?.nodeName ?? '';
    onNode.set(n, (onNode.get(n) ?? 0) + 1);
  }
  const ranked = filteredPods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
  ranked.sort((a, b) => compareForDeletion(a, b, nowMs));
  return ranked.slice(0, diff).map((r) => r.pod);
}

/** The n first pods in controller.ActivePods order (Jobs, DaemonSets). */
export function firstForDeletion(pods: readonly Pod[], n: number): Pod[] {
  return [...pods].sort((a, b) => compareForDeletion(a, b)).slice(0, Math.max(0, n));
}
