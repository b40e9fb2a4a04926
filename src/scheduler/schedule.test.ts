import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { schedule } from './schedule.js';
import { asRecord, binding, cluster, DYNAMIC, staticWeights } from './testing.js';
import type { ClusterAffinityTerm, ClusterSnapshot, Placement } from './types.js';

const regions = (): ClusterSnapshot[] => [
  cluster('cn-1', { region: 'cn', labels: { region: 'cn' }, free: 2 }),
  cluster('cn-2', { region: 'cn', labels: { region: 'cn' }, free: 2 }),
  cluster('us-1', { region: 'us', labels: { region: 'us' }, free: 50 }),
  cluster('eu-1', { region: 'eu', labels: { region: 'eu' }, free: 50 }),
];
const term = (affinityName: string, region: string): ClusterAffinityTerm => ({ affinityName, labelSelector: { matchLabels: { region } } });
const terms: Placement = { clusterAffinities: [term('primary', 'cn'), term('backup', 'us'), term('last', 'eu')], replicaScheduling: DYNAMIC };

describe('clusterAffinities', () => {
  it('falls through the terms in order; the first that schedules wins and is recorded', () => {
    const d = schedule(binding(terms, 10), regions());
    assert.equal(d.error, undefined);
    assert.equal(d.affinityName, 'backup');
    assert.deepEqual(asRecord(d.clusters), { 'us-1': 10 });
    assert.deepEqual(
      d.explanation.affinityAttempts?.map((a) => [a.name, a.scheduled]),
      [
        ['primary', false],
        ['backup', true],
      ],
    );
    assert.match(d.explanation.affinityAttempts![0]!.message!, /needs 10 replicas, the 2 feasible clusters have room for 4/);
    assert.match(d.explanation.summary, /\(affinity "backup"\)/);
  });

  it('starts from the recorded term: no automatic fall-back to an earlier one (kar#7717)', () => {
    const d = schedule(binding(terms, 3, { schedulerObservingAffinityName: 'backup' }), regions());
    assert.equal(d.affinityName, 'backup');
    assert.deepEqual(d.explanation.affinityAttempts?.map((a) => a.name), ['backup']);
  });

  it('a requested reschedule starts again from the first term', () => {
    const d = schedule(
      binding(terms, 3, {
        schedulerObservingAffinityName: 'backup',
        currentClusters: [{ name: 'us-1', replicas: 3 }],
        rescheduleTriggeredAt: '2025-03-02T00:00:00Z',
        lastScheduledTime: '2025-03-01T00:00:00Z',
      }),
      regions(),
    );
    assert.equal(d.affinityName, 'primary');
    // 3 over two equal clusters: the odd replica follows the UID parity ('binding-uid' is odd).
    assert.deepEqual(asRecord(d.clusters), { 'cn-1': 1, 'cn-2': 2 });
  });

  it('an unknown recorded name starts from the first term', () => {
    assert.equal(schedule(binding(terms, 3, { schedulerObservingAffinityName: 'gone' }), regions()).affinityName, 'primary');
  });

  it('when every term fails: the first failure is reported and the recorded term stays', () => {
    const d = schedule(binding(terms, 500, { schedulerObservingAffinityName: 'backup', currentClusters: [{ name: 'us-1', replicas: 3 }] }), regions());
    assert.equal(d.error?.reason, 'Unschedulable');
    assert.equal(d.affinityName, 'backup');
    assert.match(d.error!.message, /^needs 497 more replicas \(500 wanted, 3 already placed\), the 1 feasible cluster has room for 50 \(tried affinity "backup", "last"\)$/);
    assert.deepEqual(asRecord(d.clusters), { 'us-1': 3 });
  });
});

