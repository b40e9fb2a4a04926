import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clusterMatches, ImplicitPriority, resourceMatches, resourceMatchPriority, resourceMatchSelectorsPriority } from './match.js';
import type { Cluster, ClusterAffinity, ResourceSelector } from './types.js';

const member1: Cluster = {
  metadata: { name: 'member1', labels: { env: 'prod', location: 'us' } },
  spec: { provider: 'huaweicloud', region: 'cn-north-1', zones: ['cn-north-1a', 'cn-north-1b'] },
};
const member2: Cluster = { metadata: { name: 'member2', labels: { env: 'dev' } }, spec: { provider: 'aws', region: 'us-east-1', zones: [] } };
const bare: Cluster = { metadata: { name: 'bare' } };

const fs = (key: string, operator: string, values?: string[]): ClusterAffinity => ({ fieldSelector: { matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] } });

describe('clusterMatches (util.ClusterMatches)', () => {
  const cases: [string, Cluster, ClusterAffinity, boolean][] = [
    ['empty affinity matches all', member1, {}, true],
    ['empty affinity matches a cluster without spec', bare, {}, true],
    ['clusterNames lists it', member1, { clusterNames: ['member1', 'member3'] }, true],
    ['clusterNames does not list it', member2, { clusterNames: ['member1'] }, false],
    ['empty clusterNames allows all', member2, { clusterNames: [] }, true],
    ['exclude', member1, { exclude: ['member1'] }, false],
    ['exclude is checked first, before clusterNames', member1, { clusterNames: ['member1'], exclude: ['member1'] }, false],
    ['exclude of another cluster', member2, { exclude: ['member1'] }, true],
    ['labelSelector matchLabels', member1, { labelSelector: { matchLabels: { env: 'prod' } } }, true],
    ['labelSelector mismatch', member2, { labelSelector: { matchLabels: { env: 'prod' } } }, false],
    ['labelSelector NotIn on a missing label', bare, { labelSelector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] } }, true],
    ['empty labelSelector matches everything', bare, { labelSelector: {} }, true],
    ['invalid labelSelector matches nothing', member1, { labelSelector: { matchExpressions: [{ key: 'env', operator: 'Bogus' }] } }, false],
    ['labelSelector AND clusterNames', member1, { labelSelector: { matchLabels: { env: 'prod' } }, clusterNames: ['member2'] }, false],
    ['region In (the documented example)', member1, fs('region', 'In', ['cn-north-1']), true],
    ['region In misses', member2, fs('region', 'In', ['cn-north-1']), false],
    ['provider NotIn', member2, fs('provider', 'NotIn', ['huaweicloud']), true],
    ['provider NotIn misses', member1, fs('provider', 'NotIn', ['huaweicloud']), false],
    ['provider Exists', member1, fs('provider', 'Exists'), true],
    ['provider Exists on a cluster without provider', bare, fs('provider', 'Exists'), false],
    ['region DoesNotExist on a cluster without region', bare, fs('region', 'DoesNotExist'), true],
    ['an unknown field key never matches In', member1, fs('color', 'In', ['red']), false],
    ['an invalid operator matches nothing', member1, fs('region', 'Foo', ['cn-north-1']), false],
    ['In without values is invalid', member1, fs('region', 'In', []), false],
    ['zone In: every zone listed', member1, fs('zone', 'In', ['cn-north-1a', 'cn-north-1b', 'cn-north-1c']), true],
    ['zone In: one zone missing from values', member1, fs('zone', 'In', ['cn-north-1a']), false],
    ['zone In: no zones never matches', member2, fs('zone', 'In', ['us-east-1a']), false],
    ['zone NotIn: no zone listed', member1, fs('zone', 'NotIn', ['eu-1a']), true],
    ['zone NotIn: one zone listed', member1, fs('zone', 'NotIn', ['cn-north-1b']), false],
    ['zone NotIn: no zones matches', member2, fs('zone', 'NotIn', ['x']), true],
    ['zone Exists', member1, fs('zone', 'Exists'), true],
    ['zone Exists without zones', member2, fs('zone', 'Exists'), false],
    ['zone DoesNotExist without zones', bare, fs('zone', 'DoesNotExist'), true],
    ['zone DoesNotExist with zones', member1, fs('zone', 'DoesNotExist'), false],
    ['zone with an unsupported operator', member1, fs('zone', 'Gt', ['1']), false],
    ['deprecated spec.zone is not consulted', { metadata: { name: 'z' }, spec: { zone: 'z1' } }, fs('zone', 'In', ['z1']), false],
    [
      'all field requirements ANDed',
      member1,
      { fieldSelector: { matchExpressions: [{ key: 'provider', operator: 'In', values: ['huaweicloud'] }, { key: 'zone', operator: 'Exists' }, { key: 'region', operator: 'NotIn', values: ['cn-north-1'] }] } },
      false,
    ],
    ['labels AND fields AND names', member1, { labelSelector: { matchLabels: { location: 'us' } }, ...fs('provider', 'In', ['huaweicloud']), clusterNames: ['member1'] }, true],
    ['empty fieldSelector matches', member2, { fieldSelector: {} }, true],
  ];
  for (const [name, cluster, affinity, want] of cases) {
    it(name, () => assert.equal(clusterMatches(cluster, affinity), want));
  }
});

