/**
 * Replica division (Karmada's core/assignment.go): which strategy a placement asks for, and the
 * Duplicated and StaticWeight strategies. The dynamic strategies (DynamicWeight by available
 * replicas, Aggregated) are in dynamic.ts.
 *
 * StaticWeight: a cluster's weight is the largest weight of the staticWeightList rules it
 * matches; clusters of weight 0 get nothing; when no candidate has a weight (or there is no
 * weightPreference) every candidate weighs 1. The whole count is divided from scratch by
 * Webster every time — stable anyway, because Webster never takes a replica away from a cluster
 * when the total grows. Static weights ignore capacity, as in Karmada.
 */
import { clusterMatches } from './affinity.js';
import { divideDynamic } from './dynamic.js';
import type { ScoredCluster } from './score.js';
import type { Placement, TargetCluster } from './types.js';
import { websterDivide, type NameOrder } from './webster.js';

export type Strategy = 'Duplicated' | 'StaticWeight' | 'DynamicWeight' | 'Aggregated';

export interface DivisionTrace {
  readonly strategy: Strategy;
  /** Dynamic strategies: Steady keeps the previous result, Fresh (a requested reschedule) does not. */
  readonly mode?: 'Steady' | 'Fresh';
  readonly phase?: 'initial' | 'scale-up' | 'scale-down' | 'unchanged';
  /** Replicas divided in this round (only the increase when scaling up). */
  readonly divided: number;
  /** Webster votes per cluster, in the order they were considered. */
  readonly weights: readonly { name: string; weight: number }[];
  /** Previous replicas kept and merged under the new seats. */
  readonly kept: readonly { name: string; replicas: number }[];
  /** Seats Webster handed out this round. */
  readonly seats: readonly { name: string; replicas: number }[];
  readonly tieBreak: NameOrder;
  readonly note?: string;
}

export interface DivideInput {
  readonly strategy: Strategy;
  readonly replicas: number;
  /** Selected clusters, best first. */
  readonly candidates: readonly ScoredCluster[];
  /** The binding's previous result (spec.clusters). */
  readonly current: readonly TargetCluster[];
  readonly fresh: boolean;
  readonly order: NameOrder;
  readonly placement: Placement;
  /** "2 CPU, 1Gi memory": the per-replica request, for messages. */
  readonly requestText: string;
}

export interface Division {
  /** Cluster → replicas, zero entries included (the caller drops them). */
  readonly assignments: Map<string, number>;
  readonly trace: DivisionTrace;
}

/** Karmada's strategy for a placement: nil replicaScheduling is Duplicated; defaults Divided/Weighted. */
export function strategyOf(p: Placement): Strategy {
  const s = p.replicaScheduling;
  if (!s || s.replicaSchedulingType === 'Duplicated') return 'Duplicated';
  if (s.replicaDivisionPreference === 'Aggregated') return 'Aggregated';
  return s.weightPreference?.dynamicWeight ? 'DynamicWeight' : 'StaticWeight';
}

export function toList(m: ReadonlyMap<string, number>): { name: string; replicas: number }[] {
  return [...m].map(([name, replicas]) => ({ name, replicas }));
}

export function divide(input: DivideInput): Division {
  switch (input.strategy) {
    case 'Duplicated':
      return duplicated(input);
    case 'StaticWeight':
      return staticWeight(input);
    default:
      return divideDynamic(input);
  }
}

function duplicated(input: DivideInput): Division {
  const assignments = new Map(input.candidates.map((c) => [c.name, input.replicas]));
  return {
    assignments,
    trace: { strategy: 'Duplicated', divided: 0, weights: [], kept: [], seats: toList(assignments), tieBreak: input.order },
  };
}

/** name → weight for the static strategy (weight-0 clusters left out). */
export function staticWeights(candidates: readonly ScoredCluster[], placement: Placement): Map<string, number> {
  const rules = placement.replicaScheduling?.weightPreference?.staticWeightList ?? [];
  const weights = new Map<string, number>();
  for (const c of candidates) {
    let w = 0;
    for (const r of rules) if (r.weight > w && clusterMatches(c.cluster, r.targetCluster)) w = r.weight;
    if (w > 0) weights.set(c.name, w);
  }
  if (weights.size === 0) for (const c of candidates) weights.set(c.name, 1);
  return weights;
}

function staticWeight(input: DivideInput): Division {
  const weights = staticWeights(input.candidates, input.placement);
  const assignments = websterDivide(input.replicas, weights, input.order);
  const short = input.candidates.filter((c) => (assignments.get(c.name) ?? 0) > c.free).map((c) => c.name);
  return {
    assignments,
    trace: {
      strategy: 'StaticWeight',
      divided: input.replicas,
      weights: toList(weights).map(({ name, replicas }) => ({ name, weight: replicas })),
      kept: [],
      seats: toList(assignments),
      tieBreak: input.order,
      note: short.length ? `static weights ignore capacity: ${short.join(', ')} get more replicas than they have room for` : undefined,
    },
  };
}
