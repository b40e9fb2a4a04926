/**
 * Why a decision came out the way it did: per cluster, the filter that rejected it or its scores
 * and capacity; the spread selection; how the replicas were divided; and one line for the
 * binding's Scheduled condition. Karmada only emits events; this is stored with the binding so
 * `flotilla explain` and the dashboard can answer "why not cluster X?".
 */
import type { DivisionTrace, Strategy } from './divide.js';
import type { Rejection } from './filters/index.js';
import type { SpreadTrace } from './spread.js';

export interface ClusterExplanation {
  readonly name: string;
  /** filtered: a filter rejected it; not-selected: spread selection left it out; selected: replicas were divided over it. */
  readonly outcome: 'filtered' | 'not-selected' | 'selected';
  readonly filter?: Rejection;
  /** Plugin → score (0–100) and the total that ordered the clusters. */
  readonly scores?: Readonly<Record<string, number>>;
  readonly score?: number;
  /** Replicas the cluster could still take, after in-flight reservations. */
  readonly availableReplicas?: number;
  /** Replicas of other in-flight decisions charged against it (reservation ledger). */
  readonly reservedReplicas?: number;
  readonly previousReplicas?: number;
  /** Replicas assigned by this decision (selected clusters only). */
  readonly replicas?: number;
}

export interface AffinityAttempt {
  readonly index: number;
  readonly name: string;
  readonly scheduled: boolean;
  readonly message?: string;
}

export interface Explanation {
  /** One line for the Scheduled condition's message. */
  readonly summary: string;
  readonly strategy: Strategy | 'NonWorkload';
  readonly replicas: number;
  /** The clusterAffinities term this explanation is about. */
  readonly affinityName?: string;
  readonly affinityAttempts?: readonly AffinityAttempt[];
  /** Selected first (by replicas descending), then not selected (by score), then filtered. */
  readonly clusters: readonly ClusterExplanation[];
  readonly spread?: SpreadTrace;
  readonly division?: DivisionTrace;
}

/**
 * Orders entries for reading: selected clusters by replicas (descending), then the ones spread
 * selection left out in score order, then the filtered ones in snapshot order. Only the selected
 * few are sorted; the rest arrive in order, which keeps this cheap on large fleets.
 */
export function orderClusterExplanations(selected: ClusterExplanation[], notSelected: ClusterExplanation[], filtered: ClusterExplanation[]): ClusterExplanation[] {
  selected.sort((a, b) => (b.replicas ?? 0) - (a.replicas ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return selected.concat(notSelected, filtered);
}

const STRATEGY_TEXT: Record<Strategy | 'NonWorkload', string> = {
  Duplicated: 'duplicated',
  StaticWeight: 'static weights',
  DynamicWeight: 'dynamic weights by available replicas',
  Aggregated: 'aggregated',
  NonWorkload: 'non-workload',
};

const replicasText = (n: number) => `${n} ${n === 1 ? 'replica' : 'replicas'}`;

function listOf(items: readonly string[], max: number): string {
  return items.length > max ? `${items.slice(0, max).join(', ')} and ${items.length - max} more` : items.join(', ');
}

/** The one-line summary of a successful decision. */
export function successSummary(e: Omit<Explanation, 'summary'>, total: number): string {
  const chosen = e.clusters.filter((c) => c.outcome === 'selected' && (e.strategy === 'NonWorkload' || (c.replicas ?? 0) > 0));
  const filtered = e.clusters.filter((c) => c.outcome === 'filtered');
  const how = STRATEGY_TEXT[e.strategy];
  let line: string;
  if (e.strategy === 'NonWorkload') line = `Propagated to ${chosen.length}/${total} clusters: ${listOf(chosen.map((c) => c.name), 6)}`;
  else if (e.strategy === 'Duplicated') {
    line = `Scheduled ${replicasText(e.replicas)} to each of ${chosen.length}/${total} clusters: ${listOf(chosen.map((c) => c.name), 6)}`;
  } else {
    const parts = chosen.map((c) => `${c.name}=${c.replicas}`);
    const mode = e.division?.mode === 'Fresh' ? ', fresh' : '';
    line = `Scheduled ${replicasText(e.replicas)} to ${chosen.length}/${total} clusters by ${how}${mode}: ${listOf(parts, 6)}`;
  }
  if (e.affinityName !== undefined) line += ` (affinity ${JSON.stringify(e.affinityName)})`;
  const spreadOut = e.clusters.filter((c) => c.outcome === 'not-selected').length;
  if (spreadOut) line += `; ${spreadOut} left out by spread constraints`;
  if (filtered.length) {
    // Clusters the placement never asked for say little; a taint or readiness says more, so those come first.
    const telling = [...filtered.filter((c) => c.filter?.plugin !== 'ClusterAffinity'), ...filtered.filter((c) => c.filter?.plugin === 'ClusterAffinity')];
    line += `; filtered: ${listOf(telling.map((c) => `${c.name} (${c.filter!.plugin})`), 3)}`;
  }
  return line;
}

/** Failure summaries: the error, plus which affinity terms were tried. */
export function failureSummary(message: string, attempts: readonly AffinityAttempt[] | undefined): string {
  if (!attempts?.length) return message;
  return `${message} (tried affinity ${attempts.map((a) => JSON.stringify(a.name)).join(', ')})`;
}
