import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster, ClusterTaintPolicy, ClusterTaintPolicySpec, Condition, MatchCondition, Taint } from '../api/index.js';
import { applyTaintPolicies, conditionMatches } from './taintpolicy.js';
import { taintString } from './tolerations.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const cond = (type: string, status: 'True' | 'False' | 'Unknown'): Condition => ({ type, status, reason: 'R', message: '', lastTransitionTime: '2025-01-01T00:00:00Z' });
const m = (conditionType: string, operator: string, ...statusValues: string[]): MatchCondition => ({ conditionType, operator, statusValues });

describe('conditionMatches', () => {
  const conditions = [cond('Ready', 'False'), cond('NetworkOK', 'True')];
  const cases: { name: string; match: MatchCondition[]; want: boolean }[] = [
    { name: 'empty never matches', match: [], want: false },
    { name: 'In', match: [m('Ready', 'In', 'False', 'Unknown')], want: true },
    { name: 'In, no value', match: [m('Ready', 'In', 'True')], want: false },
    { name: 'NotIn', match: [m('Ready', 'NotIn', 'True')], want: true },
    { name: 'NotIn, listed', match: [m('Ready', 'NotIn', 'False')], want: false },
    { name: 'all must match (AND)', match: [m('Ready', 'In', 'False'), m('NetworkOK', 'In', 'False')], want: false },
    { name: 'missing type matches neither In nor NotIn', match: [m('DiskOK', 'NotIn', 'True')], want: false },
    { name: 'unknown operator matches nothing', match: [m('Ready', 'Exists')], want: false },
  ];
  for (const c of cases) it(c.name, () => assert.equal(conditionMatches(conditions, c.match), c.want));
});

function cluster(name: string, conditions: Condition[], taints: Taint[] = [], labels: Record<string, string> = {}): Cluster {
  return { apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', metadata: { name, labels }, spec: { syncMode: 'Push', taints }, status: { conditions } };
}
function policy(name: string, created: number, spec: ClusterTaintPolicySpec): ClusterTaintPolicy {
  return { apiVersion: 'policy.karmada.io/v1alpha1', kind: 'ClusterTaintPolicy', metadata: { name, creationTimestamp: new Date(T0 + created).toISOString() }, spec };
}
const NOT_READY_NE = { key: 'cluster.karmada.io/not-ready', effect: 'NoExecute' };
const notReadyPolicy = (name = 'not-ready', created = 0, targetClusters?: ClusterTaintPolicySpec['targetClusters']) =>
  policy(name, created, { ...(targetClusters ? { targetClusters } : {}), addOnConditions: [m('Ready', 'NotIn', 'True')], removeOnConditions: [m('Ready', 'In', 'True')], taints: [NOT_READY_NE] });

describe('applyTaintPolicies', () => {
  it('adds the taints when addOnConditions match, stamped now', () => {
    const r = applyTaintPolicies(cluster('m1', [cond('Ready', 'False')]), [notReadyPolicy()], T0);
    assert.equal(r.changed, true);
    assert.deepEqual(r.taints, [{ key: 'cluster.karmada.io/not-ready', effect: 'NoExecute', timeAdded: '2025-01-01T00:00:00Z' }]);
  });
  it('removes them when removeOnConditions match', () => {
    const r = applyTaintPolicies(cluster('m1', [cond('Ready', 'True')], [{ ...NOT_READY_NE, timeAdded: 'x' }, { key: 'manual', effect: 'NoSchedule' }]), [notReadyPolicy()], T0);
    assert.deepEqual(r.taints.map(taintString), ['manual:NoSchedule']);
  });
  it('an existing taint with the same key and effect is not added again (value ignored, time kept)', () => {
    const existing = { key: 'cluster.karmada.io/not-ready', effect: 'NoExecute', value: 'v', timeAdded: '2024-12-31T00:00:00Z' };
    const r = applyTaintPolicies(cluster('m1', [cond('Ready', 'False')], [existing]), [notReadyPolicy()], T0);
    assert.equal(r.changed, false);
    assert.deepEqual(r.taints, [existing]);
  });
  it('only targeted clusters are touched', () => {
    const p = notReadyPolicy('p', 0, { labelSelector: { matchLabels: { env: 'prod' } } });
    assert.equal(applyTaintPolicies(cluster('dev', [cond('Ready', 'False')], [], { env: 'dev' }), [p], T0).changed, false);
    assert.equal(applyTaintPolicies(cluster('prod', [cond('Ready', 'False')], [], { env: 'prod' }), [p], T0).changed, true);
    assert.equal(applyTaintPolicies(cluster('prod', [cond('Ready', 'False')], [], { env: 'prod' }), [notReadyPolicy('q', 0, { exclude: ['prod'] })], T0).changed, false);
  });
  it('neither list matching leaves taints as they are', () => {
    const p = policy('p', 0, { addOnConditions: [m('Ready', 'In', 'False')], removeOnConditions: [m('Ready', 'In', 'True')], taints: [NOT_READY_NE] });
    const r = applyTaintPolicies(cluster('m1', [cond('Ready', 'Unknown')], [{ ...NOT_READY_NE }]), [p], T0);
    assert.equal(r.changed, false);
  });
  it('conflicting policies apply oldest first, so the result is stable', () => {
    const adds = policy('adds', 0, { addOnConditions: [m('Ready', 'In', 'False')], taints: [NOT_READY_NE] });
    const removes = policy('removes', 1000, { removeOnConditions: [m('Ready', 'In', 'False')], taints: [NOT_READY_NE] });
    const c = cluster('m1', [cond('Ready', 'False')]);
    assert.equal(applyTaintPolicies(c, [removes, adds], T0).taints.length, 0);
    const later = policy('adds', 2000, adds.spec);
    assert.equal(applyTaintPolicies(c, [removes, later], T0).taints.length, 1);
  });
  it('a custom condition drives a custom taint', () => {
    const p = policy('net', 0, {
      addOnConditions: [m('NetworkAvailable', 'In', 'False')],
      removeOnConditions: [m('NetworkAvailable', 'In', 'True')],
      taints: [{ key: 'example.com/network', effect: 'NoSchedule', value: 'down' }],
    });
    const r = applyTaintPolicies(cluster('m1', [cond('Ready', 'True'), cond('NetworkAvailable', 'False')]), [p], T0);
    assert.deepEqual(r.taints.map(taintString), ['example.com/network=down:NoSchedule']);
  });
});
