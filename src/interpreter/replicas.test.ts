import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';
import { divideJobCompletions, fnv1a32, websterDivide } from './job-completions.js';
import { getReplicas, podResourceRequest, reviseReplica } from './replicas.js';
import type { JsonObject, ReplicaResult } from './types.js';

const c = (name: string, requests?: Record<string, string>, extra: Partial<Container> = {}): Container => ({
  name,
  image: 'x',
  ...(requests ? { resources: { requests } } : {}),
  ...extra,
});

const podSpec = (containers: Container[], extra: Partial<PodSpec> = {}): PodSpec => ({ containers, ...extra });

const workload = (apiVersion: string, kind: string, spec: JsonObject, ns = 'prod'): JsonObject => ({
  apiVersion,
  kind,
  metadata: { name: 'w', namespace: ns },
  spec,
});

const deploy = (replicas: number | undefined, spec: PodSpec = podSpec([c('app', { cpu: '250m', memory: '64Mi' })])): JsonObject =>
  workload('apps/v1', 'Deployment', { ...(replicas === undefined ? {} : { replicas }), template: { spec } });

const job = (spec: JsonObject, pod: PodSpec = podSpec([c('app', { cpu: '1' })])): JsonObject => workload('batch/v1', 'Job', { ...spec, template: { spec: pod } });

describe('getReplicas', () => {
  const oneCpu = { resourceRequest: { cpu: '1' }, namespace: 'prod' };
  const table: { name: string; obj: JsonObject; want: ReplicaResult }[] = [
    {
      name: 'Deployment: spec.replicas and per-replica requests',
      obj: deploy(3),
      want: { replicas: 3, requirements: { resourceRequest: { cpu: '250m', memory: '64Mi' }, namespace: 'prod' } },
    },
    { name: 'Deployment: unset replicas is the API default 1', obj: deploy(undefined), want: { replicas: 1, requirements: { resourceRequest: { cpu: '250m', memory: '64Mi' }, namespace: 'prod' } } },
    { name: 'Deployment: zero replicas', obj: deploy(0), want: { replicas: 0, requirements: { resourceRequest: { cpu: '250m', memory: '64Mi' }, namespace: 'prod' } } },
    {
      name: 'StatefulSet',
      obj: workload('apps/v1', 'StatefulSet', { replicas: 2, template: { spec: podSpec([c('db', { cpu: '1' })]) } }),
      want: { replicas: 2, requirements: oneCpu },
    },
    {
      name: 'ReplicaSet',
      obj: workload('apps/v1', 'ReplicaSet', { replicas: 4, template: { spec: podSpec([c('a', { cpu: '1' })]) } }),
      want: { replicas: 4, requirements: oneCpu },
    },
    { name: 'Job: parallelism', obj: job({ parallelism: 2 }), want: { replicas: 2, requirements: oneCpu } },
    { name: 'Job: parallelism capped by completions', obj: job({ parallelism: 5, completions: 3 }), want: { replicas: 3, requirements: oneCpu } },
    { name: 'Job: completions above parallelism do not raise it', obj: job({ parallelism: 2, completions: 10 }), want: { replicas: 2, requirements: oneCpu } },
    { name: 'Job: unset parallelism defaults to 1', obj: job({ completions: 4 }), want: { replicas: 1, requirements: oneCpu } },
    { name: 'Job: parallelism 0 (suspended-style)', obj: job({ parallelism: 0, completions: 3 }), want: { replicas: 0, requirements: oneCpu } },
    { name: 'Job: completions 0', obj: job({ parallelism: 3, completions: 0 }), want: { replicas: 0, requirements: oneCpu } },
    {
      name: 'Pod: always one replica',
      obj: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'prod' }, spec: podSpec([c('a', { cpu: '1' })]) },
      want: { replicas: 1, requirements: oneCpu },
    },
    {
      name: 'CronJob: no replica knowledge (Karmada), propagated whole',
      obj: workload('batch/v1', 'CronJob', { schedule: '* * * * *', jobTemplate: { spec: { parallelism: 3, template: { spec: podSpec([c('a', { cpu: '1' })]) } } } }),
      want: { replicas: 0 },
    },
    { name: 'DaemonSet: none', obj: workload('apps/v1', 'DaemonSet', { template: { spec: podSpec([c('a', { cpu: '1' })]) } }), want: { replicas: 0 } },
    { name: 'CRD without knowledge: none', obj: workload('example.io/v1', 'Widget', { replicas: 7 }), want: { replicas: 0 } },
    { name: 'ConfigMap: none', obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: {} }, want: { replicas: 0 } },
    { name: 'Deployment without requests or constraints: no requirements', obj: deploy(2, podSpec([c('a')])), want: { replicas: 2 } },
    {
      name: 'node claim only (selector, tolerations, hard affinity), priority class',
      obj: deploy(
        1,
        podSpec([c('a')], {
          nodeSelector: { disk: 'ssd' },
          tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }],
          priorityClassName: 'high',
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] },
              preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'x', operator: 'Exists' }] } }],
            },
          },
        }),
      ),
      want: {
        replicas: 1,
        requirements: {
          nodeClaim: {
            nodeSelector: { disk: 'ssd' },
            tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }],
            hardNodeAffinity: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] },
          },
          namespace: 'prod',
          priorityClassName: 'high',
        },
      },
    },
    { name: 'soft affinity and empty selector are no claim', obj: deploy(1, podSpec([c('a')], { nodeSelector: {}, tolerations: [] })), want: { replicas: 1 } },
  ];
  for (const t of table) it(t.name, () => assert.deepEqual(getReplicas(t.obj), t.want));

  it('does not mutate its input', () => {
    const obj = deploy(3);
    const before = structuredClone(obj);
    getReplicas(obj);
    assert.deepEqual(obj, before);
  });
});

