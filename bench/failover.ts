/**
 * Failover (issue #7): C simulated clusters, T Deployments divided over groups of G clusters
 * (one replica per cluster of the group); one cluster goes `down` (the simulator's fault API,
 * exactly what `flotilla sim fault memberN down` sends). Measured from watches on the control
 * plane and the members' own pod informers:
 *
 *   detection          fault → the Cluster's Ready condition leaves True
 *   NoExecute          fault → the unreachable/not-ready NoExecute taint (the eviction timeout firing)
 *   eviction           fault → every affected binding has dropped the cluster from spec.clusters
 *   rescheduled        every affected binding has its replicas on healthy clusters again
 *   Ready elsewhere    every affected Deployment has its desired replicas Ready on healthy
 *                      members (pods, read from the members), and as the control plane sees it
 *                      (binding aggregatedStatus without the failed cluster)
 *   deficit / surplus  sampled every 100 ms over the affected Deployments (and every second over
 *                      the whole fleet): desired − Ready, live pods − desired
 *
 * Printed beside the configured grace period and eviction timeout, and a same-run baseline: a
 * Deployment created directly on a member, to its pod Ready (the simulated kubelet's floor).
 * Each round fails a cluster of another group, so rounds are independent without a new setup.
 * False detections: any other cluster whose Ready leaves True, or that gets a taint, and any
 * eviction from a cluster that was not failed, at any time after the fleet first became Ready.
 *
 * The control plane (`flotilla apiserver`) and the controller manager (`flotilla controllers`)
 * run as child processes; the simulated fleet runs in this process (as `flotilla sim` would,
 * with the same admin endpoint), so member pods are counted from the simulator's informers.
 *
 * Flags: --quick (20 clusters, 100 Deployments, 1 round; full: 100 clusters, 1,000 Deployments, 3 rounds)
 *        --clusters C --deployments T --group G --nodes N --rounds K --time-scale X
 *        --grace DURATION --eviction-timeout DURATION --eviction-rate N --monitor-period DURATION
 *        --lease-renew-ms MS --setup-grace-s S (the controllers' grace while the fleet is filled)
 * e.g. BENCH_CONTROLLERS_NODE_OPTIONS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the controllers.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Agent, request as httpRequest } from 'undici';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { KubeClient, isAlreadyExists } from '../src/client/client.js';
import { InformerFactory } from '../src/client/factory.js';
import { buildKubeconfig, loadKubeconfig, writeKubeconfig } from '../src/client/kubeconfig.js';
import { R } from '../src/client/resources.js';
import { CLUSTERS } from '../src/member/clients.js';
import { joinCluster } from '../src/member/join.js';
import { RESOURCE_BINDINGS } from '../src/controllers/execution/resources.js';
import { parseDuration } from '../src/cli/controller-flags.js';
import { forEachLimit } from '../src/simulator/context.js';
import { defaultFleet } from '../src/simulator/fleet.js';
import { SimFleet, SIM_ADMIN_TOKEN } from '../src/simulator/sim.js';
import type { SimCluster } from '../src/simulator/cluster.js';
import { createLogger } from '../src/util/logger.js';
import { flotilla, waitFor, type Proc } from '../test/e2e/harness.js';
import { Report, median, round } from './lib.js';

const POLICIES = { group: 'policy.karmada.io', version: 'v1alpha1', resource: 'propagationpolicies', namespaced: true };

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
const num = (args: string[], name: string, dflt: number) => (flag(args, name) !== undefined ? Number(flag(args, name)) : dflt);
const dur = (args: string[], name: string, dflt: number) => (flag(args, name) !== undefined ? parseDuration(flag(args, name)!) : dflt);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const readyCond = (c: any): string | undefined => c?.status?.conditions?.find((x: any) => x.type === 'Ready')?.status;
const podReady = (p: Pod) => !p.metadata?.deletionTimestamp && !!p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True');
const taintsOf = (c: any): { key: string; effect: string }[] => c?.spec?.taints ?? [];

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

const deployment = (name: string, replicas: number, labels: Record<string, string>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default', labels },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
  },
});

interface RoundResult {
  cluster: string;
  affected: number;
  /** ms from the fault, unless said otherwise. */
  detect?: number;
  noSchedule?: number;
  noExecute?: number;
  evictFirst?: number;
  evictLast?: number;
  rescheduledLast?: number;
  readyMedian?: number;
  readyLast?: number;
  cpReadyLast?: number;
  releasedLast?: number;
  initialDeficit: number;
  peakDeficit: number;
  peakSurplusPods: number;
  peakSurplusReady: number;
  fleetPeakDeficit: number;
  fleetPeakSurplus: number;
  incomplete: string[];
  loopDelayP99: number;
  loopDelayMax: number;
  load: string;
}

