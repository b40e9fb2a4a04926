// Failover end to end (issue #7): `flotilla up --sim 3` with short health timings, faults injected
// with `flotilla sim fault`, everything checked with the real kubectl on the control plane and on
// the members.
//
// Timings: probes every 1 s, a cluster is not Ready 5 s after its last good probe, NoExecute 3 s
// later, stabilisation 3 s. The controllers run on the real clock (up has no time scale for them;
// --time-scale speeds up only the simulated kubelets), so the toleration case uses
// tolerationSeconds: 12 instead of 60: it proves the same thing (the replicas stay put while the
// taint is tolerated, an untolerated workload on the same cluster has already left, and the
// eviction comes no earlier than the taint's timeAdded + tolerationSeconds) without waiting a
// minute. Every wait is "eventually" with a generous timeout (the CI machine has 2 busy cores).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventually as poll, startUp, type Up } from './up-harness.js';

const MEMBERS = ['member1', 'member2', 'member3'];
const TIMINGS = [
  '--cluster-monitor-period', '1s',
  '--cluster-grace-period', '5s',
  '--cluster-startup-grace-period', '15s',
  '--failover-eviction-timeout', '3s',
  '--cluster-stabilization', '3s',
  '--graceful-eviction-timeout', '3m',
];
/** Generous: health timings are seconds, but every step is a process and a kubectl on a loaded machine. */
const LONG = 120_000;

const eventually = <T>(what: string, fn: () => Promise<T | undefined | false | null>, ms = LONG) => poll(what, fn, ms);

const deploymentYaml = (name: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: main
        image: nginx:1.25
        resources: {requests: {cpu: 10m, memory: 16Mi}}
`;

/** Divided over the three members with equal weights (2/2/2 for 6 replicas), plus `extra` under spec. */
const policyYaml = (name: string, extra = '') => `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: ${name}}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: ${name}}]
  placement:
    clusterAffinity: {clusterNames: [member1, member2, member3]}
    replicaScheduling: {replicaSchedulingType: Divided, replicaDivisionPreference: Weighted}
${extra}`;

/** Pods in `cluster` never turn Ready: the simulator's ready-delay annotation on the pod template. */
const neverReadyIn = (name: string, cluster: string) => `apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: ${name}-sick-in-${cluster}}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: ${name}}]
  overrideRules:
  - targetCluster: {clusterNames: [${cluster}]}
    overriders:
      plaintext:
      - {path: /spec/template/metadata/annotations, operator: add, value: {"sim.flotilla.io/ready-delay": "1000h"}}