const deploy = (name: string, labels?: Record<string, unknown>, namespace = 'default') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace, ...(labels ? { labels } : {}) },
});

describe('resourceMatchPriority (util.ResourceSelectorPriority)', () => {
  const d = deploy('nginx', { app: 'nginx' });
  const cases: [string, Record<string, unknown>, ResourceSelector, ImplicitPriority][] = [
    ['apiVersion+kind only: match all', d, { apiVersion: 'apps/v1', kind: 'Deployment' }, ImplicitPriority.MatchAll],
    ['kind differs', d, { apiVersion: 'apps/v1', kind: 'StatefulSet' }, ImplicitPriority.MisMatch],
    ['apiVersion differs', d, { apiVersion: 'apps/v1beta1', kind: 'Deployment' }, ImplicitPriority.MisMatch],
    ['namespace equal', d, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default' }, ImplicitPriority.MatchAll],
    ['namespace differs', d, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'test' }, ImplicitPriority.MisMatch],
    ['name equal', d, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx' }, ImplicitPriority.MatchName],
    ['name differs', d, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, ImplicitPriority.MisMatch],
    [
      'name wins over a labelSelector that would not match',
      d,
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx', labelSelector: { matchLabels: { app: 'other' } } },
      ImplicitPriority.MatchName,
    ],
    [
      'a different name is not rescued by a matching labelSelector',
      d,
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', labelSelector: { matchLabels: { app: 'nginx' } } },
      ImplicitPriority.MisMatch,
    ],
    ['labelSelector matches', d, { apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: { app: 'nginx' } } }, ImplicitPriority.MatchLabelSelector],
    ['labelSelector misses', d, { apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: { app: 'web' } } }, ImplicitPriority.MisMatch],
    ['an empty labelSelector is a labelSelector match, not match-all', deploy('x'), { apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: {} }, ImplicitPriority.MatchLabelSelector],
    ['an invalid labelSelector matches nothing', d, { apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchExpressions: [{ key: 'app', operator: 'Near' }] } }, ImplicitPriority.MisMatch],
    [
      'labels with a non-string value read as no labels',
      deploy('x', { app: 'nginx', n: 1 }),
      { apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: { app: 'nginx' } } },
      ImplicitPriority.MisMatch,
    ],
  ];
  for (const [name, res, sel, want] of cases) {
    it(name, () => {
      assert.equal(resourceMatchPriority(res, sel), want);
      assert.equal(resourceMatches(res, sel), want > 0);
    });
  }

  it('the best of several selectors counts', () => {
    const sels: ResourceSelector[] = [
      { apiVersion: 'apps/v1', kind: 'Deployment' },
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx' },
      { apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: { app: 'nginx' } } },
    ];
    assert.equal(resourceMatchSelectorsPriority(d, sels), ImplicitPriority.MatchName);
    assert.equal(resourceMatchSelectorsPriority(d, []), ImplicitPriority.MisMatch);
  });
});