export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const C = num(args, '--clusters', quick ? 20 : 100);
  const T = num(args, '--deployments', quick ? 100 : 1000);
  const G = num(args, '--group', 5);
  const nodes = num(args, '--nodes', 2);
  const rounds = num(args, '--rounds', quick ? 1 : 3);
  const timeScale = num(args, '--time-scale', 1);
  // Flotilla's defaults (20 s, 30 s) in both sizes: shorter ones flap on a loaded machine.
  const graceMs = dur(args, '--grace', 20_000);
  const evictionTimeoutMs = dur(args, '--eviction-timeout', 30_000);
  const evictionRate = num(args, '--eviction-rate', 10);
  const monitorMs = dur(args, '--monitor-period', 2_000);
  const leaseRenewMs = num(args, '--lease-renew-ms', 10_000);
  const leaseDurationSeconds = Math.max(40, Math.ceil((4 * leaseRenewMs) / 1000));
  const groups = Math.floor(C / G);
  if (groups < 2 || rounds > groups - 1) throw new Error(`need at least ${rounds + 1} groups of ${G} clusters (got ${C} clusters)`);
  const R_ = G; // one replica per cluster of the group
  const names = Array.from({ length: C }, (_, i) => `member${i + 1}`);
  const groupOf = (g: number) => names.slice(g * G, g * G + G);
  const appGroup = (i: number) => i % groups;
  const apps = Array.from({ length: T }, (_, i) => `web-${i}`);
  const appIndex = new Map(apps.map((a, i) => [a, i]));

  const report = new Report('failover', {
    clusters: C,
    deployments: T,
    groupSize: G,
    replicasPerDeployment: R_,
    nodesPerCluster: nodes,
    rounds,
    timeScale,
    clusterGracePeriodMs: graceMs,
    failoverEvictionTimeoutMs: evictionTimeoutMs,
    evictionRate,
    clusterMonitorPeriodMs: monitorMs,
    leaseRenewMs,
    leaseDurationSeconds,
  });
  console.log(
    `failover: ${C} clusters x ${nodes} nodes, ${T} Deployments x ${R_} replicas divided over groups of ${G}; ` +
      `grace ${graceMs / 1000}s, eviction timeout ${evictionTimeoutMs / 1000}s, eviction rate ${evictionRate}/s, ${rounds} round(s); load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
  );

  const dir = mkdtempSync(join(tmpdir(), 'bench-failover-'));
  const procs: Proc[] = [];
  const clients: KubeClient[] = [];
  const abort = new AbortController();
  let sims: SimFleet | undefined;
  const t00 = performance.now();
  const since = () => `${Math.round((performance.now() - t00) / 1000)} s`;
  // This process runs the fleet: its event-loop delay is what a probe of a member waits on.
  const lag = monitorEventLoopDelay({ resolution: 20 });
  lag.enable();
  const lagNow = () => {
    const v = `loop delay p99 ${Math.round(lag.percentile(99) / 1e6)} ms max ${Math.round(lag.max / 1e6)} ms`;
    lag.reset();
    return v;
  };
  const onSignal = () => {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    void sims?.stop().finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const env = { FLOTILLA_LOG_LEVEL: 'warn' };
    const ctlEnv = { ...env, NODE_OPTIONS: [process.env.NODE_OPTIONS, process.env.BENCH_CONTROLLERS_NODE_OPTIONS].filter(Boolean).join(' ') };
    const api = flotilla(['apiserver', '--data-dir', join(dir, 'cp'), '--port', '0'], env);
    procs.push(api);
    // The fleet, in this process: few nodes, kubelet leases as in the sim bench (long enough that a
    // busy event loop does not make nodes NotReady), pod stages at the given time scale.
    sims = await new SimFleet({
      fleet: defaultFleet(C, nodes, { timeScale, leaseRenewMs, leaseDurationSeconds }),
      dataDir: join(dir, 'sim'),
      logger: createLogger({ level: 'warn' }),
    }).start();
    const fleet = sims;
    const url = (await waitLine(api, 'apiserver', /ready url=(\S+)/))[1]!;
    const cpEntry = { name: 'flotilla', server: url, caPem: readFileSync(join(dir, 'cp', 'pki', 'ca.crt'), 'utf8'), token: readFileSync(join(dir, 'cp', 'admin.token'), 'utf8').trim() };
    const kubeconfig = join(dir, 'kubeconfig');
    writeKubeconfig(kubeconfig, buildKubeconfig([cpEntry], 'flotilla'));
    const c = new KubeClient({ server: url, caPem: cpEntry.caPem, token: cpEntry.token, connections: 16, userAgent: 'bench' });
    clients.push(c);
    // One at a time: concurrent joins race on updating the shared karmada-cluster namespace (409).
    for (const name of names) await joinCluster(c, { name, member: loadKubeconfig(fleet.kubeconfigPath, { context: name }) });
    // The controller manager. Setup runs with a long grace and eviction timeout: on a loaded
    // machine the setup churn makes probes time out, and a fleet that fails over while it is being
    // filled is no starting point. The measured settings come with a restart before the rounds.
    const startControllers = async (grace: number, timeout: number) => {
      const p = flotilla(
        [
          'controllers',
          '--kubeconfig', kubeconfig,
          '--context', 'flotilla',
          '--leader-elect=false',
          '--cluster-grace-period', `${grace}ms`,
          '--failover-eviction-timeout', `${timeout}ms`,
          '--eviction-rate', String(evictionRate),
          '--cluster-monitor-period', `${monitorMs}ms`,
        ],
        ctlEnv,
      );
      procs.push(p);
      await waitLine(p, 'controllers', /flotilla controllers ready/);
      return p;
    };
    const setupGraceMs = num(args, '--setup-grace-s', 300) * 1000;
    report.params.setupControllers = { clusterGracePeriodMs: Math.max(graceMs, setupGraceMs), failoverEvictionTimeoutMs: Math.max(evictionTimeoutMs, 2 * setupGraceMs) };
    let ctl = await startControllers(Math.max(graceMs, setupGraceMs), Math.max(evictionTimeoutMs, 2 * setupGraceMs));

    // Watches on the control plane: Clusters (Ready, taints) and ResourceBindings.
    const factory = new InformerFactory(c, { log: createLogger({ level: 'warn' }) });
    const clusterInf = factory.for(CLUSTERS);
    const bindingInf = factory.for(RESOURCE_BINDINGS, { namespace: 'default' });
    const failed = new Set<string>();
    let fleetReadyAt: number | undefined;
    const falseDetections: { cluster: string; at: string; phase: string; what: string }[] = [];
    let phase = 'setup';
    const falseEvictions = new Set<string>();
    let active: Active | undefined;

    interface Active {
      cluster: string;
      t0: number;
      affected: Set<string>; // binding names
      appOf: Map<string, string>; // binding → app
      detect?: number;
      noSchedule?: number;
      noExecute?: number;
      evicted: Map<string, number>;
      rescheduled: Map<string, number>;
      cpReady: Map<string, number>;
      released: Map<string, number>;
      ready: Map<string, number>; // app → ms
    }

    const healthyNames = () => names.filter((n) => !failed.has(n));
    const noteCluster = (cl: any, old?: any) => {
      const name = cl.metadata.name as string;
      const now = performance.now();
      if (active && name === active.cluster) {
        if (active.detect === undefined && readyCond(cl) !== 'True') active.detect = now - active.t0;
        const effects = new Set(taintsOf(cl).map((t) => t.effect));
        if (active.noSchedule === undefined && effects.has('NoSchedule')) active.noSchedule = now - active.t0;
        if (active.noExecute === undefined && effects.has('NoExecute')) active.noExecute = now - active.t0;
        return;
      }
      if (failed.has(name) || fleetReadyAt === undefined) return;
      if (readyCond(old) === 'True' && readyCond(cl) !== 'True') falseDetections.push({ cluster: name, at: since(), phase, what: `Ready ${readyCond(cl)}` });
      const had = new Set(taintsOf(old).map((t) => `${t.key}:${t.effect}`));
      for (const t of taintsOf(cl)) if (!had.has(`${t.key}:${t.effect}`)) falseDetections.push({ cluster: name, at: since(), phase, what: `taint ${t.key}:${t.effect}` });
    };
    clusterInf.on({ add: (cl: any) => noteCluster(cl), update: (old: any, cl: any) => noteCluster(cl, old) });

    const targets = (b: any): { name: string; replicas: number }[] => b?.spec?.clusters ?? [];
    const noteBinding = (b: any) => {
      const name = b.metadata.name as string;
      const now = performance.now();
      const tasks: any[] = b.spec?.gracefulEvictionTasks ?? [];
      for (const t of tasks) {
        const key = `${name}|${t.fromCluster}`;
        if (fleetReadyAt !== undefined && !failed.has(t.fromCluster) && !(active && t.fromCluster === active.cluster) && !falseEvictions.has(key)) {
          falseEvictions.add(key);
          falseDetections.push({ cluster: t.fromCluster, at: since(), phase, what: `binding ${name} evicted` });
        }
      }
      if (!active || !active.affected.has(name)) return;
      const a = active;
      const tg = targets(b);
      const ms = now - a.t0;
      if (!a.evicted.has(name) && !tg.some((t) => t.name === a.cluster)) a.evicted.set(name, ms);
      const healthy = tg.filter((t) => !failed.has(t.name) && t.name !== a.cluster);
      if (!a.rescheduled.has(name) && healthy.reduce((s, t) => s + (t.replicas ?? 0), 0) >= R_ && healthy.length === tg.length) a.rescheduled.set(name, ms);
      const agg: any[] = b.status?.aggregatedStatus ?? [];
      const readyCp = agg.filter((x) => x.clusterName !== a.cluster && !failed.has(x.clusterName)).reduce((s, x) => s + (x.status?.readyReplicas ?? 0), 0);
      if (!a.cpReady.has(name) && a.evicted.has(name) && readyCp >= R_) a.cpReady.set(name, ms);
      if (!a.released.has(name) && a.evicted.has(name) && !tasks.some((t) => t.fromCluster === a.cluster)) a.released.set(name, ms);
    };
    bindingInf.on({ add: noteBinding, update: (_o: any, b: any) => noteBinding(b) });
    factory.start(abort.signal);
    await factory.synced();
    await waitFor(`${C} clusters Ready`, () => clusterInf.list().filter((cl: any) => readyCond(cl) === 'True').length === C, 300_000, 200);
    fleetReadyAt = performance.now();
    console.log(`  ${since()}: fleet up, ${C} clusters joined and Ready`);

    // Policies: one per group, Divided with equal static weights over its G clusters.
    for (let g = 0; g < groups; g++)
      await c.create(POLICIES, {
        apiVersion: 'policy.karmada.io/v1alpha1',
        kind: 'PropagationPolicy',
        metadata: { name: `failover-${g}`, namespace: 'default' },
        spec: {
          resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: { bench: 'failover', group: String(g) } } }],
          placement: {
            clusterAffinity: { clusterNames: groupOf(g) },
            replicaScheduling: {
              replicaSchedulingType: 'Divided',
              replicaDivisionPreference: 'Weighted',
              weightPreference: { staticWeightList: [{ targetCluster: { clusterNames: groupOf(g) }, weight: 1 }] },
            },
          },
        },
      });

    // Member-side counting from the simulator's own pod informers (no extra watches).
    const podsOf = (cl: SimCluster): Pod[] => cl.components?.pods.inNamespace('default') ?? [];
    const count = (clusterNames: string[], only?: Set<string>) => {
      const ready = new Map<string, number>();
      const live = new Map<string, number>();
      for (const n of clusterNames) {
        for (const p of podsOf(fleet.cluster(n))) {
          const app = p.metadata?.labels?.app;
          if (!app || !appIndex.has(app) || (only && !only.has(app)) || p.metadata?.deletionTimestamp) continue;
          live.set(app, (live.get(app) ?? 0) + 1);
          if (podReady(p)) ready.set(app, (ready.get(app) ?? 0) + 1);
        }
      }
      return { ready, live };
    };

    const tCreate = performance.now();
    let created = 0;
    await forEachLimit(apps, 4, async (name) => {
      for (let attempt = 0; ; attempt++) {
        try {
          await c.create(R.deployments, deployment(name, R_, { bench: 'failover', group: String(appGroup(appIndex.get(name)!)) }));
          created++;
          return;
        } catch (e) {
          if (isAlreadyExists(e)) return;
          if (attempt >= 3) throw e;
        }
      }
    });
    const createSecs = (performance.now() - tCreate) / 1000;
    console.log(`  ${since()}: ${created} Deployments created in ${round(createSecs, 1)} s; waiting for ${T * R_} replicas Ready on the members`);
    let lastProgress = 0;
    await waitFor(
      `all ${T * R_} replicas Ready`,
      () => {
        const { ready } = count(names);
        const total = [...ready.values()].reduce((a, b) => a + b, 0);
        if (performance.now() - lastProgress > 10_000) {
          lastProgress = performance.now();
          console.log(`  ${since()}: ${total} of ${T * R_} replicas Ready; ${falseDetections.length} false detections so far; ${lagNow()}; load ${loadavg()[0]!.toFixed(1)}`);
        }
        return apps.every((a) => (ready.get(a) ?? 0) >= R_);
      },
      quick ? 900_000 : 3_600_000,
      500,
    );
    const setupSecs = (performance.now() - tCreate) / 1000;
    console.log(`  ${since()}: all replicas Ready ${round(setupSecs, 1)} s after the first create`);
    report.add({ metric: `setup: ${T} Deployments → ${T * R_} replicas Ready`, value: round(setupSecs, 1), unit: 's' });
    // Wait for the control plane's view too (aggregated status), so the rounds start from a steady state.
    await waitFor(
      'bindings scheduled and aggregated',
      () => bindingInf.list().length >= T && bindingInf.list().every((b: any) => (b.status?.aggregatedStatus ?? []).reduce((s: number, x: any) => s + (x.status?.readyReplicas ?? 0), 0) >= R_),
      300_000,
      500,
    );

    // Restart the controller manager with the settings under measurement.
    ctl.child.kill('SIGTERM');
    await Promise.race([ctl.exited, sleep(15_000)]);
    if (ctl.child.exitCode === null) ctl.child.kill('SIGKILL');
    const tRestart = performance.now();
    ctl = await startControllers(graceMs, evictionTimeoutMs);
    console.log(`  ${since()}: controllers restarted with grace ${graceMs / 1000}s, eviction timeout ${evictionTimeoutMs / 1000}s (${Math.round((performance.now() - tRestart) / 1000)} s)`);
    phase = 'after restart';

    // Baseline: a Deployment created directly on a member (group 0, never failed), to its pod Ready.
    const direct: number[] = [];
    for (let i = 0; i < 5; i++) {
      const member = names[i % G]!;
      const cl = fleet.cluster(member);
      const e = loadKubeconfig(fleet.kubeconfigPath, { context: member });
      const mc = new KubeClient({ server: e.server, caPem: e.caPem, token: e.token, userAgent: 'bench-direct' });
      clients.push(mc);
      const name = `direct-${i}`;
      const t0 = performance.now();
      await mc.create(R.deployments, deployment(name, 1, { bench: 'direct' }));
      await waitFor(`${name} Ready`, () => podsOf(cl).some((p) => p.metadata?.labels?.app === name && podReady(p)), 60_000, 20);
      direct.push(performance.now() - t0);
    }
    const directP50 = median(direct);
    console.log(`  ${since()}: baseline direct Deployment → pod Ready on a member: p50 ${Math.round(directP50)} ms (${direct.map(Math.round).join(', ')})`);

    const adminToken = readFileSync(join(fleet.dataDir, `${SIM_ADMIN_TOKEN}.token`), 'utf8').trim();
    const dispatcher = new Agent({ connect: { ca: readFileSync(join(fleet.dataDir, 'pki', 'ca.crt'), 'utf8') } });
    /** What `flotilla sim fault CLUSTER MODE` does: POST to the simulator's admin endpoint. */
    const fault = async (cluster: string, mode: string) => {
      const res = await httpRequest(`${fleet.adminUrl}/clusters/${encodeURIComponent(cluster)}/fault`, {
        method: 'POST',
        dispatcher,
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ mode }),
      });
      const body = (await res.body.json()) as { message?: string };
      if (res.statusCode !== 200) throw new Error(`fault ${cluster} ${mode}: HTTP ${res.statusCode} ${body.message}`);
      return body.message;
    };

    /**
     * Waits until the fleet is steady: every healthy cluster Ready without taints, no eviction
     * task left, every Deployment with exactly its replicas live and Ready on healthy members.
     */
    const steady = async (): Promise<number | undefined> => {
      const s0 = performance.now();
      let why = '';
      let lastWhy = 0;
      while (performance.now() - s0 < 300_000) {
        const cls = clusterInf.list().filter((cl: any) => !failed.has(cl.metadata.name));
        const bad = cls.filter((cl: any) => readyCond(cl) !== 'True' || taintsOf(cl).length);
        const tasks = bindingInf.list().filter((b: any) => (b.spec?.gracefulEvictionTasks ?? []).length);
        const { ready, live } = count(healthyNames());
        const off = apps.filter((a) => (ready.get(a) ?? 0) !== R_ || (live.get(a) ?? 0) !== R_);
        if (!bad.length && !tasks.length && !off.length) return performance.now() - s0;
        why = `${bad.length} clusters not Ready or tainted, ${tasks.length} bindings with eviction tasks, ${off.length} Deployments not at ${R_} live+Ready`;
        if (performance.now() - lastWhy > 10_000) {
          lastWhy = performance.now();
          console.log(`  ${since()}: waiting for a steady fleet: ${why}`);
        }
        await sleep(500);
      }
      console.log(`  not steady: ${why}`);
      return undefined;
    };

    const results: RoundResult[] = [];
    for (let r = 0; r < rounds; r++) {
      const g = 1 + r;
      const victim = groupOf(g)[Math.min(1, G - 1)]!; // member7 in the first round with groups of 5
      const groupNames = groupOf(g);
      phase = `before round ${r + 1}`;
      const steadyMs = await steady();
      console.log(`  ${since()}: ${steadyMs === undefined ? 'NOT steady after 300 s, going ahead' : `steady (${Math.round(steadyMs / 1000)} s wait)`}; ${lagNow()}`);
      phase = `round ${r + 1}`;
      const affected = new Set<string>();
      const appOf = new Map<string, string>();
      for (const b of bindingInf.list()) {
        if (targets(b).some((t) => t.name === victim && t.replicas > 0)) {
          affected.add(b.metadata.name);
          appOf.set(b.metadata.name, b.spec.resource.name);
        }
      }
      const affectedApps = new Set(appOf.values());
      const loop = monitorEventLoopDelay({ resolution: 20 });
      loop.enable();
      const load = loadavg().map((l) => l.toFixed(2)).join(' ');
      const t0 = performance.now();
      const msg = await fault(victim, 'down');
      const a: Active = { cluster: victim, t0, affected, appOf, evicted: new Map(), rescheduled: new Map(), cpReady: new Map(), released: new Map(), ready: new Map() };
      failed.add(victim);
      active = a;
      console.log(`\n  round ${r + 1}: ${msg} (${Math.round(performance.now() - t0)} ms); ${affected.size} Deployments affected; load ${load}`);
      let peakDeficit = 0;
      let peakSurplusPods = 0;
      let peakSurplusReady = 0;
      let initialDeficit = -1;
      let fleetPeakDeficit = 0;
      let fleetPeakSurplus = 0;
      let lastFleet = 0;
      let lastLog = performance.now();
      const deadline = t0 + graceMs + evictionTimeoutMs + (quick ? 90_000 : 240_000);
      const done = () =>
        a.ready.size >= affectedApps.size && a.evicted.size >= affected.size && a.cpReady.size >= affected.size && a.released.size >= affected.size;
      while (!done() && performance.now() < deadline) {
        const now = performance.now();
        const healthyGroup = groupNames.filter((n) => !failed.has(n));
        const { ready, live } = count(healthyGroup, affectedApps);
        let deficit = 0;
        let surplusPods = 0;
        let surplusReady = 0;
        for (const app of affectedApps) {
          const rd = ready.get(app) ?? 0;
          deficit += Math.max(0, R_ - rd);
          surplusPods += Math.max(0, (live.get(app) ?? 0) - R_);
          surplusReady += Math.max(0, rd - R_);
          if (rd >= R_ && !a.ready.has(app)) a.ready.set(app, now - t0);
        }
        if (initialDeficit < 0) initialDeficit = deficit;
        peakDeficit = Math.max(peakDeficit, deficit);
        peakSurplusPods = Math.max(peakSurplusPods, surplusPods);
        peakSurplusReady = Math.max(peakSurplusReady, surplusReady);
        if (now - lastFleet > 1_000) {
          lastFleet = now;
          const all = count(healthyNames());
          let fd = 0;
          let fs = 0;
          for (const app of apps) {
            fd += Math.max(0, R_ - (all.ready.get(app) ?? 0));
            fs += Math.max(0, (all.live.get(app) ?? 0) - R_);
          }
          fleetPeakDeficit = Math.max(fleetPeakDeficit, fd);
          fleetPeakSurplus = Math.max(fleetPeakSurplus, fs);
        }
        if (now - lastLog > 5_000) {
          lastLog = now;
          const cl = clusterInf.getByName(undefined, victim);
          console.log(
            `    +${round((now - t0) / 1000, 1)} s: Ready=${readyCond(cl)} taints=[${taintsOf(cl).map((t) => t.effect).join(',')}] evicted ${a.evicted.size}/${affected.size} ` +
              `rescheduled ${a.rescheduled.size} ready-elsewhere ${a.ready.size}/${affectedApps.size} (cp ${a.cpReady.size}) released ${a.released.size} deficit ${deficit}`,
          );
        }
        await sleep(100);
      }
      active = undefined;
      loop.disable();
      const missing = (m: Map<string, number>, n: number, what: string) => (m.size < n ? [`${what} ${m.size}/${n}`] : []);
      const last = (m: Map<string, number>, n: number) => (m.size >= n && n > 0 ? Math.max(...m.values()) : undefined);
      const res: RoundResult = {
        cluster: victim,
        affected: affected.size,
        detect: a.detect,
        noSchedule: a.noSchedule,
        noExecute: a.noExecute,
        evictFirst: a.evicted.size ? Math.min(...a.evicted.values()) : undefined,
        evictLast: last(a.evicted, affected.size),
        rescheduledLast: last(a.rescheduled, affected.size),
        readyMedian: a.ready.size ? median([...a.ready.values()]) : undefined,
        readyLast: last(a.ready, affectedApps.size),
        cpReadyLast: last(a.cpReady, affected.size),
        releasedLast: last(a.released, affected.size),
        initialDeficit: Math.max(0, initialDeficit),
        peakDeficit,
        peakSurplusPods,
        peakSurplusReady,
        fleetPeakDeficit,
        fleetPeakSurplus,
        incomplete: [
          ...missing(a.evicted, affected.size, 'evicted'),
          ...missing(a.rescheduled, affected.size, 'rescheduled'),
          ...missing(a.ready, affectedApps.size, 'ready elsewhere'),
          ...missing(a.cpReady, affected.size, 'control-plane ready'),
          ...missing(a.released, affected.size, 'released'),
        ],
        loopDelayP99: loop.percentile(99) / 1e6,
        loopDelayMax: loop.max / 1e6,
        load,
      };
      results.push(res);
      const s = (v?: number) => (v === undefined ? '—' : `${round(v / 1000, 2)} s`);
      const afterNE = (v?: number) => (v === undefined || res.noExecute === undefined ? '—' : `${round((v - res.noExecute) / 1000, 2)} s`);
      console.log(
        `  round ${r + 1} (${victim}): detection ${s(res.detect)}, NoSchedule ${s(res.noSchedule)}, NoExecute ${s(res.noExecute)}, ` +
          `evicted ${s(res.evictFirst)}..${s(res.evictLast)} (${afterNE(res.evictLast)} after NoExecute), rescheduled ${afterNE(res.rescheduledLast)}, ` +
          `Ready elsewhere p50 ${afterNE(res.readyMedian)} / all ${afterNE(res.readyLast)} after NoExecute (control plane sees it ${afterNE(res.cpReadyLast)}), ` +
          `old copies released ${afterNE(res.releasedLast)}; deficit initial ${res.initialDeficit} peak ${res.peakDeficit}, surplus pods ${res.peakSurplusPods} ready ${res.peakSurplusReady}; ` +
          `fleet peak deficit ${res.fleetPeakDeficit} surplus ${res.fleetPeakSurplus}; bench event loop p99 ${round(res.loopDelayP99)} ms max ${round(res.loopDelayMax)} ms` +
          (res.incomplete.length ? `; INCOMPLETE: ${res.incomplete.join(', ')}` : ''),
      );
    }
    await dispatcher.close();

    // Medians over rounds.
    const med = (f: (r: RoundResult) => number | undefined) => {
      const xs = results.map(f).filter((x): x is number => x !== undefined && Number.isFinite(x));
      return xs.length ? median(xs) : NaN;
    };
    const rel = (f: (r: RoundResult) => number | undefined) => med((r) => (f(r) === undefined || r.noExecute === undefined ? undefined : f(r)! - r.noExecute));
    const secs = (ms: number) => round(ms / 1000, 2);
    const rs = rounds > 1 ? ` (median of ${rounds})` : '';
    report.add({ metric: `detection: fault → Ready not True${rs}`, value: secs(med((r) => r.detect)), unit: 's', baseline: { metric: 'configured grace period', value: graceMs / 1000, unit: 's' } });
    report.add({ metric: `fault → NoSchedule taint`, value: secs(med((r) => r.noSchedule)), unit: 's' });
    report.add({
      metric: `fault → NoExecute taint (eviction timeout fires)`,
      value: secs(med((r) => r.noExecute)),
      unit: 's',
      baseline: { metric: 'grace period + eviction timeout', value: (graceMs + evictionTimeoutMs) / 1000, unit: 's' },
    });
    report.add({ metric: `NoExecute → first binding evicted`, value: secs(rel((r) => r.evictFirst)), unit: 's' });
    report.add({ metric: `NoExecute → last binding evicted`, value: secs(rel((r) => r.evictLast)), unit: 's', baseline: { metric: `${med((r) => r.affected)} bindings at --eviction-rate`, value: round(med((r) => r.affected) / evictionRate, 2), unit: 's' } });
    report.add({ metric: `NoExecute → last binding rescheduled`, value: secs(rel((r) => r.rescheduledLast)), unit: 's' });
    report.add({ metric: `NoExecute → Ready elsewhere, p50 Deployment`, value: secs(rel((r) => r.readyMedian)), unit: 's', baseline: { metric: 'direct Deployment → pod Ready on a member p50', value: secs(directP50), unit: 's' } });
    report.add({ metric: `NoExecute → every affected replica Ready elsewhere`, value: secs(rel((r) => r.readyLast)), unit: 's', target: '<= 10 s' });
    report.add({ metric: `fault → every affected replica Ready elsewhere`, value: secs(med((r) => r.readyLast)), unit: 's', baseline: { metric: 'grace + eviction timeout', value: (graceMs + evictionTimeoutMs) / 1000, unit: 's' } });
    report.add({ metric: `NoExecute → control plane shows all Ready (aggregatedStatus)`, value: secs(rel((r) => r.cpReadyLast)), unit: 's' });
    report.add({ metric: `NoExecute → old copies released (eviction tasks gone)`, value: secs(rel((r) => r.releasedLast)), unit: 's' });
    report.add({ metric: `peak replica deficit (affected Deployments)`, value: med((r) => r.peakDeficit), unit: 'replicas', baseline: { metric: 'replicas on the failed cluster', value: med((r) => r.initialDeficit), unit: 'replicas' } });
    report.add({ metric: `peak replica surplus, live pods on healthy members`, value: med((r) => r.peakSurplusPods), unit: 'replicas' });
    report.add({ metric: `peak replica surplus, Ready pods`, value: med((r) => r.peakSurplusReady), unit: 'replicas' });
    report.add({ metric: `fleet-wide peak deficit / surplus (1 s samples)`, value: med((r) => r.fleetPeakDeficit), unit: 'replicas', target: `surplus ${med((r) => r.fleetPeakSurplus)}` });
    const inRounds = falseDetections.filter((f) => f.phase.startsWith('round')).length;
    report.add({ metric: `false detections during the rounds`, value: inRounds, unit: 'events', target: '0' });
    report.add({ metric: `false detections during setup / settling`, value: falseDetections.length - inRounds, unit: 'events', target: '0' });
    report.add({ metric: `bench process event loop delay p99 during rounds`, value: round(med((r) => r.loopDelayP99)), unit: 'ms' });
    report.params.rounds_detail = results;
    report.params.falseDetections = falseDetections;
    report.params.directPodReadyMs = direct.map(Math.round);
    report.params.loadAtEnd = loadavg();
    for (const f of falseDetections.slice(0, 40)) console.log(`  FALSE DETECTION (${f.phase}): ${f.cluster} at ${f.at}: ${f.what}`);
    if (falseDetections.length > 40) console.log(`  ... and ${falseDetections.length - 40} more (all in bench/results/failover.json)`);
    console.log(`results: ${report.write()}`);
  } finally {
    abort.abort();
    for (const cl of clients) await cl.close().catch(() => {});
    for (const p of procs.reverse()) {
      if (p.child.exitCode === null) {
        p.child.kill('SIGTERM');
        await Promise.race([p.exited, sleep(10_000)]);
        if (p.child.exitCode === null) p.child.kill('SIGKILL');
      }
    }
    await sims?.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}
