/**
 * Simulated fleet at scale, in one process: C busy clusters x N nodes with P pods in total
 * (created through each cluster's API, scheduled, started and made Ready by the simulator),
 * plus one idle cluster. Figures: fleet start time, time until every pod is Ready, RSS, CPU
 * seconds per 1,000 pod transitions (bindings + stage transitions), and the latency of a GET
 * from outside against a busy member while all this runs, beside the same GET on the idle
 * member in the same run.
 * Flags: --quick | --clusters C --nodes N --pods P --time-scale X --lease-renew-ms MS
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { isAlreadyExists } from '../src/client/client.js';
import { R } from '../src/client/resources.js';
import { forEachLimit } from '../src/simulator/context.js';
import { defaultFleet } from '../src/simulator/fleet.js';
import { SimFleet } from '../src/simulator/sim.js';
import { defaultStages } from '../src/simulator/stages.js';
import { createLogger } from '../src/util/logger.js';
import { Report, median, percentile, round } from './lib.js';

function flag(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
}

const gc = () => (globalThis as { gc?: () => void }).gc?.();
const rssMB = () => {
  gc();
  return process.memoryUsage().rss / 2 ** 20;
};

export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const C = flag(args, '--clusters', quick ? 10 : 100);
  const N = flag(args, '--nodes', quick ? 20 : 100);
  const P = flag(args, '--pods', quick ? 1000 : 10_000);
  const timeScale = flag(args, '--time-scale', 0.01);
  // Kubelets renew every 10 s; at 10,000 nodes that alone is 1,000 writes/s on one thread.
  const leaseRenewMs = flag(args, '--lease-renew-ms', 10_000);
  const report = new Report('sim', { clusters: C, nodes: N, pods: P, idleClusters: 1, timeScale, leaseRenewMs });
  console.log(`sim: ${C} clusters x ${N} nodes, ${P} pods, + 1 idle cluster (time scale ${timeScale}, leases every ${leaseRenewMs} ms)`);

  // Pod stages run fast; node heartbeats keep their real 60 s period so they do not dominate.
  const stages = defaultStages().map((s) => (s.name === 'node-heartbeat' ? { ...s, delay: { ...s.delay, durationMs: 60_000 / timeScale } } : s));
  const fleet = defaultFleet(C + 1, N, { timeScale, leaseRenewMs, leaseDurationSeconds: Math.max(40, (4 * leaseRenewMs) / 1000) });
  const dir = mkdtempSync(join(tmpdir(), 'bench-sim-'));
  const rss0 = rssMB();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const sims = await new SimFleet({ fleet, dataDir: dir, logger: createLogger({ level: 'warn' }), stages }).start();
  const startSecs = (performance.now() - t0) / 1000;
  const cpuStart = process.cpuUsage(cpu0);
  const clusters = [...sims.clusters.values()];
  const busy = clusters.slice(0, C);
  const idle = clusters[C]!;
  report.add({ metric: 'fleet start (clusters + nodes registered)', value: round(startSecs, 2), unit: 's' });
  report.add({ metric: 'RSS after start', value: round(rssMB()), unit: 'MB', baseline: { metric: 'RSS before', value: round(rss0), unit: 'MB' } });
  report.add({ metric: 'CPU for start', value: round((cpuStart.user + cpuStart.system) / 1e6, 2), unit: 's' });

  // Outside clients, as Flotilla's control plane would be: HTTPS with the fleet CA and tokens.
  const ca = readFileSync(join(dir, 'pki', 'ca.crt'), 'utf8');
  const outside = (c: typeof idle) => {
    const pool = new Pool(c.url, { connections: 4, connect: { ca } });
    const token = readFileSync(join(dir, 'tokens', `${c.name}.token`), 'utf8').trim();
    return {
      pool,
      async get(): Promise<number> {
        const s = performance.now();
        const r = await pool.request({ method: 'GET', path: '/api/v1/namespaces/default', headers: { authorization: `Bearer ${token}` } });
        await r.body.dump();
        if (r.statusCode !== 200) throw new Error(`GET: ${r.statusCode}`);
        return performance.now() - s;
      },
    };
  };
  const probeBusy = outside(busy[0]!);
  const probeIdle = outside(idle);
  const busyLat: number[] = [];
  const idleLat: number[] = [];
  let probing = true;
  const probe = (async () => {
    while (probing) {
      busyLat.push(await probeBusy.get());
      idleLat.push(await probeIdle.get());
      await new Promise((r) => setTimeout(r, 20));
    }
  })();

  const podsPer = Math.ceil(P / C);
  const counters = () => {
    let transitions = 0;
    let ready = 0;
    for (const c of busy) {
      const comp = c.components!;
      transitions += comp.scheduler.bound + [...comp.kubelet.pods.applied.values()].reduce((a, b) => a + b, 0);
      ready += comp.pods.informer.list().filter((p: any) => p.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True')).length;
    }
    return { transitions, ready };
  };
  const cpu1 = process.cpuUsage();
  const t1 = performance.now();
  // Paced like a control plane spreading work: 16 creates in flight over the whole fleet.
  const work = busy.flatMap((c, ci) => Array.from({ length: Math.max(0, Math.min(podsPer, P - ci * podsPer)) }, (_, i) => ({ c, name: `p-${i}` })));
  work.sort((a, b) => Number(a.name.slice(2)) - Number(b.name.slice(2)));
  await forEachLimit(work, 16, async ({ c, name }) => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'bench' } }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] } };
    for (let attempt = 0; ; attempt++) {
      try {
        await c.client.create(R.pods, pod);
        return;
      } catch (e) {
        if (isAlreadyExists(e)) return; // an earlier attempt that timed out got through
        if (attempt >= 3) throw e;
      }
    }
  });
  const createdSecs = (performance.now() - t1) / 1000;
  let last = counters();
  while (last.ready < P) {
    await new Promise((r) => setTimeout(r, 200));
    last = counters();
    if ((performance.now() - t1) / 1000 > 600) throw new Error(`only ${last.ready}/${P} pods Ready after 600 s`);
  }
  const readySecs = (performance.now() - t1) / 1000;
  const cpu = process.cpuUsage(cpu1);
  probing = false;
  await probe;
  const rssBusy = rssMB();
  report.add({ metric: `${P} pods created (16 in flight)`, value: round(createdSecs, 2), unit: 's' });
  report.add({ metric: `all ${P} pods Ready`, value: round(readySecs, 2), unit: 's' });
  report.add({ metric: 'RSS with all pods Ready', value: round(rssBusy), unit: 'MB', target: '<= 2048 MB' });
  report.add({ metric: 'CPU per 1,000 pod transitions', value: round((cpu.user + cpu.system) / 1e6 / (last.transitions / 1000), 3), unit: 's', target: `${last.transitions} transitions` });
  report.add({
    metric: 'GET on a busy member, p50',
    value: round(median(busyLat), 2),
    unit: 'ms',
    baseline: { metric: 'same GET on the idle member, p50', value: round(median(idleLat), 2), unit: 'ms' },
  });
  report.add({
    metric: 'GET on a busy member, p99',
    value: round(percentile(busyLat, 99), 2),
    unit: 'ms',
    baseline: { metric: 'same GET on the idle member, p99', value: round(percentile(idleLat, 99), 2), unit: 'ms' },
  });
  console.log(`  (${busyLat.length} probe GETs each; results in ${report.write()})`);
  await probeBusy.pool.close();
  await probeIdle.pool.close();
  await sims.stop();
  rmSync(dir, { recursive: true, force: true });
}
