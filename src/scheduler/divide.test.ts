// Replica division, table-tested against Karmada's documented results (karmada-api.md §3 and
// pkg/scheduler/core/assignment_test.go, with the post-v1.16 Webster values).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { strategyOf } from './divide.js';
import { schedule } from './schedule.js';
import { AGGREGATED, asRecord, binding, cluster, DYNAMIC, staticWeights } from './testing.js';
import type { ClusterSnapshot, ReplicaSchedulingStrategy, TargetCluster } from './types.js';

/** member1..memberN with these free pod counts. */
const fleet = (...free: number[]): ClusterSnapshot[] => free.map((f, i) => cluster(`member${i + 1}`, { free: f }));
const prev = (o: Record<string, number>): TargetCluster[] => Object.entries(o).map(([name, replicas]) => ({ name, replicas }));
const FRESH = { rescheduleTriggeredAt: '2025-01-02T00:00:00Z', lastScheduledTime: '2025-01-01T00:00:00Z' };

function run(strategy: ReplicaSchedulingStrategy, replicas: number, clusters: ClusterSnapshot[], extra = {}) {
  return schedule(binding({ replicaScheduling: strategy }, replicas, extra), clusters);
}

describe('strategyOf', () => {
  it('maps placements to Karmada strategies', () => {
    assert.equal(strategyOf({}), 'Duplicated');
    assert.equal(strategyOf({ replicaScheduling: { replicaSchedulingType: 'Duplicated' } }), 'Duplicated');
    assert.equal(strategyOf({ replicaScheduling: { replicaSchedulingType: 'Divided' } }), 'StaticWeight');
    assert.equal(strategyOf({ replicaScheduling: {} }), 'StaticWeight'); // CRD default Divided, webhook default Weighted
    assert.equal(strategyOf({ replicaScheduling: AGGREGATED }), 'Aggregated');
    assert.equal(strategyOf({ replicaScheduling: DYNAMIC }), 'DynamicWeight');
  });
});

describe('Duplicated', () => {
  it('gives every selected cluster all replicas', () => {
    assert.deepEqual(asRecord(run({ replicaSchedulingType: 'Duplicated' }, 2, fleet(0, 0)).clusters), { member1: 2, member2: 2 });
    assert.deepEqual(asRecord(schedule(binding({}, 3), fleet(1, 1)).clusters), { member1: 3, member2: 3 });
  });
});

describe('StaticWeight', () => {
  const w321 = staticWeights({ member1: 3, member2: 2, member3: 1 });
  const table: [string, ReplicaSchedulingStrategy, number, number, Record<string, number>][] = [
    ['12 at 3:2:1', w321, 3, 12, { member1: 6, member2: 4, member3: 2 }],
    ['13 at 3:2:1', w321, 3, 13, { member1: 7, member2: 4, member3: 2 }],
    ['14 at 3:2:1', w321, 3, 14, { member1: 7, member2: 5, member3: 2 }],
    ['1 at 2:1', staticWeights({ member1: 2, member2: 1 }), 2, 1, { member1: 1 }],
    ['2 at 2:1', staticWeights({ member1: 2, member2: 1 }), 2, 2, { member1: 1, member2: 1 }],
    ['3 at 2:1', staticWeights({ member1: 2, member2: 1 }), 2, 3, { member1: 2, member2: 1 }],
    ['12 with no weightPreference: equal', { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted' }, 3, 12, { member1: 4, member2: 4, member3: 4 }],
    ['a selected cluster without weight gets nothing', staticWeights({ member1: 1 }), 2, 2, { member1: 2 }],
    ['all weights 0 (no rule matches): all weigh 1', staticWeights({ other: 5 }), 2, 4, { member1: 2, member2: 2 }],
  ];
  for (const [name, strategy, n, replicas, want] of table) {
    it(name, () => assert.deepEqual(asRecord(run(strategy, replicas, fleet(...Array<number>(n).fill(100))).clusters), want));
  }
  it('a cluster matching several rules takes the largest weight', () => {
    const s: ReplicaSchedulingStrategy = {
      replicaSchedulingType: 'Divided',
      replicaDivisionPreference: 'Weighted',
      weightPreference: {
        staticWeightList: [
          { targetCluster: { clusterNames: ['member1'] }, weight: 1 },
          { targetCluster: { clusterNames: ['member2'] }, weight: 1 },
          { targetCluster: { clusterNames: ['member1'] }, weight: 2 },
        ],
      },
    };
    assert.deepEqual(asRecord(run(s, 3, fleet(10, 10)).clusters), { member1: 2, member2: 1 });
  });
  it('weights by label selector', () => {
    const s: ReplicaSchedulingStrategy = {
      replicaSchedulingType: 'Divided',
      weightPreference: {
        staticWeightList: [
          { targetCluster: { labelSelector: { matchLabels: { tier: 'big' } } }, weight: 3 },
          { targetCluster: { labelSelector: { matchLabels: { tier: 'small' } } }, weight: 1 },
        ],
      },
    };
    const clusters = [cluster('a', { labels: { tier: 'big' } }), cluster('b', { labels: { tier: 'small' } }), cluster('c', { labels: { tier: 'big' } })];
    assert.deepEqual(asRecord(run(s, 14, clusters).clusters), { a: 6, b: 2, c: 6 });
  });
  it('ignores capacity (as Karmada does) but says so', () => {
    const d = run(staticWeights({ member1: 1, member2: 1 }), 10, fleet(1, 100));
    assert.deepEqual(asRecord(d.clusters), { member1: 5, member2: 5 });
    assert.match(d.explanation.division?.note ?? '', /member1 get more replicas than they have room for/);
  });
  it('the odd replica between equal weights follows the UID parity', () => {
    const s = staticWeights({ member1: 1, member2: 1 });
    const odd = schedule(binding({ replicaScheduling: s }, 3, { resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'w', uid: 'uid-1' } }), fleet(9, 9));
    const even = schedule(binding({ replicaScheduling: s }, 3, { resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'w', uid: 'uid-2' } }), fleet(9, 9));
    assert.deepEqual(asRecord(odd.clusters), { member1: 1, member2: 2 });
    assert.deepEqual(asRecord(even.clusters), { member1: 2, member2: 1 });
  });
});

