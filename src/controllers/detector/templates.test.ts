import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSkippedKind, parseTemplateKey, templateChanged, templateKey } from './templates.js';
import type { Template } from './build.js';

const base: Template = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a', namespace: 'ns', resourceVersion: '1', labels: { x: '1' } }, spec: { replicas: 1 }, status: { readyReplicas: 0 } };
const with_ = (f: (t: any) => void): Template => {
  const t = structuredClone(base);
  f(t);
  return t;
};

describe('templateChanged (Karmada detector event filter)', () => {
  const cases: [string, Template, boolean][] = [
    ['status only', with_((t) => (t.status.readyReplicas = 1)), false],
    ['resourceVersion only', with_((t) => (t.metadata.resourceVersion = '2')), false],
    ['managedFields only', with_((t) => (t.metadata.managedFields = [{ manager: 'x' }])), false],
    ['spec', with_((t) => (t.spec.replicas = 2)), true],
    ['labels', with_((t) => (t.metadata.labels.y = '2')), true],
    ['annotations', with_((t) => (t.metadata.annotations = { a: 'b' })), true],
    ['a top-level field (ConfigMap data)', with_((t) => (t.data = { k: 'v' })), true],
    ['deletion', with_((t) => (t.metadata.deletionTimestamp = 'now')), true],
  ];
  for (const [name, b, want] of cases) it(name, () => assert.equal(templateChanged(base, b), want));
});

describe('template keys', () => {
  it('round-trip, cluster-scoped included', () => {
    assert.deepEqual(parseTemplateKey(templateKey('apps/v1', 'Deployment', 'ns', 'web')), { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'ns', name: 'web' });
    assert.deepEqual(parseTemplateKey(templateKey('v1', 'Namespace', undefined, 'team')), { apiVersion: 'v1', kind: 'Namespace', namespace: '', name: 'team' });
  });
});

describe('isSkippedKind', () => {
  const cases: [string, string, boolean][] = [
    ['work.karmada.io/v1alpha2', 'ResourceBinding', true],
    ['policy.karmada.io/v1alpha1', 'PropagationPolicy', true],
    ['v1', 'Event', true],
    ['events.k8s.io/v1', 'Event', true],
    ['apps/v1', 'Deployment', false],
    ['example.io/v1', 'Event', false],
  ];
  for (const [av, kind, want] of cases) it(`${av} ${kind}`, () => assert.equal(isSkippedKind(av, kind), want));
});