`;

const readyOf = (c: any) => c?.status?.conditions?.find((x: any) => x.type === 'Ready')?.status;

describe('failover through kubectl (flotilla up --sim 3, faults with flotilla sim fault)', () => {
  let up: Up;
  before(async () => {
    up = await startUp({ sim: 3, extra: TIMINGS, requestTimeout: '20s', timeoutMs: LONG });
    await allHealthy();
  });
  after(() => up?.stop());

  /** Every member Ready and without taints (so new workloads spread over all three). */
  async function allHealthy(): Promise<void> {
    await eventually('all clusters Ready and untainted', async () => {
      const l = await up.json('flotilla', ['get', 'clusters']);
      return l.items.length === 3 && l.items.every((c: any) => readyOf(c) === 'True' && !(c.spec.taints ?? []).length);
    });
  }
  const template = (name: string) => up.json('flotilla', ['get', 'deployment', name]);
  const binding = (name: string) => up.json('flotilla', ['get', 'rb', `${name}-deployment`]);
  const targets = async (name: string) => Object.fromEntries(((await binding(name)).spec.clusters ?? []).map((c: any) => [c.name, c.replicas ?? 0]));
  /** Ready replicas of the member copy; undefined when the member has no copy. */
  const readyIn = async (cluster: string, name: string): Promise<number | undefined> => {
    const d = await up.maybe(cluster, ['get', 'deployment', name]);
    return d ? (d.status?.readyReplicas ?? 0) : undefined;
  };
  /** Running, not terminating pods of the app in a member. */
  const runningPods = async (cluster: string, app: string) =>
    (await up.json(cluster, ['get', 'pods', '-l', `app=${app}`])).items.filter((p: any) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp).length;
  /**
   * The template's aggregated status says `want` replicas are ready (and, unless an old copy is
   * kept on purpose, that every replica is updated: nothing else is left over).
   */
  const rolledOut = (name: string, want: number, oldCopyKept = false) =>
    eventually(`${name} ready ${want}/${want} on the control plane`, async () => {
      const t = await template(name);
      if (t.status?.readyReplicas === want && (oldCopyKept || t.status?.updatedReplicas === want)) return t;
      throw new Error(`status ${JSON.stringify(t.status)}`);
    });
  const deploy = async (name: string, replicas: number, extraPolicy = '', overrides: string[] = []) => {
    for (const o of overrides) await up.k('flotilla', ['apply', '-f', '-'], o);
    await up.k('flotilla', ['apply', '-f', '-'], policyYaml(name, extraPolicy));
    await up.k('flotilla', ['apply', '-f', '-'], deploymentYaml(name, replicas));
  };

  it('a divided Deployment moves off a cluster that goes down, and readyReplicas returns to the total', async () => {
    await deploy('web', 6);
    await eventually('web 2/2/2', async () => {
      const t = await targets('web');
      return MEMBERS.every((m) => t[m] === 2) && t;
    });
    await rolledOut('web', 6);
    for (const m of MEMBERS) assert.equal(await readyIn(m, 'web'), 2, m);

    const t0 = Date.now();
    await up.fault('member2', 'down');
    const c = await eventually('member2 not Ready and tainted NoExecute', async () => {
      const c = await up.json('flotilla', ['get', 'cluster', 'member2']);
      return readyOf(c) !== 'True' && c.spec.taints?.some((x: any) => x.effect === 'NoExecute') && c;
    });
    assert.ok(c.spec.taints.some((x: any) => x.key === 'cluster.karmada.io/unreachable' && x.effect === 'NoExecute'));
    await eventually('web Ready 3+3 in member1 and member3', async () => (await readyIn('member1', 'web')) === 3 && (await readyIn('member3', 'web')) === 3);
    await rolledOut('web', 6);
    const moved = Date.now() - t0;
    const b = await binding('web');
    assert.deepEqual((b.spec.clusters ?? []).map((x: any) => x.name).sort(), ['member1', 'member3']);
    assert.ok(!(b.spec.gracefulEvictionTasks ?? []).length, 'the eviction task is gone once the replacements are ready');
    // Grace 5 s + eviction timeout 3 s + rollout; far more only on a very slow machine.
    console.log(`# web: member2 down → 6/6 ready in member1+member3 after ${(moved / 1000).toFixed(1)} s`);
  });

  it('member2 comes back: its old replicas are removed, nothing moves back', async () => {
    await up.fault('member2', 'up');
    await eventually('member2 Ready', async () => readyOf(await up.json('flotilla', ['get', 'cluster', 'member2'])) === 'True');
    await eventually('web gone from member2', async () => (await readyIn('member2', 'web')) === undefined && (await runningPods('member2', 'web')) === 0);
    // Once member2 is schedulable again (stabilisation over), the divided workload still stays put.
    await allHealthy();
    for (let i = 0; i < 5; i++) assert.deepEqual(await targets('web'), { member1: 3, member3: 3 });
    assert.equal((await template('web')).status.readyReplicas, 6);
  });

  it('a partitioned cluster whose pods keep running heals without the workload running more than desired', async () => {
    await allHealthy();
    await deploy('part', 6);
    await eventually('part 2/2/2', async () => {
      const t = await targets('part');
      return MEMBERS.every((m) => t[m] === 2) && t;
    });
    await rolledOut('part', 6);

    await up.fault('member3', 'partition');
    await eventually('part moved off member3', async () => {
      const t = await targets('part');
      return !('member3' in t) && (t.member1 ?? 0) + (t.member2 ?? 0) === 6 && t;
    });
    await eventually('part 6/6 in member1+member2', async () => (await readyIn('member1', 'part')) === 3 && (await readyIn('member2', 'part')) === 3);
    await rolledOut('part', 6);

    await up.fault('member3', 'heal');
    await eventually('member3 Ready', async () => readyOf(await up.json('flotilla', ['get', 'cluster', 'member3'])) === 'True');
    // The heal is processed when member3's old copy is gone (execution deletes it as soon as member3 answers).
    await eventually('the old copy in member3 removed', async () => (await readyIn('member3', 'part')) === undefined && (await runningPods('member3', 'part')) === 0);
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const counts = await Promise.all(MEMBERS.map((m) => runningPods(m, 'part')));
      samples.push(counts.reduce((a, b) => a + b, 0));
    }
    assert.ok(samples.every((n) => n === 6), `running pods across members after the heal: ${samples.join(', ')} (want 6)`);
    // The normal path removed the copy (its Work waited for member3): the split-brain sweeper,
    // which also looked at member3 when it turned Ready, found nothing to delete.
    const swept = (await up.json('flotilla', ['get', 'events', '-A'])).items.filter((e: any) => e.reason === 'SplitBrainCopyDeleted');
    assert.deepEqual(swept.map((e: any) => e.message), []);
  });

  it('a policy tolerating not-ready/unreachable NoExecute keeps its replicas in place for tolerationSeconds', async () => {
    await allHealthy();
    const T = 12;
    await deploy(
      'tol',
      6,
      `    clusterTolerations:
    - {key: cluster.karmada.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: ${T}}
    - {key: cluster.karmada.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: ${T}}
`,
    );
    await deploy('plain', 3);
    await eventually('tol 2/2/2 and plain 1/1/1', async () => {
      const [t, p] = [await targets('tol'), await targets('plain')];
      return MEMBERS.every((m) => t[m] === 2 && p[m] === 1);
    });
    await rolledOut('tol', 6);
    await rolledOut('plain', 3);

    await up.fault('member1', 'down');
    try {
      // The untolerated workload leaves as soon as the NoExecute taint is there ...
      await eventually('plain evicted from member1', async () => !('member1' in (await targets('plain'))));
      const cluster = await up.json('flotilla', ['get', 'cluster', 'member1']);
      const taint = cluster.spec.taints.find((x: any) => x.effect === 'NoExecute');
      assert.ok(taint?.timeAdded, 'NoExecute taint with timeAdded');
      const tainted = Date.parse(taint.timeAdded);
      // ... the tolerating one stays (checked right after, well inside its 12 s) ...
      const early = await binding('tol');
      if (Date.now() < tainted + (T - 4) * 1000) {
        assert.ok((early.spec.clusters ?? []).some((x: any) => x.name === 'member1'), 'tol still on member1 while tolerated');
        assert.ok(!(early.spec.gracefulEvictionTasks ?? []).some((x: any) => x.fromCluster === 'member1'));
        assert.equal(await readyIn('member2', 'tol'), 2, 'nothing moved to member2 yet');
      } else console.log(`# tol: the machine was too slow to look inside the ${T} s toleration; only its end is checked`);
      // ... and leaves once tolerationSeconds have passed since the taint was added.
      const b = await eventually('tol evicted from member1', async () => {
        const b = await binding('tol');
        return !(b.spec.clusters ?? []).some((x: any) => x.name === 'member1') && b;
      });
      const task = (b.spec.gracefulEvictionTasks ?? []).find((x: any) => x.fromCluster === 'member1');
      const evictedAt = task ? Date.parse(task.creationTimestamp) : Date.now();
      // creationTimestamp has second resolution: allow one second of truncation.
      assert.ok(evictedAt >= tainted + (T - 1) * 1000, `evicted ${(evictedAt - tainted) / 1000}s after the taint, tolerated ${T}s`);
      await eventually('tol 3+3 ready in member2 and member3', async () => (await readyIn('member2', 'tol')) === 3 && (await readyIn('member3', 'tol')) === 3);
      await rolledOut('tol', 6);
    } finally {
      await up.fault('member1', 'up');
    }
  });

  it('application failover moves a workload whose pods stay unhealthy in one cluster (purgeMode Gracefully)', async () => {
    await allHealthy();
    await deploy(
      'sick',
      6,
      `  failover:
    application:
      decisionConditions: {tolerationSeconds: 10}
      purgeMode: Gracefully
      gracePeriodSeconds: 120
`,
      [neverReadyIn('sick', 'member2')],
    );
    await eventually('sick 2/2/2', async () => {
      const t = await targets('sick');
      return MEMBERS.every((m) => t[m] === 2) && t;
    });
    const pod = await eventually('a sick pod in member2', async () => (await up.json('member2', ['get', 'pods', '-l', 'app=sick'])).items[0]);
    assert.equal(pod.metadata.annotations?.['sim.flotilla.io/ready-delay'], '1000h', 'member2 pods never Ready');
    await eventually('sick moved off member2', async () => {
      const t = await targets('sick');
      return !('member2' in t) && (t.member1 ?? 0) + (t.member3 ?? 0) === 6;
    });
    await rolledOut('sick', 6);
    await eventually('the unhealthy copy in member2 removed once the replacements are ready', async () => (await readyIn('member2', 'sick')) === undefined);
    const events = (await up.json('flotilla', ['get', 'events', '--field-selector', 'involvedObject.name=sick'])).items;
    assert.ok(events.some((e: any) => e.reason === 'EvictWorkloadFromClusterSucceed' && /member2/.test(e.message)), 'eviction event on the template');
  });

  it('purgeMode Never keeps the old copy until the eviction task is released', async () => {
    await allHealthy();
    await deploy(
      'keep',
      6,
      `  failover:
    application:
      decisionConditions: {tolerationSeconds: 10}
      purgeMode: Never
`,
      [neverReadyIn('keep', 'member3')],
    );
    await eventually('keep 2/2/2', async () => {
      const t = await targets('keep');
      return MEMBERS.every((m) => t[m] === 2) && t;
    });
    const b = await eventually('keep evicted from member3 with a suppressed task', async () => {
      const b = await binding('keep');
      const task = (b.spec.gracefulEvictionTasks ?? []).find((x: any) => x.fromCluster === 'member3');
      return !(b.spec.clusters ?? []).some((x: any) => x.name === 'member3') && task?.suppressDeletion === true && b;
    });
    assert.equal(b.spec.gracefulEvictionTasks.find((x: any) => x.fromCluster === 'member3').purgeMode, 'Never');
    // The status aggregates every Work of the binding, the kept one too (as Karmada does): its
    // replicas count as replicas, not as ready ones.
    await eventually('keep 3+3 ready in member1 and member2', async () => (await readyIn('member1', 'keep')) === 3 && (await readyIn('member2', 'keep')) === 3);
    await rolledOut('keep', 6, true);
    // Replacements ready, yet the old copy stays: only a person may release it.
    assert.ok((await readyIn('member3', 'keep')) !== undefined, 'old copy kept in member3');
    const again = await binding('keep');
    assert.ok(again.spec.gracefulEvictionTasks?.some((x: any) => x.fromCluster === 'member3'), 'task kept after the replacements are ready');
    assert.ok((await readyIn('member3', 'keep')) !== undefined, 'old copy still in member3');

    const i = again.spec.gracefulEvictionTasks.findIndex((x: any) => x.fromCluster === 'member3');
    await up.k('flotilla', ['patch', 'rb', 'keep-deployment', '--type=json', '-p', JSON.stringify([{ op: 'replace', path: `/spec/gracefulEvictionTasks/${i}/suppressDeletion`, value: false }])]);
    await eventually('old copy removed after release', async () => (await readyIn('member3', 'keep')) === undefined);
    const done = await binding('keep');
    assert.ok(!(done.spec.gracefulEvictionTasks ?? []).some((x: any) => x.fromCluster === 'member3'));
    assert.equal((await template('keep')).status.readyReplicas, 6);
  });
});
