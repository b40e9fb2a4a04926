/**
 * Dynamic division by available replicas, Weighted or Aggregated (Karmada's
 * assignByDynamicStrategy / division_algorithm.go), with Webster doing the dividing.
 *
 * Only previous replicas on clusters that are still candidates count as placed; replicas on
 * dropped clusters are treated as missing and get placed again.
 *
 * - Fresh (rescheduleTriggeredAt newer than lastScheduledTime): weights are each candidate's
 *   available replicas plus what it holds now; the whole count is divided from scratch.
 * - Steady scale-down: weights are the previous replicas (largest first), capacity is ignored.
 *   Karmada weighs every previous cluster here, even dropped ones, which can put replicas back
 *   on a cluster that no longer qualifies (kar#7109); Flotilla weighs only candidates.
 * - Steady scale-up (the first schedule is a scale-up from 0): only the increase is divided,
 *   weighted by available replicas (largest first), and added onto the previous result, so no
 *   running replica moves.
 * - Unchanged total: the previous result stands.
 *
 * Aggregated first narrows the weights to the shortest prefix whose capacity covers the
 * replicas to place — on scale-up with the clusters already in use moved to the front — so the
 * workload lands on as few clusters as possible.
 */
import { UnschedulableError } from './errors.js';
import { toList, type DivideInput, type Division, type DivisionTrace } from './divide.js';
import { websterDivide } from './webster.js';

interface Weighted {
  readonly name: string;
  readonly weight: number;
}

/** Largest first; stable, so equal weights keep candidate (score) order as Go's small sorts do. */
const byWeightDesc = (list: Weighted[]): Weighted[] => list.slice().sort((a, b) => b.weight - a.weight);

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

function shortMessage(input: DivideInput, target: number, placed: number, room: number, clusters: number): string {
  const of = input.requestText ? ` of ${input.requestText}` : '';
  const need =
    placed > 0
      ? `needs ${target} more ${plural(target, 'replica', 'replicas')}${of} (${input.replicas} wanted, ${placed} already placed)`
      : `needs ${target} ${plural(target, 'replica', 'replicas')}${of}`;
  return `${need}, the ${clusters} feasible ${plural(clusters, 'cluster has', 'clusters have')} room for ${room}`;
}

export function divideDynamic(input: DivideInput): Division {
  const strategy = input.strategy;
  const candidates = new Set(input.candidates.map((c) => c.name));
  const scheduled = input.current.filter((c) => candidates.has(c.name) && (c.replicas ?? 0) > 0);
  const prev = new Map(scheduled.map((c) => [c.name, c.replicas ?? 0]));
  const placed = [...prev.values()].reduce((a, b) => a + b, 0);
  const base = { strategy, tieBreak: input.order } as const;

  if (input.fresh) {
    const avail = byWeightDesc(input.candidates.map((c) => ({ name: c.name, weight: c.free + (prev.get(c.name) ?? 0) })));
    return run(input, { ...base, mode: 'Fresh' }, input.replicas, avail, new Map(), new Set(), 0);
  }
  if (placed > input.replicas) {
    const avail = byWeightDesc(scheduled.map((c) => ({ name: c.name, weight: c.replicas ?? 0 })));
    return run(input, { ...base, mode: 'Steady', phase: 'scale-down' }, input.replicas, avail, new Map(), new Set(), 0);
  }
  if (placed < input.replicas) {
    const avail = byWeightDesc(input.candidates.map((c) => ({ name: c.name, weight: c.free })));
    return run(input, { ...base, mode: 'Steady', phase: placed ? 'scale-up' : 'initial' }, input.replicas - placed, avail, prev, new Set(prev.keys()), placed);
  }
  return {
    assignments: new Map(prev),
    trace: { ...base, mode: 'Steady', phase: 'unchanged', divided: 0, weights: [], kept: toList(prev), seats: [] },
  };
}

type TraceHead = Pick<DivisionTrace, 'strategy' | 'tieBreak' | 'mode' | 'phase'>;

function run(
  input: DivideInput,
  head: TraceHead,
  target: number,
  avail: Weighted[],
  keep: ReadonlyMap<string, number>,
  prior: ReadonlySet<string>,
  placed: number,
): Division {
  const room = avail.reduce((s, a) => s + a.weight, 0);
  if (room < target) throw new UnschedulableError(shortMessage(input, target, placed, room, input.candidates.length));
  let weights = avail;
  if (input.strategy === 'Aggregated') {
    const ordered = prior.size ? [...avail.filter((a) => prior.has(a.name)), ...avail.filter((a) => !prior.has(a.name))] : avail;
    let sum = 0;
    const end = ordered.findIndex((a) => (sum += a.weight) >= target);
    weights = ordered.slice(0, end + 1);
  }
  const seats = websterDivide(target, new Map(weights.map((w) => [w.name, w.weight])), input.order);
  const assignments = new Map(keep);
  for (const [name, n] of seats) assignments.set(name, (assignments.get(name) ?? 0) + n);
  return {
    assignments,
    trace: { ...head, divided: target, weights, kept: toList(keep), seats: toList(seats) },
  };
}
