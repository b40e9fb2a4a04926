import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResourceBinding, Work } from '../../api/index.js';
import { desiredWork, keptClusters, orphanWorks, suspendDispatching, targetClusters } from './works.js';

const rb = (spec: Partial<ResourceBinding['spec']>): ResourceBinding => ({
  apiVersion: 'work.karmada.io/v1alpha2',
  kind: 'ResourceBinding',
  metadata: { name: 'b', namespace: 'default' },
  spec: { resource: { apiVersion: 'v1', kind: 'ConfigMap', name: 'c' }, ...spec },
});
const work = (cluster: string): Work => ({ apiVersion: 'work.karmada.io/v1alpha1', kind: 'Work', metadata: { name: 'w', namespace: `karmada-es-${cluster}` }, spec: {} });

describe('targets and orphans', () => {
  it('targets are spec.clusters plus clusters of requiring bindings, once each', () => {
    const b = rb({ clusters: [{ name: 'a', replicas: 2 }], requiredBy: [{ namespace: 'default', name: 'p', clusters: [{ name: 'a' }, { name: 'b' }] }, { name: 'q', clusters: [{ name: 'c' }] }] });
    assert.deepEqual(targetClusters(b), [{ name: 'a', replicas: 2 }, { name: 'b' }, { name: 'c' }]);
  });

  const cases: [string, Partial<ResourceBinding['spec']>, string[], string[]][] = [
    ['a cluster no longer targeted is an orphan', { clusters: [{ name: 'a' }] }, ['a', 'b'], ['b']],
    ['a gracefully evicted cluster keeps its Work', { clusters: [{ name: 'a' }], gracefulEvictionTasks: [{ fromCluster: 'b', reason: 'TaintUntolerated', producer: 'x', purgeMode: 'Gracefully' }] }, ['a', 'b'], []],
    ['a Directly purged eviction does not', { clusters: [{ name: 'a' }], gracefulEvictionTasks: [{ fromCluster: 'b', reason: 'TaintUntolerated', producer: 'x', purgeMode: 'Directly' }] }, ['a', 'b'], ['b']],
    ['unscheduled: everything goes', {}, ['a'], ['a']],
    ['requiredBy clusters are kept', { requiredBy: [{ name: 'p', clusters: [{ name: 'b' }] }] }, ['a', 'b'], ['a']],
  ];
  for (const [name, spec, have, want] of cases) {
    it(name, () => assert.deepEqual(orphanWorks(have.map(work), keptClusters(rb(spec))).map((w) => w.metadata.namespace!.replace('karmada-es-', '')), want));
  }
  it('a Work outside an execution namespace is an orphan', () => {
    assert.equal(orphanWorks([{ metadata: { namespace: 'default' } }], new Set(['default'])).length, 1);
  });
});

describe('suspendDispatching', () => {
  it('all clusters, or the listed ones', () => {
    assert.equal(suspendDispatching(rb({ suspension: { dispatching: true } }), 'a'), true);
    assert.equal(suspendDispatching(rb({ suspension: { dispatchingOnClusters: { clusterNames: ['b'] } } }), 'a'), false);
    assert.equal(suspendDispatching(rb({ suspension: { dispatchingOnClusters: { clusterNames: ['b'] } } }), 'b'), true);
    assert.equal(suspendDispatching(rb({}), 'a'), false);
  });
});

describe('desiredWork', () => {
  const base = { binding: rb({ preserveResourcesOnDeletion: true }), cluster: 'm1', name: 'c-123', manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, labels: { l: '1' }, annotations: { a: '1' } };
  it('a new Work carries the execution finalizer, links and spec', () => {
    const { work, changed } = desiredWork(base);
    assert.equal(changed, true);
    assert.equal(work.metadata.namespace, 'karmada-es-m1');
    assert.deepEqual(work.metadata.finalizers, ['karmada.io/execution-controller']);
    assert.deepEqual(work.spec, { workload: { manifests: [base.manifest] }, preserveResourcesOnDeletion: true });
  });
  it('an equal Work is left alone; a changed manifest, and stale override records, are not', () => {
    const { work } = desiredWork(base);
    const existing: Work = { ...structuredClone(work), metadata: { ...structuredClone(work.metadata), resourceVersion: '5', labels: { l: '1', other: 'x' } } };
    assert.equal(desiredWork({ ...base, existing }).changed, false, 'labels others added are kept, not fought');
    assert.equal(desiredWork({ ...base, existing, manifest: { ...base.manifest, data: { k: 'v' } } }).changed, true);
    existing.metadata.annotations = { ...existing.metadata.annotations, 'policy.karmada.io/applied-overrides': '[]' };
    const again = desiredWork({ ...base, existing });
    assert.equal(again.changed, true);
    assert.equal(again.work.metadata.annotations?.['policy.karmada.io/applied-overrides'], undefined);
    assert.equal(again.work.metadata.resourceVersion, '5');
  });
});
