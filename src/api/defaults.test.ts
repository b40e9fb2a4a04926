import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Cluster } from './cluster.js';
import {
  defaultApplicationFailover,
  defaultCluster,
  defaultClusterPropagationPolicy,
  defaultClusterResourceModels,
  defaultOverridePolicy,
  defaultPlacement,
  defaultPropagationPolicy,
  defaultResourceBinding,
  defaultSpreadConstraint,
  defaultWork,
  standardizeResourceModels,
} from './defaults.js';
import type { ApplicationFailoverBehavior, Placement, SpreadConstraint } from './placement.js';
import type { ClusterPropagationPolicy, OverridePolicy, PropagationPolicy, PropagationSpec } from './policy.js';
import type { ResourceBinding, Work } from './work.js';
import { validateResourceModels } from './validation-cluster.js';

const pp = (spec: Partial<PropagationSpec>, namespace = 'web'): PropagationPolicy => ({
  apiVersion: 'policy.karmada.io/v1alpha1',
  kind: 'PropagationPolicy',
  metadata: { name: 'p', namespace },
  spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment' }], ...spec },
});

test('PropagationPolicy: CRD defaults and webhook defaults together', () => {
  const out = defaultPropagationPolicy(pp({ placement: { replicaScheduling: {}, spreadConstraints: [{ maxGroups: 2 }] }, failover: { application: { decisionConditions: {} } } }));
  assert.deepEqual(out.spec, {
    resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'web' }],
    placement: {
      replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted' },
      spreadConstraints: [{ maxGroups: 2, spreadByField: 'cluster', minGroups: 1 }],
    },
    failover: { application: { decisionConditions: { tolerationSeconds: 300 }, purgeMode: 'Gracefully', gracePeriodSeconds: 600 } },
    priority: 0,
    preemption: 'Never',
    schedulerName: 'default-scheduler',
    conflictResolution: 'Abort',
  });
});

test('defaulting is pure and idempotent', () => {
  const input = pp({ placement: { replicaScheduling: {} } });
  const frozen = structuredClone(input);
  const once = defaultPropagationPolicy(input);
  assert.deepEqual(input, frozen);
  assert.deepEqual(defaultPropagationPolicy(once), once);
});

