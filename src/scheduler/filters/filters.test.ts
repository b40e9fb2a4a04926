import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterMatches } from '../affinity.js';
import { cluster, binding } from '../testing.js';
import type { BindingInput, ClusterAffinity, ClusterSnapshot, Placement } from '../types.js';
import { runFilters, type FilterContext } from './index.js';

function ctx(placement: Placement, rest: Partial<BindingInput> = {}): FilterContext {
  const b = binding(placement, 1, rest);
  return {
    binding: b,
    placement,
    affinity: placement.clusterAffinity ?? undefined,
    scheduled: new Set((b.currentClusters ?? []).map((c) => c.name)),
    evicting: new Set((b.gracefulEvictionTasks ?? []).map((t) => t.fromCluster)),
  };
}
const verdict = (c: FilterContext, cl: ClusterSnapshot) => runFilters(c, cl);

describe('clusterMatches (Karmada ClusterMatches)', () => {
  const c = cluster('member1', { labels: { env: 'prod', tier: 'gold' }, provider: 'aws', region: 'us-east', zones: ['us-east-1a', 'us-east-1b'] });
  const table: [string, ClusterAffinity, boolean][] = [
    ['empty affinity matches all', {}, true],
    ['clusterNames listed', { clusterNames: ['member1', 'member2'] }, true],
    ['clusterNames not listed', { clusterNames: ['member2'] }, false],
    ['exclude wins over clusterNames', { clusterNames: ['member1'], exclude: ['member1'] }, false],
    ['labelSelector matchLabels', { labelSelector: { matchLabels: { env: 'prod' } } }, true],
    ['labelSelector mismatch', { labelSelector: { matchLabels: { env: 'dev' } } }, false],
    ['labelSelector matchExpressions', { labelSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['gold', 'silver'] }] } }, true],
    ['empty labelSelector matches all', { labelSelector: {} }, true],
    ['invalid labelSelector matches nothing', { labelSelector: { matchExpressions: [{ key: 'tier', operator: 'Bogus' }] } }, false],
    ['labels AND names', { labelSelector: { matchLabels: { env: 'prod' } }, clusterNames: ['member2'] }, false],
    ['provider In', { fieldSelector: { matchExpressions: [{ key: 'provider', operator: 'In', values: ['aws'] }] } }, true],
    ['provider NotIn', { fieldSelector: { matchExpressions: [{ key: 'provider', operator: 'NotIn', values: ['aws'] }] } }, false],
    ['region In', { fieldSelector: { matchExpressions: [{ key: 'region', operator: 'In', values: ['us-east', 'eu'] }] } }, true],
    ['zone In needs every zone listed', { fieldSelector: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['us-east-1a'] }] } }, false],
    ['zone In with all zones', { fieldSelector: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['us-east-1a', 'us-east-1b', 'x'] }] } }, true],
    ['zone NotIn with one zone listed', { fieldSelector: { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['us-east-1b'] }] } }, false],
    ['zone Exists', { fieldSelector: { matchExpressions: [{ key: 'zone', operator: 'Exists' }] } }, true],
    ['zone DoesNotExist', { fieldSelector: { matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] } }, false],
    ['zone with an unknown operator', { fieldSelector: { matchExpressions: [{ key: 'zone', operator: 'Gt', values: ['1'] }] } }, false],
    ['field and zone together', { fieldSelector: { matchExpressions: [{ key: 'provider', operator: 'In', values: ['aws'] }, { key: 'zone', operator: 'Exists' }] } }, true],
  ];
  for (const [name, affinity, want] of table) it(name, () => assert.equal(clusterMatches(c, affinity), want));

  it('a cluster without zones: DoesNotExist matches, In does not', () => {
    const bare = cluster('b');
    assert.equal(clusterMatches(bare, { fieldSelector: { matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] } }), true);
    assert.equal(clusterMatches(bare, { fieldSelector: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } }), false);
    assert.equal(clusterMatches(bare, { fieldSelector: { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] } }), true);
  });
  it('the deprecated spec.zone counts as a zone', () => {
    assert.equal(clusterMatches(cluster('z', { zone: 'a' }), { fieldSelector: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } }), true);
  });
});

