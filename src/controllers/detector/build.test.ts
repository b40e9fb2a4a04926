import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PropagationPolicy, ResourceBinding } from '../../api/index.js';
import { buildBinding, type Template } from './build.js';

const template: Template = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', uid: 'tpl-uid', resourceVersion: '7', generation: 2 },
  spec: {},
};

const policy = (spec: Partial<PropagationPolicy['spec']> = {}): PropagationPolicy => ({
  apiVersion: 'policy.karmada.io/v1alpha1',
  kind: 'PropagationPolicy',
  metadata: { name: 'web', namespace: 'default', uid: 'pp-uid' },
  spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment' }], placement: { clusterAffinity: { clusterNames: ['m1'] } }, ...spec },
});

/** A stored copy of `b` (kubernetes-types marks resourceVersion read-only). */
const withRV = (b: ResourceBinding, resourceVersion: string): ResourceBinding => ({ ...structuredClone(b), metadata: { ...structuredClone(b.metadata), resourceVersion } });

const build = (o: { spec?: Partial<PropagationPolicy['spec']>; existing?: ResourceBinding; replicas?: number } = {}) =>
  buildBinding({
    template,
    policyKind: 'PropagationPolicy',
    policy: policy(o.spec),
    replicas: { replicas: o.replicas ?? 3, requirements: { resourceRequest: { cpu: '100m' }, namespace: 'default' } },
    existing: o.existing,
    newId: () => 'rb-id',
  });

describe('buildBinding', () => {
  it('builds a new binding as Karmada does', () => {
    const { binding, changed } = build();
    assert.equal(changed, true);
    assert.equal(binding.kind, 'ResourceBinding');
    assert.equal(binding.metadata.name, 'web-deployment');
    assert.equal(binding.metadata.namespace, 'default');
    assert.deepEqual(binding.metadata.labels, { 'propagationpolicy.karmada.io/permanent-id': 'pp-uid', 'resourcebinding.karmada.io/permanent-id': 'rb-id' });
    assert.deepEqual(binding.metadata.annotations, { 'propagationpolicy.karmada.io/namespace': 'default', 'propagationpolicy.karmada.io/name': 'web' });
    assert.deepEqual(binding.metadata.finalizers, ['karmada.io/binding-controller']);
    assert.deepEqual(binding.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'tpl-uid', controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(binding.spec.resource, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web', uid: 'tpl-uid', resourceVersion: '7' });
    assert.equal(binding.spec.replicas, 3);
    assert.deepEqual(binding.spec.replicaRequirements, { resourceRequest: { cpu: '100m' }, namespace: 'default' });
    assert.equal(binding.spec.schedulerName, 'default-scheduler');
    assert.equal(binding.spec.conflictResolution, 'Abort');
    assert.deepEqual(binding.spec.placement, { clusterAffinity: { clusterNames: ['m1'] } });
  });

  it('copies what the policy decides and keeps what others decided', () => {
    const { binding: first } = build();
    const existing = withRV(first as ResourceBinding, '12');
    existing.spec.clusters = [{ name: 'm1', replicas: 3 }];
    existing.spec.rescheduleTriggeredAt = '2024-01-01T00:00:00Z';
    existing.spec.suspension = { scheduling: true };
    existing.spec.requiredBy = [{ namespace: 'default', name: 'other', clusters: [] }];
    existing.spec.gracefulEvictionTasks = [{ fromCluster: 'm2', reason: 'TaintUntolerated', producer: 'TaintManager' }];
    existing.metadata.labels = { ...existing.metadata.labels, extra: 'kept' };
    const { binding, changed } = build({
      existing,
      spec: { propagateDeps: true, conflictResolution: 'Overwrite', preserveResourcesOnDeletion: true, suspension: { dispatching: true }, failover: { cluster: { purgeMode: 'Directly' } } },
    });
    assert.equal(changed, true);
    assert.equal(binding.metadata.resourceVersion, '12', 'updates carry the precondition');
    assert.deepEqual(binding.spec.clusters, [{ name: 'm1', replicas: 3 }]);
    assert.equal(binding.spec.rescheduleTriggeredAt, '2024-01-01T00:00:00Z');
    assert.deepEqual(binding.spec.suspension, { dispatching: true, scheduling: true });
    assert.equal(binding.spec.requiredBy?.length, 1);
    assert.equal(binding.spec.gracefulEvictionTasks?.length, 1);
    assert.equal(binding.spec.propagateDeps, true);
    assert.equal(binding.spec.conflictResolution, 'Overwrite');
    assert.equal(binding.spec.preserveResourcesOnDeletion, true);
    assert.equal(binding.metadata.labels?.extra, 'kept');
    assert.equal(binding.metadata.labels?.['resourcebinding.karmada.io/permanent-id'], 'rb-id');
  });

  it('reports no change when nothing the policy or template decides changed', () => {
    const { binding } = build();
    const existing = withRV(binding as ResourceBinding, '3');
    existing.spec.clusters = [{ name: 'm1', replicas: 3 }];
    existing.status = { schedulerObservedGeneration: 2 };
    assert.equal(build({ existing }).changed, false);
    assert.equal(build({ existing, replicas: 4 }).changed, true, 'replicas changed');
    assert.equal(build({ existing, spec: { placement: { clusterAffinity: { clusterNames: ['m2'] } } } }).changed, true, 'placement changed');
  });

  it('a template with no replicas has none on its binding; the deprecated association means propagateDeps', () => {
    const { binding } = build({ replicas: 0, spec: { association: true } });
    assert.equal(binding.spec.replicas, undefined);
    assert.equal(binding.spec.replicaRequirements, undefined);
    assert.equal(binding.spec.propagateDeps, true);
  });

  it('a cluster-scoped template gets a ClusterResourceBinding with CPP claim metadata', () => {
    const { binding } = buildBinding({
      template: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', uid: 'ns-uid' } },
      policyKind: 'ClusterPropagationPolicy',
      policy: { apiVersion: 'policy.karmada.io/v1alpha1', kind: 'ClusterPropagationPolicy', metadata: { name: 'all', uid: 'cpp-uid' }, spec: { resourceSelectors: [] } },
      replicas: { replicas: 0 },
      newId: () => 'crb-id',
    });
    assert.equal(binding.kind, 'ClusterResourceBinding');
    assert.equal(binding.metadata.name, 'team-namespace');
    assert.equal(binding.metadata.namespace, undefined);
    assert.deepEqual(binding.metadata.finalizers, ['karmada.io/cluster-resource-binding-controller']);
    assert.equal(binding.metadata.labels?.['clusterresourcebinding.karmada.io/permanent-id'], 'crb-id');
    assert.equal(binding.metadata.annotations?.['clusterpropagationpolicy.karmada.io/name'], 'all');
    assert.deepEqual(binding.spec.placement, {});
  });
});