test('selector namespaces: set when empty, kept when given; not for a ClusterPropagationPolicy', () => {
  const out = defaultPropagationPolicy({
    ...pp({}),
    spec: { resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap' }, { apiVersion: 'v1', kind: 'Secret', namespace: 'other' }] },
  });
  assert.deepEqual(out.spec.resourceSelectors.map((r) => r.namespace), ['web', 'other']);
  const cpp: ClusterPropagationPolicy = { apiVersion: 'policy.karmada.io/v1alpha1', kind: 'ClusterPropagationPolicy', metadata: { name: 'c' }, spec: { resourceSelectors: [{ apiVersion: 'v1', kind: 'Namespace' }] } };
  assert.equal(defaultClusterPropagationPolicy(cpp).spec.resourceSelectors[0]!.namespace, undefined);
});

test('a ServiceImport selector turns propagateDeps on', () => {
  const out = defaultPropagationPolicy(pp({ resourceSelectors: [{ apiVersion: 'multicluster.x-k8s.io/v1alpha1', kind: 'ServiceImport', name: 'svc' }] }));
  assert.equal(out.spec.propagateDeps, true);
  assert.equal(defaultPropagationPolicy(pp({})).spec.propagateDeps, undefined);
});

test('create adds a permanent ID label (replacing a client value) and the finalizer; update does not', () => {
  const input = pp({});
  input.metadata.labels = { 'propagationpolicy.karmada.io/permanent-id': 'forged', app: 'x' };
  const created = defaultPropagationPolicy(input, { operation: 'CREATE', newId: () => 'id-1' });
  assert.deepEqual(created.metadata.labels, { 'propagationpolicy.karmada.io/permanent-id': 'id-1', app: 'x' });
  assert.deepEqual(created.metadata.finalizers, ['karmada.io/propagation-policy-controller']);
  const again = defaultPropagationPolicy(created, { operation: 'CREATE', newId: () => 'id-2' });
  assert.deepEqual(again.metadata.finalizers, ['karmada.io/propagation-policy-controller'], 'finalizer not duplicated');
  const updated = defaultPropagationPolicy(pp({}), { operation: 'UPDATE', newId: () => 'id-3' });
  assert.equal(updated.metadata.labels, undefined);
  const cpp = defaultClusterPropagationPolicy(
    { apiVersion: 'policy.karmada.io/v1alpha1', kind: 'ClusterPropagationPolicy', metadata: { name: 'c' }, spec: { resourceSelectors: [{ apiVersion: 'v1', kind: 'Namespace' }] } },
    { operation: 'CREATE', newId: () => 'id-4' },
  );
  assert.deepEqual(cpp.metadata.labels, { 'clusterpropagationpolicy.karmada.io/permanent-id': 'id-4' });
  assert.deepEqual(cpp.metadata.finalizers, ['karmada.io/cluster-propagation-policy-controller']);
  assert.match(defaultPropagationPolicy(pp({}), { operation: 'CREATE' }).metadata.labels!['propagationpolicy.karmada.io/permanent-id']!, /^[0-9a-f-]{36}$/);
});

const spread: [string, SpreadConstraint, SpreadConstraint][] = [
  ['neither field nor label: cluster, minGroups 1', {}, { spreadByField: 'cluster', minGroups: 1 }],
  ['label kept, no field added', { spreadByLabel: 'topology/rack' }, { spreadByLabel: 'topology/rack', minGroups: 1 }],
  ['field kept', { spreadByField: 'region', maxGroups: 2 }, { spreadByField: 'region', maxGroups: 2, minGroups: 1 }],
  ['minGroups 0 becomes 1', { spreadByField: 'zone', minGroups: 0 }, { spreadByField: 'zone', minGroups: 1 }],
  ['minGroups kept', { spreadByField: 'cluster', minGroups: 3 }, { spreadByField: 'cluster', minGroups: 3 }],
];
for (const [name, input, want] of spread) test(`spread constraint: ${name}`, () => assert.deepEqual(defaultSpreadConstraint(input), want));

const division: [string, Placement, Placement['replicaScheduling']][] = [
  ['Divided without preference: Weighted', { replicaScheduling: { replicaSchedulingType: 'Divided' } }, { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted' }],
  ['type unset is Divided (the CRD default)', { replicaScheduling: {} }, { replicaDivisionPreference: 'Weighted' }],
  ['Aggregated kept', { replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Aggregated' } }, { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Aggregated' }],
  ['Duplicated untouched', { replicaScheduling: { replicaSchedulingType: 'Duplicated' } }, { replicaSchedulingType: 'Duplicated' }],
  ['no replicaScheduling: none added (nil means Duplicated)', {}, undefined],
];
for (const [name, input, want] of division) test(`replica division: ${name}`, () => assert.deepEqual(defaultPlacement(input).replicaScheduling, want));

const failover: [string, ApplicationFailoverBehavior, Partial<ApplicationFailoverBehavior>][] = [
  ['Gracefully gets 600s', { decisionConditions: {}, purgeMode: 'Gracefully' }, { purgeMode: 'Gracefully', gracePeriodSeconds: 600 }],
  ['legacy Graciously gets 600s', { decisionConditions: {}, purgeMode: 'Graciously' }, { purgeMode: 'Graciously', gracePeriodSeconds: 600 }],
  ['unset purgeMode is Gracefully', { decisionConditions: {} }, { purgeMode: 'Gracefully', gracePeriodSeconds: 600 }],
  ['explicit grace kept', { decisionConditions: {}, purgeMode: 'Gracefully', gracePeriodSeconds: 30 }, { purgeMode: 'Gracefully', gracePeriodSeconds: 30 }],
  ['Directly gets none', { decisionConditions: {}, purgeMode: 'Directly' }, { purgeMode: 'Directly', gracePeriodSeconds: undefined }],
  ['Never gets none', { decisionConditions: {}, purgeMode: 'Never' }, { purgeMode: 'Never', gracePeriodSeconds: undefined }],
];
for (const [name, input, want] of failover) {
  test(`application failover: ${name}`, () => {
    const out = defaultApplicationFailover(input);
    assert.equal(out.purgeMode, want.purgeMode);
    assert.equal(out.gracePeriodSeconds, want.gracePeriodSeconds);
  });
}

test('OverridePolicy selectors default to the policy namespace', () => {
  const op: OverridePolicy = {
    apiVersion: 'policy.karmada.io/v1alpha1',
    kind: 'OverridePolicy',
    metadata: { name: 'o', namespace: 'web' },
    spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment' }] },
  };
  assert.equal(defaultOverridePolicy(op).spec.resourceSelectors![0]!.namespace, 'web');
});

test('bindings and Works get a permanent ID once', () => {
  const rb: ResourceBinding = {
    apiVersion: 'work.karmada.io/v1alpha2',
    kind: 'ResourceBinding',
    metadata: { name: 'nginx-deployment', namespace: 'default' },
    spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx' } },
  };
  const out = defaultResourceBinding(rb, { newId: () => 'rb-1' });
  assert.equal(out.metadata.labels?.['resourcebinding.karmada.io/permanent-id'], 'rb-1');
  assert.equal(out.spec.conflictResolution, 'Abort');
  assert.equal(defaultResourceBinding(out, { newId: () => 'rb-2' }).metadata.labels?.['resourcebinding.karmada.io/permanent-id'], 'rb-1');
  const work: Work = { apiVersion: 'work.karmada.io/v1alpha1', kind: 'Work', metadata: { name: 'w', namespace: 'karmada-es-m1' }, spec: {} };
  assert.equal(defaultWork(work, { newId: () => 'w-1' }).metadata.labels?.['work.karmada.io/permanent-id'], 'w-1');
});

const cluster = (spec: Partial<Cluster['spec']>): Cluster => ({ apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', metadata: { name: 'm1' }, spec: { syncMode: 'Push', ...spec } });

test('Cluster: NoExecute taints get timeAdded, others not; zone moves to zones', () => {
  const now = () => new Date('2025-02-03T04:05:06.789Z');
  const out = defaultCluster(
    cluster({ zone: 'z1', taints: [{ key: 'a', effect: 'NoExecute' }, { key: 'b', effect: 'NoSchedule' }, { key: 'c', effect: 'NoExecute', timeAdded: '2020-01-01T00:00:00Z' }] }),
    { now, resourceModels: false },
  );
  assert.deepEqual(out.spec.taints, [
    { key: 'a', effect: 'NoExecute', timeAdded: '2025-02-03T04:05:06Z' },
    { key: 'b', effect: 'NoSchedule' },
    { key: 'c', effect: 'NoExecute', timeAdded: '2020-01-01T00:00:00Z' },
  ]);
  assert.deepEqual(out.spec.zones, ['z1']);
  assert.equal(out.spec.zone, undefined);
  assert.equal(out.spec.resourceModels, undefined);
  assert.deepEqual(defaultCluster(cluster({ zone: 'z1', zones: ['z2'] }), { resourceModels: false }).spec, { syncMode: 'Push', zone: 'z1', zones: ['z2'] });
});

test('Cluster: default resource models are Karmada\'s nine grades and pass validation', () => {
  const models = defaultClusterResourceModels();
  assert.equal(models.length, 9);
  assert.deepEqual(models[2], { grade: 2, ranges: [{ name: 'cpu', min: '2', max: '4' }, { name: 'memory', min: '16Gi', max: '32Gi' }] });
  assert.deepEqual(models[8]!.ranges.map((r) => r.max), ['9223372036854775807', '9223372036854775807']);
  assert.equal(validateResourceModels(models, 'spec.resourceModels'), undefined);
  assert.deepEqual(defaultCluster(cluster({})).spec.resourceModels, models);
});

test('Cluster: given models are sorted and bounded', () => {
  const out = standardizeResourceModels([
    { grade: 1, ranges: [{ name: 'cpu', min: '2', max: '100' }] },
    { grade: 0, ranges: [{ name: 'cpu', min: '1', max: '2' }] },
  ]);
  assert.deepEqual(out, [
    { grade: 0, ranges: [{ name: 'cpu', min: '0', max: '2' }] },
    { grade: 1, ranges: [{ name: 'cpu', min: '2', max: '9223372036854775807' }] },
  ]);
});
