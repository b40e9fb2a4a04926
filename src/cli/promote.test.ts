import assert from 'node:assert/strict';
import { test } from 'node:test';
import { promotionPolicy, templateFrom } from './promote.js';

test('the template loses what the member set, and keeps what the user wrote', () => {
  const member = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'shop',
      uid: 'u-1',
      resourceVersion: '42',
      generation: 3,
      creationTimestamp: '2026-01-01T00:00:00Z',
      managedFields: [{ manager: 'kubectl' }],
      ownerReferences: [{ kind: 'X', name: 'y', uid: 'z', apiVersion: 'v1' }],
      finalizers: ['example.com/keep'],
      labels: { app: 'web' },
      annotations: { 'deployment.kubernetes.io/revision': '3', team: 'a' },
    },
    spec: { replicas: 2 },
    status: { readyReplicas: 2 },
  };
  const t = templateFrom(member);
  assert.deepEqual(t, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' }, annotations: { team: 'a' } }, spec: { replicas: 2 } });
  assert.equal(member.metadata.uid, 'u-1', 'the member object itself is untouched');
});

test('values the member allocated are not copied (Service IPs, Job selectors)', () => {
  const svc = templateFrom({ kind: 'Service', metadata: { name: 's' }, spec: { clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1'], ports: [{ port: 80 }] } });
  assert.deepEqual(svc.spec, { ports: [{ port: 80 }] });
  const job = templateFrom({
    kind: 'Job',
    metadata: { name: 'j' },
    spec: { selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u' } }, template: { metadata: { labels: { 'batch.kubernetes.io/controller-uid': 'u', 'job-name': 'j', app: 'x' } } } },
  });
  assert.deepEqual(job.spec, { template: { metadata: { labels: { app: 'x' } } } });
});

test('the policy pins the object to its cluster and overwrites what is there', () => {
  const pp = promotionPolicy({ group: 'apps', version: 'v1', kind: 'Deployment', namespaced: true }, 'web', 'shop', 'member1');
  assert.equal(pp.kind, 'PropagationPolicy');
  assert.deepEqual(pp.metadata, { name: 'web-promoted', namespace: 'shop', labels: { 'flotilla.io/promoted-from': 'member1' } });
  assert.deepEqual(pp.spec, {
    resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop' }],
    placement: { clusterAffinity: { clusterNames: ['member1'] } },
    conflictResolution: 'Overwrite',
  });
  const cpp = promotionPolicy({ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', namespaced: false }, 'viewer', undefined, 'member2');
  assert.equal(cpp.kind, 'ClusterPropagationPolicy');
  assert.equal(cpp.metadata.namespace, undefined);
  assert.deepEqual(cpp.spec.resourceSelectors, [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'viewer' }]);
});