describe('TaintToleration', () => {
  const tainted = cluster('t', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
  const noExec = cluster('x', { taints: [{ key: 'maintenance', effect: 'NoExecute', timeAdded: '2025-01-01T00:00:00Z' }] });
  const prefer = cluster('p', { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] });

  it('rejects an untolerated NoSchedule taint with Karmada\'s message', () => {
    assert.deepEqual(verdict(ctx({}), tainted), { plugin: 'TaintToleration', reason: 'cluster(s) had untolerated taint {dedicated=gpu:NoSchedule}' });
  });
  it('rejects an untolerated NoExecute taint', () => {
    assert.equal(verdict(ctx({}), noExec)?.reason, 'cluster(s) had untolerated taint {maintenance:NoExecute}');
  });
  it('ignores PreferNoSchedule', () => assert.equal(verdict(ctx({}), prefer), undefined));
  it('passes a tolerated taint', () => {
    assert.equal(verdict(ctx({ clusterTolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }), tainted), undefined);
    assert.equal(verdict(ctx({ clusterTolerations: [{ key: 'maintenance', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }] }), noExec), undefined);
  });
  it('tolerationSeconds plays no part in filtering, even once it has run out (Karmada: TolerationsTolerateTaint)', () => {
    const old = cluster('o', { taints: [{ key: 'maintenance', effect: 'NoExecute', timeAdded: '2000-01-01T00:00:00Z' }] });
    for (const tolerationSeconds of [0, 1, 300]) {
      assert.equal(verdict(ctx({ clusterTolerations: [{ key: 'maintenance', operator: 'Exists', effect: 'NoExecute', tolerationSeconds }] }), old), undefined, `tolerationSeconds ${tolerationSeconds}`);
    }
    // An empty effect tolerates NoExecute too, with or without seconds.
    assert.equal(verdict(ctx({ clusterTolerations: [{ key: 'maintenance', operator: 'Exists', tolerationSeconds: 5 }] }), old), undefined);
  });
  it('a toleration for another effect does not help', () => {
    assert.ok(verdict(ctx({ clusterTolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }] }), tainted));
  });
  it('skips clusters already in the result, for NoSchedule and NoExecute alike', () => {
    const c = ctx({}, { currentClusters: [{ name: 't', replicas: 1 }, { name: 'x', replicas: 1 }] });
    assert.equal(verdict(c, tainted), undefined);
    assert.equal(verdict(c, noExec), undefined);
  });
});

describe('other filters', () => {
  it('ClusterAffinity', () => {
    assert.deepEqual(verdict(ctx({ clusterAffinity: { clusterNames: ['a'] } }), cluster('b')), {
      plugin: 'ClusterAffinity',
      reason: 'cluster(s) did not match the placement cluster affinity constraint',
    });
  });
  it('APIEnablement: the cluster must serve the kind', () => {
    const noDeploy = cluster('n', { apiEnablements: [{ groupVersion: 'v1', resources: [{ name: 'configmaps', kind: 'ConfigMap' }] }] });
    assert.equal(verdict(ctx({}), noDeploy)?.plugin, 'APIEnablement');
    // Already running there and the API list is incomplete: keep it.
    assert.equal(verdict(ctx({}, { currentClusters: [{ name: 'n', replicas: 1 }] }), { ...noDeploy, completeAPIEnablements: false }), undefined);
    assert.equal(verdict(ctx({}, { currentClusters: [{ name: 'n', replicas: 1 }] }), noDeploy)?.plugin, 'APIEnablement');
  });
  it('ClusterEviction', () => {
    assert.deepEqual(verdict(ctx({}, { gracefulEvictionTasks: [{ fromCluster: 'e' }] }), cluster('e')), { plugin: 'ClusterEviction', reason: 'cluster(s) is in the process of eviction' });
  });
  it('ClusterReady: not ready is treated as tainted not-ready:NoSchedule', () => {
    const down = cluster('d', { ready: false });
    assert.equal(verdict(ctx({}), down)?.plugin, 'ClusterReady');
    assert.equal(verdict(ctx({ clusterTolerations: [{ key: 'cluster.karmada.io/not-ready', operator: 'Exists' }] }), down), undefined);
    assert.equal(verdict(ctx({}, { currentClusters: [{ name: 'd', replicas: 2 }] }), down), undefined);
  });
  it('deleting clusters are dropped before any plugin', () => {
    assert.equal(verdict(ctx({}, { currentClusters: [{ name: 'g', replicas: 2 }] }), cluster('g', { deleting: true }))?.plugin, 'ClusterDeleting');
  });
  it('SpreadConstraint: the cluster must have the property', () => {
    const p: Placement = { spreadConstraints: [{ spreadByField: 'region', minGroups: 1 }] };
    assert.equal(verdict(ctx(p), cluster('r'))?.reason, "cluster(s) didn't have region property");
    assert.equal(verdict(ctx(p), cluster('r', { region: 'eu' })), undefined);
    assert.equal(verdict(ctx({ spreadConstraints: [{ spreadByField: 'zone' }] }), cluster('z', { zones: ['a'] })), undefined);
    assert.equal(verdict(ctx({ spreadConstraints: [{ spreadByField: 'provider' }] }), cluster('z'))?.reason, "cluster(s) didn't have provider property");
    assert.equal(verdict(ctx({ spreadConstraints: [{ spreadByLabel: 'rack' }] }), cluster('z'))?.reason, "cluster(s) didn't have label rack");
  });
  it('the first rejecting plugin is reported (affinity before taints)', () => {
    const c = cluster('t', { taints: [{ key: 'k', effect: 'NoSchedule' }] });
    assert.equal(verdict(ctx({ clusterAffinity: { clusterNames: ['other'] } }), c)?.plugin, 'ClusterAffinity');
  });
});
