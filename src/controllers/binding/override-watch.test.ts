import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResourceBinding } from '../../api/index.js';
import { overrideAffects, type OverridePolicyLike } from './override-watch.js';

const b: ResourceBinding = {
  apiVersion: 'work.karmada.io/v1alpha2',
  kind: 'ResourceBinding',
  metadata: { name: 'web-deployment', namespace: 'default' },
  spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web' } },
};
const tpl = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } } };
type Selectors = NonNullable<NonNullable<OverridePolicyLike['spec']>['resourceSelectors']>;
const op = (ns: string | undefined, selectors?: Selectors): OverridePolicyLike => ({ metadata: { namespace: ns }, spec: selectors === undefined ? {} : { resourceSelectors: selectors } });

describe('overrideAffects', () => {
  const cases: [string, OverridePolicyLike, boolean, boolean][] = [
    ['no selectors: every binding of its namespace', op('default'), true, true],
    ['an OverridePolicy of another namespace: none', op('other'), true, false],
    ['a ClusterOverridePolicy without selectors: all', op(undefined), true, true],
    ['by name', op('default', [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }]), true, true],
    ['another name', op('default', [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'db' }]), true, false],
    ['another kind', op(undefined, [{ apiVersion: 'v1', kind: 'ConfigMap' }]), true, false],
    ['labels that match the cached template', op('default', [{ apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: { app: 'web' } } }]), true, true],
    ['labels that do not', op('default', [{ apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: { app: 'db' } } }]), true, false],
    ['labels with no cached template: assumed to match', op('default', [{ apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: { app: 'db' } } }]), false, true],
  ];
  for (const [name, p, cached, want] of cases) it(name, () => assert.equal(overrideAffects(p, b, cached ? tpl : undefined), want));
});
