/**
 * Prometheus metrics shared by every controller on a registry, labelled by controller name
 * (the controller-runtime / workqueue set, under the flotilla_ prefix).
 */

import { Counter, Gauge, Histogram, register, type Registry } from 'prom-client';
import type { QueueMetrics } from './queue.js';

export const RECONCILE_RESULTS = ['success', 'error', 'requeue_after', 'terminal'] as const;
export type ReconcileOutcome = (typeof RECONCILE_RESULTS)[number];

/** One controller's view of the shared metrics. */
export interface ControllerMetrics {
  /** Counts one finished reconcile and observes how long it took. */
  reconciled(result: ReconcileOutcome, seconds: number): void;
  /** Hooks for the controller's work queue. */
  queue: QueueMetrics;
}

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** The metric called name on registry, created by make on first use (many controllers share one). */
function shared<M>(registry: Registry, name: string, make: (registers: Registry[]) => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? make([registry]);
}

/**
 * Registers (once per registry) and returns the metrics for the controller called name:
 * `flotilla_reconcile_total{controller,result}`, `flotilla_reconcile_duration_seconds{controller}`,
 * `flotilla_workqueue_depth{controller}`, `flotilla_workqueue_retries_total{controller}`.
 */
export function controllerMetrics(name: string, registry: Registry = register): ControllerMetrics {
  const total = shared(registry, 'flotilla_reconcile_total', (registers) =>
    new Counter({
      name: 'flotilla_reconcile_total',
      help: 'Reconciles per controller and result.',
      labelNames: ['controller', 'result'] as const,
      registers,
    }),
  );
  const duration = shared(registry, 'flotilla_reconcile_duration_seconds', (registers) =>
    new Histogram({
      name: 'flotilla_reconcile_duration_seconds',
      help: 'Time spent in reconcile per controller.',
      labelNames: ['controller'] as const,
      buckets: DURATION_BUCKETS,
      registers,
    }),
  );
  const depth = shared(registry, 'flotilla_workqueue_depth', (registers) =>
    new Gauge({
      name: 'flotilla_workqueue_depth',
      help: 'Keys waiting in the work queue per controller.',
      labelNames: ['controller'] as const,
      registers,
    }),
  );
  const retries = shared(registry, 'flotilla_workqueue_retries_total', (registers) =>
    new Counter({
      name: 'flotilla_workqueue_retries_total',
      help: 'Rate-limited requeues per controller.',
      labelNames: ['controller'] as const,
      registers,
    }),
  );

  // Export zeros up front so rates and alerts work before the first event.
  for (const result of RECONCILE_RESULTS) total.inc({ controller: name, result }, 0);
  retries.inc({ controller: name }, 0);
  depth.set({ controller: name }, 0);

  return {
    reconciled(result, seconds) {
      total.inc({ controller: name, result });
      duration.observe({ controller: name }, seconds);
    },
    queue: {
      depth: (n) => depth.set({ controller: name }, n),
      retry: () => retries.inc({ controller: name }),
    },
  };
}
