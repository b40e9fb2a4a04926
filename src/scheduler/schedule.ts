/**
 * One scheduling decision: filter → score → select → divide, over a snapshot of the fleet.
 * Pure: reads the binding, the cluster snapshots and (optionally) the reservation ledger, and
 * returns the new spec.clusters with its explanation. Persisting the result and recording it in
 * the ledger (ledger.commit) is the caller's job, after the write succeeds.
 *
 * clusterAffinities (Karmada's scheduleResourceBindingWithClusterAffinities): terms are tried in
 * order starting from the one the binding was last scheduled with (from the first on a requested
 * reschedule); the first that schedules wins and is recorded. There is no automatic fall-back to
 * an earlier term (kar#7717). When every term fails, the first failure is reported and the
 * recorded term stays.
 */
import { divide, strategyOf, type Division, type Strategy } from './divide.js';
import { FitError, ScheduleError, SchedulerError } from './errors.js';
import { availableReplicas, describeRequest, parseRequest, type ParsedRequest } from './estimator.js';
import { failureSummary, orderClusterExplanations, successSummary, type AffinityAttempt, type ClusterExplanation, type Explanation } from './explain.js';
import { FILTER_PLUGINS, runFilters, type FilterContext, type FilterPlugin, type Rejection } from './filters/index.js';
import type { ReservationLedger } from './ledger.js';
import { scoreClusters, type ScoredCluster } from './score.js';
import { selectClusters, type Selection } from './spread.js';
import type { BindingInput, ClusterAffinity, ClusterSnapshot, Decision } from './types.js';
import { nameOrderForUID, type NameOrder } from './webster.js';

export interface ScheduleOptions {
  /** In-flight reservations charged against cluster capacity. */
  readonly ledger?: ReservationLedger;
  /** Weight of the Capacity score (default 0: Karmada's ordering). */
  readonly capacityScoreWeight?: number;
  /** Replace the filter chain (tests, experiments). */
  readonly filters?: readonly FilterPlugin[];
}

interface Prepared {
  readonly binding: BindingInput;
  readonly clusters: readonly ClusterSnapshot[];
  readonly opts: ScheduleOptions;
  readonly current: ReadonlyMap<string, number>;
  readonly evicting: ReadonlySet<string>;
  readonly fresh: boolean;
  readonly strategy: Strategy | 'NonWorkload';
  readonly request: ParsedRequest;
  readonly order: NameOrder;
  /** Per-cluster capacity, computed once per decision and shared by affinity attempts. */
  readonly capacity: Map<string, { free: number; reserved: number }>;
}

interface Attempt {
  readonly assignments?: Map<string, number>;
  readonly error?: ScheduleError;
  readonly explanation: Omit<Explanation, 'summary'>;
}

const time = (t: string | Date | null | undefined): number | undefined => (t == null ? undefined : new Date(t).getTime());

/** util.RescheduleRequired: a reschedule was requested after the last successful schedule. */
export function rescheduleRequired(b: Pick<BindingInput, 'rescheduleTriggeredAt' | 'lastScheduledTime'>): boolean {
  const trig = time(b.rescheduleTriggeredAt);
  const last = time(b.lastScheduledTime);
  return trig !== undefined && last !== undefined && trig > last;
}

function prepare(binding: BindingInput, clusters: readonly ClusterSnapshot[], opts: ScheduleOptions): Prepared {
  return {
    binding,
    clusters,
    opts,
    current: new Map((binding.currentClusters ?? []).map((c) => [c.name, c.replicas ?? 0])),
    evicting: new Set((binding.gracefulEvictionTasks ?? []).map((t) => t.fromCluster)),
    fresh: rescheduleRequired(binding),
    strategy: binding.replicas > 0 ? strategyOf(binding.placement) : 'NonWorkload',
    request: parseRequest(binding.replicaRequirements),
    // Karmada hashes the template's UID; without one, the binding's still spreads odd replicas.
    order: nameOrderForUID(binding.resource.uid || binding.uid),
    capacity: new Map(),
  };
}

function capacityOf(p: Prepared, c: ClusterSnapshot): { free: number; reserved: number } {
  let cap = p.capacity.get(c.name);
  if (!cap) {
    const held = p.opts.ledger?.held(c.name, c.summaryGeneration, c.resourceSummary);
    cap = { free: availableReplicas(c, p.request, held), reserved: held?.pods ?? 0 };
    p.capacity.set(c.name, cap);
  }
  return cap;
}

function attempt(p: Prepared, affinity: ClusterAffinity | undefined, affinityName: string | undefined): Attempt {
  const { binding } = p;
  const ctx: FilterContext = { binding, placement: binding.placement, affinity, scheduled: new Set(p.current.keys()), evicting: p.evicting };
  const rejected = new Map<string, Rejection>();
  const feasible: { cluster: ClusterSnapshot; free: number }[] = [];
  for (const c of p.clusters) {
    const r = runFilters(ctx, c, p.opts.filters ?? FILTER_PLUGINS);
    if (r) rejected.set(c.name, r);
    else feasible.push({ cluster: c, free: capacityOf(p, c).free });
  }
  const scored = scoreClusters(feasible, p.current, { capacityWeight: p.opts.capacityScoreWeight });
  let selection: Selection | undefined;
  let division: Division | undefined;
  let assignments: Map<string, number> | undefined;
  let error: ScheduleError | undefined;
  try {
    if (feasible.length === 0) {
      const reasons = new Map<string, number>();
      for (const r of rejected.values()) reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
      throw new FitError(p.clusters.length, reasons);
    }
    const needReplicas = p.strategy === 'Duplicated' ? -1 : binding.replicas;
    selection = selectClusters(binding.placement, scored, needReplicas);
    if (selection.clusters.length === 0) throw new SchedulerError('no clusters available to schedule');
    if (p.strategy === 'NonWorkload') {
      assignments = new Map(selection.clusters.map((c) => [c.name, 0]));
    } else {
      division = divide({
        strategy: p.strategy,
        replicas: binding.replicas,
        candidates: selection.clusters,
        current: binding.currentClusters ?? [],
        fresh: p.fresh,
        order: p.order,
        placement: binding.placement,
        requestText: describeRequest(binding.replicaRequirements),
      });
      assignments = new Map([...division.assignments].filter(([, n]) => n > 0));
    }
  } catch (e) {
    if (!(e instanceof ScheduleError)) throw e;
    error = e;
  }
  const explanation = explain(p, rejected, scored, selection, division, assignments, affinityName);
  return error ? { error, explanation } : { assignments, explanation };
}

