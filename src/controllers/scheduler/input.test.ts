import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResourceBinding } from '../../api/index.js';
import { bindingInput, sameClusters, skipReason } from './input.js';

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
