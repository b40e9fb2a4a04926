import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResourceBinding } from '../../api/index.js';
import { bindingInput, sameClusters, scheduleTrigger, skipReason } from './input.js';

const rb = (f: (b: ResourceBinding) => void = () => {}): ResourceBinding => {
  const b: ResourceBinding = {
    apiVersion: 'work.karmada.io/v1alpha2',
    kind: 'ResourceBinding',
    metadata: { name: 'web-deployment', namespace: 'default', uid: 'rb-uid', labels: { 'propagationpolicy.karmada.io/permanent-id': 'p' } },
    spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web', uid: 't-uid' }, placement: {}, replicas: 3 },
  };
  f(b);
  return b;
};

describe('skipReason: which bindings this scheduler decides for', () => {
  const cases: [string, ResourceBinding, string | undefined][] = [
    ['a claimed binding', rb(), undefined],
    ['claimed by a CPP', rb((b) => (b.metadata.labels = { 'clusterpropagationpolicy.karmada.io/permanent-id': 'c' })), undefined],
    ['schedulerName default-scheduler', rb((b) => (b.spec.schedulerName = 'default-scheduler')), undefined],
    ['unclaimed (policy gone, or an attached binding)', rb((b) => (b.metadata.labels = {})), 'not claimed by a policy'],
    ['another scheduler', rb((b) => (b.spec.schedulerName = 'mine')), 'scheduler mine'],
    ['no placement', rb((b) => delete b.spec.placement), 'no placement'],
    ['scheduling suspended', rb((b) => (b.spec.suspension = { scheduling: true })), 'scheduling suspended'],
    ['deleting', rb((b) => (b.metadata = { ...b.metadata, deletionTimestamp: '2024-01-01T00:00:00Z' })), 'deleting'],
  ];
  for (const [name, b, want] of cases) it(name, () => assert.equal(skipReason(b), want));
});

describe('bindingInput', () => {
  it('reads the decision inputs from spec and status', () => {
    const b = rb((x) => {
      x.spec.clusters = [{ name: 'm1', replicas: 3 }];
      x.spec.rescheduleTriggeredAt = '2024-01-01T00:00:01Z';
      x.status = { lastScheduledTime: '2024-01-01T00:00:00Z', schedulerObservingAffinityName: 'a' };
    });
    const i = bindingInput(b);
    assert.equal(i.uid, 'rb-uid');
    assert.equal(i.replicas, 3);
    assert.equal(i.resource.uid, 't-uid');
    assert.deepEqual(i.currentClusters, [{ name: 'm1', replicas: 3 }]);
    assert.equal(i.schedulerObservingAffinityName, 'a');
    assert.equal(i.lastScheduledTime, '2024-01-01T00:00:00Z');
    assert.equal(bindingInput(rb((x) => delete x.spec.replicas)).replicas, 0);
  });
});

describe('sameClusters', () => {
  const cases: [string, { name: string; replicas?: number }[] | undefined, { name: string; replicas?: number }[] | undefined, boolean][] = [
    ['order does not matter', [{ name: 'a', replicas: 1 }, { name: 'b', replicas: 2 }], [{ name: 'b', replicas: 2 }, { name: 'a', replicas: 1 }], true],
    ['omitted replicas are zero', [{ name: 'a' }], [{ name: 'a', replicas: 0 }], true],
    ['undefined is empty', undefined, [], true],
    ['different replicas', [{ name: 'a', replicas: 1 }], [{ name: 'a', replicas: 2 }], false],
    ['different clusters', [{ name: 'a' }], [{ name: 'b' }], false],
  ];
  for (const [name, a, b, want] of cases) it(name, () => assert.equal(sameClusters(a, b), want));
});

describe('scheduleTrigger: when a decision is due (Karmada doScheduleBinding)', () => {
  const weighted = { replicaScheduling: { replicaSchedulingType: 'Divided' as const, replicaDivisionPreference: 'Weighted' as const, weightPreference: { staticWeightList: [] } } };
  /** A divided binding, scheduled 2+1 under its current placement. */
  const steady = (f: (b: ResourceBinding) => void = () => {}) =>
    rb((b) => {
      b.spec.placement = weighted;
      b.spec.clusters = [
        { name: 'm1', replicas: 2 },
        { name: 'm2', replicas: 1 },
      ];
      b.metadata.annotations = { 'policy.karmada.io/applied-placement': JSON.stringify(weighted) };
      b.status = { lastScheduledTime: '2025-01-01T00:00:00Z' };
      f(b);
    });
  const all = () => true;
  const cases: [string, ResourceBinding, string | undefined][] = [
    ['steady divided workload: stays put (a recovered cluster does not pull replicas back)', steady(), undefined],
    ['never scheduled (no applied placement)', steady((b) => (b.metadata.annotations = {})), 'placement changed'],
    ['placement edited', steady((b) => (b.spec.placement = { ...weighted, clusterTolerations: [{ key: 'k', operator: 'Exists' }] })), 'placement changed'],
    ['scaled up', steady((b) => (b.spec.replicas = 5)), 'replicas changed'],
    ['a cluster evicted by failover', steady((b) => (b.spec.clusters = [{ name: 'm1', replicas: 2 }])), 'replicas changed'],
    ['rebalance requested after the last schedule', steady((b) => (b.spec.rescheduleTriggeredAt = '2025-01-02T00:00:00Z')), 'reschedule requested'],
    ['rebalance already done', steady((b) => (b.spec.rescheduleTriggeredAt = '2024-12-31T00:00:00Z')), undefined],
    [
      'duplicated: always decided',
      steady((b) => {
        b.spec.placement = {};
        b.metadata.annotations = { 'policy.karmada.io/applied-placement': '{}' };
      }),
      'duplicated',
    ],
    ['not a workload: always decided', steady((b) => (b.spec.replicas = 0)), 'duplicated'],
  ];
  for (const [name, b, want] of cases) it(name, () => assert.equal(scheduleTrigger(b, all), want));
  it('a target cluster that is gone or being deleted', () => assert.equal(scheduleTrigger(steady(), (n) => n !== 'm2'), 'target cluster gone'));
});