describe('filters end to end', () => {
  const fleet = (): ClusterSnapshot[] => [
    cluster('member1', { labels: { env: 'prod' }, free: 10 }),
    cluster('member2', { labels: { env: 'prod' }, free: 10, taints: [{ key: 'maintenance', effect: 'NoSchedule' }] }),
    cluster('member3', { labels: { env: 'dev' }, free: 10 }),
  ];

  it('clusterAffinity by label picks only labelled clusters; a tainted one is skipped', () => {
    const d = schedule(binding({ clusterAffinity: { labelSelector: { matchLabels: { env: 'prod' } } } }, 2), fleet());
    assert.deepEqual(asRecord(d.clusters), { member1: 2 });
    const why = Object.fromEntries(d.explanation.clusters.map((c) => [c.name, c.filter?.plugin ?? c.outcome]));
    assert.deepEqual(why, { member1: 'selected', member2: 'TaintToleration', member3: 'ClusterAffinity' });
    assert.equal(d.explanation.summary, 'Scheduled 2 replicas to each of 1/3 clusters: member1; filtered: member2 (TaintToleration), member3 (ClusterAffinity)');
  });

  it('a tolerated taint lets the cluster in', () => {
    const p: Placement = { clusterAffinity: { labelSelector: { matchLabels: { env: 'prod' } } }, clusterTolerations: [{ key: 'maintenance', operator: 'Exists' }] };
    assert.deepEqual(asRecord(schedule(binding(p, 2), fleet()).clusters), { member1: 2, member2: 2 });
  });

  it('NoClusterFit: Karmada\'s histogram message, and the result is cleared', () => {
    const d = schedule(binding({ clusterAffinity: { labelSelector: { matchLabels: { env: 'qa' } } } }, 2, { currentClusters: [{ name: 'member1', replicas: 2 }] }), fleet());
    assert.equal(d.error?.reason, 'NoClusterFit');
    assert.equal(d.error?.message, '0/3 clusters are available: 3 cluster(s) did not match the placement cluster affinity constraint.');
    assert.deepEqual(d.clusters, []);
  });

  it('mixed reasons are counted per reason', () => {
    const p: Placement = { clusterAffinity: { clusterNames: ['member2', 'member3'] } };
    // member3 is being evicted and its API is gone too: the first reason that applies is counted.
    const clusters = fleet().map((c) => (c.name === 'member3' ? { ...c, apiEnablements: [] } : c));
    const d = schedule(binding(p, 1, { gracefulEvictionTasks: [{ fromCluster: 'member3' }] }), clusters);
    assert.equal(
      d.error?.message,
      '0/3 clusters are available: 1 cluster(s) did not have the API resource, 1 cluster(s) did not match the placement cluster affinity constraint, 1 cluster(s) had untolerated taint {maintenance:NoSchedule}.',
    );
  });
});

describe('clusters being evicted from', () => {
  const p: Placement = { clusterAffinity: { clusterNames: ['a', 'b'] }, replicaScheduling: DYNAMIC };
  const tasks = [{ fromCluster: 'a' }, { fromCluster: 'b' }];

  it('are not targets while another cluster fits (ClusterEviction, as Karmada)', () => {
    const d = schedule(binding({ clusterAffinity: { clusterNames: ['a', 'b', 'c'] } }, 2, { gracefulEvictionTasks: [{ fromCluster: 'a' }] }), [cluster('a', { free: 10 }), cluster('b', { free: 10 }), cluster('c', { free: 10 })]);
    assert.deepEqual(Object.keys(asRecord(d.clusters)).sort(), ['b', 'c']);
  });

  it('are offered again once recovered when nothing else fits, instead of waiting out the eviction timeout', () => {
    const recovered = [cluster('a', { free: 10 }), cluster('b', { free: 10, taints: [{ key: 'cluster.karmada.io/not-ready', effect: 'NoExecute' }] })];
    const d = schedule(binding(p, 4, { gracefulEvictionTasks: tasks }), recovered);
    assert.equal(d.error, undefined);
    assert.deepEqual(asRecord(d.clusters), { a: 4 });
  });

  it('stay out while none has recovered (not Ready, or still NoExecute-tainted)', () => {
    const sick = [cluster('a', { free: 10, ready: false }), cluster('b', { free: 10, taints: [{ key: 'cluster.karmada.io/unreachable', effect: 'NoExecute' }] })];
    const d = schedule(binding(p, 4, { gracefulEvictionTasks: tasks }), sick);
    assert.equal(d.error?.reason, 'NoClusterFit');
  });
});

