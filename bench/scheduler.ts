/**
 * Scheduler: the pure algorithm's latency per decision (p50/p99) for 10,000 bindings over 100
 * clusters with a mix of affinity, spread and divided policies, and — once the scheduler
 * controller runs — decisions persisted per second end to end, in the same run.
 */
import { schedule, ReservationLedger } from '../src/scheduler/index.js';
import { cluster, binding, staticWeights, DYNAMIC, AGGREGATED } from '../src/scheduler/testing.js';
import type { ClusterSnapshot, BindingInput } from '../src/scheduler/types.js';
import { Report, percentile, median } from './lib.js';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-south-1'];

export function fleet(n: number): ClusterSnapshot[] {
  return Array.from({ length: n }, (_, i) =>
    cluster(`member${i + 1}`, {
      labels: { tier: i % 3 === 0 ? 'gold' : 'standard', env: i % 2 ? 'prod' : 'staging' },
      region: REGIONS[i % REGIONS.length],
      zones: [`${REGIONS[i % REGIONS.length]}${'abc'[i % 3]}`],
      provider: i % 4 === 0 ? 'gcp' : 'aws',
      resourceSummary: { allocatable: { cpu: '400', memory: '1600Gi', pods: '11000' }, allocated: { cpu: String(i % 50), memory: '10Gi', pods: '100' } },
    }),
  );
}

/** A mix: duplicated by label, static weights, dynamic weights, aggregated, spread by region. */
export function bindings(n: number, clusters: number): BindingInput[] {
  const req = { resourceRequest: { cpu: '250m', memory: '256Mi' } };
  return Array.from({ length: n }, (_, i) => {
    const uid = `uid-${i}`;
    const rest = { uid, replicaRequirements: req, resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: `app-${i}` } };
    switch (i % 5) {
      case 0:
        return binding({ clusterAffinity: { labelSelector: { matchLabels: { tier: 'gold' } } } }, 3, rest);
      case 1: {
        const a = (i % clusters) + 1;
        const b = ((i + 7) % clusters) + 1;
        const c = ((i + 13) % clusters) + 1;
        return binding({ clusterAffinity: { clusterNames: [`member${a}`, `member${b}`, `member${c}`] }, replicaScheduling: staticWeights({ [`member${a}`]: 3, [`member${b}`]: 2, [`member${c}`]: 1 }) }, 12, rest);
      }
      case 2:
        return binding({ clusterAffinity: { labelSelector: { matchLabels: { env: 'prod' } } }, replicaScheduling: DYNAMIC }, 20, rest);
      case 3:
        return binding({ replicaScheduling: AGGREGATED, clusterAffinity: { labelSelector: { matchLabels: { tier: 'standard' } } } }, 8, rest);
      default:
        return binding(
          { spreadConstraints: [{ spreadByField: 'region', minGroups: 2, maxGroups: 2 }, { spreadByField: 'cluster', minGroups: 2, maxGroups: 4 }], replicaScheduling: DYNAMIC },
          10,
          rest,
        );
    }
  });
}

export async function run(args: string[]) {
  const quick = args.includes('--quick');
  const n = quick ? 2000 : 10000;
  const clusters = fleet(100);
  const all = bindings(n, 100);
  const report = new Report('scheduler', { bindings: n, clusters: 100 });
  console.log(`scheduler benchmark: ${n} bindings over 100 clusters`);
  // Warm up the JIT on a slice, as a long-running scheduler would be.
  for (const b of all.slice(0, 500)) schedule(b, clusters);
  const runs: { p50: number; p99: number; perSec: number; failed: number }[] = [];
  for (let r = 0; r < (quick ? 1 : 3); r++) {
    const ledger = new ReservationLedger();
    const lat: number[] = [];
    let failed = 0;
    const t0 = process.hrtime.bigint();
    for (const b of all) {
      const s = process.hrtime.bigint();
      const d = schedule(b, clusters, { ledger });
      lat.push(Number(process.hrtime.bigint() - s) / 1e6);
      if (d.error) failed++;
    }
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    runs.push({ p50: percentile(lat, 50), p99: percentile(lat, 99), perSec: n / secs, failed });
  }
  const p99 = median(runs.map((x) => x.p99));
  report.add({ metric: 'pure decision latency p50', value: median(runs.map((x) => x.p50)), unit: 'ms' });
  report.add({ metric: 'pure decision latency p99', value: p99, unit: 'ms', target: '<= 1 ms' });
  const pure = { metric: 'pure decisions/s (one core)', value: median(runs.map((x) => x.perSec)), unit: 'ops/s' };
  report.add(pure);
  report.add({ metric: 'unschedulable decisions', value: runs[0]!.failed, unit: 'bindings' });
  console.log(`results: ${report.write()}`);
}
