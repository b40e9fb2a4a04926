import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromAggregated } from './discovery.js';
import { parseKind, qualifiedName, resolveKind, splitKindName, type ApiResource } from './kinds.js';

const res = (group: string, version: string, resource: string, kind: string, o: Partial<ApiResource> = {}): ApiResource => ({
  group,
  version,
  resource,
  kind,
  namespaced: true,
  singular: kind.toLowerCase(),
  shortNames: [],
  verbs: ['get', 'list'],
  preferred: true,
  ...o,
});

// Core first, as discovery returns it.
const RESOURCES: ApiResource[] = [
  res('', 'v1', 'pods', 'Pod', { shortNames: ['po'] }),
  res('', 'v1', 'events', 'Event', { shortNames: ['ev'] }),
  res('', 'v1', 'namespaces', 'Namespace', { namespaced: false, shortNames: ['ns'] }),
  res('apps', 'v1', 'deployments', 'Deployment', { shortNames: ['deploy'] }),
  res('events.k8s.io', 'v1', 'events', 'Event', { shortNames: ['ev'] }),
  res('policy.karmada.io', 'v1alpha1', 'propagationpolicies', 'PropagationPolicy', { shortNames: ['pp'] }),
  res('example.com', 'v2', 'widgets', 'Widget'),
  res('example.com', 'v1', 'widgets', 'Widget', { preferred: false }),
  res('example.com', 'v1', 'gadgets', 'Gadget', { preferred: false }),
];

const find = (q: string) => {
  const r = resolveKind(q, RESOURCES);
  return r && `${qualifiedName(r)}/${r.version}`;
};

test('plural, singular, short name and kind, in any case', () => {
  for (const q of ['deployments', 'deployment', 'deploy', 'Deployment', 'DEPLOY']) assert.equal(find(q), 'deployments.apps/v1', q);
  assert.equal(find('pp'), 'propagationpolicies.policy.karmada.io/v1alpha1');
  assert.equal(find('po'), 'pods/v1');
  assert.equal(find('nope'), undefined);
});

test('an ambiguous name goes to the core group, as with kubectl', () => {
  assert.equal(find('events'), 'events/v1');
  assert.equal(find('ev'), 'events/v1');
});

test('group- and version-qualified names', () => {
  assert.equal(find('events.events.k8s.io'), 'events.events.k8s.io/v1');
  assert.equal(find('deployments.apps'), 'deployments.apps/v1');
  assert.equal(find('deployment.v1.apps'), 'deployments.apps/v1');
  assert.equal(find('Deployment.apps'), 'deployments.apps/v1');
  assert.equal(find('widgets.v1.example.com'), 'widgets.example.com/v1');
  assert.equal(find('deployments.batch'), undefined);
});

test('the preferred version wins; another only when the preferred one lacks the name', () => {
  assert.equal(find('widgets'), 'widgets.example.com/v2');
  assert.equal(find('gadget'), 'gadgets.example.com/v1');
});

test('parseKind tells a version from a group', () => {
  assert.deepEqual(parseKind('deploy'), { name: 'deploy' });
  assert.deepEqual(parseKind('deployments.apps'), { name: 'deployments', group: 'apps' });
  assert.deepEqual(parseKind('deployments.v1beta2.apps'), { name: 'deployments', version: 'v1beta2', group: 'apps' });
  assert.deepEqual(parseKind('foo.valpha.example.com'), { name: 'foo', group: 'valpha.example.com' });
});

test('KIND/NAME', () => {
  assert.deepEqual(splitKindName('deploy/nginx'), { kind: 'deploy', name: 'nginx' });
  assert.deepEqual(splitKindName('deployment.apps/nginx'), { kind: 'deployment.apps', name: 'nginx' });
  assert.deepEqual(splitKindName('pods'), { kind: 'pods' });
  assert.throws(() => splitKindName('deploy/'), /KIND\/NAME/);
  assert.throws(() => splitKindName('a/b/c'), /KIND\/NAME/);
});

test('aggregated discovery flattens to resources, the first version preferred', () => {
  const flat = fromAggregated({
    kind: 'APIGroupDiscoveryList',
    items: [
      {
        metadata: { name: 'apps' },
        versions: [
          {
            version: 'v1',
            resources: [{ resource: 'deployments', responseKind: { kind: 'Deployment' }, scope: 'Namespaced', singularResource: 'deployment', shortNames: ['deploy'], verbs: ['get'] }],
          },
          { version: 'v1beta1', resources: [{ resource: 'deployments', responseKind: { kind: 'Deployment' }, scope: 'Namespaced' }] },
        ],
      },
    ],
  });
  assert.equal(flat.length, 2);
  assert.deepEqual(
    flat.map((r) => [r.group, r.version, r.resource, r.kind, r.namespaced, r.preferred]),
    [
      ['apps', 'v1', 'deployments', 'Deployment', true, true],
      ['apps', 'v1beta1', 'deployments', 'Deployment', true, false],
    ],
  );
  assert.equal(resolveKind('deploy', flat)?.version, 'v1');
});
