import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResourceBinding } from '../../api/index.js';
import type { ClusterSnapshot } from '../../scheduler/index.js';
import { affectedBy } from './affected.js';

const snap = (name: string, labels: Record<string, string> = {}): ClusterSnapshot => ({ name, labels, ready: true });
const rb = (placement: ResourceBinding['spec']['placement'], o: { clusters?: string[]; scheduled?: boolean } = {}): ResourceBinding => ({
  apiVersion: 'work.karmada.io/v1alpha2',
  kind: 'ResourceBinding',
  metadata: { name: 'b', namespace: 'default', labels: { 'propagationpolicy.karmada.io/permanent-id': 'p' } },
  spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'x' }, placement, clusters: (o.clusters ?? []).map((name) => ({ name })) },
  status: { conditions: [{ type: 'Scheduled', status: o.scheduled === false ? 'False' : 'True', reason: 'r', message: '', lastTransitionTime: '2024-01-01T00:00:00Z' }] },
});

describe('affectedBy: which bindings a cluster change requeues', () => {
  const gold = { clusterAffinity: { labelSelector: { matchLabels: { tier: 'gold' } } } };
  const cases: [string, ResourceBinding, 'topology' | 'capacity' | 'removed', ClusterSnapshot | undefined, ClusterSnapshot | undefined, boolean][] = [
    ['runs there', rb(gold, { clusters: ['m1'] }), 'capacity', snap('m1'), snap('m1'), true],
    ['not scheduled yet: capacity may help', rb(gold, { scheduled: false }), 'capacity', snap('m9'), snap('m9'), true],
    ['scheduled elsewhere: capacity alone moves nothing', rb({}, { clusters: ['m2'] }), 'capacity', snap('m1'), snap('m1'), false],
    ['gains the selected label', rb(gold, { clusters: ['m2'] }), 'topology', snap('m1'), snap('m1', { tier: 'gold' }), true],
    ['an unrelated label', rb(gold, { clusters: ['m2'] }), 'topology', snap('m1'), snap('m1', { x: 'y' }), false],
    ['no affinity selects every cluster', rb({}, { clusters: ['m2'] }), 'topology', undefined, snap('m3'), true],
    ['a clusterAffinities term selects it', rb({ clusterAffinities: [{ affinityName: 'a', clusterNames: ['m7'] }] }, { clusters: ['m2'] }), 'topology', undefined, snap('m7'), true],
    ['removed cluster it ran on', rb(gold, { clusters: ['m1'] }), 'removed', snap('m1'), undefined, true],
    ['unclaimed bindings are never ours', { ...rb({}, { clusters: ['m1'] }), metadata: { name: 'b', namespace: 'default' } }, 'topology', snap('m1'), snap('m1'), false],
  ];
  for (const [name, b, change, before, after, want] of cases) it(name, () => assert.equal(affectedBy(b, change, before, after), want));
});