describe('podResourceRequest (per replica)', () => {
  const table: { name: string; spec: PodSpec; want: Record<string, string> | undefined }[] = [
    { name: 'nothing requested', spec: podSpec([c('a')]), want: undefined },
    { name: 'containers are summed', spec: podSpec([c('a', { cpu: '250m', memory: '64Mi' }), c('b', { cpu: '1250m', memory: '64Mi' })]), want: { cpu: '1500m', memory: '128Mi' } },
    { name: 'whole cores print without m', spec: podSpec([c('a', { cpu: '500m' }), c('b', { cpu: '1500m' })]), want: { cpu: '2' } },
    {
      name: 'init containers: max, not sum',
      spec: podSpec([c('a', { cpu: '100m', memory: '1Gi' })], { initContainers: [c('i1', { cpu: '2', memory: '100Mi' }), c('i2', { cpu: '1' })] }),
      want: { cpu: '2', memory: '1Gi' },
    },
    {
      name: 'requests default to limits (per resource)',
      spec: podSpec([c('a', { cpu: '100m' }, { resources: { requests: { cpu: '100m' }, limits: { cpu: '1', memory: '256Mi' } } })]),
      want: { cpu: '100m', memory: '256Mi' },
    },
    {
      name: 'init container limits default its requests too',
      spec: podSpec([c('a', { cpu: '100m' })], { initContainers: [{ name: 'i', image: 'x', resources: { limits: { cpu: '3' } } }] }),
      want: { cpu: '3' },
    },
    {
      name: 'sidecars (restartable init containers) run next to the app',
      spec: podSpec([c('a', { cpu: '500m' })], { initContainers: [c('proxy', { cpu: '200m' }, { restartPolicy: 'Always' })] }),
      want: { cpu: '700m' },
    },
    { name: 'pod overhead is added', spec: podSpec([c('a', { cpu: '1' })], { overhead: { cpu: '250m', memory: '120Mi' } }), want: { cpu: '1250m', memory: '120Mi' } },
    { name: 'extended resources and ephemeral storage', spec: podSpec([c('a', { 'nvidia.com/gpu': '2', 'ephemeral-storage': '1Gi' }), c('b', { 'nvidia.com/gpu': '1' })]), want: { 'ephemeral-storage': '1Gi', 'nvidia.com/gpu': '3' } },
    { name: 'explicit zero requests are dropped', spec: podSpec([c('a', { cpu: '0', memory: '32Mi' })]), want: { memory: '32Mi' } },
    // Karmada builds memory as a BinarySI quantity: 1G is no multiple of 1024, so it prints as bytes.
    { name: 'memory is BinarySI (as Karmada): 1G prints as bytes', spec: podSpec([c('a', { memory: '1G' })]), want: { memory: '1000000000' } },
  ];
  for (const t of table) it(t.name, () => assert.deepEqual(podResourceRequest(t.spec), t.want));
});

