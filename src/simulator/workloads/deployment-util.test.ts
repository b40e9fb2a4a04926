import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { equalIgnoreHash, findNewReplicaSet, findOldReplicaSets, maxRevision, revisionOf, setNewReplicaSetAnnotations } from './deployment-util.js';

const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function dep(replicas: number): Deployment {
  return {
    metadata: { name: 'web', generation: 2, annotations: { team: 'a', 'deployment.kubernetes.io/revision': '7', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    },
  };
}

function rs(name: string, spec: number, image = 'x:1', created = 0): ReplicaSet {
  return {
    metadata: { name, uid: name, creationTimestamp: at(Date.UTC(2030, 0, 1) + created * 1000) },
    spec: { replicas: spec, selector: {}, template: { metadata: { labels: { app: 'web', 'pod-template-hash': name } }, spec: { containers: [{ name: 'c', image }] } } },
    status: { replicas: spec },
  };
}

describe('ReplicaSet bookkeeping', () => {
  it('finds the oldest ReplicaSet with the template as new, ignoring the hash label', () => {
    const d = dep(3);
    const a = rs('a', 1, 'x:1', 5);
    const b = rs('b', 1, 'x:1', 3);
    const c = rs('c', 1, 'x:0', 1);
    assert.equal(findNewReplicaSet(d, [a, b, c])!.metadata!.name, 'b');
    assert.deepEqual(findOldReplicaSets(d, [a, b, c]).all.map((r) => r.metadata!.name), ['a', 'c']);
    assert.ok(equalIgnoreHash(a.spec!.template, d.spec!.template));
    assert.ok(!equalIgnoreHash(c.spec!.template, d.spec!.template));
  });
  it('reads revisions, skipping bad ones', () => {
    const r = (v?: string) => ({ metadata: { annotations: v === undefined ? {} : { 'deployment.kubernetes.io/revision': v } } }) as ReplicaSet;
    assert.equal(revisionOf(r('3')), 3);
    assert.equal(revisionOf(r()), 0);
    assert.ok(Number.isNaN(revisionOf(r('x'))));
    assert.equal(maxRevision([r('3'), r('x'), r('10'), r()]), 10);
  });
  it('copies deployment annotations (not the managed ones), sets the revision and keeps history on rollback', () => {
    const d = dep(4);
    const created = rs('n', 0);
    assert.ok(setNewReplicaSetAnnotations(d, created, 1, false, 1));
    assert.deepEqual(created.metadata!.annotations, { team: 'a', 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '4', 'deployment.kubernetes.io/max-replicas': '5' });
    const rolledBack = rs('o', 0);
    rolledBack.metadata!.annotations = { 'deployment.kubernetes.io/revision': '2', 'deployment.kubernetes.io/revision-history': '1' };
    assert.ok(setNewReplicaSetAnnotations(d, rolledBack, 5, true, 1));
    assert.equal(rolledBack.metadata!.annotations!['deployment.kubernetes.io/revision'], '5');
    assert.equal(rolledBack.metadata!.annotations!['deployment.kubernetes.io/revision-history'], '1,2');
    assert.equal(rolledBack.metadata!.annotations!['deployment.kubernetes.io/desired-replicas'], undefined, 'existing ReplicaSets keep their replicas annotations');
    assert.ok(!setNewReplicaSetAnnotations(d, rolledBack, 5, true, 1), 'idempotent');
  });
});

describe('equalIgnoreHash', () => {
  const t = (labels: Record<string, string> | undefined, image = 'x'): PodTemplateSpec => ({ metadata: labels === undefined ? {} : { labels }, spec: { containers: [{ name: 'c', image }] } });
  const cases: Array<[string, PodTemplateSpec, PodTemplateSpec, boolean]> = [
    ['same', t({ a: 'b' }), t({ a: 'b' }), true],
    ['hash label ignored', t({ a: 'b', 'pod-template-hash': 'x' }), t({ a: 'b' }), true],
    ['only a hash label vs no labels', t({ 'pod-template-hash': 'x' }), t(undefined), true],
    ['a null creationTimestamp (kubectl rollout undo) is no difference', { ...t({ a: 'b' }), metadata: { labels: { a: 'b' }, creationTimestamp: null as unknown as string } }, t({ a: 'b' }), true],
    ['different labels', t({ a: 'b' }), t({ a: 'c' }), false],
    ['different image', t({ a: 'b' }, 'x'), t({ a: 'b' }, 'y'), false],
  ];
  for (const [name, a, b, want] of cases) it(name, () => assert.equal(equalIgnoreHash(a, b), want));
});