describe('dynamic weights and aggregated, steady mode', () => {
  const table: [string, ReplicaSchedulingStrategy, number[], Record<string, number>, number, Record<string, number>][] = [
    ['dynamic scale-down 12 -> 6 weighs the previous result', DYNAMIC, [1, 1, 1], { member1: 2, member2: 4, member3: 6 }, 6, { member1: 1, member2: 2, member3: 3 }],
    ['dynamic scale-up 12 -> 24, free 10/10/10', DYNAMIC, [10, 10, 10], { member1: 2, member2: 4, member3: 6 }, 24, { member1: 6, member2: 8, member3: 10 }],
    ['aggregated scale-down 12 -> 6 collapses onto the biggest', AGGREGATED, [1, 1, 1], { member1: 4, member2: 8 }, 6, { member2: 6 }],
    ['aggregated scale-down 12 -> 8', AGGREGATED, [100, 100], { member1: 4, member2: 8 }, 8, { member2: 8 }],
    ['aggregated scale-up 12 -> 24, free 4/6/8', AGGREGATED, [4, 6, 8], { member1: 4, member2: 8 }, 24, { member1: 7, member2: 12, member3: 5 }],
    ['aggregated scale-up 12 -> 24, free 6/6/20: the clusters in use suffice', AGGREGATED, [6, 6, 20], { member1: 4, member2: 8 }, 24, { member1: 10, member2: 14 }],
    ['first schedule, dynamic, free 6/8/10', DYNAMIC, [6, 8, 10], {}, 12, { member1: 3, member2: 4, member3: 5 }],
    ['first schedule, aggregated, free 6/8/10', AGGREGATED, [6, 8, 10], {}, 12, { member2: 5, member3: 7 }],
    ['first schedule, aggregated, free 12/8/10', AGGREGATED, [12, 8, 10], {}, 12, { member1: 12 }],
    ['unchanged total keeps the result', DYNAMIC, [0, 0, 0], { member1: 5, member2: 7 }, 12, { member1: 5, member2: 7 }],
  ];
  for (const [name, strategy, free, before, replicas, want] of table) {
    it(name, () => {
      const d = run(strategy, replicas, fleet(...free), { currentClusters: prev(before) });
      assert.equal(d.error, undefined, d.error?.message);
      assert.deepEqual(asRecord(d.clusters), want);
    });
  }

  it('scale-up only moves the increase: existing replicas stay where they are', () => {
    const d = run(DYNAMIC, 30, fleet(0, 50, 50), { currentClusters: prev({ member1: 10, member2: 5 }) });
    // 15 new replicas split 50:50; the odd one follows the UID parity ('binding-uid' hashes odd).
    assert.deepEqual(asRecord(d.clusters), { member1: 10, member2: 12, member3: 8 });
    assert.equal(d.explanation.division?.phase, 'scale-up');
    assert.deepEqual(d.explanation.division?.kept, [
      { name: 'member1', replicas: 10 },
      { name: 'member2', replicas: 5 },
    ]);
  });

  it('replicas on a cluster that is no longer a candidate are placed again', () => {
    // member2 left the fleet; its 8 replicas count as missing (Karmada test "cluster2 disappeared").
    const clusters = [cluster('member1', { free: 4 }), cluster('member3', { free: 8 }), cluster('member4', { free: 12 })];
    const d = run(AGGREGATED, 24, clusters, { currentClusters: prev({ member1: 4, member2: 8 }) });
    const r = asRecord(d.clusters);
    assert.equal(r['member2'], undefined);
    assert.equal(Object.values(r).reduce((a, b) => a + b, 0), 24);
    assert.ok(r['member1']! >= 4);
  });

  it('scale-down never puts replicas back on a cluster that no longer qualifies (kar#7109)', () => {
    // member2 is being evicted. Karmada weighs every previous cluster on scale-down and would
    // hand member2 2 of the 4; Flotilla weighs only candidates.
    const d = run(DYNAMIC, 4, fleet(10, 10), { currentClusters: prev({ member1: 8, member2: 9 }), gracefulEvictionTasks: [{ fromCluster: 'member2' }] });
    assert.deepEqual(asRecord(d.clusters), { member1: 4 });
    assert.equal(d.explanation.division?.phase, 'scale-down');
  });
});