describe('reviseReplica', () => {
  it('sets spec.replicas on Deployment, StatefulSet and ReplicaSet without touching the input', () => {
    for (const kind of ['Deployment', 'StatefulSet', 'ReplicaSet']) {
      const obj = workload('apps/v1', kind, { replicas: 6, template: {} });
      const before = structuredClone(obj);
      const out = reviseReplica(obj, 2);
      assert.equal((out['spec'] as JsonObject)['replicas'], 2, kind);
      assert.deepEqual(obj, before, `${kind} input untouched`);
    }
  });
  it('sets replicas even when the template left it unset', () => {
    assert.equal((reviseReplica(workload('apps/v1', 'Deployment', {}), 3)['spec'] as JsonObject)['replicas'], 3);
  });
  it('Job: parallelism, and completions only when given', () => {
    const j = job({ parallelism: 6, completions: 12 });
    assert.deepEqual(reviseReplica(j, 2)['spec'], { ...(j['spec'] as JsonObject), parallelism: 2 });
    assert.deepEqual(reviseReplica(j, 2, { completions: 4 })['spec'], { ...(j['spec'] as JsonObject), parallelism: 2, completions: 4 });
  });
  it('kinds without replica knowledge come back as an equal copy', () => {
    for (const obj of [workload('apps/v1', 'DaemonSet', { template: {} }), workload('batch/v1', 'CronJob', {}), workload('example.io/v1', 'Widget', { replicas: 3 })]) {
      const out = reviseReplica(obj, 9);
      assert.deepEqual(out, obj);
      assert.notEqual(out, obj);
    }
  });
});

describe('job completions (Webster)', () => {
  it('FNV-1a 32 test vectors', () => {
    assert.equal(fnv1a32(''), 0x811c9dc5);
    assert.equal(fnv1a32('a'), 0xe40c292c);
    assert.equal(fnv1a32('foobar'), 0xbf9cf968);
  });
  const w = (...weights: number[]) => weights.map((replicas, i) => ({ name: `m${i + 1}`, replicas }));
  const seats = (r: { replicas: number }[]) => r.map((x) => x.replicas);
  const table: { seats: number; weights: number[]; want: number[] }[] = [
    { seats: 12, weights: [3, 2, 1], want: [6, 4, 2] },
    { seats: 13, weights: [3, 2, 1], want: [7, 4, 2] },
    { seats: 14, weights: [3, 2, 1], want: [7, 5, 2] },
    { seats: 1, weights: [2, 1], want: [1, 0] },
    { seats: 2, weights: [2, 1], want: [1, 1] },
    { seats: 3, weights: [2, 1], want: [2, 1] },
    { seats: 0, weights: [2, 1], want: [0, 0] },
    { seats: 10, weights: [5, 5], want: [5, 5] },
  ];
  for (const t of table) {
    it(`${t.seats} seats at ${t.weights.join(':')} → ${t.want.join('/')}`, () => assert.deepEqual(seats(websterDivide(t.seats, w(...t.weights))), t.want));
  }
  it('house-monotone: more seats never take any away', () => {
    let prev = seats(websterDivide(0, w(7, 3, 2)));
    for (let n = 1; n <= 40; n++) {
      const next = seats(websterDivide(n, w(7, 3, 2)));
      next.forEach((v, i) => assert.ok(v >= prev[i]!, `n=${n}`));
      prev = next;
    }
  });
  it('ties go to the smaller name, or the larger one when the UID hash is odd', () => {
    const parties = [{ name: 'b', replicas: 1 }, { name: 'a', replicas: 1 }];
    assert.deepEqual(websterDivide(1, parties), [{ name: 'a', replicas: 1 }, { name: 'b', replicas: 0 }]);
    assert.deepEqual(websterDivide(1, parties, 'uid-2'), [{ name: 'a', replicas: 1 }, { name: 'b', replicas: 0 }]);
    assert.deepEqual(websterDivide(1, parties, 'uid-1'), [{ name: 'a', replicas: 0 }, { name: 'b', replicas: 1 }]);
  });
  it('divideJobCompletions follows the parallelism split; none without completions', () => {
    const j = { ...job({ parallelism: 6, completions: 9 }), metadata: { name: 'j', uid: 'uid-2' } };
    assert.deepEqual(divideJobCompletions(j, [{ name: 'm1', replicas: 4 }, { name: 'm2', replicas: 2 }]), [
      { name: 'm1', replicas: 6 },
      { name: 'm2', replicas: 3 },
    ]);
    assert.equal(divideJobCompletions(job({ parallelism: 6 }), [{ name: 'm1', replicas: 6 }]), undefined);
  });
});