describe('scores and explanation', () => {
  it('clusters running the workload score 100 (locality) and are explained with capacity', () => {
    const d = schedule(binding({ replicaScheduling: DYNAMIC }, 4, { currentClusters: [{ name: 'b', replicas: 2 }] }), [cluster('a', { free: 6 }), cluster('b', { free: 2 })]);
    const b = d.explanation.clusters.find((c) => c.name === 'b')!;
    assert.deepEqual(b.scores, { ClusterLocality: 100, Capacity: 33 });
    assert.equal(b.availableReplicas, 2);
    assert.equal(b.previousReplicas, 2);
    // The 2 new replicas by Webster over 6:2: a takes the first, then b wins the tie (fewer seats).
    assert.deepEqual(asRecord(d.clusters), { a: 1, b: 3 });
    assert.equal(d.explanation.division?.phase, 'scale-up');
    assert.deepEqual(d.explanation.division?.weights, [
      { name: 'a', weight: 6 },
      { name: 'b', weight: 2 },
    ]);
  });

  it('the capacity score can order clusters when asked to', () => {
    const p: Placement = { spreadConstraints: [{ spreadByField: 'cluster', minGroups: 1, maxGroups: 1 }], replicaScheduling: DYNAMIC };
    const fleet = [cluster('a', { free: 5 }), cluster('b', { free: 50 })];
    assert.deepEqual(asRecord(schedule(binding(p, 2), fleet).clusters), { a: 2 }); // Karmada: equal scores, by name
    assert.deepEqual(asRecord(schedule(binding(p, 2), fleet, { capacityScoreWeight: 1 }).clusters), { b: 2 });
  });

  it('reservations by other decisions are shown', async () => {
    const { ReservationLedger } = await import('./ledger.js');
    const ledger = new ReservationLedger();
    ledger.reserve('a', 'other', 3);
    const d = schedule(binding({ replicaScheduling: DYNAMIC }, 1), [cluster('a', { free: 5 })], { ledger });
    assert.equal(d.explanation.clusters[0]!.reservedReplicas, 3);
    assert.equal(d.explanation.clusters[0]!.availableReplicas, 2);
  });
});

describe('spread end to end', () => {
  const fleet = (): ClusterSnapshot[] => [
    cluster('eu-1', { region: 'eu', free: 10 }),
    cluster('eu-2', { region: 'eu', free: 10 }),
    cluster('us-1', { region: 'us', free: 10 }),
    cluster('ap-1', { region: 'ap', free: 10 }),
    cluster('nowhere', { free: 10 }),
  ];
  it('by region, minGroups = maxGroups = 2, lands in two regions', () => {
    const p: Placement = { spreadConstraints: [{ spreadByField: 'region', minGroups: 2, maxGroups: 2 }], replicaScheduling: DYNAMIC };
    const d = schedule(binding(p, 6), fleet());
    const regionsUsed = new Set(d.clusters.map((c) => fleet().find((f) => f.name === c.name)!.region));
    assert.equal(regionsUsed.size, 2);
    assert.equal(d.explanation.clusters.find((c) => c.name === 'nowhere')?.filter?.reason, "cluster(s) didn't have region property");
    assert.equal(d.explanation.spread?.chosenGroups?.length, 2);
  });
  it('a spread that cannot be met is a SchedulerError that keeps the previous result', () => {
    const p: Placement = { spreadConstraints: [{ spreadByField: 'region', minGroups: 4 }], replicaScheduling: DYNAMIC };
    const d = schedule(binding(p, 6, { currentClusters: [{ name: 'eu-1', replicas: 6 }] }), fleet());
    assert.equal(d.error?.reason, 'SchedulerError');
    assert.match(d.error!.message, /the number of feasible region is less than spreadConstraint\.MinGroups \(3 < 4\)/);
    assert.deepEqual(asRecord(d.clusters), { 'eu-1': 6 });
  });
  it('static weights ignore spread constraints', () => {
    const p: Placement = { spreadConstraints: [{ spreadByField: 'cluster', maxGroups: 1 }], replicaScheduling: staticWeights({ 'eu-1': 1, 'us-1': 1 }) };
    assert.deepEqual(asRecord(schedule(binding(p, 4), fleet()).clusters), { 'eu-1': 2, 'us-1': 2 });
  });
});

describe('scale', () => {
  it('decides 100,000 replicas over 100 clusters', () => {
    const fleet = Array.from({ length: 100 }, (_, i) => cluster(`c${String(i).padStart(3, '0')}`, { free: 1000 + i * 10 }));
    const d = schedule(binding({ replicaScheduling: DYNAMIC }, 100_000), fleet);
    assert.equal(d.error, undefined);
    assert.equal(d.clusters.reduce((s, c) => s + c.replicas, 0), 100_000);
    for (const c of d.clusters) assert.ok(c.replicas <= 1000 + Number(c.name.slice(1)) * 10);
  });
});
