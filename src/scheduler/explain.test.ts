import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { schedule } from './schedule.js';
import { binding, cluster, DYNAMIC, staticWeights } from './testing.js';

describe('explanations', () => {
  it('summarise a divided decision in one line, biggest share first', () => {
    const d = schedule(binding({ replicaScheduling: staticWeights({ member1: 3, member2: 2, member3: 1 }) }, 12), [
      cluster('member1'),
      cluster('member2'),
      cluster('member3'),
      cluster('member4', { ready: false }),
    ]);
    assert.equal(
      d.explanation.summary,
      'Scheduled 12 replicas to 3/4 clusters by static weights: member1=6, member2=4, member3=2; filtered: member4 (ClusterReady)',
    );
    assert.deepEqual(d.explanation.division?.weights, [
      { name: 'member1', weight: 3 },
      { name: 'member2', weight: 2 },
      { name: 'member3', weight: 1 },
    ]);
    assert.equal(d.explanation.division?.tieBreak, 'larger-first');
    assert.deepEqual(
      d.explanation.clusters.map((c) => [c.name, c.outcome, c.replicas ?? c.filter?.reason]),
      [
        ['member1', 'selected', 6],
        ['member2', 'selected', 4],
        ['member3', 'selected', 2],
        ['member4', 'filtered', 'cluster(s) were not ready'],
      ],
    );
  });

  it('mention fresh mode, spread leftovers and long lists compactly', () => {
    const fleet = Array.from({ length: 9 }, (_, i) => cluster(`c${i}`, { free: 10 }));
    const d = schedule(
      binding({ replicaScheduling: DYNAMIC, spreadConstraints: [{ spreadByField: 'cluster', minGroups: 1, maxGroups: 8 }] }, 8, {
        rescheduleTriggeredAt: '2025-01-02T00:00:00Z',
        lastScheduledTime: '2025-01-01T00:00:00Z',
      }),
      fleet,
    );
    assert.equal(
      d.explanation.summary,
      'Scheduled 8 replicas to 8/9 clusters by dynamic weights by available replicas, fresh: c0=1, c1=1, c2=1, c3=1, c4=1, c5=1 and 2 more; 1 left out by spread constraints',
    );
  });

  it('non-workloads and duplicated workloads read naturally', () => {
    assert.equal(schedule(binding({}, 0), [cluster('a'), cluster('b')]).explanation.summary, 'Propagated to 2/2 clusters: a, b');
    assert.equal(schedule(binding({}, 1), [cluster('a')]).explanation.summary, 'Scheduled 1 replica to each of 1/1 clusters: a');
  });

  it('list clusters filtered by a taint or readiness before those the affinity never asked for', () => {
    const fleet = ['a', 'b', 'c', 'd', 'e'].map((n) => cluster(n, n === 'e' ? { taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }] } : {}));
    const d = schedule(binding({ clusterAffinity: { clusterNames: ['d', 'e'] } }, 1), fleet);
    assert.equal(d.explanation.summary, 'Scheduled 1 replica to each of 1/5 clusters: d; filtered: e (TaintToleration), a (ClusterAffinity), b (ClusterAffinity) and 1 more');
  });

  it('are plain JSON', () => {
    const d = schedule(binding({ replicaScheduling: DYNAMIC }, 3), [cluster('a', { free: 5 }), cluster('b', { taints: [{ key: 'x', effect: 'NoExecute' }] })]);
    const round = JSON.parse(JSON.stringify(d.explanation));
    assert.equal(round.summary, d.explanation.summary);
    assert.equal(round.clusters[1].filter.reason, 'cluster(s) had untolerated taint {x:NoExecute}');
  });
});
