/**
 * Propagation latency: from the create of a Deployment template (its PropagationPolicy already
 * present) to the object existing in every target cluster, and to Ready aggregated on the
 * template — beside the latency of one direct create on a member, measured in the same run.
 * Everything runs as `flotilla up` runs it (startFlotilla with 10 simulated clusters).
 * Then the burst (see the section at the end of this file): Works applied per second and the
 * controllers' memory for thousands of templates over 100 simulated clusters.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startFlotilla } from '../src/up/flotilla.js';
import { defaultFleet } from '../src/simulator/fleet.js';
import { KubeClient, isAlreadyExists, type ApiError, type ResourceRef } from '../src/client/client.js';
import { buildKubeconfig, loadKubeconfig, writeKubeconfig } from '../src/client/kubeconfig.js';
import { CLUSTERS } from '../src/member/clients.js';
import { joinCluster } from '../src/member/join.js';
import { flotilla, waitFor, type Proc } from '../test/e2e/harness.js';
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
  const report = new Report('propagation', { clusters: 10, targets: TARGETS.length, templates: n });
  if (!args.includes('--burst-only')) await latency(n, report);
  if (!args.includes('--no-burst')) await burst(args, report);
  console.log(`results: ${report.write()}`);
}

async function latency(n: number, report: Report): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-prop-'));
  const f = await startFlotilla({ dataDir: dir, fleet: defaultFleet(10, 2, { timeScale: 0.01 }), logger: createLogger({ level: 'warn' }) });
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
}

// ---------------------------------------------------------------------------------------------
// Burst (issue #5): T ConfigMap templates, each duplicated to 3 of C simulated clusters (3T
// Works), created as fast as 64 concurrent clients can; figure: Works applied per second (the
// Work's Applied condition True, counted by a watch on the control plane). The control plane
// (`flotilla apiserver`), the fleet (`flotilla sim`) and the controller manager
// (`flotilla controllers`) run as three child processes, so each one's RSS is its own.
// Flags: --burst-templates T (default 10,000; --quick 300) --burst-clusters C (100; --quick 10)
//        --burst-only (skip the latency part) --no-burst

const WORKS: ResourceRef = { group: 'work.karmada.io', version: 'v1alpha1', resource: 'works', namespaced: true };
const POLICIES: ResourceRef = { group: 'policy.karmada.io', version: 'v1alpha1', resource: 'propagationpolicies', namespaced: true };

const flagNum = (args: string[], name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};

/** `flotilla ARGS` as test/e2e/harness.ts runs it, with extra node flags (--cpu-prof is refused in NODE_OPTIONS). */
function node(nodeArgs: string[], args: string[]): Proc {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], { cwd: root, env: { ...process.env, FLOTILLA_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const p: Proc = { child, stdout: '', stderr: '', exited: new Promise((r) => child.on('exit', (code) => r(code))) };
  child.stdout!.on('data', (d) => (p.stdout += d));
  child.stderr!.on('data', (d) => (p.stderr += d));
  return p;
}

/** CPU seconds (user + system) a process has used so far (Linux). */
function cpuOf(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

/** VmRSS / VmHWM of a process in MB (Linux). */
function rssOf(pid: number): { rss: number; peak: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0) / 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

async function waitLine(p: Proc, what: string, re: RegExp, timeoutMs = 180_000): Promise<RegExpExecArray> {
  return waitFor(
    what,
    () => {
      if (p.child.exitCode !== null) throw new Error(`${what} exited: ${p.stderr.slice(-2000)}`);
      return re.exec(p.stdout) ?? undefined;
    },
    timeoutMs,
    100,
  );
}

/** Runs `total` calls of op from `concurrency` workers; returns the seconds taken. */
async function pump(concurrency: number, total: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < total; i = next++) await op(i);
    }),
  );
  return (performance.now() - t0) / 1000;
}

