/**
 * The taints a Cluster should carry because of its health (see ./health.ts for the phases):
 *
 *   phase        not-ready / unreachable NoSchedule     not-ready / unreachable NoExecute
 *   Unknown      left as they are                       left as they are
 *   Failing      the one for the Ready status (at once) left as they are (a policy's stay)
 *   Evicting     the one for the Ready status           the one for the Ready status
 *   Stabilizing  left as they are (no new work yet)     removed at once
 *   Healthy      removed                                removed
 *
 * not-ready goes with Ready=False, unreachable with Ready=Unknown. When the status flips between
 * the two, the taint changes key but keeps its timeAdded, so tolerationSeconds keep counting from
 * the start of the outage. Every other taint (manual ones, ClusterTaintPolicies') is kept as is,
 * in its place. NoExecute goes at once on recovery so no more workloads are evicted from a
 * cluster that is back; NoSchedule stays through the stabilisation window so a flapping cluster
 * takes no new work.
 */
import type { Cluster, Taint } from '../api/index.js';
import { rfc3339 } from './binding.js';
import { healthPhase, type HealthOptions, type ReadyLike } from './health.js';
import { CLUSTER_TAINTS } from './wellknown.js';

export const MANAGED_TAINT_KEYS: readonly string[] = [CLUSTER_TAINTS.NotReady, CLUSTER_TAINTS.Unreachable];

export interface TaintPlan {
  /** The full spec.taints to write. */
  taints: Taint[];
  changed: boolean;
  added: Taint[];
  removed: Taint[];
  /** When the plan changes by itself (NoExecute due, stabilisation over): re-evaluate then. */
  recheckAfterMs?: number;
}

type TaintOptions = Pick<HealthOptions, 'failoverEvictionTimeoutMs' | 'clusterStabilizationMs'>;

const isManaged = (t: Taint) => MANAGED_TAINT_KEYS.includes(t.key);
const readyOf = (c: Pick<Cluster, 'status'>): ReadyLike | undefined => c.status?.conditions?.find((x) => x.type === 'Ready');

/**
 * The taints for `cluster` at `now`. `health` is the Ready condition to judge by; by default
 * the Cluster's own (pass the one just decided when status and taints are written together).
 */
export function desiredTaints(cluster: Pick<Cluster, 'spec' | 'status'>, health: ReadyLike | undefined, now: number, o: TaintOptions): TaintPlan {
  const current = cluster.spec.taints ?? [];
  const ready = health ?? readyOf(cluster);
  const info = healthPhase(ready, now, o);
  let out: Taint[] = current.map((t) => ({ ...t }));
  let recheckAt: number | undefined;
  const find = (key: string, effect: string) => out.find((t) => t.key === key && t.effect === effect);
  const drop = (pred: (t: Taint) => boolean) => {
    out = out.filter((t) => !pred(t));
  };

  switch (info.phase) {
    case 'Unknown':
      break;
    case 'Healthy':
      drop(isManaged);
      break;
    case 'Stabilizing':
      drop((t) => isManaged(t) && t.effect === 'NoExecute');
      if (out.some((t) => isManaged(t) && t.effect === 'NoSchedule')) recheckAt = info.until;
      break;
    case 'Failing':
    case 'Evicting': {
      const key = ready!.status === 'False' ? CLUSTER_TAINTS.NotReady : CLUSTER_TAINTS.Unreachable;
      const other = key === CLUSTER_TAINTS.NotReady ? CLUSTER_TAINTS.Unreachable : CLUSTER_TAINTS.NotReady;
      drop((t) => t.key === other && t.effect === 'NoSchedule');
      if (!find(key, 'NoSchedule')) out.push({ key, effect: 'NoSchedule', timeAdded: rfc3339(now) });
      // A NoExecute under the other key (the status flipped) changes key, keeping its time.
      const flipped = find(other, 'NoExecute');
      const mine = find(key, 'NoExecute');
      if (flipped) {
        drop((t) => t === flipped);
        if (!mine) out.push({ key, effect: 'NoExecute', timeAdded: flipped.timeAdded ?? rfc3339(now) });
      } else if (!mine && info.phase === 'Evicting') {
        out.push({ key, effect: 'NoExecute', timeAdded: rfc3339(now) });
      }
      if (info.phase === 'Failing' && info.until !== undefined && !find(key, 'NoExecute')) recheckAt = info.until;
      break;
    }
  }
  const same = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;
  const added = out.filter((t) => !current.some((c) => same(c, t)));
  const removed = current.filter((c) => !out.some((t) => same(c, t)));
  const changed = added.length > 0 || removed.length > 0;
  return {
    taints: changed ? out : current.map((t) => ({ ...t })),
    changed,
    added,
    removed,
    ...(recheckAt !== undefined ? { recheckAfterMs: Math.max(1, recheckAt - now) } : {}),
  };
}

/** The cluster's NoExecute taints that failover manages (for messages and metrics). */
export const managedNoExecute = (taints: readonly Taint[] | undefined): Taint[] => (taints ?? []).filter((t) => isManaged(t) && t.effect === 'NoExecute');

/**
 * The same rules in the shape of controllers/cluster/taints.ts TaintRule (structurally), for
 * its reconcileTaints table: wanted() says present (true), absent (false) or leave (undefined).
 * What the table cannot do, desiredTaints does: keep timeAdded when the key flips, and say when
 * to look again (pair the table with recheckAfterMs(), or the NoExecute taint waits for the next
 * Cluster event).
 */
export interface FailoverTaintRule {
  key: string;
  effect: 'NoSchedule' | 'NoExecute';
  wanted(ctx: { ready?: ReadyLike; now: number }): boolean | undefined;
}

export function failoverTaintRules(o: TaintOptions): FailoverTaintRule[] {
  const rule = (key: string, status: string, effect: 'NoSchedule' | 'NoExecute'): FailoverTaintRule => ({
    key,
    effect,
    wanted: ({ ready, now }) => {
      const { phase } = healthPhase(ready, now, o);
      if (phase === 'Unknown') return undefined;
      if (phase === 'Healthy') return false;
      if (phase === 'Stabilizing') return effect === 'NoSchedule' ? undefined : false;
      if (ready!.status !== status) return false;
      return effect === 'NoSchedule' || phase === 'Evicting' ? true : undefined;
    },
  });
  return [
    rule(CLUSTER_TAINTS.NotReady, 'False', 'NoSchedule'),
    rule(CLUSTER_TAINTS.Unreachable, 'Unknown', 'NoSchedule'),
    rule(CLUSTER_TAINTS.NotReady, 'False', 'NoExecute'),
    rule(CLUSTER_TAINTS.Unreachable, 'Unknown', 'NoExecute'),
  ];
}

/** When the taints of a cluster with this Ready condition change by themselves (ms from now). */
export function recheckAfterMs(ready: ReadyLike | undefined, now: number, o: TaintOptions): number | undefined {
  const { until } = healthPhase(ready, now, o);
  return until === undefined ? undefined : Math.max(1, until - now);
}