function explain(
  p: Prepared,
  rejected: ReadonlyMap<string, Rejection>,
  scored: readonly ScoredCluster[],
  selection: Selection | undefined,
  division: Division | undefined,
  assignments: ReadonlyMap<string, number> | undefined,
  affinityName: string | undefined,
): Omit<Explanation, 'summary'> {
  const selected = new Set(selection?.clusters.map((c) => c.name));
  const chosen: ClusterExplanation[] = [];
  const left: ClusterExplanation[] = [];
  const filtered: ClusterExplanation[] = [];
  for (const [name, filter] of rejected) filtered.push({ name, outcome: 'filtered', filter, previousReplicas: p.current.get(name) });
  for (const s of scored) {
    const { reserved } = capacityOf(p, s.cluster);
    const isSelected = selected.has(s.name);
    (isSelected ? chosen : left).push({
      name: s.name,
      outcome: isSelected ? 'selected' : 'not-selected',
      scores: s.scores,
      score: s.score,
      availableReplicas: s.free,
      reservedReplicas: reserved || undefined,
      previousReplicas: p.current.get(s.name),
      replicas: isSelected ? (assignments?.get(s.name) ?? 0) : undefined,
    });
  }
  return {
    strategy: p.strategy,
    replicas: p.binding.replicas,
    affinityName,
    clusters: orderClusterExplanations(chosen, left, filtered),
    spread: selection?.trace,
    division: division?.trace,
  };
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function succeed(p: Prepared, a: Attempt, affinityName: string | undefined, attempts?: AffinityAttempt[]): Decision {
  const e = { ...a.explanation, affinityAttempts: attempts };
  return {
    clusters: [...a.assignments!].map(([name, replicas]) => ({ name, replicas })).sort(byName),
    affinityName,
    explanation: { ...e, summary: successSummary(e, p.clusters.length) },
  };
}

function fail(p: Prepared, a: Attempt, affinityName: string | undefined, attempts?: AffinityAttempt[]): Decision {
  const err = a.error!;
  // Karmada clears the result when nothing fits and keeps it on any other failure.
  const clusters = err instanceof FitError ? [] : [...p.current].map(([name, replicas]) => ({ name, replicas })).sort(byName);
  const summary = failureSummary(err.message, attempts);
  return {
    clusters,
    affinityName,
    explanation: { ...a.explanation, affinityAttempts: attempts, summary },
    error: { reason: err.reason, message: summary },
  };
}

/** Decides where `binding` runs over `clusters`. Never throws for an unschedulable binding. */
export function schedule(binding: BindingInput, clusters: readonly ClusterSnapshot[], opts: ScheduleOptions = {}): Decision {
  const d = scheduleOnce(binding, clusters, opts);
  const tasks = binding.gracefulEvictionTasks ?? [];
  if (!d.error || !tasks.length) return d;
  // Beyond Karmada: a cluster the binding is being evicted from is excluded (ClusterEviction),
  // and its task waits for the replacements to be ready. When nothing else fits, that is a
  // deadlock until the eviction timeout (10 minutes by default) even once the cluster has
  // recovered; its copy is still running there. So when no other cluster fits, recovered
  // clusters (Ready, no NoExecute taint) are offered again; the task then goes as soon as the
  // copy there reports ready.
  const recovered = new Set(clusters.filter((c) => c.ready && !(c.taints ?? []).some((t) => t.effect === 'NoExecute')).map((c) => c.name));
  const remaining = tasks.filter((t) => !recovered.has(t.fromCluster));
  if (remaining.length === tasks.length) return d;
  const again = scheduleOnce({ ...binding, gracefulEvictionTasks: remaining }, clusters, opts);
  return again.error ? d : again;
}

function scheduleOnce(binding: BindingInput, clusters: readonly ClusterSnapshot[], opts: ScheduleOptions): Decision {
  const p = prepare(binding, clusters, opts);
  const terms = binding.placement.clusterAffinities;
  if (!terms?.length) {
    const a = attempt(p, binding.placement.clusterAffinity ?? undefined, undefined);
    return a.error ? fail(p, a, undefined) : succeed(p, a, undefined);
  }
  const observed = binding.schedulerObservingAffinityName ?? undefined;
  const start = p.fresh ? 0 : Math.max(0, terms.findIndex((t) => t.affinityName === observed));
  const attempts: AffinityAttempt[] = [];
  let first: Attempt | undefined;
  for (let i = start; i < terms.length; i++) {
    const term = terms[i]!;
    const a = attempt(p, term, term.affinityName);
    attempts.push({ index: i, name: term.affinityName, scheduled: !a.error, message: a.error?.message });
    if (!a.error) return succeed(p, a, term.affinityName, attempts);
    first ??= a;
  }
  return fail(p, first!, observed, attempts);
}
