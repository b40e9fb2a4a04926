/**
 * Propagation latency: from the create of a Deployment template (its PropagationPolicy already
 * present) to the object existing in every target cluster, and to Ready aggregated on the
 * template — beside the latency of one direct create on a member, measured in the same run.
 * Everything runs as `flotilla up` runs it (startFlotilla with 10 simulated clusters).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFlotilla } from '../src/up/flotilla.js';
import { defaultFleet } from '../src/simulator/fleet.js';
import { KubeClient } from '../src/client/client.js';
import { R } from '../src/client/resources.js';
import { createLogger } from '../src/util/logger.js';
import { Report, median, percentile } from './lib.js';

const TARGETS = ['member1', 'member2', 'member3'];

const deployment = (name: string, ns = 'default') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns, labels: { bench: 'propagation' } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu: '10m' } } }] } },
  },
});

async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function run(args: string[]) {
  const quick = args.includes('--quick');
  const n = quick ? 20 : 100;
  const dir = mkdtempSync(join(tmpdir(), 'bench-prop-'));
  const f = await startFlotilla({ dataDir: dir, fleet: defaultFleet(10, 2, { timeScale: 0.01 }), logger: createLogger({ level: 'warn' }) });
  const report = new Report('propagation', { clusters: 10, targets: TARGETS.length, templates: n });
  console.log(`propagation benchmark: ${n} Deployments duplicated to ${TARGETS.length} of 10 simulated clusters`);
  try {
    const c = f.client;
    await c.create(
      { group: 'policy.karmada.io', version: 'v1alpha1', resource: 'propagationpolicies', namespaced: true },
      {
        apiVersion: 'policy.karmada.io/v1alpha1',
        kind: 'PropagationPolicy',
        metadata: { name: 'bench', namespace: 'default' },
        spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: { bench: 'propagation' } } }], placement: { clusterAffinity: { clusterNames: TARGETS } } },
      },
    );
    await until('clusters ready', async () => TARGETS.every((m) => f.members.get(m) !== undefined));
    const members = TARGETS.map((m) => f.members.get(m)!);
    const direct: number[] = [];
    const toMembers: number[] = [];
    const toReady: number[] = [];
    for (let i = 0; i < n; i++) {
      // Baseline: one direct create on a member, as a user of that cluster would make it.
      const d0 = Date.now();
      await members[0]!.create(R.deployments, deployment(`direct-${i}`));
      direct.push(Date.now() - d0);
      const name = `web-${i}`;
      const t0 = Date.now();
      await c.create(R.deployments, deployment(name));
      const exists = async (m: KubeClient) => m.get(R.deployments, name, 'default').then(() => true, () => false);
      await until(`${name} in every target`, async () => (await Promise.all(members.map(exists))).every(Boolean));
      toMembers.push(Date.now() - t0);
      await until(`${name} Ready on the control plane`, async () => {
        const d = await c.get(R.deployments, name, 'default');
        return (d.status?.readyReplicas ?? 0) === TARGETS.length && d.status?.observedGeneration === d.metadata.generation;
      });
      toReady.push(Date.now() - t0);
    }
    const base = { metric: 'direct create on a member p99', value: percentile(direct, 99), unit: 'ms' };
    report.add({ metric: 'template → objects in all 3 targets p50', value: median(toMembers), unit: 'ms' });
    report.add({ metric: 'template → objects in all 3 targets p99', value: percentile(toMembers, 99), unit: 'ms', baseline: base, target: '<= 5x direct create' });
    report.add({ metric: 'template → Ready aggregated p50', value: median(toReady), unit: 'ms' });
    report.add({ metric: 'template → Ready aggregated p99', value: percentile(toReady, 99), unit: 'ms' });
    report.add({ metric: 'direct create on a member p50', value: median(direct), unit: 'ms' });
  } finally {
    await f.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`results: ${report.write()}`);
}
