/** Controller manager flags shared by `flotilla controllers` and `flotilla up`. */
import type { Command } from 'commander';
import { DEFAULT_OPTIONS, type ControllerOptions } from '../controllers/manager.js';

/** Go-style durations ("2s", "500ms", "1m30s") → milliseconds. */
export function parseDuration(v: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (const m of v.matchAll(re)) {
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms']!;
    consumed += m[0].length;
  }
  if (!v || consumed !== v.length) throw new Error(`invalid duration "${v}" (use e.g. 500ms, 2s, 1m30s)`);
  return total;
}

const fmt = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

export function controllerOptionFlags(cmd: Command): Command {
  const d = DEFAULT_OPTIONS;
  return cmd
    .option('--cluster-monitor-period <duration>', 'how often member clusters are probed', parseDuration, d.clusterMonitorPeriodMs)
    .option('--cluster-grace-period <duration>', 'time without a successful probe before a cluster is not Ready', parseDuration, d.clusterGracePeriodMs)
    .option('--cluster-startup-grace-period <duration>', 'grace for a newly joined cluster', parseDuration, d.clusterStartupGracePeriodMs)
    .option('--failover-eviction-timeout <duration>', 'how long a cluster is unhealthy before its workloads are evicted (NoExecute)', parseDuration, d.failoverEvictionTimeoutMs)
    .option('--eviction-rate <n>', 'evictions per second across the fleet', Number, d.evictionRate)
    .option('--cluster-stabilization <duration>', 'how long a recovered cluster stays healthy before it takes new work', parseDuration, d.clusterStabilizationMs)
    .option('--graceful-eviction-timeout <duration>', 'longest a gracefully evicted copy is kept', parseDuration, d.gracefulEvictionTimeoutMs)
    .option('--workers <n>', 'reconcile workers per controller', Number, d.workers)
    .addHelpText('afterAll', `\nDurations: ${fmt(d.clusterMonitorPeriodMs)}, 500ms, 1m30s, ...`);
}

export function controllerOptionsFrom(o: Record<string, any>): ControllerOptions {
  return {
    clusterMonitorPeriodMs: o.clusterMonitorPeriod,
    clusterGracePeriodMs: o.clusterGracePeriod,
    clusterStartupGracePeriodMs: o.clusterStartupGracePeriod,
    failoverEvictionTimeoutMs: o.failoverEvictionTimeout,
    evictionRate: o.evictionRate,
    clusterStabilizationMs: o.clusterStabilization,
    gracefulEvictionTimeoutMs: o.gracefulEvictionTimeout,
    workers: o.workers,
  };
}
