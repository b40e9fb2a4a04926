/**
 * How a divided Job's spec.completions is split across clusters (Karmada binding controller:
 * divideReplicasByJobCompletions → helper.SpreadReplicasByTargetClusters). Completions follow the
 * parallelism each cluster was given, weighted by it, with the Webster (Sainte-Laguë) method and
 * the template-UID tie-break Karmada uses since v1.16, so every controller instance computes the
 * same split.
 */
import { getIn, num, str } from './object.js';
import type { JsonObject } from './types.js';

export interface ClusterShare {
  name: string;
  replicas: number;
}

/** FNV-1a 32-bit over the UTF-8 bytes of s. */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(s)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Webster apportionment of `seats` by `votes` (each party's weight). Ties on priority go to the
 * party with fewer seats, then by name: smaller first, or larger first when the FNV-1a hash of
 * `uid` is odd (so different workloads don't all favour the same cluster).
 */
export function websterDivide(seats: number, parties: readonly ClusterShare[], uid = ''): ClusterShare[] {
  const largerNameWins = uid !== '' && fnv1a32(uid) % 2 === 1;
  const state = parties.map((p) => ({ name: p.name, votes: Math.max(0, p.replicas), seats: 0 }));
  if (!state.length) return [];
  // a is preferred over b: compare votes/(2*seats+1) exactly by cross-multiplying.
  const better = (a: (typeof state)[number], b: (typeof state)[number]): boolean => {
    const l = a.votes * (2 * b.seats + 1);
    const r = b.votes * (2 * a.seats + 1);
    if (l !== r) return l > r;
    if (a.seats !== b.seats) return a.seats < b.seats;
    return largerNameWins ? a.name > b.name : a.name < b.name;
  };
  for (let i = 0; i < seats; i++) {
    let best = state[0]!;
    for (const p of state) if (better(p, best)) best = p;
    best.seats++;
  }
  return state.map((p) => ({ name: p.name, replicas: p.seats })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Each cluster's share of the Job's spec.completions, weighted by the parallelism it was given;
 * undefined when the Job has no completions (a work-queue Job), in which case it is left alone.
 */
export function divideJobCompletions(job: JsonObject, clusters: readonly ClusterShare[]): ClusterShare[] | undefined {
  const completions = num(getIn(job, 'spec', 'completions'));
  if (completions === undefined) return undefined;
  return websterDivide(completions, clusters, str(getIn(job, 'metadata', 'uid')) ?? '');
}
