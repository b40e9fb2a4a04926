/**
 * Failover metrics, registered once per registry and shared by the failover controllers:
 *
 *   flotilla_evictions_total{reason}                   bindings evicted from a cluster
 *                                                      (TaintUntolerated, ApplicationFailure)
 *   flotilla_cluster_ready_transitions_total{cluster,status}
 *                                                      Ready condition changes seen on Clusters
 *   flotilla_failover_seconds                          a cluster failure (Ready leaving True) to
 *                                                      the evicted workload's replacements being
 *                                                      ready elsewhere; add the grace period for
 *                                                      the time from the last good probe
 *   flotilla_graceful_eviction_seconds{reason,cause}   an eviction task's life: created to removed
 *                                                      (cause healthy | timeout | released)
 *   flotilla_failbacks_total{result}                   failback moves started / completed
 */
import { Counter, Histogram, type Registry } from 'prom-client';

const SECONDS = [1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600, 1200];

export interface FailoverMetrics {
  evictions: Counter<'reason'>;
  readyTransitions: Counter<'cluster' | 'status'>;
  failoverSeconds: Histogram<string>;
  taskSeconds: Histogram<'reason' | 'cause'>;
  failbacks: Counter<'result'>;
}

function shared<M>(registry: Registry, name: string, make: (registers: Registry[]) => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? make([registry]);
}

export function failoverMetrics(registry: Registry): FailoverMetrics {
  return {
    evictions: shared(registry, 'flotilla_evictions_total', (registers) =>
      new Counter({ name: 'flotilla_evictions_total', help: 'Bindings evicted from a cluster, by eviction reason.', labelNames: ['reason'] as const, registers }),
    ),
    readyTransitions: shared(registry, 'flotilla_cluster_ready_transitions_total', (registers) =>
      new Counter({ name: 'flotilla_cluster_ready_transitions_total', help: 'Changes of Cluster Ready condition, by cluster and new status.', labelNames: ['cluster', 'status'] as const, registers }),
    ),
    failoverSeconds: shared(registry, 'flotilla_failover_seconds', (registers) =>
      new Histogram({ name: 'flotilla_failover_seconds', help: 'From a cluster failure (Ready leaving True) to the evicted workload being ready elsewhere.', buckets: SECONDS, registers }),
    ),
    taskSeconds: shared(registry, 'flotilla_graceful_eviction_seconds', (registers) =>
      new Histogram({
        name: 'flotilla_graceful_eviction_seconds',
        help: 'Life of a graceful eviction task, by reason and by why it ended.',
        labelNames: ['reason', 'cause'] as const,
        buckets: SECONDS,
        registers,
      }),
    ),
    failbacks: shared(registry, 'flotilla_failbacks_total', (registers) =>
      new Counter({ name: 'flotilla_failbacks_total', help: 'Failback moves, by result (started, completed, abandoned).', labelNames: ['result'] as const, registers }),
    ),
  };
}
