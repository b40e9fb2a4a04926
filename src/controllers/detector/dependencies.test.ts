import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResourceBinding } from '../../api/index.js';
import { attachParent, dependedByLabel, dependenciesAnnotation, detachParent, parseDependencies } from './dependencies.js';

const parent = (name: string, clusters: string[]): ResourceBinding => ({
  apiVersion: 'work.karmada.io/v1alpha2',
  kind: 'ResourceBinding',
  metadata: { name, namespace: 'default' },
  spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name }, clusters: clusters.map((c) => ({ name: c, replicas: 1 })), conflictResolution: 'Overwrite', propagateDeps: true },
});
const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default', uid: 'cm-uid', resourceVersion: '5' } };

describe('attached bindings', () => {
  it('a first parent creates the attached binding, owned by the dependency', () => {
    const { binding, changed } = attachParent(parent('a', ['m1']), cm, undefined, () => 'id');
    assert.equal(changed, true);
    assert.equal(binding.metadata.name, 'cfg-configmap');
    assert.equal(binding.metadata.ownerReferences?.[0]?.uid, 'cm-uid');
    const label = dependedByLabel('default', 'a');
    assert.equal(binding.metadata.labels?.[label.key], 'default_a');
    assert.match(label.key, /^resourcebinding\.karmada\.io\/depended-by-/);
    assert.deepEqual(binding.spec.requiredBy, [{ namespace: 'default', name: 'a', clusters: [{ name: 'm1', replicas: 1 }] }]);
    assert.equal(binding.spec.conflictResolution, 'Overwrite');
    assert.equal(binding.spec.placement, undefined, 'not scheduled: it follows its parents');
  });

  it('a second parent is merged; the same parent again replaces its entry; unchanged is no change', () => {
    const first = attachParent(parent('a', ['m1']), cm, undefined, () => 'id').binding;
    const two = attachParent(parent('b', ['m2']), cm, first, () => 'id').binding;
    assert.deepEqual(two.spec.requiredBy?.map((r) => r.name), ['a', 'b']);
    const moved = attachParent(parent('a', ['m3']), cm, two, () => 'id');
    assert.deepEqual(moved.binding.spec.requiredBy?.[0]?.clusters, [{ name: 'm3', replicas: 1 }]);
    assert.equal(attachParent(parent('a', ['m3']), cm, moved.binding, () => 'id').changed, false);
  });

  it('detaching: the last parent deletes an unclaimed attached binding; a claimed one stays', () => {
    const one = attachParent(parent('a', ['m1']), cm, undefined, () => 'id').binding;
    const two = attachParent(parent('b', ['m2']), cm, one, () => 'id').binding;
    const left = detachParent(two, 'default', 'a');
    assert.ok(left && left !== 'delete');
    assert.deepEqual(left.spec.requiredBy?.map((r) => r.name), ['b']);
    assert.equal(left.metadata.labels?.[dependedByLabel('default', 'a').key], undefined);
    assert.equal(detachParent(one, 'default', 'a'), 'delete');
    assert.equal(detachParent(one, 'default', 'zzz'), undefined);
    const claimed = structuredClone(one);
    claimed.metadata.labels = { ...claimed.metadata.labels, 'propagationpolicy.karmada.io/permanent-id': 'p' };
    const kept = detachParent(claimed, 'default', 'a');
    assert.ok(kept && kept !== 'delete' && kept.spec.requiredBy?.length === 0);
  });

  it('the dependencies annotation is sorted and round-trips', () => {
    const deps = [
      { apiVersion: 'v1', kind: 'Secret', namespace: 'default', name: 's' },
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'c' },
    ];
    const a = dependenciesAnnotation(deps);
    assert.equal(a, dependenciesAnnotation([...deps].reverse()));
    assert.deepEqual(parseDependencies(a).map((d) => d.kind), ['ConfigMap', 'Secret']);
    assert.deepEqual(parseDependencies('not json'), []);
  });
});
