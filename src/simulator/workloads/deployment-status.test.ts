import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Deployment, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { calculateStatus, deploymentComplete, deploymentProgressing, deploymentTimedOut, newCondition, pausedConditionStatus, REASON, rolloutStatus, setCondition } from './deployment-status.js';

const NOW = Date.parse('2030-01-01T00:10:00Z');
const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function dep(replicas: number, status: DeploymentStatus = {}, extra: Partial<Deployment['spec']> = {}): Deployment {
  return {
    metadata: { name: 'web', generation: 2, annotations: { team: 'a', 'deployment.kubernetes.io/revision': '7', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      progressDeadlineSeconds: 600,
      ...extra,
    },
    status,
  };
}

function rs(name: string, spec: number, st: { replicas?: number; ready?: number; available?: number } = {}, image = 'x:1', created = 0): ReplicaSet {
  return {
    metadata: { name, uid: name, creationTimestamp: at(Date.UTC(2030, 0, 1) + created * 1000) },
    spec: { replicas: spec, selector: {}, template: { metadata: { labels: { app: 'web', 'pod-template-hash': name } }, spec: { containers: [{ name: 'c', image }] } } },
    status: { replicas: st.replicas ?? spec, readyReplicas: st.ready ?? 0, availableReplicas: st.available ?? 0 },
  };
}

describe('calculateStatus', () => {
  it('sums the ReplicaSets and sets Available by minimum availability', () => {
    const n = rs('new', 4, { replicas: 4, ready: 3, available: 3 });
    const o = rs('old', 1, { replicas: 1, ready: 1, available: 1 }, 'x:0');
    const s = calculateStatus([o, n], n, dep(4), NOW);
    assert.deepEqual(
      [s.observedGeneration, s.replicas, s.updatedReplicas, s.readyReplicas, s.availableReplicas, s.unavailableReplicas],
      [2, 5, 4, 4, 4, 1],
    );
    assert.deepEqual(s.conditions!.map((c) => [c.type, c.status, c.reason, c.message]), [['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.']]);
  });
  const availability: Array<[number, number, string]> = [
    // replicas, available, Available status (maxUnavailable 25% rounds down)
    [4, 3, 'True'],
    [4, 2, 'False'],
    [3, 3, 'True'],
    [3, 2, 'False'],
    [10, 8, 'True'],
    [10, 7, 'False'],
    [0, 0, 'True'],
  ];
  for (const [replicas, available, want] of availability) {
    it(`replicas=${replicas} available=${available} → Available=${want}`, () => {
      const n = rs('new', replicas, { available });
      assert.equal(calculateStatus([n], n, dep(replicas), NOW).conditions!.find((c) => c.type === 'Available')!.status, want);
    });
  }
  it('never reports negative unavailable replicas', () => {
    const n = rs('new', 2, { replicas: 4, available: 4 });
    assert.equal(calculateStatus([n], n, dep(2), NOW).unavailableReplicas, 0);
  });
});

describe('setCondition', () => {
  it('keeps the transition time while the status stays, and moves the condition last', () => {
    const s: DeploymentStatus = { conditions: [newCondition('Progressing', 'True', 'A', 'a', 0), newCondition('Available', 'True', 'B', 'b', 0)] };
    setCondition(s, newCondition('Progressing', 'True', 'C', 'c', NOW));
    assert.deepEqual(s.conditions!.map((c) => c.type), ['Available', 'Progressing']);
    assert.equal(s.conditions![1]!.lastTransitionTime, at(0));
    assert.equal(s.conditions![1]!.lastUpdateTime, at(NOW));
  });
  it('ignores the same status and reason', () => {
    const s: DeploymentStatus = { conditions: [newCondition('Progressing', 'True', 'A', 'a', 0)] };
    setCondition(s, newCondition('Progressing', 'True', 'A', 'other', NOW));
    assert.equal(s.conditions![0]!.message, 'a');
  });
  it('moves the transition time when the status changes', () => {
    const s: DeploymentStatus = { conditions: [newCondition('Available', 'True', 'A', 'a', 0)] };
    setCondition(s, newCondition('Available', 'False', 'B', 'b', NOW));
    assert.equal(s.conditions![0]!.lastTransitionTime, at(NOW));
  });
});

describe('progress predicates', () => {
  it('deploymentComplete needs every replica updated, available and the generation observed', () => {
    const d = dep(3);
    assert.ok(deploymentComplete(d, { replicas: 3, updatedReplicas: 3, availableReplicas: 3, observedGeneration: 2 }));
    assert.ok(!deploymentComplete(d, { replicas: 4, updatedReplicas: 3, availableReplicas: 3, observedGeneration: 2 }));
    assert.ok(!deploymentComplete(d, { replicas: 3, updatedReplicas: 3, availableReplicas: 3, observedGeneration: 1 }));
  });
  const progressing: Array<[string, DeploymentStatus, DeploymentStatus, boolean]> = [
    ['more updated', { updatedReplicas: 1 }, { updatedReplicas: 2 }, true],
    ['fewer old', { replicas: 5, updatedReplicas: 2 }, { replicas: 4, updatedReplicas: 2 }, true],
    ['more ready', { readyReplicas: 1 }, { readyReplicas: 2 }, true],
    ['more available', { availableReplicas: 1 }, { availableReplicas: 2 }, true],
    ['nothing moved', { replicas: 3, updatedReplicas: 1, readyReplicas: 1 }, { replicas: 3, updatedReplicas: 1, readyReplicas: 1 }, false],
  ];
  for (const [name, before, after, want] of progressing) it(`deploymentProgressing: ${name}`, () => assert.equal(deploymentProgressing(dep(3, before), after), want));
  it('deploymentTimedOut after progressDeadlineSeconds without progress', () => {
    const cond = (reason: string, updated: number) => ({ conditions: [{ ...newCondition('Progressing', 'True', reason, '', updated) }] });
    assert.ok(deploymentTimedOut(dep(3), cond(REASON.ReplicaSetUpdated, NOW - 601_000), NOW));
    assert.ok(!deploymentTimedOut(dep(3), cond(REASON.ReplicaSetUpdated, NOW - 600_000), NOW));
    assert.ok(!deploymentTimedOut(dep(3), cond(REASON.NewReplicaSetAvailable, 0), NOW));
    assert.ok(deploymentTimedOut(dep(3), cond(REASON.ProgressDeadlineExceeded, NOW), NOW));
    assert.ok(!deploymentTimedOut(dep(3, {}, { progressDeadlineSeconds: 2 ** 31 - 1 }), cond(REASON.ReplicaSetUpdated, 0), NOW));
  });
});

describe('rolloutStatus', () => {
  it('reports NewReplicaSetAvailable when complete', () => {
    const n = rs('web-abc', 3, { ready: 3, available: 3 });
    const { status, recheckAt } = rolloutStatus(dep(3, { observedGeneration: 2 }), [n], n, NOW);
    const p = status.conditions!.find((c) => c.type === 'Progressing')!;
    assert.deepEqual([p.status, p.reason, p.message], ['True', 'NewReplicaSetAvailable', 'ReplicaSet "web-abc" has successfully progressed.']);
    assert.equal(recheckAt, undefined);
  });
  it('reports ReplicaSetUpdated on progress and asks to look again at the deadline', () => {
    const before = { replicas: 3, updatedReplicas: 1, conditions: [newCondition('Progressing', 'True', REASON.NewReplicaSetCreated, 'x', NOW - 5000)] };
    const n = rs('web-abc', 2, { ready: 1, available: 1 });
    const o = rs('old', 1, { available: 1 }, 'x:0');
    const { status, recheckAt } = rolloutStatus(dep(3, before), [o, n], n, NOW);
    const p = status.conditions!.find((c) => c.type === 'Progressing')!;
    assert.equal(p.reason, 'ReplicaSetUpdated');
    assert.equal(p.message, 'ReplicaSet "web-abc" is progressing.');
    assert.equal(p.lastTransitionTime, at(NOW - 5000));
    assert.equal(p.lastUpdateTime, at(NOW));
    assert.equal(recheckAt, NOW + 601_000);
  });
  it('reports ProgressDeadlineExceeded when stuck past the deadline', () => {
    const stuck = { replicas: 3, updatedReplicas: 1, conditions: [newCondition('Progressing', 'True', REASON.ReplicaSetUpdated, 'x', NOW - 700_000)] };
    const n = rs('web-abc', 1);
    const o = rs('old', 2, {}, 'x:0');
    const { status, recheckAt } = rolloutStatus(dep(3, stuck), [o, n], n, NOW);
    const p = status.conditions!.find((c) => c.type === 'Progressing')!;
    assert.deepEqual([p.status, p.reason], ['False', 'ProgressDeadlineExceeded']);
    assert.equal(recheckAt, undefined);
  });
  it('copies a ReplicaSet failure and drops Progressing without a deadline', () => {
    const n = rs('web-abc', 2);
    n.status!.conditions = [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota', lastTransitionTime: at(0) }];
    const { status } = rolloutStatus(dep(2, {}, { progressDeadlineSeconds: 2 ** 31 - 1 }), [n], n, NOW);
    assert.deepEqual(status.conditions!.map((c) => [c.type, c.reason]), [
      ['Available', 'MinimumReplicasUnavailable'],
      ['ReplicaFailure', 'FailedCreate'],
    ]);
  });
});

describe('pausedConditionStatus', () => {
  it('marks a paused deployment, then a resumed one, and never overrides a timeout', () => {
    const paused = pausedConditionStatus(dep(1, {}, { paused: true }), NOW)!;
    assert.deepEqual(paused.conditions!.map((c) => [c.type, c.status, c.reason]), [['Progressing', 'Unknown', 'DeploymentPaused']]);
    assert.equal(pausedConditionStatus(dep(1, paused, { paused: true }), NOW), undefined);
    const resumed = pausedConditionStatus(dep(1, paused), NOW)!;
    assert.equal(resumed.conditions![0]!.reason, 'DeploymentResumed');
    const timedOut = { conditions: [newCondition('Progressing', 'False', REASON.ProgressDeadlineExceeded, '', 0)] };
    assert.equal(pausedConditionStatus(dep(1, timedOut, { paused: true }), NOW), undefined);
  });
});
