import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResourceBinding } from '../../api/index.js';
import { interpreterFor } from '../../interpreter/index.js';
import type { Template } from '../detector/index.js';
import { conflictResolution, pruneIrrelevantFields, replicasFor, reviseForCluster, stampManifest } from './manifest.js';

const template: Template = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'default',
    uid: 'tpl-uid',
    resourceVersion: '9',
    generation: 3,
    labels: { app: 'web' },
    annotations: { note: 'keep', 'deployment.kubernetes.io/revision': '2' },
    ...({ creationTimestamp: '2024-01-01T00:00:00Z', managedFields: [{}], ownerReferences: [{}], finalizers: ['x'] } as object),
  },
  spec: { replicas: 6, template: { spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  status: { replicas: 6 },
};

const binding = (placement: ResourceBinding['spec']['placement'], replicas = 6, conflict?: 'Overwrite' | 'Abort'): ResourceBinding => ({
  apiVersion: 'work.karmada.io/v1alpha2',
  kind: 'ResourceBinding',
  metadata: { name: 'web-deployment', namespace: 'default', labels: { 'resourcebinding.karmada.io/permanent-id': 'rb-id' } },
  spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, replicas, placement, ...(conflict ? { conflictResolution: conflict } : {}) },
});
const divided = { replicaScheduling: { replicaSchedulingType: 'Divided' as const } };

describe('replicasFor', () => {
  const cases: [string, ResourceBinding, { name: string; replicas?: number }, number | undefined][] = [
    ['divided: the cluster share', binding(divided), { name: 'a', replicas: 4 }, 4],
    ['divided: no share is zero', binding(divided), { name: 'a' }, 0],
    ['duplicated (no replicaScheduling): the template count', binding({}), { name: 'a', replicas: 99 }, 6],
    ['explicitly Duplicated', binding({ replicaScheduling: { replicaSchedulingType: 'Duplicated' } }), { name: 'a' }, 6],
    ['not a workload: untouched', binding(divided, 0), { name: 'a', replicas: 3 }, undefined],
  ];
  for (const [name, b, t, want] of cases) it(name, () => assert.equal(replicasFor(b, t), want));
});

describe('manifest for one cluster', () => {
  it('revises replicas, then stamps links and prunes server fields', () => {
    const revised = reviseForCluster(template, interpreterFor('apps/v1', 'Deployment'), 4);
    assert.equal((template.spec as any).replicas, 6, 'the template is not modified');
    const m = stampManifest(revised, { binding: binding(divided), template, workName: 'web-abc', workNamespace: 'karmada-es-m1', workID: 'work-id' });
    assert.equal(m.spec.replicas, 4);
    assert.deepEqual(m.metadata.labels, { app: 'web', 'resourcebinding.karmada.io/permanent-id': 'rb-id', 'karmada.io/managed': 'true', 'work.karmada.io/permanent-id': 'work-id' });
    assert.deepEqual(m.metadata.annotations, {
      note: 'keep',
      'resourcebinding.karmada.io/namespace': 'default',
      'resourcebinding.karmada.io/name': 'web-deployment',
      'resourcetemplate.karmada.io/generation': '3',
      'resourcetemplate.karmada.io/uid': 'tpl-uid',
      'work.karmada.io/name': 'web-abc',
      'work.karmada.io/namespace': 'karmada-es-m1',
      'work.karmada.io/conflict-resolution': 'abort',
    });
    for (const k of ['resourceVersion', 'uid', 'generation', 'creationTimestamp', 'managedFields', 'ownerReferences', 'finalizers']) assert.equal(m.metadata[k], undefined, k);
    assert.equal(m.status, undefined);
  });

  it('a kind without replica knowledge is copied as is', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } };
    assert.deepEqual(reviseForCluster(cm, interpreterFor('v1', 'ConfigMap'), 3), cm);
  });

  it('a Job gets its share of parallelism and completions', () => {
    const job: Template = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { parallelism: 4, completions: 8 } };
    const m = reviseForCluster(job, interpreterFor('batch/v1', 'Job'), 2, 5);
    assert.equal(m.spec.parallelism, 2);
    assert.equal(m.spec.completions, 5);
  });
});

describe('conflictResolution', () => {
  it('the template annotation wins, then the binding', () => {
    assert.equal(conflictResolution(template, binding({}, 1, 'Overwrite')), 'overwrite');
    assert.equal(conflictResolution(template, binding({})), 'abort');
    const t = structuredClone(template);
    t.metadata.annotations = { 'work.karmada.io/conflict-resolution': 'overwrite' };
    assert.equal(conflictResolution(t, binding({}, 1, 'Abort')), 'overwrite');
    t.metadata.annotations = { 'work.karmada.io/conflict-resolution': 'bogus' };
    assert.equal(conflictResolution(t, binding({}, 1, 'Overwrite')), 'overwrite');
  });
});

describe('pruneIrrelevantFields (Karmada prune)', () => {
  const cases: [string, Record<string, any>, (m: any) => void][] = [
    ['Service keeps a headless clusterIP', { kind: 'Service', metadata: {}, spec: { clusterIP: 'None' } }, (m) => assert.equal(m.spec.clusterIP, 'None')],
    ['Service drops an allocated clusterIP', { kind: 'Service', metadata: {}, spec: { clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1'] } }, (m) => assert.deepEqual(m.spec, {})],
    [
      'Job drops generated selector labels and ttl',
      { kind: 'Job', metadata: {}, spec: { ttlSecondsAfterFinished: 5, selector: { matchLabels: { 'controller-uid': 'u', a: 'b' } }, template: { metadata: { labels: { 'job-name': 'j', 'batch.kubernetes.io/controller-uid': 'u', a: 'b' } } } } },
      (m) => {
        assert.equal(m.spec.ttlSecondsAfterFinished, undefined);
        assert.deepEqual(m.spec.selector.matchLabels, { a: 'b' });
        assert.deepEqual(m.spec.template.metadata.labels, { a: 'b' });
      },
    ],
    ['ServiceAccount drops token secrets', { kind: 'ServiceAccount', metadata: { name: 'sa' }, secrets: [{ name: 'sa-token-x' }, { name: 'pull' }] }, (m) => assert.deepEqual(m.secrets, [{ name: 'pull' }])],
    ['a token Secret loses its data', { kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { annotations: { 'kubernetes.io/service-account.uid': 'u' } }, data: { token: 'x' } }, (m) => assert.equal(m.data, undefined)],
    ['Deployment revision annotations go', { kind: 'Deployment', metadata: { annotations: { 'deployment.kubernetes.io/revision': '1', a: 'b' } } }, (m) => assert.deepEqual(m.metadata.annotations, { a: 'b' })],
  ];
  for (const [name, m, check] of cases) it(name, () => check(pruneIrrelevantFields(structuredClone(m))));
});