describe('fresh mode (rescheduleTriggeredAt newer than lastScheduledTime)', () => {
  it('dynamic: weights are free plus held replicas, everything divided again', () => {
    const d = run(DYNAMIC, 12, fleet(6, 8, 10), FRESH);
    assert.deepEqual(asRecord(d.clusters), { member1: 3, member2: 4, member3: 5 });
    assert.equal(d.explanation.division?.mode, 'Fresh');
  });
  it('aggregated, free 6/8/10 -> {member3: 7, member2: 5}', () => {
    assert.deepEqual(asRecord(run(AGGREGATED, 12, fleet(6, 8, 10), FRESH).clusters), { member2: 5, member3: 7 });
  });
  it('aggregated, free 12/8/10 -> {member1: 12}', () => {
    assert.deepEqual(asRecord(run(AGGREGATED, 12, fleet(12, 8, 10), FRESH).clusters), { member1: 12 });
  });
  it('rebalances a lopsided result: held replicas count as capacity', () => {
    // member1 holds 12 with 0 free, member2 has 12 free: fresh weighs 12:12 and splits evenly.
    const d = run(DYNAMIC, 12, fleet(0, 12), { ...FRESH, currentClusters: prev({ member1: 12 }) });
    assert.deepEqual(asRecord(d.clusters), { member1: 6, member2: 6 });
  });
  it('steady when lastScheduledTime is newer, or missing', () => {
    const steady = run(DYNAMIC, 12, fleet(0, 12), { rescheduleTriggeredAt: '2025-01-01T00:00:00Z', lastScheduledTime: '2025-01-02T00:00:00Z', currentClusters: prev({ member1: 12 }) });
    assert.deepEqual(asRecord(steady.clusters), { member1: 12 });
    const noLast = run(DYNAMIC, 12, fleet(0, 12), { rescheduleTriggeredAt: '2025-01-01T00:00:00Z', currentClusters: prev({ member1: 12 }) });
    assert.deepEqual(asRecord(noLast.clusters), { member1: 12 });
  });
});

describe('unschedulable', () => {
  const cpu = (n: number, name: string) => cluster(name, { resourceSummary: { allocatable: { cpu: String(n * 2), pods: 100 } } });
  const need2cpu = { replicaRequirements: { resourceRequest: { cpu: '2' } } };
  it('says how many replicas of what, and how much room there is', () => {
    const d = run(DYNAMIC, 12, [cpu(3, 'a'), cpu(2, 'b'), cpu(2, 'c')], need2cpu);
    assert.equal(d.error?.reason, 'Unschedulable');
    assert.equal(d.error?.message, 'needs 12 replicas of 2 CPU, the 3 feasible clusters have room for 7');
    assert.equal(d.explanation.summary, d.error?.message);
  });
  it('on scale-up counts only the increase', () => {
    const d = run(AGGREGATED, 12, [cpu(2, 'a')], { ...need2cpu, currentClusters: prev({ a: 4 }) });
    assert.equal(d.error?.message, 'needs 8 more replicas of 2 CPU (12 wanted, 4 already placed), the 1 feasible cluster has room for 2');
  });
  it('keeps the previous result', () => {
    const d = run(DYNAMIC, 50, fleet(1, 1), { currentClusters: prev({ member1: 3 }) });
    assert.equal(d.error?.reason, 'Unschedulable');
    assert.deepEqual(asRecord(d.clusters), { member1: 3 });
  });
  it('Karmada test: 12 -> 24 with 1 free each is unschedulable', () => {
    assert.equal(run(DYNAMIC, 24, fleet(1, 1, 1), { currentClusters: prev({ member1: 2, member2: 4, member3: 6 }) }).error?.reason, 'Unschedulable');
    assert.equal(run(AGGREGATED, 12, fleet(3, 3, 3)).error?.reason, 'Unschedulable');
  });
});

describe('non-workloads (replicas 0)', () => {
  it('go to every selected cluster with 0 replicas', () => {
    const d = run(DYNAMIC, 0, fleet(0, 0));
    assert.deepEqual(d.clusters, [
      { name: 'member1', replicas: 0 },
      { name: 'member2', replicas: 0 },
    ]);
    assert.equal(d.explanation.strategy, 'NonWorkload');
  });
});