/** apiserver_request_total summed by verb, resource[/subresource] and code class (2xx, 4xx, ...), from /metrics. */
async function requestCounts(c: KubeClient): Promise<Map<string, number>> {
  const text: string = await c.request('GET', '/metrics');
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const l = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (l.verb === 'WATCH' || l.verb === 'LIST' || l.verb === 'GET') continue;
    const k = `${l.verb} ${l.resource}${l.subresource ? '/' + l.subresource : ''} ${String(l.code).slice(0, 1)}xx`;
    out.set(k, (out.get(k) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return out;
}

async function burst(args: string[], report: Report): Promise<void> {
  const quick = args.includes('--quick');
  const T = flagNum(args, '--burst-templates', quick ? 300 : 10_000);
  const C = flagNum(args, '--burst-clusters', quick ? 10 : 100);
  const groups = Math.floor(C / 3);
  const concurrency = 64;
  console.log(`\nburst: ${T.toLocaleString('en-US')} ConfigMaps, each duplicated to 3 of ${C} simulated clusters (${(3 * T).toLocaleString('en-US')} Works); controllers in their own process`);
  report.params.burst = { templates: T, clusters: C, concurrency, groups };
  const dir = mkdtempSync(join(tmpdir(), 'bench-burst-'));
  const procs: Proc[] = [];
  const clients: KubeClient[] = [];
  const abort = new AbortController();
  try {
    const env = { FLOTILLA_LOG_LEVEL: 'warn' };
    const api = flotilla(['apiserver', '--data-dir', join(dir, 'cp'), '--port', '0'], env);
    const sim = flotilla(['sim', '--clusters', String(C), '--nodes', '0', '--data-dir', join(dir, 'sim'), '--time-scale', '0.01'], env);
    procs.push(api, sim);
    const url = (await waitLine(api, 'apiserver', /ready url=(\S+)/))[1]!;
    await waitLine(sim, 'sim', /flotilla sim ready/);
    const cpEntry = { name: 'flotilla', server: url, caPem: readFileSync(join(dir, 'cp', 'pki', 'ca.crt'), 'utf8'), token: readFileSync(join(dir, 'cp', 'admin.token'), 'utf8').trim() };
    const kubeconfig = join(dir, 'kubeconfig');
    writeKubeconfig(kubeconfig, buildKubeconfig([cpEntry], 'flotilla'));
    const c = new KubeClient({ server: url, caPem: cpEntry.caPem, token: cpEntry.token, connections: concurrency, userAgent: 'bench' });
    clients.push(c);
    const names = Array.from({ length: C }, (_, i) => `member${i + 1}`);
    const simKubeconfig = join(dir, 'sim', 'kubeconfig');
    // Sequentially: each join upserts the karmada-cluster namespace, and concurrent upserts conflict.
    for (const name of names) await joinCluster(c, { name, member: loadKubeconfig(simKubeconfig, { context: name }) });
    // e.g. BENCH_CONTROLLERS_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the controllers.
    const ctl = node((process.env.BENCH_CONTROLLERS_NODE_ARGS ?? '').split(' ').filter(Boolean), ['controllers', '--kubeconfig', kubeconfig, '--context', 'flotilla', '--leader-elect=false']);
    procs.push(ctl);
    await waitLine(ctl, 'controllers', /flotilla controllers ready/);
    await until(
      `${C} clusters Ready`,
      async () => {
        const l = await c.list(CLUSTERS);
        return l.items.filter((cl: any) => cl.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True')).length === C;
      },
      300_000,
    );
    // One policy per group of three clusters: template i goes to group i % groups.
    for (let g = 0; g < groups; g++)
      await c.create(POLICIES, {
        apiVersion: 'policy.karmada.io/v1alpha1',
        kind: 'PropagationPolicy',
        metadata: { name: `burst-${g}`, namespace: 'default' },
        spec: {
          resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap', labelSelector: { matchLabels: { bench: 'burst', group: String(g) } } }],
          placement: { clusterAffinity: { clusterNames: names.slice(3 * g, 3 * g + 3) }, replicaScheduling: { replicaSchedulingType: 'Duplicated' } },
        },
      });
    const idle = { ctl: rssOf(ctl.child.pid!), api: rssOf(api.child.pid!), sim: rssOf(sim.child.pid!) };

    // Baseline: direct creates on one member from the same client machinery and concurrency.
    const baseN = Math.min(T, quick ? 300 : 3_000);
    const m1 = loadKubeconfig(simKubeconfig, { context: 'member1' });
    const member = new KubeClient({ server: m1.server, caPem: m1.caPem, token: m1.token, connections: concurrency, userAgent: 'bench' });
    clients.push(member);
    const cm = (name: string, labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels }, data: { key: 'value', name } });
    const baseSecs = await pump(concurrency, baseN, (i) => member.create(R.configmaps, cm(`direct-${i}`, { bench: 'direct' })));
    const baseRate = baseN / baseSecs;

    // Count Works whose Applied condition is True, from a watch on the control plane.
    const applied = new Set<string>();
    const seen = new Set<string>();
    let created = 0;
    let lastApplied = 0;
    let done: () => void = () => {};
    const all = new Promise<void>((r) => (done = r));
    const onWork = (w: any) => {
      {
        seen.add(w.metadata.namespace + '/' + w.metadata.name);
        const ok = w.status?.conditions?.some((x: any) => x.type === 'Applied' && x.status === 'True');
        if (ok && !applied.has(w.metadata.namespace + '/' + w.metadata.name)) {
          applied.add(w.metadata.namespace + '/' + w.metadata.name);
          lastApplied = performance.now();
          if (applied.size >= 3 * T) done();
        }
      }
    };
    const watchLoop = async () => {
      let rv = (await c.list(WORKS, { limit: 1 })).metadata.resourceVersion;
      while (!abort.signal.aborted) {
        await c
          .watch(WORKS, { resourceVersion: rv, allowWatchBookmarks: true }, (ev) => {
            if (ev.type === 'ERROR') throw new Error(`works watch: ${JSON.stringify(ev.object)}`);
            rv = ev.object.metadata.resourceVersion;
            if (ev.type !== 'BOOKMARK' && ev.type !== 'DELETED') onWork(ev.object);
          }, abort.signal)
          .catch((e) => {
            if (!abort.signal.aborted) console.error(`works watch ended: ${(e as Error).message}; resuming`);
          });
      }
    };
    void watchLoop();
    await new Promise((r) => setTimeout(r, 200));
    // Background CPU (cluster probes, leases, status of 100 members) over a quiet window, so the
    // burst's CPU per Work can be told apart from it.
    const q0 = { ctl: cpuOf(ctl.child.pid!), api: cpuOf(api.child.pid!), sim: cpuOf(sim.child.pid!), t: performance.now() };
    await new Promise((r) => setTimeout(r, quick ? 5_000 : 10_000));
    const qs = (performance.now() - q0.t) / 1000;
    const idleRate = { ctl: (cpuOf(ctl.child.pid!) - q0.ctl) / qs, api: (cpuOf(api.child.pid!) - q0.api) / qs, sim: (cpuOf(sim.child.pid!) - q0.sim) / qs };
    const before = await requestCounts(c);
    const cpu0 = { ctl: cpuOf(ctl.child.pid!), api: cpuOf(api.child.pid!), sim: cpuOf(sim.child.pid!), bench: process.cpuUsage() };
    const t0 = performance.now();
    const progress = setInterval(() => console.log(`  ... ${created} templates created, ${seen.size} Works seen, ${applied.size} applied (${Math.round((performance.now() - t0) / 1000)} s)`), 10_000);
    let retried = 0;
    const createSecs = await pump(concurrency, T, async (i) => {
      // A control plane too busy to accept a connection in time is counted, and asked again.
      for (let attempt = 0; ; attempt++) {
        try {
          await c.create(R.configmaps, cm(`burst-${i}`, { bench: 'burst', group: String(i % groups) }));
          break;
        } catch (e) {
          if (attempt < 5 && (e as ApiError).code === 0) retried++;
          else if (attempt > 0 && isAlreadyExists(e)) break;
          else throw e;
        }
      }
      created++;
    });
    if (retried) console.log(`  ${retried} template creates retried after connection errors (the control plane did not answer in time)`);
    const timeoutMs = Number(flagNum(args, '--burst-timeout-s', 1800)) * 1000;
    await Promise.race([all, new Promise((r) => setTimeout(r, timeoutMs))]);
    clearInterval(progress);
    const secs = ((applied.size >= 3 * T ? lastApplied : performance.now()) - t0) / 1000;
    const cpu = { ctl: cpuOf(ctl.child.pid!) - cpu0.ctl, api: cpuOf(api.child.pid!) - cpu0.api, sim: cpuOf(sim.child.pid!) - cpu0.sim, bench: process.cpuUsage(cpu0.bench) };
    const busy = (x: number) => `${x.toFixed(1)} s (${Math.round((100 * x) / secs)}% of a core)`;
    console.log(`  CPU during the burst: controllers ${busy(cpu.ctl)}, apiserver ${busy(cpu.api)}, sim ${busy(cpu.sim)}, bench client ${busy((cpu.bench.user + cpu.bench.system) / 1e6)}; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    // CPU the burst cost beyond the background, per 1,000 Works: what bounds Works/s on a free core.
    const perK = (burstCpu: number, rate: number) => ((burstCpu - rate * secs) * 1000) / Math.max(1, applied.size);
    console.log(`  background CPU before the burst: controllers ${Math.round(100 * idleRate.ctl)}%, apiserver ${Math.round(100 * idleRate.api)}%, sim ${Math.round(100 * idleRate.sim)}% of a core`);
    report.add({ metric: 'controllers CPU per 1,000 Works (beyond background)', value: perK(cpu.ctl, idleRate.ctl), unit: 'CPU s' });
    report.add({ metric: 'apiserver CPU per 1,000 Works (beyond background)', value: perK(cpu.api, idleRate.api), unit: 'CPU s' });
    report.add({ metric: 'sim CPU per 1,000 Works (beyond background)', value: perK(cpu.sim, idleRate.sim), unit: 'CPU s' });
    if (applied.size < 3 * T) console.log(`  TIMED OUT: ${applied.size} of ${3 * T} Works applied after ${timeoutMs / 1000} s`);
    // Let the controllers settle (status aggregation follows the last apply), then read memory.
    await new Promise((r) => setTimeout(r, quick ? 3_000 : 15_000));
    const writes = await requestCounts(c);
    const rows = [...writes].map(([k, v]) => [k, (v - (before.get(k) ?? 0)) / T] as const).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
    console.log(`  control-plane writes per template: ${rows.reduce((a, [, v]) => a + v, 0).toFixed(1)} (${rows.map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')})`);
    const after = { ctl: rssOf(ctl.child.pid!), api: rssOf(api.child.pid!), sim: rssOf(sim.child.pid!) };
    const per10k = (mb: number) => (mb * 10_000) / T;
    report.add({ metric: 'burst: Works applied/s', value: (applied.size) / secs, unit: 'Works/s', baseline: { metric: 'direct ConfigMap creates/s on one member', value: baseRate, unit: 'creates/s' }, target: '>= 500/s' });
    report.add({ metric: 'burst: templates created/s (64 clients)', value: T / createSecs, unit: '/s' });
    report.add({ metric: 'burst: first create → last Work applied', value: secs, unit: 's' });
    report.add({ metric: 'controllers RSS after burst', value: after.ctl.rss, unit: 'MB', target: '<= 300 MB per 10,000 templates' });
    // Idle RSS plus the growth scaled to 10,000 templates (equal to the RSS after burst when T = 10,000).
    report.add({ metric: 'controllers RSS per 10,000 templates', value: idle.ctl.rss + per10k(after.ctl.rss - idle.ctl.rss), unit: 'MB', target: '<= 300 MB' });
    report.add({ metric: 'controllers RSS growth per 10,000 templates', value: per10k(after.ctl.rss - idle.ctl.rss), unit: 'MB' });
    report.add({ metric: 'controllers RSS idle (before burst)', value: idle.ctl.rss, unit: 'MB' });
    report.add({ metric: 'controllers peak RSS', value: after.ctl.peak, unit: 'MB' });
    report.add({ metric: 'apiserver RSS after burst', value: after.api.rss, unit: 'MB' });
    report.add({ metric: 'apiserver peak RSS', value: after.api.peak, unit: 'MB' });
    report.add({ metric: `sim (${C} clusters) RSS after burst`, value: after.sim.rss, unit: 'MB' });
    report.add({ metric: `sim peak RSS`, value: after.sim.peak, unit: 'MB' });
  } finally {
    abort.abort();
    for (const cl of clients) await cl.close().catch(() => {});
    for (const p of procs.reverse()) {
      if (p.child.exitCode === null) {
        p.child.kill('SIGTERM');
        await Promise.race([p.exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (p.child.exitCode === null) p.child.kill('SIGKILL');
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
